"""The shared cases, replayed on CPython through the public API."""

import json

import pytest

import engine
from tests.shared_cases import load_cases, mismatches, resolve

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_shared_case(case):
    result = engine.evaluate(case.pathway, case.input)
    assert mismatches(result, case.expect) == []
    # Every result is JSON that round-trips unchanged: what the browser receives.
    assert json.loads(engine.evaluate_json(case.pathway, json.dumps(case.input))) == result


def test_the_cases_cover_every_rule_and_error_code():
    results = [engine.evaluate(case.pathway, case.input) for case in CASES]
    fired = {(result.get("pathway"), rule) for result in results for rule in resolve(result, "trace.*.rule") or []}
    rule_ids = {(pathway["id"], rule["id"]) for pathway in engine.pathways() for rule in pathway["rules"]}
    assert rule_ids - fired == set()
    codes = {code for result in results for code in resolve(result, "errors.*.code") or []}
    assert codes == {"required", "type", "choice", "range", "unknown-field", "unknown-pathway"}


def test_resolve_reads_paths_and_reports_absence():
    value = {"a": [{"b": 1}, {"b": 2}], "c": {"d": None}}
    assert resolve(value, "a.*.b") == [1, 2]
    assert resolve(value, "a.1.b") == 2
    assert resolve(value, "a.5.b") is None
    assert resolve(value, "c.d") is None
    assert resolve(value, "x.y") is None
    assert mismatches(value, {"a.0.b": 2}) == ["a.0.b: expected 2, got 1"]
