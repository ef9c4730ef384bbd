"""The page's classifier (answer-table.js) against the engine's own classification, in one Node process: the
JavaScript lookup and engine.answers.lookup running in real Pyodide, for random form inputs of every pathway,
and both against CPython. The page may show a table answer only where the engine accepts the inputs, and
then exactly the engine's: inputs each valid but refused together by one of the pathway's checks across fields
(a date after another, more than one dose a day) get none."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

import engine
from engine.answers import answer_table, lookup
from engine.exploration import explore
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space
from tests.conftest import ROOT
from tests.form_inputs import form_inputs, inputs_breaking_a_check

RUNNER = ROOT / "tests" / "pyodide" / "classify_in_pyodide.mjs"
CLASSIFIER = ROOT / "site_templates" / "assets" / "answer-table.js"
CASES_PER_PATHWAY = 400
BROKEN_PER_CHECK = 20


def _cpython(pathway_id: str, table: dict, inputs: dict) -> dict | None:
    result = engine.evaluate(pathway_id, inputs)
    return lookup(table, input_space(PATHWAYS[pathway_id]), result["inputs"]) if result["ok"] else None


@pytest.mark.node
def test_the_pages_classifier_gives_the_engines_table_answer_in_pyodide(engine_lock):
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is not installed: this test needs Node 20 (apt-get install nodejs)")
    descriptors = {descriptor["id"]: descriptor for descriptor in engine.pathways()}
    tables = {pathway_id: answer_table(explore(pathway)) for pathway_id, pathway in PATHWAYS.items()}
    rng = random.Random(20261203)
    cases = [{"pathway": pathway_id, "inputs": form_inputs(descriptors[pathway_id], tables[pathway_id], rng)}
             for pathway_id in sorted(PATHWAYS) for _ in range(CASES_PER_PATHWAY)]
    # Accepted inputs made impossible by one check each: the engine refuses them on that check alone.
    broken = []
    for case in cases[:]:
        descriptor = descriptors[case["pathway"]]
        if not engine.evaluate(case["pathway"], case["inputs"])["ok"]:
            continue
        for check in descriptor["checks"]:
            if sum(item["check"] == check for item in broken) < BROKEN_PER_CHECK:
                inputs = inputs_breaking_a_check(descriptor, check, case["inputs"], rng)
                broken.append({"pathway": case["pathway"], "inputs": inputs, "check": check, "accepted": case})
    assert len(broken) == BROKEN_PER_CHECK * sum(len(d["checks"]) for d in descriptors.values()) > 0
    cases += [{"pathway": item["pathway"], "inputs": item["inputs"]} for item in broken]
    request = {"tables": tables, "pathways": descriptors, "cases": cases}
    run = subprocess.run([node, str(RUNNER), str(engine_lock), str(CLASSIFIER)], input=json.dumps(request),
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, f"the runner failed:\n{run.stderr}"
    found = json.loads(run.stdout)

    answers = {json.dumps(case, sort_keys=True): page for case, page in zip(cases, found["page"], strict=True)}
    for item in broken:
        result = engine.evaluate(item["pathway"], item["inputs"])
        named = item["check"].get("field", item["check"].get("count"))
        assert [(error["field"], error["code"]) for error in result["errors"]] == [(named, "range")], item
        assert answers[json.dumps({"pathway": item["pathway"], "inputs": item["inputs"]}, sort_keys=True)] is None
        assert answers[json.dumps(item["accepted"], sort_keys=True)] is not None  # the same inputs before

    placed = 0
    for case, page, in_pyodide in zip(cases, found["page"], found["pyodide"], strict=True):
        expected = _cpython(case["pathway"], tables[case["pathway"]], case["inputs"])
        assert in_pyodide == expected, case  # the engine classifies alike in Pyodide and CPython
        assert page == expected, case  # the page shows the engine's answer, or none where the engine rejects
        placed += page is not None
    # Enough of each kind: answers looked up, and inputs the page rightly leaves to the engine.
    assert CASES_PER_PATHWAY // 4 < placed < len(cases) - CASES_PER_PATHWAY // 10, placed
