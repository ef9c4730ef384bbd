"""B12 maintenance patients for the tests: every required question answered, so a test states only what it is about."""

from __future__ import annotations

from typing import Any

from tests.pathways.rule_harness import evaluated

ANSWERED = {
    "age_16_or_over": True,
    "pregnant_or_breastfeeding": False,
    "loading_response": "improved",
    "neurological_symptoms": False,
    "symptoms_recur_before_next_dose": False,
}


def patient(**values: Any) -> dict[str, Any]:
    """The scope and required questions answered (in scope, no neurological symptoms, no recurrence), then
    ``values``; the current regimen is injections when an interval is given, else none yet; a recurrence is
    neurological when the patient has neurological symptoms, unless ``recurrence_neurological`` says otherwise."""
    current = "injections" if "current_interval_months" in values else "none"
    answers = {**ANSWERED, "current_regimen": current, **values}
    if answers["symptoms_recur_before_next_dose"] is True:
        answers.setdefault("recurrence_neurological", answers["neurological_symptoms"])
    return answers


def run(inputs: dict[str, Any]) -> dict[str, Any]:
    """The maintenance pathway's result for ``inputs``, which it must accept."""
    return evaluated("b12-maintenance", inputs)


def cautions(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The result's cautions by rule id."""
    return {item["id"]: item for item in result["cautions"]}


def interval(result: dict[str, Any]) -> int:
    """The regimen's interval in months."""
    return result["regimen"]["interval"]["value"]
