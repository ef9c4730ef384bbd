"""The independent review of the revised engine (maintenance 3.0.0): one test per problem it found, each failing
on the engine it reviewed."""

from __future__ import annotations

import json

import pytest

import engine
from tests.pathways.b12_maintenance.patients import cautions, patient, run

PATHWAY = "b12-maintenance"
AG = "pernicious_anaemia"


@pytest.mark.parametrize("cause", [AG, "dietary", "medicines"])
def test_1_a_relapse_on_tablets_gets_its_first_injection_now_and_keeps_the_tablets_until_then(cause):
    result = run(patient(cause=cause, current_regimen="oral_daily", symptoms_recur_before_next_dose=True,
                         last_injection_date="2026-10-20", assessment_date="2026-12-03"))
    first = result["schedule"][0]
    assert result["regimen"]["route"] == "intramuscular"
    assert first["date"] == "2026-12-03" and "give it now" in first["text"] and "continue the tablets" in first["text"]


def test_1_a_recurrence_on_injections_gives_the_next_injection_now():
    result = run(patient(cause=AG, current_interval_months=3, symptoms_recur_before_next_dose=True,
                         last_injection_date="2026-11-01", assessment_date="2026-12-03"))
    assert result["schedule"][0]["date"] == "2026-12-03" and "symptoms have returned" in result["schedule"][0]["text"]


@pytest.mark.parametrize("repeated", ['"current_interval_months":1,"current_interval_months":3',
                                      '"neurological_symptoms":true,"neurological_symptoms":false'])
def test_2_an_answer_given_twice_is_refused(repeated):
    text = ('{"age_16_or_over":true,"pregnant_or_breastfeeding":false,"loading_response":"improved",'
            '"cause":"pernicious_anaemia","current_regimen":"injections","symptoms_recur_before_next_dose":false,'
            + repeated + "}")
    result = json.loads(engine.evaluate_json(PATHWAY, text))
    assert result["ok"] is False
    (error,) = result["errors"]
    assert error["code"] == "type" and "more than once" in error["message"]


def test_4_nitrous_oxide_with_neurological_symptoms_says_injections_not_tablets():
    note = run(patient(cause="nitrous_oxide", neurological_symptoms=True))["scope_note"]
    assert "by injection (not tablets" in note and "urgent" in note
    assert "injections or tablets" in run(patient(cause="nitrous_oxide"))["scope_note"]


@pytest.mark.parametrize("cause", [AG, "dietary", "medicines", "coeliac_disease", "unknown"])
def test_5_a_recurrence_straight_after_loading_gets_the_same_step_whatever_the_cause(cause):
    result = run(patient(cause=cause, symptoms_recur_before_next_dose=True))
    assert result["regimen"]["interval"]["value"] == 2
    assert "recurrence-oral-to-im" not in [step["rule"] for step in result["trace"]]


def test_6_a_recurrence_is_neurological_only_when_the_answer_says_so():
    other = run(patient(cause=AG, neurological_symptoms=True, current_interval_months=2,
                        symptoms_recur_before_next_dose=True, recurrence_neurological=False))
    assert "initial" not in other["regimen"] and other["regimen"]["interval"]["value"] == 2
    advice = cautions(other)["specialist-advice"]
    assert advice["severity"] == "warning" and "Neurological symptoms have returned" not in advice["text"]
    relapse = run(patient(cause=AG, neurological_symptoms=True, current_interval_months=2,
                          symptoms_recur_before_next_dose=True, recurrence_neurological=True))
    assert "initial" in relapse["regimen"] and cautions(relapse)["specialist-advice"]["severity"] == "high"
    # Not assumed: with a recurrence the question must be answered.
    unanswered = engine.evaluate(PATHWAY, {**patient(cause=AG, symptoms_recur_before_next_dose=True),
                                           "recurrence_neurological": None})
    assert [error["field"] for error in unanswered["errors"]] == ["recurrence_neurological"]


@pytest.mark.parametrize("scope", [{"age_16_or_over": False}, {"pregnant_or_breastfeeding": True}])
def test_7_out_of_scope_with_neurological_involvement_asks_for_urgent_advice(scope):
    result = run({**patient(cause=AG, neurological_symptoms=True, symptoms_recur_before_next_dose=True), **scope})
    assert cautions(result)["urgent-neurological-advice"]["severity"] == "high"
    assert "recurrence-other-causes" not in cautions(result)


def test_7_no_response_while_on_tablets_is_not_told_to_continue_injections():
    note = run(patient(cause="dietary", loading_response="not_improved", current_regimen="oral_daily"))["scope_note"]
    assert "continue the injections" not in note and "continue B12 treatment by injection" in note


def test_8_loading_long_ago_and_no_treatment_since_is_flagged():
    result = run(patient(cause="dietary", last_injection_date="2020-06-01", assessment_date="2026-12-03"))
    assert cautions(result)["treatment-gap"]["severity"] == "warning"
    assert "treatment-gap" not in cautions(run(patient(cause="dietary", last_injection_date="2026-10-01",
                                                       assessment_date="2026-12-03")))


def test_10_a_tiny_accepted_value_is_never_shown_as_zero():
    text = run(patient(cause=AG, serum_b12=0.001, serum_b12_unit="pmol/L"))["findings"][0]["text"]
    assert " 0 ng/L" not in text and "= 0 pmol/L" not in text


def test_10_a_low_level_on_tablets_prompts_a_look_at_absorption():
    text = run(patient(cause="dietary", current_regimen="oral_daily", serum_b12=100,
                       serum_b12_unit="ng/L"))["findings"][0]["text"]
    assert "intrinsic factor antibodies" in text
    on_injections = run(patient(cause=AG, serum_b12=100, serum_b12_unit="ng/L"))["findings"][0]["text"]
    assert "intrinsic factor antibodies" not in on_injections
