"""The calculator when its engine fails: a worker that dies, throws or cannot boot.

Each fault is a real failure path, not a flag in the page:

- a worker that dies while idle: the page terminates it through engine-client.js's own module (the same
  instance the calculator uses), which sends no event, as when the browser kills a worker for memory;
  only the client's heartbeat can notice;
- a worker that throws while evaluating, or closes itself mid-request (no answer, ever): engine-worker.js
  is served with a fault appended that replaces its evaluate() for inputs carrying a marker;
- a boot that fails: the runtime's wasm is aborted by the network.

After each the page must say so, show no result that could be taken as current (copy, print and the
calendar disabled), offer Retry, and Retry must start a new engine that computes the current inputs.
Nothing here waits for a fixed time: each step waits for the state the page announces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from sitebuild.server import SiteServer
from tests.browser.calculator_page import ENGINE_SETTLED
from tests.browser.conftest import PageLog, record
from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, cpython_json, enter

CALCULATOR = f"calculator/{PATHWAY_ID}/"
# Long enough for two missed heartbeats (engine-client.js) on a slow machine; the wait ends as soon as the
# page reports the failure.
DETECT_TIMEOUT_MS = 30_000
SETTLED = "() => ['ok', 'error'].includes(document.querySelector('#result').dataset.state)"

# Appended to engine-worker.js: evaluate() is a module-level function binding, so this replaces it.
WORKER_FAULT = """
;{
  const realEvaluate = evaluate;
  evaluate = (message) => {
    const text = String(message.input_json);
    if (text.includes("FAULT-THROW")) throw new Error("injected fault: evaluate threw");
    if (text.includes("FAULT-DIE")) { self.close(); return; }  // no answer, no error event: gone
    realEvaluate(message);
  };
}
"""

# The calculator's own engine client (one module instance per document), for killing its worker.
KILL_WORKER = """async () => {
  const url = new URL('../../assets/calculator/engine-client.js', location.href).href;
  const { engine } = await import(url);
  engine().worker.terminate();
}"""


def faulty_worker(route: Route) -> None:
    original = route.fetch()
    route.fulfill(response=original, body=original.text() + WORKER_FAULT)


def open_calculator(log: PageLog, server: SiteServer) -> PageLog:
    watch_engine_states(log.page)
    log.page.goto(server.url + CALCULATOR)
    log.page.wait_for_function(ENGINE_SETTLED, timeout=BOOT_TIMEOUT_MS)
    return log


@pytest.fixture(scope="module")
def faulty(browser: Browser, site_server: SiteServer) -> Iterator[PageLog]:
    """One calculator page for the mid-session faults (each Pyodide boot costs seconds), in test order.

    engine-worker.js carries WORKER_FAULT, which only acts on inputs with a marker; no service worker, so the
    route sees the worker script every time a worker starts.
    """
    context = browser.new_context(service_workers="block")
    context.route("**/assets/calculator/engine-worker.js", faulty_worker)
    log = open_calculator(record(context), site_server)
    assert engine_state(log.page) == "ready", log.page.inner_text("#engine-status")
    yield log
    context.close()


def watch_engine_states(page: Page) -> None:
    """Record every value <html data-engine> takes, in order, in window.engineStates."""
    page.add_init_script("""
      window.engineStates = [];
      // One callback may carry several changes (a boot that fails at once): each record's old value is the
      // value the change before it set.
      new MutationObserver((records) => {
        const states = [...records.slice(1).map((r) => r.oldValue),
                        document.documentElement.getAttribute('data-engine')];
        for (const state of states) if (window.engineStates.at(-1) !== state) window.engineStates.push(state);
      }).observe(document, { attributes: true, attributeOldValue: true, subtree: true,
                             attributeFilter: ['data-engine'] });
    """)


def engine_state(page: Page) -> str | None:
    return page.evaluate("() => document.documentElement.dataset.engine ?? null")


def settle(page: Page) -> dict:
    page.wait_for_function(SETTLED)
    return json.loads(page.get_attribute("#result", "data-result") or "null")


def assert_failed_without_a_current_result(page: Page, says: str) -> None:
    assert engine_state(page) == "failed"
    status = page.locator("#engine-status")
    assert status.get_attribute("data-state") == "failed"
    assert says in status.inner_text()
    assert page.locator("#engine-retry").is_visible()
    assert page.locator("#engine-retry").inner_text() == "Retry"
    result = page.locator("#result")
    assert result.get_attribute("data-state") == "error"
    assert result.get_attribute("data-result") is None
    assert "No result" in result.inner_text()
    # Nothing of an earlier result is left to be mistaken for the answer to the inputs on screen.
    for part in (".calculator-regimen", ".calculator-cautions", ".calculator-computed", ".calculator-schedule"):
        assert result.locator(part).count() == 0, part
    for button in ("#action-copy", "#action-print", "#action-ics"):
        assert page.locator(button).is_disabled(), button
    assert page.locator(".calculator-error:not([hidden])").count() == 0


def assert_failed_with_the_provisional_answer_only(page: Page, says: str) -> None:
    """The engine stopped with a result on screen: the result is withdrawn, and the answer table's answer to the
    same inputs (computed at build time) stands in its place, labelled provisional, without what needs the
    engine (schedule, findings, Why, Computed from, the calendar)."""
    assert engine_state(page) == "failed"
    status = page.locator("#engine-status")
    assert status.get_attribute("data-state") == "failed" and says in status.inner_text()
    assert page.locator("#engine-retry").is_visible()
    result = page.locator("#result")
    assert result.get_attribute("data-state") == "provisional"
    assert result.get_attribute("data-result") is None
    assert "engine is not running here" in result.locator(".calculator-result__provisional").inner_text()
    assert result.locator(".calculator-regimen__summary").count() == 1
    for part in (".calculator-computed", ".calculator-schedule", ".calculator-why", ".calculator-findings"):
        assert result.locator(part).count() == 0, part
    assert page.locator("#action-ics").is_disabled()
    assert page.locator(".calculator-error:not([hidden])").count() == 0


def retry_and_settle(page: Page) -> dict:
    page.evaluate("() => { window.engineStates = []; }")
    page.click("#engine-retry")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    answer = settle(page)
    assert page.evaluate("window.engineStates") == ["loading", "ready"]
    assert page.get_attribute("#engine-status", "data-state") == "ready"
    assert page.locator("#engine-retry").count() == 0
    return answer


def enter_and_settle(page: Page, inputs: dict) -> tuple[dict, str]:
    sent = enter(page, inputs)
    page.dispatch_event("form#calculator", "input")
    settle(page)
    return sent, page.get_attribute("#result", "data-result")


def test_a_worker_that_throws_while_evaluating_fails_and_retry_computes_the_corrected_inputs(faulty):
    page = faulty.page
    _, shown = enter_and_settle(page, SOURCE_PATIENT)
    assert json.loads(shown)["ok"]
    assert page.locator("#action-copy").is_enabled()

    page.fill("#field-serum_b12", "FAULT-THROW")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'failed'", timeout=DETECT_TIMEOUT_MS)
    assert_failed_without_a_current_result(page, "stopped working")
    assert "injected fault: evaluate threw" in page.inner_text("#engine-status")

    # Corrected while the engine is down (nothing is computed); the restarted worker computes it.
    sent = enter(page, {**SOURCE_PATIENT, "serum_b12": 300})
    assert page.get_attribute("#result", "data-result") is None
    answer = retry_and_settle(page)
    assert page.get_attribute("#result", "data-result") == cpython_json(sent)
    assert answer["inputs"]["serum_b12"] == 300
    assert page.locator("#action-copy").is_enabled()


def test_a_worker_that_dies_while_idle_is_detected_and_its_result_withdrawn(faulty):
    page = faulty.page
    sent, shown = enter_and_settle(page, SOURCE_PATIENT)
    assert json.loads(shown)["ok"]
    page.evaluate("() => { window.engineStates = []; }")

    page.evaluate(KILL_WORKER)  # no error event, no message: as a worker killed by the browser
    page.wait_for_function("() => document.documentElement.dataset.engine === 'failed'", timeout=DETECT_TIMEOUT_MS)
    assert_failed_with_the_provisional_answer_only(page, "stopped working")
    assert "stopped answering" in page.inner_text("#engine-status")
    assert page.evaluate("window.engineStates") == ["failed"]

    # Retry with the same inputs gives the same answer again.
    retry_and_settle(page)
    assert page.get_attribute("#result", "data-result") == cpython_json(sent)


def test_a_worker_that_dies_mid_request_is_detected_and_shows_no_stale_result(faulty):
    page = faulty.page
    _, shown = enter_and_settle(page, SOURCE_PATIENT)
    assert json.loads(shown)["ok"]

    page.fill("#field-serum_b12", "FAULT-DIE")  # the worker closes itself: the answer never comes
    page.wait_for_function("() => document.documentElement.dataset.engine === 'failed'", timeout=DETECT_TIMEOUT_MS)
    # A value the table cannot place (as the engine would reject it): no answer at all is shown.
    assert_failed_without_a_current_result(page, "stopped working")
    assert "stopped answering" in page.inner_text("#engine-status")


def test_the_faulty_page_logged_no_errors(faulty, site_server):
    # Every fault above was handled: none escaped as an uncaught error or a console error.
    assert faulty.problems() == []
    assert faulty.foreign_requests(site_server.origin) == []


def test_a_boot_that_fails_says_so_and_retry_works_once_the_runtime_loads(new_page_log, site_server):
    log = new_page_log(service_workers="block")
    log.context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
    page = open_calculator(log, site_server).page
    assert_failed_without_a_current_result(page, "could not start")
    assert page.evaluate("window.engineStates") == ["loading", "failed"]
    assert page.locator("#engine-status a").count() == 2  # the decision table and the input reference

    sent = enter(page, SOURCE_PATIENT)  # entered while the engine is down: nothing is computed
    assert page.get_attribute("#result", "data-result") is None
    log.context.unroute("**/pyodide/pyodide.asm.wasm")
    answer = retry_and_settle(page)
    assert answer["ok"]
    assert page.get_attribute("#result", "data-result") == cpython_json(sent)
    assert log.page_errors == []
