"""A pathway's input space, derived from its rules' conditions: the classes of inputs that the rules tell apart.

Every field a condition looks at (or an outcome reads) is a *dimension*: an enum splits into its choices, a
bool into yes and no, a number into the segments between the thresholds its comparisons name, a whole number
an outcome uses into its values, a field only asked about into given and not given, and two dates compared
(``MonthsBetween``) into the spans between the month counts named; an optional field that may be unanswered
also has a "not given" class. A field required only when another has some values is a dimension only there.

Two inputs in the same class make the same rules fire with the same outcomes, so one representative of each
class stands for all of them. Rules that share no field and look at no state of the case are independent, so
the space factors into *groups*: the core group (scope, regimen and monitoring rules, and every rule looking at
what they decided) and one group per set of other rules that share fields (a caution that depends on one
answer alone, say). A class of the whole space is one class of each group, and its answer is the groups'
answers put together. The engine evaluates every class of every group, checks its rules against each other,
and publishes the partition and the answers by class as data (``answer_table``).
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise, product
from math import prod
from typing import Any

from engine.conditions import Compare, Is, MonthsBetween, input_fields, states_of
from engine.dates import add_months
from engine.fields import Field
from engine.pathway import Pathway
from engine.rules import IN_SCOPE_ONLY, Rule
from engine.validation import check_errors

MAX_VALUES_EACH = 50  # a whole number an outcome uses is split value by value: only for a short range
GIVEN = object()  # what a dimension that applies only when another field is given sees of a "given" class
# A day that exists in every month: the representative dates of a span of months keep their day.
_SAFE_DAY = 15
_NEAR_AN_OPEN_END = 0.01  # a member of a segment next to an end that is not in it
# Random members drawn again when a check across fields refuses the first: beyond that, a member at the ends
_REDRAWS = 100
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
            passed = _passed(date.fromisoformat(start), date.fromisoformat(end), self.cuts)
            return next(index for index, item in enumerate(self.classes) if item.months_over == passed)
        value = values.get(self.fields[0].key)
        return next((index for index, item in enumerate(self.classes) if _is_member(item, value)), None)

    def assign(self, index: int, values: dict[str, Any], rng: random.Random | None) -> None:
        """Put a member of class ``index`` (its representative without ``rng``) into ``values``."""
        item = self.classes[index]
        if not item.given:
            return
        spec = self.fields[0]
        if self.kind == "months_between":
            start, end = _span(self.cuts, item.months_over, rng)
            values[self.fields[0].key], values[self.fields[1].key] = start.isoformat(), end.isoformat()
        elif item.segment is not None:
            integer = spec.type == "integer"
            value = item.segment.sample(rng, integer) if rng else item.segment.representative(integer)
            values[spec.key] = int(value) if integer else value
        elif item.value is not None:
            values[spec.key] = item.value
        else:
            values[spec.key] = any_value(spec, rng)

    def members(self, index: int) -> list[dict[str, Any]]:
        """Members of class ``index`` to try when a check across fields refuses the representative: the
        representative first, then the members nearest the ends of a segment."""
        values: dict[str, Any] = {}
        self.assign(index, values, None)
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


def _passed(start: date, end: date, cuts: tuple[int, ...]) -> int:
    return sum(add_months(start, cut) < end for cut in cuts)


def _span(cuts: tuple[int, ...], passed: int, rng: random.Random | None) -> tuple[date, date]:
    """Two dates whose span is more than exactly ``passed`` of the ``cuts`` (in months)."""
    # Exactly the next cut's months before the end passes the cuts below it and not that one; the day of the
    # month exists in every month, so no month end moves it.
    end = date(2026, 6, _SAFE_DAY)
    representative = add_months(end, -(cuts[passed] if passed < len(cuts) else cuts[-1] + 1))
    if rng is None:
        return representative, end
    end = date(rng.randint(2001, 2090), rng.randint(1, 12), rng.randint(1, 28))
    for _ in range(200):
        start = end - timedelta(days=rng.randint(0, 31 * (cuts[-1] + 3)))
        if _passed(start, end, cuts) == passed:
            return start, end
    return add_months(end, -(cuts[passed] if passed < len(cuts) else cuts[-1] + 1)), end


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
    value = segment.sample(rng, spec.type == "integer") if rng else segment.representative(spec.type == "integer")
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


@dataclass(frozen=True)
class InputSpace:
    """The dimensions of one group of rules, and the inputs that stand for each class."""

    pathway: Pathway
    dimensions: tuple[Dimension, ...]
    rules: tuple[Rule, ...]  # the group's rules
    core: bool  # the group that decides scope, regimen and monitoring

    def class_keys(self) -> Iterator[ClassKey]:
        """Every class key: one class index per dimension, None where the dimension does not apply."""
        def walk(index: int, chosen: dict[str, Any], key: ClassKey) -> Iterator[ClassKey]:
            if index == len(self.dimensions):
                yield key
                return
            dimension = self.dimensions[index]
            if not dimension.applies(chosen):
                yield from walk(index + 1, chosen, (*key, None))
                return
            for position in range(len(dimension.classes)):
                yield from walk(index + 1, {**chosen, **dimension.chosen(position)}, (*key, position))

        return walk(0, {}, ())

    def assign(self, key: ClassKey, values: dict[str, Any], rng: random.Random | None = None) -> None:
        for dimension, position in zip(self.dimensions, key, strict=True):
            if position is not None:
                dimension.assign(position, values, rng)

    def classify(self, values: dict[str, Any]) -> ClassKey | None:
        """The class key of validated values, or None when a value falls in no class."""
        key: list[int | None] = []
        chosen: dict[str, Any] = {}
        for dimension in self.dimensions:
            if not dimension.applies(chosen):
                key.append(None)
                continue
            position = dimension.position(values)
            if position is None:
                return None
            key.append(position)
            chosen |= {spec.key: values[spec.key] for spec in dimension.fields if spec.key in values}
        return tuple(key)

    def size(self) -> int:
        return sum(1 for _ in self.class_keys())


def rule_groups(pathway: Pathway) -> list[tuple[Rule, ...]]:
    """The pathway's rules in independent groups, the core group first, each in rule order.

    Scope, regimen and monitoring rules, and every rule that looks at a state of the case (what those rules
    decided), belong to the core; any two rules that look at a common field belong to the same group.
    """
    parent = list(range(len(pathway.rules)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(first: int, second: int) -> None:
        parent[root(first)] = root(second)

    core = [index for index, rule in enumerate(pathway.rules)
            if rule.kind == "scope" or rule.kind in IN_SCOPE_ONLY
            or any(states_of(condition) for condition in (rule.condition, *rule.outcome.conditions()))]
    for index in core[1:]:
        join(index, core[0])
    owner: dict[str, int] = {}
    for index, rule in enumerate(pathway.rules):
        looked = set(rule.outcome.reads())
        for condition in (rule.condition, *rule.outcome.conditions()):
            looked |= input_fields(condition)
        for key in looked:
            spec = pathway.field_specs[key]
            keys = {key, spec.required_when.field} if spec.required_when else {key}
            for name in keys:
                if name in owner:
                    join(index, owner[name])
                owner.setdefault(name, index)
    grouped: dict[int, list[Rule]] = {}
    if core:
        grouped[root(core[0])] = []  # first, whatever the order of its rules
    for index, rule in enumerate(pathway.rules):
        grouped.setdefault(root(index), []).append(rule)
    return [tuple(rules) for rules in grouped.values()]


@dataclass(frozen=True)
class FactoredSpace:
    """A pathway's input space as the product of its groups' spaces."""

    pathway: Pathway
    groups: tuple[InputSpace, ...]
    # Required fields no rule looks at: any valid value stands for all (they change exact values only).
    fillers: tuple[Field, ...]

    def class_keys(self) -> Iterator[tuple[ClassKey, ...]]:
        """Every class of the whole space (the product of the groups' classes: for tests, not for the build)."""
        def walk(index: int, key: tuple[ClassKey, ...]) -> Iterator[tuple[ClassKey, ...]]:
            if index == len(self.groups):
                yield key
                return
            for part in self.groups[index].class_keys():
                yield from walk(index + 1, (*key, part))

        return walk(0, ())

    def size(self) -> int:
        return prod(group.size() for group in self.groups)

    def inputs(self, key: tuple[ClassKey, ...], rng: random.Random | None = None) -> dict[str, Any]:
        """The representative of a class of the whole space (a random member with ``rng``): one the pathway's
        checks across fields accept, where the class has one."""
        values = self._draw(key, rng)
        for _ in range(_REDRAWS if rng is not None else 0):
            if self._accepted(values):
                return values
            values = self._draw(key, rng)
        if self._accepted(values):
            return values
        return self._search(key) or values

    def _draw(self, key: tuple[ClassKey, ...], rng: random.Random | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for group, part in zip(self.groups, key, strict=True):
            group.assign(part, values, rng)
        self._fill(values, rng)
        return values

    def _fill(self, values: dict[str, Any], rng: random.Random | None = None) -> None:
        for spec in self.fillers:
            if spec.required_when is None or spec.required_when.holds(values):
                values[spec.key] = any_value(spec, rng)

    def _accepted(self, values: dict[str, Any]) -> bool:
        return not check_errors(self.pathway.checks, values, self.pathway.field_specs)

    def _search(self, key: tuple[ClassKey, ...]) -> dict[str, Any] | None:
        """A member the checks accept, among the ends of the segments of the fields they name (None: none is).

        The checks compare two fields one way (a date not after another, a count within a span), so when any
        member of the class is accepted, one with each of those fields at an end of its segment is."""
        named = {name for check in self.pathway.checks for name in check.fields()}
        options = [dimension.members(position) if named & {spec.key for spec in dimension.fields}
                   else dimension.members(position)[:1]
                   for group, part in zip(self.groups, key, strict=True)
                   for dimension, position in zip(group.dimensions, part, strict=True) if position is not None]
        for members in product(*options):
            values = {name: value for member in members for name, value in member.items()}
            self._fill(values)
            if self._accepted(values):
                return values
        return None

    def group_inputs(self, index: int, part: ClassKey, rng: random.Random | None = None) -> dict[str, Any]:
        """A class of one group, with the first class of every other group: a whole, valid input."""
        key = tuple(part if position == index else next(group.class_keys())
                    for position, group in enumerate(self.groups))
        return self.inputs(key, rng)

    def classify(self, values: dict[str, Any]) -> tuple[ClassKey, ...] | None:
        parts = tuple(group.classify(values) for group in self.groups)
        return None if any(part is None for part in parts) else parts

    def dimensions(self) -> tuple[Dimension, ...]:
        return tuple(dimension for group in self.groups for dimension in group.dimensions)


def input_space(pathway: Pathway) -> FactoredSpace:
    groups = tuple(InputSpace(pathway, dimensions(pathway, rules), rules, core=index == 0 and _is_core(rules))
                   for index, rules in enumerate(rule_groups(pathway)))
    covered = {spec.key for group in groups for dimension in group.dimensions for spec in dimension.fields}
    fillers = tuple(spec for spec in pathway.fields if spec.key not in covered and spec.default is None
                    and (spec.required or spec.required_when is not None))
    return FactoredSpace(pathway, groups, fillers)


def _is_core(rules: tuple[Rule, ...]) -> bool:
    return any(rule.kind == "scope" or rule.kind in IN_SCOPE_ONLY for rule in rules)


# --- evaluating every class ----------------------------------------------------------------------------

ITEM_KINDS = ("cautions", "monitoring", "findings")


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


def _group_answer(result: dict[str, Any], group: InputSpace) -> dict[str, Any]:
    """The part of a result that the group's rules decide."""
    ids = {rule.id for rule in group.rules}
    answer: dict[str, Any] = {kind: [item for item in class_answer(result)[kind]
                                     if (item if kind == "findings" else item["id"]) in ids] for kind in ITEM_KINDS}
    if group.core:
        answer |= {"in_scope": result["in_scope"], "scope_note": result["scope_note"], "regimen": result["regimen"]}
    return answer


@dataclass
class GroupExploration:
    space: InputSpace
    answers: list[dict[str, Any]] = field(default_factory=list)  # distinct group answers
    by_class: dict[ClassKey, int] = field(default_factory=dict)  # class key -> answer index


@dataclass
class Exploration:
    """Every class of every group evaluated: how often each rule fired and was overridden, and the answers."""

    pathway: Pathway
    space: FactoredSpace
    groups: list[GroupExploration] = field(default_factory=list)
    fired: Counter[str] = field(default_factory=Counter)
    overridden: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def classes(self) -> int:
        """Classes of the whole space: the product of the groups' classes."""
        return prod(len(group.by_class) for group in self.groups)

    @property
    def evaluated(self) -> int:
        return sum(len(group.by_class) for group in self.groups)

    @property
    def never_fired(self) -> list[str]:
        return [rule.id for rule in self.pathway.rules if not self.fired[rule.id]]

    def answer(self, key: tuple[ClassKey, ...]) -> dict[str, Any]:
        """The answer of a class of the whole space, put together from its groups' answers."""
        order = {rule.id: position for position, rule in enumerate(self.pathway.rules)}
        parts = [group.answers[group.by_class[part]] for group, part in zip(self.groups, key, strict=True)]
        merged: dict[str, Any] = dict(parts[0])
        for kind in ITEM_KINDS:
            items = [item for part in parts for item in part[kind]]
            merged[kind] = sorted(items, key=lambda item: order[item if isinstance(item, str) else item["id"]])
        return merged

    def to_json(self) -> dict[str, Any]:
        """What was found, as data: enough to rebuild the exploration without evaluating again."""
        return {"pathway": self.pathway.id, "fired": dict(self.fired),
                "overridden": [[rule, by, count] for (rule, by), count in sorted(self.overridden.items())],
                "problems": self.problems,
                "groups": [{"answers": group.answers, "by_class": [[list(key), index]
                                                                   for key, index in group.by_class.items()]}
                           for group in self.groups]}

    @classmethod
    def from_json(cls, pathway: Pathway, data: dict[str, Any]) -> Exploration:
        space = input_space(pathway)
        groups = [GroupExploration(group, found["answers"], {tuple(key): index for key, index in found["by_class"]})
                  for group, found in zip(space.groups, data["groups"], strict=True)]
        return cls(pathway, space, groups, Counter(data["fired"]),
                   Counter({(rule, by): count for rule, by, count in data["overridden"]}), list(data["problems"]))

    def core_counts(self) -> list[tuple[dict[str, Any], int]]:
        """Each distinct answer of the core group and how many of its classes lead to it."""
        core = self.groups[0]
        counts = Counter(core.by_class.values())
        return [(core.answers[index], counts[index]) for index in range(len(core.answers))]


def explore(pathway: Pathway) -> Exploration:
    """Evaluate one representative of every class of every group and check the rules against each other.

    Problems (a representative the engine rejects, an in-scope class without exactly one regimen, a rule
    that never fires) are collected in ``problems``; the caller decides to fail.
    """
    space = input_space(pathway)
    found = Exploration(pathway, space)
    for index, group in enumerate(space.groups):
        explored = GroupExploration(group)
        index_of: dict[str, int] = {}
        for part in group.class_keys():
            inputs = space.group_inputs(index, part)
            result = pathway.evaluate(inputs)
            if not result["ok"]:
                found.problems.append(f"class {part}: the engine rejects its representative {inputs}: "
                                      f"{result['errors']}")
                continue
            if group.core:
                regimen_expected = pathway.gives_regimen and result["in_scope"]
                if (result["regimen"] is not None) != regimen_expected:
                    found.problems.append(f"class {part} ({inputs}): " + (
                        "no regimen although in scope" if regimen_expected else "a regimen out of scope"))
            ids = {rule.id for rule in group.rules}
            for step in result["trace"]:
                if step["rule"] in ids:
                    found.fired[step["rule"]] += 1
                    if "overridden_by" in step:
                        found.overridden[(step["rule"], step["overridden_by"])] += 1
            answer = _group_answer(result, group)
            text = json.dumps(answer, sort_keys=True)
            if text not in index_of:
                index_of[text] = len(explored.answers)
                explored.answers.append(answer)
            explored.by_class[part] = index_of[text]
        found.groups.append(explored)
    found.problems += [f"rule {rule_id!r} fires for no class of inputs" for rule_id in found.never_fired]
    return found
