"""The answer table: every input class's answer from the engine, as compact data a page looks up."""

from __future__ import annotations

import copy
import gzip
import json
import random

import pytest

from engine.answers import _check, answer_table, lookup
from engine.exploration import MERGE, class_answer, explore
from engine.pathways import PATHWAYS
from tests.input_classes import group_size, random_member

IDS = sorted(PATHWAYS)


@pytest.fixture(scope="module", params=IDS)
def explored(request):
    exploration = explore(PATHWAYS[request.param])
    return exploration, answer_table(exploration)


def test_the_table_is_json_and_small(explored):
    _, table = explored
    text = json.dumps(table, separators=(",", ":"), ensure_ascii=False)
    assert json.loads(text) == table
    # Every pathway's table together must stay within 50 KB gzipped: the page fetches it on its first visit.
    assert len(gzip.compress(text.encode(), 9)) < 50_000 / len(IDS)


def test_random_inputs_get_the_engines_answer_from_the_table(explored):
    """For every class of every group (with random answers to the others), random members' engine answers
    equal the table's: regimen, cautions and monitoring, and which findings come."""
    exploration, table = explored
    space, pathway = exploration.space, exploration.pathway
    rng = random.Random(20261202)
    others = [list(group.class_keys()) for group in space.groups]
    checked = 0
    for index, group in enumerate(space.groups):
        for part in group.class_keys():
            key = tuple(part if position == index else rng.choice(keys) for position, keys in enumerate(others))
            for inputs in (space.inputs(key), random_member(space, key, rng)):
                result = pathway.evaluate(inputs)
                assert lookup(table, space, result["inputs"]) == class_answer(result), inputs
                checked += 1
    assert checked == 2 * sum(group_size(group) for group in space.groups)


def test_a_table_that_misreads_a_class_is_refused(explored):
    exploration, table = explored
    core = table["groups"][0]
    corrupted = copy.deepcopy(table)
    parent = next(node for node in corrupted["groups"][0]["nodes"] if node[0] >= 0)
    parent[0] = (parent[0] + 1) % len(core["answers"]) if len(core["answers"]) > 1 else parent[0]
    if len(core["answers"]) > 1:
        with pytest.raises(ValueError, match="misread"):
            _check(corrupted, exploration)
    corrupted = copy.deepcopy(table)
    corrupted["items"].reverse()
    if len(table["items"]) > 1 and table["items"] != corrupted["items"]:
        with pytest.raises(ValueError, match="misread"):
            _check(corrupted, exploration)


def test_inputs_outside_every_class_have_no_table_answer(explored):
    exploration, table = explored
    assert lookup(table, exploration.space, {}) is None


def test_the_table_says_how_the_groups_answers_are_put_together(explored):
    """The merge is published as data (the page follows it): the lookup reads it from the table, not from code."""
    exploration, table = explored
    assert table["merge"] == MERGE
    space, pathway = exploration.space, exploration.pathway
    results = (pathway.evaluate(space.group_inputs(0, part)) for part in space.groups[0].class_keys())
    with_cautions = next(result for result in results if result["cautions"])
    changed = {**table, "merge": {"from_core": ["in_scope"], "in_rule_order": ["cautions"]}}
    looked_up = lookup(changed, space, with_cautions["inputs"])
    assert looked_up == {"in_scope": with_cautions["in_scope"], "cautions": with_cautions["cautions"]}


def test_shared_parts_of_the_table_are_stored_once(explored):
    _, table = explored
    for group in table["groups"]:
        nodes = [json.dumps(node) for node in group["nodes"]]
        assert len(nodes) == len(set(nodes))
        # Every node is reached from the root: none is stored for nothing.
        reached, todo = set(), [group["root"]]
        while todo:
            child = todo.pop()
            if child < 0 and -1 - child not in reached:
                reached.add(-1 - child)
                todo.extend(group["nodes"][-1 - child])
        assert reached == set(range(len(group["nodes"])))
    cited = [json.dumps(rule, sort_keys=True) for rule in table["regimen_rules"]]
    assert len(cited) == len(set(cited))
    for regimen in table["regimens"]:
        assert all(isinstance(rule, int) for rule in regimen.get("rules", []))


def test_a_tree_that_ends_too_early_is_refused_not_misread(explored):
    exploration, table = explored
    corrupted = copy.deepcopy(table)
    corrupted["groups"][0]["root"] = 0  # an answer where the first dimension's node should be
    with pytest.raises(ValueError, match="ends before class"):
        _check(corrupted, exploration)
