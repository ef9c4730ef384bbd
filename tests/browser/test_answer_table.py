"""The first answer at once: the answer table's answer, shown provisional until the engine confirms it.

Each test holds or blocks the engine's runtime (its wasm) so that what the page shows without the engine is
seen for certain, not by racing the boot. Service workers are blocked: the routes then see every request.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from playwright.sync_api import Route

import engine
from engine.answers import lookup
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, cpython_json, enter
from tests.form_inputs import form_inputs

CALCULATOR = f"calculator/{PATHWAY_ID}/"
WASM = "**/pyodide/pyodide.asm.wasm"
TABLE = f"**/assets/answers/{PATHWAY_ID}.json"
PROVISIONAL = "() => document.querySelector('#result').dataset.state === 'provisional'"
SHOWN = """() => { const r = document.querySelector('#result');
  return {state: r.dataset.state, result: r.getAttribute('data-result'),
          label: r.querySelector('.calculator-result__provisional')?.textContent || null,
          regimen: r.querySelector('.calculator-regimen__summary')?.textContent || null,
          outOfScope: r.querySelector('.calculator-regimen__scope-note')?.textContent || null,
          cautions: [...r.querySelectorAll('[data-caution]')].map(c => c.dataset.caution).sort(),
          monitoring: [...r.querySelectorAll('[data-monitoring]')].map(c => c.dataset.monitoring),
          mismatch: r.querySelector('.calculator-result__mismatch')?.textContent || null,
          reported: document.documentElement.dataset.answerMismatch || null}; }"""


def engine_answer(sent: dict[str, Any]) -> dict[str, Any]:
    return json.loads(cpython_json(sent))


def assert_shows(shown: dict[str, Any], answer: dict[str, Any]) -> None:
    """The page shows ``answer``'s regimen (or scope note), cautions and monitoring."""
    if answer["in_scope"]:
        assert shown["regimen"].startswith(answer["regimen"]["summary"]), shown
    else:
        assert shown["outOfScope"] == answer["scope_note"], shown
    assert shown["cautions"] == sorted(caution["id"] for caution in answer["cautions"]), shown
    assert shown["monitoring"] == [item["id"] for item in answer["monitoring"]], shown


def test_the_tables_answer_shows_at_once_and_the_engine_then_confirms_it(new_page_log, site_server):
    log = new_page_log(service_workers="block")
    held: list[Route] = []
    log.context.route(WASM, lambda route: held.append(route))  # the runtime is held: the engine cannot be ready
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'loading'")
    sent = enter(page, SOURCE_PATIENT)
    page.wait_for_function(PROVISIONAL)
    shown = page.evaluate(SHOWN)
    expected = engine_answer(sent)
    assert_shows(shown, expected)
    assert "engine is starting" in shown["label"] and shown["result"] is None
    assert page.is_disabled("#action-ics")  # no schedule yet
    page.click("#action-copy")  # says what the provisional answer lacks instead of copying
    assert "still starting" in page.inner_text("#action-status")
    # An answer changed before the engine is ready: the table's answer follows it.
    sent = enter(page, {**SOURCE_PATIENT, "age_16_or_over": False})
    page.wait_for_function("() => document.querySelector('.calculator-regimen__scope-note') !== null")
    assert_shows(page.evaluate(SHOWN), engine_answer(sent))

    for route in held:  # the network answers: the engine starts and replaces the provisional answer
        route.continue_()
    log.context.unroute(WASM)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'")
    shown = page.evaluate(SHOWN)
    assert shown["result"] == cpython_json(sent) and shown["label"] is None
    assert shown["mismatch"] is None and shown["reported"] is None
    assert log.problems() == []


def test_when_the_engine_cannot_start_the_tables_answer_stays_labelled_with_what_it_lacks(
    new_page_log, site_server
):
    log = new_page_log(service_workers="block")
    log.context.route(WASM, lambda route: route.abort())
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'failed'", timeout=BOOT_TIMEOUT_MS)
    sent = enter(page, SOURCE_PATIENT)
    page.wait_for_function(PROVISIONAL)
    shown = page.evaluate(SHOWN)
    assert_shows(shown, engine_answer(sent))
    assert "engine is not running here" in shown["label"]
    assert "Not available without the engine" in page.inner_text("#result")
    page.click("#action-copy")
    assert "is not running here" in page.inner_text("#action-status")
    assert page.is_enabled("#action-print") and page.is_disabled("#action-ics")
    # Inputs the table cannot place (a required answer missing): no answer, the failure is said instead.
    enter(page, {key: value for key, value in SOURCE_PATIENT.items() if key != "cause"})
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'error'")
    assert "could not start" in page.inner_text("#result")
    assert log.page_errors == []


def corrupted(route: Route) -> None:
    """The page's table with its regimens in another order: every class's regimen is another one's."""
    table = route.fetch().json()
    bad = copy.deepcopy(table)
    bad["regimens"] = bad["regimens"][1:] + bad["regimens"][:1]
    route.fulfill(json=bad)


def test_a_table_that_disagrees_with_the_engine_is_overruled_and_reported(new_page_log, site_server):
    log = new_page_log(service_workers="block")
    held: list[Route] = []
    log.context.route(WASM, lambda route: held.append(route))
    log.context.route(TABLE, corrupted)
    page = log.page
    page.goto(site_server.url + CALCULATOR)
    sent = enter(page, SOURCE_PATIENT)
    page.wait_for_function(PROVISIONAL)
    expected = engine_answer(sent)
    assert page.evaluate(SHOWN)["regimen"] != expected["regimen"]["summary"] + "."  # the wrong answer, provisional
    for route in held:
        route.continue_()
    log.context.unroute(WASM)
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'", timeout=BOOT_TIMEOUT_MS)
    shown = page.evaluate(SHOWN)
    assert_shows(shown, expected)  # the engine's answer
    assert shown["result"] == cpython_json(sent)
    assert "differed from the engine's" in shown["mismatch"] and shown["reported"] == "1"
    assert any("answer table and the engine disagree" in problem for problem in log.problems())


CASES = 300


@pytest.mark.parametrize("pathway_id", sorted(PATHWAYS))
def test_the_pages_classifier_in_the_browser_gives_the_engines_table_answer(page_log, site_server, pathway_id):
    """The page's own module, in Chromium, over random form inputs: the engine's table answer (CPython) or, where
    the engine rejects the inputs, none."""
    page = page_log.page
    page.goto(site_server.url)
    (descriptor,) = [d for d in engine.pathways() if d["id"] == pathway_id]
    table = json.loads((site_server.root / "assets" / "answers" / f"{pathway_id}.json").read_text(encoding="utf-8"))
    rng = random.Random(f"browser {pathway_id}")
    cases = [form_inputs(descriptor, table, rng) for _ in range(CASES)]
    found = page.evaluate("""async ([table, descriptor, cases]) => {
      const { lookup } = await import(new URL("assets/calculator/answer-table.js", document.baseURI).href);
      return cases.map((inputs) => lookup(table, descriptor, inputs)); }""", [table, descriptor, cases])
    space = input_space(PATHWAYS[pathway_id])
    placed = 0
    for inputs, answer in zip(cases, found, strict=True):
        result = engine.evaluate(pathway_id, inputs)
        assert answer == (lookup(table, space, result["inputs"]) if result["ok"] else None), inputs
        placed += answer is not None
    assert CASES // 4 < placed < CASES, placed
