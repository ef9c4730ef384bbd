"""Checks across fields (engine.checks): inputs valid one by one that cannot all be true are refused together,
with a message naming both values; checks run only on valid values, and a pathway's checks are published."""

from __future__ import annotations

import random

import pytest

from engine.checks import AtMostOneADay, NotAfter
from engine.conditions import AtLeast, MonthsBetween
from engine.exploration import explore
from engine.fields import Field, RequiredWhen
from engine.outcomes import Caution
from engine.pathway import Pathway
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rule_groups import input_space
from engine.rules import Evidence, Rule
from tests.input_classes import class_keys, random_member

FIELDS = (
    Field(key="doses", label="Doses given", type="integer", min=1, max=60),
    Field(key="weeks", label="Course length", type="number", unit="weeks", min=0.1, max=52,
          required_when=RequiredWhen("doses", (), "when doses were given", given=True)),
    Field(key="last_dose", label="Date of the last dose", type="date", min="2000-01-01", max="2099-12-31"),
    Field(key="seen", label="Assessment date", type="date", min="2000-01-01", max="2099-12-31"),
    Field(key="note", label="Note", type="bool"),
)
CHECKS = (AtMostOneADay("doses", "weeks"), NotAfter("last_dose", "seen"))


def _rule(rule_id, condition):
    return Rule(id=rule_id, title=rule_id, kind="caution", condition=condition, outcome=Caution(rule_id, "info"),
                basis="source", references=("r1",), evidence=Evidence("agrees", "n"))


def _pathway(checks=CHECKS, fields=FIELDS, rules=()):
    return Pathway(id="toy", title="Toy", version="1", source_date="2025-01-01", scope="s", fields=fields,
                   rules=rules, new_plan=Plan, regimen=lambda case: None, schedule=lambda case, regimen: [],
                   references=(Reference(key="r1", group="g", title="W"),),
                   reference_groups=(ReferenceGroup("g", "G", "i"),), disclaimer="d", evidence_intro="e",
                   gives_regimen=False, checks=checks)


TOY = _pathway()


def errors(inputs, pathway=TOY):
    result = pathway.evaluate(inputs)
    return [] if result["ok"] else [(error["field"], error["code"], error["message"]) for error in result["errors"]]


def test_a_date_after_the_one_it_cannot_follow_is_refused_naming_both():
    assert errors({"last_dose": "2026-10-01", "seen": "2026-01-05"}) == [
        ("last_dose", "range", "Date of the last dose (2026-10-01) is after the assessment date (2026-01-05): check "
                               "both dates (a wrong year?)")]
    assert errors({"last_dose": "2026-01-06", "seen": "2026-01-05"})  # one day is enough
    assert errors({"last_dose": "2026-01-05", "seen": "2026-01-05"}) == []  # the same day is possible
    assert errors({"last_dose": "2025-10-01", "seen": "2026-01-05"}) == []


def test_more_than_one_dose_a_day_is_refused_naming_both_values():
    assert errors({"doses": 10, "weeks": 1}) == [
        ("doses", "range", "Doses given (10) over 1 week (course length) is more than one a day: at most 8 can be "
                           "given from the first day to the last; check both values")]
    assert errors({"doses": 60, "weeks": 0.1})[0][2].startswith("Doses given (60) over 0.1 weeks (course length)")
    # count - 1 days from the first dose to the last: 8 daily doses span exactly a week; 15 span 2.
    assert errors({"doses": 8, "weeks": 1}) == [] and errors({"doses": 9, "weeks": 1})
    assert errors({"doses": 15, "weeks": 2}) == [] and errors({"doses": "16", "weeks": "2"})
    assert errors({"doses": 1, "weeks": 0.1}) == [] and errors({"doses": 2, "weeks": 0.1})
    assert errors({"doses": 6, "weeks": 3}) == []


def test_a_check_runs_only_when_every_field_it_names_is_valid():
    # The value already refused is reported once, for what is wrong with it; a blank field leaves no check.
    assert errors({"doses": 10, "weeks": "abc"}) == [
        ("weeks", "type", "Course length must be a number, not text 'abc'")]
    assert [code for _, code, _ in errors({"doses": 10, "weeks": 0})] == ["range"]  # the field's own range
    assert errors({"doses": 10, "weeks": 0})[0][0] == "weeks"
    assert errors({"last_dose": "2026-13-01", "seen": "2026-01-05"})[0][2].endswith("is not a real calendar date")
    assert errors({"last_dose": "2026-10-01"}) == []


def test_every_problem_is_reported_at_once():
    found = errors({"doses": 10, "weeks": 1, "last_dose": "2026-10-01", "seen": "2026-01-05", "note": "yes",
                    "extra": 1})
    assert [(field, code) for field, code, _ in found] == [
        ("extra", "unknown-field"), ("note", "type"), ("doses", "range"), ("last_dose", "range")]


def test_the_descriptor_publishes_the_checks_as_data():
    assert TOY.descriptor()["checks"] == [
        {"kind": "at_most_one_a_day", "count": "doses", "weeks": "weeks"},
        {"kind": "not_after", "field": "last_dose", "other": "seen"}]
    assert _pathway(checks=()).descriptor()["checks"] == []


@pytest.mark.parametrize(("check", "message"), [
    (NotAfter("last_dose", "missing"), "names unknown field 'missing'"),
    (NotAfter("doses", "seen"), "needs field 'doses' to be date, not integer"),
    (AtMostOneADay("weeks", "doses"), "needs field 'weeks' to be integer, not number"),
    (AtMostOneADay("doses", "seen"), "needs field 'seen' to be number or integer, not date"),
])
def test_a_check_on_an_unknown_field_or_of_the_wrong_type_fails_at_import(check, message):
    with pytest.raises(ValueError, match=message):
        _pathway(checks=(check,))


def test_the_input_space_stands_for_each_class_by_a_member_the_checks_accept():
    """The rules split doses at 6 and weeks at 2: the representative of "6 or more doses within 2 weeks" (33
    doses in about a week) is impossible, so the exploration takes a member the checks accept."""
    pathway = _pathway(rules=(_rule("many", AtLeast("doses", 6)), _rule("long", AtLeast("weeks", 2)),
                              _rule("gap", MonthsBetween("last_dose", "seen", 3))))
    found = explore(pathway)
    assert found.problems == []
    space, rng = input_space(pathway), random.Random(3)
    for key in class_keys(space):
        for inputs in (space.inputs(key), random_member(space, key, rng)):
            result = pathway.evaluate(inputs)
            assert result["ok"], (key, inputs, result["errors"])
            assert space.classify(result["inputs"]) == key
