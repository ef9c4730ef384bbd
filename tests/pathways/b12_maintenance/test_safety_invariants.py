"""Safety invariants of the B12 maintenance pathway, checked over its whole enumerated input space.

The engine derives the pathway's input classes from its rules' conditions (engine.space): each choice,
each yes/no, each side of every threshold, given and not given. Every class is evaluated through its
representative and a random member, each also with a last injection date (for the schedule); every result
must satisfy every invariant, and classes that differ only in laboratory values must recommend the same
regimen.
"""

from __future__ import annotations

import random
from datetime import date

import engine
from engine.pathways import PATHWAYS
from engine.space import input_space

PATHWAY = "b12-maintenance"
MALABSORPTION = ("pernicious_anaemia", "gastric_surgery", "other_malabsorption", "unknown", "ileal_resection")
ANCHORS = ("2024-01-31", "2023-12-31")
LAB_FIELDS = ("serum_b12", "homocysteine_umol_l")

REFERENCE_KEYS = set(engine.references())
RULES = {rule["id"]: rule for pathway in engine.pathways() for rule in pathway["rules"]}
SPACE = input_space(PATHWAYS[PATHWAY])


def variants(key, rng):
    """The class's representative and a random member, each without and with a last injection date."""
    for inputs in (SPACE.inputs(key), SPACE.inputs(key, rng)):
        yield inputs
        yield {**inputs, "last_injection_date": rng.choice(ANCHORS)}


def _without_labs(key):
    """The class with its laboratory values left out (they are in groups of their own)."""
    return tuple(part for group, part in zip(SPACE.groups, key, strict=True)
                 if not {spec.key for dimension in group.dimensions for spec in dimension.fields} & set(LAB_FIELDS))


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
    rng = random.Random(20261202)
    regimens: dict[tuple, set[str]] = {}
    evaluated = 0
    for key in SPACE.class_keys():
        for inputs in variants(key, rng):
            result = engine.evaluate(PATHWAY, inputs)
            _check(inputs, result)
            if "last_injection_date" not in inputs:
                # The route and interval never depend on serum B12 or homocysteine values.
                regimens.setdefault(_without_labs(key), set()).add(
                    engine.canonical_json([result["regimen"], result["in_scope"]]))
            evaluated += 1
    assert evaluated == 4 * SPACE.size()
    different = {patient: answers for patient, answers in regimens.items() if len(answers) > 1}
    assert different == {}
    print(f"{SPACE.size()} classes, {evaluated} evaluations checked")


def test_the_space_covers_both_sides_of_the_ileal_threshold_and_every_cause():
    (cm,) = [dimension for dimension in SPACE.dimensions() if dimension.key == "ileal_resection_cm"]
    assert [item.label for item in cm.classes] == ["more than 0 and not more than 20 cm",
                                                    "more than 20 and not more than 600 cm"]
    (cause,) = [dimension for dimension in SPACE.dimensions() if dimension.key == "cause"]
    assert {item.value for item in cause.classes} == {"dietary", *MALABSORPTION}
