"""The pathway `python build.py new-pathway` writes has a working calculator: in the copy's built site, its form
asks the template's scope question and the engine in Pyodide gives the template's regimen, as CPython does."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.browser.calculator_page import PlaywrightPage, evaluate_form
from tests.browser.form_cases import BOOT_TIMEOUT_MS
from tests.conftest import NEW_PATHWAY


def test_the_new_pathways_calculator_answers_in_the_browser(new_page_log, serve, new_pathway_site,
                                                           new_pathway_repository):
    copy, _ = new_pathway_repository
    server = serve(new_pathway_site)
    log = new_page_log(service_workers="block")
    page = log.page
    page.goto(server.url + f"calculator/{NEW_PATHWAY['id']}/")
    assert "Within the population the source covers" in page.inner_text("form#calculator")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    sent, shown = evaluate_form(PlaywrightPage(page), {"in_scope": True})
    expected = json.loads(subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", NEW_PATHWAY["id"], "--input", "-"], cwd=copy,
        input=json.dumps(sent), capture_output=True, text=True, check=True).stdout)
    assert json.loads(shown) == expected and expected["regimen"]["summary"].startswith("TODO")
    assert page.inner_text(".calculator-regimen__summary").startswith(expected["regimen"]["summary"])
    # The chart the calculator links to is on the decision table.
    page.click("a[href$='#visual-summary']")
    page.wait_for_selector("#visual-summary svg")
    assert log.problems() == []
