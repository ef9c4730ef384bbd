"""One test per rule: it fires on the case it is for, with the outcome it promises, and not on others."""

from __future__ import annotations

import pytest

import engine

PATHWAY = "b12-maintenance"
RULES = {rule["id"]: rule for rule in engine.pathways()[0]["rules"]}
PA = {"cause": "pernicious_anaemia", "neurological_symptoms": False}
DIETARY = {"cause": "dietary", "neurological_symptoms": False}


def run(**inputs):
    result = engine.evaluate(PATHWAY, inputs)
    assert result["ok"], result
    return result


def fired(result) -> list[str]:
    return [step["rule"] for step in result["trace"]]


def interval(result):
    return result["regimen"]["interval"]["value"]


def caution(result, caution_id):
    return next((item for item in result["cautions"] if item["id"] == caution_id), None)


# rule id -> (inputs where it fires, check of the outcome, inputs where it does not fire)
RULE_CASES = {
    "scope-not-improved": (
        {**PA, "loading_response": "not_improved"},
        lambda r: not r["in_scope"] and r["regimen"] is None and "Do not stop" in r["scope_note"],
        PA,
    ),
    "oral-dietary": (
        DIETARY,
        lambda r: r["regimen"]["route"] == "oral" and r["regimen"]["dose_range_micrograms"] == [1000, 2000],
        {**DIETARY, "symptoms_recur_before_next_dose": True},
    ),
    "im-malabsorption": (
        {"cause": "ileal_resection", "ileal_resection_cm": 20, "neurological_symptoms": False},
        lambda r: interval(r) == 3 and r["regimen"]["interval_range"] == {"min": 2, "max": 3, "unit": "month"},
        {"cause": "ileal_resection", "ileal_resection_cm": 20.1, "neurological_symptoms": False},
    ),
    "im-ileal-resection": (
        {"cause": "ileal_resection", "ileal_resection_cm": 20.1, "neurological_symptoms": False},
        lambda r: interval(r) == 1 and r["regimen"]["lifelong"],
        {"cause": "ileal_resection", "ileal_resection_cm": 20, "neurological_symptoms": False},
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
        {**DIETARY, "symptoms_recur_before_next_dose": True},
        lambda r: r["regimen"]["route"] == "intramuscular" and interval(r) == 3,
        {**DIETARY, "symptoms_recur_before_next_dose": True, "current_interval_months": 3},
    ),
    "recurrence-step-up": (
        {**PA, "symptoms_recur_before_next_dose": True, "current_interval_months": 3},
        lambda r: interval(r) == 2 and caution(r, "specialist-advice") is None,
        {**DIETARY, "symptoms_recur_before_next_dose": True},
    ),
    "never-lengthen": (
        {**DIETARY, "current_interval_months": 1},
        lambda r: r["regimen"]["route"] == "intramuscular" and interval(r) == 1,
        DIETARY,
    ),
    "no-level-driven-frequency": (
        {**PA, "serum_b12": 90, "homocysteine_umol_l": 40},
        lambda r: interval(r) == 3,
        {**PA, "loading_response": "not_improved"},
    ),
    "serum-b12": (
        {**PA, "serum_b12": 453},
        lambda r: "consistent with successful initial treatment" in r["findings"][0]["text"],
        PA,
    ),
    "homocysteine": (
        {**PA, "homocysteine_umol_l": 10},
        lambda r: "above the source's target" in r["findings"][0]["text"],
        PA,
    ),
    "b12-homocysteine-tests": (
        PA,
        lambda r: r["monitoring"][0]["interval"] == {"value": 3, "unit": "month"},
        {**PA, "loading_response": "not_improved"},
    ),
    "symptom-review": (
        PA,
        lambda r: r["monitoring"][1]["id"] == "symptom-review",
        {**PA, "loading_response": "not_improved"},
    ),
    "lifelong-therapy": (
        PA,
        lambda r: caution(r, "lifelong-therapy")["severity"] == "high",
        DIETARY,
    ),
    "folic-acid": (
        {**PA, "folic_acid_planned": True},
        lambda r: caution(r, "folic-acid")["severity"] == "high",
        None,  # always fires
    ),
    "individualised-regimen": (
        PA,
        lambda r: caution(r, "individualised-regimen")["severity"] == "info",
        DIETARY,
    ),
    "specialist-advice": (
        {**PA, "symptoms_recur_before_next_dose": True, "current_interval_months": 1},
        lambda r: caution(r, "specialist-advice")["severity"] == "warning" and interval(r) == 1,
        {**PA, "symptoms_recur_before_next_dose": True, "current_interval_months": 2},
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
    result = run(**fires_on)
    assert rule_id in fired(result)
    assert outcome(result)
    step = next(step for step in result["trace"] if step["rule"] == rule_id)
    assert step["basis"] == RULES[rule_id]["basis"]
    assert step["references"] == RULES[rule_id]["references"]
    assert step["evidence"] == RULES[rule_id]["evidence"]
    assert step["because"]
    if silent_on is not None:
        assert rule_id not in fired(run(**silent_on))


def test_the_most_frequent_interval_wins():
    result = run(cause="ileal_resection", ileal_resection_cm=50, neurological_symptoms=True, current_interval_months=3)
    assert interval(result) == 1
    assert fired(result)[:3] == ["im-ileal-resection", "neuro-every-2-months", "never-lengthen"]


def test_injections_win_over_oral():
    assert run(cause="dietary", neurological_symptoms=True)["regimen"]["route"] == "intramuscular"


def test_a_cause_outside_the_spec_cannot_get_a_regimen_by_accident():
    assert engine.evaluate(PATHWAY, {"cause": "vegan", "neurological_symptoms": False})["ok"] is False


def test_findings_and_cautions_carry_their_rule_id_references_and_evidence():
    result = run(**PA, serum_b12=453, homocysteine_umol_l=12, folic_acid_planned=True)
    for item in result["findings"] + result["monitoring"] + result["cautions"]:
        rule = RULES[item["id"]]
        assert item["references"] == rule["references"]
        assert item["evidence"] == rule["evidence"]
