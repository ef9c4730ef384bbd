"""What tests need of the input space beyond what the build uses: every class of the whole space, its size, and
random members of a class (the build evaluates one representative a class; the tests check any member)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import product
from math import prod
from typing import Any

from engine.dates import add_months
from engine.exploration import Exploration, merge
from engine.fields import Field
from engine.partition import ClassKey, Dimension, Segment, months_passed
from engine.rule_groups import FactoredSpace, InputSpace

REDRAWS = 100  # random members drawn again when a check across fields refuses one; then the representative


def class_keys(space: FactoredSpace) -> Iterator[tuple[ClassKey, ...]]:
    """Every class of the whole space: the product of the groups' classes."""
    return product(*(group.class_keys() for group in space.groups))


def group_size(group: InputSpace) -> int:
    return sum(1 for _ in group.class_keys())


def size(space: FactoredSpace) -> int:
    return prod(group_size(group) for group in space.groups)


def answer(exploration: Exploration, key: tuple[ClassKey, ...]) -> dict[str, Any]:
    """The exploration's answer of a class of the whole space: its groups' answers put together."""
    parts = [group.answers[group.by_class[part]] for group, part in zip(exploration.groups, key, strict=True)]
    return merge(parts, [rule.id for rule in exploration.pathway.rules])


def random_member(space: FactoredSpace, key: tuple[ClassKey, ...], rng: random.Random) -> dict[str, Any]:
    """A random member of a class of the whole space that the checks across fields accept (the representative
    when no random draw is accepted)."""
    for _ in range(REDRAWS):
        values: dict[str, Any] = {}
        for group, part in zip(space.groups, key, strict=True):
            for dimension, position in zip(group.dimensions, part, strict=True):
                if position is not None:
                    _assign(dimension, position, values, rng)
        for spec in space.fillers:
            if spec.required_when is None or spec.required_when.holds(values):
                values[spec.key] = random_value(spec, rng)
        if space.accepts(values):
            return values
    return space.inputs(key)


def _assign(dimension: Dimension, index: int, values: dict[str, Any], rng: random.Random) -> None:
    item = dimension.classes[index]
    if not item.given:
        return
    spec = dimension.fields[0]
    if dimension.kind == "months_between":
        start, end = _span(dimension.cuts, item.months_over, rng)
        values[dimension.fields[0].key], values[dimension.fields[1].key] = start.isoformat(), end.isoformat()
    elif item.segment is not None:
        integer = spec.type == "integer"
        value = _sample(item.segment, rng, integer)
        values[spec.key] = int(value) if integer else value
    elif item.value is not None:
        values[spec.key] = item.value
    else:
        values[spec.key] = random_value(spec, rng)


def _sample(segment: Segment, rng: random.Random, integer: bool) -> float:
    low = segment.low if segment.low is not None else (segment.high or 0) - 1000
    high = segment.high if segment.high is not None else (segment.low or 0) + 1000
    for _ in range(1000):
        value = rng.randint(int(low), int(high)) if integer else round(rng.uniform(low, high), 2)
        if segment.contains(value):
            return value
    return segment.representative(integer)


def _span(cuts: tuple[int, ...], passed: int, rng: random.Random) -> tuple[date, date]:
    """Two random dates whose span is more than exactly ``passed`` of the ``cuts`` (in months)."""
    end = date(rng.randint(2001, 2090), rng.randint(1, 12), rng.randint(1, 28))
    for _ in range(200):
        start = end - timedelta(days=rng.randint(0, 31 * (cuts[-1] + 3)))
        if months_passed(start, end, cuts) == passed:
            return start, end
    return add_months(end, -(cuts[passed] if passed < len(cuts) else cuts[-1] + 1)), end


def random_value(spec: Field, rng: random.Random) -> Any:
    """Some random valid value of a field."""
    if spec.type == "enum":
        return rng.choice(spec.choice_values)
    if spec.type == "bool":
        return rng.choice((True, False))
    if spec.type == "date":
        low = date.fromisoformat(str(spec.min or "1900-01-01"))
        high = date.fromisoformat(str(spec.max or "2199-12-31"))
        return (low + timedelta(days=rng.randint(0, (high - low).days))).isoformat()
    integer = spec.type == "integer"
    value = _sample(Segment(spec.min, not spec.min_exclusive, spec.max, True), rng, integer)
    return int(value) if integer else value
