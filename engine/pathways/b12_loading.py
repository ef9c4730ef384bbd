"""The B12 loading pathway: the initial course of hydroxocobalamin injections, and a check of a course already given.

Doses come from the UK product information (SmPC) and NICE; the BNF's own text is not quoted, as its licence
bars it from decision support. Everything a rule needs is declared here beside it; the scope questions, the
neurological question, folic acid and NICE's review are shared with the maintenance pathway (b12_shared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from engine.checks import AtMostOneADay
from engine.conditions import Above, All, AnyOf, AtLeast, AtMost, Below, Given, Named
from engine.dates import add_months
from engine.fields import Field, RequiredWhen
from engine.outcomes import Caution, Finding, PlanChange
from engine.pathway import NextStep, Pathway, shaping_rules
from engine.pathways.b12_references import GROUPS, REFERENCES
from engine.pathways.b12_shared import (
    AGE_16_OR_OVER,
    DISCLAIMER,
    FOLIC_ACID,
    FOLIC_ACID_PLANNED,
    IN_SCOPE,
    NEURO,
    NEUROLOGICAL_SYMPTOMS,
    NO_NEURO,
    PREGNANT_OR_BREASTFEEDING,
    REVIEW_AT_3_MONTHS,
    REVIEW_MONTHS,
    SCOPE_PREGNANCY,
    SCOPE_UNDER_16,
    SOURCE_DATE,
)
from engine.plan import Plan
from engine.rules import Case, Evidence, Rule, SourceStatement

# The loading course of UK practice: 1 mg 3 times a week for 2 weeks (6 injections), within the licence's
# "on alternate days for one or two weeks".
LOADING_INJECTIONS = 6
LOADING_WEEKS = 2
LOADING_DAYS = (0, 2, 4, 7, 9, 11)  # 3 a week: Monday, Wednesday, Friday from the first injection
ALTERNATE_DAYS_SHOWN = 7  # with neurological involvement: alternate days, the first two weeks dated
REVIEW_AFTER_DAYS = 14
MAINTENANCE_MONTHS = {"standard": 3, "neurological": 2}

FIELDS: tuple[Field, ...] = (
    AGE_16_OR_OVER,
    PREGNANT_OR_BREASTFEEDING,
    NEUROLOGICAL_SYMPTOMS,
    Field(
        key="injections_given",
        label="Loading injections already given",
        type="integer",
        min=1,
        max=60,
        help="Of this loading course, if it has begun. Leave empty for a course not started yet.",
    ),
    Field(
        key="course_weeks",
        label="Course length so far",
        type="number",
        unit="weeks",
        # A day is a seventh of a week: a shorter course is a typing error, and dividing by it overflows.
        min=0.1,
        max=52,
        help="From the first injection of the course to the last one given: 4 weekly injections took 3 to 4 "
        "weeks.",
        required_when=RequiredWhen("injections_given", (), "when injections were already given", given=True),
    ),
    Field(
        key="start_date",
        label="First injection of the course",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        prefill="today",
        help="Given or planned: dates the course and when to review it.",
    ),
    FOLIC_ACID_PLANNED,
)


# --- the plan and its outcome ------------------------------------------------------------------------


def new_plan() -> Plan:
    return Plan(course=None)


@dataclass(frozen=True)
class Course(PlanChange):
    """The loading course: ``standard`` (3 times a week for 2 weeks) or ``neurological`` (alternate days)."""

    course: str

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("course", self.course, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return SUMMARIES[self.course]

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"course": self.course}}


SUMMARIES = {
    "standard": f"Hydroxocobalamin 1 mg intramuscularly 3 times a week for {LOADING_WEEKS} weeks "
    f"({LOADING_INJECTIONS} injections), then maintenance",
    "neurological": "Hydroxocobalamin 1 mg intramuscularly on alternate days until there is no further "
    "improvement, then every 2 months",
}

COURSE_GIVEN = All(NO_NEURO, Given("injections_given"))
LICENSED_COURSE = Named(
    "licensed-course",
    "the licensed course was given",
    All(AtLeast("injections_given", LOADING_INJECTIONS), AtMost("course_weeks", LOADING_WEEKS)),
)


def _course_given(case: Case) -> tuple[str, dict[str, Any]]:
    given, weeks = case.values["injections_given"], case.values["course_weeks"]
    per_week = given / weeks
    shown = f"{weeks:g} {'week' if weeks == 1 else 'weeks'}"
    text = f"Course given so far: {given} {'injection' if given == 1 else 'injections'} over {shown}."
    if case.values["neurological_symptoms"]:
        text += (" With neurological involvement loading is on alternate days for as long as the symptoms improve, "
                 "not a fixed number of injections.")
    elif given >= LOADING_INJECTIONS and weeks <= LOADING_WEEKS:
        text += f" This matches the licensed loading course ({LOADING_INJECTIONS} injections in {LOADING_WEEKS} weeks)."
    else:
        short = [part for part, differs in (("fewer injections", given < LOADING_INJECTIONS),
                                            ("over a longer time", weeks > LOADING_WEEKS)) if differs]
        text += (f" The licensed course is {LOADING_INJECTIONS} injections, 3 a week, in {LOADING_WEEKS} weeks: this "
                 f"one has {' and '.join(short)}.")
    return text, {"injections": given, "weeks": weeks, "per_week": round(per_week, 2)}


RULES: tuple[Rule, ...] = (
    SCOPE_UNDER_16,
    SCOPE_PREGNANCY,
    Rule(
        id="loading-standard",
        title="Loading without neurological involvement",
        kind="regimen",
        condition=NO_NEURO,
        outcome=Course("standard"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "Within the UK licence, which gives 250-1000 micrograms on alternate days for one or two weeks (then "
            "weekly until the blood count is normal); 1 mg 3 times a week for 2 weeks is the UK schedule (BNF, not "
            "quoted here), then maintenance every 2 to 3 months.",
            ("smpc-cobalin-h", "smpc-neo-cytamen", "bnf-hydroxocobalamin"),
        ),
    ),
    Rule(
        id="loading-neurological",
        title="Loading with neurological involvement",
        kind="regimen",
        condition=NEURO,
        outcome=Course("neurological"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The UK product information: with neurological involvement, 1000 micrograms on alternate days as long "
            "as improvement continues, then every 2 months.",
            ("smpc-cobalin-h", "smpc-neo-cytamen"),
        ),
    ),
    Rule(
        id="course-given",
        title="The course already given",
        kind="finding",
        condition=Given("injections_given"),
        outcome=Finding("The injections given and over how many weeks, against the licensed course of "
                        f"{LOADING_INJECTIONS} injections in {LOADING_WEEKS} weeks", _course_given),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The licensed loading course without neurological involvement (alternate days for 1 to 2 weeks; in UK "
            "practice 6 injections in 2 weeks). No source gives 4 weekly injections as a loading course.",
            ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
        ),
    ),
    REVIEW_AT_3_MONTHS,
    Rule(
        id="loading-incomplete",
        title="A course that is not the licensed one",
        kind="caution",
        condition=All(COURSE_GIVEN, AnyOf(Below("injections_given", LOADING_INJECTIONS),
                                          Above("course_weeks", LOADING_WEEKS))),
        outcome=Caution(
            f"The course given is not the licensed loading course ({LOADING_INJECTIONS} injections, 3 a week, in "
            f"{LOADING_WEEKS} weeks). If symptoms persist or the course is still under way, give injections 3 times "
            f"a week until {LOADING_INJECTIONS} have been given within {LOADING_WEEKS} weeks, then move to "
            "maintenance; if the patient responded fully, the shortfall is a clinical judgement.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No source says how to complete or repeat a loading course that differs from the licensed one; this "
            "caution is this site's policy, and the source's 4 weekly injections are such a course.",
            ("smpc-cobalin-h",),
        ),
    ),
    Rule(
        id="loading-complete",
        title="The licensed course is complete",
        kind="caution",
        condition=All(COURSE_GIVEN, LICENSED_COURSE),
        outcome=Caution("The licensed loading course is complete: plan maintenance (every 2 to 3 months) with the "
                        "maintenance calculator.", "info"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "After the loading course, maintenance 1 mg every 2 or 3 months (the product information).",
            ("smpc-cobalin-h",),
        ),
    ),
    Rule(
        id="neurological-involvement",
        title="Neurological involvement: urgent specialist advice",
        kind="caution",
        condition=NEURO,
        outcome=Caution(
            "Neurological involvement: seek urgent specialist (haematology) advice. Give 1 mg on alternate days "
            "for as long as the symptoms improve, not a fixed number of injections; when there is no further "
            "improvement, maintenance is every 2 months.",
            "high",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE's clinical knowledge summary (2020): with neurological involvement, seek urgent specialist advice "
            "from a haematologist; the product information: alternate days as long as improvement continues, then "
            "every 2 months. NICE NG239's own wording on this could not be verified.",
            ("nice-cks-b12", "smpc-cobalin-h"),
        ),
    ),
    Rule(
        id="start-of-treatment-checks",
        title="Checks at the start of treatment",
        kind="caution",
        condition=IN_SCOPE,
        outcome=Caution(
            "In the first weeks of treating a megaloblastic anaemia, check potassium (hypokalaemia can cause "
            "arrhythmias) and the platelet count (reactive thrombocytosis), as the product information advises.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The hydroxocobalamin product information: monitor plasma potassium during initial therapy, and the "
            "platelet count in the first weeks in megaloblastic anaemia.",
            ("smpc-neo-cytamen",),
        ),
    ),
    FOLIC_ACID,
)


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
            "Within the UK licence: 250 to 1000 micrograms on alternate days for 1 to 2 weeks.",
            f"Then maintenance: 1 mg every 2 to 3 months, starting about {then} months after the last loading "
            "injection (the maintenance calculator plans it).",
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
    """The dated course from its first injection: both regimens, the open-ended one with its review."""
    start_text = case.values.get("start_date")
    if regimen is None or start_text is None:
        return []
    start = date.fromisoformat(start_text)
    events: list[tuple[date, int, dict[str, Any]]] = []

    def add(day: date, order: int, event: str, text: str) -> None:
        events.append((day, order, {"date": day.isoformat(), "event": event, "text": text}))

    if regimen["course"].get("injections"):
        for number, offset in enumerate(LOADING_DAYS, start=1):
            add(start + timedelta(days=offset), 0, "injection",
                f"Hydroxocobalamin 1 mg intramuscularly (loading injection {number} of {LOADING_INJECTIONS})")
        last = start + timedelta(days=LOADING_DAYS[-1])
        add(add_months(last, MAINTENANCE_MONTHS["standard"]), 0, "injection",
            "First maintenance injection (then every 2 to 3 months: see the maintenance calculator)")
    else:
        for number in range(ALTERNATE_DAYS_SHOWN):
            add(start + timedelta(days=2 * number), 0, "injection",
                f"Hydroxocobalamin 1 mg intramuscularly (alternate days, injection {number + 1}; continue while the "
                "symptoms improve)")
        add(start + timedelta(days=REVIEW_AFTER_DAYS), 2, "review",
            "Review with the specialist team: continue on alternate days while the symptoms improve; when there is "
            "no further improvement, move to maintenance every 2 months")
    add(add_months(start, REVIEW_MONTHS), 2, "review",
        f"Review the symptoms ({REVIEW_MONTHS} months after the start of treatment, as NICE advises)")
    return [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]


STATEMENTS: tuple[SourceStatement, ...] = (
    SourceStatement(
        id="four-weekly-injections",
        title="The source's loading course: 4 weekly injections",
        statement="The patient showed improvement after 4 weekly B12 injections",
        references=(),
        evidence=Evidence(
            "differs",
            "Fewer injections, over a longer time, than the licensed course: alternate days for 1 to 2 weeks (6 "
            "injections in 2 weeks in UK practice), or alternate days for as long as improvement continues with "
            "neurological involvement. This calculator checks a course given against that.",
            ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
        ),
    ),
)


PATHWAY = Pathway(
    id="b12-loading",
    title="Vitamin B12 deficiency: the loading course",
    short_title="Loading course",
    version="1.0.0",
    source_date=SOURCE_DATE,
    scope="People aged 16 and over starting treatment with hydroxocobalamin injections for vitamin B12 "
    "deficiency, or whose loading course is under way or done. Not for diagnosis, for people under 16, or in "
    "pregnancy or breastfeeding: the calculator asks, and says what to do instead.",
    fields=FIELDS,
    rules=RULES,
    new_plan=new_plan,
    regimen=build_course,
    schedule=build_schedule,
    references=REFERENCES,
    reference_groups=GROUPS,
    disclaimer=DISCLAIMER,
    evidence_intro="How the loading course compares with the primary guidance: the UK product information (SmPC) "
    "of hydroxocobalamin, NICE guideline NG239 and NICE's clinical knowledge summary. The BNF's dosing is named "
    "but not quoted: its licence bars its text from decision support.",
    source_note="The source document's patient had 4 weekly injections, which is not a licensed loading course: "
    "this calculator gives the licensed course and checks a course already given against it.",
    statements=STATEMENTS,
    states=(IN_SCOPE,),
    # 10 injections in 1 week cannot have been given: refused, never checked against the licensed course.
    checks=(AtMostOneADay("injections_given", "course_weeks"),),
    labels={
        "regimen": "Loading course",
        "events": {"injection": "Injection", "review": "Review"},
    },
    next_step=NextStep(
        pathway="b12-maintenance",
        text="After the loading course, plan the maintenance regimen in the maintenance calculator.",
        carry_over=("age_16_or_over", "pregnant_or_breastfeeding", "neurological_symptoms", "folic_acid_planned"),
    ),
)
