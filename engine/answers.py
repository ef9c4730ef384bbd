"""The answer table: every input class's answer, computed by the engine, as compact data a page can look up.

Built from an exploration of the input space (engine.exploration): for each group of rules, its dimensions (the
partition, as data), a tree of class indexes whose leaves are answer numbers, and the group's distinct
answers; regimens, items (cautions and monitoring) and scope notes are stored once and referred to by
number. ``lookup`` is the reference reading of the table: a page that classifies its inputs the same way (a
small generic walk over the dimensions, no clinical rule) shows the engine's answer before the engine itself
has started. The table is checked class by class against the exploration when it is made.
"""

from __future__ import annotations

import json
from typing import Any

from engine.exploration import MERGE, Exploration, merge
from engine.partition import ClassKey
from engine.rule_groups import FactoredSpace, InputSpace
from engine.version import ENGINE_VERSION

FORMAT = 2  # 2: the table says how the groups' answers are put together ("merge")


class _Interned:
    """Distinct JSON values, each stored once and referred to by its number."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._index: dict[str, int] = {}

    def number(self, value: Any) -> int:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        if text not in self._index:
            self._index[text] = len(self.values)
            self.values.append(value)
        return self._index[text]


def _tree(space: InputSpace, by_class: dict[ClassKey, int]) -> Any:
    """Nested lists by class position, one level per dimension that applies; leaves are answer numbers."""
    def build(index: int, chosen: dict[str, Any], key: ClassKey) -> Any:
        if index == len(space.dimensions):
            return by_class[key]
        dimension = space.dimensions[index]
        if not dimension.applies(chosen):
            return build(index + 1, chosen, (*key, None))
        return [build(index + 1, {**chosen, **dimension.chosen(position)}, (*key, position))
                for position in range(len(dimension.classes))]

    return build(0, {}, ())


def answer_table(exploration: Exploration) -> dict[str, Any]:
    """The exploration's answers as the page's table; raises ValueError if the table misreads any class."""
    if exploration.problems:
        raise ValueError(f"pathway {exploration.pathway.id!r}: the exploration found problems: {exploration.problems}")
    regimens, items, notes = _Interned(), _Interned(), _Interned()
    groups = []
    for found in exploration.groups:
        answers = []
        for answer in found.answers:
            row: list[Any] = [[items.number(item) for item in answer[kind]] for kind in ("cautions", "monitoring")]
            row.append(list(answer["findings"]))
            if found.space.core:
                row = [int(answer["in_scope"]),
                       -1 if answer["scope_note"] is None else notes.number(answer["scope_note"]),
                       -1 if answer["regimen"] is None else regimens.number(answer["regimen"]), *row]
            answers.append(row)
        groups.append({"core": found.space.core,
                       "dimensions": [dimension.to_json() for dimension in found.space.dimensions],
                       "tree": _tree(found.space, found.by_class), "answers": answers})
    table = {"format": FORMAT, "pathway": exploration.pathway.id, "engine_version": ENGINE_VERSION,
             "rules": [rule.id for rule in exploration.pathway.rules], "regimens": regimens.values,
             "items": items.values, "notes": notes.values, "merge": MERGE, "groups": groups}
    _check(table, exploration)
    return table


def _leaf(tree: Any, space: InputSpace, key: ClassKey) -> int:
    node = tree
    for position in key:
        if position is not None:
            node = node[position]
    return node


def group_answer(table: dict[str, Any], index: int, leaf: int) -> dict[str, Any]:
    """One group's answer number ``leaf`` as the exploration holds it."""
    group = table["groups"][index]
    row = group["answers"][leaf]
    answer: dict[str, Any] = {}
    if group["core"]:
        in_scope, note, regimen, *row = row
        answer = {"in_scope": bool(in_scope), "scope_note": None if note < 0 else table["notes"][note],
                  "regimen": None if regimen < 0 else table["regimens"][regimen]}
    cautions, monitoring, findings = row
    return {**answer, "cautions": [table["items"][n] for n in cautions],
            "monitoring": [table["items"][n] for n in monitoring], "findings": list(findings)}


def lookup(table: dict[str, Any], space: FactoredSpace, values: dict[str, Any]) -> dict[str, Any] | None:
    """The table's answer for validated ``values`` (None when they fall in no class): what the page shows."""
    key = space.classify(values)
    if key is None:
        return None
    parts = [group_answer(table, index, _leaf(group["tree"], space.groups[index], part))
             for index, (group, part) in enumerate(zip(table["groups"], key, strict=True))]
    return merge(parts, table["rules"], table["merge"])


def _check(table: dict[str, Any], exploration: Exploration) -> None:
    for index, found in enumerate(exploration.groups):
        for key, number in found.by_class.items():
            leaf = _leaf(table["groups"][index]["tree"], found.space, key)
            if leaf != number or group_answer(table, index, leaf) != found.answers[number]:
                raise ValueError(f"answer table of {exploration.pathway.id!r}: group {index} class {key} misread")
