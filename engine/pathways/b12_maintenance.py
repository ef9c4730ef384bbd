"""The B12 maintenance pathway: fields, rules and result assembly after a loading course."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.dates import add_months
from engine.fields import Choice, Field, RequiredWhen
from engine.pathway import Pathway
from engine.rules import Case, Evidence, Rule, SourceStatement
from engine.units import B12_UNITS, b12_to_pg_per_ml, b12_to_pmol_per_l

MALABSORPTION_CAUSES = ("pernicious_anaemia", "gastric_surgery", "other_malabsorption", "unknown")
ILEAL_RESECTION_THRESHOLD_CM = 20
HOMOCYSTEINE_TARGET_UMOL_L = 10
# NICE NG239's band of indeterminate total B12 ends at 350 ng/L; at or above it the
# engine calls a level "not low". Laboratories' ranges differ, hence the wording.
B12_NOT_LOW_PG_PER_ML = 350
HYDROXOCOBALAMIN_DOSE_MICROGRAMS = 1000
CYANOCOBALAMIN_DOSE_MICROGRAMS = 1000
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


@dataclass
class MaintenancePlan:
    """The regimen as the rules shape it: route, interval, duration and who shaped it."""

    route: str | None = None
    interval_months: int | None = None
    lifelong: bool = False
    references: list[str] = field(default_factory=list)
    # The rules that shaped the regimen, in order, each with its evidence check: shown beside the regimen.
    rules: list[dict[str, Any]] = field(default_factory=list)
    recurred_on_monthly: bool = False


# --- reading the inputs ----------------------------------------------------------------------


def _cause(case: Case) -> str:
    return case.values["cause"]


def _label(key: str, case: Case) -> str:
    spec = next(spec for spec in FIELDS if spec.key == key)
    return spec.choice_label(case.values[key])


def _is_dietary(case: Case) -> bool:
    return _cause(case) == "dietary"


def _neuro(case: Case) -> bool:
    return case.values["neurological_symptoms"]


def _recurs(case: Case) -> bool:
    return case.values["symptoms_recur_before_next_dose"]


def _current(case: Case) -> int | None:
    return case.values.get("current_interval_months")


def _long_resection(case: Case) -> bool:
    return _cause(case) == "ileal_resection" and case.values["ileal_resection_cm"] > ILEAL_RESECTION_THRESHOLD_CM


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


def _because(*parts: str) -> str:
    return "; ".join(parts)


def _shape(case: Case, rule: Rule) -> None:
    plan: MaintenancePlan = case.plan
    plan.references.extend(ref for ref in rule.references if ref not in plan.references)
    if all(shaped["id"] != rule.id for shaped in plan.rules):
        plan.rules.append({"id": rule.id, "title": rule.title, "evidence": rule.evidence.to_dict()})


def _inject(case: Case, rule: Rule, months: int) -> None:
    """Move the plan to injections, keeping the most frequent interval any rule has asked for."""
    plan: MaintenancePlan = case.plan
    plan.route = "intramuscular"
    plan.interval_months = months if plan.interval_months is None else min(plan.interval_months, months)
    # Every injection regimen is lifelong: for a dietary cause that is policy, the spec's safer,
    # never-discontinued option (the duration note says where NICE would consider stopping).
    plan.lifelong = True
    _shape(case, rule)


# --- scope --------------------------------------------------------------------------------------


def _fires_not_improved(case: Case) -> str | None:
    if case.values["loading_response"] == "not_improved":
        return "the loading course did not improve the symptoms"
    return None


def _apply_not_improved(case: Case, rule: Rule) -> None:
    case.in_scope = False
    case.scope_note = (
        "This pathway is for patients who responded to the loading course. Lack of response calls for a "
        "review of the diagnosis, of adherence and of other causes of the symptoms, with specialist advice. "
        "Do not stop vitamin B12 treatment while this is reviewed."
    )


# --- regimen ------------------------------------------------------------------------------------


def _in_scope(case: Case) -> bool:
    return case.in_scope


def _fires_oral_dietary(case: Case) -> str | None:
    if _in_scope(case) and _is_dietary(case) and not _neuro(case) and not _recurs(case):
        return _because("cause: dietary", "no neurological symptoms", "no recurrence before the next dose")
    return None


def _apply_oral_dietary(case: Case, rule: Rule) -> None:
    case.plan.route = "oral"
    _shape(case, rule)


def _fires_im_malabsorption(case: Case) -> str | None:
    if not _in_scope(case):
        return None
    if _cause(case) in MALABSORPTION_CAUSES:
        why = " (treated as a cause that cannot be corrected)" if _cause(case) == "unknown" else ""
        return f"cause: {_label('cause', case)}{why}"
    if _cause(case) == "ileal_resection" and not _long_resection(case):
        cm = case.values["ileal_resection_cm"]
        return f"cause: ileal resection of {cm} cm (not more than {ILEAL_RESECTION_THRESHOLD_CM} cm)"
    return None


def _fires_im_ileal(case: Case) -> str | None:
    if _in_scope(case) and _long_resection(case):
        cm = case.values["ileal_resection_cm"]
        return f"cause: ileal resection of {cm} cm (more than {ILEAL_RESECTION_THRESHOLD_CM} cm)"
    return None


def _fires_neuro_dietary(case: Case) -> str | None:
    if _in_scope(case) and _is_dietary(case) and _neuro(case):
        return _because("cause: dietary", "neurological symptoms")
    return None


def _fires_neuro(case: Case) -> str | None:
    if _in_scope(case) and _neuro(case):
        return "neurological symptoms"
    return None


def _oral_recurrence(case: Case) -> bool:
    # A dietary patient without neurological symptoms and with no injection interval is on oral treatment.
    return _is_dietary(case) and not _neuro(case) and _current(case) is None


def _fires_recurrence_oral(case: Case) -> str | None:
    if _in_scope(case) and _recurs(case) and _oral_recurrence(case):
        return _because("cause: dietary, on oral treatment", "symptoms recur before the next dose")
    return None


def _fires_step_up(case: Case) -> str | None:
    if not (_in_scope(case) and _recurs(case)) or _oral_recurrence(case):
        return None
    base = _current(case) or case.plan.interval_months
    origin = "the current interval" if _current(case) else "the interval the rules above give"
    return _because("symptoms recur before the next dose", f"{origin} is every {_months(base)}")


def _apply_step_up(case: Case, rule: Rule) -> None:
    base = _current(case) or case.plan.interval_months
    if base == 1:
        case.plan.recurred_on_monthly = True
    _inject(case, rule, max(1, base - 1))


def _fires_never_lengthen(case: Case) -> str | None:
    current = _current(case)
    if _in_scope(case) and current is not None:
        return f"already on injections every {_months(current)}"
    return None


def _apply_never_lengthen(case: Case, rule: Rule) -> None:
    _inject(case, rule, _current(case))


def _fires_levels_not_used(case: Case) -> str | None:
    if not _in_scope(case):
        return None
    given = [name for key, name in (("serum_b12", "serum B12"), ("homocysteine_umol_l", "homocysteine"))
             if key in case.values]
    if not given:
        return "always: no laboratory values were given"
    return f"always: {' and '.join(given)} given, not used for route or interval"


def _no_change(case: Case, rule: Rule) -> None:
    """The rule constrains what other rules may do; firing it records that in the trace."""


# --- findings -----------------------------------------------------------------------------------


def _fires_serum_b12(case: Case) -> str | None:
    if "serum_b12" in case.values:
        return f"serum B12 {case.values['serum_b12']} {case.values['serum_b12_unit']}"
    return None


def _number(value: float) -> str:
    """A lab value as a clinician writes it: whole numbers, halves rounded up."""
    return str(int(value + 0.5))


def _apply_serum_b12(case: Case, rule: Rule) -> None:
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
    case.findings.append(
        rule.item(text, values={"pmol_per_l": round(pmol, 1), "pg_per_ml": round(pg, 1)})
    )


def _fires_homocysteine(case: Case) -> str | None:
    if "homocysteine_umol_l" in case.values:
        return f"homocysteine {case.values['homocysteine_umol_l']} µmol/L"
    return None


def _apply_homocysteine(case: Case, rule: Rule) -> None:
    value = case.values["homocysteine_umol_l"]
    relation = "above" if value >= HOMOCYSTEINE_TARGET_UMOL_L else "within"
    # Shown as entered: rounding 9.96 to 10 would contradict "within the target of < 10".
    text = f"Homocysteine {value} µmol/L is {relation} the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L."
    case.findings.append(rule.item(text, values={"umol_per_l": value}))


# --- monitoring ---------------------------------------------------------------------------------


def _fires_in_scope(case: Case) -> str | None:
    return "every patient on maintenance treatment" if _in_scope(case) else None


def _apply_blood_tests(case: Case, rule: Rule) -> None:
    text = "Check serum B12 and homocysteine every 3 months until stable, then once a year."
    case.monitoring.append(rule.item(text, interval={"value": 3, "unit": "month"}))


def _apply_symptom_review(case: Case, rule: Rule) -> None:
    text = (
        "Watch for recurrence of depressive or neurological symptoms: "
        "a recurrence may mean the interval must shorten."
    )
    case.monitoring.append(rule.item(text))


# --- cautions -----------------------------------------------------------------------------------


def _fires_lifelong(case: Case) -> str | None:
    return "the regimen is lifelong" if _in_scope(case) and case.plan.lifelong else None


def _apply_lifelong(case: Case, rule: Rule) -> None:
    text = "Never stop vitamin B12 treatment, even when levels normalise: it is lifelong."
    case.cautions.append(rule.item(text, severity="high"))


def _fires_folic_acid(case: Case) -> str | None:
    if case.values["folic_acid_planned"]:
        return "always; folic acid is being considered or prescribed"
    return "always"


def _apply_folic_acid(case: Case, rule: Rule) -> None:
    text = (
        "Do not give folic acid without ensuring adequate vitamin B12: it may mask B12 deficiency "
        "and precipitate neurological complications."
    )
    severity = "high" if case.values["folic_acid_planned"] else "warning"
    case.cautions.append(rule.item(text, severity=severity))


def _fires_individualised(case: Case) -> str | None:
    return "the regimen is intramuscular" if _in_scope(case) and case.plan.route == "intramuscular" else None


def _apply_individualised(case: Case, rule: Rule) -> None:
    text = (
        "Up to 50% of patients may need an individualised regimen with more frequent injections "
        "to remain symptom-free."
    )
    case.cautions.append(rule.item(text, severity="info"))


def _fires_specialist(case: Case) -> str | None:
    if not case.in_scope:
        return "the loading course did not improve the symptoms"
    if case.plan.recurred_on_monthly:
        return "symptoms recur despite monthly injections"
    return None


def _apply_specialist(case: Case, rule: Rule) -> None:
    if case.in_scope:
        text = "Symptoms recur despite monthly injections: seek specialist (haematology) advice."
    else:
        text = "No response to the loading course: seek specialist advice and review the diagnosis."
    case.cautions.append(rule.item(text, severity="warning"))


def _fires_homocysteine_high(case: Case) -> str | None:
    value = case.values.get("homocysteine_umol_l")
    if value is not None and value >= HOMOCYSTEINE_TARGET_UMOL_L:
        return f"homocysteine {value} µmol/L is at or above {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L"
    return None


def _apply_homocysteine_high(case: Case, rule: Rule) -> None:
    text = (
        f"Homocysteine is at or above the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L: "
        "review adherence and the clinical response. The value does not change the interval."
    )
    case.cautions.append(rule.item(text, severity="warning"))


RULES: tuple[Rule, ...] = (
    Rule(
        id="scope-not-improved",
        title="No response to the loading course",
        kind="scope",
        when="The loading course did not improve the symptoms",
        then="Outside this pathway: no maintenance regimen; review the diagnosis, adherence and other causes, "
        "with specialist advice, and do not stop B12 meanwhile",
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "The source covers only patients who responded. NICE advises increasing the injection frequency "
            "within the licence when symptoms are not improved enough (known from summaries).",
            ("nice-ng239",),
        ),
        fires=_fires_not_improved,
        apply=_apply_not_improved,
    ),
    Rule(
        id="oral-dietary",
        title="Oral treatment for a dietary cause",
        kind="regimen",
        when="Cause dietary, no neurological symptoms, no recurrence before the next dose",
        then="Cyanocobalamin 1000 micrograms by mouth daily (range 1000-2000 micrograms); not lifelong: "
        "continue while intake stays inadequate, monitor the response and adjust",
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
        fires=_fires_oral_dietary,
        apply=_apply_oral_dietary,
    ),
    Rule(
        id="im-malabsorption",
        title="Injections every 2-3 months for malabsorption or an unknown cause",
        kind="regimen",
        when="Cause autoimmune gastritis (pernicious anaemia), gastric surgery, other malabsorption or unknown, "
        f"or ileal resection of not more than {ILEAL_RESECTION_THRESHOLD_CM} cm",
        then="Hydroxocobalamin 1 mg intramuscularly every 3 months (range 2-3 months), lifelong; an unknown "
        "cause is treated as one that cannot be corrected",
        basis="source",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "agrees",
            "BNF: 1 mg every 2-3 months without neurological involvement (known from formularies quoting it); "
            "NICE: lifelong when the cause is irreversible. Differs for bariatric surgery, after which AFP 2017 "
            "advises 1 mg by mouth daily indefinitely.",
            ("bnf-hydroxocobalamin", "nice-ng239", "afp-2017"),
        ),
        fires=_fires_im_malabsorption,
        apply=lambda case, rule: _inject(case, rule, 3),
    ),
    Rule(
        id="im-ileal-resection",
        title="Monthly injections after ileal resection of more than 20 cm",
        kind="regimen",
        when=f"Cause ileal resection of more than {ILEAL_RESECTION_THRESHOLD_CM} cm of distal ileum",
        then="Hydroxocobalamin 1 mg intramuscularly every month, lifelong",
        basis="source",
        references=("src5", "src4"),
        evidence=Evidence(
            "unsourced",
            f"Partly unsourced: Battat 2014 supports treatment after resections of more than "
            f"{ILEAL_RESECTION_THRESHOLD_CM} cm in Crohn's disease; no primary source was found for the "
            "monthly interval.",
            ("battat-2014",),
        ),
        fires=_fires_im_ileal,
        apply=lambda case, rule: _inject(case, rule, 1),
    ),
    Rule(
        id="neuro-dietary-im",
        title="Injections for a dietary cause with neurological symptoms",
        kind="regimen",
        when="Cause dietary with neurological symptoms",
        then="Intramuscular hydroxocobalamin instead of oral treatment, treated as long term",
        basis="policy",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "In direction: AFP 2017 says intramuscular treatment gives faster improvement and should be "
            "considered for severe neurological symptoms. The switch for a dietary cause is the engine's policy.",
            ("afp-2017",),
        ),
        fires=_fires_neuro_dietary,
        apply=lambda case, rule: _inject(case, rule, 3),
    ),
    Rule(
        id="neuro-every-2-months",
        title="At most every 2 months with neurological symptoms",
        kind="regimen",
        when="Neurological symptoms",
        then="Intramuscular, with an interval of at most 2 months",
        basis="source",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "BNF: with neurological involvement, 1 mg every 2 months after alternate-day loading "
            "(known from formularies quoting it).",
            ("bnf-hydroxocobalamin",),
        ),
        fires=_fires_neuro,
        apply=lambda case, rule: _inject(case, rule, 2),
    ),
    Rule(
        id="recurrence-oral-to-im",
        title="Recurrence on oral treatment: switch to injections",
        kind="regimen",
        when="Cause dietary, on oral treatment (no current injection interval), no neurological symptoms, "
        "and symptoms recur before the next dose",
        then="Switch to hydroxocobalamin 1 mg intramuscularly every 3 months; the switch is the step up",
        basis="policy",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "In direction: NICE says the dose, frequency and route may need adjusting when symptoms are not "
            "improved enough (known from summaries). The switch itself is the engine's policy.",
            ("nice-ng239",),
        ),
        fires=_fires_recurrence_oral,
        apply=lambda case, rule: _inject(case, rule, 3),
    ),
    Rule(
        id="recurrence-step-up",
        title="Recurrence before the next dose: one step more frequent",
        kind="regimen",
        when="Symptoms recur before the next dose (other than the oral dietary case above)",
        then="One step more frequent than the current interval, or than the interval the rules above give when "
        "none is given: 3 to 2 to 1 month; already monthly stays monthly and adds the specialist-advice caution",
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "In direction: NICE says increase the injection frequency within the product's licence when "
            "symptoms are new, worse or not improved enough. The step sizes are the engine's policy.",
            ("nice-ng239",),
        ),
        fires=_fires_step_up,
        apply=_apply_step_up,
    ),
    Rule(
        id="never-lengthen",
        title="Never lengthen the current interval",
        kind="regimen",
        when="A current injection interval is given",
        then="Never recommend a longer interval than the current one, nor a switch from injections to oral "
        "treatment",
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "NICE's evidence review found no studies comparing follow-up frequencies; lengthening an interval or "
            "changing route is left to the clinician.",
            ("nice-ng239",),
        ),
        fires=_fires_never_lengthen,
        apply=_apply_never_lengthen,
    ),
    Rule(
        id="no-level-driven-frequency",
        title="Laboratory values do not set the route or interval",
        kind="regimen",
        when="Always",
        then="Serum B12 and homocysteine values never change the route or the interval; clinical response does",
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "BSH 2014: the clinical picture matters most and there is no definitive cut-off; NICE follow-up is "
            "based on symptoms.",
            ("bsh-2014", "nice-ng239"),
        ),
        fires=_fires_levels_not_used,
        apply=_no_change,
    ),
    Rule(
        id="serum-b12",
        title="Serum B12 in both units",
        kind="finding",
        when="A serum B12 value is given",
        then="The value in pmol/L and pg/mL (1 pmol/L = 1.355 pg/mL; ng/L = pg/mL), with the note that serum B12 "
        f"alone does not set the frequency; a level of at least {B12_NOT_LOW_PG_PER_ML} pg/mL after a loading "
        "course that helped is consistent with successful initial treatment",
        basis="source",
        references=("src1", "src6"),
        evidence=Evidence(
            "agrees",
            "BSH 2014: no gold-standard test and no definitive cut-off. The engine's threshold for 'not low' "
            f"({B12_NOT_LOW_PG_PER_ML} pg/mL, the top of NICE's indeterminate band as reported in summaries) is "
            "policy; local laboratory ranges differ.",
            ("bsh-2014", "nice-ng239"),
        ),
        fires=_fires_serum_b12,
        apply=_apply_serum_b12,
    ),
    Rule(
        id="homocysteine",
        title="Homocysteine against the source's target",
        kind="finding",
        when="A homocysteine value is given",
        then=f"The value against the source's target of < {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L",
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "unsourced",
            "No guideline source was found for the target. AFP 2017: lowering homocysteine with B12 does not "
            "reduce heart attack, stroke or cognitive decline.",
            ("afp-2017",),
        ),
        fires=_fires_homocysteine,
        apply=_apply_homocysteine,
    ),
    Rule(
        id="b12-homocysteine-tests",
        title="Blood tests every 3 months, then yearly",
        kind="monitoring",
        when="In scope (every patient on maintenance treatment)",
        then="Serum B12 and homocysteine every 3 months until stable, then once a year",
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "differs",
            "NICE: review symptoms after 3 months; its evidence review found no studies on follow-up frequency. "
            "Local NHS guidance calls routine B12 re-testing during injections uninformative.",
            ("nice-ng239",),
        ),
        fires=_fires_in_scope,
        apply=_apply_blood_tests,
    ),
    Rule(
        id="symptom-review",
        title="Watch for recurring symptoms",
        kind="monitoring",
        when="In scope (every patient on maintenance treatment)",
        then="Watch for recurrence of depressive or neurological symptoms; a recurrence may mean the interval "
        "must shorten",
        basis="source",
        references=("src2",),
        evidence=Evidence(
            "agrees",
            "NICE's follow-up is based on symptoms, with a review after 3 months of treatment (known from "
            "summaries).",
            ("nice-ng239",),
        ),
        fires=_fires_in_scope,
        apply=_apply_symptom_review,
    ),
    Rule(
        id="lifelong-therapy",
        title="Never stop lifelong treatment",
        kind="caution",
        when="The regimen is lifelong",
        then="High: never stop B12, even when levels normalise",
        basis="source",
        references=("src3", "src6"),
        evidence=Evidence(
            "agrees",
            "NICE agrees for irreversible causes: treatment is for life and will not be stopped. For a reversible "
            "cause (diet, medicines) that has resolved, NICE says consider stopping or reducing, so the source's "
            "'never discontinue' differs there.",
            ("nice-ng239",),
        ),
        fires=_fires_lifelong,
        apply=_apply_lifelong,
    ),
    Rule(
        id="folic-acid",
        title="No folic acid without adequate B12",
        kind="caution",
        when="Always (high when folic acid is being considered or prescribed, otherwise a warning)",
        then="Do not give folic acid without ensuring adequate B12: it may mask deficiency and precipitate "
        "neurological complications",
        basis="source",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "Folic acid SmPC: used indiscriminately in B12 deficiency, folic acid can correct the blood count "
            "while irreversible neurological damage develops.",
            ("folic-acid-smpc",),
        ),
        fires=_fires_folic_acid,
        apply=_apply_folic_acid,
    ),
    Rule(
        id="individualised-regimen",
        title="Some patients need more frequent injections",
        kind="caution",
        when="The regimen is intramuscular",
        then="Information: up to 50% may need more frequent, individualised injections to remain symptom-free",
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "unsourced",
            "No primary source was found; the figure is attributed to the BNF elsewhere but is not in its wording.",
        ),
        fires=_fires_individualised,
        apply=_apply_individualised,
    ),
    Rule(
        id="specialist-advice",
        title="Specialist advice",
        kind="caution",
        when="Symptoms recur despite monthly injections, or the loading course did not improve the symptoms",
        then="Warning: seek specialist advice",
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "The source does not say what to do beyond monthly injections. NICE: increase the frequency within "
            "the product's licence if needed (known from summaries); beyond that is a specialist decision.",
            ("nice-ng239",),
        ),
        fires=_fires_specialist,
        apply=_apply_specialist,
    ),
    Rule(
        id="homocysteine-above-target",
        title="Homocysteine at or above the target",
        kind="caution",
        when=f"Homocysteine at or above {HOMOCYSTEINE_TARGET_UMOL_L} µmol/L",
        then="Warning: review adherence and the clinical response; the interval does not change",
        basis="policy",
        references=("src3",),
        evidence=Evidence(
            "unsourced",
            "No guideline source for the target; the wording of this caution is the engine's policy.",
            ("afp-2017",),
        ),
        fires=_fires_homocysteine_high,
        apply=_apply_homocysteine_high,
    ),
)


# --- result assembly ----------------------------------------------------------------------------


def build_regimen(case: Case) -> dict[str, Any] | None:
    """The regimen the rules settled on, or None when the case is out of scope."""
    if not case.in_scope:
        return None
    plan: MaintenancePlan = case.plan
    if plan.route == "oral":
        return {
            "drug": "cyanocobalamin",
            "route": "oral",
            "dose_micrograms": CYANOCOBALAMIN_DOSE_MICROGRAMS,
            "dose_range_micrograms": [1000, 2000],
            "interval": {"value": 1, "unit": "day"},
            "lifelong": False,
            "duration_note": "Continue while dietary intake stays inadequate; monitor the response and adjust.",
            "summary": "Cyanocobalamin 1000 micrograms by mouth daily while dietary intake stays inadequate",
            "references": list(plan.references),
            "rules": list(plan.rules),
        }
    months = plan.interval_months
    if _is_dietary(case):
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
        "lifelong": plan.lifelong,
        "duration_note": duration,
        "summary": f"Hydroxocobalamin 1 mg intramuscularly every {_months(months)} for life",
        "references": list(plan.references),
        "rules": list(plan.rules),
    }
    if months == 3:
        # The source's range for the standard interval; shorter intervals come without one.
        regimen["interval_range"] = {"min": 2, "max": 3, "unit": "month"}
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
    version="1.0.0",
    source_date="2025-10-28",
    scope="Adults with previously diagnosed vitamin B12 deficiency who have completed an initial (loading) "
    "course of treatment and responded to it. Not for diagnosis, loading regimens, children or pregnancy.",
    fields=FIELDS,
    rules=RULES,
    new_plan=MaintenancePlan,
    regimen=build_regimen,
    schedule=build_schedule,
    statements=STATEMENTS,
)
