"""The independent review of the revised loading calculator: a course already given is never dated again."""

from __future__ import annotations

import pytest

import engine

ANSWERED = {"age_16_or_over": True, "pregnant_or_breastfeeding": False, "neurological_symptoms": False,
            "start_date": "2026-10-01"}


@pytest.mark.parametrize(("given", "weeks", "pattern"), [(12, 6, "alternate_then_weekly"), (4, 3, "weekly"),
                                                         (2, 0.5, "alternate_days")])
def test_a_course_given_is_not_relabelled_as_a_new_course_from_its_first_injection(given, weeks, pattern):
    result = engine.evaluate("b12-loading", {**ANSWERED, "injections_given": given, "course_weeks": weeks,
                                             "course_pattern": pattern})
    assert result["ok"], result
    assert [event["event"] for event in result["schedule"]] == ["review"]
    assert result["schedule"][0]["date"] == "2027-01-01"


def test_a_course_not_begun_is_dated_from_its_first_injection():
    result = engine.evaluate("b12-loading", ANSWERED)
    injections = [event for event in result["schedule"] if event["event"] == "injection"]
    assert injections[0]["date"] == "2026-10-01" and "loading injection 1 of 6" in injections[0]["text"]
