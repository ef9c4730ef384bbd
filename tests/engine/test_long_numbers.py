"""Numbers typed with thousands of digits are rejected as out of range, never raise.

Found by the browser fuzz (tests/browser/test_calculator_fuzz.py): a 5,000-digit whole number in an
integer field made int() raise ValueError (Python's limit on converting long text to int), so the
worker's evaluate threw instead of answering.
"""

from __future__ import annotations

import json

import pytest

import engine
from tests.pathways.b12_maintenance.patients import patient

PATHWAY = "b12-maintenance"
# Every number field applies: the ileal length (cause), the interval (on injections), the B12 value (with a unit).
BASE = patient(cause="ileal_resection", ileal_resection_cm=5, current_interval_months=2, serum_b12_unit="ng/L")
(DESCRIPTOR,) = [pathway for pathway in engine.pathways() if pathway["id"] == PATHWAY]
NUMBER_FIELDS = [field["key"] for field in DESCRIPTOR["inputs"] if field["type"] in ("number", "integer")]


@pytest.mark.parametrize("key", NUMBER_FIELDS)
@pytest.mark.parametrize("text", ["9" * 5000, "-" + "9" * 5000, "+" + "9" * 401, "9" * 4301 + ".5", "1" + "0" * 400])
def test_a_huge_number_is_out_of_range(key, text):
    result = json.loads(engine.evaluate_json(PATHWAY, json.dumps({**BASE, key: text})))
    assert result["ok"] is False
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(key, "range")]


@pytest.mark.parametrize("key", NUMBER_FIELDS)
def test_leading_zeros_do_not_count_as_digits(key):
    result = json.loads(engine.evaluate_json(PATHWAY, json.dumps({**BASE, key: "0" * 5000 + "2"})))
    assert result["ok"] is True
    assert result["inputs"][key] == 2
