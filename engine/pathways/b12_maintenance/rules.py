"""The rulebook of the maintenance pathway: the questions it asks, its rules in the order they are applied, and
the source's statements shown beside the answer.

Each rule is a record: its condition and outcome are data (engine.conditions, engine.outcomes). What an
outcome does to the plan, and how the result is assembled, is in mechanics.py; the regimens' doses, intervals
and sentences are in regimens.py.

Primary guidance decides the answer: NICE NG239 and the UK product information (SmPC), then NICE's clinical
knowledge summary, then this site's policy (basis ``policy``, said so). Where the source document goes further
(monthly injections after ileal resection, routine 3-monthly blood tests, a homocysteine target, "up to 50%"),
its statement is shown beside the answer with its evidence status and never changes the regimen, the schedule
or a caution's severity. Escalation stops at the licence: beyond it is a specialist's decision.
"""

from __future__ import annotations

from typing import Any

from engine.case import Case
from engine.checks import NotAfter
from engine.conditions import (
    Above,
    All,
    Always,
    AnyOf,
    AtLeast,
    Given,
    Is,
    MonthsBetween,
    Named,
    Not,
    OneOf,
)
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Finding, Monitor, OutOfScope, Pick
from engine.pathway import Pathway
from engine.pathways.b12_maintenance.mechanics import (
    ALTERNATE_DAYS,
    AT_LICENCE_LIMIT,
    EVERY,
    INTRAMUSCULAR,
    LIFELONG,
    OFF_LICENCE,
    ORAL,
    OUT_OF_SCOPE,
    RECURRED_ON_MONTHLY,
    AlternateDays,
    Duration,
    Injections,
    KeepCurrent,
    Oral,
    StepUp,
    build_regimen,
    build_schedule,
    new_plan,
)
from engine.pathways.b12_maintenance.regimens import (
    INTERVALS,
    LICENSED_RANGE,
    LICENSED_SHORTEST_MONTHS,
    STANDARD_MONTHS,
)
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
from engine.pathways.b12_units import B12_UNITS, b12_to_pg_per_ml, b12_to_pmol_per_l
from engine.rules import Evidence, Rule, SourceStatement

# Causes whose deficiency cannot be corrected, or may not be (an unknown cause, other malabsorption), so
# treatment is for life (NICE: lifelong when the cause is or is suspected to be irreversible), and causes that
# can resolve, so treatment is reviewed.
IRREVERSIBLE_CAUSES = ("pernicious_anaemia", "gastric_surgery", "bariatric_surgery", "ileal_resection",
                       "other_malabsorption", "unknown")
REVERSIBLE_CAUSES = ("dietary", "medicines", "coeliac_disease")
# Injections every 2 to 3 months after the loading injections (the licence's maintenance for malabsorption).
INJECTION_CAUSES = ("pernicious_anaemia", "gastric_surgery", "bariatric_surgery", "ileal_resection",
                    "other_malabsorption", "coeliac_disease", "unknown")
ILEAL_RESECTION_THRESHOLD_CM = 20
# Laboratory reference ranges for total homocysteine reach about 15 µmol/L; above 30 is more than a moderate
# rise, and values of 200 or more are seen almost only in inherited homocystinuria (or a typing error).
HOMOCYSTEINE_REFERENCE_TOP_UMOL_L = 15
HOMOCYSTEINE_MARKED_UMOL_L = 30
HOMOCYSTEINE_IMPLAUSIBLE_UMOL_L = 200
# NICE NG239's band of indeterminate total B12 ends at 350 ng/L (as reported in summaries): below it, a level
# during treatment calls for a look at adherence and timing. Laboratories' ranges differ, hence the wording.
B12_NOT_LOW_PG_PER_ML = 350
# Laboratories usually measure total B12 from about 50 to about 2,000 ng/L (their assays' reporting range):
# a value outside it is flagged, in the same words the finding uses.
B12_REPORTED_RANGE_PG_PER_ML = (50, 2000)

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
        help="The cause of the deficiency as diagnosed. An unknown cause is treated as possibly irreversible "
        "(treatment continues for life) while the cause is looked for.",
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
        help="What the patient takes now: treatment never becomes less frequent, and the route changes only for "
        "a reason the answer names.",
    ),
    Field(
        key="current_interval_months",
        label="Current injection interval",
        type="integer",
        unit="months",
        min=1,
        max=3,
        help="How often the injections are given now: overdue is judged against this interval.",
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
        key="recurrence_neurological",
        label="The returning symptoms include neurological ones",
        type="bool",
        says=("the returning symptoms include neurological ones", "the returning symptoms are not neurological"),
        help="For example paraesthesia, numbness, unsteadiness, or memory or cognitive change coming back.",
        required_when=RequiredWhen("symptoms_recur_before_next_dose", (True,), "when symptoms return"),
    ),
    Field(
        key="last_injection_date",
        label="Date of the last injection",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        help="Anchors the dated schedule and shows whether the next injection is due or overdue. It cannot be "
        "after the assessment date. Leave empty for no schedule.",
    ),
    Field(
        key="assessment_date",
        label="Assessment date",
        type="date",
        min="1900-01-01",
        max="2199-12-31",
        prefill="today",
        help="Today, unless you are recording an earlier assessment: an injection due before it is overdue, and "
        "nothing is scheduled before it.",
        required_when=RequiredWhen("last_injection_date", (), "when the date of the last injection is given",
                                   given=True),
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
        help="Total homocysteine, if it was measured (it is not needed routinely during maintenance).",
    ),
    FOLIC_ACID_PLANNED,
)



# --- conditions the rules share -------------------------------------------------------------------

DIETARY = Is("cause", "dietary")
RECURS = Is("symptoms_recur_before_next_dose", True)
NO_RECURRENCE = Is("symptoms_recur_before_next_dose", False)
NOT_IMPROVED = Is("loading_response", "not_improved")
LONG_RESECTION = All(Is("cause", "ileal_resection"), Above("ileal_resection_cm", ILEAL_RESECTION_THRESHOLD_CM))
ON_TABLETS_NOW = Is("current_regimen", "oral_daily")
ON_INJECTIONS_NOW = Is("current_regimen", "injections")
JUST_LOADED = Is("current_regimen", "none")
STABLE_ON_ORAL = Named(
    "stable-on-oral-treatment",
    "stable on oral treatment (no recurrence, no neurological symptoms)",
    All(ON_TABLETS_NOW, NO_NEURO, NO_RECURRENCE),
)
NEURO_RELAPSE = Named(
    "neurological-relapse",
    "neurological symptoms return",
    All(RECURS, Is("recurrence_neurological", True)),
)
OTHER_RECURRENCE = All(RECURS, Is("recurrence_neurological", False))
# Neurological involvement at any time: before (the neurological question) or in the symptoms that return now.
NEURO_INVOLVED = Named("neurological-involvement", "neurological involvement, before or now",
                       AnyOf(NEURO, NEURO_RELAPSE))
NO_NEURO_INVOLVED = All(NO_NEURO, AnyOf(NO_RECURRENCE, Is("recurrence_neurological", False)))

def _given_every(months: int) -> All | AnyOf:
    """On injections every ``months`` now, or just after loading with a regimen of injections every ``months``:
    overdue is judged against the regimen actually given."""
    return AnyOf(All(ON_INJECTIONS_NOW, Is("current_interval_months", months)), All(JUST_LOADED, EVERY[months]))


def _past_due(extra_months: int) -> AnyOf:
    return AnyOf(*(All(_given_every(months), MonthsBetween("last_injection_date", "assessment_date",
                                                             months + extra_months))
                   for months in INTERVALS))


OVERDUE = Named("injection-overdue", "the next injection of the regimen given fell due before the assessment date",
                _past_due(0))
LAPSED = Named("injections-lapsed", "the next injection fell due more than a month before the assessment date",
               _past_due(1))
TO_INJECTIONS = All(ON_TABLETS_NOW, INTRAMUSCULAR)
HOMOCYSTEINE_IMPLAUSIBLE = AtLeast("homocysteine_umol_l", HOMOCYSTEINE_IMPLAUSIBLE_UMOL_L)
TO_TABLETS = All(JUST_LOADED, ORAL)


# --- findings ---------------------------------------------------------------------------------------


def _shown(value: float) -> str:
    """A lab value as a clinician writes it: whole numbers (halves rounded up), one decimal below 10."""
    if value < 0.05:
        return f"{value:.2g}"  # never "0" for a value that was accepted as more than 0
    if value < 10:
        return f"{int(value * 10 + 0.5) / 10:g}"
    return f"{int(value + 0.5):,}"


def _serum_b12(case: Case) -> tuple[str, dict[str, Any]]:
    value, unit = case.values["serum_b12"], case.values["serum_b12_unit"]
    pmol = b12_to_pmol_per_l(value, unit)
    pg = b12_to_pg_per_ml(value, unit)
    shown_pg = _shown(pg)
    # Compared as shown, so that "350 ng/L" is never called "below 350 ng/L".
    as_shown = float(shown_pg.replace(",", ""))
    low, high = B12_REPORTED_RANGE_PG_PER_ML
    text = (
        f"Serum B12 {shown_pg} ng/L = {_shown(pmol)} pmol/L (ng/L is the same as pg/mL). During B12 treatment a "
        "normal or high level is expected and does not show that treatment is working: the clinical response "
        "does, and serum B12 alone does not set the frequency."
    )
    if as_shown < low or as_shown > high:
        side = "below" if as_shown < low else "above"
        text += (f" The value is {side} what laboratories usually report (about {low} to {high:,} ng/L): check the "
                 "number and its unit.")
    elif as_shown < B12_NOT_LOW_PG_PER_ML:
        text += (
            f" The level is below {B12_NOT_LOW_PG_PER_ML} ng/L during treatment: check adherence (for tablets, how "
            "they are taken) and when the sample was taken; it does not change the interval by itself."
        )
        if case.plan["route"] == "oral":
            text += (" On tablets, a level that stays low also calls for a look at absorption (for example intrinsic "
                     "factor antibodies) and for injections if it is impaired.")
    return text, {"pmol_per_l": round(pmol, 1), "pg_per_ml": round(pg, 1)}


def _homocysteine(case: Case) -> tuple[str, dict[str, Any]]:
    value = case.values["homocysteine_umol_l"]
    text = (f"Homocysteine {value:g} µmol/L (laboratory reference ranges usually reach about "
            f"{HOMOCYSTEINE_REFERENCE_TOP_UMOL_L} µmol/L). It does not change the route or the interval.")
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
            Pick(
                "Deficiency caused by nitrous oxide is outside this pathway. Continue vitamin B12 replacement "
                "(injections or tablets, by the patient's preference), help the patient stop using nitrous oxide, "
                "and seek specialist advice (neurology or haematology).",
                (NEURO_INVOLVED, "Deficiency caused by nitrous oxide is outside this pathway. With neurological "
                                 "symptoms, continue vitamin B12 by injection (not tablets, and never less often "
                                 "than now), help the patient stop using nitrous oxide, and seek urgent specialist "
                                 "advice (neurology or haematology)."),
            )
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE names recreational nitrous oxide as a cause of deficiency; its 2023 consultation draft offered "
            "intramuscular or oral B12 replacement by the person's preference (the final wording could not be "
            "verified here); the 1 mg tablets' licence asks for injections when neuropathy is suspected. Stopping "
            "nitrous oxide and seeking specialist advice are this site's policy.",
            ("nice-ng239", "nice-ng239-draft", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="scope-not-improved",
        title="No response to the loading course",
        kind="scope",
        condition=NOT_IMPROVED,
        outcome=OutOfScope(
            "This pathway is for patients who responded to the loading course. Without a response, seek "
            "specialist (haematology) advice and review the diagnosis. Meanwhile continue B12 treatment by "
            "injection (on alternate days if there are neurological symptoms), check adherence, folate, iron and "
            "thyroid function, and consider coeliac disease and other causes of the symptoms."
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
        condition=All(DIETARY, NO_NEURO, NO_RECURRENCE),
        outcome=Oral("dietary"),
        basis="source",
        references=("src5", "src7"),
        evidence=Evidence(
            "differs",
            "Differs in the dose range only. Cyanocobalamin 1 mg tablets are licensed for nutritional deficiency "
            "at 1 mg a day; NICE's clinical knowledge summary gives 50-150 micrograms a day for a dietary cause, so "
            "1 mg is the higher, licensed dose. AFP 2017 and Cochrane 2018: oral 1-2 mg daily is as effective as "
            "intramuscular treatment. The source's upper dose of 2 mg a day is beyond the tablets' licensed daily "
            "dose: it is shown as the source's range, and the regimen gives 1 mg.",
            ("smpc-orobalin", "nice-cks-b12", "afp-2017", "cochrane-2018"),
        ),
    ),
    Rule(
        id="oral-medicines",
        title="Oral treatment for a medicine-induced deficiency",
        kind="regimen",
        condition=All(Is("cause", "medicines"), NO_NEURO, NO_RECURRENCE),
        outcome=Oral("medicines"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "In direction: NICE allows oral replacement of at least 1 mg a day where absorption is impaired (BMJ "
            "summary of NG239), and after oral treatment continues it while the cause has not been addressed (SPS "
            "summary); the 1 mg tablets are licensed for malabsorption. NG239's own wording for medicine-induced "
            "deficiency could not be verified here: choosing tablets while the medicine continues is this site's "
            "reading of it, and injections stay an option.",
            ("nice-ng239-bmj", "nice-ng239-sps", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="oral-continued",
        title="Stable on oral treatment: continue it",
        kind="regimen",
        condition=All(STABLE_ON_ORAL, OneOf("cause", INJECTION_CAUSES)),
        outcome=Oral("continued"),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE (SPS summary): after oral treatment, if symptoms have improved and the cause has not been "
            "addressed or is unknown, continued oral replacement is recommended; oral replacement for malabsorption "
            "at least 1 mg a day (BMJ summary); the 1 mg tablets are licensed for malabsorption. A patient stable on "
            "an effective route stays on it.",
            ("nice-ng239-sps", "nice-ng239-bmj", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="im-malabsorption",
        title="Injections every 2-3 months for malabsorption or an unknown cause",
        kind="regimen",
        condition=All(OneOf("cause", INJECTION_CAUSES), Not(STABLE_ON_ORAL)),
        outcome=Injections(STANDARD_MONTHS),
        note="an unknown cause is treated as possibly irreversible; after ileal resection of any length",
        basis="source",
        references=("src3", "src4", "src8"),
        evidence=Evidence(
            "agrees",
            "The UK product information: maintenance 1 mg every 2 or 3 months, also after gastrectomy, ileal "
            "resection and in malabsorption; after bariatric surgery, BOMSS advises injections every 3 months. NICE "
            "allows oral treatment of at least 1 mg a day as well: see the oral-alternative caution.",
            ("smpc-cobalin-h", "smpc-neo-cytamen", "bomss-2020", "nice-ng239-bmj"),
        ),
    ),
    Rule(
        id="neuro-dietary-im",
        title="Injections for a dietary cause with neurological symptoms",
        kind="regimen",
        condition=All(DIETARY, NEURO_INVOLVED),
        outcome=Injections(STANDARD_MONTHS),
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
        condition=NEURO_INVOLVED,
        outcome=Injections(LICENSED_SHORTEST_MONTHS),
        basis="source",
        references=("src3", "src4"),
        evidence=Evidence(
            "agrees",
            "The UK product information: with neurological involvement, 1 mg on alternate days as long as "
            "improvement continues, then every 2 months; the 1 mg tablets' licence asks for injections when "
            "neuropathy is suspected.",
            ("smpc-cobalin-h", "smpc-neo-cytamen", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="neuro-relapse",
        title="Neurological symptoms return: alternate days again",
        kind="regimen",
        condition=NEURO_RELAPSE,
        outcome=AlternateDays(),
        note="whatever the current regimen, with urgent specialist advice",
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "The UK product information: with neurological involvement, 1 mg on alternate days as long as "
            "improvement continues, then every 2 months; NICE's clinical knowledge summary (2020): seek urgent "
            "specialist advice from a haematologist. Applying the alternate-day course to a recurrence is this "
            "site's reading of both.",
            ("smpc-cobalin-h", "smpc-neo-cytamen", "nice-cks-b12"),
        ),
    ),
    Rule(
        id="recurrence-oral-to-im",
        title="Recurrence on oral treatment: switch to injections",
        kind="regimen",
        condition=All(OTHER_RECURRENCE, ON_TABLETS_NOW),
        outcome=Injections(STANDARD_MONTHS),
        note="the switch is the step up",
        basis="policy",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "In direction: NICE advises increasing the dose or switching to injections when symptoms on oral "
            "treatment are new, worse or not improved enough (SPS summary). The switch to injections every 3 "
            "months is the engine's policy.",
            ("nice-ng239-sps",),
        ),
    ),
    Rule(
        id="recurrence-step-up",
        title="Recurrence before the next dose: more frequent, within the licence",
        kind="regimen",
        condition=All(OTHER_RECURRENCE, Not(ON_TABLETS_NOW)),
        outcome=StepUp("current_interval_months"),
        basis="source",
        references=("src6",),
        evidence=Evidence(
            "agrees",
            "NICE: when symptoms are new, worse or not improved enough, increase the frequency of injections in line "
            "with the product information (SPS summary), which gives every 2 to 3 months. So the step stops at 2 "
            "months; beyond it is a specialist's decision (the specialist-advice caution).",
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
        title="For life when the cause is or may be irreversible",
        kind="regimen",
        condition=OneOf("cause", IRREVERSIBLE_CAUSES),
        outcome=Duration(True),
        note="an unknown cause, or other malabsorption, is treated as possibly irreversible",
        basis="source",
        references=("src3", "src8"),
        evidence=Evidence(
            "agrees",
            "NICE: some causes are irreversible, so treatment is needed for life and will not be stopped; "
            "treatment is lifelong when the cause is or is suspected to be irreversible.",
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
            "The value in ng/L and pmol/L (1 pmol/L = 1.355 ng/L; ng/L = pg/mL), with the note that during "
            "treatment a normal or high level is expected and does not show a response; a note to check adherence "
            f"and timing below {B12_NOT_LOW_PG_PER_ML} ng/L, and to check the value and its unit outside what "
            f"laboratories usually report ({B12_REPORTED_RANGE_PG_PER_ML[0]} to {B12_REPORTED_RANGE_PG_PER_ML[1]:,} "
            "ng/L); the comparisons use the value as shown",
            _serum_b12,
        ),
        basis="source",
        references=("src1", "src6"),
        evidence=Evidence(
            "differs",
            "The source reads a level after loading as showing that treatment has worked; during treatment a "
            "normal or high level is expected and does not show that symptoms respond (BSH 2014: the clinical "
            "picture matters most; NICE follows up symptoms), so the engine never says so. The "
            f"{B12_NOT_LOW_PG_PER_ML} ng/L line is the top of NICE's indeterminate band as reported in summaries; "
            "the reporting range is this site's policy, from the usual range of laboratory assays.",
            ("bsh-2014", "nice-ng239"),
        ),
    ),
    Rule(
        id="homocysteine",
        title="Homocysteine as reported",
        kind="finding",
        condition=Given("homocysteine_umol_l"),
        outcome=Finding("The value with the usual top of laboratory reference ranges; no target", _homocysteine),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "No guideline gives a homocysteine target during maintenance (the source's < 10 µmol/L is unsourced: "
            "see the source's statements). AFP 2017: lowering homocysteine with B12 does not reduce heart attack, "
            "stroke or cognitive decline.",
            ("afp-2017",),
        ),
    ),
)

MONITORING_RULES: tuple[Rule, ...] = (
    REVIEW_AT_3_MONTHS,
    Rule(
        id="symptom-review",
        title="Watch for recurring symptoms",
        kind="monitoring",
        condition=Always(),
        outcome=Monitor(
            Pick(
                "Watch for symptoms returning (depressive, neurological or any that were present before): on "
                "injections, a recurrence may mean they must be given more often, within the licence.",
                (ORAL, "Watch for symptoms returning (depressive, neurological or any that were present before): on "
                       "tablets, a recurrence calls for a review of adherence and a switch to injections."),
            )
        ),
        basis="source",
        references=("src2",),
        evidence=Evidence(
            "agrees",
            "NICE's follow-up is based on symptoms, with a review after 3 months of treatment (known from "
            "summaries); no routine blood tests are booked (a local NHS guideline: no need to recheck B12 during "
            "injections).",
            ("nice-ng239-nasgp", "meht-chuft-b12"),
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
            Pick(
                "The next injection of the regimen given was due before the assessment date (overdue by days or "
                "weeks): give it now, plan the next ones from it, and ask about symptoms since the missed dose.",
                (LAPSED, "The next injection of the regimen given was due more than a month before the assessment "
                         "date: treatment has lapsed for months or more. Give an injection now and reassess the "
                         "symptoms; if they have returned, or with neurological involvement, consider a new loading "
                         "course (alternate days with neurological involvement) and seek advice."),
            ),
            Pick("warning", (LAPSED, "high")),
        ),
        note="judged against the interval the patient is on now (or, just after loading, the new regimen's)",
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No guideline source says what to do when a maintenance injection is overdue (the NHS patient page: "
            "ask the doctor or nurse when to have the next dose). Giving it now, and considering a new loading "
            "course after months without treatment, is this site's policy.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="neurological-involvement",
        title="Neurological involvement",
        kind="caution",
        condition=All(IN_SCOPE, NEURO_INVOLVED),
        outcome=Caution(
            "Neurological involvement: injections, never tablets alone, at least every 2 months; confirm that "
            "specialist (haematology) advice was sought and that loading was given on alternate days until there "
            "was no further improvement.",
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
            Pick(
                "Do not stop vitamin B12 treatment, even when levels normalise: the cause cannot be corrected, so "
                "treatment is for life.",
                (Is("cause", "unknown"), "Do not stop vitamin B12 treatment, even when levels normalise: while the "
                                         "cause is unknown it is treated as possibly irreversible, so treatment is "
                                         "for life unless a cause that can be corrected is found."),
            ),
            "high",
        ),
        basis="source",
        references=("src3", "src6"),
        evidence=Evidence(
            "agrees",
            "NICE agrees for irreversible causes: treatment is for life and will not be stopped, and is lifelong "
            "when the cause is or is suspected to be irreversible. For a reversible cause (diet, medicines) that "
            "has resolved, NICE says consider stopping or reducing, so this caution is given only otherwise.",
            ("nice-ng239", "nice-ng239-sps"),
        ),
    ),
    Rule(
        id="find-the-cause",
        title="Look for the cause",
        kind="caution",
        condition=All(IN_SCOPE, Is("cause", "unknown")),
        outcome=Caution(
            "The cause is not known: look for it while treatment continues. Test for intrinsic factor antibodies "
            "(autoimmune gastritis), review medicines and diet, and, if no other cause is found, consider testing "
            "for coeliac disease.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE (as summarised): test for autoimmune gastritis with intrinsic factor antibodies, and consider "
            "coeliac disease if there is no other obvious cause; treatment is lifelong when the cause is suspected "
            "to be irreversible.",
            ("nice-ng239-nasgp", "nice-ng239-sps"),
        ),
    ),
    Rule(
        id="gastric-cancer-awareness",
        title="Autoimmune gastritis: gastric cancer awareness",
        kind="caution",
        condition=All(IN_SCOPE, Is("cause", "pernicious_anaemia")),
        outcome=Caution(
            "Autoimmune gastritis carries a higher risk of gastric cancer: NICE NG239 covers this. Tell the "
            "patient, and be alert to symptoms that need referral on the suspected-cancer pathway (for example "
            "dyspepsia, difficulty swallowing, weight loss).",
            "info",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE NG239 covers monitoring for gastric cancer in people with autoimmune gastritis (SPS summary); "
            "its exact recommendations on surveillance could not be verified here, so the caution asks for "
            "awareness only.",
            ("nice-ng239-sps", "nice-ng239"),
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
        id="route-change",
        title="A change of route, and why",
        kind="caution",
        condition=All(IN_SCOPE, AnyOf(TO_INJECTIONS, TO_TABLETS)),
        outcome=Caution(
            Pick(
                "From the loading injections to tablets: the deficiency is medicine-induced and there are no "
                "neurological symptoms, so oral treatment (at least 1 mg a day) is given while the medicine "
                "continues; injections remain an option if the patient prefers them.",
                (All(TO_INJECTIONS, NEURO_RELAPSE), "From tablets to injections: neurological symptoms have "
                                                     "returned on tablets."),
                (All(TO_INJECTIONS, RECURS), "From tablets to injections: symptoms have returned on tablets (NICE: "
                                             "consider a higher dose or a switch to injections; check adherence)."),
                (TO_INJECTIONS, "From tablets to injections: there is neurological involvement, and the tablets' "
                                "licence asks for injections when neuropathy is suspected."),
                (DIETARY, "From the loading injections to tablets: the cause is dietary and there are no "
                          "neurological symptoms, so oral treatment is given."),
            ),
            Pick("info", (TO_INJECTIONS, "warning")),
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE (SPS summary): a switch to injections is considered when symptoms on tablets are new, worse or "
            "not improved enough; the 1 mg tablets' licence asks for injections when neuropathy is suspected. "
            "Naming every change of route is this site's policy: a route never changes silently.",
            ("nice-ng239-sps", "smpc-orobalin"),
        ),
    ),
    Rule(
        id="off-licence-interval",
        title="More often than the licence",
        kind="caution",
        condition=OFF_LICENCE,
        outcome=Caution(
            f"The patient is already on monthly injections, which are kept (never less often). Hydroxocobalamin more "
            f"often than every {LICENSED_SHORTEST_MONTHS} months is outside its UK licence ({LICENSED_RANGE}): "
            "review with a specialist whether monthly injections are still needed; they are the prescriber's "
            "decision and responsibility (off-label use).",
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
        condition=All(IN_SCOPE, INTRAMUSCULAR, NO_NEURO_INVOLVED, OneOf("cause", INJECTION_CAUSES)),
        outcome=Caution(
            "NICE also allows oral cyanocobalamin, at least 1 mg a day, for deficiency caused by malabsorption if "
            "the patient prefers it; the answer keeps the injections of the loading course or of the current "
            "regimen. With neurological symptoms, the tablets' licence asks for injections.",
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
        condition=All(IN_SCOPE, RECURS),
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
    Rule(
        id="treatment-gap",
        title="Loading long ago, and no treatment since",
        kind="caution",
        condition=All(IN_SCOPE, JUST_LOADED, ORAL, MonthsBetween("last_injection_date", "assessment_date",
                                                                  STANDARD_MONTHS + 1)),
        outcome=Caution(
            f"The last loading injection was more than {STANDARD_MONTHS + 1} months before the assessment, yet no "
            "treatment since was entered: check the current treatment. If none was taken, treatment has lapsed: "
            "review the symptoms and consider a new loading course before starting tablets.",
            "warning",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No guideline says what to do after months without treatment; checking the entry and considering a "
            "new loading course is this site's policy.",
            ("nice-ng239",),
        ),
    ),
    Rule(
        id="urgent-neurological-advice",
        title="Outside this pathway with neurological involvement",
        kind="caution",
        condition=All(OUT_OF_SCOPE, NEURO_INVOLVED),
        outcome=Caution(
            "Neurological involvement: seek specialist advice urgently, and do not delay or interrupt B12 "
            "injections meanwhile.",
            "high",
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "NICE's clinical knowledge summary (2020): with neurological involvement, seek urgent specialist advice "
            "from a haematologist; the 1 mg tablets' licence asks for injections when neuropathy is suspected.",
            ("nice-cks-b12", "smpc-orobalin"),
        ),
    ),
    FOLIC_ACID,
    Rule(
        id="specialist-advice",
        title="Specialist advice",
        kind="caution",
        condition=AnyOf(NOT_IMPROVED, All(IN_SCOPE, NEURO_RELAPSE), AT_LICENCE_LIMIT),
        outcome=Caution(
            Pick(
                "Symptoms recur on injections every 2 months, the most frequent the licence gives: check adherence "
                "and other causes (iron, folate, thyroid function, coeliac disease) and seek specialist "
                "(haematology) advice; injections more often than every 2 months are a specialist's decision.",
                (NOT_IMPROVED, "No response to the loading course: seek specialist (haematology) advice and review "
                               "the diagnosis. Meanwhile continue B12 treatment by injection (on alternate days "
                               "with neurological symptoms) and check adherence, folate, iron and thyroid "
                               "function."),
                (NEURO_RELAPSE, "Neurological symptoms have returned: seek urgent specialist (haematology) advice. "
                                "Give 1 mg on alternate days for as long as the symptoms improve, then every 2 "
                                "months (or as now, if more often)."),
                (RECURRED_ON_MONTHLY, "Symptoms recur despite monthly injections: check adherence and other causes "
                                      "(iron, folate, thyroid function, coeliac disease) and seek specialist "
                                      "(haematology) advice."),
            ),
            Pick("warning", (NOT_IMPROVED, "high"), (NEURO_RELAPSE, "high")),
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "agrees",
            "A BMJ review advises specialist referral when deficiency is refractory to treatment; NICE: increase "
            "the frequency in line with the product information when symptoms are not improved enough (SPS "
            "summary), so beyond every 2 months is a specialist's decision; NICE's clinical knowledge summary: "
            "urgent haematology advice with neurological involvement.",
            ("bmj-2019-sukumar", "nice-ng239-sps", "nice-cks-b12"),
        ),
    ),
    Rule(
        id="source-ileal-monthly",
        title="The source's statement: monthly injections after ileal resection",
        kind="caution",
        condition=All(IN_SCOPE, LONG_RESECTION),
        outcome=Caution(
            f"The source document gives monthly injections for life after more than {ILEAL_RESECTION_THRESHOLD_CM} cm "
            "of ileum is resected. That differs from the UK licence, which gives every 2 to 3 months after ileal "
            "resection, and no source supports it: the answer follows the licence, and more frequent injections "
            "are a specialist's decision if symptoms recur.",
            "info",
        ),
        basis="source",
        references=("src5", "src4"),
        evidence=Evidence(
            "differs",
            "The hydroxocobalamin product information gives 1 mg every 2 or 3 months after ileal resection; Battat "
            f"2014 supports treating resections of more than {ILEAL_RESECTION_THRESHOLD_CM} cm in Crohn's disease; "
            "no source was found for a monthly interval.",
            ("smpc-cobalin-h", "battat-2014"),
        ),
    ),
    Rule(
        id="source-blood-tests",
        title="The source's statement: blood tests every 3 months",
        kind="caution",
        condition=IN_SCOPE,
        outcome=Caution(
            "The source document advises serum B12 and homocysteine every 3 months until stable, then yearly. NICE "
            "follows up symptoms instead, so no routine blood test is booked here; test when the clinical picture "
            "calls for it.",
            "info",
        ),
        basis="source",
        references=("src3",),
        evidence=Evidence(
            "differs",
            "NICE reviews symptoms after 3 months of treatment and found no studies on how often to follow up; a "
            "local NHS guideline sees no need to recheck B12 during injections (the full blood count shows the "
            "response); homocysteine needs special sample handling.",
            ("nice-ng239", "nice-ng239-nasgp", "meht-chuft-b12"),
        ),
    ),
    Rule(
        id="homocysteine-above-target",
        title="Homocysteine markedly raised",
        kind="caution",
        condition=Above("homocysteine_umol_l", HOMOCYSTEINE_MARKED_UMOL_L),
        outcome=Caution(
            Pick(
                f"Homocysteine is markedly raised (more than {HOMOCYSTEINE_MARKED_UMOL_L} µmol/L). Besides B12 "
                "deficiency, consider folate deficiency, impaired renal function, continuing nitrous oxide use, "
                "some medicines, and sample handling (a delay before the sample is separated raises it). It does "
                "not change the interval.",
                (HOMOCYSTEINE_IMPLAUSIBLE,
                 f"Homocysteine of {HOMOCYSTEINE_IMPLAUSIBLE_UMOL_L} µmol/L or more is rarely seen outside inherited "
                 "homocystinuria: check the value, its unit and how the sample was handled before acting on it."),
            ),
            Pick("info", (HOMOCYSTEINE_IMPLAUSIBLE, "warning")),
        ),
        basis="policy",
        references=(),
        evidence=Evidence(
            "unsourced",
            "No guideline gives a homocysteine target or an action threshold during maintenance; the causes named "
            "are the usual ones for a raised level (NICE names nitrous oxide). The thresholds and wording are this "
            "site's policy; the source's target of < 10 µmol/L is shown among its statements.",
            ("nice-ng239", "afp-2017"),
        ),
    ),
)

RULES: tuple[Rule, ...] = SCOPE_RULES + REGIMEN_RULES + FINDING_RULES + MONITORING_RULES + CAUTION_RULES


STATEMENTS: tuple[SourceStatement, ...] = (
    SourceStatement(
        id="loading-course",
        title="The loading course",
        statement="The initial (loading) course was 4 weekly B12 injections, after which symptoms improved",
        references=(),
        evidence=Evidence(
            "differs",
            "Not a standard loading course: it lacks the alternate-day start. The UK product information gives "
            "250-1000 micrograms on alternate days for 1 to 2 weeks, then 250 micrograms weekly until the blood "
            "count is normal (UK practice, BNF: 1 mg 3 times a week for 2 weeks), or 1 mg on alternate days as long "
            "as improvement continues when there is neurological involvement. The maintenance calculator takes the "
            "loading course as given; the loading calculator checks it.",
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
            "NICE allows oral treatment of at least 1 mg a day as an option in malabsorption, and continues tablets "
            "for a patient whose symptoms improved on them; the source is stricter. The calculator keeps the "
            "injections of the loading course, continues tablets for a patient stable on them, and says that oral "
            "treatment is an alternative.",
            ("nice-ng239-bmj", "nice-ng239-sps"),
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
            "keeps the injections of the loading course and says that oral treatment is an alternative.",
            ("smpc-cobalin-h", "bomss-2020", "afp-2017"),
        ),
    ),
    SourceStatement(
        id="ileal-resection-monthly",
        title="Ileal resection of more than 20 cm: monthly injections",
        statement=f"After resection of more than {ILEAL_RESECTION_THRESHOLD_CM} cm of distal ileum, give "
        "hydroxocobalamin 1 mg intramuscularly monthly for life",
        references=("src5", "src4"),
        evidence=Evidence(
            "differs",
            "The UK product information gives 1 mg every 2 or 3 months after ileal resection; monthly is outside "
            f"the licence. Battat 2014 supports treating resections of more than {ILEAL_RESECTION_THRESHOLD_CM} cm "
            "in Crohn's disease; no source was found for the monthly interval. The calculator gives every 2 to 3 "
            "months (every 2 with neurological involvement) and shows this statement beside the answer.",
            ("smpc-cobalin-h", "battat-2014"),
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
            "the frequency in line with the product information when symptoms need it. The calculator never makes "
            "monthly injections its default: a patient already on them keeps them, flagged as off-licence.",
            ("smpc-cobalin-h", "nice-ng239-sps"),
        ),
    ),
    SourceStatement(
        id="b12-homocysteine-tests",
        title="Blood tests every 3 months, then yearly",
        statement="Check serum B12 and homocysteine every 3 months until stable, then once a year",
        references=("src3",),
        evidence=Evidence(
            "differs",
            "NICE reviews symptoms after 3 months of treatment and found no studies on how often to follow up; a "
            "local NHS guideline sees no need to recheck B12 during injections. The calculator books no routine "
            "blood test and shows this statement beside the answer.",
            ("nice-ng239", "nice-ng239-nasgp", "meht-chuft-b12"),
        ),
    ),
    SourceStatement(
        id="homocysteine-target",
        title="A homocysteine target below 10 µmol/L",
        statement="Aim for a homocysteine level below 10 µmol/L",
        references=("src3",),
        evidence=Evidence(
            "unsourced",
            "No guideline source was found for a target; 10 to 15 µmol/L lies within usual laboratory reference "
            "ranges. AFP 2017: lowering homocysteine with B12 does not reduce heart attack, stroke or cognitive "
            "decline. The calculator sets no target.",
            ("afp-2017",),
        ),
    ),
    SourceStatement(
        id="individualised-regimen",
        title="Up to 50% need more frequent injections",
        statement="Up to 50% of patients may need an individualised regimen with more frequent injections to "
        "remain symptom-free",
        references=("src6",),
        evidence=Evidence(
            "unsourced",
            "No primary source was found; the figure is attributed to the BNF elsewhere but is not in its wording, "
            "and the source cites a reference it does not list. The calculator does not state it as fact.",
        ),
    ),
)

PATHWAY = Pathway(
    id="b12-maintenance",
    title="Vitamin B12 deficiency: maintenance treatment after a loading course",
    short_title="Maintenance after loading",
    version="3.0.0",
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
    "references. Primary guidance decides the answer; where the source goes further, its statement is shown "
    "beside the answer with its evidence status and never prescribes.",
    source_note="The source of this guideline is a machine-generated answer page (its own banner says its content "
    "is pending human review), and its reference list is incomplete: it cites references 6 to 8 without listing "
    "them, and the summaries it cites could not be found. Each recommendation of the calculator shows its status "
    "below. Before relying on a recommendation, confirm it against the current NICE guideline NG239 and the "
    "product information.",
    combination="When several rules apply, the most frequent interval wins and injections win over oral treatment; "
    "whether the regimen is for life follows the cause. Escalation stops at the licence (every 2 months): beyond "
    "it is a specialist's decision.",
    statements=STATEMENTS,
    states=(IN_SCOPE, OUT_OF_SCOPE, LIFELONG, INTRAMUSCULAR, ORAL, OFF_LICENCE, ALTERNATE_DAYS, AT_LICENCE_LIMIT,
            RECURRED_ON_MONTHLY, *EVERY.values()),
    checks=(NotAfter("last_injection_date", "assessment_date"),),
    labels={
        "regimen": "Maintenance regimen",
        "events": {"injection": "Injection", "review": "Review"},
    },
)
