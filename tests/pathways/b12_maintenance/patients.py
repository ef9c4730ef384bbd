"""B12 maintenance patients for the tests: every required question answered, so a test states only what it is about."""

from __future__ import annotations

from typing import Any

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
