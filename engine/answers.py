"""The answer table: every input class's answer, computed by the engine, as compact data a page can look up.

Built from an exploration of the input space (engine.exploration): for each group of rules, its dimensions (the
partition, as data), a tree of class indexes whose leaves are answer numbers, and the group's distinct
answers; regimens, items (cautions and monitoring), scope notes and the rules a regimen cites are stored once and
referred to by number, and so is each distinct subtree (the tree is stored as a graph of shared nodes).
``lookup`` is the reference reading of the table: a page that classifies its inputs the same way (a small generic
walk over the dimensions, no clinical rule) shows the engine's answer before the engine itself has started. The
table is checked class by class against the exploration when it is made.
"""

from __future__ import annotations

import json
from typing import Any

from engine.exploration import MERGE, Exploration, merge
from engine.partition import ClassKey
from engine.rule_groups import FactoredSpace, InputSpace
from engine.version import ENGINE_VERSION

# 2: the table says how the groups' answers are put together ("merge"); 3: shared subtrees ("nodes") and the rules
# a regimen cites stored once ("regimen_rules"), which made the table 2.2 times smaller.
FORMAT = 3


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


def _tree(space: InputSpace, by_class: dict[ClassKey, int]) -> tuple[int, list[list[int]]]:
    """The classes' answer numbers as a tree, one level per dimension that applies, each distinct node stored once.

    Returns (root, nodes). A child (and the root) is an answer number when it is 0 or more, else the node
    ``nodes[-1 - child]``: a list of children by class position.
    """
    nodes = _Interned()

    def build(index: int, chosen: dict[str, Any], key: ClassKey) -> int:
        if index == len(space.dimensions):
            return by_class[key]
        dimension = space.dimensions[index]
        if not dimension.applies(chosen):
            return build(index + 1, chosen, (*key, None))
        children = [build(index + 1, {**chosen, **dimension.chosen(position)}, (*key, position))
                    for position in range(len(dimension.classes))]
        return -1 - nodes.number(children)

    root = build(0, {}, ())
    return root, nodes.values


def _cited_rules(regimen: dict[str, Any] | None, rules: _Interned) -> dict[str, Any] | None:
    """The regimen with the rules it cites as numbers: the same few rules are cited by most regimens."""
    if regimen is None or "rules" not in regimen:
        return regimen
    return {**regimen, "rules": [rules.number(rule) for rule in regimen["rules"]]}


def answer_table(exploration: Exploration) -> dict[str, Any]:
    """The exploration's answers as the page's table; raises ValueError if the table misreads any class."""
    if exploration.problems:
        raise ValueError(f"pathway {exploration.pathway.id!r}: the exploration found problems: {exploration.problems}")
    regimens, items, notes, regimen_rules = _Interned(), _Interned(), _Interned(), _Interned()
    groups = []
    for found in exploration.groups:
        answers = []
        for answer in found.answers:
            row: list[Any] = [[items.number(item) for item in answer[kind]] for kind in ("cautions", "monitoring")]
            row.append(list(answer["findings"]))
            if found.space.core:
                row = [int(answer["in_scope"]),
                       -1 if answer["scope_note"] is None else notes.number(answer["scope_note"]),
                       -1 if answer["regimen"] is None else regimens.number(_cited_rules(answer["regimen"],
                                                                                          regimen_rules)), *row]
            answers.append(row)
        root, nodes = _tree(found.space, found.by_class)
        groups.append({"core": found.space.core,
                       "dimensions": [dimension.to_json() for dimension in found.space.dimensions],
                       "root": root, "nodes": nodes, "answers": answers})
    table = {"format": FORMAT, "pathway": exploration.pathway.id, "engine_version": ENGINE_VERSION,
             "rules": [rule.id for rule in exploration.pathway.rules], "regimens": regimens.values,
             "regimen_rules": regimen_rules.values, "items": items.values, "notes": notes.values, "merge": MERGE,
             "groups": groups}
    _check(table, exploration)
    return table


def _leaf(group: dict[str, Any], key: ClassKey) -> int:
    """The answer number at the end of ``key``'s path through the group's tree."""
    child = group["root"]
    for position in key:
        if position is not None:
            if child >= 0:
                raise ValueError(f"the answer table's tree ends before class {key}")
            child = group["nodes"][-1 - child][position]
    return child


def _regimen(table: dict[str, Any], number: int) -> dict[str, Any] | None:
    if number < 0:
        return None
    regimen = table["regimens"][number]
    if "rules" not in regimen:
        return regimen
    return {**regimen, "rules": [table["regimen_rules"][rule] for rule in regimen["rules"]]}


def group_answer(table: dict[str, Any], index: int, leaf: int) -> dict[str, Any]:
    """One group's answer number ``leaf`` as the exploration holds it."""
    group = table["groups"][index]
    row = group["answers"][leaf]
    answer: dict[str, Any] = {}
    if group["core"]:
        in_scope, note, regimen, *row = row
        answer = {"in_scope": bool(in_scope), "scope_note": None if note < 0 else table["notes"][note],
                  "regimen": _regimen(table, regimen)}
    cautions, monitoring, findings = row
    return {**answer, "cautions": [table["items"][n] for n in cautions],
            "monitoring": [table["items"][n] for n in monitoring], "findings": list(findings)}


def lookup(table: dict[str, Any], space: FactoredSpace, values: dict[str, Any]) -> dict[str, Any] | None:
    """The table's answer for validated ``values`` (None when they fall in no class): what the page shows."""
    key = space.classify(values)
    if key is None:
        return None
    parts = [group_answer(table, index, _leaf(group, part))
             for index, (group, part) in enumerate(zip(table["groups"], key, strict=True))]
    return merge(parts, table["rules"], table["merge"])


def _check(table: dict[str, Any], exploration: Exploration) -> None:
    for index, found in enumerate(exploration.groups):
        for key, number in found.by_class.items():
            leaf = _leaf(table["groups"][index], key)
            if leaf != number or group_answer(table, index, leaf) != found.answers[number]:
                raise ValueError(f"answer table of {exploration.pathway.id!r}: group {index} class {key} misread")
