"""The pathway descriptor: everything the form and the decision table are rendered from."""

import json

import engine

FIELD_KEYS = {"key", "label", "type", "required", "default", "choices", "unit", "min", "max", "help",
              "required_when", "min_exclusive", "unit_field"}
RULE_KEYS = {"id", "title", "kind", "when", "then", "basis", "references", "evidence"}
CONTRACT_INPUTS = ["cause", "ileal_resection_cm", "neurological_symptoms", "loading_response",
                   "symptoms_recur_before_next_dose", "current_interval_months", "serum_b12", "serum_b12_unit",
                   "homocysteine_umol_l", "folic_acid_planned", "last_injection_date"]


def descriptor():
    (pathway,) = engine.pathways()
    return pathway


def test_descriptor_is_plain_json_with_the_contract_keys():
    pathway = descriptor()
    assert json.loads(json.dumps(pathway)) == pathway
    assert {"id", "title", "version", "inputs", "rules"} <= set(pathway)
    assert pathway["id"] == "b12-maintenance"
    assert [field["key"] for field in pathway["inputs"]] == CONTRACT_INPUTS


def test_field_specs_hold_only_keys_that_apply():
    for field in descriptor()["inputs"]:
        assert set(field) <= FIELD_KEYS
        assert field["type"] in {"enum", "bool", "number", "integer", "date"}
        assert ("choices" in field) == (field["type"] == "enum")
        assert field["label"]


def test_the_spec_of_each_field():
    fields = {field["key"]: field for field in descriptor()["inputs"]}
    assert [choice["value"] for choice in fields["cause"]["choices"]] == [
        "dietary", "pernicious_anaemia", "gastric_surgery", "ileal_resection", "other_malabsorption", "unknown"]
    assert fields["cause"]["choices"][1]["label"] == "Autoimmune gastritis (pernicious anaemia)"
    assert fields["ileal_resection_cm"]["required_when"] == {
        "field": "cause", "in": ["ileal_resection"], "text": "when the cause is ileal resection"}
    assert (fields["ileal_resection_cm"]["min"], fields["ileal_resection_cm"]["max"]) == (0, 600)
    assert fields["ileal_resection_cm"]["min_exclusive"] is True
    assert fields["current_interval_months"]["type"] == "integer"
    assert (fields["current_interval_months"]["min"], fields["current_interval_months"]["max"]) == (1, 3)
    assert fields["serum_b12_unit"]["default"] == "pmol/L"
    assert fields["loading_response"]["default"] == "improved"
    assert fields["symptoms_recur_before_next_dose"]["default"] is False
    assert fields["homocysteine_umol_l"]["unit"] == "µmol/L"
    assert fields["last_injection_date"]["type"] == "date"
    assert [key for key, field in fields.items() if field["required"]] == ["cause", "neurological_symptoms"]


def test_rule_specs_carry_basis_references_and_evidence():
    references = engine.references()
    for rule in descriptor()["rules"]:
        assert set(rule) == RULE_KEYS
        assert rule["basis"] in {"source", "policy"}
        assert rule["when"] and rule["then"]
        assert rule["evidence"]["status"] in {"agrees", "differs", "unsourced"}
        assert rule["evidence"]["note"]
        assert all(key in references for key in rule["references"] + rule["evidence"]["references"])
        if rule["basis"] == "source":
            assert rule["references"], f"{rule['id']} says it comes from the source but cites nothing"
            assert all(references[key]["group"] == "source" for key in rule["references"])
        assert all(references[key]["group"] == "primary" for key in rule["evidence"]["references"])


def test_statements_without_a_rule_carry_their_evidence_check():
    statements = {statement["id"]: statement for statement in descriptor()["statements"]}
    assert statements["loading-course"]["evidence"]["status"] == "differs"
    assert statements["loading-course"]["evidence"]["references"] == ["bnf-hydroxocobalamin"]


def test_the_contract_ids_are_rules():
    ids = {rule["id"] for rule in descriptor()["rules"]}
    cautions = {"lifelong-therapy", "folic-acid", "individualised-regimen", "specialist-advice",
                "homocysteine-above-target"}
    assert cautions | {"b12-homocysteine-tests", "symptom-review", "serum-b12", "homocysteine"} <= ids
    assert {"oral-dietary", "im-malabsorption", "im-ileal-resection", "neuro-every-2-months", "recurrence-step-up",
            "never-lengthen", "no-level-driven-frequency"} <= ids


def test_evidence_statuses_follow_the_evidence_check():
    status = {rule["id"]: rule["evidence"]["status"] for rule in descriptor()["rules"]}
    assert status["im-malabsorption"] == "agrees"
    assert status["neuro-every-2-months"] == "agrees"
    assert status["folic-acid"] == "agrees"
    assert status["no-level-driven-frequency"] == "agrees"
    assert status["recurrence-step-up"] == "agrees"
    assert status["oral-dietary"] == "differs"
    assert status["b12-homocysteine-tests"] == "differs"
    assert status["im-ileal-resection"] == "unsourced"
    assert status["homocysteine"] == "unsourced"
    assert status["individualised-regimen"] == "unsourced"
