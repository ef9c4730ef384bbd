"""One test per rule: it fires on the case it is for, with the outcome it promises, and not on others."""

from __future__ import annotations

import pytest

import engine
from tests.pathways.b12_maintenance.patients import interval, patient, run
from tests.pathways.rule_harness import check_every_rule_has_a_case, check_rule, fired, published_rules

PATHWAY = "b12-maintenance"
PA = patient(cause="pernicious_anaemia")
DIETARY = patient(cause="dietary")
ON_INJECTIONS = {"current_regimen": "injections"}
OVERDUE = {"last_injection_date": "2026-01-15", "assessment_date": "2026-12-02"}


def caution(result, caution_id):
    return next((item for item in result["cautions"] if item["id"] == caution_id), None)


def shaped(result) -> list[str]:
    return [rule["id"] for rule in result["regimen"]["rules"]]


ON_TABLETS = {"current_regimen": "oral_daily"}
RECURS = {"symptoms_recur_before_next_dose": True, "recurrence_neurological": False}
NEURO = {"neurological_symptoms": True}


def on_injections(months: int, **values):
    return patient(current_interval_months=months, **values)


def texts(result) -> str:
    return " ".join(item["text"] for item in result["cautions"] + result["monitoring"] + result["findings"])


# rule id -> (inputs where it fires, check of the outcome, inputs where it does not fire)
RULE_CASES = {
    "scope-under-16": (
        {**PA, "age_16_or_over": False},
        lambda r: not r["in_scope"] and r["regimen"] is None and "aged 16 and over" in r["scope_note"],
        PA,
    ),
    "scope-pregnancy": (
        {**PA, "pregnant_or_breastfeeding": True},
        lambda r: not r["in_scope"] and "after 1 month" in r["scope_note"],
        PA,
    ),
    "scope-nitrous-oxide": (
        {**PA, "cause": "nitrous_oxide"},
        lambda r: not r["in_scope"] and "stop using nitrous oxide" in r["scope_note"]
        and "Continue vitamin B12 replacement (injections or tablets" in r["scope_note"],
        PA,
    ),
    "scope-not-improved": (
        {**PA, "loading_response": "not_improved"},
        lambda r: not r["in_scope"] and "continue B12 treatment by injection" in r["scope_note"]
        and "folate, iron and thyroid" in r["scope_note"],
        PA,
    ),
    "oral-dietary": (
        DIETARY,
        lambda r: r["regimen"]["route"] == "oral" and r["regimen"]["dose_range_micrograms"] == [1000, 2000]
        and r["regimen"]["dose_micrograms"] == 1000,
        {**DIETARY, **RECURS},
    ),
    "oral-medicines": (
        patient(cause="medicines"),
        lambda r: r["regimen"]["route"] == "oral" and "while the medicine" in r["regimen"]["summary"]
        and not r["regimen"]["lifelong"] and "dose_range_micrograms" not in r["regimen"],
        patient(cause="medicines", **NEURO),
    ),
    "oral-continued": (
        {**PA, **ON_TABLETS},
        lambda r: r["regimen"]["route"] == "oral" and r["regimen"]["lifelong"]
        and r["regimen"]["summary"].startswith("Continue cyanocobalamin"),
        {**PA, **ON_TABLETS, **RECURS},
    ),
    "im-malabsorption": (
        patient(cause="ileal_resection", ileal_resection_cm=20.1),
        lambda r: interval(r) == 3 and r["regimen"]["interval_range"] == {"min": 2, "max": 3, "unit": "month"},
        {**PA, **ON_TABLETS},
    ),
    "neuro-dietary-im": (
        {**DIETARY, **NEURO},
        lambda r: r["regimen"]["route"] == "intramuscular",
        {**PA, **NEURO},
    ),
    "neuro-every-2-months": (
        {**PA, **NEURO},
        lambda r: interval(r) == 2 and "initial" not in r["regimen"],
        PA,
    ),
    "neuro-relapse": (
        {**PA, **NEURO, **RECURS, "recurrence_neurological": True},
        lambda r: r["regimen"]["initial"] == {"every_days": 2, "until": "no further improvement"}
        and interval(r) == 2 and "on alternate days" in r["regimen"]["summary"]
        and caution(r, "specialist-advice")["severity"] == "high"
        and "urgent" in caution(r, "specialist-advice")["text"],
        {**PA, **RECURS},
    ),
    "recurrence-oral-to-im": (
        {**PA, **RECURS, **ON_TABLETS},
        lambda r: r["regimen"]["route"] == "intramuscular" and interval(r) == 3,
        {**PA, **ON_TABLETS},
    ),
    "recurrence-step-up": (
        on_injections(3, cause="pernicious_anaemia", **RECURS),
        lambda r: interval(r) == 2 and caution(r, "specialist-advice") is None,
        {**DIETARY, **ON_TABLETS, **RECURS},
    ),
    "never-lengthen": (
        on_injections(1, cause="dietary"),
        lambda r: r["regimen"]["route"] == "intramuscular" and interval(r) == 1,
        DIETARY,
    ),
    "lifelong-irreversible": (
        patient(cause="unknown"),
        lambda r: r["regimen"]["lifelong"] is True and "lifelong-irreversible" in shaped(r),
        patient(cause="medicines"),
    ),
    "review-reversible": (
        patient(cause="coeliac_disease"),
        lambda r: r["regimen"]["lifelong"] is False and "review-reversible" in shaped(r)
        and "reviewing whether the cause has resolved" in r["regimen"]["summary"],
        patient(cause="bariatric_surgery"),
    ),
    "no-level-driven-frequency": (
        {**PA, "serum_b12": 90, "serum_b12_unit": "ng/L", "homocysteine_umol_l": 40},
        lambda r: interval(r) == 3,
        {**PA, "loading_response": "not_improved"},
    ),
    "serum-b12": (
        {**PA, "serum_b12": 453, "serum_b12_unit": "pmol/L"},
        lambda r: "does not show that treatment is working" in r["findings"][0]["text"]
        and "successful" not in r["findings"][0]["text"] and "After B12 injections" not in r["findings"][0]["text"],
        PA,
    ),
    "homocysteine": (
        {**PA, "homocysteine_umol_l": 12},
        lambda r: "Homocysteine 12 µmol/L" in r["findings"][0]["text"] and "target" not in r["findings"][0]["text"],
        PA,
    ),
    "review-at-3-months": (
        PA,
        lambda r: r["monitoring"][0]["id"] == "review-at-3-months" and "after 3 months of treatment" in
        r["monitoring"][0]["text"],
        {**PA, "age_16_or_over": False},
    ),
    "symptom-review": (
        {**PA, **ON_TABLETS},
        lambda r: r["monitoring"][1]["id"] == "symptom-review" and "on tablets" in r["monitoring"][1]["text"]
        and "day's injection" not in r["monitoring"][1]["text"],
        {**PA, "loading_response": "not_improved"},
    ),
    "injection-overdue": (
        on_injections(3, cause="pernicious_anaemia", **OVERDUE),
        lambda r: caution(r, "injection-overdue")["severity"] == "high" and "lapsed" in
        caution(r, "injection-overdue")["text"] and r["schedule"][0]["date"] == "2026-12-02",
        on_injections(3, cause="pernicious_anaemia", last_injection_date="2026-10-01", assessment_date="2026-12-02"),
    ),
    "neurological-involvement": (
        {**PA, **NEURO},
        lambda r: caution(r, "neurological-involvement")["severity"] == "warning"
        and "alternate days" in caution(r, "neurological-involvement")["text"],
        {**PA, **NEURO, "cause": "nitrous_oxide"},
    ),
    "lifelong-therapy": (
        PA,
        lambda r: caution(r, "lifelong-therapy")["severity"] == "high",
        DIETARY,
    ),
    "find-the-cause": (
        patient(cause="unknown"),
        lambda r: "intrinsic factor antibodies" in caution(r, "find-the-cause")["text"]
        and "coeliac" in caution(r, "find-the-cause")["text"]
        and "cannot be corrected" not in caution(r, "lifelong-therapy")["text"],
        PA,
    ),
    "gastric-cancer-awareness": (
        PA,
        lambda r: caution(r, "gastric-cancer-awareness")["severity"] == "info"
        and "gastric cancer" in caution(r, "gastric-cancer-awareness")["text"],
        patient(cause="gastric_surgery"),
    ),
    "review-reversible-cause": (
        DIETARY,
        lambda r: caution(r, "review-reversible-cause")["severity"] == "warning"
        and caution(r, "lifelong-therapy") is None,
        PA,
    ),
    "route-change": (
        {**PA, **ON_TABLETS, **NEURO},
        lambda r: r["regimen"]["route"] == "intramuscular" and caution(r, "route-change")["severity"] == "warning"
        and "neuropathy" in caution(r, "route-change")["text"],
        {**PA, **ON_TABLETS},
    ),
    "off-licence-interval": (
        on_injections(1, cause="ileal_resection", ileal_resection_cm=50),
        lambda r: interval(r) == 1 and caution(r, "off-licence-interval")["severity"] == "warning"
        and "already on monthly" in caution(r, "off-licence-interval")["text"],
        patient(cause="ileal_resection", ileal_resection_cm=50),
    ),
    "oral-alternative": (
        PA,
        lambda r: caution(r, "oral-alternative")["severity"] == "info" and "at least 1 mg a day" in
        caution(r, "oral-alternative")["text"],
        {**PA, **NEURO},
    ),
    "recurrence-other-causes": (
        {**PA, **RECURS},
        lambda r: "thyroid" in caution(r, "recurrence-other-causes")["text"],
        PA,
    ),
    "folic-acid": (
        {**PA, "folic_acid_planned": True},
        lambda r: caution(r, "folic-acid")["severity"] == "high" and "Once B12 replacement is established" in
        caution(r, "folic-acid")["text"],
        None,  # always fires
    ),
    "specialist-advice": (
        on_injections(2, cause="pernicious_anaemia", **RECURS),
        lambda r: caution(r, "specialist-advice")["severity"] == "warning" and interval(r) == 2
        and "coeliac disease" in caution(r, "specialist-advice")["text"]
        and "monthly" not in caution(r, "specialist-advice")["text"],
        on_injections(3, cause="pernicious_anaemia", **RECURS),
    ),
    "source-ileal-monthly": (
        patient(cause="ileal_resection", ileal_resection_cm=40),
        lambda r: caution(r, "source-ileal-monthly")["severity"] == "info" and interval(r) == 3
        and caution(r, "source-ileal-monthly")["evidence"]["status"] == "differs",
        patient(cause="ileal_resection", ileal_resection_cm=20),
    ),
    "source-blood-tests": (
        PA,
        lambda r: caution(r, "source-blood-tests")["severity"] == "info"
        and all("B12" not in item["text"] for item in r["monitoring"])
        and all(event["event"] != "blood-test" for event in r["schedule"]),
        {**PA, "age_16_or_over": False},
    ),
    "treatment-gap": (
        patient(cause="dietary", last_injection_date="2025-01-01", assessment_date="2026-12-01"),
        lambda r: caution(r, "treatment-gap")["severity"] == "warning" and r["regimen"]["route"] == "oral",
        patient(cause="dietary", last_injection_date="2026-10-01", assessment_date="2026-12-01"),
    ),
    "urgent-neurological-advice": (
        {**PA, **NEURO, "age_16_or_over": False},
        lambda r: not r["in_scope"] and caution(r, "urgent-neurological-advice")["severity"] == "high",
        {**PA, **NEURO},
    ),
    "homocysteine-above-target": (
        {**PA, "homocysteine_umol_l": 30.5},
        lambda r: caution(r, "homocysteine-above-target")["severity"] == "info" and interval(r) == 3
        and "renal function" in caution(r, "homocysteine-above-target")["text"]
        and "nitrous oxide" in caution(r, "homocysteine-above-target")["text"],
        {**PA, "homocysteine_umol_l": 14},
    ),
}


def test_every_rule_has_a_test():
    check_every_rule_has_a_case(PATHWAY, RULE_CASES)


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule(rule_id):
    check_rule(PATHWAY, rule_id, RULE_CASES[rule_id])


def test_specialist_advice_is_high_when_the_loading_course_did_not_help():
    result = run({**PA, "loading_response": "not_improved"})
    assert caution(result, "specialist-advice")["severity"] == "high"
    assert "continue B12 treatment by injection" in caution(result, "specialist-advice")["text"]


def test_the_most_frequent_interval_wins():
    result = run(patient(cause="ileal_resection", ileal_resection_cm=50, neurological_symptoms=True,
                         current_interval_months=3))
    assert interval(result) == 2
    assert fired(result)[:3] == ["im-malabsorption", "neuro-every-2-months", "never-lengthen"]


def test_injections_win_over_oral():
    assert run({**DIETARY, "neurological_symptoms": True})["regimen"]["route"] == "intramuscular"


def test_a_cause_outside_the_spec_cannot_get_a_regimen_by_accident():
    assert engine.evaluate(PATHWAY, {**PA, "cause": "vegan"})["ok"] is False


def test_the_because_of_each_rule_names_the_answers_that_made_it_fire():
    result = run(patient(cause="ileal_resection", ileal_resection_cm=21, neurological_symptoms=True))
    because = {step["rule"]: step["because"] for step in result["trace"]}
    assert because["im-malabsorption"] == ("Cause of deficiency: Ileal resection; not stable on oral treatment (no "
                                           "recurrence, no neurological symptoms)")
    assert because["neuro-every-2-months"] == "neurological involvement, before or now (neurological symptoms)"
    assert because["source-ileal-monthly"].endswith("Length of ileum resected: 21 cm (more than 20 cm)")


def test_findings_and_cautions_carry_their_rule_id_references_and_evidence():
    """Beside the harness's check of each rule on its own case: every item of one result with many of them."""
    rules = published_rules(PATHWAY)
    result = run({**PA, "serum_b12": 453, "serum_b12_unit": "pmol/L", "homocysteine_umol_l": 12,
                  "folic_acid_planned": True})
    assert len(result["findings"]) == 2 and result["monitoring"] and result["cautions"]
    for item in result["findings"] + result["monitoring"] + result["cautions"]:
        assert item["references"] == rules[item["id"]]["references"]
        assert item["evidence"] == rules[item["id"]]["evidence"]
