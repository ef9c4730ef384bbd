"""The pathway descriptor of every pathway: everything the form and the decision table are rendered from."""

import json

import pytest

import engine
from engine.pathways import PATHWAYS

FIELD_KEYS = {"key", "label", "type", "required", "default", "choices", "unit", "min", "max", "help",
              "required_when", "min_exclusive", "unit_field", "prefill"}
RULE_KEYS = {"id", "title", "kind", "when", "condition", "then", "outcome", "basis", "references", "evidence"}
DESCRIPTORS = engine.pathways()
IDS = [pathway["id"] for pathway in DESCRIPTORS]


def test_there_is_a_descriptor_for_every_pathway():
    assert list(PATHWAYS) == IDS and IDS


@pytest.mark.parametrize("pathway", DESCRIPTORS, ids=IDS)
def test_descriptor_is_plain_json_with_the_contract_keys(pathway):
    assert json.loads(json.dumps(pathway)) == pathway
    assert {"id", "title", "version", "inputs", "rules", "labels", "disclaimer"} <= set(pathway)
    assert pathway["labels"]["regimen"] and isinstance(pathway["labels"]["events"], dict)


@pytest.mark.parametrize("pathway", DESCRIPTORS, ids=IDS)
def test_field_specs_hold_only_keys_that_apply(pathway):
    for field in pathway["inputs"]:
        assert set(field) <= FIELD_KEYS
        assert field["type"] in {"enum", "bool", "number", "integer", "date"}
        assert ("choices" in field) == (field["type"] == "enum")
        assert field["label"]


@pytest.mark.parametrize("pathway", DESCRIPTORS, ids=IDS)
def test_rule_specs_carry_a_condition_basis_references_and_evidence(pathway):
    references = engine.references()
    for rule in pathway["rules"]:
        assert set(rule) == RULE_KEYS
        assert rule["basis"] in {"source", "policy"}
        assert rule["when"] and rule["then"]
        assert isinstance(rule["condition"], dict) and rule["condition"]
        assert isinstance(rule["outcome"], dict) and rule["outcome"]
        assert rule["evidence"]["status"] in {"agrees", "differs", "unsourced"}
        assert rule["evidence"]["note"]
        assert all(key in references for key in rule["references"] + rule["evidence"]["references"])
        if rule["basis"] == "source":
            assert rule["references"], f"{rule['id']} says it comes from the source but cites nothing"


@pytest.mark.parametrize("pathway_id", IDS)
def test_the_when_and_the_trace_come_from_the_same_condition(pathway_id):
    """Every rule's condition JSON is the one its record evaluates, and its text is that condition's."""
    pathway = PATHWAYS[pathway_id]
    specs = {spec.key: spec for spec in pathway.fields}
    (descriptor,) = [item for item in DESCRIPTORS if item["id"] == pathway_id]
    for rule, spec in zip(pathway.rules, descriptor["rules"], strict=True):
        assert spec["condition"] == rule.condition.to_json()
        assert spec["when"].lower() == rule.condition.describe(specs).lower()
