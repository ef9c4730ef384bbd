"""Pyodide parity: every shared case gives byte-identical JSON in Pyodide (under Node) and CPython.

The engine is installed in Pyodide from its built wheel through our own lock file,
exactly as the browser worker loads it. This test never skips: a missing Node or
runtime is a failure with the fix in its message.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import engine
from tests.conftest import ROOT
from tests.shared_cases import load_cases, mismatches

RUNNER = ROOT / "tests" / "pyodide" / "evaluate_in_pyodide.mjs"
CASES = load_cases()
# Inputs that only the JSON layer can carry: text that is not JSON, and NaN/Infinity literals.
RAW_JSON_INPUTS = ["{not json", "[1, 2", '{"cause": NaN, "neurological_symptoms": Infinity}', "null", '"text"']


def _run_in_pyodide(lock, requests: list[dict]) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is not installed: the parity test needs Node 20 (apt-get install nodejs)")
    run = subprocess.run(
        [node, str(RUNNER), str(lock)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, f"Pyodide runner failed:\n{run.stderr}"
    print(run.stderr.strip().splitlines()[-1])  # boot and evaluation times, shown with -s or on failure
    return json.loads(run.stdout)


@pytest.mark.node
def test_every_shared_case_matches_cpython_byte_for_byte(engine_lock):
    requests = [{"pathway": case.pathway, "input_json": json.dumps(case.input)} for case in CASES]
    requests += [{"pathway": "b12-maintenance", "input_json": text} for text in RAW_JSON_INPUTS]
    outputs = _run_in_pyodide(engine_lock, requests)

    assert len(outputs) == len(requests)
    for request, output in zip(requests, outputs, strict=True):
        assert output == engine.evaluate_json(request["pathway"], request["input_json"]), request
    for case, output in zip(CASES, outputs, strict=False):
        assert mismatches(json.loads(output), case.expect) == [], case.id
    for output in outputs[len(CASES) :]:
        assert json.loads(output)["ok"] is False
