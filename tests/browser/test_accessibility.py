"""WCAG 2.2 AA in Chromium: every built page, both palettes, the calculator by keyboard alone.

- axe-core (node_modules/axe-core, injected with ``add_script_tag``) on every HTML page of the built site, in the
  light and the dark palette (switched with the header's own toggle, and checked on every page), and on the
  calculator with a result and with field errors shown: no violations of WCAG 2.0/2.1/2.2 A and AA, nor of axe's
  best practices. A failure lists each rule, its impact, the elements (CSS selectors), page and palette.
- Structure of every page: ``lang``, one each of banner, main and contentinfo plus named navigation, exactly one
  h1 and no skipped heading level, a title that is unique and names the page, and a working skip link.
- Reflow (WCAG 1.4.10): no horizontal scrolling of the page at 320 CSS px, nor at 640 CSS px (1280 px at 200 %
  zoom). The one thing allowed to scroll sideways is a data table inside the theme's table wrapper (1.4.10
  exempts content whose meaning needs a two-dimensional layout), and only when a keyboard can reach it.
- The calculator by keyboard alone: Tab, type-ahead, Space and typing fill every visible field and give a result;
  its controls' visible labels are their names; results and errors are announced; caution severity is in words.

The service worker is blocked in these contexts: storing 15 MB for offline use would only slow the pages, and it
changes no markup or colour that is checked here. The site's Content-Security-Policy (no inline script) is
bypassed in these contexts so that axe can be injected; the site's own scripts run unchanged.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

import engine
from sitebuild.model import read_identity
from sitebuild.server import SiteServer
from tests.browser.conftest import ROOT
from tests.browser.form_cases import BOOT_TIMEOUT_MS, DESKTOP

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# A palette changes only colours (the theme's CSS variables): the dark one is checked for what colours decide.
DARK_AXE = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
            "resultTypes": ["violations"]}
# 320 CSS px is WCAG 1.4.10's width; 640 CSS px is a 1280 px wide window at 200 % zoom.
REFLOW_WIDTHS = (320, 640)
TABLETS = ({"width": 768, "height": 1024}, {"width": 1024, "height": 768})
PALETTES = {"light": "default", "dark": "slate"}  # the palette's name here -> its data-md-color-scheme
PATHWAY_ID = "b12-maintenance"
CALCULATOR = f"calculator/{PATHWAY_ID}/"
SITE_NAME = read_identity(ROOT / "mkdocs.yml").name
(PATHWAY,) = [pathway for pathway in engine.pathways() if pathway["id"] == PATHWAY_ID]
FIELDS = {spec["key"]: spec for spec in PATHWAY["inputs"]}


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site as a URL path relative to the site root ('' is the home page)."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative == "index.html":
            pages.append("")
        elif relative.endswith("/index.html"):
            pages.append(relative.removesuffix("index.html"))
        else:
            pages.append(relative)  # 404.html: what the host answers for a missing page
    return pages


def page_name(path: str) -> str:
    return path or "(home)"


# ---------------------------------------------------------------- axe

# axe.run's answer, cut to what a failure report needs.
# The run starts from a timer, so that the evaluate call returns at once and two tabs' runs overlap.
AXE_START = """options => {
  window.__axe = new Promise(resolve => setTimeout(resolve)).then(() => axe.run(document, options))
    .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})));
}"""


def start_axe(page: Page, options: dict[str, Any] | None = None) -> None:
    """Start an axe run without waiting for it (see ``axe_result``); axe is injected once per document."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    page.evaluate(AXE_START, options or {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})


def axe_result(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("() => window.__axe")


def run_axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    start_axe(page, options)
    return axe_result(page)


def report(violations: list[tuple[str, str, dict[str, Any]]]) -> str:
    """One paragraph per (page, palette, rule): the rule, its impact and help, then each element and why."""
    lines = []
    for where, palette, violation in violations:
        lines.append(f"{where} [{palette}] {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


# ---------------------------------------------------------------- palettes


def switch_palette(page: Page, palette: str) -> None:
    """Use the header's palette toggle (a label for the other palette's radio) until ``palette`` shows."""
    scheme = PALETTES[palette]
    if page.evaluate("document.body.dataset.mdColorScheme") != scheme:
        page.locator('form[data-md-component="palette"] label.md-header__button:visible').click()
        page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=scheme)


# Relative luminance of the page's background: the palette must really have changed the colours.
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number)
    .map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


def assert_palette(page: Page, palette: str, where: str) -> None:
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    assert scheme == PALETTES[palette], f"{where}: expected the {palette} palette, the page shows {scheme!r}"
    luminance = page.evaluate(BACKGROUND_LUMINANCE)
    assert (luminance > 0.8) if palette == "light" else (luminance < 0.05), (
        f"{where}: the {palette} palette has a background of luminance {luminance:.2f}"
    )


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    return browser.new_context(
        bypass_csp=True,
        service_workers="block",
        color_scheme="light",
        locale="en-US",
        **{"viewport": DESKTOP, **options},
    )


# ---------------------------------------------------------------- what each page is made of

STRUCTURE = """() => {
  const shown = e => e.checkVisibility();
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(shown)
    .map(h => [Number(h.tagName[1]), h.textContent.replace("\\u00b6", "").trim()]);
  const count = selector => [...document.querySelectorAll(selector)].filter(shown).length;
  const skip = document.querySelector("a.md-skip");
  const target = skip && decodeURIComponent(new URL(skip.href, location.href).hash.slice(1));
  return {
    lang: document.documentElement.lang,
    title: document.title,
    headings,
    main: count("main, [role=main]"),
    // header and footer are banner and contentinfo unless inside article, aside, main, nav or section
    banner: count("header:not(:is(article, aside, main, nav, section) header), [role=banner]"),
    contentinfo: count("footer:not(:is(article, aside, main, nav, section) footer), [role=contentinfo]"),
    navigation: [...document.querySelectorAll("nav, [role=navigation]")].filter(shown)
      .map(n => n.getAttribute("aria-label") || n.getAttribute("aria-labelledby") || ""),
    skipText: skip && skip.textContent.trim(),
    skipTarget: target,
    skipTargetInMain: Boolean(target && document.getElementById(target)?.closest("main")),
  };
}"""

# Everything that scrolls sideways at the current width, and the page itself.
# After two frames: the site marks a table's wrapper focusable from a ResizeObserver, whose callbacks run in
# the rendering step after the window's new size, not at once.
REFLOW = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const root = document.documentElement;
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  const scrollers = [...document.body.querySelectorAll("*")].filter(e =>
    e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && e.checkVisibility()
    && ["auto", "scroll"].includes(getComputedStyle(e).overflowX));
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    scrollers: scrollers.map(e => ({
      element: e.tagName.toLowerCase() + (e.className ? "." + [...e.classList].join(".") : ""),
      dataTable: e.matches(".md-typeset__scrollwrap") && e.querySelector("table > thead th") !== null,
      keyboard: e.tabIndex >= 0 || e.querySelector(focusable) !== null,
      width: `${e.scrollWidth} in ${e.clientWidth}`,
    })),
  };
}"""


@dataclass
class PageFacts:
    path: str
    structure: dict[str, Any] = field(default_factory=dict)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # palette -> axe violations
    reflow: dict[int, dict[str, Any]] = field(default_factory=dict)  # width -> REFLOW
    skip_link: dict[str, Any] = field(default_factory=dict)


# After the skip link, how long the page must stay as it is: the theme's instant navigation used to take the
# link's click as a navigation to this same page and render it again a moment later (well under a second
# here), dropping the focus to the top of the page. Not a timing requirement: time for something that must
# not happen to have happened, were it going to.
SKIP_SETTLE_S = 1.5
# A property of the main element (not an attribute, which a re-rendered page could carry over): whether the
# element is still the one that was there before the skip link was followed.
MARK_MAIN = "() => { document.querySelector('main').__beforeSkip = true; }"
SKIP_OUTCOME = """() => ({sameMain: document.querySelector('main')?.__beforeSkip === true,
  focusInMain: Boolean(document.activeElement?.closest('main')),
  focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : null})"""


def follow_skip_link(page: Page) -> dict[str, Any]:
    """From a fresh page: Tab (the skip link must come first and show), Enter, then Tab into the content.

    ``followed_at`` (time.monotonic) is when Enter was pressed: ``skip_link_outcome`` looks at the page again
    once ``SKIP_SETTLE_S`` have passed since then (the sweep checks axe meanwhile)."""
    page.evaluate(MARK_MAIN)
    page.keyboard.press("Tab")
    # The link fades in on focus: its transitions are finished first, so what is measured is how it ends up.
    first = page.evaluate(
        """() => { const a = document.activeElement; a.getAnimations().forEach(x => x.finish());
        const r = a.getBoundingClientRect();
        return {skip: a.matches("a.md-skip"), text: a.textContent.trim(), opaque: getComputedStyle(a).opacity !== "0",
                inView: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight}; }"""
    )
    if not first["skip"]:
        return {**first, "hash": None, "next": None}
    page.keyboard.press("Enter")
    followed_at = time.monotonic()
    page.wait_for_function("() => location.hash.length > 1")
    page.keyboard.press("Tab")
    after = page.evaluate(
        """() => ({hash: decodeURIComponent(location.hash.slice(1)),
        next: document.activeElement.closest("main") ? "main" : document.activeElement.outerHTML.slice(0, 80)})"""
    )
    return {**first, **after, "followed_at": followed_at}


def skip_link_outcome(page: Page, followed_at: float, settle: bool) -> dict[str, Any]:
    """Is the focus still in main, and main the same element (the page was not rendered again)? Looked at
    once SKIP_SETTLE_S have passed since the skip link was followed (``settle``), or at once."""
    if settle:
        page.wait_for_timeout(max(0.0, SKIP_SETTLE_S - (time.monotonic() - followed_at)) * 1000)
    return {**page.evaluate(SKIP_OUTCOME), "settled": settle}


def one_page_of_each_kind(pages: list[str]) -> set[str]:
    """The home page, the first text page, and the first generated page of each kind (calculator/,
    decision-tables/, …): a re-render after the skip link is the theme's instant navigation, one script for
    every page, so waiting SKIP_SETTLE_S on one page of each template finds it; the rest are looked at at once."""
    kinds: dict[str, str] = {}
    for path in pages:
        if path in NO_SKIP_LINK:
            continue
        kinds.setdefault(path.split("/")[0] if path.count("/") > 1 else "text", path)
    return {"", *kinds.values()}


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    return site_pages(built_site)


@pytest.fixture(scope="module")
def sweep(browser: Browser, site_server: SiteServer, pages: list[str]) -> dict[str, PageFacts]:
    """Every page once per palette, the two palettes in two tabs side by side (two renderers, two cores).

    Light: the page's structure, the skip link (keyboard, on the fresh page), axe, then reflow at each width.
    Dark: axe's colour rules.
    """
    tabs = {}
    for palette in PALETTES:
        context = new_context(browser)
        page = context.new_page()
        page.goto(site_server.url)
        switch_palette(page, palette)  # stored by the theme, so every later page opens in it
        tabs[palette] = page
    facts = {path: PageFacts(path) for path in pages}
    settle = one_page_of_each_kind(pages)
    light, dark = tabs["light"], tabs["dark"]
    try:
        for path in pages:
            where = page_name(path)
            for page in (light, dark):
                page.goto(site_server.url + path, wait_until="commit")
            for palette, page in tabs.items():
                page.wait_for_load_state()
                assert_palette(page, palette, where)
            start_axe(dark, DARK_AXE)
            structure = facts[path].structure = light.evaluate(STRUCTURE)
            if structure["skipText"] is not None:
                facts[path].skip_link = follow_skip_link(light)  # first: focus starts at the top of a fresh page
            start_axe(light)
            for palette, page in tabs.items():
                facts[path].violations[palette] = axe_result(page)
            if "followed_at" in facts[path].skip_link:  # before reflow, which changes the window
                facts[path].skip_link.update(skip_link_outcome(light, facts[path].skip_link["followed_at"],
                                                                  path in settle))
            for width in REFLOW_WIDTHS:
                light.set_viewport_size({"width": width, "height": 800})
                facts[path].reflow[width] = light.evaluate(REFLOW)
            light.set_viewport_size(DESKTOP)
    finally:
        for page in tabs.values():
            page.context.close()
    return facts


# ---------------------------------------------------------------- every page


def test_every_built_page_is_checked(pages):
    assert "" in pages and CALCULATOR in pages and "404.html" in pages, pages
    assert len(pages) >= 17, pages


@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_violations_on_any_page(sweep, palette):
    found = [(page_name(path), palette, v) for path, facts in sweep.items() for v in facts.violations[palette]]
    assert len(sweep) >= 17 and all(palette in facts.violations for facts in sweep.values())
    assert not found, "axe-core violations:\n" + report(found)


def test_every_page_has_a_language_and_its_landmarks(sweep):
    problems = []
    for path, facts in sweep.items():
        s = facts.structure
        if s["lang"] != "en":
            problems.append(f"{page_name(path)}: <html lang={s['lang']!r}>")
        for landmark in ("banner", "main", "contentinfo"):
            if s[landmark] != 1:
                problems.append(f"{page_name(path)}: {s[landmark]} {landmark} landmarks, expected one")
        if not s["navigation"] or not all(s["navigation"]):
            problems.append(f"{page_name(path)}: navigation landmarks {s['navigation']} (each needs a name)")
    assert not problems, "\n".join(problems)


def test_every_page_has_one_h1_and_no_skipped_heading_level(sweep):
    problems = []
    for path, facts in sweep.items():
        headings = facts.structure["headings"]
        levels = [level for level, _ in headings]
        if levels[:1] != [1] or levels.count(1) != 1:
            problems.append(f"{page_name(path)}: headings {headings} must start with the page's only h1")
        for (before, _), (level, text) in itertools.pairwise(headings):
            if level > before + 1:
                problems.append(f"{page_name(path)}: h{level} {text!r} follows an h{before}")
    assert not problems, "\n".join(problems)


def test_page_titles_are_unique_and_name_the_page(sweep):
    titles = {path: facts.structure["title"] for path, facts in sweep.items()}
    repeated = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    assert not repeated, {path: title for path, title in titles.items() if title in repeated}
    assert titles[""] == SITE_NAME
    problems = []
    for path, title in titles.items():
        if path == "":
            continue
        name, _, site = title.rpartition(" - ")
        h1 = next(text for level, text in sweep[path].structure["headings"] if level == 1)
        # The title names the page first (its first word is the h1's), then the site.
        if site != SITE_NAME or not name or name.split()[0].rstrip(":").lower() not in h1.lower():
            problems.append(f"{page_name(path)}: title {title!r} for the page {h1!r}")
    assert not problems, "\n".join(problems)


# The theme renders the skip link to a page's first heading from the page's table of contents; the 404 page has
# none (it is not a page of the site but what the host answers for a missing address). It consists of its h1 and
# two sentences: a screen reader reaches them through the main landmark, and its title says what it is.
NO_SKIP_LINK = ["404.html"]


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(sweep):
    problems = []
    without = [path for path, facts in sweep.items() if facts.structure["skipText"] is None]
    assert without == NO_SKIP_LINK
    assert sweep["404.html"].structure["headings"] == [[1, "Page not found"]]
    for path, facts in sweep.items():
        if path in NO_SKIP_LINK:
            continue
        s, skip = facts.structure, facts.skip_link
        if s["skipText"] != "Skip to content" or not s["skipTargetInMain"]:
            where = page_name(path)
            problems.append(f"{where}: skip link {s['skipText']!r} to {s['skipTarget']!r} (must lead into main)")
            continue
        if not (skip["skip"] and skip["opaque"] and skip["inView"]):
            problems.append(f"{page_name(path)}: the first Tab stop is not the skip link, shown: {skip}")
        elif skip["hash"] != s["skipTarget"] or skip["next"] != "main":
            problems.append(f"{page_name(path)}: after the skip link the next Tab stop is {skip['next']!r}")
        elif not skip["sameMain"]:
            problems.append(f"{page_name(path)}: the page was rendered again after the skip link was followed")
        elif not skip["focusInMain"]:
            where = page_name(path)
            problems.append(f"{where}: {SKIP_SETTLE_S} s after the skip link the focus is on {skip['focus']!r}")
    settled = {path for path, facts in sweep.items() if facts.skip_link.get("settled")}
    assert settled == one_page_of_each_kind(list(sweep)) and len(settled) >= 5, settled
    assert not problems, "\n".join(problems)


def test_text_reflows_without_horizontal_scrolling_at_320_px_and_200_percent_zoom(sweep):
    problems = []
    for path, facts in sweep.items():
        assert set(facts.reflow) == set(REFLOW_WIDTHS)
        for width, reflow in facts.reflow.items():
            where = f"{page_name(path)} at {width} px"
            if reflow["clientWidth"] != width or reflow["scrollWidth"] > reflow["clientWidth"]:
                wide, window = reflow["scrollWidth"], reflow["clientWidth"]
                problems.append(f"{where}: the page is {wide} px wide in a {window} px window")
            for scroller in reflow["scrollers"]:
                if not scroller["dataTable"]:
                    problems.append(f"{where}: {scroller['element']} scrolls sideways ({scroller['width']} px)")
                elif not scroller["keyboard"]:
                    problems.append(f"{where}: the table in {scroller['element']} scrolls but no keyboard can reach it")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the calculator

# What the keyboard test enters, field by field (every field the form shows for these answers): a cause whose
# required_when field appears, every checkbox ticked, a unit other than the default, a date typed as digits.
# A select is set by type-ahead: one key, the first letter of the option's label.
KEYBOARD_ENTRY: dict[str, Any] = {
    "age_16_or_over": True,
    "pregnant_or_breastfeeding": False,
    "loading_response": "improved",
    "neurological_symptoms": True,
    "cause": "ileal_resection",
    "ileal_resection_cm": "60",
    "current_regimen": "injections",
    "current_interval_months": "2",
    "symptoms_recur_before_next_dose": True,
    "recurrence_neurological": True,
    "last_injection_date": "2025-01-31",
    "assessment_date": "2025-02-14",
    "serum_b12": "300",
    "serum_b12_unit": "ng/L",
    "homocysteine_umol_l": "12.5",
    "folic_acid_planned": True,
}
# A radio's value is its group's answer (true, false, or null while none is chosen); option is its own value.
ACTIVE = """() => { const a = document.activeElement;
  const answer = a.type === "radio" ? a.form.elements.namedItem(a.name).value : null;
  return {name: a.name || null, id: a.id || null, tag: a.tagName.toLowerCase(), type: a.type || null,
          inForm: Boolean(a.closest("form#calculator")), option: a.type === "radio" ? a.value : null,
          value: a.type === "checkbox" ? a.checked : a.type === "radio" ? (answer ? answer === "true" : null) : a.value,
          }; }"""


def type_by_keyboard(page: Page, active: dict[str, Any], wanted: Any) -> None:
    """Set the focused control to ``wanted`` with the keys a person would press."""
    kind = FIELDS[active["name"]]["type"]
    if active["type"] == "radio":
        # A Yes/No group: Space chooses the focused radio; an arrow key moves to the other one and chooses it.
        if active["value"] != wanted:
            page.keyboard.press("Space" if active["option"] == json.dumps(wanted) else "ArrowRight")
    elif kind == "bool":
        if active["value"] != wanted:
            page.keyboard.press("Space")
    elif kind == "enum" and active["value"] != wanted:
        # Type-ahead: the first letter of the option's label selects it (each option here has its own letter).
        labels = {choice["value"]: choice["label"] for choice in FIELDS[active["name"]]["choices"]}
        initials = [label[0].lower() for label in labels.values()]
        assert initials.count(labels[wanted][0].lower()) == 1, labels
        page.keyboard.press(labels[wanted][0].lower())
    elif kind == "date":
        year, month, day = wanted.split("-")
        page.keyboard.type(month + day + year)  # en-US: the date field's segments are mm/dd/yyyy
    else:
        page.keyboard.press("Control+A")
        page.keyboard.type(wanted)


@pytest.fixture(scope="module")
def calculator(browser: Browser, site_server: SiteServer) -> Iterator[Page]:
    """The calculator page, loaded once, engine ready; the keyboard test runs first, on the fresh page."""
    context = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    yield page
    context.close()


def test_the_calculator_is_usable_by_keyboard_alone(calculator):
    page = calculator
    if not page.evaluate("document.activeElement === document.body"):
        page.reload()  # another test ran first: start again with nothing focused
        page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    # From the top of the page: the skip link (the first Tab stop), then Tab into the form; nothing but keys.
    page.evaluate(MARK_MAIN)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.md-skip')")
    page.keyboard.press("Enter")
    visited: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["id"] == "action-copy":
            break
        if not active["inForm"]:
            assert not visited, f"Tab left the form after {visited} for {active}"
            continue
        key = active["name"]
        if visited and key == visited[-1] and active["type"] == "date":
            continue  # Tab steps through a date field's month, day and year before leaving it
        assert key not in visited, f"{key} reached twice: {visited}"
        visited.append(key)
        type_by_keyboard(page, active, KEYBOARD_ENTRY[key])
        # As a reader would, wait for the answer before tabbing on: a Tab while the result is re-rendered can
        # land on a link of the old result, which the new one replaces (focus then falls to the body).
        page.wait_for_function("() => document.querySelector('#result').dataset.state !== 'pending'")
        after = page.evaluate(ACTIVE)
        assert after["name"] == key and after["value"] == KEYBOARD_ENTRY[key], after
    else:
        pytest.fail(f"Tab never reached Copy summary after the form; fields reached: {visited}")
    shown = page.locator("form#calculator [data-field]").evaluate_all(
        "fields => fields.filter(f => f.checkVisibility()).map(f => f.dataset.field)"
    )
    assert visited == shown == list(KEYBOARD_ENTRY)  # every visible field, in the order shown
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'")
    entered = json.loads(page.get_attribute("#result", "data-result"))["inputs"]
    assert entered["cause"] == "ileal_resection" and entered["serum_b12_unit"] == "ng/L"
    assert entered["last_injection_date"] == "2025-01-31" and entered["folic_acid_planned"] is True
    # The result's actions work from the keyboard too: Enter on the focused Copy summary button.
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#action-status').textContent === 'Copied'")
    assert page.evaluate(SKIP_OUTCOME)["sameMain"], "the page was rendered again after the skip link"


# Every required question answered (radio values as the form sends them), a high, a warning and an information
# caution among the answers: the last injection due before the assessment is overdue.
SOURCE_PATIENT = {"age_16_or_over": "true", "pregnant_or_breastfeeding": "false", "loading_response": "improved",
                  "neurological_symptoms": "false", "cause": "unknown", "current_regimen": "injections",
                  "current_interval_months": "3", "symptoms_recur_before_next_dose": "false", "serum_b12": "453",
                  "serum_b12_unit": "ng/L", "last_injection_date": "2025-01-31", "assessment_date": "2025-06-02"}
# Entries the engine rejects, one problem each (required_when fields among them), every question answered.
INVALID = {**SOURCE_PATIENT, "cause": "ileal_resection", "ileal_resection_cm": "0", "current_interval_months": "7",
           "serum_b12": "abc"}
REJECTED = {"ileal_resection_cm", "current_interval_months", "serum_b12"}


def show_result(page: Page, entries: dict[str, str], state: str) -> None:
    """Fill the whole form (not by keyboard: that has its own test) in the order shown, so that a field shown
    by an earlier answer (required_when) is there when its turn comes: ``entries``, every other shown field
    empty, unticked, unanswered or at its default; then wait for the answer."""
    for key, spec in FIELDS.items():
        control = page.locator(f"#field-{key}")
        if not control.is_visible():
            continue
        if control.get_attribute("type") == "radio":
            if key in entries:
                page.locator(f'form#calculator [name="{key}"][value="{entries[key]}"]').check()
            else:
                page.locator(f'form#calculator [name="{key}"]').evaluate_all(
                    "radios => radios.forEach(r => { r.checked = false; })")
        elif spec["type"] == "bool":
            control.set_checked(entries.get(key) == "true")
        elif spec["type"] == "enum":
            control.select_option(entries.get(key, spec.get("default", "")))
        else:
            control.fill(entries.get(key, ""))
    page.dispatch_event("form#calculator", "input")
    page.wait_for_function("s => document.querySelector('#result').dataset.state === s", arg=state)


# Fades the theme starts (e.g. "Back to top" when Enter moves the focus up the page to the first error), finished
# (not endless animations, such as a spinner), so that a check sees the page as it settles, not a frame of one.
FINISH_ANIMATIONS = """() => document.getAnimations()
  .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).forEach(a => a.finish())"""


def show_errors(page: Page) -> None:
    show_result(page, INVALID, "error")
    page.locator("#field-serum_b12").press("Enter")  # asks for the result: every problem shows beside its field
    # The answer asked for (the result is dimmed until it comes), then its errors.
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'error'")
    page.wait_for_function("() => document.querySelectorAll('.calculator-error:not([hidden])').length >= 3")
    page.evaluate(FINISH_ANIMATIONS)


@pytest.mark.parametrize("state", ["result", "errors"])
def test_axe_finds_no_violations_on_the_calculator(calculator, state):
    page = calculator
    if state == "result":
        show_result(page, SOURCE_PATIENT, "ok")
        assert page.locator(".calculator-caution").count() >= 3
    else:
        show_errors(page)
    found = []
    for palette in PALETTES:
        switch_palette(page, palette)
        assert_palette(page, palette, f"calculator with {state}")
        found += [(f"{CALCULATOR} with {state}", palette, v) for v in run_axe(page)]
    switch_palette(page, "light")
    assert not found, "axe-core violations:\n" + report(found)


def test_axe_finds_no_violations_with_a_yes_no_question_unanswered_and_in_error(calculator):
    page = calculator
    show_result(page, SOURCE_PATIENT, "ok")
    radios = page.locator("form#calculator input[type='radio']")
    assert radios.count() >= 2
    radios.evaluate_all("rs => rs.forEach(r => { r.checked = false; })")
    page.locator("#field-serum_b12").press("Enter")  # asks for the result: the unanswered question's error shows
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'error'")
    page.wait_for_function("() => document.querySelectorAll('input[type=radio][aria-invalid=true]').length >= 2")
    page.evaluate(FINISH_ANIMATIONS)
    found = []
    for palette in PALETTES:
        switch_palette(page, palette)
        found += [(f"{CALCULATOR} with a Yes/No question in error", palette, v) for v in run_axe(page)]
    switch_palette(page, "light")
    assert not found, "axe-core violations:\n" + report(found)


# Every visible control of the form and of the result's actions: its <label>, whether that is shown, and the
# name assistive technology computes for the control (axe's implementation of the accessible name).
CONTROL_NAMES = """() => {
  axe.setup(document);
  try {
    return [...document.querySelectorAll(
      "form#calculator :is(input, select, textarea), .calculator-actions button, #result :is(a[href], summary)")]
      .filter(c => c.checkVisibility())
      .map(c => {
        const labels = [...(c.labels || [])].filter(l => l.checkVisibility());
        return {id: c.id || c.outerHTML.slice(0, 60),
                // a field's <label>; a button's, link's or summary's own text
                label: ["INPUT", "SELECT", "TEXTAREA"].includes(c.tagName)
                  ? labels.map(l => l.textContent.trim()).join(" ") : c.textContent.trim(),
                name: axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(c)).trim()};
      });
  } finally { axe.teardown(); }
}"""


def test_every_calculator_control_has_a_visible_label_that_is_its_name(calculator):
    page = calculator
    # Every field shown: those asked only after another answer (the length resected, whether returning symptoms
    # are neurological) too.
    show_result(page, {**SOURCE_PATIENT, "cause": "ileal_resection", "ileal_resection_cm": "60",
                       "symptoms_recur_before_next_dose": "true", "recurrence_neurological": "false"}, "ok")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    controls = page.evaluate(CONTROL_NAMES)
    assert {c["id"] for c in controls} >= {f"field-{key}" for key in FIELDS} | {"action-copy", "action-ics"}
    # WCAG 2.5.3 (label in name): the words a sighted user sees are the start of the name spoken.
    problems = [c for c in controls if not c["label"] or not c["name"].startswith(c["label"])]
    assert not problems, problems


def test_results_and_errors_are_announced(calculator):
    page = calculator
    live = page.evaluate(
        """() => Object.fromEntries(["result", "form-errors", "engine-status", "action-status"].map(id => {
          const e = document.getElementById(id);
          return [id, {role: e.getAttribute("role"), live: e.getAttribute("aria-live")}]; }))"""
    )
    assert live["result"]["live"] == "polite"  # the result (or what still needs entering) is read when it changes
    assert live["form-errors"]["role"] == "alert"  # problems without a field of their own, read at once
    assert live["engine-status"]["role"] == live["action-status"]["role"] == "status"  # loading, Copied
    show_errors(page)
    errors = page.evaluate(
        """() => [...document.querySelectorAll("form#calculator [aria-invalid=true]")].map(c => ({
          key: c.name, describedBy: c.getAttribute("aria-describedby").split(" "),
          error: document.getElementById("error-" + c.name).checkVisibility()
            && document.getElementById("error-" + c.name).textContent.trim()}))"""
    )
    assert {e["key"] for e in errors} == REJECTED, errors
    spoken = page.inner_text("#result")
    for error in errors:
        assert error["error"] and f"error-{error['key']}" in error["describedBy"], error
        assert error["error"] in spoken, f"{error['error']!r} is not in the live result region: {spoken!r}"


def test_caution_severity_is_told_by_words_and_icons_not_colour_alone(calculator):
    page = calculator
    show_result(page, SOURCE_PATIENT, "ok")
    cautions = page.locator(".calculator-caution").evaluate_all(
        """items => items.map(li => ({
          severity: [...li.classList].find(c => c.startsWith("calculator-caution--")).slice(20),
          word: li.querySelector(".calculator-caution__word")?.textContent,
          icon: li.querySelector(".calculator-caution__icon")?.textContent,
          iconHidden: li.querySelector(".calculator-caution__icon")?.getAttribute("aria-hidden"),
          evidence: li.querySelector(".evidence-status")?.textContent.trim()}))"""
    )
    words = {"high": "High:", "warning": "Warning:", "info": "Information:"}
    assert {c["severity"] for c in cautions} == set(words), cautions
    for caution in cautions:
        assert caution["word"] == words[caution["severity"]], caution  # the severity in words, first
        assert caution["icon"] and caution["iconHidden"] == "true", caution  # and a shape, not only a colour
        assert caution["evidence"], caution  # the evidence check as a word too


def test_the_skip_link_keeps_the_calculator_and_what_is_typed(browser, site_server):
    """Follow the skip link, type at once, and the form (and what was typed) is still there a moment later."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(site_server.url + CALCULATOR)  # the engine need not be ready: this is about the form
        page.evaluate(MARK_MAIN)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('a.md-skip')")
        page.keyboard.press("Enter")
        followed_at = time.monotonic()
        page.locator("#field-serum_b12").press_sequentially("453")
        outcome = skip_link_outcome(page, followed_at, settle=True)
        assert outcome["sameMain"], "the page was rendered again after the skip link (the form was mounted afresh)"
        assert page.input_value("#field-serum_b12") == "453", "what was typed after the skip link is gone"
        assert outcome["focus"].startswith('<input type="text" id="field-serum_b12"'), outcome
        assert page.evaluate("location.hash") == "#calculator-page"
    finally:
        context.close()


# ---------------------------------------------------------------- touch targets

# Every visible control on the page and its size, or why it is exempt (WCAG 2.5.5 at 44 x 44 CSS px, with the
# exceptions of 2.5.5 and 2.5.8):
# - hidden: not rendered, zero size, transparent (the theme's skip link until it is focused, Back to top until
#   one scrolls up) or pointer-events: none (a disabled action): nothing to tap.
# - inline: a link in running text (a p, li, td or dd with more text than the link): its size is set by the
#   line height of the sentence (2.5.5 and 2.5.8's "inline" exception). Not in a nav: menu items are not text.
# - label: a control whose <label> together with it makes a box of at least 44 x 44, e.g. a checkbox with its
#   44 px high label right beside it, or a label above its 44 px high field: tapping either works the control,
#   so the two are one target.
TARGETS = """() => {
  const MIN = 44;
  const interactive = "a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], "
    + "[role=button], [tabindex='0']";
  const round = x => Math.round(x * 10) / 10;
  const describe = e => {
    const classes = [...e.classList].slice(0, 3).map(c => "." + c).join("");
    const text = (e.textContent.trim() ? e.textContent : e.getAttribute("aria-label") || e.placeholder || "")
      .replace(/\\s+/g, " ").trim().slice(0, 40);
    return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes + (text ? ` "${text}"` : "");
  };
  const box = elements => {
    const rects = elements.map(e => e.getBoundingClientRect());
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    return {width: round(right - left), height: round(bottom - top)};
  };
  const big = size => size.width >= MIN && size.height >= MIN;
  const exemption = e => {
    const rect = e.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || getComputedStyle(e).pointerEvents === "none"
        || !e.checkVisibility({opacityProperty: true, visibilityProperty: true})) return "hidden";
    if (e.matches("a") && getComputedStyle(e).display === "inline" && !e.closest("nav")) {
      const block = e.parentElement.closest("p, li, td, dd");
      if (block && block.textContent.trim().length > e.textContent.trim().length) return "inline";
    }
    const partners = e.matches("label") ? [e.control].filter(Boolean) : [...(e.labels || [])];
    const shown = partners.filter(x => x.checkVisibility());
    if (shown.length && !big(box([e])) && big(box([e, ...shown]))) return "label";
    return null;
  };
  return [...document.querySelectorAll(interactive)].map(e => ({
    element: describe(e), ...box([e]), exempt: exemption(e)}));
}"""

# The pages measured: the home page, a guideline text page (one of its headings the address's #target, which
# shows the heading's permalink), the hazard log (its tables) and the calculator.
TOUCH_PAGES = ["", "maintenance/#dose", "hazard-log/"]


def measure_targets(page: Page) -> list[dict[str, Any]]:
    """Every control, with the skip link focused (as when it is used), its fade-in finished, and every other fade
    too: after a change of the window's width the theme fades out what the new width hides (the search field
    at tablet widths), which would be measured if the page were quick enough to get there first."""
    page.locator("a.md-skip").focus()
    page.evaluate(FINISH_ANIMATIONS)
    measured = page.evaluate(TARGETS)
    page.evaluate("document.activeElement.blur()")
    return measured


def reveal_back_to_top(page: Page) -> None:
    """The theme shows "Back to top" when one scrolls up, some way down a page."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => scrollY + innerHeight >= document.documentElement.scrollHeight - 1")
    page.mouse.wheel(0, -100)
    page.wait_for_selector(".md-top:not([hidden])")
    page.evaluate("document.querySelector('.md-top').getAnimations().forEach(a => a.finish())")


@pytest.mark.parametrize("viewport", TABLETS, ids=lambda viewport: f"{viewport['width']}px")
def test_touch_targets_are_at_least_44_px_at_tablet_widths(browser, site_server, calculator, viewport):
    measured: dict[str, list[dict[str, Any]]] = {}
    context = new_context(browser, viewport=viewport)
    try:
        page = context.new_page()
        for path in TOUCH_PAGES:
            page.goto(site_server.url + path)
            measured[page_name(path)] = measure_targets(page)
            if path.startswith("maintenance/"):
                reveal_back_to_top(page)
                measured[page_name(path) + " (scrolled up)"] = page.evaluate(TARGETS)
    finally:
        context.close()
    page = calculator  # the engine is ready there: the calculator with a result
    # The shared page may have the search overlay open from an earlier test (a letter typed outside a text field
    # is the theme's search shortcut): measure the page as a reader sees it, with the search closed.
    page.evaluate("() => { const toggle = document.getElementById('__search'); if (toggle?.checked) toggle.click(); }")
    page.set_viewport_size(viewport)
    try:
        show_result(page, SOURCE_PATIENT, "ok")
        measured[f"{CALCULATOR} with a result"] = measure_targets(page)
    finally:
        page.set_viewport_size(DESKTOP)

    def seen(start: str, text: str = "") -> list[dict[str, Any]]:
        """Measured (not exempt) elements whose description starts with ``start`` and has ``text``."""
        return [m for ms in measured.values() for m in ms
                if m["element"].startswith(start) and text in m["element"] and m["exempt"] is None]

    # What must have been measured, not passed over as hidden: else a broken measurement would pass.
    assert len(seen("a.md-skip", '"Skip to content"')) == len(TOUCH_PAGES) + 1
    assert seen("button.md-top", '"Back to top"') and seen("a.md-nav__link") and seen("input#field-")
    assert seen("label.md-header__button") and seen("a.headerlink")
    if viewport["width"] >= 960:  # the header's search field and the table of contents beside the page
        assert seen("input.md-search__input") and seen("label.md-nav__title", '"Table of contents"')
    assert any(m["element"].startswith("input#field-") and m["exempt"] == "label" for m in measured[
        f"{CALCULATOR} with a result"]), "the calculator's checkboxes were not measured with their labels"
    offenders = sorted({
        f"{where}: {m['element']} is {m['width']} x {m['height']} px"
        for where, ms in measured.items() for m in ms
        if m["exempt"] is None and (m["width"] < 44 or m["height"] < 44)
    })
    assert not offenders, f"touch targets under 44 x 44 CSS px at {viewport['width']} px:\n" + "\n".join(offenders)
