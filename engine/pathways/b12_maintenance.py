"""The B12 maintenance pathway: fields, rules and result assembly after a loading course.

Each rule is a record: its condition and outcome are data (engine.conditions, engine.outcomes), and
everything a rule needs (the thresholds, the regimen outcomes, the states it looks at) is declared here
beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.conditions import Above, All, Always, AnyOf, AtLeast, AtMost, Given, Is, Missing, Named, Not, OneOf, State
from engine.dates import add_months
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Finding, Monitor, OutOfScope, Pick, PlanChange
from engine.pathway import Pathway, shaping_rules
from engine.pathways.b12_references import GROUPS, REFERENCES
from engine.pathways.b12_units import B12_UNITS, b12_to_pg_per_ml, b12_to_pmol_per_l
from engine.plan import Plan
from engine.rules import Case, Evidence, Rule, SourceStatement

MALABSORPTION_CAUSES = ("pernicious_anaemia", "gastric_surgery", "other_malabsorption", "unknown")
ILEAL_RESECTION_THRESHOLD_CM = 20
HOMOCYSTEINE_TARGET_UMOL_L = 10
# NICE NG239's band of indeterminate total B12 ends at 350 ng/L; at or above it the
# engine calls a level "not low". Laboratories' ranges differ, hence the wording.
B12_NOT_LOW_PG_PER_ML = 350
HYDROXOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_RANGE = (1000, 2000)
STANDARD_INTERVAL_RANGE = (2, 3)  # the source's range for the standard 3-monthly interval
SCHEDULED_INJECTIONS = 6
BLOOD_TEST_MONTHS = (3, 6, 9, 12, 24)

FIELDS: tuple[Field, ...] = (
    Field(
        key="cause",
        label="Cause of deficiency",
        type="enum",
        required=True,
        choices=(
            Choice("dietary", "Dietary (e.g. vegan diet)"),
            Choice("pernicious_anaemia", "Autoimmune gastritis (pernicious anaemia)"),
            Choice("gastric_surgery", "Gastric surgery"),
            Choice("ileal_resection", "Ileal resection"),
            Choice("other_malabsorption", "Other malabsorption"),
            Choice("unknown", "Unknown"),
        ),
        help="The cause of the deficiency as diagnosed. An unknown cause is treated as one that cannot be corrected.",
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
        key="neurological_symptoms",
        label="Neurological symptoms",
        type="bool",
        required=True,
        says=("neurological symptoms", "no neurological symptoms"),
        help="For example paraesthesia, ataxia or cognitive change.",
    ),
    Field(
        key="loading_response",
        label="Response to the loading course",
        type="enum",
        default="improved",
        choices=(Choice("improved", "Improved"), Choice("not_improved", "Not improved")),
        help="Whether symptoms improved after the initial (loading) course of injections.",
    ),
    Field(
        key="symptoms_recur_before_next_dose",
        label="Symptoms return before the next dose is due",
        type="bool",
        default=False,
        help="Symptoms come back in the weeks before the next scheduled dose.",
        says=("symptoms recur before the next dose", "no recurrence before the next dose"),
    ),
    Field(
        key="current_interval_months",
        label="Current injection interval",
        type="integer",
        unit="months",
        min=1,
        max=3,
        help="Only if the patient is already on intramuscular maintenance injections.",
    ),
    Field(
        key="serum_b12",
        label="Latest serum B12",
        type="number",
        min=0,
        min_exclusive=True,
        max=20000,
        help="Total serum vitamin B12, in the unit chosen below.",
        unit_field="serum_b12_unit",
    ),
    Field(
        key="serum_b12_unit",
        label="Serum B12 unit",
        type="enum",
        default="pmol/L",
        choices=tuple(Choice(unit, unit) for unit in B12_UNITS),
        help="1 pmol/L = 1.355 pg/mL; ng/L is the same as pg/mL.",
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
    Field(
        key="folic_acid_planned",
        label="Folic acid being considered or prescribed",
        type="bool",
        default=False,
        says=("folic acid is being considered or prescribed", "no folic acid planned"),
    ),
    Field(
        key="last_injection_date",
        label="Date of the last injection",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        help="Anchors the dated schedule of injections and blood tests. Leave empty for no schedule.",
    ),
)




# --- the plan and the outcomes that shape it ------------------------------------------------------


def new_plan() -> Plan:
    """The regimen as the rules shape it: no route until a rule gives one."""
    return Plan(route=None, interval_months=None, lifelong=False, recurred_on_monthly=False)


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


def _every(n: int) -> str:
    return f"every {_months(n)}"


@dataclass(frozen=True)
class Oral(PlanChange):
    """Cyanocobalamin by mouth daily, not lifelong."""

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("route", "oral", rule.id)
        case.plan.set("lifelong", False, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        low, high = CYANOCOBALAMIN_DOSE_RANGE
        return (f"Cyanocobalamin {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily (range {low}-{high} "
                "micrograms); not lifelong: continue while intake stays inadequate, monitor the response and adjust")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "oral", "lifelong": False}}


@dataclass(frozen=True)
class Injections(PlanChange):
    """Hydroxocobalamin injections at least every ``months`` months; every injection regimen is lifelong.

    Lifelong for a dietary cause too: policy, the spec's safer, never-discontinued option (the duration
    note says where NICE would consider stopping).
    """

    months: int

    def apply(self, case: Case, rule: Rule) -> None:
        case.plan.set("route", "intramuscular", rule.id)
        case.plan.at_most("interval_months", self.months, rule.id)
        case.plan.set("lifelong", True, rule.id)

    def describe(self, fields: Mapping[str, Field]) -> str:
        span = " (range 2-3 months)" if self.months == 3 else ""
        return f"Hydroxocobalamin 1 mg intramuscularly at least {_every(self.months)}{span}, lifelong"

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"at_most": self.months}, "lifelong": True}}


@dataclass(frozen=True)
class StepUp(PlanChange):
    """One step more frequent than the current interval (or than the rules' interval when none is given)."""

    current: str

    def apply(self, case: Case, rule: Rule) -> None:
        base = case.values.get(self.current) or case.plan["interval_months"]
        if base == 1:
            case.plan.set("recurred_on_monthly", True, rule.id)
        Injections(max(1, base - 1)).apply(case, rule)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return ("Injections one step more frequent than the current interval, or than the interval the rules above "
                "give when none is given: 3 to 2 to 1 month; already monthly stays monthly and adds the "
                "specialist-advice caution")

    def to_json(self) -> dict[str, Any]:
        return {"plan": {"route": "intramuscular", "interval_months": {"step_down_from": self.current},
                         "lifelong": True}}

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
        return {"plan": {"route": "intramuscular", "interval_months": {"at_most_field": self.current},
                         "lifelong": True}}

    def reads(self) -> tuple[str, ...]:
        return (self.current,)


# --- conditions the rules share -------------------------------------------------------------------

DIETARY = Is("cause", "dietary")
NEURO = Is("neurological_symptoms", True)
NO_NEURO = Is("neurological_symptoms", False)
RECURS = Is("symptoms_recur_before_next_dose", True)
NOT_IMPROVED = Is("loading_response", "not_improved")
LONG_RESECTION = All(Is("cause", "ileal_resection"), Above("ileal_resection_cm", ILEAL_RESECTION_THRESHOLD_CM))
ON_ORAL = Named(
    "on-oral-treatment",
    "on oral treatment",
    All(DIETARY, NO_NEURO, Missing("current_interval_months")),
)

LIFELONG = State("lifelong", "the regimen is lifelong", lambda case: case.plan["lifelong"])
INTRAMUSCULAR = State("intramuscular", "the regimen is intramuscular",
                      lambda case: case.plan["route"] == "intramuscular")
RECURRED_ON_MONTHLY = State("recurred-on-monthly", "symptoms recur despite monthly injections",
                            lambda case: case.plan["recurred_on_monthly"])


# --- findings ---------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A lab value as a clinician writes it: whole numbers, halves rounded up."""
    return str(int(value + 0.5))


def _serum_b12(case: Case) -> tuple[str, dict[str, Any]]:
    value, unit = case.values["serum_b12"], case.values["serum_b12_unit"]
    pmol = b12_to_pmol_per_l(value, unit)
    pg = b12_to_pg_per_ml(value, unit)
    text = (
        f"Serum B12 {_number(pmol)} pmol/L = {_number(pg)} pg/mL (ng/L is the same as pg/mL). "
        "Serum B12 alone does not set the frequency of treatment: clinical response does."
    )
    if pg >= B12_NOT_LOW_PG_PER_ML:
        if case.values["loading_response"] == "improved":
            text += " A level that is not low after the loading course is consistent with successful initial treatment."
    else:
        text += (
            f" The level is below {B12_NOT_LOW_PG_PER_ML} pg/mL: check adherence and when the sample was taken; "
            "it does not change the interval by itself."
        )
    return text, {"pmol_per_l": round(pmol, 1), "pg_per_ml": round(pg, 1)}


def _homocysteine(case: Case) -> tuple[str, dict[str, Any]]:
    value = case.values["homocysteine_umol_l"]
    relation = "above" if value >= HOMOCYSTEINE_TARGET_UMOL_L else "within"
    # Shown as entered: rounding 9.96 to 10 would contradict "within the target of < 10".
    text = f"Homocysteine {value} µmol/L is {relation} the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L."
    return text, {"umol_per_l": value}


# --- the rules, in the order they are applied --------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        id="scope-not-improved",
        title="No response to the loading course",
        kind="scope",
        condition=NOT_IMPROVED,
        outcome=OutOfScope(
            "This pathway is for patients who responded to the loading course. Lack of response calls for a "
            "review of the diagnosis, of adherence and of other causes of the symptoms, with specialist advice. "
            "Do not stop vitamin B12 treatment while this is reviewed."
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "The source covers only patients who responded. NICE advises increasing the injection frequency "
            "within the licence when symptoms are not improved enough (known from summaries).",
            ("nice-ng239",),
        ),
    ),
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
            "AFP 2017 and Cochrane 2018: oral 1-2 mg daily is as effective as intramuscular treatment. NICE "
            "allows oral treatment of at least 1 mg a day even in malabsorption, so the source is stricter on "
            "malabsorption; UK formularies give 50-150 micrograms a day for a dietary cause, so the source's "
            "dose is higher.",
            ("afp-2017", "cochrane-2018", "nice-ng239"),
        ),
    ),
    Rule(
        id="im-malabsorption",
        title="Injections every 2-3 months for malabsorption or an unknown cause",
        kind="regimen",
        condition=AnyOf(
            OneOf("cause", MALABSORPTION_CAUSES),
            All(Is("cause", "ileal_resection"), AtMost("ileal_resection_cm", ILEAL_RESECTION_THRESHOLD_CM)),
        ),
        outcome=Injections(3),
        note="an unknown cause is treated as one that cannot be corrected",
        basis="source",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "agrees",
            "BNF: 1 mg every 2-3 months without neurological involvement (known from formularies quoting it); "
            "NICE: lifelong when the cause is irreversible. Differs for bariatric surgery, after which AFP 2017 "
            "advises 1 mg by mouth daily indefinitely.",
            ("bnf-hydroxocobalamin", "nice-ng239", "afp-2017"),
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
            "unsourced",
            f"Partly unsourced: Battat 2014 supports treatment after resections of more than "
            f"{ILEAL_RESECTION_THRESHOLD_CM} cm in Crohn's disease; no primary source was found for the "
            "monthly interval.",
            ("battat-2014",),
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
            "considered for severe neurological symptoms. The switch for a dietary cause is the engine's policy.",
            ("afp-2017",),
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
            "BNF: with neurological involvement, 1 mg every 2 months after alternate-day loading "
            "(known from formularies quoting it).",
            ("bnf-hydroxocobalamin",),
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
            "In direction: NICE says the dose, frequency and route may need adjusting when symptoms are not "
            "improved enough (known from summaries). The switch itself is the engine's policy.",
            ("nice-ng239",),
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
            "In direction: NICE says increase the injection frequency within the product's licence when "
            "symptoms are new, worse or not improved enough. The step sizes are the engine's policy.",
            ("nice-ng239",),
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
    Rule(
        id="serum-b12",
        title="Serum B12 in both units",
        kind="finding",
        condition=Given("serum_b12"),
        outcome=Finding(
            "The value in pmol/L and pg/mL (1 pmol/L = 1.355 pg/mL; ng/L = pg/mL), with the note that serum B12 "
            f"alone does not set the frequency; a level of at least {B12_NOT_LOW_PG_PER_ML} pg/mL after a loading "
            "course that helped is consistent with successful initial treatment",
            _serum_b12,
        ),
        basis="source",
        references=("src1", "src6"),
        evidence=Evidence(
            "agrees",
            "BSH 2014: no gold-standard test and no definitive cut-off. The engine's threshold for 'not low' "
            f"({B12_NOT_LOW_PG_PER_ML} pg/mL, the top of NICE's indeterminate band as reported in summaries) is "
            "policy; local laboratory ranges differ.",
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
    Rule(
        id="b12-homocysteine-tests",
        title="Blood tests every 3 months, then yearly",
        kind="monitoring",
        condition=Always(),
        outcome=Monitor("Check serum B12 and homocysteine every 3 months until stable, then once a year.", 3),
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "differs",
            "NICE: review symptoms after 3 months; its evidence review found no studies on follow-up frequency. "
            "Local NHS guidance calls routine B12 re-testing during injections uninformative.",
            ("nice-ng239",),
        ),
    ),
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
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="lifelong-therapy",
        title="Never stop lifelong treatment",
        kind="caution",
        condition=LIFELONG,
        outcome=Caution("Never stop vitamin B12 treatment, even when levels normalise: it is lifelong.", "high"),
        basis="source",
        references=("src3", "src6"),
        evidence=Evidence(
            "agrees",
            "NICE agrees for irreversible causes: treatment is for life and will not be stopped. For a reversible "
            "cause (diet, medicines) that has resolved, NICE says consider stopping or reducing, so the source's "
            "'never discontinue' differs there.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="folic-acid",
        title="No folic acid without adequate B12",
        kind="caution",
        condition=Always(),
        outcome=Caution(
            "Do not give folic acid without ensuring adequate vitamin B12: it may mask B12 deficiency "
            "and precipitate neurological complications.",
            Pick("warning", (Is("folic_acid_planned", True), "high")),
        ),
        basis="source",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "Folic acid SmPC: used indiscriminately in B12 deficiency, folic acid can correct the blood count "
            "while irreversible neurological damage develops.",
            ("folic-acid-smpc",),
        ),
    ),
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
                (NOT_IMPROVED, "No response to the loading course: seek specialist advice and review the diagnosis."),
            ),
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "The source does not say what to do beyond monthly injections. NICE: increase the frequency within "
            "the product's licence if needed (known from summaries); beyond that is a specialist decision.",
            ("nice-ng239",),
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


# --- result assembly ----------------------------------------------------------------------------


def build_regimen(case: Case) -> dict[str, Any]:
    """The regimen the rules settled on (in scope), with the rules that shaped it."""
    plan = case.plan
    rules, references = shaping_rules(case)
    if plan["route"] == "oral":
        low, high = CYANOCOBALAMIN_DOSE_RANGE
        duration = "Continue while dietary intake stays inadequate; monitor the response and adjust."
        return {
            "drug": "cyanocobalamin",
            "route": "oral",
            "dose_micrograms": CYANOCOBALAMIN_DOSE_MICROGRAMS,
            "dose_range_micrograms": [low, high],
            "interval": {"value": 1, "unit": "day"},
            "lifelong": False,
            "duration_note": duration,
            "summary": f"Cyanocobalamin {CYANOCOBALAMIN_DOSE_MICROGRAMS} micrograms by mouth daily while dietary "
            "intake stays inadequate",
            "details": [f"Dose range in the guideline: {low} to {high} micrograms.", duration],
            "references": references,
            "rules": rules,
        }
    months = plan["interval_months"]
    if case.values["cause"] == "dietary":
        duration = (
            "Long term: the engine does not advise stopping injections (policy). NICE suggests considering "
            "stopping or reducing once a dietary cause has resolved: a clinical decision."
        )
    else:
        duration = "For life: do not stop, even when levels normalise."
    regimen = {
        "drug": "hydroxocobalamin",
        "route": "intramuscular",
        "dose_micrograms": HYDROXOCOBALAMIN_DOSE_MICROGRAMS,
        "interval": {"value": months, "unit": "month"},
        "lifelong": plan["lifelong"],
        "duration_note": duration,
        "summary": f"Hydroxocobalamin 1 mg intramuscularly {_every(months)} for life",
        "details": [duration],
        "references": references,
        "rules": rules,
    }
    if months == 3:
        # The source's range for the standard interval; shorter intervals come without one.
        low, high = STANDARD_INTERVAL_RANGE
        regimen["interval_range"] = {"min": low, "max": high, "unit": "month"}
        regimen["details"].insert(0, f"Interval range in the guideline: every {low} to {high} months.")
    return regimen


def build_schedule(case: Case, regimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Dated injections and blood tests from the last injection date; empty without one."""
    anchor_text = case.values.get("last_injection_date")
    if regimen is None or anchor_text is None:
        return []
    anchor = date.fromisoformat(anchor_text)
    events: list[tuple[date, int, dict[str, Any]]] = []
    if regimen["route"] == "intramuscular":
        months = regimen["interval"]["value"]
        for n in range(1, SCHEDULED_INJECTIONS + 1):
            # Each date from the anchor, not chained, so a short month does not pull later dates earlier.
            day = add_months(anchor, n * months)
            text = f"Hydroxocobalamin 1 mg intramuscularly (injection {n} of the next {SCHEDULED_INJECTIONS})"
            events.append((day, 0, {"date": day.isoformat(), "event": "injection", "text": text}))
    for months_after in BLOOD_TEST_MONTHS:
        day = add_months(anchor, months_after)
        when = "yearly once stable" if months_after > 12 else f"{months_after} months after the last injection"
        text = f"Serum B12 and homocysteine ({when})"
        events.append((day, 1, {"date": day.isoformat(), "event": "blood-test", "text": text}))
    return [event for _, _, event in sorted(events, key=lambda item: (item[0], item[1]))]


STATEMENTS: tuple[SourceStatement, ...] = (
    SourceStatement(
        id="loading-course",
        title="The loading course",
        statement="The initial (loading) course was 4 weekly B12 injections, after which symptoms improved",
        references=(),
        evidence=Evidence(
            "differs",
            "Not a standard loading course. BNF: 1 mg three times a week for 2 weeks, or on alternate days until no "
            "further improvement when there is neurological involvement (known from formularies quoting it). "
            "The engine takes the loading course as given and does not check it.",
            ("bnf-hydroxocobalamin",),
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
            "NICE allows oral treatment of at least 1 mg a day as an option in malabsorption (known from "
            "summaries); the source is stricter. The calculator follows the source (injections).",
            ("nice-ng239",),
        ),
    ),
    SourceStatement(
        id="gastric-surgery",
        title="Gastric surgery: injections for life",
        statement="After gastric surgery, continue intramuscular injections every 2-3 months for life",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "differs",
            "Differs for bariatric surgery: AFP 2017 advises 1 mg by mouth daily, continued indefinitely. "
            "The calculator follows the source (injections).",
            ("afp-2017",),
        ),
    ),
)


PATHWAY = Pathway(
    id="b12-maintenance",
    title="Vitamin B12 deficiency: maintenance treatment after a loading course",
    short_title="Maintenance after loading",
    version="1.0.0",
    source_date="2025-10-28",
    scope="Adults with previously diagnosed vitamin B12 deficiency who have completed an initial (loading) "
    "course of treatment and responded to it. Not for diagnosis, loading regimens, children or pregnancy.",
    fields=FIELDS,
    rules=RULES,
    new_plan=new_plan,
    regimen=build_regimen,
    schedule=build_schedule,
    references=REFERENCES,
    reference_groups=GROUPS,
    disclaimer="Decision support only: confirm against the current NICE guideline NG239 and the BNF.",
    evidence_intro="How each statement of the source document compares with the primary guidance: NICE guideline "
    "NG239, the British National Formulary (BNF) and the other primary sources listed in the references.",
    source_note="The source of this guideline is a machine-generated answer page (its own banner says its content "
    "is pending human review), and its reference list is incomplete: it cites references 6 to 8 without listing "
    "them, and the summaries it cites could not be found. The calculator implements the source's pathway "
    "faithfully; each recommendation it makes shows the status below. Before relying on a recommendation, "
    "confirm it against the current NICE guideline NG239 and the BNF.",
    combination="When several rules apply, the most frequent interval wins and injections win over oral treatment.",
    statements=STATEMENTS,
    states=(LIFELONG, INTRAMUSCULAR, RECURRED_ON_MONTHLY),
    labels={
        "regimen": "Maintenance regimen",
        "events": {"injection": "Injection", "blood-test": "Blood test", "review": "Review"},
    },
)
