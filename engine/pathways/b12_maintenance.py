"""The B12 maintenance pathway: fields, rules and result assembly after a loading course.

Each rule is a record: its condition and outcome are data (engine.conditions, engine.outcomes), and everything
a rule needs (the thresholds, the regimen outcomes, the states it looks at) is declared here beside it.

The rules follow the source document where it agrees with NICE NG239 and the UK product licence or is more
cautious. Where following it could harm a patient or contradicts the licence, the rule takes the safer primary
guidance and its evidence note says so (the guideline text shows the source's statement beside it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.conditions import (
    Above,
    All,
    Always,
    AnyOf,
    AtLeast,
    AtMost,
    Given,
    Is,
    MonthsBetween,
    Named,
    Not,
    OneOf,
    State,
)
from engine.dates import add_months
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Finding, Monitor, OutOfScope, Pick, PlanChange
from engine.pathway import Pathway, shaping_rules
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
from engine.pathways.b12_units import B12_UNITS, b12_to_pg_per_ml, b12_to_pmol_per_l
from engine.plan import Plan
from engine.rules import Case, Evidence, Rule, SourceStatement

# Causes whose deficiency cannot be corrected (or may not be: an unknown cause, other malabsorption), so
# treatment is for life, and causes that can resolve, so treatment is reviewed (NICE NG239).
IRREVERSIBLE_CAUSES = ("pernicious_anaemia", "gastric_surgery", "bariatric_surgery", "ileal_resection",
                       "other_malabsorption", "unknown")
REVERSIBLE_CAUSES = ("dietary", "medicines", "coeliac_disease")
# Injections every 2 to 3 months (the source's regimen for malabsorption, within the licence).
INJECTION_CAUSES = ("pernicious_anaemia", "gastric_surgery", "bariatric_surgery", "other_malabsorption",
                    "coeliac_disease", "medicines", "unknown")
ILEAL_RESECTION_THRESHOLD_CM = 20
HOMOCYSTEINE_TARGET_UMOL_L = 10
# NICE NG239's band of indeterminate total B12 ends at 350 ng/L (as reported in summaries): below it, a level
# during treatment calls for a look at adherence and timing. Laboratories' ranges differ, hence the wording.
B12_NOT_LOW_PG_PER_ML = 350
# Laboratories usually report total B12 up to about 2,000 ng/L; far above it a value or its unit is likely wrong.
B12_IMPLAUSIBLE_PG_PER_ML = 10000
HYDROXOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_RANGE = (1000, 2000)
STANDARD_INTERVAL_RANGE = (2, 3)  # the licence's and the source's range for the standard 3-monthly interval
LICENSED_SHORTEST_MONTHS = 2  # the UK licence gives maintenance every 2 to 3 months, never monthly
SCHEDULED_INJECTIONS = 6
BLOOD_TEST_MONTHS = (3, 6, 9, 12, 24)
INTERVALS = (1, 2, 3)

FIELDS: tuple[Field, ...] = (
    AGE_16_OR_OVER,
    PREGNANT_OR_BREASTFEEDING,
    Field(
        key="loading_response",
        label="Response to the loading course",
        type="enum",
        required=True,
        choices=(Choice("improved", "Improved"), Choice("not_improved", "Not improved")),
        help="Whether symptoms improved after the initial (loading) course of injections.",
    ),
    NEUROLOGICAL_SYMPTOMS,
    Field(
        key="cause",
        label="Cause of deficiency",
        type="enum",
        required=True,
        choices=(
            Choice("pernicious_anaemia", "Autoimmune gastritis (pernicious anaemia)"),
            Choice("dietary", "Dietary (e.g. vegan diet)"),
            Choice("medicines", "Medicines that reduce absorption (e.g. metformin, acid suppressants)"),
            Choice("coeliac_disease", "Coeliac disease"),
            Choice("gastric_surgery", "Gastric surgery (gastrectomy)"),
            Choice("bariatric_surgery", "Bariatric surgery (e.g. sleeve gastrectomy, gastric bypass)"),
            Choice("ileal_resection", "Ileal resection"),
            Choice("other_malabsorption", "Other malabsorption"),
            Choice("nitrous_oxide", "Nitrous oxide (recreational use)"),
            Choice("unknown", "Unknown"),
        ),
        help="The cause of the deficiency as diagnosed. An unknown cause is treated as one that cannot be "
        "corrected.",
    ),
    Field(
        key="ileal_resection_cm",
        label="Length of ileum resected",
        type="number",
        unit="cm",
        min=0,
        min_exclusive=True,
        max=600,
        help="Length of distal ileum removed, in centimetres.",
        required_when=RequiredWhen("cause", ("ileal_resection",), "when the cause is ileal resection"),
    ),
    Field(
        key="current_regimen",
        label="Current B12 treatment",
        type="enum",
        required=True,
        choices=(
            Choice("none", "None yet: the loading course has just finished"),
            Choice("oral_daily", "Oral, daily"),
            Choice("injections", "Injections"),
        ),
        help="What the patient takes now, so that a change never makes treatment less frequent.",
    ),
    Field(
        key="current_interval_months",
        label="Current injection interval",
        type="integer",
        unit="months",
        min=1,
        max=3,
        help="How often the injections are given now.",
        required_when=RequiredWhen("current_regimen", ("injections",), "when the patient is on injections"),
    ),
    Field(
        key="symptoms_recur_before_next_dose",
        label="Symptoms return before the next dose is due",
        type="bool",
        required=True,
        says=("symptoms recur before the next dose", "no recurrence before the next dose"),
        help="Symptoms come back in the weeks before the next scheduled dose.",
    ),
    Field(
        key="last_injection_date",
        label="Date of the last injection",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        help="Anchors the dated schedule and shows whether the next injection is overdue. Leave empty for no "
        "schedule.",
    ),
    Field(
        key="assessment_date",
        label="Assessment date",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        prefill="today",
        help="Today, unless you are recording an earlier assessment: an injection due before it is overdue.",
    ),
    Field(
        key="serum_b12",
        label="Latest serum B12",
        type="number",
        min=0,
        min_exclusive=True,
        max=20000,
        help="Total serum vitamin B12, in the unit the laboratory reports.",
        unit_field="serum_b12_unit",
    ),
    Field(
        key="serum_b12_unit",
        label="Serum B12 unit",
        type="enum",
        # ng/L first: UK laboratories report it. No default: a value read in the wrong unit misleads.
        choices=tuple(Choice(unit, unit) for unit in B12_UNITS),
        help="ng/L is the same as pg/mL; 1 pmol/L = 1.355 ng/L.",
        required_when=RequiredWhen("serum_b12", (), "when a serum B12 value is given", given=True),
    ),
    Field(
        key="homocysteine_umol_l",
        label="Latest total homocysteine",
        type="number",
        unit="µmol/L",
        min=0,
        min_exclusive=True,
        max=500,
    ),
    FOLIC_ACID_PLANNED,
)


# --- the plan and the outcomes that shape it ------------------------------------------------------


def new_plan() -> Plan:
    """The regimen as the rules shape it: no route until a rule gives one, no duration until a rule says."""
    return Plan(route=None, interval_months=None, lifelong=None, recurred_on_monthly=False)


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


def _every(n: int) -> str:
    return f"every {_months(n)}"


@dataclass(frozen=True)
class Oral(PlanChange):
    """Cyanocobalamin by mouth daily."""

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("route", "oral", rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        low, high = CYANOCOBALAMIN_DOSE_RANGE
        return (f"Cyanocobalamin {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily (range {low}-{high} "
                "micrograms): continue while intake stays inadequate, monitor the response and adjust")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "oral"}}


@dataclass(frozen=True)
class Injections(PlanChange):
    """Hydroxocobalamin injections at least every ``months`` months."""

    months: int

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("route", "intramuscular", rule.id)
        case.plan.at_most("interval_months", self.months, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        span = " (range 2-3 months)" if self.months == 3 else ""
        return f"Hydroxocobalamin 1 mg intramuscularly at least {_every(self.months)}{span}"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"at_most": self.months}}}


@dataclass(frozen=True)
class StepUp(PlanChange):
    """One step more frequent than the current interval (or than the rules' interval when not on injections)."""

    current: str

    def apply(self, case: Case, rule: Rule) -> None:
        base = case.values.get(self.current) or case.plan["interval_months"]
        if base == 1:
            case.plan.set("recurred_on_monthly", True, rule.id)
        Injections(max(1, base - 1)).apply(case, rule)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return ("Injections one step more frequent than the current interval, or than the interval the rules above "
                "give when the patient is not on injections yet: 3 to 2 to 1 month; already monthly stays monthly "
                "and adds the specialist-advice caution")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"step_down_from": self.current}}}

    def reads(self) -> tuple[str, ...]:
        return (self.current,)


@dataclass(frozen=True)
class KeepCurrent(PlanChange):
    """Injections at least as often as the current interval: never longer, never back to oral treatment."""

    current: str

    def apply(self, case: Case, rule: Rule) -> None:
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

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("lifelong", self.lifelong, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        if self.lifelong:
            return "For life: do not stop, even when levels normalise"
        return "Not for life: review whether the cause has resolved, and consider stopping or reducing then"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"lifelong": self.lifelong}}


# --- conditions the rules share -------------------------------------------------------------------

DIETARY = Is("cause", "dietary")
RECURS = Is("symptoms_recur_before_next_dose", True)
NOT_IMPROVED = Is("loading_response", "not_improved")
LONG_RESECTION = All(Is("cause", "ileal_resection"), Above("ileal_resection_cm", ILEAL_RESECTION_THRESHOLD_CM))
SHORT_RESECTION = All(Is("cause", "ileal_resection"), AtMost("ileal_resection_cm", ILEAL_RESECTION_THRESHOLD_CM))
ON_ORAL = Named(
    "on-oral-treatment",
    "on oral treatment, or due to start it",
    AnyOf(Is("current_regimen", "oral_daily"), All(DIETARY, NO_NEURO, Is("current_regimen", "none"))),
)

LIFELONG = State("lifelong", "the regimen is lifelong", lambda case: case.plan["lifelong"] is True)
INTRAMUSCULAR = State("intramuscular", "the regimen is intramuscular",
                      lambda case: case.plan["route"] == "intramuscular")
OFF_LICENCE = State("off-licence", f"injections more often than every {LICENSED_SHORTEST_MONTHS} months",
                    lambda case: case.plan["route"] == "intramuscular"
                    and case.plan["interval_months"] < LICENSED_SHORTEST_MONTHS)
RECURRED_ON_MONTHLY = State("recurred-on-monthly", "symptoms recur despite monthly injections",
                            lambda case: case.plan["recurred_on_monthly"])
EVERY = {months: State(f"every-{months}-months", f"the regimen is injections {_every(months)}",
                       lambda case, months=months: case.plan["route"] == "intramuscular"
                       and case.plan["interval_months"] == months)
         for months in INTERVALS}
OVERDUE = AnyOf(*(All(EVERY[months], MonthsBetween("last_injection_date", "assessment_date", months))
                  for months in INTERVALS))


# --- findings ---------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A lab value as a clinician writes it: whole numbers, halves rounded up."""
    return str(int(value + 0.5))


def _serum_b12(case: Case) -> tuple[str, dict[str, Any]]:
    value, unit = case.values["serum_b12"], case.values["serum_b12_unit"]
    pmol = b12_to_pmol_per_l(value, unit)
    pg = b12_to_pg_per_ml(value, unit)
    text = (
        f"Serum B12 {_number(pg)} ng/L = {_number(pmol)} pmol/L (ng/L is the same as pg/mL). After B12 "
        "injections a normal or high level is expected and does not show that treatment is working: the "
        "clinical response does, and serum B12 alone does not set the frequency."
    )
    if pg >= B12_IMPLAUSIBLE_PG_PER_ML:
        text += (" A value this high is far above what laboratories usually report (up to about 2,000 ng/L): "
                 "check the number and its unit.")
    elif pg < B12_NOT_LOW_PG_PER_ML:
        text += (
            f" The level is below {B12_NOT_LOW_PG_PER_ML} ng/L during treatment: check adherence (for tablets, how "
            "they are taken) and when the sample was taken; it does not change the interval by itself."
        )
    return text, {"pmol_per_l": round(pmol, 1), "pg_per_ml": round(pg, 1)}


def _homocysteine(case: Case) -> tuple[str, dict[str, Any]]:
    value = case.values["homocysteine_umol_l"]
    relation = "above" if value >= HOMOCYSTEINE_TARGET_UMOL_L else "within"
    # Shown as entered: rounding 9.96 to 10 would contradict "within the target of < 10".
    text = f"Homocysteine {value} µmol/L is {relation} the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L."
    return text, {"umol_per_l": value}


# --- the rules, in the order they are applied --------------------------------------------------------

SCOPE_RULES: tuple[Rule, ...] = (
    SCOPE_UNDER_16,
    SCOPE_PREGNANCY,
    Rule(
        id="scope-nitrous-oxide",
        title="Deficiency caused by nitrous oxide",
        kind="scope",
        condition=Is("cause", "nitrous_oxide"),
        outcome=OutOfScope(
            "Deficiency caused by nitrous oxide is outside this pathway: the patient must stop using nitrous "
            "oxide, and specialist advice (neurology or haematology) is needed, urgently when there are "
            "neurological symptoms."
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "NICE names recreational nitrous oxide as a cause of deficiency; its final recommendations on treating "
            "it could not be verified here (its 2023 draft offered injections or tablets by preference).",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="scope-not-improved",
        title="No response to the loading course",
        kind="scope",
        condition=NOT_IMPROVED,
        outcome=OutOfScope(
            "This pathway is for patients who responded to the loading course. Without a response, seek "
            "specialist (haematology) advice and review the diagnosis. Meanwhile continue the injections (on "
            "alternate days if there are neurological symptoms), check adherence, folate, iron and thyroid "
            "function, and consider coeliac disease and other causes of the symptoms."
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "In direction: the product information says to investigate folate when the anaemia does not respond; "
            "a BMJ review advises specialist referral when deficiency is refractory to treatment; NICE advises "
            "considering other diagnoses and increasing the frequency when symptoms have not improved enough "
            "(known from summaries). Checking adherence is this site's policy.",
            ("smpc-neo-cytamen", "bmj-2019-sukumar", "nice-ng239-sps"),
        ),
    ),
)

REGIMEN_RULES: tuple[Rule, ...] = (
    Rule(
        id="oral-dietary",
        title="Oral treatment for a dietary cause",
        kind="regimen",
        condition=All(DIETARY, NO_NEURO, Is("symptoms_recur_before_next_dose", False)),
        outcome=Oral(),
        basis="source",
        references=("src5", "src7"),
        evidence=Evidence(
            "differs",
            "AFP 2017 and Cochrane 2018: oral 1-2 mg daily is as effective as intramuscular treatment. The UK "
            "licence and NICE's clinical knowledge summary give 50-150 micrograms a day for a dietary cause, so "
            "the source's dose is higher (a higher dose is not harmful). NICE allows oral treatment of at least "
            "1 mg a day even in malabsorption, so the source is stricter there.",
            ("afp-2017", "cochrane-2018", "smpc-cyanocobalamin-50", "nice-cks-b12", "nice-ng239-bmj"),
        ),
    ),
    Rule(
        id="im-malabsorption",
        title="Injections every 2-3 months for malabsorption or an unknown cause",
        kind="regimen",
        condition=AnyOf(OneOf("cause", INJECTION_CAUSES), SHORT_RESECTION),
        outcome=Injections(3),
        note="an unknown cause is treated as one that cannot be corrected",
        basis="source",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "agrees",
            "The UK product information: maintenance 1 mg every 2 or 3 months, also after gastrectomy and in "
            "malabsorption; after bariatric surgery, BOMSS advises injections every 3 months. NICE allows oral "
            "treatment of at least 1 mg a day as well (the source does not): see the oral-alternative caution.",
            ("smpc-cobalin-h", "smpc-neo-cytamen", "bomss-2020", "nice-ng239-bmj"),
        ),
    ),
    Rule(
        id="im-ileal-resection",
        title="Monthly injections after ileal resection of more than 20 cm",
        kind="regimen",
        condition=LONG_RESECTION,
        outcome=Injections(1),
        basis="source",
        references=("src5", "src4"),
        evidence=Evidence(
            "differs",
            "Differs from the UK licence: the hydroxocobalamin product information gives 1 mg every 2 or 3 "
            "months after ileal resection, so monthly injections are off-licence (the off-licence-interval "
            "caution says so). Battat 2014 supports treating resections of more than "
            f"{ILEAL_RESECTION_THRESHOLD_CM} cm in Crohn's disease; no source was found for the monthly interval. "
            "Kept because the source gives it and more frequent injections do not harm.",
            ("smpc-cobalin-h", "battat-2014"),
        ),
    ),
    Rule(
        id="neuro-dietary-im",
        title="Injections for a dietary cause with neurological symptoms",
        kind="regimen",
        condition=All(DIETARY, NEURO),
        outcome=Injections(3),
        note="instead of oral treatment",
        basis="policy",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "In direction: AFP 2017 says intramuscular treatment gives faster improvement and should be "
            "considered for severe neurological symptoms, and the 1 mg tablets' licence asks for injections when "
            "neuropathy is suspected. The switch for a dietary cause is the engine's policy.",
            ("afp-2017", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="neuro-every-2-months",
        title="At most every 2 months with neurological symptoms",
        kind="regimen",
        condition=NEURO,
        outcome=Injections(2),
        basis="source",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "The UK product information: with neurological involvement, 1 mg on alternate days as long as "
            "improvement continues, then every 2 months (two hydroxocobalamin products allow every 2 or 3 months).",
            ("smpc-cobalin-h", "smpc-neo-cytamen"),
        ),
    ),
    Rule(
        id="recurrence-oral-to-im",
        title="Recurrence on oral treatment: switch to injections",
        kind="regimen",
        condition=All(RECURS, ON_ORAL),
        outcome=Injections(3),
        note="the switch is the step up",
        basis="policy",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "In direction: NICE advises increasing the dose or switching to injections when symptoms on oral "
            "treatment are new, worse or not improved enough (known from summaries). The switch to injections "
            "every 3 months is the engine's policy.",
            ("nice-ng239-sps",),
        ),
    ),
    Rule(
        id="recurrence-step-up",
        title="Recurrence before the next dose: one step more frequent",
        kind="regimen",
        condition=All(RECURS, Not(ON_ORAL)),
        outcome=StepUp("current_interval_months"),
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "In direction: NICE says increase the injection frequency, in line with the product information, when "
            "symptoms are new, worse or not improved enough (known from summaries). The step sizes are the "
            "engine's policy; a step to monthly is outside the licence and is flagged.",
            ("nice-ng239-sps", "smpc-cobalin-h"),
        ),
    ),
    Rule(
        id="never-lengthen",
        title="Never lengthen the current interval",
        kind="regimen",
        condition=Given("current_interval_months"),
        outcome=KeepCurrent("current_interval_months"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "NICE's evidence review found no studies comparing follow-up frequencies; lengthening an interval or "
            "changing route is left to the clinician.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="lifelong-irreversible",
        title="For life when the cause cannot be corrected",
        kind="regimen",
        condition=OneOf("cause", IRREVERSIBLE_CAUSES),
        outcome=Duration(True),
        note="an unknown cause, or other malabsorption, is treated as one that cannot be corrected",
        basis="source",
        references=("src3", "src8"),
        evidence=Evidence(
            "agrees",
            "NICE: some causes are irreversible, so treatment is needed for life and will not be stopped; "
            "injections are lifelong when the cause is or is suspected to be irreversible.",
            ("nice-ng239", "nice-ng239-sps"),
        ),
    ),
    Rule(
        id="review-reversible",
        title="Not for life when the cause can resolve",
        kind="regimen",
        condition=OneOf("cause", REVERSIBLE_CAUSES),
        outcome=Duration(False),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE: if the cause has resolved, think about stopping or reducing the frequency; NICE's clinical "
            "knowledge summary says dietary treatment can stop once levels are corrected and the diet has "
            "improved (lifelong in vegans). The source's 'never discontinue' differs: this rule follows NICE.",
            ("nice-ng239-sps", "nice-cks-b12"),
        ),
    ),
    Rule(
        id="no-level-driven-frequency",
        title="Laboratory values do not set the route or interval",
        kind="regimen",
        condition=Always(),
        outcome=Constraint(
            "Serum B12 and homocysteine values never change the route or the interval; clinical response does"
        ),
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "BSH 2014: the clinical picture matters most and there is no definitive cut-off; NICE follow-up is "
            "based on symptoms.",
            ("bsh-2014", "nice-ng239"),
        ),
    ),
)

FINDING_RULES: tuple[Rule, ...] = (
    Rule(
        id="serum-b12",
        title="Serum B12 in both units",
        kind="finding",
        condition=Given("serum_b12"),
        outcome=Finding(
            "The value in ng/L and pmol/L (1 pmol/L = 1.355 ng/L; ng/L = pg/mL), with the note that after "
            "injections a normal or high level is expected and does not show a response; a note to check "
            f"adherence and timing below {B12_NOT_LOW_PG_PER_ML} ng/L, and to check the value and its unit at "
            f"{B12_IMPLAUSIBLE_PG_PER_ML:,} ng/L or more",
            _serum_b12,
        ),
        basis="source",
        references=("src1", "src6"),
        evidence=Evidence(
            "differs",
            "The source reads a level after loading as showing that treatment has worked; after injections a "
            "normal or high level is expected and does not show that symptoms respond (BSH 2014: the clinical "
            "picture matters most; NICE follows up symptoms), so the engine never says so. The "
            f"{B12_NOT_LOW_PG_PER_ML} ng/L line is the top of NICE's indeterminate band as reported in summaries; "
            f"no source gives a limit for an implausible value: {B12_IMPLAUSIBLE_PG_PER_ML:,} ng/L is policy.",
            ("bsh-2014", "nice-ng239"),
        ),
    ),
    Rule(
        id="homocysteine",
        title="Homocysteine against the source's target",
        kind="finding",
        condition=Given("homocysteine_umol_l"),
        outcome=Finding(f"The value against the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L",
                        _homocysteine),
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "unsourced",
            "No guideline source was found for the target. AFP 2017: lowering homocysteine with B12 does not "
            "reduce heart attack, stroke or cognitive decline.",
            ("afp-2017",),
        ),
    ),
)

MONITORING_RULES: tuple[Rule, ...] = (
    Rule(
        id="b12-homocysteine-tests",
        title="Blood tests every 3 months, then yearly",
        kind="monitoring",
        condition=Always(),
        outcome=Monitor(
            "Check serum B12 and homocysteine every 3 months until stable, then once a year; take the sample "
            "before that day's injection.", 3),
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "differs",
            "NICE reviews symptoms after 3 months and found no studies on how often to follow up; a local NHS "
            "guideline sees no need to recheck B12 during injections, while the NHS patient page mentions regular "
            "blood tests. Kept from the source, with the sample taken before the injection so that it is not "
            "read just after a dose (policy).",
            ("nice-ng239", "nice-ng239-nasgp"),
        ),
    ),
    REVIEW_AT_3_MONTHS,
    Rule(
        id="symptom-review",
        title="Watch for recurring symptoms",
        kind="monitoring",
        condition=Always(),
        outcome=Monitor(
            "Watch for recurrence of depressive or neurological symptoms: "
            "a recurrence may mean the interval must shorten."
        ),
        basis="source",
        references=("src2",),
        evidence=Evidence(
            "agrees",
            "NICE's follow-up is based on symptoms, with a review after 3 months of treatment (known from "
            "summaries).",
            ("nice-ng239-nasgp",),
        ),
    ),
)

CAUTION_RULES: tuple[Rule, ...] = (
    Rule(
        id="injection-overdue",
        title="An injection is overdue",
        kind="caution",
        condition=OVERDUE,
        outcome=Caution(
            "The next injection on this regimen was due before the assessment date, so it is overdue: give it now "
            "and reassess the symptoms; if it is long overdue or symptoms have returned, a new loading course may "
            "be needed. The schedule starts from the assessment date.",
            "high",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No guideline source says what to do when a maintenance injection is overdue (the NHS patient page: "
            "ask the doctor or nurse when to have the next dose). Giving it now and reassessing is this site's "
            "policy.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="neurological-involvement",
        title="Neurological involvement",
        kind="caution",
        condition=NEURO,
        outcome=Caution(
            "Neurological involvement: confirm that specialist (haematology) advice was sought and that loading "
            "was given on alternate days until there was no further improvement; maintenance is then every 2 "
            "months.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The UK product information: with neurological involvement, 1 mg on alternate days as long as "
            "improvement continues, then every 2 months. NICE's clinical knowledge summary (2020): seek urgent "
            "specialist advice from a haematologist; NICE NG239's own wording on this could not be verified.",
            ("smpc-cobalin-h", "nice-cks-b12"),
        ),
    ),
    Rule(
        id="lifelong-therapy",
        title="Never stop lifelong treatment",
        kind="caution",
        condition=LIFELONG,
        outcome=Caution(
            "Do not stop vitamin B12 treatment, even when levels normalise: the cause cannot be corrected, so "
            "treatment is for life.", "high"),
        basis="source",
        references=("src3", "src6"),
        evidence=Evidence(
            "agrees",
            "NICE agrees for irreversible causes: treatment is for life and will not be stopped. For a reversible "
            "cause (diet, medicines) that has resolved, NICE says consider stopping or reducing, so this caution "
            "is given only when the cause cannot be corrected.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="review-reversible-cause",
        title="Review whether a reversible cause has resolved",
        kind="caution",
        condition=All(IN_SCOPE, OneOf("cause", REVERSIBLE_CAUSES)),
        outcome=Caution(
            Pick(
                "This cause can resolve: review whether it has, and consider stopping or reducing treatment then.",
                (DIETARY, "A dietary cause can resolve: review whether the diet now provides enough vitamin B12, "
                          "and consider stopping or reducing treatment then (in vegans it may need to be "
                          "lifelong)."),
                (Is("cause", "medicines"), "A medicine-induced deficiency can resolve: review whether the "
                                           "medicine (for example metformin or an acid suppressant) is still "
                                           "needed; once it has been stopped, consider stopping or reducing "
                                           "treatment."),
                (Is("cause", "coeliac_disease"), "Absorption can recover on a strict gluten-free diet: review it, "
                                                 "and consider reducing or stopping treatment only once the gut "
                                                 "has healed and B12 stays adequate."),
            ),
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE: if the cause of deficiency has resolved, think about stopping or reducing treatment (known from "
            "summaries); NICE's clinical knowledge summary: dietary treatment can stop once levels are corrected "
            "and the diet has improved.",
            ("nice-ng239-sps", "nice-cks-b12"),
        ),
    ),
    Rule(
        id="off-licence-interval",
        title="More often than the licence",
        kind="caution",
        condition=OFF_LICENCE,
        outcome=Caution(
            f"Hydroxocobalamin more often than every {LICENSED_SHORTEST_MONTHS} months is outside its UK licence, "
            "which gives maintenance every 2 to 3 months: monthly injections are the prescriber's decision and "
            "responsibility (off-label use).",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The UK hydroxocobalamin product information gives maintenance every 2 or 3 months (every 2 months "
            "with neurological involvement); none gives monthly maintenance for these indications.",
            ("smpc-cobalin-h", "smpc-neo-cytamen"),
        ),
    ),
    Rule(
        id="oral-alternative",
        title="Oral treatment is an alternative in malabsorption",
        kind="caution",
        condition=All(IN_SCOPE, INTRAMUSCULAR, NO_NEURO, AnyOf(OneOf("cause", INJECTION_CAUSES),
                                                                Is("cause", "ileal_resection"))),
        outcome=Caution(
            "NICE also allows oral cyanocobalamin, at least 1 mg a day, for deficiency caused by malabsorption if "
            "the patient prefers it; this calculator follows the source (injections). With neurological "
            "symptoms, the tablets' licence asks for injections.",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "BMJ summary of NICE NG239: oral replacement for malabsorption at a dosage of at least 1 mg a day; the "
            "1 mg tablets are licensed for malabsorption, with parenteral treatment if neuropathy is suspected.",
            ("nice-ng239-bmj", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="recurrence-other-causes",
        title="Recurring symptoms: adherence and other causes",
        kind="caution",
        condition=RECURS,
        outcome=Caution(
            "Symptoms recur before the next dose: check adherence, and other causes of the symptoms (iron and "
            "folate status, thyroid function, coeliac disease).",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "NICE advises considering other diagnoses when symptoms are new or worse (known from summaries); no "
            "source names these checks for a recurrence, so the list is this site's policy.",
            ("nice-ng239-sps",),
        ),
    ),
    FOLIC_ACID,
    Rule(
        id="individualised-regimen",
        title="Some patients need more frequent injections",
        kind="caution",
        condition=INTRAMUSCULAR,
        outcome=Caution(
            "Up to 50% of patients may need an individualised regimen with more frequent injections "
            "to remain symptom-free.",
            "info",
        ),
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "unsourced",
            "No primary source was found; the figure is attributed to the BNF elsewhere but is not in its wording.",
        ),
    ),
    Rule(
        id="specialist-advice",
        title="Specialist advice",
        kind="caution",
        condition=AnyOf(NOT_IMPROVED, RECURRED_ON_MONTHLY),
        outcome=Caution(
            Pick(
                "Symptoms recur despite monthly injections: seek specialist (haematology) advice.",
                (NOT_IMPROVED, "No response to the loading course: seek specialist (haematology) advice and review "
                               "the diagnosis. Meanwhile continue the injections (on alternate days with "
                               "neurological symptoms) and check adherence, folate, iron and thyroid function."),
            ),
            Pick("warning", (NOT_IMPROVED, "high")),
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "A BMJ review advises specialist referral when deficiency is refractory to treatment; NICE: increase "
            "the frequency in line with the product information when symptoms are not improved enough (known "
            "from summaries); beyond monthly injections is a specialist decision.",
            ("bmj-2019-sukumar", "nice-ng239-sps"),
        ),
    ),
    Rule(
        id="homocysteine-above-target",
        title="Homocysteine at or above the target",
        kind="caution",
        condition=AtLeast("homocysteine_umol_l", HOMOCYSTEINE_TARGET_UMOL_L),
        outcome=Caution(
            f"Homocysteine is at or above the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L: "
            "review adherence and the clinical response. The value does not change the interval.",
            "warning",
        ),
        basis="policy",
        references=("src3",),
        evidence=Evidence(
            "unsourced",
            "No guideline source for the target; the wording of this caution is the engine's policy.",
            ("afp-2017",),
        ),
    ),
)

RULES: tuple[Rule, ...] = SCOPE_RULES + REGIMEN_RULES + FINDING_RULES + MONITORING_RULES + CAUTION_RULES


# --- result assembly ----------------------------------------------------------------------------


def build_regimen(case: Case) -> dict[str, Any]:
    """The regimen the rules settled on (in scope), with the rules that shaped it."""
    plan = case.plan
    rules, references = shaping_rules(case)
    lifelong = bool(plan["lifelong"])
    if plan["route"] == "oral":
        low, high = CYANOCOBALAMIN_DOSE_RANGE
        duration = ("Continue while dietary intake stays inadequate; review whether the diet has improved, and "
                    "monitor the response and adjust.")
        return {
            "drug": "cyanocobalamin",
            "route": "oral",
            "dose_micrograms": CYANOCOBALAMIN_DOSE_MICROGRAMS,
            "dose_range_micrograms": [low, high],
            "interval": {"value": 1, "unit": "day"},
            "lifelong": lifelong,
            "duration_note": duration,
            "summary": f"Cyanocobalamin {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily while dietary "
            "intake stays inadequate",
            "details": [f"Dose range in the guideline: {low} to {high} micrograms.", duration],
            "references": references,
            "rules": rules,
        }
    months = plan["interval_months"]
    if lifelong:
        duration = "For life: do not stop, even when levels normalise."
        summary = f"Hydroxocobalamin 1 mg intramuscularly {_every(months)} for life"
    else:
        duration = ("Long term, not for life: review whether the cause has resolved, and consider stopping or "
                    "reducing treatment then.")
        summary = f"Hydroxocobalamin 1 mg intramuscularly {_every(months)}, reviewing whether the cause has resolved"
    regimen = {
        "drug": "hydroxocobalamin",
        "route": "intramuscular",
        "dose_micrograms": HYDROXOCOBALAMIN_DOSE_MICROGRAMS,
        "interval": {"value": months, "unit": "month"},
        "lifelong": lifelong,
        "duration_note": duration,
        "summary": summary,
        "details": [duration],
        "references": references,
        "rules": rules,
    }
    if months == 3:
        # The range for the standard interval; shorter intervals come without one.
        low, high = STANDARD_INTERVAL_RANGE
        regimen["interval_range"] = {"min": low, "max": high, "unit": "month"}
        regimen["details"].insert(0, f"Interval range in the guideline: every {low} to {high} months.")
    if months < LICENSED_SHORTEST_MONTHS:
        regimen["details"].insert(0, "Outside the UK licence (every 2 to 3 months): see the cautions.")
    return regimen


def _overdue(case: Case) -> bool:
    return any(step["rule"] == "injection-overdue" for step in case.trace)


def build_schedule(case: Case, regimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Dated injections, blood tests and the review from the last injection date (empty without one).

    When an injection is overdue, the schedule starts from the assessment date with an injection that day.
    """
    last = case.values.get("last_injection_date")
    if regimen is None or last is None:
        return []
    overdue = _overdue(case)
    anchor = date.fromisoformat(case.values["assessment_date"] if overdue else last)
    since = "the assessment" if overdue else "the last injection"
    events: list[tuple[date, int, dict[str, Any]]] = []
    if regimen["route"] == "intramuscular":
        months = regimen["interval"]["value"]
        first = 0 if overdue else 1
        for n in range(first, first + SCHEDULED_INJECTIONS):
            # Each date from the anchor, not chained, so a short month does not pull later dates earlier.
            day = add_months(anchor, n * months)
            now = " (overdue: give it now)" if overdue and n == 0 else ""
            text = (f"Hydroxocobalamin 1 mg intramuscularly (injection {n - first + 1} of the next "
                    f"{SCHEDULED_INJECTIONS}){now}")
            events.append((day, 0, {"date": day.isoformat(), "event": "injection", "text": text}))
    for months_after in BLOOD_TEST_MONTHS:
        day = add_months(anchor, months_after)
        when = "yearly once stable" if months_after > 12 else f"{months_after} months after {since}"
        text = f"Serum B12 and homocysteine ({when}); take the sample before any injection that day"
        events.append((day, 1, {"date": day.isoformat(), "event": "blood-test", "text": text}))
    day = add_months(anchor, REVIEW_MONTHS)
    events.append((day, 2, {"date": day.isoformat(), "event": "review",
                            "text": f"Review the symptoms ({REVIEW_MONTHS} months after {since}, as NICE advises)"}))
    return [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]


STATEMENTS: tuple[SourceStatement, ...] = (
    SourceStatement(
        id="loading-course",
        title="The loading course",
        statement="The initial (loading) course was 4 weekly B12 injections, after which symptoms improved",
        references=(),
        evidence=Evidence(
            "differs",
            "Not a standard loading course: fewer injections over a longer time. The UK product information gives "
            "250-1000 micrograms on alternate days for 1 to 2 weeks (the BNF: 1 mg 3 times a week for 2 weeks), "
            "or 1 mg on alternate days as long as improvement continues when there is neurological involvement. "
            "The maintenance calculator takes the loading course as given; the loading calculator checks it.",
            ("smpc-cobalin-h", "bnf-hydroxocobalamin"),
        ),
    ),
    SourceStatement(
        id="malabsorption-injections-for-life",
        title="Malabsorption: injections for life",
        statement="If the deficiency was caused by malabsorption, intramuscular B12 is the recommended treatment "
        "and is needed for life",
        references=("src4", "src8"),
        evidence=Evidence(
            "differs",
            "NICE allows oral treatment of at least 1 mg a day as an option in malabsorption; the source is "
            "stricter. The calculator follows the source (injections) and says that oral treatment is an "
            "alternative.",
            ("nice-ng239-bmj",),
        ),
    ),
    SourceStatement(
        id="gastric-surgery",
        title="Gastric surgery: injections for life",
        statement="After gastric surgery, continue intramuscular injections every 2-3 months for life",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "differs",
            "Agrees for gastrectomy (the product information) and bariatric surgery (BOMSS: injections every 3 "
            "months); AFP 2017 advises 1 mg by mouth daily after bariatric surgery instead. The calculator "
            "follows the source (injections).",
            ("smpc-cobalin-h", "bomss-2020", "afp-2017"),
        ),
    ),
    SourceStatement(
        id="monthly-may-work-better",
        title="Monthly injections may work better",
        statement="Monthly administration of 1000 micrograms intramuscularly may be more effective than "
        "3-monthly injections in some patients",
        references=("src5",),
        evidence=Evidence(
            "differs",
            "Monthly hydroxocobalamin is outside the UK licence (every 2 or 3 months); NICE advises increasing "
            "the frequency in line with the product information when symptoms need it. The calculator gives "
            "monthly injections only where the source's rules lead there, and then says they are off-licence.",
            ("smpc-cobalin-h", "nice-ng239-sps"),
        ),
    ),
)


PATHWAY = Pathway(
    id="b12-maintenance",
    title="Vitamin B12 deficiency: maintenance treatment after a loading course",
    short_title="Maintenance after loading",
    version="2.0.0",
    source_date=SOURCE_DATE,
    scope="People aged 16 and over with vitamin B12 deficiency diagnosed earlier who have completed an initial "
    "(loading) course of treatment. Not for diagnosis or loading, for people under 16, or in pregnancy or "
    "breastfeeding: the calculator asks, and says what to do instead.",
    fields=FIELDS,
    rules=RULES,
    new_plan=new_plan,
    regimen=build_regimen,
    schedule=build_schedule,
    references=REFERENCES,
    reference_groups=GROUPS,
    disclaimer=DISCLAIMER,
    evidence_intro="How each statement of the source document compares with the primary guidance: NICE guideline "
    "NG239, the UK product information (SmPC) of the medicines, and the other primary sources listed in the "
    "references. Where following the source could harm a patient or contradicts the product licence, the "
    "calculator takes the safer primary guidance and the rule's note says so.",
    source_note="The source of this guideline is a machine-generated answer page (its own banner says its content "
    "is pending human review), and its reference list is incomplete: it cites references 6 to 8 without listing "
    "them, and the summaries it cites could not be found. Each recommendation of the calculator shows its status "
    "below. Before relying on a recommendation, confirm it against the current NICE guideline NG239 and the "
    "product information.",
    combination="When several rules apply, the most frequent interval wins and injections win over oral treatment; "
    "whether the regimen is for life follows the cause.",
    statements=STATEMENTS,
    states=(IN_SCOPE, LIFELONG, INTRAMUSCULAR, OFF_LICENCE, RECURRED_ON_MONTHLY, *EVERY.values()),
    labels={
        "regimen": "Maintenance regimen",
        "events": {"injection": "Injection", "blood-test": "Blood test", "review": "Review"},
    },
)
