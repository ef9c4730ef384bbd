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
        authors="Langan RC, Goodbred AJ", source="Am Fam Physician 2017;96(6):384-389", year=2017,
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
        note="Title, date, scope (16 and over), recommendation 1.1.3 and its rationale (irreversible causes: "
        "treatment for life) checked; the management and follow-up recommendations are known here only from "
        "summaries (secondary).",
    ),
    Reference(
        key="nice-ng239-bmj", group="primary", title="Vitamin B12 deficiency: NICE guideline summary",
        authors="Sands T, Jawed A, Stevenson E, Smith M, Jawaid I; Guideline Committee",
        source="BMJ 2024;385:q1019 (published 13 June 2024)", year=2024,
        url="https://www.bmj.com/content/385/bmj.q1019", verification="checked",
        note="Written by NICE staff: oral replacement for malabsorption at a dosage of at least 1 mg a day.",
    ),
    Reference(
        key="nice-ng239-sps", group="primary",
        title="Vitamin B12 deficiency in over 16s: diagnosis and management - guidance (NG239). Commentary on "
        "NICE's visual summary of ongoing care and follow-up",
        authors="Specialist Pharmacy Service", source="NHS Medicines Resources",
        url="https://www.medicinesresources.nhs.uk/vitamin-b12-deficiency-in-over-16s-diagnosis-and-management-"
        "guidance-ng239.html", verification="secondary",
        note="Summarises NICE: injections lifelong if the cause is or is suspected to be irreversible; if the "
        "cause is resolved, think about stopping or reducing; for new, worsening or not sufficiently improved "
        "symptoms, increase the frequency in line with the product information. Page date not verified.",
    ),
    Reference(
        key="nice-ng239-nasgp", group="primary", title="Vitamin B12 deficiency (NICE March 2024)",
        authors="National Association of Sessional GPs", source="NASGP resources",
        url="https://www.nasgp.org.uk/resource/vitamin-b12-deficiency-nice-march-2024/", verification="secondary",
        note="Summarises NICE: review after 3 months of treatment (after 1 month in pregnancy or breastfeeding); "
        "test for coeliac disease if no other cause. Author and date not verified.",
    ),
    Reference(
        key="nice-ng239-draft", group="primary",
        title="Vitamin B12 deficiency in over 16s: diagnosis and management. Draft for consultation",
        authors="National Institute for Health and Care Excellence", source="NICE, July 2023", year=2023,
        url="https://www.drugsandalcohol.ie/39242/", verification="checked",
        note="The consultation draft, not the final guideline: for deficiency caused by nitrous oxide it offered "
        "intramuscular or oral B12 replacement by the person's preference. Whether the final NG239 kept this "
        "wording could not be verified here.",
    ),
    Reference(
        key="meht-chuft-b12", group="primary",
        title="Guideline for the management of vitamin B12 deficiency (for adults)",
        authors="Mid Essex Hospital Services NHS Trust and Colchester Hospital University NHS Foundation Trust",
        source="Local NHS primary-care guideline, version 2.0, 2019", year=2019,
        url="https://docslib.org/doc/6377922/guideline-for-the-management-of-vitamin-b12-deficiency-for-adults",
        verification="secondary",
        note="A local NHS guideline (found only in a copy): no need to recheck vitamin B12 on intramuscular "
        "treatment; use the full blood count to monitor the response. Written before NICE NG239.",
    ),
    Reference(
        key="nice-cks-b12", group="primary", title="Anaemia - B12 and folate deficiency",
        authors="NICE Clinical Knowledge Summaries", source="NICE CKS, last revised July 2020", year=2020,
        url="https://cks.nice.org.uk/topics/anaemia-b12-folate-deficiency/", verification="secondary",
        note="Known from the copy reproduced by the Pernicious Anaemia Society: with neurological involvement, "
        "seek urgent specialist advice from a haematologist; dietary deficiency 50-150 micrograms a day, which "
        "can be stopped once levels are corrected and the diet has improved (lifelong in vegans). Written "
        "before NICE NG239.",
    ),
    Reference(
        key="smpc-cobalin-h", group="primary",
        title="Cobalin-H (hydroxocobalamin 1000 micrograms/ml injection): Summary of Product Characteristics, "
        "sections 4.2 and 4.4",
        authors="Advanz Pharma (Amdipharm)", source="Electronic medicines compendium (UK)",
        url="https://www.medicines.org.uk/emc/medicine/24703", verification="checked",
        note="Maintenance 1000 micrograms every 2 or 3 months; with neurological involvement 1000 micrograms on "
        "alternate days as long as improvement continues, then every 2 months; prophylaxis after gastrectomy, "
        "ileal resection and some malabsorption states every 2 or 3 months. No monthly maintenance for these "
        "indications. Two other hydroxocobalamin SmPCs allow every 2 or 3 months with neurological involvement.",
    ),
    Reference(
        key="smpc-neo-cytamen", group="primary",
        title="Neo-Cytamen 1000 micrograms/ml solution for injection (hydroxocobalamin): Summary of Product "
        "Characteristics", authors="RPH Pharmaceuticals AB", source="Electronic medicines compendium (UK), "
        "product 9746", url="https://www.medicines.org.uk/emc/product/9746/smpc", verification="checked",
        note="Maintenance 1000 micrograms every 2 to 3 months (every 2 months with neurological involvement); "
        "not for megaloblastic anaemia of pregnancy unless B12 deficiency is shown; if the anaemia fails to "
        "respond, investigate folate metabolism; monitor potassium and platelets early in treatment.",
    ),
    Reference(
        key="smpc-orobalin", group="primary",
        title="Orobalin 1 mg film-coated tablets (cyanocobalamin): Summary of Product Characteristics",
        authors="Northumbria Pharma Ltd", source="Electronic medicines compendium (UK), product 11887, "
        "updated 31 May 2023", year=2023, url="https://www.medicines.org.uk/emc/product/11887/smpc",
        verification="checked",
        note="Licensed for malabsorption (including pernicious anaemia): maintenance 1 tablet daily; "
        "parenteral treatment if neuropathy is suspected.",
    ),
    Reference(
        key="smpc-cyanocobalamin-50", group="primary",
        title="Cyanocobalamin 50 microgram tablets (Cytacon): Summary of Product Characteristics",
        authors="Advanz Pharma", source="Electronic medicines compendium (UK), product 5716, updated 29 January "
        "2024", year=2024, url="https://www.medicines.org.uk/emc/product/5716/smpc", verification="checked",
        note="50 to 150 micrograms or more daily; absorption is reduced by colchicine, biguanides (metformin) and "
        "cimetidine.",
    ),
    Reference(
        key="bomss-2020", group="primary",
        title="British Obesity and Metabolic Surgery Society guidelines on perioperative and postoperative "
        "biochemical monitoring and micronutrient replacement for patients undergoing bariatric surgery: 2020 "
        "update", authors="O'Kane M, Parretti HM, Pinkney J, et al.", source="Obes Rev 2020;e13087", year=2020,
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC7583474/", verification="checked",
        note="After sleeve gastrectomy, gastric bypass or other malabsorptive procedures: routine vitamin B12 by "
        "intramuscular injection, every 3 months. Volume and issue not verified.",
    ),
    Reference(
        key="bmj-2019-sukumar", group="primary", title="Investigating vitamin B12 deficiency",
        authors="Sukumar N, Saravanan P", source="BMJ 2019;365:l1865", year=2019,
        url="https://www.bmj.com/content/365/bmj.l1865", verification="checked",
        note="Consider specialist referral if there is no obvious cause, if the deficiency is refractory to "
        "treatment, or if neurological features or persistent macrocytic anaemia are present.",
    ),
    Reference(
        key="bnf-hydroxocobalamin", group="primary", title="British National Formulary: Hydroxocobalamin",
        authors="Joint Formulary Committee", source="London: BMJ Group and Pharmaceutical Press",
        url="https://bnf.nice.org.uk/drugs/hydroxocobalamin/", verification="secondary",
        note="Wording known from the BNF's letter quoted by the Pernicious Anaemia Society: since September 2018, "
        "1 mg 3 times a week for 2 weeks, then every 2-3 months (previously every 3 months). Confirm in the "
        "current BNF; doses in this site are cited from the product information and NICE.",
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
        authors="Langan RC, Goodbred AJ", source="Am Fam Physician 2017;96(6):384-389", year=2017,
        pmid="28925645", url="https://pubmed.ncbi.nlm.nih.gov/28925645/", verification="checked",
        note="The source's reference 5 (published 15 September 2017).",
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
