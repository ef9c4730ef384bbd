"""A fictional pathway used only by the tests, never in the product site: proof that the generator is generic.

The tests copy this file into ``engine/pathways/`` of a copy of the repository and build that copy: the
pathway must get a calculator, a decision table, an input reference, an evidence check and nav entries with
no edit to JavaScript, templates or build code. Its result has another shape than B12 maintenance: a finite
course (a number of doses over days, no interval) with dated doses, and a finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from engine.case import Case
from engine.conditions import All, AtLeast, Given, Is
from engine.fields import Choice, Field
from engine.outcomes import Caution, Finding, Monitor, OutOfScope, PlanChange
from engine.pathway import Pathway, shaping_rules
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rules import Evidence, Rule

FIELDS = (
    Field(key="severity", label="Severity", type="enum", required=True,
          choices=(Choice("mild", "Mild"), Choice("severe", "Severe"))),
    Field(key="adult", label="Adult", type="bool", required=True, says=("adult", "not an adult")),
    Field(key="weight_kg", label="Weight", type="number", unit="kg", min=1, max=300),
    Field(key="start_date", label="First dose", type="date", min="2000-01-01", max="2099-12-31",
          help="Dates the doses. Leave empty for no schedule."),
)
EVIDENCE = Evidence("agrees", "A fictional note for the tests.", ("toy-ref",))


def new_plan() -> Plan:
    return Plan(days=None)


@dataclass(frozen=True)
class Course(PlanChange):
    days: int

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("days", self.days, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"Test tablet 10 mg twice a day for {self.days} days ({2 * self.days} doses)"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"days": self.days}}


def _weight(case: Case) -> tuple[str, dict[str, Any]]:
    weight = case.values["weight_kg"]
    return f"Weight {weight} kg: the dose does not depend on it.", {"kg": weight}


RULES = (
    Rule(id="toy-children", title="Not for children", kind="scope", condition=Is("adult", False),
         outcome=OutOfScope("This fictional course is for adults only."), basis="source",
         references=("toy-ref",), evidence=EVIDENCE),
    Rule(id="toy-short", title="Short course when mild", kind="regimen", condition=Is("severity", "mild"),
         outcome=Course(3), basis="source", references=("toy-ref",), evidence=EVIDENCE),
    Rule(id="toy-long", title="Long course when severe", kind="regimen", condition=Is("severity", "severe"),
         outcome=Course(7), basis="source", references=("toy-ref",), evidence=EVIDENCE),
    Rule(id="toy-weight", title="Weight noted", kind="finding", condition=Given("weight_kg"),
         outcome=Finding("The weight, which does not change the dose", _weight), basis="source",
         references=("toy-ref",), evidence=EVIDENCE),
    Rule(id="toy-review", title="Review at the end", kind="monitoring", condition=Is("severity", "severe"),
         outcome=Monitor("Review when the course ends."), basis="policy", references=(), evidence=EVIDENCE),
    Rule(id="toy-heavy", title="Heavy patients", kind="caution",
         condition=All(Is("severity", "severe"), AtLeast("weight_kg", 150)),
         outcome=Caution("Check the dose with a specialist above 150 kg.", "warning"), basis="policy",
         references=(), evidence=Evidence("unsourced", "No source: a fictional caution.")),
)


def build_course(case: Case) -> dict[str, Any]:
    days = case.plan["days"]
    rules, references = shaping_rules(case)
    return {"summary": f"Test tablet 10 mg twice a day for {days} days", "course": {"days": days, "doses": 2 * days},
            "details": [f"{2 * days} doses in all."], "rules": rules, "references": references}


def build_schedule(case: Case, regimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    start = case.values.get("start_date")
    if regimen is None or start is None:
        return []
    first = date.fromisoformat(start)
    return [{"date": (first + timedelta(days=day)).isoformat(), "event": "dose", "text": "Two doses"}
            for day in range(regimen["course"]["days"])]


PATHWAY = Pathway(
    id="toy-course",
    title="A fictional course (test only)",
    short_title="Fictional course",
    version="0.0.1",
    source_date="2026-01-01",
    scope="Fictional adults, for testing the site generator only.",
    fields=FIELDS,
    rules=RULES,
    new_plan=new_plan,
    regimen=build_course,
    schedule=build_schedule,
    references=(Reference(key="toy-ref", group="toy", title="A fictional reference", year=2026),),
    reference_groups=(ReferenceGroup("toy", "Fictional references", "Used by the test pathway only."),),
    disclaimer="Fictional: for testing only.",
    evidence_intro="How the fictional course compares with its fictional source.",
    labels={"regimen": "Course", "events": {"dose": "Dose"}},
)
