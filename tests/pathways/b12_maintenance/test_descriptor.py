"""The B12 maintenance descriptor: the contract's inputs, ids and evidence statuses."""

import engine

# The scope questions first, then the contract's inputs and its additions, in the form's order.
CONTRACT_INPUTS = ["age_16_or_over", "pregnant_or_breastfeeding", "loading_response", "neurological_symptoms",
                   "cause", "ileal_resection_cm", "current_regimen", "current_interval_months",
                   "symptoms_recur_before_next_dose", "recurrence_neurological", "last_injection_date",
                   "assessment_date", "serum_b12",
                   "serum_b12_unit", "homocysteine_umol_l", "folic_acid_planned"]


def descriptor():
    (pathway,) = [pathway for pathway in engine.pathways() if pathway["id"] == "b12-maintenance"]
    return pathway


def test_the_inputs_are_the_contracts():
    assert [field["key"] for field in descriptor()["inputs"]] == CONTRACT_INPUTS


def test_the_spec_of_each_field():
    fields = {field["key"]: field for field in descriptor()["inputs"]}
    assert [choice["value"] for choice in fields["cause"]["choices"]] == [
        "pernicious_anaemia", "dietary", "medicines", "coeliac_disease", "gastric_surgery", "bariatric_surgery",
        "ileal_resection", "other_malabsorption", "nitrous_oxide", "unknown"]
    assert fields["cause"]["choices"][0]["label"] == "Autoimmune gastritis (pernicious anaemia)"
    assert fields["ileal_resection_cm"]["required_when"] == {
        "field": "cause", "in": ["ileal_resection"], "text": "when the cause is ileal resection"}
    assert (fields["ileal_resection_cm"]["min"], fields["ileal_resection_cm"]["max"]) == (0, 600)
    assert fields["ileal_resection_cm"]["min_exclusive"] is True
    assert fields["current_interval_months"]["type"] == "integer"
    assert (fields["current_interval_months"]["min"], fields["current_interval_months"]["max"]) == (1, 3)
    assert fields["current_interval_months"]["required_when"] == {
        "field": "current_regimen", "in": ["injections"], "text": "when the patient is on injections"}
    assert [choice["value"] for choice in fields["current_regimen"]["choices"]] == ["none", "oral_daily", "injections"]
    # No unit is assumed, ng/L (what UK laboratories report) comes first, and one is needed with a value.
    assert "default" not in fields["serum_b12_unit"]
    assert [choice["value"] for choice in fields["serum_b12_unit"]["choices"]] == ["ng/L", "pmol/L", "pg/mL"]
    assert fields["serum_b12_unit"]["required_when"] == {
        "field": "serum_b12", "given": True, "text": "when a serum B12 value is given"}
    assert fields["homocysteine_umol_l"]["unit"] == "µmol/L"
    assert fields["last_injection_date"]["type"] == "date"
    assert fields["assessment_date"]["prefill"] == "today" and not fields["assessment_date"]["required"]
    # A schedule is dated only against an assessment date: nothing is put in the past without saying so.
    assert fields["assessment_date"]["required_when"] == {
        "field": "last_injection_date", "given": True, "text": "when the date of the last injection is given"}
    # Nothing is assumed for a patient: the scope questions and every clinical yes/no have no default.
    assert [key for key, field in fields.items() if field["required"]] == [
        "age_16_or_over", "pregnant_or_breastfeeding", "loading_response", "neurological_symptoms", "cause",
        "current_regimen", "symptoms_recur_before_next_dose"]
    assert [key for key, field in fields.items() if "default" in field] == ["folic_acid_planned"]


def test_rules_from_the_source_cite_its_references_and_check_them_against_primary_ones():
    references = engine.references()
    for rule in descriptor()["rules"]:
        if rule["basis"] == "source":
            assert all(references[key]["group"] == "source" for key in rule["references"])
        assert all(references[key]["group"] == "primary" for key in rule["evidence"]["references"])


def test_statements_without_a_rule_carry_their_evidence_check():
    statements = {statement["id"]: statement for statement in descriptor()["statements"]}
    assert statements["loading-course"]["evidence"]["status"] == "differs"
    assert statements["loading-course"]["evidence"]["references"] == ["smpc-cobalin-h", "bnf-hydroxocobalamin"]
    assert statements["monthly-may-work-better"]["evidence"]["status"] == "differs"
    # What the source says beyond primary guidance is a statement, never a rule that prescribes.
    assert statements["ileal-resection-monthly"]["evidence"]["status"] == "differs"
    assert "smpc-cobalin-h" in statements["ileal-resection-monthly"]["evidence"]["references"]
    assert statements["b12-homocysteine-tests"]["evidence"]["status"] == "differs"
    assert statements["homocysteine-target"]["evidence"]["status"] == "unsourced"
    assert statements["individualised-regimen"]["evidence"]["status"] == "unsourced"


def test_a_last_injection_after_the_assessment_is_a_published_check():
    assert descriptor()["checks"] == [
        {"kind": "not_after", "field": "last_injection_date", "other": "assessment_date"}]


def test_the_contract_ids_are_rules_or_the_sources_statements():
    ids = {rule["id"] for rule in descriptor()["rules"]}
    statements = {statement["id"] for statement in descriptor()["statements"]}
    cautions = {"lifelong-therapy", "folic-acid", "specialist-advice", "homocysteine-above-target",
                "review-reversible-cause", "off-licence-interval", "neurological-involvement", "injection-overdue"}
    assert cautions | {"symptom-review", "serum-b12", "homocysteine"} <= ids
    assert {"oral-dietary", "im-malabsorption", "neuro-every-2-months", "recurrence-step-up", "never-lengthen",
            "no-level-driven-frequency"} <= ids
    # The source's routine blood tests, its "up to 50%" and its monthly interval after ileal resection are shown
    # as its statements: they keep their ids, and no rule prescribes them.
    assert {"b12-homocysteine-tests", "individualised-regimen", "ileal-resection-monthly"} <= statements - ids
    assert "im-ileal-resection" not in ids


def test_evidence_statuses_follow_the_evidence_check():
    status = {rule["id"]: rule["evidence"]["status"] for rule in descriptor()["rules"]}
    assert status["im-malabsorption"] == "agrees"
    assert status["neuro-every-2-months"] == "agrees"
    assert status["folic-acid"] == "agrees"
    assert status["no-level-driven-frequency"] == "agrees"
    assert status["recurrence-step-up"] == "agrees"
    assert status["oral-dietary"] == "differs"
    assert status["source-blood-tests"] == "differs"
    assert status["source-ileal-monthly"] == "differs"
    assert status["serum-b12"] == "differs"
    assert status["homocysteine"] == "agrees"
    assert status["injection-overdue"] == "unsourced"
    rules = {rule["id"]: rule for rule in descriptor()["rules"]}
    # The oral licence covers nutritional deficiency at 1 mg a day (the review's item 16).
    assert "licensed for nutritional deficiency" in rules["oral-dietary"]["evidence"]["note"]
    assert "50-150 micrograms a day" not in rules["oral-dietary"]["evidence"]["note"].split(";")[0]


def test_the_decision_table_texts_are_generated_from_the_conditions():
    rules = {rule["id"]: rule for rule in descriptor()["rules"]}
    assert rules["source-ileal-monthly"]["when"] == (
        "The patient is within this pathway and (Cause of deficiency: Ileal resection and Length of ileum resected "
        "more than 20 cm)")
    assert rules["source-ileal-monthly"]["condition"] == {"all": [
        {"state": "in-scope"}, {"all": [{"field": "cause", "is": "ileal_resection"},
                                        {"field": "ileal_resection_cm", "above": 20}]}]}
    assert rules["lifelong-therapy"]["then"].startswith("High: ")
    assert rules["specialist-advice"]["then"].startswith("Warning (high when Response to the loading course: Not "
                                                         "improved; high when neurological symptoms return (symptoms "
                                                         "recur before the next dose and the returning symptoms "
                                                         "include neurological ones)):")
    assert rules["folic-acid"]["then"].startswith("Warning (high when folic acid is being considered or prescribed)")
