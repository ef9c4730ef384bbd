"""The loading calculator, and the way on from it: its result is CPython's, and its "Next" link opens the
maintenance calculator with the answers the engine names carried in the address's fragment, which no
request carries and which the page drops from the address once it has set them."""

from __future__ import annotations

import json
from urllib.parse import unquote

from playwright.sync_api import Request

import engine
from tests.browser.calculator_page import PlaywrightPage, evaluate_form
from tests.browser.test_offline import BOOT_TIMEOUT_MS

LOADING = "b12-loading"
(DESCRIPTOR,) = [pathway for pathway in engine.pathways() if pathway["id"] == LOADING]
(MAINTENANCE,) = [pathway for pathway in engine.pathways() if pathway["id"] == "b12-maintenance"]
MAINTENANCE_FIELDS = {field["key"]: field for field in MAINTENANCE["inputs"]}
# Answers no file of the site holds as such, so finding them in a request means the page sent them.
COURSE = {"age_16_or_over": True, "pregnant_or_breastfeeding": False, "neurological_symptoms": False,
          "injections_given": 6, "course_weeks": "1.85", "course_pattern": "alternate_days", "start_date": "2026-11-16",
          "folic_acid_planned": True}
READY = "() => document.documentElement.dataset.engine === 'ready'"
# The state of every control of the form shown: a radio group's answer, a checkbox's tick, a field's text.
FORM_STATE = """() => {
  const form = document.querySelector("form#calculator");
  const state = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    if (control.type === "radio") { if (control.checked) state[control.name] = control.value; }
    else if (control.type === "checkbox") state[control.name] = control.checked;
    else state[control.name] = control.value;
  }
  return state; }"""


def test_the_loading_calculator_gives_cpythons_result_and_carries_its_answers_to_maintenance(
    new_page_log, site_server
):
    log = new_page_log()
    page = log.page
    sent_requests: list[tuple[str, str]] = []

    def on_request(request: Request) -> None:
        sent_requests.append((request.url, request.post_data or ""))

    log.context.on("request", on_request)
    page.goto(site_server.url + f"calculator/{LOADING}/")
    page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)
    sent, shown = evaluate_form(PlaywrightPage(page), COURSE)
    assert shown == engine.evaluate_json(LOADING, json.dumps(sent))
    result = json.loads(shown)
    assert result["ok"] and result["next"]["pathway"] == "b12-maintenance"

    link = page.locator("a.calculator-next__link")
    href = link.get_attribute("href")
    assert "calculator/b12-maintenance/#carry=" in href
    carried = json.loads(unquote(href.split("#carry=", 1)[1]))
    names = result["next"]["carry_over"]
    assert carried == {key: result["inputs"][key] for key in names if key in result["inputs"]}
    assert set(carried) == set(names) - {key for key in names if key not in result["inputs"]} and carried
    labels = {field["key"]: field["label"] for field in DESCRIPTOR["inputs"]}
    assert page.inner_text(".calculator-next__carried") == f"Carried over: {', '.join(labels[k] for k in carried)}."

    link.click()
    page.wait_for_function("() => location.pathname.endsWith('/calculator/b12-maintenance/')")
    # Once the calculator is mounted the fragment is gone from the address (and the history's entry), and
    # the answers are in the form.
    page.wait_for_function("() => document.querySelector('form#calculator [name=\"cause\"]') !== null"
                           " && location.hash === ''")
    state = page.evaluate(FORM_STATE)
    for key, value in carried.items():
        # A Yes/No question (a bool without a default) is a radio group, whose answer is "true" or "false".
        radio = MAINTENANCE_FIELDS[key]["type"] == "bool" and "default" not in MAINTENANCE_FIELDS[key]
        assert state[key] == (json.dumps(value) if radio else value), (key, state)
    # The engine, still running from the page before, answers at once: what is left to enter is what was not
    # carried (the carried answers are not asked for again).
    page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'error'")
    needed = page.locator(".calculator-result__needed a").evaluate_all("links => links.map(a => a.dataset.focusField)")
    assert needed and not set(needed) & set(carried), needed
    # No request carried the answers: not in any address, not in any body.
    carrying = [(url, body) for url, body in sent_requests if "carry" in url or "1.85" in url + body]
    assert carrying == []
    assert log.problems() == []


def test_a_fragment_that_is_not_carried_answers_is_ignored(new_page_log, site_server):
    log = new_page_log()
    page = log.page
    page.goto(site_server.url + "calculator/b12-maintenance/#carry=%7Bnot-json")
    page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("location.hash") == ""  # dropped all the same
    state = page.evaluate(FORM_STATE)
    assert "age_16_or_over" not in state and state["cause"] == ""  # nothing set, nothing assumed
    assert log.page_errors == []
