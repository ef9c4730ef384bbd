"""The second clinical review (shared/clinical-review-2.md), one test per problem it found: each failed on the
engine it reviewed (maintenance 2.0.0). Primary guidance decides; the source is shown beside the answer."""

from __future__ import annotations

import pytest

import engine
from tests.pathways.b12_maintenance.patients import cautions, interval, patient, run

PATHWAY = "b12-maintenance"
AG = "pernicious_anaemia"


@pytest.mark.parametrize("current", [{}, {"current_interval_months": 3}, {"current_interval_months": 2},
                                     {"current_interval_months": 1}, {"current_regimen": "oral_daily"}])
def test_1_neurological_relapse_on_any_regimen_restarts_alternate_days_with_urgent_advice(current):
    result = run(patient(cause=AG, neurological_symptoms=True, symptoms_recur_before_next_dose=True, **current))
    regimen = result["regimen"]
    assert regimen["route"] == "intramuscular"
    assert regimen["initial"] == {"every_days": 2, "until": "no further improvement"}
    assert interval(result) == min(2, current.get("current_interval_months", 2))  # never lengthened
    advice = cautions(result)["specialist-advice"]
    assert advice["severity"] == "high" and "urgent" in advice["text"]
    # The dated schedule starts the alternate days on the assessment date.
    dated = run(patient(cause=AG, neurological_symptoms=True, symptoms_recur_before_next_dose=True,
                        last_injection_date="2026-10-01", assessment_date="2026-11-02", **current))
    injections = [event["date"] for event in dated["schedule"] if event["event"] == "injection"]
    assert injections[:3] == ["2026-11-02", "2026-11-04", "2026-11-06"]


def test_2_a_last_injection_after_the_assessment_is_refused_naming_both_dates():
    result = engine.evaluate(PATHWAY, patient(cause=AG, last_injection_date="2026-10-01",
                                              assessment_date="2026-01-05"))
    assert result["ok"] is False
    (error,) = result["errors"]
    assert error["field"] == "last_injection_date" and error["code"] == "range"
    assert "2026-10-01" in error["message"] and "2026-01-05" in error["message"]
    # The same day is allowed, and the assessment date is needed to date anything.
    assert run(patient(cause=AG, last_injection_date="2026-01-05", assessment_date="2026-01-05"))["ok"]
    missing = engine.evaluate(PATHWAY, patient(cause=AG, last_injection_date="2026-01-05"))
    assert [error["field"] for error in missing["errors"]] == ["assessment_date"]


def test_2_overdue_is_graded_from_days_to_months():
    on_3 = dict(cause=AG, current_interval_months=3, last_injection_date="2026-08-31")
    assert "injection-overdue" not in cautions(run(patient(**on_3, assessment_date="2026-11-30")))
    late = cautions(run(patient(**on_3, assessment_date="2026-12-01")))["injection-overdue"]
    assert late["severity"] == "warning" and "days or weeks" in late["text"]
    lapsed = cautions(run(patient(**on_3, assessment_date="2028-12-01")))["injection-overdue"]
    assert lapsed["severity"] == "high" and "new loading course" in lapsed["text"]


def test_3_ileal_resection_follows_the_licence_with_the_sources_monthly_interval_shown_as_differs():
    result = run(patient(cause="ileal_resection", ileal_resection_cm=40))
    assert interval(result) == 3 and result["regimen"]["interval_range"]["min"] == 2
    statement = cautions(result)["source-ileal-monthly"]
    assert statement["severity"] == "info" and statement["evidence"]["status"] == "differs"
    assert "off-licence-interval" not in cautions(result)
    assert interval(run(patient(cause="ileal_resection", ileal_resection_cm=40, neurological_symptoms=True))) == 2


def test_3_overdue_is_judged_against_the_regimen_actually_given():
    # Stable on 3-monthly injections, 6 weeks after a dose: not overdue, next dose 3 months after the last.
    result = run(patient(cause="ileal_resection", ileal_resection_cm=40, current_interval_months=3,
                         last_injection_date="2026-10-20", assessment_date="2026-12-01"))
    assert interval(result) == 3 and "injection-overdue" not in cautions(result)
    assert result["schedule"][0] == {"date": "2027-01-20", "event": "injection",
                                     "text": "Hydroxocobalamin 1 mg intramuscularly (injection 1 of the next 6)"}


def test_4_escalation_stops_at_the_licence():
    assert interval(run(patient(cause=AG, current_interval_months=3, symptoms_recur_before_next_dose=True))) == 2
    on_2 = run(patient(cause="other_malabsorption", current_interval_months=2, symptoms_recur_before_next_dose=True))
    assert interval(on_2) == 2 and "off-licence-interval" not in cautions(on_2)
    advice = cautions(on_2)["specialist-advice"]["text"]
    assert all(check in advice for check in ("adherence", "iron", "folate", "thyroid", "coeliac disease"))
    on_1 = run(patient(cause=AG, current_interval_months=1, symptoms_recur_before_next_dose=True))
    assert interval(on_1) == 1 and "off-licence-interval" in cautions(on_1)
    assert "despite monthly injections" in cautions(on_1)["specialist-advice"]["text"]
    # "Despite monthly injections" only for a patient who is on them.
    just_loaded = run(patient(cause="ileal_resection", ileal_resection_cm=40, symptoms_recur_before_next_dose=True))
    assert interval(just_loaded) == 2
    assert "monthly" not in cautions(just_loaded).get("specialist-advice", {"text": ""})["text"]
    for months in (1, 2, 3):
        for cause in ("pernicious_anaemia", "ileal_resection", "unknown"):
            result = run(patient(cause=cause, ileal_resection_cm=50, current_interval_months=months,
                                 symptoms_recur_before_next_dose=True))
            assert interval(result) >= min(2, months)  # never monthly unless already monthly


@pytest.mark.parametrize("cause", ["pernicious_anaemia", "unknown", "gastric_surgery", "ileal_resection"])
def test_5_stable_on_oral_treatment_stays_on_it(cause):
    result = run(patient(cause=cause, ileal_resection_cm=10, current_regimen="oral_daily"))
    regimen = result["regimen"]
    assert regimen["route"] == "oral" and regimen["drug"] == "cyanocobalamin"
    assert regimen["dose_micrograms"] == 1000 and regimen["lifelong"] is True
    assert "route-change" not in cautions(result)


def test_5_a_reason_moves_a_patient_to_injections_and_the_answer_names_it():
    recurred = run(patient(cause=AG, current_regimen="oral_daily", symptoms_recur_before_next_dose=True))
    assert recurred["regimen"]["route"] == "intramuscular"
    assert "symptoms have returned on tablets" in cautions(recurred)["route-change"]["text"]
    neuro = run(patient(cause=AG, current_regimen="oral_daily", neurological_symptoms=True))
    assert "neurological involvement" in cautions(neuro)["route-change"]["text"]


def test_5_medicine_induced_deficiency_is_treated_by_mouth_while_the_medicine_continues():
    result = run(patient(cause="medicines"))
    assert result["regimen"]["route"] == "oral" and not result["regimen"]["lifelong"]
    assert "nice-ng239-bmj" in result["trace"][[s["rule"] for s in result["trace"]].index("oral-medicines")][
        "evidence"]["references"]
    assert "medicine-induced" in cautions(result)["route-change"]["text"]
    # Already on injections: kept (never a silent change of route).
    assert run(patient(cause="medicines", current_interval_months=3))["regimen"]["route"] == "intramuscular"


def test_6_no_routine_blood_tests_and_the_wording_fits_the_route():
    for inputs in (patient(cause=AG), patient(cause="dietary"), patient(cause=AG, current_regimen="oral_daily")):
        result = run({**inputs, "last_injection_date": "2026-10-01", "assessment_date": "2026-11-01"})
        assert all(event["event"] != "blood-test" for event in result["schedule"])
        assert "b12-homocysteine-tests" not in {item["id"] for item in result["monitoring"]}
        assert cautions(result)["source-blood-tests"]["evidence"]["status"] == "differs"
        if result["regimen"]["route"] == "oral":
            assert "day's injection" not in " ".join(item["text"] for item in result["monitoring"])


def test_7_homocysteine_has_no_target_and_is_graded():
    normal = run(patient(cause=AG, homocysteine_umol_l=14))
    assert "homocysteine-above-target" not in cautions(normal)
    assert "target" not in normal["findings"][0]["text"]
    marked = cautions(run(patient(cause=AG, homocysteine_umol_l=100)))["homocysteine-above-target"]
    assert all(cause in marked["text"] for cause in ("folate", "renal function", "nitrous oxide", "sample"))
    implausible = cautions(run(patient(cause=AG, homocysteine_umol_l=500)))["homocysteine-above-target"]
    assert implausible["severity"] == "warning" and "check the value" in implausible["text"]


def test_8_an_unknown_cause_is_possibly_irreversible_and_looked_for():
    result = cautions(run(patient(cause="unknown")))
    assert "cannot be corrected" not in result["lifelong-therapy"]["text"]
    assert "possibly irreversible" in result["lifelong-therapy"]["text"]
    assert "intrinsic factor antibodies" in result["find-the-cause"]["text"]


def test_8_autoimmune_gastritis_gets_gastric_cancer_awareness():
    assert "gastric cancer" in cautions(run(patient(cause=AG)))["gastric-cancer-awareness"]["text"]


def test_10_and_15_out_of_scope_results_carry_no_maintenance_wording():
    for inputs in (patient(cause="nitrous_oxide", neurological_symptoms=True),
                   patient(cause=AG, age_16_or_over=False, neurological_symptoms=True,
                           symptoms_recur_before_next_dose=True)):
        result = run(inputs)
        assert not result["in_scope"]
        words = " ".join(item["text"] for item in result["cautions"])
        assert "every 2 months" not in words and "maintenance" not in words.lower()
    nitrous = run(patient(cause="nitrous_oxide"))["scope_note"]
    assert "Continue vitamin B12 replacement" in nitrous and "stop using nitrous oxide" in nitrous


def test_11_up_to_50_percent_is_the_sources_unsourced_claim():
    result = run(patient(cause=AG))
    assert "50%" not in " ".join(item["text"] for item in result["cautions"])
    (pathway,) = [p for p in engine.pathways() if p["id"] == PATHWAY]
    statement = {s["id"]: s for s in pathway["statements"]}["individualised-regimen"]
    assert statement["evidence"]["status"] == "unsourced" and "50%" in statement["statement"]


@pytest.mark.parametrize(("value", "unit", "shown", "below"), [
    (258, "pmol/L", "Serum B12 350 ng/L", False),  # 349.6 ng/L is shown as 350: not "below 350"
    (257, "pmol/L", "Serum B12 348 ng/L", True),
    (349.4, "ng/L", "Serum B12 349 ng/L", True),
])
def test_11_a_serum_value_and_its_threshold_never_contradict_after_rounding(value, unit, shown, below):
    text = run(patient(cause=AG, serum_b12=value, serum_b12_unit=unit))["findings"][0]["text"]
    assert text.startswith(shown)
    assert ("below 350 ng/L" in text) == below


@pytest.mark.parametrize(("value", "flagged"), [(0.5, True), (49, True), (50, False), (2000, False), (2001, True),
                                                (9999, True)])
def test_11_implausible_serum_values_are_flagged_with_the_texts_own_limits(value, flagged):
    text = run(patient(cause=AG, serum_b12=value, serum_b12_unit="ng/L"))["findings"][0]["text"]
    assert ("check the number and its unit" in text) == flagged
    assert "= 0 pmol/L" not in text


def test_11_and_14_the_review_is_three_months_after_starting_treatment_and_never_in_the_past():
    result = run(patient(cause="dietary", last_injection_date="2026-01-01", assessment_date="2026-12-01"))
    assert all(event["date"] >= "2026-12-01" for event in result["schedule"])
    (review,) = [event for event in result["schedule"] if event["event"] == "review"]
    assert review["date"] == "2026-12-01" and "now" in review["text"]
    assert "after the last injection" not in review["text"]
    fresh = run(patient(cause=AG, last_injection_date="2026-11-20", assessment_date="2026-11-25"))
    (review,) = [event for event in fresh["schedule"] if event["event"] == "review"]
    assert review["date"] == "2027-02-20" and "3 months after starting treatment" in review["text"]


def test_14_a_shorter_interval_already_reached_is_dated_now_and_says_so():
    result = run(patient(cause=AG, current_interval_months=3, neurological_symptoms=True,
                         last_injection_date="2026-09-15", assessment_date="2026-12-01"))
    assert interval(result) == 2
    first = result["schedule"][0]
    assert first["date"] == "2026-12-01" and "due now" in first["text"]


def test_16_the_evidence_notes_name_the_oral_licence_for_nutritional_deficiency():
    (pathway,) = [p for p in engine.pathways() if p["id"] == PATHWAY]
    rules = {rule["id"]: rule for rule in pathway["rules"]}
    assert "licensed for nutritional deficiency at 1 mg a day" in rules["oral-dietary"]["evidence"]["note"]
    statements = {s["id"]: s for s in pathway["statements"]}
    assert "weekly until the blood count is normal" in statements["loading-course"]["evidence"]["note"]
