"""A pathway's input space, derived from its rules' conditions: the classes of inputs that the rules tell apart.

Every field a condition looks at (or an outcome reads) is a *dimension*: an enum splits into its choices, a
bool into yes and no, a number into the segments between the thresholds its comparisons name, a whole number
an outcome uses into its values, a field only asked about into given and not given; an optional field that
may be unanswered also has a "not given" class. A field required only when another has some values is a
dimension only there. Two inputs in the same class make the same rules fire with the same outcomes, so one
representative of each class stands for all of them: the engine can evaluate every class, check its
rules against each other, and publish the partition (``partition``) and a table of answers by class.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from engine.conditions import Compare, Is, input_fields
from engine.fields import Field
from engine.pathway import Pathway

MAX_VALUES_EACH = 50  # a whole number an outcome uses is split value by value: only for a short range


class SpaceError(ValueError):
    """The pathway's rules look at a field in a way the input space cannot split into classes."""


@dataclass(frozen=True)
class Segment:
    """Numbers between two limits; each end is open or closed (None: no limit on that side)."""

    low: float | None
    low_closed: bool
    high: float | None
    high_closed: bool

    def contains(self, value: float) -> bool:
        above_low = self.low is None or (value >= self.low if self.low_closed else value > self.low)
        below_high = self.high is None or (value <= self.high if self.high_closed else value < self.high)
        return above_low and below_high

    def representative(self, integer: bool) -> float:
        """A member, away from the ends where it can be (the inclusive end otherwise)."""
        low, high = self.low, self.high
        if low is not None and high is not None:
            middle = (low + high) / 2
            if integer:
                candidates = [value for value in range(int(low), int(high) + 1) if self.contains(value)]
                if not candidates:
                    raise SpaceError(f"no whole number lies in {self}")
                return candidates[len(candidates) // 2]
            return middle if self.contains(middle) else (high if self.high_closed else low)
        edge = low if low is not None else high
        if edge is None:
            return 1
        step = 1 if low is not None else -1
        return edge if (self.low_closed if low is not None else self.high_closed) else edge + step

    def sample(self, rng: random.Random, integer: bool) -> float:
        low = self.low if self.low is not None else (self.high or 0) - 1000
        high = self.high if self.high is not None else (self.low or 0) + 1000
        for _ in range(1000):
            value = rng.randint(int(low), int(high)) if integer else round(rng.uniform(low, high), 2)
            if self.contains(value):
                return value
        return self.representative(integer)

    def to_json(self) -> dict[str, Any]:
        return {"min": self.low, "min_closed": self.low_closed, "max": self.high, "max_closed": self.high_closed}


@dataclass(frozen=True)
class InputClass:
    """One class of a dimension: a value, a segment, "given" or "not given"."""

    label: str
    given: bool
    value: Any = None  # a choice, a bool or a whole number
    segment: Segment | None = None

    def to_json(self) -> dict[str, Any]:
        if not self.given:
            return {"given": False}
        if self.segment is not None:
            return {"given": True, "segment": self.segment.to_json()}
        if self.value is not None:
            return {"given": True, "value": self.value}
        return {"given": True}


@dataclass(frozen=True)
class Dimension:
    """A field the rules tell apart, its classes, and when it applies (its required_when, if any)."""

    field: Field
    kind: str  # choice | bool | segments | each | given
    classes: tuple[InputClass, ...]

    def applies(self, chosen: dict[str, Any]) -> bool:
        condition = self.field.required_when
        return condition is None or chosen.get(condition.field) in condition.values

    def representative(self, index: int) -> Any:
        """A valid input value of class ``index`` (None: leave the field out)."""
        return _member(self, self.classes[index], None)

    def sample(self, index: int, rng: random.Random) -> Any:
        return _member(self, self.classes[index], rng)

    def to_json(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"field": self.field.key, "type": self.field.type, "kind": self.kind,
                                "classes": [item.to_json() for item in self.classes]}
        if self.field.required_when is not None:
            spec["applies"] = self.field.required_when.to_spec()
        return spec


def _member(dimension: Dimension, item: InputClass, rng: random.Random | None) -> Any:
    spec = dimension.field
    if not item.given:
        return None
    if item.segment is not None:
        value = item.segment.sample(rng, spec.type == "integer") if rng else item.segment.representative(
            spec.type == "integer")
        return int(value) if spec.type == "integer" else value
    if item.value is not None:
        return item.value
    return any_value(spec, rng)


def any_value(spec: Field, rng: random.Random | None = None) -> Any:
    """Some valid value of a field (random with ``rng``): for fields whose value no rule tells apart."""
    if spec.type == "enum":
        return rng.choice(spec.choice_values) if rng else spec.choice_values[0]
    if spec.type == "bool":
        return rng.choice((True, False)) if rng else False
    if spec.type == "date":
        low = date.fromisoformat(str(spec.min or "1900-01-01"))
        high = date.fromisoformat(str(spec.max or "2199-12-31"))
        span = (high - low).days
        return (low + timedelta(days=rng.randint(0, span) if rng else span // 2)).isoformat()
    segment = Segment(spec.min, not spec.min_exclusive, spec.max, True)
    return _member(Dimension(spec, "segments", ()), InputClass("", True, segment=segment), rng)


def _limits(pathway: Pathway) -> dict[str, list[tuple[float, bool]]]:
    """Field -> its thresholds as (limit, whether the limit itself is on the upper side)."""
    found: dict[str, list[tuple[float, bool]]] = {}
    for rule in pathway.rules:
        for condition in (rule.condition, *rule.outcome.conditions()):
            for part in condition.walk():
                if isinstance(part, Compare):
                    upper_includes_limit = part.comparison in ("at_least", "below")
                    found.setdefault(part.field, []).append((part.limit, upper_includes_limit))
    return found


def _segments(spec: Field, limits: list[tuple[float, bool]]) -> list[Segment]:
    cuts = sorted(set(limits))
    low, low_closed = spec.min, not spec.min_exclusive
    segments = []
    for limit, upper_includes in cuts:
        segment = Segment(low, low_closed, limit, not upper_includes)
        if low is None or limit > low or (limit == low and low_closed and not upper_includes):
            segments.append(segment)
        low, low_closed = limit, upper_includes
    segments.append(Segment(low, low_closed, spec.max, True))
    return segments


def _segment_label(spec: Field, segment: Segment) -> str:
    unit = f" {spec.unit}" if spec.unit else ""
    parts = []
    if segment.low is not None:
        parts.append(f"{'at least' if segment.low_closed else 'more than'} {segment.low:g}")
    if segment.high is not None:
        parts.append(f"{'not more than' if segment.high_closed else 'less than'} {segment.high:g}")
    return f"{' and '.join(parts)}{unit}"


def dimensions(pathway: Pathway) -> tuple[Dimension, ...]:
    """The pathway's dimensions, in field order (a field's required_when names an earlier field)."""
    looked_at: set[str] = set()
    compared_for_equality: set[str] = set()
    for rule in pathway.rules:
        for condition in (rule.condition, *rule.outcome.conditions()):
            looked_at |= input_fields(condition)
            compared_for_equality |= {part.field for part in condition.walk() if isinstance(part, Is)}
    read = {key for rule in pathway.rules for key in rule.outcome.reads()}
    looked_at |= read
    # A dimension that applies only for some values of another field makes that field a dimension too.
    specs = pathway.field_specs
    for key in list(looked_at):
        condition = specs[key].required_when
        if condition is not None:
            looked_at.add(condition.field)
    limits = _limits(pathway)
    found = []
    for spec in pathway.fields:
        if spec.key not in looked_at:
            continue
        absent = () if spec.always_given or spec.required_when is not None else (InputClass("not given", False),)
        if spec.type == "enum":
            classes = tuple(InputClass(choice.label, True, choice.value) for choice in spec.choices)
            found.append(Dimension(spec, "choice", classes + absent))
        elif spec.type == "bool":
            answers = (InputClass("yes", True, True), InputClass("no", True, False))
            found.append(Dimension(spec, "bool", (*answers, *absent)))
        elif spec.type == "integer" and (spec.key in read or spec.key in compared_for_equality):
            if spec.min is None or spec.max is None or spec.max - spec.min >= MAX_VALUES_EACH:
                raise SpaceError(f"pathway {pathway.id!r}: {spec.key!r} is used value by value, so it needs a "
                                 f"range of fewer than {MAX_VALUES_EACH} whole numbers")
            values = [n for n in range(int(spec.min), int(spec.max) + 1) if n > spec.min or not spec.min_exclusive]
            found.append(Dimension(spec, "each", tuple(InputClass(str(n), True, n) for n in values) + absent))
        elif spec.type in ("number", "integer") and spec.key in limits:
            segments = _segments(spec, limits[spec.key])
            classes = tuple(InputClass(_segment_label(spec, segment), True, segment=segment) for segment in segments)
            found.append(Dimension(spec, "segments", classes + absent))
        elif spec.key in read:
            raise SpaceError(f"pathway {pathway.id!r}: an outcome reads {spec.type} field {spec.key!r}; only "
                             "whole numbers of a short range can be split value by value")
        else:
            found.append(Dimension(spec, "given", (InputClass("given", True), *absent)))
    return tuple(found)


@dataclass(frozen=True)
class InputSpace:
    """A pathway's dimensions and the inputs that stand for each class."""

    pathway: Pathway
    dimensions: tuple[Dimension, ...]
    # Required fields no rule looks at: any valid value stands for all (they change exact values only).
    fillers: tuple[Field, ...] = field(default=())

    def class_keys(self) -> Iterator[tuple[int | None, ...]]:
        """Every class key: one class index per dimension, None where the dimension does not apply."""
        def walk(index: int, chosen: dict[str, Any], key: tuple[int | None, ...]) -> Iterator[tuple[int | None, ...]]:
            if index == len(self.dimensions):
                yield key
                return
            dimension = self.dimensions[index]
            if not dimension.applies(chosen):
                yield from walk(index + 1, chosen, (*key, None))
                return
            for position, item in enumerate(dimension.classes):
                value = item.value if item.given else None
                yield from walk(index + 1, {**chosen, dimension.field.key: value}, (*key, position))

        return walk(0, {}, ())

    def inputs(self, key: tuple[int | None, ...], rng: random.Random | None = None) -> dict[str, Any]:
        """The representative of a class (a random member with ``rng``) as an input dict."""
        values: dict[str, Any] = {}
        for dimension, position in zip(self.dimensions, key, strict=True):
            if position is None:
                continue
            value = dimension.sample(position, rng) if rng else dimension.representative(position)
            if value is not None:
                values[dimension.field.key] = value
        for spec in self.fillers:
            if spec.required_when is None or values.get(spec.required_when.field) in spec.required_when.values:
                values[spec.key] = any_value(spec, rng)
        return values

    def classify(self, values: dict[str, Any]) -> tuple[int | None, ...] | None:
        """The class key of validated values, or None when a value falls in no class."""
        key: list[int | None] = []
        chosen: dict[str, Any] = {}
        for dimension in self.dimensions:
            if not dimension.applies(chosen):
                key.append(None)
                continue
            spec = dimension.field
            value = values.get(spec.key)
            position = next((index for index, item in enumerate(dimension.classes) if _is_member(item, value)),
                            None)
            if position is None:
                return None
            key.append(position)
            chosen[spec.key] = value
        return tuple(key)

    def size(self) -> int:
        return sum(1 for _ in self.class_keys())

    def to_json(self) -> dict[str, Any]:
        """The partition as data, for a page that classifies its inputs without holding any rule."""
        return {"pathway": self.pathway.id, "dimensions": [dimension.to_json() for dimension in self.dimensions]}


def _is_member(item: InputClass, value: Any) -> bool:
    if not item.given:
        return value is None
    if value is None:
        return False
    if item.segment is not None:
        return isinstance(value, int | float) and not isinstance(value, bool) and item.segment.contains(value)
    if item.value is not None:
        return value == item.value and type(value) is type(item.value)
    return True


def input_space(pathway: Pathway) -> InputSpace:
    found = dimensions(pathway)
    covered = {dimension.field.key for dimension in found}
    fillers = tuple(spec for spec in pathway.fields
                    if spec.key not in covered and spec.required and spec.default is None)
    return InputSpace(pathway, found, fillers)


# --- evaluating every class ----------------------------------------------------------------------------


def class_answer(result: dict[str, Any]) -> dict[str, Any]:
    """What a class's answer is made of: everything but what needs the exact values (the page shows those
    only from the engine): findings' texts, the schedule, the trace's wording and the inputs."""
    return {
        "in_scope": result["in_scope"],
        "scope_note": result["scope_note"],
        "regimen": result["regimen"],
        "cautions": result["cautions"],
        "monitoring": result["monitoring"],
        "findings": [finding["id"] for finding in result["findings"]],
    }


@dataclass
class Exploration:
    """Every class evaluated: how often each rule fired and was overridden, and the distinct answers."""

    pathway: Pathway
    space: InputSpace
    classes: int = 0
    fired: Counter[str] = field(default_factory=Counter)
    overridden: Counter[tuple[str, str]] = field(default_factory=Counter)
    answers: list[dict[str, Any]] = field(default_factory=list)  # distinct class answers
    by_class: dict[tuple[int | None, ...], int] = field(default_factory=dict)  # class key -> answer index
    problems: list[str] = field(default_factory=list)

    @property
    def never_fired(self) -> list[str]:
        return [rule.id for rule in self.pathway.rules if not self.fired[rule.id]]

    def outcome_counts(self) -> list[tuple[dict[str, Any], int]]:
        counts = Counter(self.by_class.values())
        return [(self.answers[index], counts[index]) for index in range(len(self.answers))]


def explore(pathway: Pathway) -> Exploration:
    """Evaluate one representative of every class and check the rules against each other.

    Problems (a representative the engine rejects, an in-scope class without exactly one regimen, a rule
    that never fires) are collected in ``problems``; the caller decides to fail.
    """
    import json  # only here: the engine's evaluation path needs no JSON

    space = input_space(pathway)
    found = Exploration(pathway, space)
    index_of: dict[str, int] = {}
    for key in space.class_keys():
        inputs = space.inputs(key)
        result = pathway.evaluate(inputs)
        found.classes += 1
        if not result["ok"]:
            found.problems.append(f"class {key}: the engine rejects its representative {inputs}: {result['errors']}")
            continue
        regimen_expected = pathway.gives_regimen and result["in_scope"]
        if (result["regimen"] is not None) != regimen_expected:
            found.problems.append(f"class {key} ({inputs}): "
                                  + ("no regimen although in scope" if regimen_expected else "a regimen out of scope"))
        for step in result["trace"]:
            found.fired[step["rule"]] += 1
            if "overridden_by" in step:
                found.overridden[(step["rule"], step["overridden_by"])] += 1
        answer = class_answer(result)
        text = json.dumps(answer, sort_keys=True)
        if text not in index_of:
            index_of[text] = len(found.answers)
            found.answers.append(answer)
        found.by_class[key] = index_of[text]
    found.problems += [f"rule {rule_id!r} fires for no class of inputs" for rule_id in found.never_fired]
    return found
