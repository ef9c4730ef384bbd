"""What the B12 pathways share: the scope questions, the neurological question, and the rules about them.

Declared once, so that the loading and the maintenance calculators ask the same questions with the same
words and answer them with the same rules (each pathway's evidence check lists them as its own).
"""

from __future__ import annotations

from engine.conditions import Always, Is, State
from engine.fields import Field
from engine.outcomes import Caution, Monitor, OutOfScope, Pick
from engine.rules import Evidence, Rule

AGE_16_OR_OVER = Field(
    key="age_16_or_over",
    label="Aged 16 or over",
    type="bool",
    required=True,
    says=("aged 16 or over", "under 16"),
    help="NICE's guideline on vitamin B12 deficiency covers people aged 16 and over.",
)
PREGNANT_OR_BREASTFEEDING = Field(
    key="pregnant_or_breastfeeding",
    label="Pregnant or breastfeeding",
    type="bool",
    required=True,
    says=("pregnant or breastfeeding", "not pregnant or breastfeeding"),
)
NEUROLOGICAL_SYMPTOMS = Field(
    key="neurological_symptoms",
    label="Neurological symptoms",
    type="bool",
    required=True,
    says=("neurological symptoms", "no neurological symptoms"),
    help="At diagnosis, during loading or now: for example paraesthesia, numbness, ataxia, or memory or "
    "cognitive change. Answer yes if they were present at any of these times.",
)
FOLIC_ACID_PLANNED = Field(
    key="folic_acid_planned",
    label="Folic acid being considered or prescribed",
    type="bool",
    default=False,
    says=("folic acid is being considered or prescribed", "no folic acid planned"),
)

# The source document's date, and the last line of every export of either calculator.
SOURCE_DATE = "2025-10-28"
DISCLAIMER = ("Decision support for clinicians, not a substitute for clinical judgement: confirm against the current "
              "NICE guideline NG239 and the product information.")

NEURO = Is("neurological_symptoms", True)
NO_NEURO = Is("neurological_symptoms", False)
IN_SCOPE = State("in-scope", "the patient is within this pathway", lambda case: case.in_scope)

SCOPE_UNDER_16 = Rule(
    id="scope-under-16",
    title="Under 16",
    kind="scope",
    condition=Is("age_16_or_over", False),
    outcome=OutOfScope("This calculator is for people aged 16 and over, as NICE's guideline is: for a younger "
                       "patient, seek paediatric advice."),
    basis="policy",
    references=(),
    evidence=Evidence("agrees", "NICE NG239 covers people aged 16 and over.", ("nice-ng239",)),
)

SCOPE_PREGNANCY = Rule(
    id="scope-pregnancy",
    title="Pregnancy or breastfeeding",
    kind="scope",
    condition=Is("pregnant_or_breastfeeding", True),
    outcome=OutOfScope(
        "Pregnancy and breastfeeding are outside this calculator: agree B12 treatment with the obstetric or "
        "haematology team, without delaying it. NICE advises a review after 1 month of treatment in pregnancy "
        "or breastfeeding, and folic acid may be needed alongside B12."
    ),
    basis="policy",
    references=(),
    evidence=Evidence(
        "unsourced",
        "The source does not consider pregnancy. NICE covers pregnancy and breastfeeding with a review after 1 "
        "month of treatment (known from summaries); the hydroxocobalamin product information restricts its use "
        "in megaloblastic anaemia of pregnancy. Leaving these patients to the clinician and specialist advice is "
        "this site's policy.",
        ("nice-ng239-nasgp", "smpc-neo-cytamen"),
    ),
)

REVIEW_MONTHS = 3
# One injection of either pathway's regimens, as their summaries and schedules write it.
INJECTION = "Hydroxocobalamin 1 mg intramuscularly"

REVIEW_AT_3_MONTHS = Rule(
    id="review-at-3-months",
    title="Review after 3 months of treatment",
    kind="monitoring",
    condition=Always(),
    outcome=Monitor("Review the symptoms after 3 months of treatment, as NICE advises.", REVIEW_MONTHS),
    basis="policy",
    references=(),
    evidence=Evidence(
        "agrees",
        "NICE: review after 3 months of treatment (after 1 month in pregnancy or breastfeeding); symptoms can take "
        "weeks or months to settle (known from summaries).",
        ("nice-ng239-nasgp", "nice-ng239"),
    ),
)

FOLIC_ACID = Rule(
    id="folic-acid",
    title="No folic acid alone while B12 is low",
    kind="caution",
    condition=Always(),
    outcome=Caution(
        "Do not give folic acid alone while vitamin B12 deficiency is untreated: it may mask the deficiency and "
        "let neurological damage progress. Once B12 replacement is established, folic acid can be given when it "
        "is needed (for example a coexisting folate deficiency, or pregnancy).",
        Pick("warning", (Is("folic_acid_planned", True), "high")),
    ),
    basis="source",
    references=("src3", "src4"),
    evidence=Evidence(
        "agrees",
        "Folic acid SmPC: used indiscriminately in B12 deficiency, folic acid can correct the blood count while "
        "irreversible neurological damage develops.",
        ("folic-acid-smpc",),
    ),
)
