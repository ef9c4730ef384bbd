"""The calculator's layout in Chromium: the answer beside the question on wide screens, one column below.

From 1200 px wide the result stands beside the form and stays in view (sticky, scrolling within itself) while
the reader scrolls to any field, the last one included; below 1200 px (tablets in either orientation) the result
follows the form in one column; print keeps its own layout; nothing scrolls sideways at 320 px.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from sitebuild.server import SiteServer
from tests.browser.form_cases import BOOT_TIMEOUT_MS, DESKTOP, PATHWAY_ID, SOURCE_PATIENT, enter

CALCULATOR = f"calculator/{PATHWAY_ID}/"

# Where the form, its last shown field and the result column are in the window.
BOXES = """() => {
  const box = element => {
    const r = element.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  };
  const fields = [...document.querySelectorAll('form#calculator .calculator-fields > [data-field]')];
  return {form: box(document.querySelector('form#calculator')),
          output: box(document.querySelector('.calculator-output')),
          last: box(fields.filter(field => !field.hidden).at(-1)), innerHeight, innerWidth,
          scrollWidth: document.documentElement.scrollWidth};
}"""
LAST_FIELD = """() => [...document.querySelectorAll('form#calculator .calculator-fields > [data-field]')]
  .filter(field => !field.hidden).at(-1).scrollIntoView({block: 'nearest'})"""


@pytest.fixture(scope="module")
def page(browser: Browser, site_server: SiteServer) -> Iterator[Page]:
    """The calculator with the source patient's result (a long one: cautions, schedule, the rules behind it)."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    page = context.new_page()
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    enter(page, SOURCE_PATIENT)
    page.dispatch_event("form#calculator", "input")
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'")
    yield page
    context.close()


def boxes(page: Page) -> dict:
    return page.evaluate(BOXES)


def beside(b: dict) -> bool:
    """The result column is right of the form, and the two share some height."""
    return b["output"]["left"] >= b["form"]["right"] and b["output"]["top"] < b["form"]["bottom"] and (
        b["form"]["top"] < b["output"]["bottom"])


def in_view(box: dict, b: dict) -> bool:
    # Within a pixel: boxes fall on fractions of one.
    return box["top"] >= -1 and box["bottom"] <= b["innerHeight"] + 1 and box["right"] <= b["innerWidth"] + 1


@pytest.mark.parametrize("width", [1280, 1200])
def test_on_wide_screens_the_result_stays_in_view_beside_the_form(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    try:
        # The result is long: it scrolls within its own column rather than out of the window.
        assert page.locator(".calculator-output").evaluate("e => e.scrollHeight > e.clientHeight")
        page.evaluate("window.scrollTo(0, 0)")
        assert beside(boxes(page))  # (at the top of the page the intro above the calculator pushes it down)
        # Scrolled (as far as it takes) to the last field: it and the whole result column are in view together.
        page.evaluate(LAST_FIELD)
        b = boxes(page)
        assert beside(b) and in_view(b["last"], b) and in_view(b["output"], b), b
        # And on to the end of the page.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        b = boxes(page)
        assert beside(b) and in_view(b["output"], b), b
        assert b["scrollWidth"] <= b["innerWidth"], b
    finally:
        page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("viewport", [(1024, 768), (768, 1024), (1199, 900)],
                         ids=["tablet-landscape", "tablet-portrait", "just-narrower"])
def test_below_1200_px_the_result_follows_the_form_in_one_column(page, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    try:
        b = boxes(page)
        assert b["output"]["top"] >= b["form"]["bottom"], b
        assert abs(b["output"]["left"] - b["form"]["left"]) < 1, b
        assert page.locator(".calculator-output").evaluate("e => getComputedStyle(e).position") == "static"
        assert b["scrollWidth"] <= b["innerWidth"], b
    finally:
        page.set_viewport_size(DESKTOP)


def test_at_320_px_nothing_scrolls_sideways_with_a_result(page):
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.locator(".calculator-why").evaluate("details => { details.open = true; }")
        b = boxes(page)
        assert b["scrollWidth"] <= b["innerWidth"], b
    finally:
        page.locator(".calculator-why").evaluate("details => { details.open = false; }")
        page.set_viewport_size(DESKTOP)


def test_print_keeps_its_layout_on_a_wide_screen(page):
    page.emulate_media(media="print")
    try:
        output = page.locator(".calculator-output")
        style = output.evaluate("e => ['position', 'overflowY', 'maxHeight'].map(name => getComputedStyle(e)[name])")
        assert style == ["static", "visible", "none"]
        assert page.locator("form#calculator").is_hidden()
        assert page.locator(".calculator-regimen__summary").is_visible()
    finally:
        page.emulate_media(media="screen")
