"""A pathway whose records contradict each other fails when it is defined, not in front of a patient."""

import pytest

from engine.fields import Field, RequiredWhen
from engine.pathway import Pathway
from engine.rules import Evidence, Rule


def _rule(rule_id="r", references=("src1",)):
    return Rule(id=rule_id, title="T", kind="regimen", when="w", then="t", basis="source", references=references,
                evidence=Evidence("agrees", "n"), fires=lambda case: None, apply=lambda case, rule: None)


def _pathway(fields=(), rules=()):
    return Pathway(id="p", title="P", version="1", source_date="2025-01-01", scope="s", fields=fields, rules=rules,
                   new_plan=dict, regimen=lambda case: None, schedule=lambda case, regimen: [])


def test_an_unknown_reference_is_refused():
    with pytest.raises(ValueError, match=r"rule 'r' cites unknown references \['nope'\]"):
        _pathway(rules=(_rule(references=("nope",)),))


def test_duplicate_rule_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate rule ids"):
        _pathway(rules=(_rule(), _rule()))


def test_a_condition_on_a_later_field_is_refused():
    dependent = Field(key="b", label="B", type="number", required_when=RequiredWhen("a", ("x",), "when a is x"))
    with pytest.raises(ValueError, match="must be declared before it"):
        _pathway(fields=(dependent, Field(key="a", label="A", type="bool")))


def test_bad_kinds_and_statuses_are_refused():
    with pytest.raises(ValueError, match="unknown evidence status"):
        Evidence("maybe", "n")
    with pytest.raises(ValueError, match="unknown basis"):
        Rule(id="r", title="T", kind="regimen", when="w", then="t", basis="opinion", references=(),
             evidence=Evidence("agrees", "n"), fires=lambda case: None, apply=lambda case, rule: None)
