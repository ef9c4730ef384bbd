"""The on-device self-test: at every start of the engine (afresh, or restored from the snapshot saved on the device)
the worker evaluates the build's shared cases and compares each answer with CPython's; the page says so, and
withdraws every result when an answer differs (tested here with a corrupted expectation)."""

from __future__ import annotations

import json

from playwright.sync_api import Route

from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, enter
from tests.browser.test_engine_snapshot import snapshot_saved
from tests.shared_cases import load_cases

CALCULATOR = f"calculator/{PATHWAY_ID}/"
SELF_TEST = "**/assets/answers/self-test.json"
SETTLED = "() => ['ready', 'failed'].includes(document.documentElement.dataset.engine)"
STATUS = """() => { const s = document.querySelector('#engine-status');
  return {state: s.dataset.state, selfTest: s.dataset.selfTest || null, text: s.innerText,
          start: s.dataset.start || null}; }"""
SAVED = "async () => (await (await caches.open('engine-snapshots')).keys()).length"


def test_the_engine_is_checked_at_every_start_fresh_or_restored(new_page_log, site_server):
    log = new_page_log()
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    status = page.evaluate(STATUS)
    cases = len(load_cases())
    assert status["state"] == "ready" and status["selfTest"] == "passed", status
    assert f"Engine checked on this device ({cases} answers compared)." in status["text"]
    assert len(snapshot_saved(page)) == 1
    page.reload()
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    status = page.evaluate(STATUS)
    assert status["start"] == "snapshot" and status["selfTest"] == "passed", status
    assert f"Engine checked on this device ({cases} answers compared)." in status["text"]
    assert log.problems() == []


def corrupt_one(route: Route) -> None:
    expected = route.fetch().json()
    expected["cases"][1]["sha256"] = "0" * 64
    route.fulfill(json=expected)


def test_an_answer_that_differs_on_this_device_withdraws_every_result(new_page_log, site_server):
    log = new_page_log(service_workers="block")
    log.context.route(SELF_TEST, corrupt_one)
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    status = page.evaluate(STATUS)
    second = json.loads((site_server.root / "assets" / "answers" / "self-test.json").read_text())["cases"][1]["id"]
    assert status["state"] == "failed" and status["selfTest"] == "failed", status
    assert "did not pass its check on this device" in status["text"] and second in status["text"]
    assert page.evaluate(SAVED) == 0  # an engine that failed its check is never saved for the next start
    enter(page, SOURCE_PATIENT)  # nothing is shown for it: neither the engine's answer nor the table's
    page.wait_for_timeout(500)
    assert page.get_attribute("#result", "data-result") is None
    assert page.get_attribute("#result", "data-state") == "error"
    assert "did not pass its check" in page.inner_text("#result")
    assert log.page_errors == []
