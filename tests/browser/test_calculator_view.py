"""The calculator's result view in Chromium: updated in place, and rendered from what the engine gives.

- An answer that changes one input changes the result in place: blocks and items whose data did not change are
  the same DOM nodes (and get no mutation), a "Why" the reader opened stays open.
- An answer that is late (held back in the worker) leaves the older result on screen marked "not current", its
  actions disabled, until it comes.
- The words come from the engine's data, with generic fallbacks: the descriptor's ``labels`` (the regimen's
  heading, "outside this pathway", the schedule's event names), the regimen's ``details``, a trace entry's
  ``overridden_by``, and an answer in scope without a regimen (findings only).

The engine gains ``labels``, ``details`` and ``overridden_by`` separately; these tests do not wait for it. The
calculator page is served with its descriptor's labels set (or removed) by the test, and engine-worker.js with a
step appended that passes each answer through ``self.reshape`` when the test has set one in the worker: the page
sees what such an engine would send, and the rest of the answer is the real engine's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, Worker

from sitebuild.server import SiteServer
from tests.browser.conftest import PageLog, record
from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, enter

CALCULATOR = f"calculator/{PATHWAY_ID}/"
LABELS = {
    "regimen": "Maintenance regimen (test label)",
    "out_of_scope": "Not for this pathway (test label)",
    "events": {"injection": "Jab (test label)", "blood-test": "Bloods (test label)", "review": "Look (test label)"},
}
SETTLED = "() => ['ok', 'error'].includes(document.querySelector('#result').dataset.state)"

# Appended to engine-worker.js: evaluate() is a module-level function binding, so this replaces it. While
# self.hold is set, answers wait until self.release() (the heartbeat is still answered: the engine is up).
RESHAPING_WORKER = """
;{
  const held = [];
  self.release = () => { for (const post of held.splice(0)) post(); };
  evaluate = ({ id, pathway, input_json }) => {
    let text = engine.evaluate_json(String(pathway), String(input_json));
    if (typeof self.reshape === "function") text = JSON.stringify(self.reshape(JSON.parse(text)));
    const post = () => self.postMessage({ type: "result", id, json: text });
    if (self.hold) held.push(post);
    else post();
  };
}
"""


def reshaping_worker(route: Route) -> None:
    original = route.fetch()
    route.fulfill(response=original, body=original.text() + RESHAPING_WORKER)


def with_labels(labels: dict[str, Any] | None):
    """A route handler serving the calculator page with its descriptor's labels set to ``labels`` (None: none)."""

    def handle(route: Route) -> None:
        response = route.fetch()

        def replace(match: re.Match[str]) -> str:
            config = json.loads(match.group(1))
            config["pathway"].pop("labels", None)
            if labels is not None:
                config["pathway"]["labels"] = labels
            text = json.dumps(config)
            for char in "&<>'":  # as Jinja's tojson does, for the single-quoted attribute
                text = text.replace(char, f"\\u{ord(char):04x}")
            return f"data-config='{text}'"

        body, count = re.subn(r"data-config='([^']*)'", replace, response.text())
        assert count == 1, "the calculator page has no data-config"
        route.fulfill(response=response, body=body)

    return handle


def another_builds_table(route: Route) -> None:
    """The answer table as if of another build: the page must ignore it (the reshaped answers differ from it
    on purpose, and a table of another engine is never shown)."""
    original = route.fetch()
    table = original.json()
    table["engine_version"] = "0.0.0-another-build"
    route.fulfill(response=original, body=json.dumps(table))


def open_page(browser: Browser, server: SiteServer, labels: dict[str, Any] | None) -> tuple[PageLog, Worker]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.route("**/assets/calculator/engine-worker.js", reshaping_worker)
    context.route(f"**/assets/answers/{PATHWAY_ID}.json", another_builds_table)
    context.route(re.compile(re.escape(server.url + CALCULATOR) + r"(index\.html)?$"), with_labels(labels))
    log = record(context)
    log.page.goto(server.url + CALCULATOR)
    log.page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=BOOT_TIMEOUT_MS)
    (worker,) = [w for w in log.page.workers if w.url.endswith("/engine-worker.js")]
    return log, worker


@pytest.fixture(scope="module")
def labelled(browser: Browser, site_server: SiteServer) -> Iterator[tuple[PageLog, Worker]]:
    """The calculator with the test's labels in its descriptor; the tests below reshape answers in turn."""
    log, worker = open_page(browser, site_server, LABELS)
    yield log, worker
    log.context.close()


def show(page: Page, worker: Worker, reshape: str | None, inputs: dict[str, Any] = SOURCE_PATIENT) -> dict[str, Any]:
    """Set the worker's reshaping (a JavaScript function of the answer, or None), enter ``inputs``, and return
    the answer the page then shows."""
    worker.evaluate(f"() => {{ self.reshape = {reshape or 'null'}; }}")
    enter(page, inputs)
    page.dispatch_event("form#calculator", "input")
    page.wait_for_function(SETTLED)
    return json.loads(page.get_attribute("#result", "data-result"))


# ---------------------------------------------------------------- in place


# Marks the result's parts (as properties of the DOM nodes, which only the same node can still carry) and
# records every mutation inside the result from then on.
MARK = """() => {
  const result = document.querySelector('#result');
  const parts = {regimen: '.calculator-regimen', cautions: '.calculator-cautions', caution: '[data-caution]',
                 finding: '[data-finding]', why: '.calculator-why', computed: '.calculator-computed'};
  for (const [name, selector] of Object.entries(parts)) result.querySelector(selector).__mark = name;
  window.__mutated = [];
  window.__observer = new MutationObserver(records => {
    for (const r of records) window.__mutated.push(r.target.nodeType === 1 ? r.target : r.target.parentElement);
  });
  window.__observer.observe(result, {subtree: true, childList: true, characterData: true, attributes: true,
                                     attributeFilter: ['class', 'data-rule', 'data-finding', 'data-caution', 'href']});
}"""
MARKED = """() => {
  window.__observer.disconnect();
  const result = document.querySelector('#result');
  const same = name => [...result.querySelectorAll('*')].some(e => e.__mark === name);
  const within = selector => window.__mutated.filter(e => e.closest(selector)).length;
  const names = ['regimen', 'cautions', 'caution', 'finding', 'why', 'computed'];
  return {same: Object.fromEntries(names.map(n => [n, same(n)])),
          mutatedIn: {regimen: within('.calculator-regimen'), cautions: within('.calculator-cautions'),
                      finding: within('[data-finding]'), computed: within('.calculator-computed')},
          whyOpen: result.querySelector('.calculator-why').open};
}"""


def test_a_changed_input_updates_the_result_in_place(labelled):
    log, worker = labelled
    page = log.page
    first = show(page, worker, None)
    page.locator(".calculator-why > summary").click()  # the reader opens "Why"
    page.evaluate(MARK)
    page.fill("#field-serum_b12", "460")
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok' && "
                           "JSON.parse(document.querySelector('#result').dataset.result).inputs.serum_b12 === 460")
    second = json.loads(page.get_attribute("#result", "data-result"))
    assert second["regimen"] == first["regimen"] and second["cautions"] == first["cautions"]
    assert second["findings"] != first["findings"]
    marked = page.evaluate(MARKED)
    # Kept: every part is the node it was; what did not change was not touched; what changed was updated.
    assert all(marked["same"].values()), marked
    assert marked["mutatedIn"]["regimen"] == 0 and marked["mutatedIn"]["cautions"] == 0, marked
    assert marked["mutatedIn"]["finding"] > 0 and marked["mutatedIn"]["computed"] > 0, marked
    assert marked["whyOpen"], "the Why the reader opened was closed by the update"
    assert "460 pmol/L" in page.locator('[data-finding="serum-b12"]').inner_text()


STALE_NOTICE = "Updating: what is shown below was computed from earlier details and is not current."
ACTIONS = ("#action-copy", "#action-print", "#action-ics")


def test_a_late_answer_leaves_the_older_result_marked_not_current_until_it_comes(labelled):
    log, worker = labelled
    page = log.page
    show(page, worker, None)
    older = page.get_attribute("#result", "data-result")
    worker.evaluate("() => { self.hold = true; }")
    try:
        page.fill("#field-serum_b12", "470")
        assert page.get_attribute("#result", "data-state") == "pending"
        assert page.get_attribute("#result", "aria-busy") == "true"
        page.wait_for_function("() => document.querySelector('#result').dataset.stale === 'true'")
        assert page.locator("#result > .calculator-result__stale").inner_text() == STALE_NOTICE
        assert page.get_attribute("#result", "data-result") == older  # still shown, under the notice
        assert page.locator("#result .calculator-regimen").is_visible()
        assert all(page.locator(button).is_disabled() for button in ACTIONS)
    finally:
        worker.evaluate("() => { self.hold = false; self.release(); }")
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'")
    assert json.loads(page.get_attribute("#result", "data-result"))["inputs"]["serum_b12"] == 470
    assert page.locator(".calculator-result__stale").count() == 0
    assert page.get_attribute("#result", "data-stale") is None and page.get_attribute("#result", "aria-busy") is None
    assert all(page.locator(button).is_enabled() for button in ACTIONS)


# ---------------------------------------------------------------- the engine's words


def test_the_descriptors_labels_name_the_regimen_and_the_schedule_events(labelled):
    log, worker = labelled
    page = log.page
    result = show(page, worker, None)
    assert page.locator(".calculator-regimen__label").text_content() == LABELS["regimen"]
    events = page.locator(".calculator-schedule tbody td:nth-child(2)").all_text_contents()
    assert events == [LABELS["events"][event["event"]] for event in result["schedule"]]


def test_without_labels_the_page_uses_generic_words(browser, site_server):
    log, worker = open_page(browser, site_server, None)
    try:
        page = log.page
        result = show(page, worker, None)
        assert page.locator(".calculator-regimen__label").text_content() == "Recommendation"
        events = page.locator(".calculator-schedule tbody td:nth-child(2)").all_text_contents()
        assert events == [event["event"] for event in result["schedule"]]  # the engine's event ids
        show(page, worker, "r => ({...r, in_scope: false, regimen: null, scope_note: 'Not for this patient.'})")
        assert page.locator(".calculator-regimen--out-of-scope .calculator-regimen__label").text_content() == (
            "Outside this pathway")
        assert log.problems() == []
    finally:
        log.context.close()


def test_the_regimens_details_are_the_engines_lines_under_the_summary(labelled):
    log, worker = labelled
    page = log.page
    details = ["Interval in the guideline: every 2 to 3 months.", "Duration: for life."]
    result = show(page, worker, f"r => ({{...r, regimen: {{...r.regimen, details: {json.dumps(details)}}}}})")
    assert result["regimen"]["details"] == details
    lines = page.locator(".calculator-regimen__details li").all_inner_texts()
    assert lines == details  # and nothing the page made of the regimen's other fields
    # Without details, only the engine's duration note is shown there.
    result = show(page, worker, "r => { const {details, ...regimen} = r.regimen; return {...r, regimen}; }")
    assert "details" not in result["regimen"]
    assert page.locator(".calculator-regimen__details li").all_inner_texts() == [result["regimen"]["duration_note"]]


def test_an_answer_in_scope_without_a_regimen_shows_its_findings_and_no_regimen(labelled):
    log, worker = labelled
    page = log.page
    result = show(page, worker, "r => ({...r, regimen: null})")
    assert result["in_scope"] is True and result["regimen"] is None
    assert page.locator("#result .calculator-regimen").count() == 0
    text = page.inner_text("#result")
    assert LABELS["out_of_scope"] not in text and "Outside this pathway" not in text
    assert page.locator("#result [data-finding]").count() == len(result["findings"]) > 0
    # Out of scope is the engine's in_scope: false, in the descriptor's words.
    show(page, worker, "r => ({...r, in_scope: false, regimen: null, scope_note: 'Not for this patient.'})")
    block = page.locator(".calculator-regimen--out-of-scope")
    assert block.locator(".calculator-regimen__label").text_content() == LABELS["out_of_scope"]
    assert block.locator(".calculator-regimen__scope-note").inner_text() == "Not for this patient."


def test_an_overridden_rule_says_which_rule_overrode_it(labelled):
    log, worker = labelled
    page = log.page
    result = show(page, worker, """r => ({...r, trace: r.trace.map((step, i) => i === 0
        ? {...step, overridden_by: r.trace[1].rule} : i === 1 ? {...step, overridden_by: 'no-such-rule'} : step)})""")
    first, second = result["trace"][:2]
    assert page.locator(f'.calculator-trace__rule[data-rule="{first["rule"]}"] .calculator-trace__overridden'
                        ).inner_text() == f"Overridden by {second['title']}"
    # A rule not in the trace is named by its id.
    assert page.locator(f'.calculator-trace__rule[data-rule="{second["rule"]}"] .calculator-trace__overridden'
                        ).inner_text() == "Overridden by no-such-rule"
    assert page.locator(".calculator-trace__overridden").count() == 2


def test_the_view_pages_logged_no_errors(labelled, site_server):
    log, _ = labelled
    assert log.problems() == []
    assert log.foreign_requests(site_server.origin) == []
