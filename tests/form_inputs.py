"""Random inputs as a calculator form sends them (text for numbers and dates, booleans, choices, fields left
out), drawn from a pathway's descriptor and the partition its answer table publishes: values on and either
side of every threshold, dates either side of every month cut, and now and then a value the engine rejects.
Shared by the answer table's parity tests (Pyodide under Node, and the browser)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from engine.dates import add_months


def _near(limit: float, integer: bool) -> list[str]:
    if integer:
        return [str(int(limit) + step) for step in (-1, 0, 1)]
    return [f"{limit + step:g}" for step in (-0.5, -0.01, 0, 0.01, 0.5)]


def _number_text(spec: dict[str, Any], limits: list[float], rng: random.Random) -> str:
    integer = spec["type"] == "integer"
    roll = rng.random()
    if limits and roll < 0.5:
        return rng.choice(_near(rng.choice(limits), integer))
    if roll < 0.9:
        value = rng.uniform(spec["min"], spec["max"])
        return str(round(value)) if integer else f"{value:.2f}"
    return rng.choice(["abc", "-1", str(spec["max"] * 2), "1e3", " 12 "])  # rejected, or text to trim


def _dates(spec: dict[str, Any], rng: random.Random) -> date:
    low, high = date.fromisoformat(spec["min"]), date.fromisoformat(spec["max"])
    return low + timedelta(days=rng.randrange((high - low).days + 1))


def form_inputs(descriptor: dict[str, Any], table: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One random set of form inputs for ``descriptor``'s pathway."""
    specs = {spec["key"]: spec for spec in descriptor["inputs"]}
    limits: dict[str, list[float]] = {}
    spans: list[tuple[str, str, list[int]]] = []
    for group in table["groups"]:
        for dimension in group["dimensions"]:
            if dimension["kind"] == "months_between":
                spans.append((*dimension["fields"], dimension["cuts"]))
            for item in dimension["classes"]:
                segment = item.get("segment")
                if segment:
                    limits.setdefault(dimension["fields"][0], []).extend(
                        bound for bound in (segment["min"], segment["max"]) if bound is not None)
    inputs: dict[str, Any] = {}
    for key, spec in specs.items():
        if rng.random() < (0.04 if spec["required"] else 0.3):
            continue  # left out: a required answer missing now and then
        if spec["type"] == "bool":
            inputs[key] = rng.random() < 0.5
        elif spec["type"] == "enum":
            inputs[key] = rng.choice([choice["value"] for choice in spec["choices"]])
        elif spec["type"] == "date":
            inputs[key] = _dates(spec, rng).isoformat()
        else:
            inputs[key] = _number_text(spec, limits.get(key, []), rng)
    for start, end, cuts in spans:  # the second date either side of a month cut after the first
        if start in inputs and end in inputs and rng.random() < 0.7:
            first = date.fromisoformat(inputs[start])
            second = add_months(first, rng.choice(cuts)) + timedelta(days=rng.choice((-1, 0, 1)))
            if second <= date.fromisoformat(specs[end]["max"]):
                inputs[end] = second.isoformat()
    return inputs


def _breaking(check: dict[str, Any], specs: dict[str, Any], inputs: dict[str, Any], rng: random.Random) -> bool:
    """Set the fields ``check`` names so that each is valid and the check refuses them; False if it cannot."""
    if check["kind"] == "not_after":
        later, earlier = specs[check["field"]], specs[check["other"]]
        first = _dates(earlier, rng)
        second = first + timedelta(days=rng.choice((1, 2, 30, 365)))
        if second > date.fromisoformat(later["max"]) or first < date.fromisoformat(later["min"]):
            return False
        inputs[check["field"]], inputs[check["other"]] = second.isoformat(), first.isoformat()
        return True
    if check["kind"] == "at_most_one_a_day":
        count, weeks = specs[check["count"]], specs[check["weeks"]]
        span = round(rng.uniform(weeks["min"], min(weeks["max"], (count["max"] - 2) / 7)), 2)
        most = int(7 * span) + 1
        if not weeks["min"] <= span <= weeks["max"] or most + 1 > count["max"]:
            return False
        inputs[check["count"]], inputs[check["weeks"]] = str(rng.randint(most + 1, count["max"])), f"{span:g}"
        return True
    raise ValueError(f"no way to break a check of kind {check['kind']!r}")


def inputs_breaking_a_check(descriptor: dict[str, Any], check: dict[str, Any], accepted: dict[str, Any],
                            rng: random.Random) -> dict[str, Any]:
    """``accepted`` (inputs the engine accepts) with the fields ``check`` names set so that the check alone
    refuses them: each value valid on its own, the two together impossible."""
    specs = {spec["key"]: spec for spec in descriptor["inputs"]}
    for _ in range(100):
        inputs = dict(accepted)
        if _breaking(check, specs, inputs, rng):
            _answer_what_is_now_required(specs, inputs)
            return inputs
    raise ValueError(f"could not break {check}")


def _answer_what_is_now_required(specs: dict[str, Any], inputs: dict[str, Any]) -> None:
    """A field the check's fields made required (required when one of them is given): some valid answer."""
    for key, spec in specs.items():
        condition = spec.get("required_when")
        if key in inputs or condition is None or condition["field"] not in inputs:
            continue
        if condition.get("given") or inputs[condition["field"]] in condition["in"]:
            inputs[key] = (spec["choices"][0]["value"] if spec["type"] == "enum" else False if spec["type"] == "bool"
                           else spec["min"] if spec["type"] == "date" else str(spec["max"]))
