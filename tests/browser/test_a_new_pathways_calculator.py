"""A pathway added as one module (the toy pathway of tests/pathways/toy_course) gets a working calculator in
the browser with no JavaScript, template or build edit: its form, its result from the engine in Pyodide
(the same as the copy's engine gives in CPython) and its answer table's provisional answer."""

from __future__ import annotations

import json
import subprocess
import sys

from playwright.sync_api import Route

from tests.browser.calculator_page import PlaywrightPage, evaluate_form
from tests.browser.form_cases import BOOT_TIMEOUT_MS

TOY = "toy-course"
PATIENT = {"severity": "severe", "adult": True, "weight_kg": "160"}


def copy_engine_json(repository, inputs: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "engine", "evaluate", TOY, "--input", "-"], cwd=repository,
                          input=json.dumps(inputs), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_toy_pathways_calculator_answers_in_the_browser(new_page_log, serve, toy_site, toy_repository):
    server = serve(toy_site)
    log = new_page_log(service_workers="block")
    held: list[Route] = []
    log.context.route("**/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page = log.page
    page.goto(server.url + f"calculator/{TOY}/")
    labels = page.locator("form#calculator legend, form#calculator label.calculator-label").all_inner_texts()
    assert any(label.startswith("Severity") for label in labels) and any(label.startswith("Adult") for label in labels)

    # Before the engine: the toy's own answer table, provisional.
    page.check('form#calculator [name="adult"][value="true"]')
    page.select_option("#field-severity", "severe")
    page.fill("#field-weight_kg", "160")
    page.dispatch_event("form#calculator", "input")
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'provisional'")
    expected = copy_engine_json(toy_repository, {**PATIENT, "weight_kg": 160})
    assert page.inner_text(".calculator-regimen__summary").startswith(expected["regimen"]["summary"])

    for route in held:
        route.continue_()
    log.context.unroute("**/pyodide/pyodide.asm.wasm")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    sent, shown = evaluate_form(PlaywrightPage(page), PATIENT)
    assert json.loads(shown) == copy_engine_json(toy_repository, sent)
    assert [c.get_attribute("data-caution") for c in page.locator("[data-caution]").all()] == ["toy-heavy"]
    assert log.problems() == []
