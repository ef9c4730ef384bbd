"""Every class of every group of rules evaluated: the answers by class, and the rules checked against each other.

The engine evaluates one representative of each class of each group (engine.rule_groups), keeps each group's
distinct answers, counts how often each rule fired and was overridden, and collects the problems (a rule that
never fires, an in-scope class without exactly one regimen). The answer table (engine.answers) publishes the
result as data.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from math import prod
from typing import Any

from engine.partition import ClassKey
from engine.pathway import Pathway
from engine.rule_groups import FactoredSpace, InputSpace, input_space

ITEM_KINDS = ("cautions", "monitoring", "findings")
# How the groups' answers make the answer of a class of the whole space: the parts the core group alone decides
# are taken from it, and every group's items are put together in rule order. Published in the answer table, so
# that the page puts the answer together the same way (site_templates/assets/answer-table.js follows it).
MERGE: dict[str, list[str]] = {"from_core": ["in_scope", "scope_note", "regimen"], "in_rule_order": list(ITEM_KINDS)}


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
        answer |= {key: result[key] for key in MERGE["from_core"]}
    return answer


def merge(parts: list[dict[str, Any]], rule_ids: list[str], how: dict[str, list[str]] = MERGE) -> dict[str, Any]:
    """The answer of a class of the whole space from its groups' answers (``parts``), as ``how`` says."""
    order = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    merged = {key: part[key] for part in parts for key in how["from_core"] if key in part}
    for kind in how["in_rule_order"]:
        found = [item for part in parts for item in part[kind]]
        merged[kind] = sorted(found, key=lambda item: order[item if isinstance(item, str) else item["id"]])
    return merged


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
