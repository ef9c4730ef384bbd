"""The mechanics of the maintenance pathway: how its rules' outcomes change the plan, what the rules may ask of
the plan, and how the result (the regimen and the schedule) is assembled from the plan the rules settled on.

The rulebook (rules.py) says which outcome follows from what; this module says what each outcome does. The
numbers and sentences of a regimen come from regimens.py, written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from engine.case import Case, FiredRule
from engine.conditions import State
from engine.dates import add_months
from engine.fields import Field
from engine.outcomes import PlanChange
from engine.pathway import shaping_rules
from engine.pathways.b12_maintenance.regimens import (
    ALTERNATE_DAY_INJECTIONS_SHOWN,
    CYANOCOBALAMIN_DIETARY_RANGE,
    CYANOCOBALAMIN_DOSE_MICROGRAMS,
    FOR_LIFE,
    HYDROXOCOBALAMIN_DOSE_MICROGRAMS,
    INTERVALS,
    LICENSED_RANGE,
    LICENSED_SHORTEST_MONTHS,
    NOT_FOR_LIFE,
    ORAL_COURSES,
    SCHEDULED_INJECTIONS,
    SPECIALIST_REVIEW_DAYS,
    STANDARD_INTERVAL_RANGE,
    STANDARD_MONTHS,
    WHILE_IMPROVING,
    every,
)
from engine.pathways.b12_shared import INJECTION, REVIEW_MONTHS
from engine.plan import Plan

# --- the plan and the outcomes that shape it ------------------------------------------------------


def new_plan() -> Plan:
    """The regimen as the rules shape it: no route until a rule gives one, no duration until a rule says."""
    return Plan(route=None, interval_months=None, lifelong=None, alternate_days=False,
                at_licence_limit=False, recurred_on_monthly=False)


@dataclass(frozen=True)
class Oral(PlanChange):
    """Cyanocobalamin by mouth daily: for a dietary cause, for a medicine-induced one, or continued as now."""

    course: str

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.plan.set("route", "oral", rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return ORAL_COURSES[self.course]

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "oral", "oral_course": self.course}}


@dataclass(frozen=True)
class Injections(PlanChange):
    """Hydroxocobalamin injections at least every ``months`` months."""

    months: int

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.plan.set("route", "intramuscular", rule.id)
        case.plan.at_most("interval_months", self.months, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        low, high = STANDARD_INTERVAL_RANGE
        span = f" (range {low}-{high} months)" if self.months == STANDARD_MONTHS else ""
        return f"{INJECTION} at least {every(self.months)}{span}"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"at_most": self.months}}}


@dataclass(frozen=True)
class AlternateDays(PlanChange):
    """Alternate-day injections while the symptoms improve, then injections at least every 2 months."""

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.plan.set("alternate_days", True, rule.id)
        Injections(LICENSED_SHORTEST_MONTHS).apply(case, rule)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"{INJECTION} {WHILE_IMPROVING}, then at least {every(LICENSED_SHORTEST_MONTHS)}"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "alternate_days": True,
                         "interval_months": {"at_most": LICENSED_SHORTEST_MONTHS}}}


@dataclass(frozen=True)
class StepUp(PlanChange):
    """One step more frequent within the licence (3 to 2 months); at its limit the interval stays, flagged."""

    current: str

    def apply(self, case: Case, rule: FiredRule) -> None:
        current = case.values.get(self.current)
        base = current or case.plan["interval_months"] or STANDARD_MONTHS
        if base > LICENSED_SHORTEST_MONTHS:
            Injections(base - 1).apply(case, rule)
            return
        # Beyond the licence is a specialist's decision: the interval stays and specialist advice is asked for.
        Injections(base).apply(case, rule)
        case.plan.set("at_licence_limit", True, rule.id)
        if current == 1:
            case.plan.set("recurred_on_monthly", True, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return ("Injections one step more frequent within the licence: from every 3 months to every 2 (from the "
                "current interval, or from the interval the rules above give when the patient is not on injections "
                "yet). At every 2 months, or already monthly, the interval stays as it is and specialist advice is "
                "asked for: more frequent injections are a specialist's decision")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"step_down_from": self.current,
                                                                        "not_below": LICENSED_SHORTEST_MONTHS}}}

    def reads(self) -> tuple[str, ...]:
        return (self.current,)


@dataclass(frozen=True)
class KeepCurrent(PlanChange):
    """Injections at least as often as the current interval: never longer, never back to oral treatment."""

    current: str

    def apply(self, case: Case, rule: FiredRule) -> None:
        Injections(case.values[self.current]).apply(case, rule)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return ("Injections at least as often as now: never a longer interval than the current one, nor a switch "
                "from injections to oral treatment")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"at_most_field": self.current}}}

    def reads(self) -> tuple[str, ...]:
        return (self.current,)


@dataclass(frozen=True)
class Duration(PlanChange):
    """Whether the regimen is for life."""

    lifelong: bool

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.plan.set("lifelong", self.lifelong, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return FOR_LIFE if self.lifelong else NOT_FOR_LIFE

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"lifelong": self.lifelong}}


# --- what the rules may ask of the plan (and of the scope) ----------------------------------------

LIFELONG = State("lifelong", "the regimen is lifelong", lambda case: case.plan["lifelong"] is True)
INTRAMUSCULAR = State("intramuscular", "the regimen is intramuscular",
                      lambda case: case.plan["route"] == "intramuscular")
ORAL = State("oral", "the regimen is oral", lambda case: case.plan["route"] == "oral")
OUT_OF_SCOPE = State("out-of-scope", "the patient is outside this pathway", lambda case: not case.in_scope)
OFF_LICENCE = State("off-licence", f"injections more often than every {LICENSED_SHORTEST_MONTHS} months",
                    lambda case: case.plan["route"] == "intramuscular"
                    and case.plan["interval_months"] < LICENSED_SHORTEST_MONTHS)
ALTERNATE_DAYS = State("alternate-days", "alternate-day injections while the symptoms improve",
                       lambda case: case.plan["alternate_days"])
AT_LICENCE_LIMIT = State("at-licence-limit", "symptoms recur on injections at least every 2 months",
                         lambda case: case.plan["at_licence_limit"])
RECURRED_ON_MONTHLY = State("recurred-on-monthly", "symptoms recur despite monthly injections",
                            lambda case: case.plan["recurred_on_monthly"])
EVERY = {months: State(f"every-{months}-months", f"the regimen is injections {every(months)}",
                       lambda case, months=months: case.plan["route"] == "intramuscular"
                       and case.plan["interval_months"] == months)
         for months in INTERVALS}


# --- result assembly ----------------------------------------------------------------------------


def _oral_regimen(case: Case, rules: list[dict[str, Any]], references: list[str]) -> dict[str, Any]:
    # Which oral course: the outcome of the (last) oral rule that shaped the route.
    course = next(rule.outcome.course for rule in reversed(case.shaped) if isinstance(rule.outcome, Oral))
    lifelong = bool(case.plan["lifelong"])
    if course == "dietary":
        duration = ("Continue while dietary intake stays inadequate; review whether the diet has improved, and "
                    "monitor the response.")
    elif lifelong:
        duration = f"{FOR_LIFE}."
    else:
        duration = f"{NOT_FOR_LIFE}."
    summary = ORAL_COURSES[course] + (" for life" if lifelong else "")
    regimen: dict[str, Any] = {
        "drug": "cyanocobalamin",
        "route": "oral",
        "dose_micrograms": CYANOCOBALAMIN_DOSE_MICROGRAMS,
        "interval": {"value": 1, "unit": "day"},
        "lifelong": lifelong,
        "duration_note": duration,
        "summary": summary,
        "details": [duration],
        "references": references,
        "rules": rules,
    }
    if course == "dietary":
        low, high = CYANOCOBALAMIN_DIETARY_RANGE
        regimen["dose_range_micrograms"] = [low, high]
        regimen["details"].insert(0, f"The source's dose range: {low} to {high} micrograms a day; the 1 mg "
                                     "tablets are licensed at 1 mg a day.")
    else:
        regimen["details"].insert(0, "At least 1 mg a day when absorption is impaired (NICE); the 1 mg tablets are "
                                     "licensed for malabsorption.")
    return regimen


def build_regimen(case: Case) -> dict[str, Any]:
    """The regimen the rules settled on (in scope), with the rules that shaped it."""
    plan = case.plan
    rules, references = shaping_rules(case)
    if plan["route"] == "oral":
        return _oral_regimen(case, rules, references)
    lifelong = bool(plan["lifelong"])
    months = plan["interval_months"]
    if lifelong:
        duration = f"{FOR_LIFE}."
        ending = " for life"
    else:
        duration = ("Long term, not for life: review whether the cause has resolved, and consider stopping or "
                    "reducing treatment then.")
        ending = ", reviewing whether the cause has resolved"
    start = f"{WHILE_IMPROVING}, then " if plan["alternate_days"] else ""
    regimen: dict[str, Any] = {
        "drug": "hydroxocobalamin",
        "route": "intramuscular",
        "dose_micrograms": HYDROXOCOBALAMIN_DOSE_MICROGRAMS,
        "interval": {"value": months, "unit": "month"},
        "lifelong": lifelong,
        "duration_note": duration,
        "summary": f"{INJECTION} {start}{every(months)}{ending}",
        "details": [duration],
        "references": references,
        "rules": rules,
    }
    if plan["alternate_days"]:
        regimen["initial"] = {"every_days": 2, "until": "no further improvement"}
        regimen["details"].insert(0, "Seek urgent specialist (haematology) advice; review the response every 2 "
                                     "weeks while the alternate-day injections continue.")
    if months == STANDARD_MONTHS:
        # The range for the standard interval; shorter intervals come without one.
        low, high = STANDARD_INTERVAL_RANGE
        regimen["interval_range"] = {"min": low, "max": high, "unit": "month"}
        regimen["details"].insert(0, f"Interval range in the licence: {LICENSED_RANGE}.")
    if months < LICENSED_SHORTEST_MONTHS:
        regimen["details"].insert(0, f"Outside the UK licence ({LICENSED_RANGE}): kept because the patient is "
                                     "already on it; see the cautions.")
    return regimen


def _fired(case: Case, rule_id: str) -> bool:
    return any(step["rule"] == rule_id for step in case.trace)


def build_schedule(case: Case, regimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Dated injections and reviews from the last injection date (empty without one), none before the assessment.

    What fell due before the assessment date is given on it, and says so: an overdue injection, an injection the
    new, shorter interval has already reached, or NICE's review at 3 months.
    """
    last_text = case.values.get("last_injection_date")
    if regimen is None or last_text is None:
        return []
    last = date.fromisoformat(last_text)
    assessed = date.fromisoformat(case.values["assessment_date"])
    events: list[tuple[date, int, dict[str, Any]]] = []

    def add(day: date, order: int, event: str, text: str) -> None:
        events.append((day, order, {"date": day.isoformat(), "event": event, "text": text}))

    if regimen.get("initial"):
        for number in range(ALTERNATE_DAY_INJECTIONS_SHOWN):
            add(assessed + timedelta(days=2 * number), 0, "injection",
                f"{INJECTION} (alternate days, injection {number + 1}; continue while the "
                "symptoms improve)")
        add(assessed + timedelta(days=SPECIALIST_REVIEW_DAYS), 2, "review",
            "Review with the specialist team: continue on alternate days while the symptoms improve; when there is "
            f"no further improvement, move to injections {every(regimen['interval']['value'])}")
    elif regimen["route"] == "intramuscular":
        months = regimen["interval"]["value"]
        due = add_months(last, months)
        from_tablets = case.values["current_regimen"] == "oral_daily"
        recurred = case.values["symptoms_recur_before_next_dose"]
        overdue = _fired(case, "injection-overdue")
        if overdue or due < assessed or from_tablets or recurred:
            if overdue:
                now = " (overdue: give it now)"
            elif from_tablets:
                now = " (give it now: the change from tablets; continue the tablets until it is given)"
            elif recurred:
                now = " (give it now: symptoms have returned before the next dose)"
            else:
                now = f" (due now: {every(months)} from the last injection has already passed)"
            dates = [add_months(assessed, n * months) for n in range(SCHEDULED_INJECTIONS)]
        else:
            now = " (due on the assessment date)" if due == assessed else ""
            # Each date from the anchor, not chained, so a short month does not pull later dates earlier.
            dates = [add_months(last, n * months) for n in range(1, SCHEDULED_INJECTIONS + 1)]
        for number, day in enumerate(dates, start=1):
            add(day, 0, "injection", f"{INJECTION} (injection {number} of the next "
                                     f"{SCHEDULED_INJECTIONS}){now if number == 1 else ''}")
    if case.values["current_regimen"] == "none":
        review = add_months(last, REVIEW_MONTHS)
        if review < assessed:
            add(assessed, 2, "review", f"Review the symptoms now: NICE's review {REVIEW_MONTHS} months after starting "
                                       "treatment has fallen due")
        else:
            add(review, 2, "review", f"Review the symptoms (NICE: {REVIEW_MONTHS} months after starting treatment; "
                                     "dated from the last loading injection)")
    return [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]
