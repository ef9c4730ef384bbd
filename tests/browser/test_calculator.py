"""The calculator page in Chromium: the engine boots in the worker, and the form gives CPython's answers.

One page (one Pyodide boot) serves most tests of this module: the shared cases are entered
through its form one after another, as a clinician would change the inputs. The site is served
under a sub-path, so every URL the page resolves must be relative to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

import engine
from engine.exports import calendar_ics, summary_text
from sitebuild.server import SiteServer
from tests.browser.calculator_page import ENGINE_SETTLED
from tests.browser.conftest import PageLog, record
from tests.browser.form_cases import (
    BOOT_TIMEOUT_MS,
    DESKTOP,
    FIELDS,
    PATHWAY,
    PATHWAY_ID,
    SHARED,
    SOURCE_PATIENT,
    cpython_json,
    enter,
    evaluate_form,
)
from tests.pathways.b12_maintenance.patients import patient
from tests.shared_cases import SharedCase

PREFIX = "/guides/b12/"

# Bools without a default: the form asks them as Yes/No radio groups, with nothing chosen.
YES_NO = [key for key, field in FIELDS.items() if field["type"] == "bool" and "default" not in field]
REQUIRED = [key for key, field in FIELDS.items() if field["required"]]
# The Yes/No question the tests answer and leave unanswered: the neurological one.
KEY = "neurological_symptoms"


# ---------------------------------------------------------------- entering inputs through the form


# ---------------------------------------------------------------- one page for the module


@pytest.fixture(scope="module")
def calculator_server(built_site: Path) -> Iterator[SiteServer]:
    with SiteServer(built_site, prefix=PREFIX) as server:
        yield server


@pytest.fixture(scope="module")
def calculator(browser: Browser, calculator_server: SiteServer) -> Iterator[PageLog]:
    """The calculator page, loaded once, with the engine ready."""
    context = browser.new_context(
        viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    )
    log = record(context)
    log.page.goto(calculator_server.url + f"calculator/{PATHWAY_ID}/")
    log.page.wait_for_function(ENGINE_SETTLED, timeout=BOOT_TIMEOUT_MS)
    yield log
    context.close()


# ---------------------------------------------------------------- tests


def test_the_engine_boots_in_the_worker_and_reaches_ready(calculator):
    page = calculator.page
    assert page.evaluate("document.documentElement.dataset.engine") == "ready", page.inner_text("#engine-status")
    assert page.get_attribute("#engine-status", "data-state") == "ready"
    assert page.locator("form#calculator").get_attribute("data-pathway") == PATHWAY_ID
    # With nothing entered yet the engine answers at once: every required question is unanswered. (On a device's
    # first start the worker takes its snapshot right after "ready", so that answer can follow "ready" by a moment.)
    page.wait_for_function("() => document.querySelector('#result')?.dataset.result !== undefined", timeout=10_000)
    answer = json.loads(page.get_attribute("#result", "data-result"))
    assert answer["ok"] is False
    assert [error["field"] for error in answer["errors"]] == REQUIRED
    # The Yes/No questions asked of everyone are required; one asked only after another answer is required then.
    always = [key for key in YES_NO if "required_when" not in FIELDS[key]]
    assert set(always) <= set(REQUIRED) and len(always) == 4 and len(YES_NO) == 5


def test_a_yes_no_question_is_a_radio_group_with_nothing_chosen_until_answered(calculator):
    """Runs on the fresh page (the test above only looked): no answer is preselected, none is sent."""
    page = calculator.page
    assert YES_NO, "the pathway has a bool without a default"
    for key in YES_NO:
        group = page.locator(f'[data-field="{key}"] fieldset')
        required = " (required)" if FIELDS[key]["required"] else ""
        assert group.locator("legend").inner_text() == FIELDS[key]["label"] + required
        radios = group.locator(f'input[type="radio"][name="{key}"]')
        assert radios.evaluate_all("rs => rs.map(r => [r.value, r.checked])") == [["true", False], ["false", False]]
        labels = [group.locator(f"label[for='{radio.get_attribute('id')}']").inner_text() for radio in radios.all()]
        assert labels == ["Yes", "No"]
        assert radios.first.get_attribute("id") == f"field-{key}"  # the field's id: its links and focus reach it
        for radio in radios.all():
            assert f"error-{key}" in radio.get_attribute("aria-describedby").split()
    assert page.locator("form#calculator input[type='radio']:checked").count() == 0
    needed = page.locator(".calculator-result__needed")
    assert needed.inner_text() == f"To see the result, enter: {', '.join(FIELDS[key]['label'] for key in REQUIRED)}."


def test_the_shared_cases_cover_the_form():
    assert len(SHARED) >= 30, [case.id for case in SHARED]


@pytest.mark.parametrize("case", SHARED, ids=[case.id for case in SHARED])
def test_a_shared_case_entered_through_the_form_gives_cpythons_result(calculator, case: SharedCase):
    page = calculator.page
    sent, shown = evaluate_form(page, case.input)
    expected = cpython_json(sent)
    assert json.loads(shown) == json.loads(expected)
    assert shown == expected  # the exact canonical text, not only equal data
    assert page.get_attribute("#result", "data-state") == ("ok" if json.loads(expected)["ok"] else "error")


def test_fast_typing_shows_the_answer_to_the_last_keystroke(calculator):
    page = calculator.page
    evaluate_form(page, patient(cause="unknown"))
    field = page.locator("#field-serum_b12")
    field.press_sequentially("4531")
    field.press("Backspace")
    page.wait_for_function("() => ['ok', 'error'].includes(document.querySelector('#result').dataset.state)")
    assert json.loads(page.get_attribute("#result", "data-result"))["inputs"]["serum_b12"] == 453


def test_a_required_when_field_shows_only_when_it_applies(calculator):
    page = calculator.page
    resection = page.locator('[data-field="ileal_resection_cm"]')
    evaluate_form(page, patient(cause="pernicious_anaemia"))
    assert resection.is_hidden()
    evaluate_form(page, patient(cause="ileal_resection"))
    assert resection.is_visible()
    assert "Only when the cause is ileal resection" in resection.inner_text()


def test_an_invalid_entry_shows_its_error_beside_the_field_until_corrected(calculator):
    page = calculator.page
    _, shown = evaluate_form(page, patient(cause="unknown", serum_b12="abc", serum_b12_unit="ng/L"))
    assert page.get_attribute("#result", "data-state") == "error"
    (error,) = json.loads(shown)["errors"]
    message = page.locator('[data-field="serum_b12"] #error-serum_b12')
    assert message.is_visible()
    assert message.inner_text() == error["message"]
    assert page.get_attribute("#field-serum_b12", "aria-invalid") == "true"
    assert "error-serum_b12" in page.get_attribute("#field-serum_b12", "aria-describedby")
    assert page.locator("#action-copy").is_disabled()

    evaluate_form(page, patient(cause="unknown", serum_b12=453, serum_b12_unit="pmol/L"))
    assert page.get_attribute("#result", "data-state") == "ok"
    assert message.is_hidden()
    assert page.get_attribute("#field-serum_b12", "aria-invalid") is None


def test_the_result_shows_regimen_cautions_by_severity_and_why(calculator):
    page = calculator.page
    _, shown = evaluate_form(page, SOURCE_PATIENT)
    result = json.loads(shown)
    assert page.locator(".calculator-regimen__summary").inner_text().startswith(result["regimen"]["summary"])
    words = page.locator(".calculator-caution__word").all_inner_texts()
    # By severity, high first, then in the engine's order within a severity.
    severity = {"high": "High:", "warning": "Warning:", "info": "Information:"}
    order = ["high", "warning", "info"]
    expected = [severity[item["severity"]] for item in
                sorted(result["cautions"], key=lambda item: order.index(item["severity"]))]
    # Unknown cause: for life (high); look for the cause and folic acid (warnings); oral alternative and the
    # source's blood tests (information).
    assert words == expected == ["High:", "Warning:", "Warning:", "Information:", "Information:"]
    rules = page.locator(".calculator-trace__rule").evaluate_all("nodes => nodes.map(n => n.dataset.rule)")
    assert rules == [step["rule"] for step in result["trace"]]
    first_citation = page.locator(".calculator-regimen__summary sup.citation a").first
    assert re.search(r"references/#ref-src3$", first_citation.get_attribute("href"))
    assert page.locator(".calculator-schedule tbody tr").count() == len(result["schedule"])


def test_copy_summary_puts_the_engines_plain_text_on_the_clipboard(calculator):
    page = calculator.page
    _, shown = evaluate_form(page, SOURCE_PATIENT)
    page.click("#action-copy")
    page.wait_for_function("() => document.querySelector('#action-status').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f"engine {engine.ENGINE_VERSION}" in copied
    assert copied == summary_text(json.loads(shown), PATHWAY["title"])


def test_the_calendar_download_has_one_event_per_scheduled_date(calculator):
    page = calculator.page
    _, shown = evaluate_form(page, SOURCE_PATIENT)
    result = json.loads(shown)
    assert result["schedule"]
    with page.expect_download() as started:
        page.click("#action-ics")
    download = started.value
    assert download.suggested_filename == f"{PATHWAY_ID}-schedule.ics"
    text = Path(download.path()).read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == len(result["schedule"])
    stamp = re.search(r"^DTSTAMP:(\S+)\r$", text, re.MULTILINE).group(1)
    assert text == calendar_ics(result, stamp, PATHWAY["title"])


def test_the_calendar_button_waits_for_a_schedule(calculator):
    page = calculator.page
    evaluate_form(page, patient(cause="unknown"))
    assert page.locator("#action-copy").is_enabled()
    assert page.locator("#action-ics").is_disabled()


def test_the_print_stylesheet_prints_the_result_without_the_form(calculator):
    page = calculator.page
    evaluate_form(page, SOURCE_PATIENT)
    page.emulate_media(media="print")
    try:
        assert page.locator("form#calculator").is_hidden()
        assert page.locator(".calculator-actions").is_hidden()
        assert page.locator(".md-header").is_hidden()
        assert page.locator(".md-sidebar--primary").is_hidden()
        assert page.locator(".calculator-regimen__summary").is_visible()
        assert page.locator(".calculator-computed").is_visible()
    finally:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("viewport", [(768, 1024), (1024, 768)], ids=["tablet-portrait", "tablet-landscape"])
def test_tablets_need_no_horizontal_scrolling(calculator, viewport):
    page = calculator.page
    evaluate_form(page, SOURCE_PATIENT)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    try:
        page.locator(".calculator-why").evaluate("details => { details.open = true; }")
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        page.set_viewport_size(DESKTOP)


# ---------------------------------------------------------------- current result, focus, evidence, scope


def settled(page: Page) -> dict[str, Any]:
    page.wait_for_function("() => ['ok', 'error'].includes(document.querySelector('#result').dataset.state)")
    return json.loads(page.get_attribute("#result", "data-result"))


def shown_as(key: str, value: Any, inputs: dict[str, Any]) -> str:
    """How "Computed from" should show an input, worked out here from the field specs (not the page's code)."""
    field = FIELDS[key]
    if field["type"] == "bool":
        return "Yes" if value else "No"
    if field["type"] == "enum":
        return next(choice["label"] for choice in field["choices"] if choice["value"] == value)
    if field["type"] == "date":
        day = date.fromisoformat(value)
        return f"{day.day} {day.strftime('%b')} {day.year}"  # en-GB: "15 Mar 2025" (no September dates here)
    unit = field.get("unit") or inputs.get(field.get("unit_field", ""), "")
    return f"{value} {unit}".strip()


def test_computed_from_shows_the_inputs_on_the_form_after_a_change(calculator):
    page = calculator.page
    evaluate_form(page, SOURCE_PATIENT)
    changed = {**SOURCE_PATIENT, "cause": "pernicious_anaemia", "serum_b12": 460, "serum_b12_unit": "pg/mL",
               "neurological_symptoms": True, "last_injection_date": "2025-03-15", "assessment_date": "2025-06-02"}
    sent, shown = evaluate_form(page, changed)
    result = json.loads(shown)
    # The answer is the one for what the form holds now...
    assert shown == cpython_json(sent)
    assert page.input_value("#field-serum_b12") == "460"
    assert page.input_value("#field-cause") == "pernicious_anaemia"
    # ...and it lists exactly those inputs, each as the form shows it.
    terms = page.locator(".calculator-computed__inputs dt").all_inner_texts()
    values = page.locator(".calculator-computed__inputs dd").all_inner_texts()
    rows = dict(zip(terms, values, strict=True))
    units = {field["unit_field"] for field in FIELDS.values() if "unit_field" in field}
    expected = {FIELDS[key]["label"]: shown_as(key, value, result["inputs"])
                for key, value in result["inputs"].items() if key not in units}
    assert rows == expected
    assert rows[FIELDS["serum_b12"]["label"]] == "460 pg/mL"
    assert rows[FIELDS["cause"]["label"]] == "Autoimmune gastritis (pernicious anaemia)"
    assert rows[FIELDS["neurological_symptoms"]["label"]] == "Yes"
    assert rows[FIELDS["last_injection_date"]["label"]] == "15 Mar 2025"
    assert SOURCE_PATIENT["serum_b12"] != 460 and "453" not in " ".join(values)


def test_enter_moves_focus_to_the_first_error_but_typing_never_does(calculator):
    page = calculator.page
    evaluate_form(page, patient(cause="unknown", serum_b12="abc", serum_b12_unit="ng/L"))
    assert page.locator("#error-serum_b12").is_visible()
    # Typing in a later field: every keystroke updates the result, and focus stays where the user types.
    homocysteine = page.locator("#field-homocysteine_umol_l")
    homocysteine.click()
    homocysteine.press_sequentially("12x")
    answer = settled(page)
    assert {error["field"] for error in answer["errors"]} == {"serum_b12", "homocysteine_umol_l"}
    assert page.evaluate("document.activeElement.id") == "field-homocysteine_umol_l"
    # Enter asks for the result: focus goes to the first field with an error, in the form's order.
    homocysteine.press("Enter")
    settled(page)
    assert page.evaluate("document.activeElement.id") == "field-serum_b12"

    # A required choice left unmade: on Enter its error shows beside it, and focus goes there.
    evaluate_form(page, {key: value for key, value in SOURCE_PATIENT.items() if key != "cause"})
    page.locator("#field-last_injection_date").press("Enter")
    answer = settled(page)
    assert [error["field"] for error in answer["errors"]] == ["cause"]
    assert page.evaluate("document.activeElement.id") == "field-cause"
    assert page.locator("#error-cause").inner_text() == answer["errors"][0]["message"]

    # With nothing wrong, Enter leaves focus where it is.
    evaluate_form(page, SOURCE_PATIENT)
    page.locator("#field-serum_b12").press("Enter")
    assert settled(page)["ok"]
    assert page.evaluate("document.activeElement.id") == "field-serum_b12"


# ---------------------------------------------------------------- Yes/No questions


def test_an_unanswered_yes_no_question_gives_no_result_and_is_named_as_missing(calculator):
    page = calculator.page
    key = KEY
    sent, shown = evaluate_form(page, {k: v for k, v in SOURCE_PATIENT.items() if k != key})
    assert key not in sent and shown == cpython_json(sent)
    answer = json.loads(shown)
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [(key, "required")]
    assert page.get_attribute("#result", "data-state") == "error"
    assert page.locator("#result .calculator-regimen").count() == 0
    assert page.locator("#action-copy").is_disabled()
    needed = page.locator(".calculator-result__needed")
    assert needed.inner_text() == f"To see the result, enter: {FIELDS[key]['label']}."
    needed.locator("a").click()  # the link leads to the question: its first radio
    assert page.evaluate("document.activeElement.id") == f"field-{key}"
    # Enter asks for the result: the error shows beside the question, and the focus goes to it.
    page.locator("#field-serum_b12").press("Enter")
    settled(page)
    error = page.locator(f"#error-{key}")
    assert error.is_visible() and error.inner_text() == answer["errors"][0]["message"]
    assert page.locator(f'[name="{key}"][aria-invalid="true"]').count() == 2
    assert page.evaluate("document.activeElement.id") == f"field-{key}"
    # Answered, the error goes and the result comes.
    page.check(f"#field-{key}-false")
    assert settled(page)["ok"]
    assert error.is_hidden() and page.locator(f'[name="{key}"][aria-invalid]').count() == 0


@pytest.mark.parametrize("answer", [True, False], ids=["yes", "no"])
def test_a_yes_no_answer_is_sent_as_a_json_boolean_and_gives_cpythons_result(calculator, answer):
    page = calculator.page
    key = KEY
    sent, shown = evaluate_form(page, {**SOURCE_PATIENT, key: answer})
    assert shown == cpython_json(sent)
    assert json.loads(shown)["inputs"][key] is answer  # a string would have been refused by the engine
    assert page.locator(f'[name="{key}"]:checked').get_attribute("value") == json.dumps(answer)


def test_a_yes_no_question_is_answered_by_keyboard(calculator):
    page = calculator.page
    key = KEY
    evaluate_form(page, {k: v for k, v in SOURCE_PATIENT.items() if k != key})  # unanswered
    page.locator("#field-loading_response").focus()  # the field before it
    page.keyboard.press("Tab")  # the group is one Tab stop: its first radio while none is chosen
    assert page.evaluate("document.activeElement.id") == f"field-{key}"
    page.keyboard.press("Space")
    assert settled(page)["inputs"][key] is True
    page.keyboard.press("ArrowRight")  # the next radio, chosen as it is reached
    assert page.evaluate("document.activeElement.id") == f"field-{key}-false"
    assert settled(page)["inputs"][key] is False
    page.keyboard.press("Tab")  # out of the group, to the next field
    assert page.evaluate("document.activeElement.id") == "field-cause"
    page.keyboard.press("Shift+Tab")  # back into the group: its chosen radio
    assert page.evaluate("document.activeElement.id") == f"field-{key}-false"


def evidence_shown(item) -> tuple[str, str, str]:
    """(status, word, link) of the evidence check shown in a result item."""
    badge = item.locator(".calculator-evidence")
    assert badge.count() == 1
    return (badge.get_attribute("data-evidence"), badge.locator(".evidence-status").inner_text(),
            badge.locator("a").get_attribute("href"))


def test_the_regimen_and_every_item_show_the_evidence_status_of_their_rule(calculator):
    page = calculator.page
    _, shown = evaluate_form(page, {**SOURCE_PATIENT, "homocysteine_umol_l": 40, "folic_acid_planned": True})
    result = json.loads(shown)
    seen = set()
    rules = result["regimen"]["rules"]
    assert rules, "the engine names the rules behind the regimen"
    for rule in rules:
        status, word, link = evidence_shown(page.locator(f'.calculator-regimen__evidence li[data-rule="{rule["id"]}"]'))
        assert (status, word) == (rule["evidence"]["status"], rule["evidence"]["status"].capitalize())
        assert link.endswith(f"evidence-check/{PATHWAY_ID}/#{rule['id']}")
        assert rule["title"] in page.locator(f'.calculator-regimen__evidence li[data-rule="{rule["id"]}"]').inner_text()
        seen.add(status)
    items = (("cautions", "data-caution"), ("monitoring", "data-monitoring"), ("findings", "data-finding"))
    for kind, attribute in items:
        assert result[kind], kind
        for item in result[kind]:
            status, word, link = evidence_shown(page.locator(f'#result [{attribute}="{item["id"]}"]'))
            assert status == item["evidence"]["status"], (kind, item["id"])
            assert word == status.capitalize()  # in words, not by colour alone
            assert link.endswith(f"evidence-check/{PATHWAY_ID}/#{item['id']}")
            seen.add(status)
    assert seen == {"agrees", "differs", "unsourced"}


def test_the_scope_near_the_form_links_to_the_intended_use(calculator, calculator_server):
    page = calculator.page
    scope = page.locator(".calculator-scope")
    assert scope.is_visible()
    assert PATHWAY["scope"] in scope.inner_text()
    link = scope.locator("a.calculator-scope__link")
    assert link.inner_text() == "Intended use and limitations"
    href = link.evaluate("a => a.href")
    assert href == calculator_server.url + "intended-use/"
    assert page.evaluate("async (url) => (await fetch(url)).status", href) == 200
    # The scope comes before the form, so it is read first.
    assert page.evaluate("""() => Boolean(document.querySelector('.calculator-scope')
        .compareDocumentPosition(document.querySelector('form#calculator')) & Node.DOCUMENT_POSITION_FOLLOWING)""")


def test_an_answer_outside_the_scope_gives_the_scope_note_and_no_regimen(calculator):
    page = calculator.page
    for answer in ({"age_16_or_over": False}, {"pregnant_or_breastfeeding": True}):
        sent, shown = evaluate_form(page, {**SOURCE_PATIENT, **answer})
        assert shown == cpython_json(sent)
        result = json.loads(shown)
        assert result["in_scope"] is False and result["regimen"] is None
        note = page.inner_text(".calculator-regimen--out-of-scope .calculator-regimen__scope-note")
        assert note == result["scope_note"]
        assert page.locator(".calculator-regimen__summary").count() == 0


def test_the_serum_b12_unit_has_no_default_and_lists_ng_per_l_first(calculator):
    page = calculator.page
    enter(page, {**SOURCE_PATIENT, "serum_b12": "300"})
    unit = page.locator("#field-serum_b12_unit")
    options = unit.locator("option").evaluate_all("os => os.map(o => [o.value, o.defaultSelected])")
    assert options == [["", True], ["ng/L", False], ["pmol/L", False], ["pg/mL", False]]
    sent = {key: value for key, value in SOURCE_PATIENT.items() if key != "serum_b12_unit"}
    enter(page, {**sent, "serum_b12": "300"})  # a value without its unit: no result, the unit asked for
    answer = settled(page)
    assert answer["ok"] is False and [e["field"] for e in answer["errors"]] == ["serum_b12_unit"]


def test_the_assessment_date_is_filled_in_with_today_and_can_be_changed(new_page_log, calculator_server):
    log = new_page_log()
    page = log.page
    page.goto(calculator_server.url + f"calculator/{PATHWAY_ID}/")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]"
                          ".map(n => String(n).padStart(2, '0')).join('-'); }")
    assert today == date.today().isoformat()  # the browser's clock and this machine's agree
    assert page.input_value("#field-assessment_date") == today
    sent, shown = evaluate_form(page, {**SOURCE_PATIENT, "assessment_date": "2025-02-14"})
    assert json.loads(shown)["inputs"]["assessment_date"] == "2025-02-14" and shown == cpython_json(sent)
    assert log.problems() == []


def test_the_page_stayed_on_its_own_origin_without_errors(calculator, calculator_server):
    # Runs after the tests above on the same page, so it covers everything they did.
    assert calculator.foreign_requests(calculator_server.origin) == []
    assert calculator.problems() == []
    assert any(url.endswith("/engine/engine-lock.json") for url in calculator.requests)
    assert any(url.endswith(".whl") for url in calculator.requests)


def test_without_javascript_the_page_lists_the_inputs_and_says_where_to_read_the_rules(new_page_log, built_site, serve):
    server = serve(built_site, prefix=PREFIX)
    log = new_page_log(java_script_enabled=False)
    log.page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    notice = log.page.locator(".calculator-noscript")
    assert notice.is_visible()
    assert "needs JavaScript" in notice.inner_text()
    assert notice.locator("a").count() == 2
    for key, field in FIELDS.items():
        # A Yes/No question is named by its group's legend; its radios' labels are Yes and No.
        name = f'[data-field="{key}"] legend' if key in YES_NO else f"label[for='field-{key}']"
        assert log.page.locator(name).inner_text().startswith(field["label"])


def test_a_runtime_that_cannot_load_leaves_a_clear_message(new_page_log, built_site, serve):
    server = serve(built_site, prefix=PREFIX)
    log = new_page_log()
    log.context.route("**/engine/engine-lock.json", lambda route: route.fulfill(status=404, body="missing"))
    log.page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    log.page.wait_for_function(ENGINE_SETTLED, timeout=BOOT_TIMEOUT_MS)
    assert log.page.evaluate("document.documentElement.dataset.engine") == "failed"
    status = log.page.locator("#engine-status")
    assert "could not start" in status.inner_text()
    assert "No result" in log.page.inner_text("#result")
    assert status.locator("a").count() == 2
    assert log.page.locator("form#calculator").is_visible()

