"""The input space derived from the rules' conditions, on a small pathway made for it and on every real pathway."""

from __future__ import annotations

import json
import random

import pytest

from engine.conditions import Above, All, AtLeast, Given, Is, Missing
from engine.fields import Choice, Field, RequiredWhen
from engine.outcomes import Caution, Constraint, Monitor
from engine.pathway import Pathway
from engine.pathways import PATHWAYS
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rules import Evidence, Rule
from engine.space import Segment, SpaceError, class_answer, explore, input_space

EVIDENCE = Evidence("agrees", "n")


def _pathway(fields, rules):
    return Pathway(id="toy", title="Toy", version="1", source_date="2025-01-01", scope="s", fields=fields,
                   rules=rules, new_plan=Plan, regimen=lambda case: None, schedule=lambda case, regimen: [],
                   references=(Reference(key="r1", group="g", title="W"),),
                   reference_groups=(ReferenceGroup("g", "G", "i"),), disclaimer="d", evidence_intro="e",
                   gives_regimen=False)


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
)
TOY = _pathway(FIELDS, (
    _rule("undated", Missing("note"), kind="monitoring", outcome=Monitor("m")),
    _rule("big", All(Is("kind", "a"), Above("size", 20))),
    _rule("flagged", Is("flag", True)),
    _rule("high", AtLeast("level", 10)),
    _rule("very-high", Above("level", 40)),
    _rule("dated", Given("note")),
))


def test_each_field_a_condition_looks_at_is_split_where_the_rules_split_it():
    space = input_space(TOY)
    dims = {dim.field.key: dim for dim in space.dimensions}
    assert list(dims) == ["kind", "size", "flag", "level", "note"]  # "label": no rule looks at it
    assert dims["kind"].kind == "choice" and [c.value for c in dims["kind"].classes] == ["a", "b"]
    assert [c.segment for c in dims["size"].classes] == [Segment(0, False, 20, True), Segment(20, False, 100, True)]
    assert [(c.value, c.given) for c in dims["flag"].classes] == [(True, True), (False, True), (None, False)]
    assert [c.segment for c in dims["level"].classes if c.segment] == [
        Segment(0, True, 10, False), Segment(10, True, 40, True), Segment(40, False, 50, True)]
    assert dims["level"].classes[-1].given is False
    assert dims["note"].kind == "given"
    assert [spec.key for spec in space.fillers] == ["label"]  # required: every representative needs one


def test_a_field_required_only_for_some_values_is_a_dimension_only_there():
    space = input_space(TOY)
    keys = list(space.class_keys())
    # kind a: 2 sizes; kind b: size does not apply. Then flag 3 x level 4 x note 2.
    assert len(keys) == (2 + 1) * 3 * 4 * 2 == space.size()
    assert all((key[1] is None) == (key[0] == 1) for key in keys)


def test_every_representative_and_random_member_is_valid_and_falls_in_its_own_class():
    space = input_space(TOY)
    rng = random.Random(7)
    for key in space.class_keys():
        for inputs in (space.inputs(key), space.inputs(key, rng)):
            result = TOY.evaluate(inputs)
            assert result["ok"], (key, inputs, result)
            assert space.classify(result["inputs"]) == key, (key, inputs)


def test_a_value_outside_every_class_is_not_classified():
    space = input_space(TOY)
    assert space.classify({"kind": "a", "size": 0, "label": "x"}) is None
    assert space.classify({"kind": "c", "label": "x"}) is None


def test_exploring_finds_rules_that_never_fire_and_counts_overrides():
    never = _pathway(FIELDS, (_rule("impossible", All(Is("kind", "b"), Above("size", 20))),))
    found = explore(never)
    assert found.never_fired == ["impossible"]
    assert found.problems == ["rule 'impossible' fires for no class of inputs"]
    found = explore(TOY)
    assert found.problems == [] and found.classes == input_space(TOY).size()
    assert found.fired["big"] == 1 * 3 * 4 * 2 and found.fired["dated"] == found.classes // 2


def test_a_number_an_outcome_uses_must_have_a_short_range():
    class Reads(Constraint):
        def reads(self):
            return ("level",)

    with pytest.raises(SpaceError, match="an outcome reads number field 'level'"):
        input_space(_pathway(FIELDS, (_rule("r", Given("level"), "regimen", Reads("x")),)))


def test_the_partition_is_json_data():
    data = input_space(TOY).to_json()
    assert json.loads(json.dumps(data)) == data
    (size,) = [dim for dim in data["dimensions"] if dim["field"] == "size"]
    assert size["applies"] == {"field": "kind", "in": ["a"], "text": "when the kind is a"}
    assert size["classes"][0] == {"given": True, "segment": {"min": 0, "min_closed": False, "max": 20,
                                                             "max_closed": True}}


# --- every real pathway ------------------------------------------------------------------------------

PATHWAY_IDS = sorted(PATHWAYS)


@pytest.fixture(scope="module", params=PATHWAY_IDS)
def exploration(request):
    return explore(PATHWAYS[request.param])


def test_every_class_of_every_pathway_is_accepted_and_every_rule_fires(exploration):
    assert exploration.problems == []
    assert exploration.classes == exploration.space.size() > 1


@pytest.mark.parametrize("pathway_id", PATHWAY_IDS)
def test_random_members_of_a_class_get_the_same_answer_as_its_representative(pathway_id):
    """The class is what decides the regimen, cautions and monitoring: exact values only change exact texts."""
    pathway = PATHWAYS[pathway_id]
    space = input_space(pathway)
    rng = random.Random(20261202)
    checked = 0
    for key in space.class_keys():
        expected = class_answer(pathway.evaluate(space.inputs(key)))
        for _ in range(2):
            inputs = space.inputs(key, rng)
            result = pathway.evaluate(inputs)
            assert result["ok"], (inputs, result)
            assert space.classify(result["inputs"]) == key
            assert class_answer(result) == expected, (key, inputs)
            checked += 1
    assert checked == 2 * space.size()
