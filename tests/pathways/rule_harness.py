"""One harness for every pathway's per-rule tests.

A pathway's ``test_rules.py`` writes, for each rule, the inputs it fires on, a check of the outcome it promises,
and inputs it stays silent on (None when it fires for everyone), and runs each through this harness::

    RULE_CASES = {"rule-id": (fires_on, lambda result: ..., silent_on), ...}

    def test_every_rule_has_a_test():
        check_every_rule_has_a_case(PATHWAY, RULE_CASES)

    @pytest.mark.parametrize("rule_id", list(RULE_CASES))
    def test_rule(rule_id):
        check_rule(PATHWAY, rule_id, RULE_CASES[rule_id])

(The test functions stay in the pathway's module, so that a hazard's mitigation can name
``tests/pathways/<pathway>/test_rules.py::test_rule[rule-id]``.)

Every rule then passes the same checks: it fires once on its case with the promised outcome; its trace step
carries the rule's title, kind, basis, references and evidence, and says why it fired; a finding, monitoring
item or caution it adds carries its id, references and evidence; a scope rule puts the patient outside the
pathway with a note; a regimen rule that changes the plan either shaped the regimen or is marked as overridden;
and it does not fire on the case it is not for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import engine

Result = dict[str, Any]
RuleCase = tuple[dict[str, Any], Callable[[Result], bool], dict[str, Any] | None]
ITEM_LISTS = {"finding": "findings", "monitoring": "monitoring", "caution": "cautions"}


def evaluated(pathway_id: str, inputs: dict[str, Any]) -> Result:
    result = engine.evaluate(pathway_id, inputs)
    assert result["ok"], result
    return result


def fired(result: Result) -> list[str]:
    return [step["rule"] for step in result["trace"]]


def published_rules(pathway_id: str) -> dict[str, dict[str, Any]]:
    """The pathway's rules as its descriptor publishes them, by id."""
    (descriptor,) = [pathway for pathway in engine.pathways() if pathway["id"] == pathway_id]
    return {rule["id"]: rule for rule in descriptor["rules"]}


def check_every_rule_has_a_case(pathway_id: str, cases: dict[str, RuleCase]) -> None:
    assert set(cases) == set(published_rules(pathway_id))


def check_rule(pathway_id: str, rule_id: str, case: RuleCase, rule: dict[str, Any] | None = None) -> None:
    """The checks every rule of every pathway passes (``rule``: the rule as published, by default the descriptor's)."""
    fires_on, outcome, silent_on = case
    rule = published_rules(pathway_id)[rule_id] if rule is None else rule
    result = evaluated(pathway_id, fires_on)
    steps = [step for step in result["trace"] if step["rule"] == rule_id]
    assert len(steps) == 1, f"{rule_id} fires {len(steps)} times on its case"
    (step,) = steps
    assert outcome(result), f"{rule_id}: the outcome it promises is not in the result"
    for key in ("title", "kind", "basis", "references", "evidence"):
        assert step[key] == rule[key], f"{rule_id}: the trace's {key} is not the rule's"
    assert step["because"], f"{rule_id}: the trace does not say why it fired"
    if rule["kind"] in ITEM_LISTS:
        items = [item for item in result[ITEM_LISTS[rule["kind"]]] if item["id"] == rule_id]
        assert len(items) == 1, f"{rule_id} adds {len(items)} {ITEM_LISTS[rule['kind']]}"
        assert items[0]["references"] == rule["references"] and items[0]["evidence"] == rule["evidence"]
    if rule["kind"] == "scope":
        assert not result["in_scope"] and result["regimen"] is None and result["scope_note"]
    if rule["kind"] == "regimen" and "plan" in rule["outcome"]:
        shaped = [shaping["id"] for shaping in result["regimen"]["rules"]]
        assert (rule_id in shaped) != ("overridden_by" in step), \
            f"{rule_id}: a plan change either shapes the regimen or is overridden"
    if silent_on is not None:
        assert rule_id not in fired(evaluated(pathway_id, silent_on)), f"{rule_id} fires on the case it is not for"

