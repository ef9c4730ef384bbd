"""The mechanics of the loading pathway: how its course outcome changes the plan, and how the result (the course
and the schedule) is assembled from the plan the rules settled on.

The rulebook (rules.py) says which course follows from what; the numbers and sentences of a course come from
regimens.py, written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from engine.case import Case, FiredRule
from engine.dates import add_months
from engine.fields import Field
from engine.outcomes import PlanChange
from engine.pathway import shaping_rules
from engine.pathways.b12_loading.regimens import (
    ALTERNATE_DAYS_SHOWN,
    BLOOD_COUNT_CHECK_DAY,
    LOADING_DAYS,
    LOADING_INJECTIONS,
    LOADING_WEEKS,
    MAINTENANCE_MONTHS,
    REVIEW_AFTER_DAYS,
    SUMMARIES,
)
from engine.pathways.b12_shared import INJECTION, REVIEW_MONTHS
from engine.plan import Plan

# --- the plan and its outcome ------------------------------------------------------------------------


def new_plan() -> Plan:
    return Plan(course=None)


@dataclass(frozen=True)
class Course(PlanChange):
    """The loading course: ``standard`` (3 times a week for 2 weeks) or ``neurological`` (alternate days)."""

    course: str

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.plan.set("course", self.course, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return SUMMARIES[self.course]

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"course": self.course}}


# --- result assembly ----------------------------------------------------------------------------


def build_course(case: Case) -> dict[str, Any]:
    course = case.plan["course"]
    rules, references = shaping_rules(case)
    then = MAINTENANCE_MONTHS[course]
    regimen: dict[str, Any] = {"drug": "hydroxocobalamin", "route": "intramuscular", "dose_micrograms": 1000,
                               "summary": SUMMARIES[course], "rules": rules, "references": references}
    if course == "standard":
        regimen["course"] = {"injections": LOADING_INJECTIONS, "weeks": LOADING_WEEKS, "per_week": 3}
        regimen["details"] = [
            f"UK practice (BNF): 1 mg 3 times a week for {LOADING_WEEKS} weeks, within the licence's first phase "
            "(250 to 1000 micrograms on alternate days for 1 to 2 weeks).",
            f"At the end of the {LOADING_WEEKS} weeks check the blood count: the licence continues with 250 "
            "micrograms weekly until it is normal.",
            f"Then maintenance: 1 mg every 2 to 3 months, starting about {then} months after the last loading or "
            "weekly injection (the maintenance calculator plans it).",
        ]
    else:
        regimen["course"] = {"every_days": 2, "until": "no further improvement"}
        regimen["details"] = [
            "Seek urgent specialist (haematology) advice.",
            "Review the response every 2 weeks: continue on alternate days while the symptoms improve.",
            f"Then maintenance: 1 mg every {then} months (the maintenance calculator plans it).",
        ]
    return regimen


def build_schedule(case: Case, regimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The dated course from its first injection (a course not begun yet), and NICE's review 3 months after it."""
    start_text = case.values.get("start_date")
    if regimen is None or start_text is None:
        return []
    start = date.fromisoformat(start_text)
    events: list[tuple[date, int, dict[str, Any]]] = []

    def add(day: date, order: int, event: str, text: str) -> None:
        events.append((day, order, {"date": day.isoformat(), "event": event, "text": text}))

    if case.values.get("injections_given") is not None:
        # A course under way or given is not dated again from its first injection (those dates are past, and the
        # pattern given may differ): the cautions say what to do next, and NICE's review is dated from its start.
        pass
    elif regimen["course"].get("injections"):
        for number, offset in enumerate(LOADING_DAYS, start=1):
            add(start + timedelta(days=offset), 0, "injection",
                f"{INJECTION} (loading injection {number} of {LOADING_INJECTIONS})")
        add(start + timedelta(days=BLOOD_COUNT_CHECK_DAY), 2, "review",
            "Check the blood count: if it is not yet normal, give 250 micrograms weekly until it is (the licence), "
            "and start maintenance 3 months after the last weekly injection instead of the date below")
        last = start + timedelta(days=LOADING_DAYS[-1])
        add(add_months(last, MAINTENANCE_MONTHS["standard"]), 0, "injection",
            "First maintenance injection, when no weekly injections were needed (then every 2 to 3 months: see the "
            "maintenance calculator)")
    else:
        for number in range(ALTERNATE_DAYS_SHOWN):
            add(start + timedelta(days=2 * number), 0, "injection",
                f"{INJECTION} (alternate days, injection {number + 1}; continue while the "
                "symptoms improve)")
        add(start + timedelta(days=REVIEW_AFTER_DAYS), 2, "review",
            "Review with the specialist team: continue on alternate days while the symptoms improve; when there is "
            "no further improvement, move to maintenance every 2 months")
    add(add_months(start, REVIEW_MONTHS), 2, "review",
        f"Review the symptoms ({REVIEW_MONTHS} months after the start of treatment, as NICE advises)")
    return [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]
