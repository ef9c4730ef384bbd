"""Safety invariants checked over the whole discrete input space of the B12 maintenance pathway.

Every combination of the enums and booleans (each optional one also absent), with
representative numbers at and around every threshold, is evaluated; each result must
satisfy every invariant, and results that differ only in laboratory values must
recommend the same regimen.
"""

from __future__ import annotations

import itertools
from datetime import date

import engine

PATHWAY = "b12-maintenance"
ABSENT = object()
MALABSORPTION = ("pernicious_anaemia", "gastric_surgery", "other_malabsorption", "unknown", "ileal_resection")

CAUSES = [("dietary", ABSENT), ("pernicious_anaemia", ABSENT), ("gastric_surgery", ABSENT),
          ("other_malabsorption", ABSENT), ("unknown", ABSENT)]
CAUSES += [("ileal_resection", cm) for cm in (0.5, 20, 20.01, 21, 600)]
NEURO = (False, True)
LOADING = (ABSENT, "improved", "not_improved")
RECUR = (ABSENT, False, True)
CURRENT = (ABSENT, 1, 2, 3)
FOLIC = (ABSENT, False, True)
ANCHOR = (ABSENT, "2024-01-31")
B12 = (ABSENT, 50, 453, 20000)
B12_UNIT = ("pmol/L", "pg/mL", "ng/L")
HOMOCYSTEINE = (ABSENT, 5, 10, 500)

REFERENCE_KEYS = set(engine.references())
RULES = {rule["id"]: rule for pathway in engine.pathways() for rule in pathway["rules"]}


def _inputs(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not ABSENT}


def _patients():
    """Yield (patient without lab values, [inputs with each combination of lab values])."""
    for (cause, cm), neuro, loading, recur, current, folic, anchor in itertools.product(
        CAUSES, NEURO, LOADING, RECUR, CURRENT, FOLIC, ANCHOR
    ):
        patient = {
            "cause": cause,
            "ileal_resection_cm": cm,
            "neurological_symptoms": neuro,
            "loading_response": loading,
            "symptoms_recur_before_next_dose": recur,
            "current_interval_months": current,
            "folic_acid_planned": folic,
            "last_injection_date": anchor,
        }
        labs = [
            _inputs({**patient, "serum_b12": b12, "serum_b12_unit": unit, "homocysteine_umol_l": hcy})
            for b12, unit, hcy in itertools.product(B12, B12_UNIT, HOMOCYSTEINE)
        ]
        yield _inputs(patient), labs


def _check(inputs: dict, result: dict) -> None:
    assert result["ok"] is True, result
    regimen = result["regimen"]
    cautions = {caution["id"]: caution for caution in result["cautions"]}
    in_scope = result["in_scope"]
    interval = regimen["interval"] if regimen else None

    # Scope: only a loading course that did not help takes a patient out of the pathway.
    assert in_scope == (inputs.get("loading_response") != "not_improved")
    assert (regimen is not None) == in_scope
    assert in_scope or result["scope_note"]

    # Lifelong regimen => the lifelong caution (and the caution only then).
    assert ("lifelong-therapy" in cautions) == bool(regimen and regimen["lifelong"])
    if "lifelong-therapy" in cautions:
        assert cautions["lifelong-therapy"]["severity"] == "high"

    # Folic-acid caution always, high when folic acid is planned.
    assert cautions["folic-acid"]["severity"] == ("high" if inputs.get("folic_acid_planned") else "warning")

    if regimen is None:
        assert result["schedule"] == []
        return

    # The regimen is well formed, and the route and drug go together.
    assert regimen["route"] in ("oral", "intramuscular")
    if regimen["route"] == "oral":
        assert regimen["drug"] == "cyanocobalamin" and interval == {"value": 1, "unit": "day"}
        assert inputs["cause"] == "dietary" and not regimen["lifelong"]
    else:
        assert regimen["drug"] == "hydroxocobalamin" and interval["unit"] == "month"
        assert interval["value"] in (1, 2, 3) and regimen["lifelong"]
        assert "individualised-regimen" in cautions

    # Malabsorption causes are never treated by mouth.
    if inputs["cause"] in MALABSORPTION:
        assert regimen["route"] == "intramuscular"
    # Ileal resection of more than 20 cm => monthly.
    if inputs["cause"] == "ileal_resection" and inputs["ileal_resection_cm"] > 20:
        assert interval == {"value": 1, "unit": "month"}
    # Neurological symptoms => injections at most every 2 months.
    if inputs["neurological_symptoms"]:
        assert regimen["route"] == "intramuscular" and interval["value"] <= 2
    # Never longer than the current interval, never back to oral.
    current = inputs.get("current_interval_months")
    if current is not None:
        assert regimen["route"] == "intramuscular" and interval["value"] <= current
        # A recurrence on injections always shortens the interval, or asks for a specialist when monthly.
        if inputs.get("symptoms_recur_before_next_dose"):
            assert interval["value"] < current or (current == 1 and "specialist-advice" in cautions)

    # The schedule: anchored, ordered, each date after the last injection.
    anchor = inputs.get("last_injection_date")
    schedule = result["schedule"]
    if anchor is None:
        assert schedule == []
    else:
        dates = [event["date"] for event in schedule]
        assert dates == sorted(dates) and all(date.fromisoformat(day) > date.fromisoformat(anchor) for day in dates)
        injections = [event for event in schedule if event["event"] == "injection"]
        assert len(injections) == (6 if regimen["route"] == "intramuscular" else 0)

    # Traceability: every citation resolves, every trace entry is a rule with its own basis.
    cited = set(regimen["references"])
    for item in result["findings"] + result["monitoring"] + result["cautions"] + result["trace"]:
        cited |= set(item["references"]) | set(item["evidence"]["references"])
    assert cited <= REFERENCE_KEYS
    for step in result["trace"]:
        assert step["basis"] == RULES[step["rule"]]["basis"]


def test_invariants_hold_over_the_whole_input_space():
    evaluated = 0
    for patient, variants in _patients():
        regimens = set()
        for inputs in variants:
            result = engine.evaluate(PATHWAY, inputs)
            _check(inputs, result)
            # The route and interval never depend on serum B12 or homocysteine values.
            regimens.add(engine.canonical_json([result["regimen"], result["schedule"], result["in_scope"]]))
            evaluated += 1
        assert len(regimens) == 1, patient
    expected = 10 * 2 * 3 * 3 * 4 * 3 * 2 * (4 * 3 * 4)
    assert evaluated == expected
    print(f"{evaluated} combinations checked")
