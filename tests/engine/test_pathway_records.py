"""A pathway whose records contradict each other fails when it is defined, not in front of a patient."""

import pytest

from engine.conditions import Above, All, Is, Not, State
from engine.fields import Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Monitor, OutOfScope
from engine.pathway import Pathway
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rules import Evidence, Rule

FLAG = Field(key="flag", label="Flag", type="bool", required=True)
REFERENCES = (Reference(key="ref1", group="g", title="A work"),)


def _rule(rule_id="r", references=("ref1",), kind="caution", condition=None, outcome=None):
    return Rule(id=rule_id, title="T", kind=kind, condition=condition or Is("flag", True),
                outcome=outcome or Caution("text", "info"),
                basis="source", references=references, evidence=Evidence("agrees", "n"))


def _pathway(fields=(FLAG,), rules=(), states=()):
    return Pathway(id="p", title="P", version="1", source_date="2025-01-01", scope="s", fields=fields, rules=rules,
                   new_plan=Plan, regimen=lambda case: None, schedule=lambda case, regimen: [],
                   references=REFERENCES, reference_groups=(ReferenceGroup("g", "G", "i"),), disclaimer="d",
                   evidence_intro="e", states=states)


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


def test_bad_kinds_statuses_and_outcomes_are_refused():
    with pytest.raises(ValueError, match="unknown evidence status"):
        Evidence("maybe", "n")
    with pytest.raises(ValueError, match="unknown basis"):
        Rule(id="r", title="T", kind="caution", condition=Is("flag", True), outcome=Caution("t", "info"),
             basis="opinion", references=(), evidence=Evidence("agrees", "n"))
    with pytest.raises(ValueError, match="a caution rule cannot have a Monitor outcome"):
        _rule(outcome=Monitor("t"))
    with pytest.raises(ValueError, match="unknown caution severity"):
        Caution("t", "urgent")


def test_a_condition_on_an_unknown_field_or_choice_is_refused():
    with pytest.raises(ValueError, match=r"rule 'r':.*unknown field 'other'"):
        _pathway(rules=(_rule(condition=Is("other", True)),))
    with pytest.raises(ValueError, match=r"rule 'r':.*does not declare state 'busy'"):
        _pathway(rules=(_rule(condition=State("busy", "busy", lambda case: True)),))


def test_rules_out_of_kind_order_are_refused():
    scope = _rule("s", kind="scope", outcome=OutOfScope("note"))
    with pytest.raises(ValueError, match="rule 's' \\(scope\\) comes after a caution rule"):
        _pathway(rules=(_rule("c"), scope))


def test_reading_an_unanswered_question_as_no_is_refused():
    optional = Field(key="maybe", label="Maybe", type="bool")
    size = Field(key="size", label="Size", type="number", min=0, max=9)
    rule = _rule(kind="regimen", condition=All(Is("flag", True), Not(Is("maybe", True))), outcome=Constraint("x"))
    with pytest.raises(ValueError, match=r"negates \['maybe'\], which may be unanswered"):
        _pathway(fields=(FLAG, optional), rules=(rule,))
    rule = _rule(kind="regimen", condition=Not(Above("size", 3)), outcome=Constraint("x"))
    with pytest.raises(ValueError, match=r"negates \['size'\]"):
        _pathway(fields=(FLAG, size), rules=(rule,))
