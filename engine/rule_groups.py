"""A pathway's input space as independent groups of rules, each with its own partition (engine.partition).

Rules that share no field and look at no state of the case are independent, so the space factors into
*groups*: the core group (scope, regimen and monitoring rules, and every rule looking at what they decided) and
one group per set of other rules that share fields (a caution that depends on one answer alone, say). A class
of the whole space is one class of each group; its answer is the groups' answers put together
(engine.exploration.merge). Each group's classes are evaluated on their own, so the work is the sum of the
groups' classes, not their product.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from engine.conditions import input_fields, states_of
from engine.fields import Field
from engine.partition import ClassKey, Dimension, any_value, dimensions
from engine.pathway import Pathway
from engine.rules import IN_SCOPE_ONLY, Rule
from engine.validation import check_errors


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

    def assign(self, key: ClassKey, values: dict[str, Any]) -> None:
        """Put the representative of class ``key`` into ``values``."""
        for dimension, position in zip(self.dimensions, key, strict=True):
            if position is not None:
                dimension.assign(position, values)

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

    def inputs(self, key: tuple[ClassKey, ...]) -> dict[str, Any]:
        """The representative of a class of the whole space: one the pathway's checks across fields accept,
        where the class has one."""
        values: dict[str, Any] = {}
        for group, part in zip(self.groups, key, strict=True):
            group.assign(part, values)
        self.fill(values)
        if self.accepts(values):
            return values
        return self._search(key) or values

    def fill(self, values: dict[str, Any]) -> None:
        """Give the required fields no rule looks at some valid value (they change exact values only)."""
        for spec in self.fillers:
            if spec.required_when is None or spec.required_when.holds(values):
                values[spec.key] = any_value(spec)

    def accepts(self, values: dict[str, Any]) -> bool:
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
            self.fill(values)
            if self.accepts(values):
                return values
        return None

    def group_inputs(self, index: int, part: ClassKey) -> dict[str, Any]:
        """A class of one group, with the first class of every other group: a whole, valid input."""
        key = tuple(part if position == index else next(group.class_keys())
                    for position, group in enumerate(self.groups))
        return self.inputs(key)

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
