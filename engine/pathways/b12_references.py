"""The B12 guideline's references: the source document's own list (numbers 1-8) and the primary sources."""

from __future__ import annotations

from engine.references import Reference, ReferenceGroup

NOT_LISTED = "Not listed in the source document"

GROUPS: tuple[ReferenceGroup, ...] = (
    ReferenceGroup(
        id="source",
        title="References of the source document",
        intro="The source document lists five works but cites numbers up to 8. References 6 to 8 are shown as "
        "not listed in the source document: no citation has been invented for them. Where a verified primary "
        "source covers the same statement, it is named beside them and cited in the text as well.",
    ),
    ReferenceGroup(
        id="primary",
        title="Primary sources",
        intro="The primary guidance against which the source's statements were checked. \"Secondary\" means the "
        "wording was found only in a summary that quotes the original; confirm it in the current original.",
    ),
)

def _not_listed(number: int, cited_for: str, see_also: tuple[str, ...]) -> Reference:
    return Reference(
        key=f"src{number}",
        group="source",
        number=number,
        title=NOT_LISTED,
        listed_in_source=False,
        note=(
            f"The source cites reference {number} ({cited_for}) but its reference list stops at 5; "
            "no citation is invented here. See the primary sources named beside it."
        ),
        see_also=see_also,
    )


_PRAXIS = "Praxis Medical Insights: Practical Summaries of Clinical Guidelines"
_PRAXIS_NOTE = "A summary named by the source; it could not be found, so its content is unverified."

REFERENCES: tuple[Reference, ...] = (
    Reference(
        key="src1", group="source", number=1, title="Guideline Directed Topic Overview",
        authors="Dr.Oracle Medical Advisory Board & Editors", source="Dr.Oracle", year=2025,
        note="The publisher of the source document itself.",
    ),
    Reference(
        key="src2", group="source", number=2, title="Vitamin B12 Injection Guidelines",
        authors="Praxis Medical Insights", source=_PRAXIS, year=2025, note=_PRAXIS_NOTE,
    ),
    Reference(
        key="src3", group="source", number=3, title="Vitamin B12 Replacement Therapy",
        authors="Praxis Medical Insights", source=_PRAXIS, year=2025, note=_PRAXIS_NOTE,
    ),
    Reference(
        key="src4", group="source", number=4, title="Vitamin B12 Supplementation Guidelines",
        authors="Praxis Medical Insights", source=_PRAXIS, year=2025, note=_PRAXIS_NOTE,
    ),
    Reference(
        key="src5", group="source", number=5, title="Vitamin B12 deficiency: recognition and management",
        authors="Langan RC, Goodin AJ", source="Am Fam Physician 2017;96(6):384-389", year=2017,
        pmid="28925645", url="https://pubmed.ncbi.nlm.nih.gov/28925645/",
        note="Listed by the source as 'Vitamin B12 Deficiency: Recognition and Management. "
        "American family physician, 2017'; the same work as the primary reference afp-2017.",
        see_also=("afp-2017",),
    ),
    _not_listed(6, "increasing frequency when symptoms recur; serum B12 alone not setting frequency; "
                "never discontinuing; up to 50% needing individualised regimens",
                ("nice-ng239", "bsh-2014")),
    _not_listed(7, "oral cyanocobalamin 1000-2000 micrograms daily without malabsorption",
                ("afp-2017", "cochrane-2018")),
    _not_listed(8, "parenteral treatment for life when the cause is malabsorption",
                ("nice-ng239", "bnf-hydroxocobalamin")),
    Reference(
        key="nice-ng239", group="primary",
        title="Vitamin B12 deficiency in over 16s: diagnosis and management. NICE guideline NG239",
        authors="National Institute for Health and Care Excellence", source="London: NICE; 6 March 2024",
        year=2024, url="https://www.nice.org.uk/guidance/ng239", verification="checked",
        note="Title and date checked; recommendations 1.3-1.6 known from summaries (secondary).",
    ),
    Reference(
        key="nice-ng239-bmj", group="primary", title="Vitamin B12 deficiency: summary of NICE guidance",
        authors="Sands T, Jawed A, Stevenson E, Smith M, Jawaid I", source="BMJ 2024;385:q1019",
        year=2024, verification="checked",
    ),
    Reference(
        key="bnf-hydroxocobalamin", group="primary", title="British National Formulary: Hydroxocobalamin",
        authors="Joint Formulary Committee", source="London: BMJ Group and Pharmaceutical Press",
        url="https://bnf.nice.org.uk/drugs/hydroxocobalamin/", verification="secondary",
        note="Wording known from NHS formularies that quote the BNF (secondary): confirm in the current BNF.",
    ),
    Reference(
        key="bsh-2014", group="primary",
        title="Guidelines for the diagnosis and treatment of cobalamin and folate disorders",
        authors="Devalia V, Hamilton MS, Molloy AM", source="Br J Haematol 2014;166(4):496-513", year=2014,
        doi="10.1111/bjh.12959", pmid="24942828", verification="checked",
        note="Superseded for vitamin B12 by NICE NG239 (BSH notice, 2024).",
    ),
    Reference(
        key="afp-2017", group="primary", title="Vitamin B12 deficiency: recognition and management",
        authors="Langan RC, Goodin AJ", source="Am Fam Physician 2017;96(6):384-389", year=2017,
        pmid="28925645", url="https://pubmed.ncbi.nlm.nih.gov/28925645/", verification="checked",
        note="The source's reference 5. The second author's name is not yet confirmed (open).",
    ),
    Reference(
        key="cochrane-2018", group="primary",
        title="Oral vitamin B12 versus intramuscular vitamin B12 for vitamin B12 deficiency",
        authors="Wang H, Li L, Qin LL, Song Y, Vidal-Alaball J, Liu TH",
        source="Cochrane Database Syst Rev 2018;3:CD004655", year=2018,
        doi="10.1002/14651858.CD004655.pub3", pmid="29543316", verification="checked",
        note="Authors known from secondary listings.",
    ),
    Reference(
        key="battat-2014", group="primary",
        title="Vitamin B12 deficiency in inflammatory bowel disease: prevalence, risk factors, "
        "evaluation, and management",
        authors="Battat R, Kopylov U, Szilagyi A, et al.", source="Inflamm Bowel Dis 2014;20(6):1120-1128",
        year=2014, verification="checked",
    ),
    Reference(
        key="folic-acid-smpc", group="primary",
        title="Folic acid oral solution: Summary of Product Characteristics (section 4.4, warnings)",
        source="Electronic medicines compendium (UK), product 6676", verification="checked",
    ),
    Reference(
        key="stabler-2013", group="primary", title="Vitamin B12 deficiency",
        authors="Stabler SP", source="N Engl J Med 2013;368(2):149-160", year=2013,
        doi="10.1056/NEJMcp1113996", verification="checked", note="PMID not yet confirmed (open).",
    ),
)
