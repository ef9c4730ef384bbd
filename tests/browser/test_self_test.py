"""The on-device self-test: on the first start of a build's engine on a device the worker evaluates the build's
shared cases and compares each answer with CPython's; the page says so, remembers it for that build, and
withdraws every result when an answer differs (tested here with a corrupted expectation)."""

from __future__ import annotations

import json

from playwright.sync_api import Route

from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, enter
from tests.shared_cases import load_cases

CALCULATOR = f"calculator/{PATHWAY_ID}/"
SELF_TEST = "**/assets/answers/self-test.json"
SETTLED = "() => ['ready', 'failed'].includes(document.documentElement.dataset.engine)"
STATUS = """() => { const s = document.querySelector('#engine-status');
  return {state: s.dataset.state, selfTest: s.dataset.selfTest || null, text: s.innerText,
          checked: localStorage.getItem('guideline-engine-checked'),
          build: document.querySelector('meta[name="guideline-build-id"]').content}; }"""


def test_the_engine_is_checked_on_its_first_start_and_the_check_is_remembered(new_page_log, site_server):
    log = new_page_log()
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    status = page.evaluate(STATUS)
    cases = len(load_cases())
    assert status["state"] == "ready" and status["selfTest"] == "passed", status
    assert f"Engine checked on this device ({cases} answers compared)." in status["text"]
    assert status["checked"] == status["build"]  # remembered for this build only: a build id, nothing typed
    page.reload()
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    status = page.evaluate(STATUS)
    assert status["selfTest"] == "remembered" and "Engine checked on this device." in status["text"]
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
    assert status["checked"] is None  # never remembered as checked
    enter(page, SOURCE_PATIENT)  # nothing is shown for it: neither the engine's answer nor the table's
    page.wait_for_timeout(500)
    assert page.get_attribute("#result", "data-result") is None
    assert page.get_attribute("#result", "data-state") == "error"
    assert "did not pass its check" in page.inner_text("#result")
    assert log.page_errors == []
