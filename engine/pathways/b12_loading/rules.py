"""The B12 loading pathway: the initial course of hydroxocobalamin injections, and a check of a course already given.

Doses come from the UK product information (SmPC) and NICE; the BNF's own text is not quoted, as its licence
bars it from decision support. This is the rulebook: the questions, the rules in the order they are applied,
their wording and evidence, and the source's statement. What the course outcome does to the plan and how the
result is assembled is in mechanics.py; the courses' numbers and sentences are in regimens.py. The scope
questions, the neurological question, folic acid and NICE's review are shared with the maintenance pathway
(b12_shared).
"""

from __future__ import annotations

from typing import Any

from engine.case import Case
from engine.checks import AtMostOneADay
from engine.conditions import Above, All, AnyOf, AtLeast, AtMost, Below, Given, Is, Named, OneOf
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Finding
from engine.pathway import NextStep, Pathway
from engine.pathways.b12_loading.mechanics import Course, build_course, build_schedule, new_plan
from engine.pathways.b12_loading.regimens import LOADING_INJECTIONS, LOADING_WEEKS, THEN_WEEKLY
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
    SCOPE_PREGNANCY,
    SCOPE_UNDER_16,
    SOURCE_DATE,
)
from engine.rules import Evidence, Rule, SourceStatement

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
        key="course_pattern",
        label="How the injections were given",
        type="enum",
        # The licence's course is a sequence (alternate days, then weekly): counts over a span cannot tell it
        # from a weekly course, so the pattern is asked, never guessed from the numbers.
        choices=(
            Choice("alternate_days", "Alternate days or 3 times a week so far"),
            Choice("alternate_then_weekly", "Alternate days or 3 times a week, then weekly"),
            Choice("weekly", "Weekly only (for example 4 weekly injections)"),
            Choice("other", "Another pattern, or doses missed"),
        ),
        help="The licence starts with alternate days for 1 to 2 weeks, then weekly until the blood count is "
        "normal.",
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


COURSE_GIVEN = All(NO_NEURO, Given("injections_given"))
ALTERNATE_DAYS = Is("course_pattern", "alternate_days")
PHASE_DONE = Named(
    "alternate-day-phase-done",
    "the alternate-day phase of UK practice was given",
    All(AtLeast("injections_given", LOADING_INJECTIONS), AtMost("course_weeks", LOADING_WEEKS)),
)
# Entries that cannot describe one course: alternate days (gaps of 3 days at most) for more than 2 weeks give
# at least 6 injections; weekly injections give at most 3 in 2 weeks.
ENTRIES_DISAGREE = Named(
    "entries-disagree",
    "the numbers do not fit the pattern",
    AnyOf(All(ALTERNATE_DAYS, Below("injections_given", LOADING_INJECTIONS), Above("course_weeks", LOADING_WEEKS)),
          All(Is("course_pattern", "weekly"), AtLeast("injections_given", LOADING_INJECTIONS),
              AtMost("course_weeks", LOADING_WEEKS))),
)
# The evidence of the advice for a course of alternate days, at each point of it.
LICENSED_COURSE = Evidence(
    "agrees",
    "The licence: alternate days for 1 to 2 weeks, then 250 micrograms weekly until the blood count is normal, then "
    "maintenance 1 mg every 2 to 3 months; UK practice: 6 injections in the first 2 weeks.",
    ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
)

PATTERNS = {
    "alternate_days": "on alternate days or 3 times a week",
    "alternate_then_weekly": "on alternate days or 3 times a week, then weekly",
    "weekly": "weekly",
    "other": "in another pattern",
}
ASSESSMENTS = {
    "alternate_days": "Alternate days or 3 times a week: the licence's first phase (1 to 2 weeks; UK practice gives "
    f"{LOADING_INJECTIONS} injections in {LOADING_WEEKS} weeks).",
    "alternate_then_weekly": "Alternate days, then weekly: the licence's course (alternate days for 1 to 2 weeks, then "
    "weekly until the blood count is normal).",
    "weekly": "Weekly injections only: not the licensed start, which is alternate days for 1 to 2 weeks.",
    "other": "Not a pattern the licence gives (alternate days for 1 to 2 weeks, then weekly until the blood count "
    "is normal).",
}


def _course_given(case: Case) -> tuple[str, dict[str, Any]]:
    given, weeks = case.values["injections_given"], case.values["course_weeks"]
    pattern = case.values["course_pattern"]
    per_week = given / weeks
    shown = f"{weeks:g} {'week' if weeks == 1 else 'weeks'}"
    count = f"{given} {'injection' if given == 1 else 'injections'}"
    text = f"Course given so far: {count} over {shown}, {PATTERNS[pattern]}."
    if case.values["neurological_symptoms"]:
        text += (" With neurological involvement loading is on alternate days for as long as the symptoms improve, "
                 "not a fixed number of injections.")
    else:
        text += f" {ASSESSMENTS[pattern]}"
    return text, {"injections": given, "weeks": weeks, "per_week": round(per_week, 2), "pattern": pattern}


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
            "The licence (SmPC): 250-1000 micrograms on alternate days for one or two weeks, then 250 micrograms "
            "weekly until the blood count is normal, then maintenance 1 mg every 2 to 3 months. 1 mg 3 times a "
            "week for 2 weeks is UK practice (BNF, not quoted here), within the licence's alternate-day phase but "
            "not its words; the calculator keeps the licence's weekly phase after it.",
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
        outcome=Finding("The injections given, over how many weeks and how, against the licensed course "
                        "(alternate days for 1 to 2 weeks, then weekly until the blood count is normal)",
                        _course_given),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The licensed loading course without neurological involvement: alternate days for 1 to 2 weeks, then "
            "weekly until the blood count is normal (UK practice: 6 injections in the first 2 weeks). No source "
            "gives weekly injections alone, such as the source's 4, as a loading course.",
            ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
        ),
    ),
    REVIEW_AT_3_MONTHS,
    Rule(
        id="course-entries-disagree",
        title="Entries that do not fit the pattern chosen",
        kind="caution",
        condition=ENTRIES_DISAGREE,
        outcome=Caution(
            "The number of injections does not fit the pattern chosen over that time (alternate days or 3 times a "
            f"week for more than {LOADING_WEEKS} weeks give at least {LOADING_INJECTIONS}; weekly injections give "
            f"at most 3 in {LOADING_WEEKS} weeks): check the entries. If doses were missed, choose 'another "
            "pattern'.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "Arithmetic on the entries, not a clinical source: a course of alternate days or 3 times a week has "
            "gaps of 3 days at most, and a weekly one a gap of 7 days.",
            ("smpc-cobalin-h",),
        ),
    ),
    Rule(
        id="loading-complete",
        title="The alternate-day phase is complete",
        kind="caution",
        condition=All(COURSE_GIVEN, ALTERNATE_DAYS, PHASE_DONE),
        outcome=Caution(
            f"The alternate-day phase is complete as UK practice gives it ({LOADING_INJECTIONS} injections in "
            f"{LOADING_WEEKS} weeks). Check the blood count: if it is normal, plan maintenance (1 mg every 2 to 3 "
            "months) with the maintenance calculator; if not yet, continue 250 micrograms weekly until it is (the "
            "licence), then maintenance.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=LICENSED_COURSE,
    ),
    Rule(
        id="alternate-days-under-way",
        title="The alternate-day phase is under way",
        kind="caution",
        condition=All(COURSE_GIVEN, ALTERNATE_DAYS, Below("injections_given", LOADING_INJECTIONS),
                      AtMost("course_weeks", LOADING_WEEKS)),
        outcome=Caution(
            f"The alternate-day phase is under way: continue 1 mg on alternate days (3 times a week) to the end of "
            f"{LOADING_WEEKS} weeks from the first injection (UK practice: {LOADING_INJECTIONS} injections in "
            f"those {LOADING_WEEKS} weeks; the licence: alternate days for 1 to 2 weeks), {THEN_WEEKLY}.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=LICENSED_COURSE,
    ),
    Rule(
        id="alternate-days-longer",
        title="Alternate days for longer than 2 weeks",
        kind="caution",
        condition=All(COURSE_GIVEN, ALTERNATE_DAYS, AtLeast("injections_given", LOADING_INJECTIONS),
                      Above("course_weeks", LOADING_WEEKS)),
        outcome=Caution(
            f"Alternate days for more than the licence's 1 to 2 weeks (more treatment than licensed, not less): "
            f"move on to the weekly phase, {THEN_WEEKLY}.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=LICENSED_COURSE,
    ),
    Rule(
        id="loading-weekly-phase",
        title="Alternate days, then weekly: the licence's course",
        kind="caution",
        condition=All(COURSE_GIVEN, Is("course_pattern", "alternate_then_weekly")),
        outcome=Caution(
            "Alternate days, then weekly, is the licence's course: continue 250 micrograms weekly until the blood "
            "count is normal, then plan maintenance (1 mg every 2 to 3 months) with the maintenance calculator.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The licence: 250-1000 micrograms on alternate days for 1 to 2 weeks, then 250 micrograms weekly until "
            "the blood count is normal, then maintenance 1 mg every 2 to 3 months.",
            ("smpc-cobalin-h", "smpc-neo-cytamen"),
        ),
    ),
    Rule(
        id="loading-incomplete",
        title="A course that did not start as the licence does",
        kind="caution",
        condition=All(COURSE_GIVEN, OneOf("course_pattern", ("weekly", "other"))),
        outcome=Caution(
            "The course did not start as the licence does (alternate days for 1 to 2 weeks): weekly injections only, "
            "such as the source's 4 weekly injections, are not the licensed start. Now: if the symptoms have not "
            "fully responded or the blood count is not yet normal, give 1 mg on alternate days (3 times a week) for "
            f"1 to 2 weeks (UK practice: {LOADING_INJECTIONS} injections in {LOADING_WEEKS} weeks), {THEN_WEEKLY}. "
            "If the symptoms have resolved and the blood count is normal, moving to maintenance (1 mg every 2 to 3 "
            "months) is a clinical judgement.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No source says how to complete or repeat a loading course that did not start as the licence does; "
            "this caution is this site's policy, built from the licence's course (alternate days for 1 to 2 weeks, "
            "then weekly until the blood count is normal). The source's 4 weekly injections are such a course.",
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


STATEMENTS: tuple[SourceStatement, ...] = (
    SourceStatement(
        id="four-weekly-injections",
        title="The source's loading course: 4 weekly injections",
        statement="The patient showed improvement after 4 weekly B12 injections",
        references=(),
        evidence=Evidence(
            "differs",
            "Weekly injections only, without the licence's first phase: alternate days for 1 to 2 weeks (6 "
            "injections in 2 weeks in UK practice), then weekly until the blood count is normal; or alternate days "
            "for as long as improvement continues with neurological involvement. This calculator checks a course "
            "given against that, and says what to do from where the patient is.",
            ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
        ),
    ),
)


PATHWAY = Pathway(
    id="b12-loading",
    title="Vitamin B12 deficiency: the loading course",
    short_title="Loading course",
    version="1.1.0",
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
