"""Validation: every contract error code, every problem reported at once, bad input changes nothing."""

import pytest

import engine
from engine.fields import Field
from engine.pathways import PATHWAYS
from engine.validation import validate
from tests.pathways.b12_maintenance.patients import ANSWERED, patient

PATHWAY = "b12-maintenance"
BASE = patient(cause="unknown")


def errors(inputs, pathway=PATHWAY):
    result = engine.evaluate(pathway, inputs)
    assert result["ok"] is False
    return [(error["field"], error["code"], error["message"]) for error in result["errors"]]


def accepted(inputs):
    result = engine.evaluate(PATHWAY, inputs)
    assert result["ok"] is True, result.get("errors")
    return result["inputs"]


def test_required():
    assert [field for field, code, _ in errors({}) if code == "required"] == [
        "age_16_or_over", "pregnant_or_breastfeeding", "loading_response", "neurological_symptoms", "cause",
        "current_regimen", "symptoms_recur_before_next_dose"]
    assert errors({key: value for key, value in BASE.items() if key != "cause"}) == [
        ("cause", "required", "Cause of deficiency is required")]


def test_required_when_names_the_condition():
    assert errors(patient(cause="ileal_resection", neurological_symptoms=True)) == [
        ("ileal_resection_cm", "required", "Length of ileum resected is required when the cause is ileal resection")
    ]
    assert errors({**BASE, "serum_b12": 300}) == [
        ("serum_b12_unit", "required", "Serum B12 unit is required when a serum B12 value is given")]
    assert errors({**BASE, "current_regimen": "injections"}) == [
        ("current_interval_months", "required",
         "Current injection interval is required when the patient is on injections")]


def alone(field: str, value: object) -> dict[str, object]:
    """BASE with ``field`` set to ``value`` and what that field needs beside it (a unit, the regimen an interval
    belongs to), so that only the value itself is judged."""
    context = {"serum_b12_unit": "ng/L"} if field == "serum_b12" else {}
    if field == "current_interval_months":
        context = {"current_regimen": "injections"}
    return {**BASE, **context, field: value}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("neurological_symptoms", "yes", "Neurological symptoms must be true or false, not text 'yes'"),
        ("neurological_symptoms", 1, "Neurological symptoms must be true or false, not 1"),
        ("serum_b12", "abc", "Latest serum B12 must be a number, not text 'abc'"),
        ("serum_b12", True, "Latest serum B12 must be a number, not true"),
        ("serum_b12", [453], "Latest serum B12 must be a number, not a list"),
        ("serum_b12", float("nan"), "Latest serum B12 must be a finite number"),
        ("serum_b12", "1e3", "Latest serum B12 must be a number, not text '1e3'"),
        ("serum_b12", "453,5", "Latest serum B12 must use a decimal point, not a comma"),
        ("current_interval_months", 2.5, "Current injection interval must be a whole number, not 2.5"),
        ("cause", 3, "Cause of deficiency must be one of the listed choices, not 3"),
        ("last_injection_date", "31/01/2025", "Date of the last injection must be a date written YYYY-MM-DD, "
                                              "not text '31/01/2025'"),
        ("last_injection_date", "2025-02-29", "Date of the last injection: 2025-02-29 is not a real calendar date"),
        ("homocysteine_umol_l", {"value": 5}, "Latest total homocysteine must be a number, not an object"),
    ],
)
def test_type(field, value, message):
    assert errors(alone(field, value)) == [(field, "type", message)]


def test_choice():
    (error,) = errors({**BASE, "serum_b12": 300, "serum_b12_unit": "mg/dL"})
    assert error[:2] == ("serum_b12_unit", "choice")
    assert "ng/L, pmol/L, pg/mL" in error[2] and "'mg/dL'" in error[2]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("current_interval_months", 0, "Current injection interval must be at least 1 and at most 3 months"),
        ("current_interval_months", 4, "Current injection interval must be at least 1 and at most 3 months"),
        ("serum_b12", 0, "Latest serum B12 must be more than 0 and at most 20000"),
        ("serum_b12", 20000.5, "Latest serum B12 must be more than 0 and at most 20000"),
        ("serum_b12", 10**400, "Latest serum B12 must be more than 0 and at most 20000"),
        ("homocysteine_umol_l", -1, "Latest total homocysteine must be more than 0 and at most 500 µmol/L"),
        ("last_injection_date", "1899-12-31", "Date of the last injection must be between 1900-01-01 and 2199-12-31"),
    ],
)
def test_range(field, value, message):
    assert errors(alone(field, value)) == [(field, "range", message)]


def test_range_bounds_are_inclusive_where_the_spec_says_so():
    values = accepted(patient(cause="unknown", serum_b12=20000, serum_b12_unit="ng/L", current_interval_months=3))
    assert values["serum_b12"] == 20000
    assert accepted(patient(cause="ileal_resection", ileal_resection_cm=600))


def test_unknown_field():
    assert errors({**BASE, "weight_kg": 70, "Cause": "x"}) == [
        ("Cause", "unknown-field", "Unknown field 'Cause': this pathway has no such input"),
        ("weight_kg", "unknown-field", "Unknown field 'weight_kg': this pathway has no such input"),
    ]


def test_unknown_pathway():
    assert errors(BASE, pathway="b12-care") == [
        (None, "unknown-pathway", f"Unknown pathway 'b12-care'; known pathways: {', '.join(PATHWAYS)}")
    ]
    assert errors(BASE, pathway=None)[0][1] == "unknown-pathway"


def test_every_problem_is_reported_at_once_in_form_order():
    found = errors({**ANSWERED, "current_regimen": "none", "cause": "x", "neurological_symptoms": "x",
                    "serum_b12": -1, "last_injection_date": "x", "z": 1})
    assert [(field, code) for field, code, _ in found] == [
        ("z", "unknown-field"),
        ("neurological_symptoms", "type"),
        ("cause", "choice"),
        ("last_injection_date", "type"),
        ("serum_b12", "range"),
    ]


def test_input_that_is_not_an_object():
    assert errors([1, 2]) == [(None, "type", "The input must be an object of field values, not a list")]
    assert errors("text")[0][1] == "type"


def test_blank_values_mean_not_given_and_defaults_apply():
    values = accepted({**BASE, "serum_b12": "  ", "serum_b12_unit": "", "homocysteine_umol_l": None,
                       "assessment_date": ""})
    assert values == {**BASE, "folic_acid_planned": False}


def test_numbers_typed_as_text_are_read_as_numbers():
    values = accepted(patient(cause="unknown", serum_b12=" 453.5 ", serum_b12_unit="pmol/L",
                              current_interval_months="2", homocysteine_umol_l=".5"))
    assert (values["serum_b12"], values["current_interval_months"], values["homocysteine_umol_l"]) == (453.5, 2, 0.5)
    assert accepted(patient(cause="unknown", current_interval_months=2.0))["current_interval_months"] == 2


def test_a_field_that_does_not_apply_is_ignored_not_judged():
    result = engine.evaluate(PATHWAY, {**BASE, "ileal_resection_cm": "not a number", "serum_b12_unit": "x",
                                       "current_interval_months": 9})
    assert result["ok"] is True
    assert result["ignored_inputs"] == ["ileal_resection_cm", "current_interval_months", "serum_b12_unit"]
    assert not {"ileal_resection_cm", "serum_b12_unit", "current_interval_months"} & set(result["inputs"])


def test_a_dependent_field_is_still_judged_when_its_condition_cannot_be_decided():
    # The cause is invalid, so it is unknown whether the length applies: a bad length is still reported.
    assert [code for _, code, _ in errors({**BASE, "cause": "x", "ileal_resection_cm": -5})] == ["choice", "range"]
    # The same for a unit whose value is given but invalid: the unit is still judged.
    assert [code for _, code, _ in errors({**BASE, "serum_b12": "x", "serum_b12_unit": "mg"})] == ["type", "choice"]


def test_long_and_odd_values_are_described_briefly():
    (error,) = errors({**BASE, "serum_b12": "<script>" + "x" * 500})
    assert len(error[2]) < 120 and "…" in error[2]
    (error,) = errors({**BASE, "neurological_symptoms": 10**5000})
    assert error[2] == "Neurological symptoms must be true or false, not a very large number"


def test_validate_is_independent_of_any_pathway():
    fields = (Field(key="n", label="N", type="integer", required=True, min=1, max=2),)
    checked = validate(fields, {"n": "3"})
    assert [error.to_dict() for error in checked.errors] == [
        {"field": "n", "code": "range", "message": "N must be at least 1 and at most 2"}
    ]
    assert validate(fields, {"n": 2}).values == {"n": 2}
