"""A boot that stalls (a network that neither answers nor fails) is not left on "Loading…" for ever.

The runtime's wasm is held by the test: its request is never answered, as on a ward network that drops
packets. Playwright's clock moves the page's timers past the patience in calculator.js (BOOT_PATIENCE_MS)
without waiting for it; then the page must offer Retry, and Retry must start an engine that works.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Route

from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, cpython_json, evaluate_form

ROOT = Path(__file__).resolve().parents[2]
CALCULATOR_JS = ROOT / "site_templates" / "assets" / "calculator.js"
WASM = "**/pyodide/pyodide.asm.wasm"


def boot_patience_ms() -> int:
    match = re.search(r"const BOOT_PATIENCE_MS = (\d+);", CALCULATOR_JS.read_text(encoding="utf-8"))
    assert match, "calculator.js no longer names BOOT_PATIENCE_MS"
    return int(match.group(1))


def test_a_stalled_boot_offers_retry_after_the_patience_and_retry_starts_a_working_engine(
    new_page_log, built_site, serve
):
    server = serve(built_site)
    log = new_page_log(service_workers="block")
    page = log.page
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # never answered: the boot stalls, and nothing fails

    log.context.route(WASM, hold)
    page.clock.install()
    page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'loading'")
    # On a first visit the worker asks for the runtime once the page has loaded and has its answer table
    # (engine-client.js): wait for that request, which no timer of the page's installed clock holds back.
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the runtime's wasm was never asked for"

    patience = boot_patience_ms()
    page.clock.run_for(patience - 1000)
    assert page.locator("#engine-retry").count() == 0, "Retry offered before the patience ran out"
    page.clock.run_for(2000)
    status = page.locator("#engine-status")
    assert "longer than usual" in status.inner_text()
    assert page.evaluate("() => document.documentElement.dataset.engine") == "loading"  # still trying
    assert page.get_attribute("#result", "data-result") is None

    # The network comes back; the user presses Retry (by keyboard: it is a real button).
    log.context.unroute(WASM, hold)
    page.clock.resume()
    page.focus("#engine-retry")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    assert "longer than usual" not in status.inner_text()
    sent, shown = evaluate_form(page, SOURCE_PATIENT)
    assert json.loads(shown)["ok"] is True
    assert shown == cpython_json(sent)
    assert log.page_errors == []
