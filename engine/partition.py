"""The partition of a pathway's inputs: what its rules tell apart of each field, as dimensions and their classes.

Every field a condition looks at (or an outcome reads) is a *dimension*: an enum splits into its choices, a
bool into yes and no, a number into the segments between the thresholds its comparisons name, a whole number
an outcome uses into its values, a field only asked about into given and not given, and two dates compared
(``MonthsBetween``) into the spans between the month counts named; an optional field that may be unanswered
also has a "not given" class. A field required only when another has some values is a dimension only there.

Two inputs in the same class make the same rules fire with the same outcomes, so one representative of each
class stands for all of them. The partition is published as data (``Dimension.to_json``) in the answer table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from engine.conditions import Compare, Is, MonthsBetween
from engine.dates import add_months
from engine.fields import Field
from engine.pathway import Pathway
from engine.rules import Rule

MAX_VALUES_EACH = 50  # a whole number an outcome uses is split value by value: only for a short range
GIVEN = object()  # what a dimension that applies only when another field is given sees of a "given" class
# A day that exists in every month: the representative dates of a span of months keep their day.
_SAFE_DAY = 15
_NEAR_AN_OPEN_END = 0.01  # a member of a segment next to an end that is not in it
# A class of a group of dimensions: one class index per dimension, None where the dimension does not apply.
ClassKey = tuple[int | None, ...]


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
            if integer:
                candidates = [value for value in range(int(low), int(high) + 1) if self.contains(value)]
                if not candidates:
                    raise SpaceError(f"no whole number lies in {self}")
                return candidates[len(candidates) // 2]
            middle = (low + high) / 2
            return middle if self.contains(middle) else (high if self.high_closed else low)
        edge = low if low is not None else high
        if edge is None:
            return 1
        step = 1 if low is not None else -1
        return edge if (self.low_closed if low is not None else self.high_closed) else edge + step

    def ends(self, integer: bool) -> list[float]:
        """The members nearest each end (the end itself where it is closed): where a check across fields
        refuses the representative with another field's value, a member at one end may be accepted."""
        found = []
        for edge, closed, step in ((self.low, self.low_closed, 1), (self.high, self.high_closed, -1)):
            if edge is None:
                continue
            if integer:
                value: float = math.ceil(edge) if step > 0 else math.floor(edge)
                value = value if self.contains(value) else value + step
            else:
                value = edge if closed else edge + step * _NEAR_AN_OPEN_END
            if self.contains(value):
                found.append(value)
        return found

    def to_json(self) -> dict[str, Any]:
        return {"min": self.low, "min_closed": self.low_closed, "max": self.high, "max_closed": self.high_closed}


@dataclass(frozen=True)
class InputClass:
    """One class of a dimension: a value, a segment, a span of months, "given" or "not given"."""

    label: str
    given: bool
    value: Any = None  # a choice, a bool or a whole number
    segment: Segment | None = None
    months_over: int | None = None  # months_between: how many of the cut points the span is more than

    def to_json(self) -> dict[str, Any]:
        if not self.given:
            return {"given": False}
        if self.segment is not None:
            return {"given": True, "segment": self.segment.to_json()}
        if self.months_over is not None:
            return {"given": True, "cuts_passed": self.months_over}
        if self.value is not None:
            return {"given": True, "value": self.value}
        return {"given": True}


@dataclass(frozen=True)
class Dimension:
    """What the rules tell apart of one field (or of two dates), its classes, and when it applies."""

    fields: tuple[Field, ...]
    kind: str  # choice | bool | segments | each | given | months_between
    classes: tuple[InputClass, ...]
    cuts: tuple[int, ...] = ()  # months_between: the month counts the rules compare the span with

    @property
    def key(self) -> str:
        return "+".join(spec.key for spec in self.fields)

    @property
    def label(self) -> str:
        if self.kind == "months_between":
            return f"Months from the {self.fields[0].label.lower()} to the {self.fields[1].label.lower()}"
        return self.fields[0].label

    def applies(self, chosen: dict[str, Any]) -> bool:
        condition = self.fields[0].required_when
        return condition is None or condition.holds(chosen)

    def position(self, values: dict[str, Any]) -> int | None:
        """The class of validated ``values`` in this dimension (None: in none of them)."""
        if self.kind == "months_between":
            start, end = (values.get(spec.key) for spec in self.fields)
            if start is None or end is None:
                return next((index for index, item in enumerate(self.classes) if not item.given), None)
            passed = months_passed(date.fromisoformat(start), date.fromisoformat(end), self.cuts)
            return next(index for index, item in enumerate(self.classes) if item.months_over == passed)
        value = values.get(self.fields[0].key)
        return next((index for index, item in enumerate(self.classes) if _is_member(item, value)), None)

    def assign(self, index: int, values: dict[str, Any]) -> None:
        """Put the representative of class ``index`` into ``values``."""
        item = self.classes[index]
        if not item.given:
            return
        spec = self.fields[0]
        if self.kind == "months_between":
            start, end = _span(self.cuts, item.months_over)
            values[self.fields[0].key], values[self.fields[1].key] = start.isoformat(), end.isoformat()
        elif item.segment is not None:
            integer = spec.type == "integer"
            value = item.segment.representative(integer)
            values[spec.key] = int(value) if integer else value
        elif item.value is not None:
            values[spec.key] = item.value
        else:
            values[spec.key] = any_value(spec)

    def members(self, index: int) -> list[dict[str, Any]]:
        """Members of class ``index`` to try when a check across fields refuses the representative: the
        representative first, then the members nearest the ends of a segment."""
        values: dict[str, Any] = {}
        self.assign(index, values)
        item, spec = self.classes[index], self.fields[0]
        if item.segment is None:
            return [values]
        integer = spec.type == "integer"
        return [values] + [{spec.key: int(value) if integer else value} for value in item.segment.ends(integer)]

    def chosen(self, index: int) -> dict[str, Any]:
        """What later dimensions' required_when sees of class ``index``."""
        item = self.classes[index]
        if not item.given or self.kind == "months_between":
            return {}
        return {self.fields[0].key: item.value if item.value is not None else GIVEN}

    def to_json(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"fields": [spec.key for spec in self.fields], "kind": self.kind,
                                "classes": [item.to_json() for item in self.classes]}
        if self.cuts:
            spec["cuts"] = list(self.cuts)
        if self.fields[0].required_when is not None:
            spec["applies"] = self.fields[0].required_when.to_spec()
        return spec


def months_passed(start: date, end: date, cuts: tuple[int, ...]) -> int:
    """How many of the ``cuts`` (in months) the span from ``start`` to ``end`` is more than."""
    return sum(add_months(start, cut) < end for cut in cuts)


def _span(cuts: tuple[int, ...], passed: int) -> tuple[date, date]:
    """Two dates whose span is more than exactly ``passed`` of the ``cuts`` (in months)."""
    # Exactly the next cut's months before the end passes the cuts below it and not that one; the day of the
    # month exists in every month, so no month end moves it.
    end = date(2026, 6, _SAFE_DAY)
    return add_months(end, -(cuts[passed] if passed < len(cuts) else cuts[-1] + 1)), end


def any_value(spec: Field) -> Any:
    """Some valid value of a field: for fields whose value no rule tells apart."""
    if spec.type == "enum":
        return spec.choice_values[0]
    if spec.type == "bool":
        return False
    if spec.type == "date":
        low = date.fromisoformat(str(spec.min or "1900-01-01"))
        high = date.fromisoformat(str(spec.max or "2199-12-31"))
        return (low + timedelta(days=(high - low).days // 2)).isoformat()
    value = Segment(spec.min, not spec.min_exclusive, spec.max, True).representative(spec.type == "integer")
    return int(value) if spec.type == "integer" else value


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


def _limits(rules: tuple[Rule, ...]) -> dict[str, list[tuple[float, bool]]]:
    """Field -> its thresholds as (limit, whether the limit itself is on the upper side)."""
    found: dict[str, list[tuple[float, bool]]] = {}
    for part in _condition_parts(rules):
        if isinstance(part, Compare):
            found.setdefault(part.field, []).append((part.limit, part.comparison in ("at_least", "below")))
    return found


def _condition_parts(rules: tuple[Rule, ...]) -> Iterator[Any]:
    for rule in rules:
        for condition in (rule.condition, *rule.outcome.conditions()):
            yield from condition.walk()


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


def _months_classes(cuts: tuple[int, ...]) -> tuple[InputClass, ...]:
    def months(n: int) -> str:
        return "1 month" if n == 1 else f"{n} months"

    labels = [f"up to {months(cuts[0])}"]
    labels += [f"more than {months(low)}, up to {months(high)}" for low, high in pairwise(cuts)]
    labels.append(f"more than {months(cuts[-1])}")
    return tuple(InputClass(label, True, months_over=passed) for passed, label in enumerate(labels))


def dimensions(pathway: Pathway, rules: tuple[Rule, ...] | None = None) -> tuple[Dimension, ...]:
    """The dimensions ``rules`` (default: all the pathway's) look at, in field order."""
    rules = pathway.rules if rules is None else rules
    specs = pathway.field_specs
    pairs: dict[tuple[str, str], set[int]] = {}
    looked_at: set[str] = set()
    equal: set[str] = set()
    for part in _condition_parts(rules):
        if isinstance(part, MonthsBetween):
            pairs.setdefault((part.start, part.end), set()).add(part.months)
        else:
            looked_at |= set(part.reads())
            if isinstance(part, Is):
                equal.add(part.field)
    read = {key for rule in rules for key in rule.outcome.reads()}
    looked_at |= read
    dated = {key for pair in pairs for key in pair}
    if dated & looked_at or len(dated) != 2 * len(pairs):
        raise SpaceError(f"pathway {pathway.id!r}: a date compared with MonthsBetween is looked at in another way "
                         "too; the input space splits each date pair only by the months between them")
    for key in list(looked_at):  # a dimension that applies only for some answers of another: that one too
        condition = specs[key].required_when
        if condition is not None:
            looked_at.add(condition.field)
    limits = _limits(rules)
    found: list[Dimension] = []
    for spec in pathway.fields:
        pair = next(((start, end) for start, end in pairs if end == spec.key), None)
        if pair is not None:
            cuts = tuple(sorted(pairs[pair]))
            found.append(Dimension((specs[pair[0]], spec), "months_between",
                                   (*_months_classes(cuts), InputClass("a date not given", False)), cuts))
        if spec.key in looked_at:
            found.append(_dimension(pathway, spec, spec.key in read or spec.key in equal, limits))
    return tuple(found)


def _dimension(pathway: Pathway, spec: Field, by_value: bool, limits: dict[str, list]) -> Dimension:
    absent = () if spec.always_given or spec.required_when is not None else (InputClass("not given", False),)
    if spec.type == "enum":
        classes = tuple(InputClass(choice.label, True, choice.value) for choice in spec.choices)
        return Dimension((spec,), "choice", classes + absent)
    if spec.type == "bool":
        return Dimension((spec,), "bool", (InputClass("yes", True, True), InputClass("no", True, False), *absent))
    if spec.type == "integer" and by_value:
        if spec.min is None or spec.max is None or spec.max - spec.min >= MAX_VALUES_EACH:
            raise SpaceError(f"pathway {pathway.id!r}: {spec.key!r} is used value by value, so it needs a "
                             f"range of fewer than {MAX_VALUES_EACH} whole numbers")
        values = [n for n in range(int(spec.min), int(spec.max) + 1) if n > spec.min or not spec.min_exclusive]
        return Dimension((spec,), "each", tuple(InputClass(str(n), True, n) for n in values) + absent)
    if spec.type in ("number", "integer") and spec.key in limits:
        classes = tuple(InputClass(_segment_label(spec, segment), True, segment=segment)
                        for segment in _segments(spec, limits[spec.key]))
        return Dimension((spec,), "segments", classes + absent)
    if by_value:
        raise SpaceError(f"pathway {pathway.id!r}: an outcome reads {spec.type} field {spec.key!r}; only "
                         "whole numbers of a short range can be split value by value")
    return Dimension((spec,), "given", (InputClass("given", True), *absent))
