"""The input space derived from the rules' conditions, on a small pathway made for it and on every real pathway."""

from __future__ import annotations

import json
import random

import pytest

from engine.conditions import Above, All, AtLeast, Given, Is, Missing, MonthsBetween, State
from engine.exploration import class_answer, explore
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Monitor
from engine.partition import Segment, SpaceError
from engine.pathway import Pathway
from engine.pathways import PATHWAYS
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rule_groups import input_space, rule_groups
from engine.rules import Evidence, Rule
from tests.input_classes import answer, class_keys, group_size, random_member, size

EVIDENCE = Evidence("agrees", "n")


def _pathway(fields, rules, states=()):
    return Pathway(id="toy", title="Toy", version="1", source_date="2025-01-01", scope="s", fields=fields,
                   rules=rules, new_plan=Plan, regimen=lambda case: None, schedule=lambda case, regimen: [],
                   references=(Reference(key="r1", group="g", title="W"),),
                   reference_groups=(ReferenceGroup("g", "G", "i"),), disclaimer="d", evidence_intro="e",
                   gives_regimen=False, states=states)


def _rule(rule_id, condition, kind="caution", outcome=None):
    return Rule(id=rule_id, title=rule_id, kind=kind, condition=condition, outcome=outcome or Caution(rule_id, "info"),
                basis="source", references=("r1",), evidence=EVIDENCE)


FIELDS = (
    Field(key="kind", label="Kind", type="enum", required=True, choices=(Choice("a", "A"), Choice("b", "B"))),
    Field(key="size", label="Size", type="number", unit="cm", min=0, min_exclusive=True, max=100,
          required_when=RequiredWhen("kind", ("a",), "when the kind is a")),
    Field(key="flag", label="Flag", type="bool"),
    Field(key="level", label="Level", type="number", min=0, max=50),
    Field(key="note", label="Note", type="date"),
    Field(key="label", label="Label", type="enum", required=True, choices=(Choice("x", "X"), Choice("y", "Y"))),
    Field(key="level_unit", label="Level unit", type="enum", choices=(Choice("u", "U"),),
          required_when=RequiredWhen("level", (), "when a level is given", given=True)),
    Field(key="first", label="First visit", type="date", min="2000-01-01", max="2099-12-31"),
    Field(key="last", label="Last visit", type="date", min="2000-01-01", max="2099-12-31"),
)
TOY = _pathway(FIELDS, (
    _rule("undated", Missing("note"), kind="monitoring", outcome=Monitor("m")),
    _rule("big", All(Is("kind", "a"), Above("size", 20))),
    _rule("flagged", Is("flag", True)),
    _rule("high", AtLeast("level", 10)),
    _rule("very-high", Above("level", 40)),
    _rule("dated", Given("note")),
    _rule("long-gap", MonthsBetween("first", "last", 3)),
    _rule("longer-gap", MonthsBetween("first", "last", 6)),
))


def _dimensions(pathway):
    return {dimension.key: dimension for dimension in input_space(pathway).dimensions()}


def test_each_field_a_condition_looks_at_is_split_where_the_rules_split_it():
    space = input_space(TOY)
    dims = _dimensions(TOY)
    # In group order (the core first), each group in field order; "label": no rule looks at it.
    assert list(dims) == ["note", "kind", "size", "flag", "level", "first+last"]
    assert dims["kind"].kind == "choice" and [c.value for c in dims["kind"].classes] == ["a", "b"]
    assert [c.segment for c in dims["size"].classes] == [Segment(0, False, 20, True), Segment(20, False, 100, True)]
    assert [(c.value, c.given) for c in dims["flag"].classes] == [(True, True), (False, True), (None, False)]
    assert [c.segment for c in dims["level"].classes if c.segment] == [
        Segment(0, True, 10, False), Segment(10, True, 40, True), Segment(40, False, 50, True)]
    assert dims["level"].classes[-1].given is False
    assert dims["note"].kind == "given"
    assert dims["first+last"].cuts == (3, 6)
    assert [c.label for c in dims["first+last"].classes] == [
        "up to 3 months", "more than 3 months, up to 6 months", "more than 6 months", "a date not given"]
    # Required or required-when-given, and no rule looks at them: every representative needs a value.
    assert [spec.key for spec in space.fillers] == ["label", "level_unit"]


def test_rules_that_share_no_field_and_look_at_no_state_are_groups_of_their_own():
    groups = [[rule.id for rule in rules] for rules in rule_groups(TOY)]
    assert groups == [["undated", "dated"], ["big"], ["flagged"], ["high", "very-high"], ["long-gap", "longer-gap"]]
    space = input_space(TOY)
    assert [group_size(group) for group in space.groups] == [2, 2 + 1, 3, 4, 4]
    assert size(space) == 2 * 3 * 3 * 4 * 4
    state = State("busy", "busy", lambda case: True)
    with_state = _pathway(FIELDS, (_rule("undated", Missing("note"), kind="monitoring", outcome=Monitor("m")),
                                   _rule("when-busy", state)), states=(state,))
    assert [[rule.id for rule in rules] for rules in rule_groups(with_state)] == [["undated", "when-busy"]]


def test_a_field_required_only_for_some_values_is_a_dimension_only_there():
    (big,) = [group for group in input_space(TOY).groups if [rule.id for rule in group.rules] == ["big"]]
    keys = list(big.class_keys())
    assert keys == [(0, 0), (0, 1), (1, None)]  # kind a: 2 sizes; kind b: size does not apply


def test_every_representative_and_random_member_is_valid_and_falls_in_its_own_class():
    space = input_space(TOY)
    rng = random.Random(7)
    for key in class_keys(space):
        for inputs in (space.inputs(key), random_member(space, key, rng)):
            result = TOY.evaluate(inputs)
            assert result["ok"], (key, inputs, result)
            assert space.classify(result["inputs"]) == key, (key, inputs)


def test_the_months_between_two_dates_count_calendar_months():
    (gaps,) = [group for group in input_space(TOY).groups if group.rules[0].id == "long-gap"]
    base = {"kind": "b", "label": "x"}
    for first, last, expected in [("2025-01-31", "2025-04-30", 0), ("2025-01-31", "2025-05-01", 1),
                                  ("2025-01-15", "2025-07-15", 1), ("2025-01-15", "2025-07-16", 2),
                                  ("2025-05-01", "2025-01-01", 0)]:
        assert gaps.classify({**base, "first": first, "last": last}) == (expected,), (first, last)
    assert gaps.classify({**base, "first": "2025-01-01"}) == (3,)  # a date not given


def test_a_value_outside_every_class_is_not_classified():
    space = input_space(TOY)
    assert space.classify({"kind": "a", "size": 0, "label": "x"}) is None
    assert space.classify({"kind": "c", "label": "x"}) is None


def test_exploring_finds_rules_that_never_fire_and_counts_per_group():
    never = _pathway(FIELDS, (_rule("impossible", All(Is("kind", "b"), Above("size", 20))),))
    found = explore(never)
    assert found.never_fired == ["impossible"]
    assert found.problems == ["rule 'impossible' fires for no class of inputs"]
    found = explore(TOY)
    assert found.problems == []
    assert found.classes == size(input_space(TOY)) and found.evaluated == 2 + 3 + 3 + 4 + 4
    assert found.fired["big"] == 1 and found.fired["dated"] == 1 and found.fired["longer-gap"] == 1


def test_a_number_an_outcome_uses_must_have_a_short_range():
    class Reads(Constraint):
        def reads(self):
            return ("level",)

    with pytest.raises(SpaceError, match="an outcome reads number field 'level'"):
        input_space(_pathway(FIELDS, (_rule("r", Given("level"), "regimen", Reads("x")),)))


def test_the_partition_is_json_data():
    dims = _dimensions(TOY)
    data = [dimension.to_json() for dimension in dims.values()]
    assert json.loads(json.dumps(data)) == data
    assert dims["size"].to_json()["applies"] == {"field": "kind", "in": ["a"], "text": "when the kind is a"}
    assert dims["size"].to_json()["classes"][0] == {
        "given": True, "segment": {"min": 0, "min_closed": False, "max": 20, "max_closed": True}}
    assert dims["first+last"].to_json()["cuts"] == [3, 6]


# --- every real pathway ------------------------------------------------------------------------------

PATHWAY_IDS = sorted(PATHWAYS)


@pytest.fixture(scope="module", params=PATHWAY_IDS)
def exploration(request):
    return explore(PATHWAYS[request.param])


def test_every_class_of_every_pathway_is_accepted_and_every_rule_fires(exploration):
    assert exploration.problems == []
    assert exploration.classes == size(exploration.space) > 1


def test_random_members_of_every_class_get_the_answer_its_groups_give(exploration):
    """The class is what decides the regimen, cautions and monitoring (exact values only change exact texts),
    and the groups are independent: the answer of a random input is its groups' answers put together."""
    pathway, space = exploration.pathway, exploration.space
    rng = random.Random(20261202)
    checked = 0
    # One random member a class: explore() evaluated each group's representatives; this checks that the groups'
    # answers, put together, are the answer of any member of the class.
    for key in class_keys(space):
        inputs = random_member(space, key, rng)
        result = pathway.evaluate(inputs)
        assert result["ok"], (inputs, result)
        assert space.classify(result["inputs"]) == key
        assert class_answer(result) == answer(exploration, key), (key, inputs)
        checked += 1
    assert checked == size(space)
