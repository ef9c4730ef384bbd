"""Fuzzing: any JSON-like input gives a result or a structured error, never an exception."""

from __future__ import annotations

import json
import math
import pickle
from datetime import date

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import engine
from engine.errors import ERROR_CODES

DESCRIPTORS = {pathway["id"]: pathway for pathway in engine.pathways()}
FIELD_KEYS = sorted({field["key"] for pathway in DESCRIPTORS.values() for field in pathway["inputs"]})

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.sampled_from([10**400, -(10**400), 0, -0.0, 1e308, -1e-320])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=60)
    | st.sampled_from(["", " ", "453", "453,5", "1e3", "NaN", "-1", "2025-02-30", "2024-02-29", "<script>x</script>"])
)
json_like = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=10,
)
# Field values are mostly scalars, sometimes a shallow container: deep nesting is covered by
# json_like as a whole input, and keeping these shallow keeps 10,000 examples fast.
field_values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=5), scalars, max_size=3)
# Mostly the pathway's own keys with arbitrary values (so validation is reached in depth),
# sometimes any keys at all, sometimes not an object.
pathway_inputs = st.dictionaries(
    st.sampled_from(FIELD_KEYS) | st.text(max_size=20), field_values, max_size=len(FIELD_KEYS) + 2
)


def _valid_values(spec: dict) -> st.SearchStrategy:
    """Values the field accepts, derived from its spec in the descriptor."""
    if spec["type"] == "enum":
        return st.sampled_from([choice["value"] for choice in spec["choices"]])
    if spec["type"] == "bool":
        return st.booleans()
    if spec["type"] == "integer":
        return st.integers(spec["min"], spec["max"])
    if spec["type"] == "number":
        numbers = st.floats(spec["min"], spec["max"], exclude_min=spec.get("min_exclusive", False))
        # As a form sends them: plain decimals with a point (exponents are rejected by design).
        lowest = max(1, math.ceil(spec["min"] * 100))
        if spec.get("min_exclusive") and lowest == spec["min"] * 100:
            lowest += 1
        typed = st.integers(lowest, spec["max"] * 100).map(lambda hundredths: f"{hundredths / 100:.2f}")
        return numbers | typed
    low, high = (date.fromisoformat(spec[bound]) for bound in ("min", "max"))
    return st.dates(low, high).map(date.isoformat)


def _required_here(condition: dict, inputs: dict) -> bool:
    value = inputs.get(condition["field"])
    return value is not None if condition.get("given") else value in condition["in"]


def _complete(specs: list[dict], inputs: dict) -> bool:
    """Every field required for these values is there (required_when names an earlier field: its choices, or
    that it is given)."""
    return all(spec["key"] in inputs for spec in specs
               if "required_when" in spec and _required_here(spec["required_when"], inputs))


def _valid_inputs(pathway_id: str) -> st.SearchStrategy:
    specs = DESCRIPTORS[pathway_id]["inputs"]
    return st.tuples(st.just(pathway_id), st.fixed_dictionaries(
        {spec["key"]: _valid_values(spec) for spec in specs if spec["required"]},
        optional={spec["key"]: _valid_values(spec) for spec in specs if not spec["required"]},
    ).filter(lambda inputs: _complete(specs, inputs)))


def _plausible_inputs(pathway_id: str) -> st.SearchStrategy:
    # Valid required fields, each optional field valid or wild: validation is reached in depth.
    specs = DESCRIPTORS[pathway_id]["inputs"]
    return st.fixed_dictionaries(
        {spec["key"]: _valid_values(spec) for spec in specs if spec["required"]},
        optional={spec["key"]: _valid_values(spec) | field_values for spec in specs if not spec["required"]},
    )


known_ids = st.sampled_from(sorted(DESCRIPTORS))
valid_inputs = known_ids.flatmap(_valid_inputs)
plausible_inputs = known_ids.flatmap(_plausible_inputs)
pathway_ids = known_ids | st.sampled_from(["", "B12-MAINTENANCE", "b12"]) | json_like


def _assert_well_formed(result: object) -> None:
    assert isinstance(result, dict)
    text = engine.canonical_json(result)  # JSON with no NaN or Infinity anywhere
    assert json.loads(text) == result
    assert isinstance(result["ok"], bool)
    if result["ok"]:
        gives_regimen = DESCRIPTORS[result["pathway"]]["gives_regimen"]
        assert (result["in_scope"] and gives_regimen) == (result["regimen"] is not None)
    else:
        assert result["errors"], "a rejected input must say why"
        for error in result["errors"]:
            assert error["code"] in ERROR_CODES
            assert isinstance(error["message"], str) and error["message"]
            assert error["field"] is None or isinstance(error["field"], str)


@settings(
    max_examples=3_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(pathway_id=pathway_ids, inputs=json_like | pathway_inputs | plausible_inputs)
def test_evaluate_never_raises_and_never_mutates_its_input(pathway_id, inputs):
    before = pickle.dumps(inputs)
    result = engine.evaluate(pathway_id, inputs)
    event("accepted" if result["ok"] else "rejected")  # shown by --hypothesis-show-statistics
    _assert_well_formed(result)
    assert pickle.dumps(inputs) == before
    assert engine.canonical_json(engine.evaluate(pathway_id, inputs)) == engine.canonical_json(result)


@settings(max_examples=2_000, deadline=None)
@given(pathway_id=known_ids,
       text=st.text(max_size=200) | st.sampled_from(["[" * 100_000, '{"a":' * 50_000, "1e999", "NaN"]))
def test_evaluate_json_never_raises_on_any_text(pathway_id, text):
    _assert_well_formed(json.loads(engine.evaluate_json(pathway_id, text)))


def _refusing_checks(pathway_id: str, inputs: dict) -> list[str]:
    """The fields on which the pathway's checks across fields (as its descriptor publishes them) refuse valid
    ``inputs``: a date after the one it cannot follow, more than one dose a day."""
    refused = []
    for check in DESCRIPTORS[pathway_id]["checks"]:
        named = [value for key, value in check.items() if key != "kind"]
        if not all(key in inputs for key in named):
            continue
        if check["kind"] == "not_after":
            impossible = date.fromisoformat(inputs[check["field"]]) > date.fromisoformat(inputs[check["other"]])
        elif check["kind"] == "at_most_one_a_day":
            impossible = int(inputs[check["count"]]) - 1 > 7 * float(inputs[check["weeks"]])
        else:
            raise AssertionError(f"a check of a kind this test does not know: {check}")
        if impossible:
            refused.append(named[0])
    return refused


@settings(max_examples=1_500, deadline=None)
@given(case=valid_inputs)
def test_every_valid_input_is_accepted(case):
    """Unless a check across fields refuses it (each value valid, together impossible): then that alone."""
    pathway_id, inputs = case
    result = engine.evaluate(pathway_id, inputs)
    refused = _refusing_checks(pathway_id, inputs)
    event("refused by a check" if refused else "accepted")
    if refused:
        assert [(error["field"], error["code"]) for error in result["errors"]] == [(key, "range") for key in refused]
    else:
        assert result["ok"] is True, result["errors"] if not result["ok"] else None
    _assert_well_formed(result)
