"""The loading pathway: one test per rule, and its invariants over the whole enumerated input space."""

from __future__ import annotations

import random

import pytest

import engine
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.input_classes import class_keys, random_member, size

PATHWAY = "b12-loading"
(DESCRIPTOR,) = [pathway for pathway in engine.pathways() if pathway["id"] == PATHWAY]
RULES = {rule["id"]: rule for rule in DESCRIPTOR["rules"]}
BASE = {"age_16_or_over": True, "pregnant_or_breastfeeding": False, "neurological_symptoms": False}
NEURO = {**BASE, "neurological_symptoms": True}
SOURCE_COURSE = {**BASE, "injections_given": 4, "course_weeks": 4}  # the source document's 4 weekly injections


def run(inputs):
    result = engine.evaluate(PATHWAY, inputs)
    assert result["ok"], result
    return result


def caution(result, caution_id):
    return next((item for item in result["cautions"] if item["id"] == caution_id), None)


RULE_CASES = {
    "scope-under-16": ({**BASE, "age_16_or_over": False}, lambda r: not r["in_scope"] and r["next"] is None, BASE),
    "scope-pregnancy": ({**BASE, "pregnant_or_breastfeeding": True}, lambda r: r["regimen"] is None, BASE),
    "loading-standard": (BASE, lambda r: r["regimen"]["course"] == {"injections": 6, "weeks": 2, "per_week": 3}
                         and "3 times a week for 2 weeks (6 injections)" in r["regimen"]["summary"], NEURO),
    "loading-neurological": (NEURO, lambda r: r["regimen"]["course"]["every_days"] == 2
                             and "alternate days until there is no further improvement" in r["regimen"]["summary"],
                             BASE),
    "course-given": (SOURCE_COURSE, lambda r: "fewer injections and over a longer time" in r["findings"][0]["text"],
                     BASE),
    "review-at-3-months": (BASE, lambda r: r["monitoring"][0]["interval"] == {"value": 3, "unit": "month"},
                           {**BASE, "age_16_or_over": False}),
    "loading-incomplete": (SOURCE_COURSE, lambda r: caution(r, "loading-incomplete")["severity"] == "warning",
                           {**BASE, "injections_given": 6, "course_weeks": 2}),
    "loading-complete": ({**BASE, "injections_given": 6, "course_weeks": 1.6},
                         lambda r: caution(r, "loading-complete")["severity"] == "info", SOURCE_COURSE),
    "neurological-involvement": (NEURO, lambda r: caution(r, "neurological-involvement")["severity"] == "high"
                                 and "urgent specialist" in caution(r, "neurological-involvement")["text"], BASE),
    "start-of-treatment-checks": (BASE, lambda r: "potassium" in caution(r, "start-of-treatment-checks")["text"],
                                  {**BASE, "pregnant_or_breastfeeding": True}),
    "folic-acid": ({**BASE, "folic_acid_planned": True}, lambda r: caution(r, "folic-acid")["severity"] == "high",
                   None),
}


def test_every_rule_has_a_test():
    assert set(RULE_CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule(rule_id):
    fires_on, outcome, silent_on = RULE_CASES[rule_id]
    result = run(fires_on)
    assert rule_id in [step["rule"] for step in result["trace"]]
    assert outcome(result)
    if silent_on is not None:
        assert rule_id not in [step["rule"] for step in run(silent_on)["trace"]]


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
            given = inputs.get("injections_given")
            if given is not None and not inputs["neurological_symptoms"]:
                licensed = given >= 6 and inputs["course_weeks"] <= 2
                assert bool(caution(result, "loading-complete")) == licensed
                assert bool(caution(result, "loading-incomplete")) == (not licensed)
            checked += 1
    assert evaluated == 2 * size(SPACE) and checked == evaluated // 4  # a quarter of the classes are in scope
