"""Every recommendation in a result names the rule that produced it and carries that rule's evidence check.

The calculator shows the evidence status beside the regimen and beside each caution, monitoring item and
finding straight from the result; it holds no mapping of its own. These tests hold the engine to that:
over every class of every pathway's input space, each item's evidence is the evidence of a rule that fired
(it is in the trace), and the regimen lists exactly the rules that shaped it: a rule a later one overrode
is in the trace, marked so, and not behind the regimen.
"""

from __future__ import annotations

import pytest

import engine
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.input_classes import group_size
from tests.pathways.b12_maintenance.patients import patient

PATHWAY = "b12-maintenance"
# Rule ids are unique within a pathway; two pathways may share one (each with its own evidence check).
RULES_OF = {pathway["id"]: {rule["id"]: rule for rule in pathway["rules"]} for pathway in engine.pathways()}
RULES = RULES_OF[PATHWAY]


def _links(result: dict) -> list[str]:
    """Everything wrong with the links from the result's items to its rules, one line each."""
    problems = []
    rules = RULES_OF[result["pathway"]]
    fired = {step["rule"]: step for step in result["trace"]}
    for kind in ("cautions", "monitoring", "findings"):
        for item in result[kind]:
            rule = rules.get(item["id"])
            if rule is None:
                problems.append(f"{kind} item {item['id']!r} names no rule")
            elif item["id"] not in fired:
                problems.append(f"{kind} item {item['id']!r}: its rule is not in the trace")
            elif item["evidence"] != rule["evidence"] or item["evidence"] != fired[item["id"]]["evidence"]:
                problems.append(f"{kind} item {item['id']!r}: evidence is not its rule's")
    regimen = result["regimen"]
    if regimen is not None:
        if not regimen["rules"]:
            problems.append("the regimen names no rule")
        for shaped in regimen["rules"]:
            rule = rules.get(shaped["id"])
            if rule is None or rule["kind"] != "regimen":
                problems.append(f"regimen rule {shaped['id']!r} is not a regimen rule")
            elif shaped["id"] not in fired:
                problems.append(f"regimen rule {shaped['id']!r} is not in the trace")
            elif shaped["evidence"] != rule["evidence"] or shaped["title"] != rule["title"]:
                problems.append(f"regimen rule {shaped['id']!r}: title or evidence is not its rule's")
            elif "overridden_by" in fired[shaped["id"]]:
                problems.append(f"regimen rule {shaped['id']!r} is listed behind the regimen but was overridden")
    for step in result["trace"]:
        if "overridden_by" in step and step["overridden_by"] not in fired:
            problems.append(f"rule {step['rule']!r} is overridden by {step['overridden_by']!r}, which did not fire")
    return problems


@pytest.mark.parametrize("pathway_id", sorted(PATHWAYS))
def test_every_item_and_the_regimen_carry_the_evidence_of_the_rule_behind_them(pathway_id):
    space = input_space(PATHWAYS[pathway_id])
    checked = 0
    # Every class of every group (the other groups at their first class): each rule's items appear there.
    for index, group in enumerate(space.groups):
        for part in group.class_keys():
            inputs = space.group_inputs(index, part)
            result = engine.evaluate(pathway_id, inputs)
            assert result["ok"], (inputs, result)
            problems = _links(result)
            assert problems == [], (inputs, problems)
            checked += 1
    assert checked == sum(group_size(group) for group in space.groups)


def test_an_overridden_rule_is_marked_in_the_trace_and_not_behind_the_regimen():
    """A dietary patient already on injections every 2 months: the oral rule fires, never-lengthen overrides it."""
    result = engine.evaluate(PATHWAY, patient(cause="dietary", current_interval_months=2))
    assert result["regimen"]["route"] == "intramuscular" and result["regimen"]["interval"]["value"] == 2
    assert [rule["id"] for rule in result["regimen"]["rules"]] == ["never-lengthen", "review-reversible"]
    steps = {step["rule"]: step for step in result["trace"]}
    assert steps["oral-dietary"]["overridden_by"] == "never-lengthen"
    assert "overridden_by" not in steps["never-lengthen"]
    # The oral rule's references no longer stand behind the injections either.
    assert not {"src5", "src7"} & set(result["regimen"]["references"])


def test_the_source_patients_regimen_names_the_rules_for_its_interval_and_its_duration():
    result = engine.evaluate(PATHWAY, patient(cause="unknown", serum_b12=453, serum_b12_unit="pmol/L"))
    assert [rule["id"] for rule in result["regimen"]["rules"]] == ["im-malabsorption", "lifelong-irreversible"]
    assert result["regimen"]["rules"][0]["evidence"]["status"] == RULES["im-malabsorption"]["evidence"]["status"]


def test_a_regimen_shaped_by_several_rules_lists_each_once_in_order():
    result = engine.evaluate(PATHWAY, patient(cause="pernicious_anaemia", neurological_symptoms=True,
                                              symptoms_recur_before_next_dose=True))
    ids = [rule["id"] for rule in result["regimen"]["rules"]]
    assert ids == [step["rule"] for step in result["trace"] if step["rule"] in ids]
    assert len(ids) == len(set(ids)) >= 2, ids


def test_the_oral_regimen_names_its_rule():
    result = engine.evaluate(PATHWAY, patient(cause="dietary"))
    assert result["regimen"]["route"] == "oral"
    assert [rule["id"] for rule in result["regimen"]["rules"]] == ["oral-dietary", "review-reversible"]
