"""The loading pathway: one test per rule, and its invariants over the whole enumerated input space."""

from __future__ import annotations

import random

import pytest

import engine
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.input_classes import class_keys, random_member, size
from tests.pathways.rule_harness import check_every_rule_has_a_case, check_rule, evaluated, published_rules

PATHWAY = "b12-loading"
RULES = published_rules(PATHWAY)
BASE = {"age_16_or_over": True, "pregnant_or_breastfeeding": False, "neurological_symptoms": False}
NEURO = {**BASE, "neurological_symptoms": True}
# The source document's 4 weekly injections
SOURCE_COURSE = {**BASE, "injections_given": 4, "course_weeks": 4, "course_pattern": "weekly"}
# UK practice's alternate-day phase: 6 injections, 3 a week, in 2 weeks
PHASE_DONE = {**BASE, "injections_given": 6, "course_weeks": 1.6, "course_pattern": "alternate_days"}
# The licence's own course: alternate days for 2 weeks, then weekly (review item 9: 6 over 3, 12 over 6 weeks)
THEN_WEEKLY = {**BASE, "injections_given": 6, "course_weeks": 3, "course_pattern": "alternate_then_weekly"}


def run(inputs):
    return evaluated(PATHWAY, inputs)


def caution(result, caution_id):
    return next((item for item in result["cautions"] if item["id"] == caution_id), None)


RULE_CASES = {
    "scope-under-16": ({**BASE, "age_16_or_over": False}, lambda r: not r["in_scope"] and r["next"] is None, BASE),
    "scope-pregnancy": ({**BASE, "pregnant_or_breastfeeding": True}, lambda r: r["regimen"] is None, BASE),
    "loading-standard": (BASE, lambda r: r["regimen"]["course"] == {"injections": 6, "weeks": 2, "per_week": 3}
                         and "3 times a week for 2 weeks (6 injections), then 250 micrograms weekly until the "
                         "blood count is normal, then maintenance" in r["regimen"]["summary"], NEURO),
    "loading-neurological": (NEURO, lambda r: r["regimen"]["course"]["every_days"] == 2
                             and "alternate days until there is no further improvement" in r["regimen"]["summary"],
                             BASE),
    "course-given": (SOURCE_COURSE, lambda r: r["findings"][0]["text"] == (
        "Course given so far: 4 injections over 4 weeks, weekly. Weekly injections only: not the licensed start, "
        "which is alternate days for 1 to 2 weeks."), BASE),
    "review-at-3-months": (BASE, lambda r: r["monitoring"][0]["interval"] == {"value": 3, "unit": "month"},
                           {**BASE, "age_16_or_over": False}),
    "course-entries-disagree": ({**PHASE_DONE, "injections_given": 5, "course_weeks": 3},
                                lambda r: caution(r, "course-entries-disagree")["severity"] == "warning",
                                {**PHASE_DONE, "injections_given": 7, "course_weeks": 3}),
    "loading-incomplete": (SOURCE_COURSE, lambda r: caution(r, "loading-incomplete")["severity"] == "warning"
                           and "Now: if the symptoms have not fully responded" in caution(r, "loading-incomplete")[
                               "text"], THEN_WEEKLY),
    "loading-complete": (PHASE_DONE, lambda r: caution(r, "loading-complete")["severity"] == "info"
                         and "if not yet, continue 250 micrograms weekly until it is" in caution(
                             r, "loading-complete")["text"], SOURCE_COURSE),
    "alternate-days-under-way": ({**PHASE_DONE, "injections_given": 3, "course_weeks": 1},
                                 lambda r: "continue 1 mg on alternate days (3 times a week) to the end of 2 weeks"
                                 in caution(r, "alternate-days-under-way")["text"], PHASE_DONE),
    "alternate-days-longer": ({**PHASE_DONE, "injections_given": 9, "course_weeks": 2.5},
                              lambda r: "move on to the weekly phase" in caution(r, "alternate-days-longer")["text"],
                              PHASE_DONE),
    "loading-weekly-phase": (THEN_WEEKLY, lambda r: caution(r, "loading-weekly-phase")["severity"] == "info"
                             and caution(r, "loading-incomplete") is None, SOURCE_COURSE),
    "neurological-involvement": (NEURO, lambda r: caution(r, "neurological-involvement")["severity"] == "high"
                                 and "urgent specialist" in caution(r, "neurological-involvement")["text"], BASE),
    "start-of-treatment-checks": (BASE, lambda r: "potassium" in caution(r, "start-of-treatment-checks")["text"],
                                  {**BASE, "pregnant_or_breastfeeding": True}),
    "folic-acid": ({**BASE, "folic_acid_planned": True}, lambda r: caution(r, "folic-acid")["severity"] == "high",
                   None),
}


def test_every_rule_has_a_test():
    check_every_rule_has_a_case(PATHWAY, RULE_CASES)


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule(rule_id):
    check_rule(PATHWAY, rule_id, RULE_CASES[rule_id])


def test_the_result_links_to_the_maintenance_calculator_with_the_answers_that_carry_over():
    result = run(BASE)
    assert result["next"]["pathway"] == "b12-maintenance"
    maintenance = {field["key"] for pathway in engine.pathways() if pathway["id"] == "b12-maintenance"
                   for field in pathway["inputs"]}
    assert set(result["next"]["carry_over"]) <= maintenance
    assert "neurological_symptoms" in result["next"]["carry_over"]


def test_a_dated_course_for_both_regimens():
    standard = run({**BASE, "start_date": "2026-12-07"})["schedule"]
    injections = [event["date"] for event in standard if event["event"] == "injection"]
    assert injections[:6] == ["2026-12-07", "2026-12-09", "2026-12-11", "2026-12-14", "2026-12-16", "2026-12-18"]
    assert "First maintenance injection" in standard[-1]["text"] or any(
        "First maintenance injection" in event["text"] for event in standard)
    open_ended = run({**NEURO, "start_date": "2026-12-07"})["schedule"]
    reviews = [event for event in open_ended if event["event"] == "review"]
    assert reviews[0]["date"] == "2026-12-21" and "no further improvement" in reviews[0]["text"]
    assert [event["date"] for event in open_ended if event["event"] == "injection"][:2] == ["2026-12-07",
                                                                                          "2026-12-09"]


SPACE = input_space(PATHWAYS[PATHWAY])


def test_invariants_hold_over_the_whole_input_space():
    """Neurological yes => alternate days and urgent specialist advice; the recommended course is never
    shorter than the licensed one (6 injections in 2 weeks); under 16 or pregnant => out of scope."""
    rng = random.Random(20261202)
    checked = 0
    evaluated = 0
    for key in class_keys(SPACE):
        for inputs in (SPACE.inputs(key), random_member(SPACE, key, rng)):
            result = run(inputs)
            evaluated += 1
            in_scope = inputs["age_16_or_over"] and not inputs["pregnant_or_breastfeeding"]
            assert result["in_scope"] == in_scope and (result["regimen"] is not None) == in_scope
            assert any(item["id"] == "folic-acid" for item in result["cautions"])
            if not in_scope:
                assert result["next"] is None and result["schedule"] == []
                continue
            course = result["regimen"]["course"]
            if inputs["neurological_symptoms"]:
                assert course == {"every_days": 2, "until": "no further improvement"}
                assert caution(result, "neurological-involvement")["severity"] == "high"
            else:
                assert course["injections"] >= 6 and course["weeks"] <= 2
                # The licence's weekly phase is never dropped (review item 16)
                assert "weekly until the blood count is normal" in result["regimen"]["summary"]
            given = inputs.get("injections_given")
            if given is not None and not inputs["neurological_symptoms"]:
                _check_course_advice(inputs, result)
            checked += 1
    assert evaluated == 2 * size(SPACE) and checked == evaluated // 4  # a quarter of the classes are in scope


COURSE_ADVICE = ("loading-complete", "alternate-days-under-way", "alternate-days-longer", "loading-weekly-phase",
                 "loading-incomplete", "course-entries-disagree")


def _check_course_advice(inputs, result):
    """A course given (no neurological involvement) always gets advice that can be followed from where the patient
    is, or a request to check entries that cannot describe one course; a licensed pattern is never called
    unlicensed (review item 9)."""
    given, weeks, pattern = inputs["injections_given"], inputs["course_weeks"], inputs["course_pattern"]
    fired = [item["id"] for item in result["cautions"] if item["id"] in COURSE_ADVICE]
    assert fired, inputs
    assert bool(caution(result, "loading-complete")) == (pattern == "alternate_days" and given >= 6 and weeks <= 2)
    assert bool(caution(result, "loading-incomplete")) == (pattern in ("weekly", "other"))
    if pattern == "alternate_then_weekly":
        assert fired == ["loading-weekly-phase"] and "not the licensed" not in result["findings"][0]["text"]
    if weeks > 2:  # nothing asks for what had to be done within 2 weeks once they are over
        assert not any("within 2 weeks" in item["text"] for item in result["cautions"]), inputs


def test_an_impossible_course_is_refused_naming_both_values():
    """More than one injection a day (review item 9): 10 in 1 week, 60 in 0.1 weeks; 8 in 1 week is possible."""
    for given, weeks in ((10, 1), (60, 0.1), (16, "2")):
        result = engine.evaluate(PATHWAY, {**PHASE_DONE, "injections_given": given, "course_weeks": weeks})
        assert not result["ok"]
        ((field, code, message),) = [(e["field"], e["code"], e["message"]) for e in result["errors"]]
        assert (field, code) == ("injections_given", "range") and "more than one a day" in message
        assert f"({given})" in message and "course length so far" in message
    assert run({**PHASE_DONE, "injections_given": 8, "course_weeks": 1})["ok"]


@pytest.mark.parametrize(("given", "weeks"), [(6, 3), (12, 6), (8, 4.5)])
def test_the_licences_own_course_is_not_called_unlicensed(given, weeks):
    """Alternate days, then weekly (the SmPC's course): 6 over 3 weeks, 12 over 6 weeks (review item 9)."""
    result = run({**THEN_WEEKLY, "injections_given": given, "course_weeks": weeks})
    assert caution(result, "loading-incomplete") is None
    assert "the licence's course" in result["findings"][0]["text"]
    assert "continue 250 micrograms weekly until the blood count is normal" in caution(
        result, "loading-weekly-phase")["text"]


def test_the_pattern_of_a_course_given_is_asked_never_assumed():
    result = engine.evaluate(PATHWAY, {**BASE, "injections_given": 6, "course_weeks": 3})
    assert [(e["field"], e["code"], e["message"]) for e in result["errors"]] == [
        ("course_pattern", "required", "How the injections were given is required when injections were already "
                                       "given")]


def test_advice_for_weekly_injections_says_what_to_do_now():
    """The source's 4 weekly injections (review item 9): no '6 within 2 weeks' once 4 weeks have passed; what to
    do now, from where the patient is."""
    text = caution(run(SOURCE_COURSE), "loading-incomplete")["text"]
    assert "within 2 weeks" not in text
    assert "Now: if the symptoms have not fully responded or the blood count is not yet normal, give 1 mg on " \
           "alternate days (3 times a week) for 1 to 2 weeks" in text
    assert "then 250 micrograms weekly until the blood count is normal (the licence), then maintenance" in text


def test_the_licences_weekly_phase_is_in_the_details_and_the_evidence_not_called_the_licence_verbatim():
    """Review item 16: 'within the UK licence' dropped the weekly phase; 3 times a week for 2 weeks is BNF
    practice, not the licence's words."""
    details = " ".join(run(BASE)["regimen"]["details"])
    assert "Within the UK licence" not in details and "UK practice (BNF): 1 mg 3 times a week for 2 weeks" in details
    assert "250 micrograms weekly until it is normal" in details
    note = RULES["loading-standard"]["evidence"]["note"]
    assert "then 250 micrograms weekly until the blood count is normal" in note and "not its words" in note


def test_the_schedule_checks_the_blood_count_at_the_end_of_the_two_weeks():
    schedule = run({**BASE, "start_date": "2026-12-07"})["schedule"]
    (check,) = [event for event in schedule if event["date"] == "2026-12-21"]
    assert check["event"] == "review" and "250 micrograms weekly until it is" in check["text"]
