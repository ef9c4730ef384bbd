"""Safety invariants of the B12 maintenance pathway, checked over its whole enumerated input space.

The engine derives the pathway's input classes from its rules' conditions (engine.partition): each choice, each
yes/no, each side of every threshold, given and not given, and the span from the last injection to the
assessment. Every class of the core group (scope, regimen, monitoring and what depends on them) is evaluated
through its representative and through a random member with random answers to the other groups (laboratory
values, folic acid); every result must satisfy every invariant, and the regimen never depends on laboratory
values.
"""

from __future__ import annotations

import random
from datetime import date

import engine
from engine.dates import add_months
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.input_classes import group_size, random_member, size

PATHWAY = "b12-maintenance"
MALABSORPTION = ("pernicious_anaemia", "gastric_surgery", "bariatric_surgery", "other_malabsorption", "unknown",
                 "ileal_resection", "coeliac_disease", "medicines")
REVERSIBLE = ("dietary", "medicines", "coeliac_disease")

REFERENCE_KEYS = set(engine.references())
RULES = {rule["id"]: rule for pathway in engine.pathways() if pathway["id"] == PATHWAY for rule in pathway["rules"]}
SPACE = input_space(PATHWAYS[PATHWAY])
CORE = SPACE.groups[0]
OTHER_KEYS = [list(group.class_keys()) for group in SPACE.groups[1:]]


def variants(part, rng):
    """A core class's representative (other groups at their first class), then a random member with random
    answers to the other groups."""
    yield SPACE.group_inputs(0, part)
    others = tuple(rng.choice(keys) for keys in OTHER_KEYS)
    yield random_member(SPACE, (part, *others), rng)


def _check(inputs: dict, result: dict) -> None:
    assert result["ok"] is True, result
    regimen = result["regimen"]
    cautions = {caution["id"]: caution for caution in result["cautions"]}
    in_scope = result["in_scope"]
    interval = regimen["interval"] if regimen else None

    # Scope: nothing is assumed, and under 16, pregnancy or breastfeeding, nitrous oxide or no response to
    # the loading course take a patient out of the pathway (with a note saying what to do instead).
    expected_in_scope = (inputs["age_16_or_over"] and not inputs["pregnant_or_breastfeeding"]
                         and inputs["cause"] != "nitrous_oxide" and inputs["loading_response"] == "improved")
    assert in_scope == expected_in_scope
    assert (regimen is not None) == in_scope
    assert in_scope or result["scope_note"]

    # Lifelong regimen <=> the lifelong caution; a reversible cause is never lifelong, and is reviewed.
    assert ("lifelong-therapy" in cautions) == bool(regimen and regimen["lifelong"])
    if "lifelong-therapy" in cautions:
        assert cautions["lifelong-therapy"]["severity"] == "high"
    if regimen and inputs["cause"] in REVERSIBLE:
        assert not regimen["lifelong"] and "lifelong-therapy" not in cautions
        assert "review-reversible-cause" in cautions
    if regimen and inputs["cause"] not in REVERSIBLE:
        assert regimen["lifelong"]

    # Folic-acid caution always, high when folic acid is planned.
    assert cautions["folic-acid"]["severity"] == ("high" if inputs.get("folic_acid_planned") else "warning")
    # Neurological symptoms are always escalated in scope; out of scope nothing speaks of maintenance.
    neurological = inputs["neurological_symptoms"] or bool(inputs.get("recurrence_neurological"))
    assert ("neurological-involvement" in cautions) == (neurological and in_scope)
    assert ("urgent-neurological-advice" in cautions) == (neurological and not in_scope)
    # No response to loading: specialist advice at high severity.
    if inputs["loading_response"] == "not_improved":
        assert cautions["specialist-advice"]["severity"] == "high"

    if regimen is None:
        assert result["schedule"] == [] and "off-licence-interval" not in cautions
        assert "every 2 months" not in " ".join(item["text"] for item in result["cautions"])
        return

    # The regimen is well formed, and the route and drug go together.
    assert regimen["route"] in ("oral", "intramuscular")
    current_regimen = inputs["current_regimen"]
    current = inputs.get("current_interval_months")
    recurs = inputs["symptoms_recur_before_next_dose"]
    relapse = recurs and inputs["recurrence_neurological"]
    neuro = inputs["neurological_symptoms"] or relapse
    if regimen["route"] == "oral":
        assert regimen["drug"] == "cyanocobalamin" and interval == {"value": 1, "unit": "day"}
        assert regimen["dose_micrograms"] >= 1000
        # Tablets only without neurological symptoms or a recurrence, and never after injections.
        assert not neuro and not recurs and current_regimen != "injections"
        assert inputs["cause"] in ("dietary", "medicines") or current_regimen == "oral_daily"
    else:
        assert regimen["drug"] == "hydroxocobalamin" and interval["unit"] == "month"
        assert interval["value"] in (1, 2, 3)
    # Never a silent change of route.
    changed = (current_regimen == "oral_daily") != (regimen["route"] == "oral") and current_regimen != "injections"
    assert ("route-change" in cautions) == changed

    # Monthly only for a patient already on monthly injections, and then flagged off-licence.
    assert ("off-licence-interval" in cautions) == (regimen["route"] == "intramuscular" and interval["value"] < 2)
    if regimen["route"] == "intramuscular" and interval["value"] == 1:
        assert current == 1
    # Neurological symptoms => injections at most every 2 months; a relapse restarts alternate days, urgently.
    if neuro:
        assert regimen["route"] == "intramuscular" and interval["value"] <= 2
    assert ("initial" in regimen) == relapse
    if relapse:
        assert cautions["specialist-advice"]["severity"] == "high"
    # Never longer than the current interval, never back to oral; a recurrence shortens it within the licence or,
    # at its limit, keeps it with specialist advice; and always asks about other causes.
    if current is not None:
        assert regimen["route"] == "intramuscular" and interval["value"] <= current
        if recurs:
            assert interval["value"] < current or ("specialist-advice" in cautions and current <= 2)
    if recurs:
        assert "recurrence-other-causes" in cautions
        if current_regimen == "oral_daily":
            assert regimen["route"] == "intramuscular"
    # The source's statements beyond primary guidance are shown, never prescribed.
    assert cautions["source-blood-tests"]["severity"] == "info"
    assert all(item["id"] != "b12-homocysteine-tests" for item in result["monitoring"])

    # Overdue: the next injection of the regimen actually given fell before the assessment date.
    last, assessed = inputs.get("last_injection_date"), inputs.get("assessment_date")
    given = current if current_regimen == "injections" else (
        interval["value"] if current_regimen == "none" and regimen["route"] == "intramuscular" else None)
    overdue = bool(given and last and add_months(date.fromisoformat(last), given) < date.fromisoformat(assessed))
    assert ("injection-overdue" in cautions) == overdue
    if overdue:
        lapsed = add_months(date.fromisoformat(last), given + 1) < date.fromisoformat(assessed)
        assert cautions["injection-overdue"]["severity"] == ("high" if lapsed else "warning")

    # The schedule: ordered, nothing before the assessment date, no routine blood tests.
    schedule = result["schedule"]
    if last is None:
        assert schedule == []
    else:
        assert last <= assessed
        dates = [event["date"] for event in schedule]
        assert dates == sorted(dates) and all(day >= assessed for day in dates)
        assert all(event["event"] in ("injection", "review") for event in schedule)
        injections = [event for event in schedule if event["event"] == "injection"]
        expected = 0 if regimen["route"] == "oral" else (7 if "initial" in regimen else 6)
        assert len(injections) == expected
        reviews = [event for event in schedule if event["event"] == "review"]
        assert len(reviews) == (current_regimen == "none") + ("initial" in regimen)

    # Traceability: every citation resolves, every trace entry is a rule with its own basis.
    cited = set(regimen["references"])
    for item in result["findings"] + result["monitoring"] + result["cautions"] + result["trace"]:
        cited |= set(item["references"]) | set(item["evidence"]["references"])
    assert cited <= REFERENCE_KEYS
    for step in result["trace"]:
        assert step["basis"] == RULES[step["rule"]]["basis"]


def test_invariants_hold_over_the_whole_input_space():
    rng = random.Random(20261202)
    evaluated = 0
    for part in CORE.class_keys():
        regimens = set()
        for inputs in variants(part, rng):
            result = engine.evaluate(PATHWAY, inputs)
            _check(inputs, result)
            # The route and interval never depend on serum B12, homocysteine or folic acid.
            regimens.add(engine.canonical_json([result["regimen"], result["in_scope"]]))
            evaluated += 1
        assert len(regimens) == 1, part
    assert evaluated == 2 * group_size(CORE)
    print(f"{group_size(CORE)} core classes ({size(SPACE)} in all), {evaluated} evaluations checked")


def test_the_space_covers_both_sides_of_the_ileal_threshold_and_every_cause():
    (cm,) = [dimension for dimension in SPACE.dimensions() if dimension.key == "ileal_resection_cm"]
    assert [item.label for item in cm.classes] == ["more than 0 and not more than 20 cm",
                                                    "more than 20 and not more than 600 cm"]
    (cause,) = [dimension for dimension in SPACE.dimensions() if dimension.key == "cause"]
    assert {item.value for item in cause.classes} == {"dietary", "nitrous_oxide", *MALABSORPTION}
    (span,) = [dimension for dimension in SPACE.dimensions() if dimension.kind == "months_between"]
    assert span.cuts == (1, 2, 3, 4)  # every interval a regimen can have, and a month past each
