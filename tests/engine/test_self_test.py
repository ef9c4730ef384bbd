"""The on-device self-test's check (engine.self_test): the build's answers, compared where the engine runs."""

from __future__ import annotations

import json

import pytest

from engine.self_test import check, expectations, matches
from engine.version import ENGINE_VERSION
from tests.shared_cases import load_cases

CASES = [(case.id, case.pathway, case.input) for case in load_cases()]


@pytest.fixture(scope="module")
def expected():
    return expectations(CASES)


def test_every_shared_case_passes_where_it_was_made(expected):
    assert len(expected["cases"]) == len(CASES) and expected["engine_version"] == ENGINE_VERSION
    verdict = json.loads(check(json.dumps(expected)))
    assert verdict == {"ok": True, "checked": len(CASES), "mismatches": [], "problem": None}


def test_an_answer_that_differs_is_named(expected):
    corrupted = json.loads(json.dumps(expected))
    first = corrupted["cases"][0]
    third = next(case for case in corrupted["cases"][1:] if '"age_16_or_over":true' in case["input_json"])
    first["sha256"] = "0" * 64
    # Another input (now under 16: out of scope), so another answer than the one recorded.
    third["input_json"] = third["input_json"].replace('"age_16_or_over":true', '"age_16_or_over":false')
    verdict = json.loads(check(json.dumps(corrupted)))
    assert verdict["ok"] is False and verdict["mismatches"] == [first["id"], third["id"]]
    assert not matches(first["pathway"], first["input_json"], first["sha256"])


@pytest.mark.parametrize("text, says", [
    ("{not json", "cannot be read"),
    ("[]", "cannot be read"),
    (json.dumps({"format": 2, "engine_version": ENGINE_VERSION, "cases": []}), "format 2"),
    (json.dumps({"format": 1, "engine_version": "0.0.1", "cases": []}), "made for engine '0.0.1'"),
    (json.dumps({"format": 1, "engine_version": ENGINE_VERSION, "cases": [{"id": "x"}]}), "cannot be read"),
])
def test_a_file_that_cannot_be_read_is_a_failed_check_with_its_reason(text, says):
    verdict = json.loads(check(text))
    assert verdict["ok"] is False and verdict["checked"] == 0 and says in verdict["problem"]
