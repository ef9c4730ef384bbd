"""The core scenarios in every browser engine: Chromium (Playwright), Firefox ESR (puppeteer-core over
WebDriver BiDi) and WebKit (WebKitGTK's MiniBrowser through Selenium), as clinicians' desktops and iPads run
them. Each scenario is written once against tests/browser/drivers.py's Driver and runs in each engine; the
calculator form is filled by calculator_page.py, the same helper the Chromium-only tests use.

- the calculator reaches ready and every shared case entered through the form gives CPython's exact JSON;
- the theme's keyboard shortcuts keep out of form controls, and still work outside them;
- after one visit, with the server stopped: every page, the search and the calculator (Firefox, WebKit;
  Chromium's is test_offline.py's);
- the update flow from one build to the next (Firefox, WebKit; Chromium's is test_offline.py's);
- in each: no request to another origin and no error (what each engine can observe: drivers.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import engine
from sitebuild.server import SiteServer
from tests.browser.calculator_page import evaluate_form, wait_for_engine
from tests.browser.drivers import ENGINES, BaseDriver
from tests.browser.form_cases import PATHWAY_ID, SHARED, SHARED_BY_PATHWAY, cpython_json
from tests.browser.offline_site import (
    OFFLINE_CASES,
    SEARCH_TERM,
    built_title,
    meta_build_id,
    page_urls,
    precache_manifest,
)

CALCULATOR = f"calculator/{PATHWAY_ID}/"
# Chromium's offline and update scenarios are test_offline.py's (which also check the sub-path, the wasm's
# type and the decision table before and after); here they run in the two other engines.
OTHER_ENGINES = ("firefox", "webkit")
STORE_TIMEOUT_S = 180  # the first visit stores ~15 MB; WebKitGTK on a busy 2-core machine is the slowest

STATUS = """() => {
  const status = document.querySelector("#offline-status");
  return status ? { state: status.dataset.state, text: status.textContent, persisted: status.dataset.persisted ?? null }
                : null;
}"""
STATUS_IS = """(state) => document.querySelector("#offline-status")?.dataset.state === state"""
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
CACHED = """async () => {
  const result = {};
  for (const name of await caches.keys()) {
    result[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
  }
  return result;
}"""
BUILD_ID = """() => document.querySelector('meta[name="guideline-build-id"]')?.content ?? null"""
PAGE = """() => ({ title: document.title, h1: document.querySelector("h1")?.textContent ?? null,
                 controlled: navigator.serviceWorker.controller !== null })"""
PROMPT_SHOWN = """() => {
  const prompt = document.querySelector("#update-prompt");
  return Boolean(prompt) && !prompt.hidden;
}"""


def no_problems(driver: BaseDriver, server: SiteServer) -> None:
    assert driver.errors() == [], driver.engine
    assert driver.foreign_requests(server.origin) == [], driver.engine


def cached_files(driver: BaseDriver, base_url: str) -> dict[str, set[str]]:
    """Each cache's entries as URLs relative to the site root; a folder URL counts as its index.html."""
    caches = {}
    for name, urls in driver.evaluate(CACHED).items():
        files = set()
        for url in urls:
            relative = url.removeprefix(base_url).split("?")[0]
            files.add(relative + "index.html" if relative == "" or relative.endswith("/") else relative)
        caches[name] = files
    return caches


def wait_until_stored(driver: BaseDriver, server: SiteServer, site: Path) -> str:
    """Wait for "Available offline", check that it is true, wait for the worker to control the page."""
    driver.wait_for(STATUS_IS, "ready", timeout=STORE_TIMEOUT_S, what="#offline-status ready")
    build_id = driver.evaluate(BUILD_ID)
    stored = cached_files(driver, server.url).get(f"guideline-{build_id}", set())
    missing = set(precache_manifest(site)["files"]) - stored
    assert not missing, f"[{driver.engine}] 'Available offline' while {len(missing)} are missing: {sorted(missing)[:3]}"
    assert "Available offline" in driver.evaluate(STATUS)["text"]
    driver.wait_for(CONTROLLED, timeout=30, what="the service worker to control the page")
    return build_id


# ---------------------------------------------------------------- the calculator, one page per engine


@pytest.fixture(scope="module", params=ENGINES)
def calculator_in(
    request: pytest.FixtureRequest, drivers: Any, built_site: Path
) -> Iterator[tuple[BaseDriver, SiteServer]]:
    """The calculator page in one engine, loaded once per engine for this module, with the engine ready."""
    with SiteServer(built_site) as server:
        driver = drivers.open(request.param)
        try:
            driver.goto(server.url + CALCULATOR)
            wait_for_engine(driver)
            yield driver, server
        finally:
            driver.close()


def test_the_calculator_is_ready_and_every_shared_case_gives_cpythons_exact_json(calculator_in):
    driver, server = calculator_in
    for case in SHARED:
        sent, shown = evaluate_form(driver, case.input)
        assert shown == cpython_json(sent), (driver.engine, case.id)
    # Every other pathway's calculator, its own shared cases (the engine worker stays across the pages).
    for pathway_id, cases in SHARED_BY_PATHWAY.items():
        if pathway_id == PATHWAY_ID:
            continue
        assert cases, pathway_id
        driver.goto(server.url + f"calculator/{pathway_id}/")
        wait_for_engine(driver)
        for case in cases:
            sent, shown = evaluate_form(driver, case.input)
            assert shown == engine.evaluate_json(pathway_id, json.dumps(sent)), (driver.engine, case.id)
    driver.goto(server.url + CALCULATOR)  # as the module's other tests expect it
    wait_for_engine(driver)
    # A returning visit in this engine restores the snapshot its first start saved (engine-worker.js), or says why
    # not; its start-up time is shown with -s (a figure, never asserted: timings belong to make bench).
    start = driver.evaluate(START)
    print(f"{driver.engine}: {start}")
    assert start["start"] in ("snapshot", "fresh") and start["selfTest"] == "passed", start
    no_problems(driver, server)


# Only this cache of the service worker's (the engine's snapshot is in "engine-snapshots", its own worker's).
ONLY_CACHE = """async (name) => JSON.stringify((await caches.keys()).filter((cache) => cache !== "engine-snapshots"))
  === JSON.stringify([name])"""
START = """() => { const s = document.querySelector('#engine-status');
  return {start: s.dataset.start, bootMs: Number(s.dataset.bootMs), selfTest: s.dataset.selfTest,
          text: s.querySelector('.calculator-status__start')?.textContent}; }"""
SEARCH_OPEN = """() => document.querySelector("#__search")?.checked === true
  || document.activeElement === document.querySelector("input.md-search__input")"""
FOCUS = """(selector) => {
  const element = document.querySelector(selector);
  element.focus();
  return document.activeElement === element;
}"""
# A Yes/No radio group as the form will render booleans without a default; outside the form, so the
# calculator does not take it for one of its inputs.
ADD_RADIO = """() => {
  if (!document.querySelector("#keyboard-test-yes")) {
    const group = document.createElement("fieldset");
    group.innerHTML = '<legend>Test</legend><label><input type="radio" id="keyboard-test-yes" name="keyboard-test" '
      + 'value="true"> Yes</label><label><input type="radio" name="keyboard-test" value="false"> No</label>';
    document.querySelector("article").append(group);
  }
}"""
STATE = """() => ({
  url: location.href,
  search: document.querySelector("#__search")?.checked === true,
  focused: (document.activeElement && (document.activeElement.id || document.activeElement.name)) ?? null,
})"""
LEAVE_CONTROLS = """() => {
  document.activeElement.blur();
  document.querySelector("#keyboard-test-yes").closest("fieldset").remove();
}"""
SEARCH_FOCUSED = """() => document.activeElement === document.querySelector("input.md-search__input")"""
SEARCH_CLOSED = """() => document.querySelector("#__search")?.checked !== true"""


def test_the_themes_shortcut_keys_do_nothing_in_form_controls_and_work_outside_them(calculator_in):
    driver, server = calculator_in
    driver.evaluate(ADD_RADIO)
    controls = {"#field-cause": "select", "#field-serum_b12": "text field", "#field-last_injection_date": "date field",
                "#field-folic_acid_planned": "checkbox", "#field-neurological_symptoms": "radio button",
                "#keyboard-test-yes": "radio button"}
    for selector, kind in controls.items():
        for key in ("s", "/", "f", "n", "p"):
            assert driver.evaluate(FOCUS, selector), (driver.engine, selector)
            before = driver.evaluate(STATE)
            driver.press(key)
            after = driver.evaluate(STATE)
            assert not after["search"], f"[{driver.engine}] {key!r} in a {kind} opened the search"
            assert after["url"] == before["url"], f"[{driver.engine}] {key!r} in a {kind} left the page"
            assert after["focused"] == before["focused"], f"[{driver.engine}] {key!r} in a {kind} moved the focus"
    # The keys reached the controls: the text field holds what was typed.
    assert driver.evaluate("() => document.querySelector('#field-serum_b12').value").endswith("s/fnp")

    # Outside a form control the shortcuts are the theme's: s opens the search, Escape closes it, n goes on.
    driver.evaluate(LEAVE_CONTROLS)
    driver.press("s")
    driver.wait_for(SEARCH_OPEN, timeout=10, what="s to open the search")
    # The theme opens the search, then focuses its field a moment later, and that focus opens it again (an
    # Escape between the two left it open once in Chromium): Escape, as a reader would, once the field has it.
    # (In Firefox the field takes the focus with the search's toggle left unchecked.)
    driver.wait_for(SEARCH_FOCUSED, timeout=10, what="the search field to have the focus")
    # Under load that second opening can still come after the Escape (once in a full run, in Chromium): a reader
    # would press Escape again, and so does this, at most three times; the shortcuts under test come after.
    for attempt in range(3):
        driver.press("Escape")
        driver.evaluate("() => document.activeElement.blur()")
        try:
            driver.wait_for(SEARCH_CLOSED, timeout=5, what="the search to close")
            break
        except AssertionError:
            if attempt == 2:
                raise
    start = driver.url()
    driver.press("n")
    driver.wait_for("(start) => location.href !== start", start, timeout=30, what="n to go to the next page")
    no_problems(driver, server)


# ---------------------------------------------------------------- offline after one visit


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_after_one_visit_every_page_search_and_the_calculator_work_with_the_server_stopped(
    engine: str, open_driver: Callable[[str], BaseDriver], serve: Callable[..., SiteServer], built_site: Path
):
    server = serve(built_site)
    driver = open_driver(engine)
    driver.goto(server.url)
    wait_until_stored(driver, server, built_site)
    # The browser's answer to navigator.storage.persist() is shown, and it is the browser's.
    persisted = driver.wait_for("() => ['granted', 'denied', 'unsupported'].includes("
                                "document.querySelector('#offline-status').dataset.persisted) && "
                                "document.querySelector('#offline-status').dataset.persisted",
                                timeout=30, what="the answer to navigator.storage.persist()")
    actual = driver.evaluate("async () => navigator.storage && navigator.storage.persisted ? "
                             "((await navigator.storage.persisted()) ? 'granted' : 'denied') : 'unsupported'")
    assert persisted == actual, (engine, persisted, actual)

    server.stop()
    seen_by_server = len(server.requests)
    driver.reload()
    driver.wait_for(STATUS_IS, "ready", timeout=30, what="#offline-status ready offline")
    pages = page_urls(built_site)
    pages.remove(CALCULATOR)
    for url in [*pages, CALCULATOR]:  # the calculator last: its engine is left to finish booting
        driver.goto(server.url + url)
        shown = driver.evaluate(PAGE)
        assert shown["title"] == built_title(built_site, url), (engine, url)
        assert shown["controlled"], (engine, url)
    wait_for_engine(driver)
    cases = {case.id: case for case in SHARED}
    for case_id in OFFLINE_CASES:
        sent, shown = evaluate_form(driver, cases[case_id].input)
        assert shown == cpython_json(sent), (engine, case_id)

    driver.click("input.md-search__input")
    driver.type(SEARCH_TERM)
    results = driver.wait_for("() => { const items = [...document.querySelectorAll('.md-search-result__item')];"
                              " return items.length ? items.map((item) => item.innerText) : false; }",
                              timeout=30, what="search results offline")
    assert any(SEARCH_TERM in text.lower() for text in results), (engine, results)
    no_problems(driver, server)
    assert len(server.requests) == seen_by_server  # nothing reached the (stopped) server


# ---------------------------------------------------------------- a new build: prompt, reload, only B


def replace_site(site: Path, build: Path) -> None:
    """Deploy ``build`` into the served folder ``site``, as a host's deploy would."""
    shutil.rmtree(site)
    shutil.copytree(build, site)


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_a_new_build_waits_for_the_reload_prompt_then_replaces_the_old_one(
    engine: str, open_driver: Callable[[str], BaseDriver], serve: Callable[..., SiteServer], built_site: Path,
    later_builds: dict[str, Any], tmp_path: Path
):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server = serve(site)
    driver = open_driver(engine)
    driver.goto(server.url)
    build_a = wait_until_stored(driver, server, site)
    build_b = meta_build_id(later_builds["b"])
    assert build_b != build_a

    replace_site(site, later_builds["b"])
    driver.reload()  # the browser checks sw.js on navigation: B installs in the background
    driver.wait_for(PROMPT_SHOWN, timeout=STORE_TIMEOUT_S, what="the update prompt")
    assert driver.evaluate(BUILD_ID) == build_a  # A until the user accepts
    driver.click("#update-reload")
    driver.wait_for("(id) => document.querySelector('meta[name=\"guideline-build-id\"]')?.content === id", build_b,
                    timeout=60, what="the page of build B")
    # The service worker's caches (the engine's snapshot is in "engine-snapshots", its own worker's).
    driver.wait_for(ONLY_CACHE, f"guideline-{build_b}", timeout=30, what="only B's cache")
    driver.wait_for(STATUS_IS, "ready", timeout=STORE_TIMEOUT_S, what="#offline-status ready on B")
    assert not driver.evaluate(PROMPT_SHOWN)

    # B everywhere, with the server gone.
    server.stop()
    driver.goto(server.url + f"decision-tables/{PATHWAY_ID}/")
    text = driver.evaluate("() => document.querySelector('article').innerText")
    assert later_builds["text_b"] in text and later_builds["text_a"] not in text, engine
    assert driver.evaluate(BUILD_ID) == build_b
    no_problems(driver, server)
