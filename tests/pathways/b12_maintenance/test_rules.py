"""One test per rule: it fires on the case it is for, with the outcome it promises, and not on others."""

from __future__ import annotations

import pytest

import engine
from tests.pathways.b12_maintenance.patients import patient

PATHWAY = "b12-maintenance"
(DESCRIPTOR,) = [pathway for pathway in engine.pathways() if pathway["id"] == PATHWAY]
RULES = {rule["id"]: rule for rule in DESCRIPTOR["rules"]}
PA = patient(cause="pernicious_anaemia")
DIETARY = patient(cause="dietary")
ON_INJECTIONS = {"current_regimen": "injections"}
OVERDUE = {"last_injection_date": "2026-01-15", "assessment_date": "2026-12-02"}


def run(inputs):
    result = engine.evaluate(PATHWAY, inputs)
    assert result["ok"], result
    return result


def fired(result) -> list[str]:
    return [step["rule"] for step in result["trace"]]


def interval(result):
    return result["regimen"]["interval"]["value"]


def caution(result, caution_id):
    return next((item for item in result["cautions"] if item["id"] == caution_id), None)


def shaped(result) -> list[str]:
    return [rule["id"] for rule in result["regimen"]["rules"]]


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
        lambda r: not r["in_scope"] and "stop using nitrous oxide" in r["scope_note"],
        PA,
    ),
    "scope-not-improved": (
        {**PA, "loading_response": "not_improved"},
        lambda r: not r["in_scope"] and "continue the injections" in r["scope_note"]
        and "folate, iron and thyroid" in r["scope_note"],
        PA,
    ),
    "oral-dietary": (
        DIETARY,
        lambda r: r["regimen"]["route"] == "oral" and r["regimen"]["dose_range_micrograms"] == [1000, 2000],
        {**DIETARY, "symptoms_recur_before_next_dose": True},
    ),
    "im-malabsorption": (
        patient(cause="ileal_resection", ileal_resection_cm=20),
        lambda r: interval(r) == 3 and r["regimen"]["interval_range"] == {"min": 2, "max": 3, "unit": "month"},
        patient(cause="ileal_resection", ileal_resection_cm=20.1),
    ),
    "im-ileal-resection": (
        patient(cause="ileal_resection", ileal_resection_cm=20.1),
        lambda r: interval(r) == 1 and r["regimen"]["lifelong"],
        patient(cause="ileal_resection", ileal_resection_cm=20),
    ),
    "neuro-dietary-im": (
        {**DIETARY, "neurological_symptoms": True},
        lambda r: r["regimen"]["route"] == "intramuscular",
        {**PA, "neurological_symptoms": True},
    ),
    "neuro-every-2-months": (
        {**PA, "neurological_symptoms": True},
        lambda r: interval(r) == 2,
        PA,
    ),
    "recurrence-oral-to-im": (
        {**PA, "symptoms_recur_before_next_dose": True, "current_regimen": "oral_daily"},
        lambda r: r["regimen"]["route"] == "intramuscular" and interval(r) == 3,
        {**DIETARY, **ON_INJECTIONS, "symptoms_recur_before_next_dose": True, "current_interval_months": 3},
    ),
    "recurrence-step-up": (
        {**PA, **ON_INJECTIONS, "symptoms_recur_before_next_dose": True, "current_interval_months": 3},
        lambda r: interval(r) == 2 and caution(r, "specialist-advice") is None,
        {**DIETARY, "symptoms_recur_before_next_dose": True},
    ),
    "never-lengthen": (
        {**DIETARY, **ON_INJECTIONS, "current_interval_months": 1},
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
        and "successful" not in r["findings"][0]["text"],
        PA,
    ),
    "homocysteine": (
        {**PA, "homocysteine_umol_l": 10},
        lambda r: "above the source's target" in r["findings"][0]["text"],
        PA,
    ),
    "b12-homocysteine-tests": (
        PA,
        lambda r: r["monitoring"][0]["interval"] == {"value": 3, "unit": "month"}
        and "before that day's injection" in r["monitoring"][0]["text"],
        {**PA, "loading_response": "not_improved"},
    ),
    "review-at-3-months": (
        PA,
        lambda r: r["monitoring"][1]["id"] == "review-at-3-months" and "3 months" in r["monitoring"][1]["text"],
        {**PA, "age_16_or_over": False},
    ),
    "symptom-review": (
        PA,
        lambda r: r["monitoring"][2]["id"] == "symptom-review",
        {**PA, "loading_response": "not_improved"},
    ),
    "injection-overdue": (
        {**PA, **ON_INJECTIONS, "current_interval_months": 3, **OVERDUE},
        lambda r: caution(r, "injection-overdue")["severity"] == "high" and r["schedule"][0]["date"] == "2026-12-02",
        {**PA, **ON_INJECTIONS, "current_interval_months": 3, "last_injection_date": "2026-10-01",
         "assessment_date": "2026-12-02"},
    ),
    "neurological-involvement": (
        {**PA, "neurological_symptoms": True},
        lambda r: caution(r, "neurological-involvement")["severity"] == "warning"
        and "alternate days" in caution(r, "neurological-involvement")["text"],
        PA,
    ),
    "lifelong-therapy": (
        PA,
        lambda r: caution(r, "lifelong-therapy")["severity"] == "high",
        DIETARY,
    ),
    "review-reversible-cause": (
        DIETARY,
        lambda r: caution(r, "review-reversible-cause")["severity"] == "warning"
        and caution(r, "lifelong-therapy") is None,
        PA,
    ),
    "off-licence-interval": (
        patient(cause="ileal_resection", ileal_resection_cm=50),
        lambda r: interval(r) == 1 and caution(r, "off-licence-interval")["severity"] == "warning",
        {**PA, "neurological_symptoms": True},
    ),
    "oral-alternative": (
        PA,
        lambda r: caution(r, "oral-alternative")["severity"] == "info" and "at least 1 mg a day" in
        caution(r, "oral-alternative")["text"],
        {**PA, "neurological_symptoms": True},
    ),
    "recurrence-other-causes": (
        {**PA, "symptoms_recur_before_next_dose": True},
        lambda r: "thyroid" in caution(r, "recurrence-other-causes")["text"],
        PA,
    ),
    "folic-acid": (
        {**PA, "folic_acid_planned": True},
        lambda r: caution(r, "folic-acid")["severity"] == "high" and "Once B12 replacement is established" in
        caution(r, "folic-acid")["text"],
        None,  # always fires
    ),
    "individualised-regimen": (
        PA,
        lambda r: caution(r, "individualised-regimen")["severity"] == "info",
        DIETARY,
    ),
    "specialist-advice": (
        {**PA, **ON_INJECTIONS, "symptoms_recur_before_next_dose": True, "current_interval_months": 1},
        lambda r: caution(r, "specialist-advice")["severity"] == "warning" and interval(r) == 1,
        {**PA, **ON_INJECTIONS, "symptoms_recur_before_next_dose": True, "current_interval_months": 2},
    ),
    "homocysteine-above-target": (
        {**PA, "homocysteine_umol_l": 10},
        lambda r: caution(r, "homocysteine-above-target")["severity"] == "warning" and interval(r) == 3,
        {**PA, "homocysteine_umol_l": 9.99},
    ),
}


def test_every_rule_has_a_test():
    assert set(RULE_CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule(rule_id):
    fires_on, outcome, silent_on = RULE_CASES[rule_id]
    result = run(fires_on)
    assert rule_id in fired(result)
    assert outcome(result)
    step = next(step for step in result["trace"] if step["rule"] == rule_id)
    assert step["basis"] == RULES[rule_id]["basis"]
    assert step["references"] == RULES[rule_id]["references"]
    assert step["evidence"] == RULES[rule_id]["evidence"]
    assert step["because"]
    if silent_on is not None:
        assert rule_id not in fired(run(silent_on))


def test_specialist_advice_is_high_when_the_loading_course_did_not_help():
    result = run({**PA, "loading_response": "not_improved"})
    assert caution(result, "specialist-advice")["severity"] == "high"
    assert "continue the injections" in caution(result, "specialist-advice")["text"]


def test_the_most_frequent_interval_wins():
    result = run(patient(cause="ileal_resection", ileal_resection_cm=50, neurological_symptoms=True,
                         current_interval_months=3))
    assert interval(result) == 1
    assert fired(result)[:3] == ["im-ileal-resection", "neuro-every-2-months", "never-lengthen"]


def test_injections_win_over_oral():
    assert run({**DIETARY, "neurological_symptoms": True})["regimen"]["route"] == "intramuscular"


def test_a_cause_outside_the_spec_cannot_get_a_regimen_by_accident():
    assert engine.evaluate(PATHWAY, {**PA, "cause": "vegan"})["ok"] is False


def test_the_because_of_each_rule_names_the_answers_that_made_it_fire():
    result = run(patient(cause="ileal_resection", ileal_resection_cm=21, neurological_symptoms=True))
    because = {step["rule"]: step["because"] for step in result["trace"]}
    assert because["im-ileal-resection"] == (
        "Cause of deficiency: Ileal resection; Length of ileum resected: 21 cm (more than 20 cm)")
    assert because["neuro-every-2-months"] == "neurological symptoms"
    assert because["off-licence-interval"] == "injections more often than every 2 months"


def test_findings_and_cautions_carry_their_rule_id_references_and_evidence():
    result = run({**PA, "serum_b12": 453, "serum_b12_unit": "pmol/L", "homocysteine_umol_l": 12,
                  "folic_acid_planned": True})
    for item in result["findings"] + result["monitoring"] + result["cautions"]:
        rule = RULES[item["id"]]
        assert item["references"] == rule["references"]
        assert item["evidence"] == rule["evidence"]
