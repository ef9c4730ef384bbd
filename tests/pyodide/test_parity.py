"""Pyodide parity on the runtime the browser boots: the build's compiled, trimmed standard library and compiled
engine wheel, started by the page's own start-up module (engine-boot.js) under Node.

Every shared case gives byte-identical JSON in Pyodide and CPython, both exports of every answer give CPython's
text, and the self-test passes. A module the trace left out of the trimmed library fails here (shown by
removing one), not in a user's calculator. These tests never skip: a missing Node or runtime is a failure with
the fix in its message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import engine
from engine.exports import calendar_ics, summary_text
from sitebuild.self_test import self_test_file
from tests.conftest import ROOT, TrimmedRuntime
from tests.shared_cases import load_cases, mismatches

RUNNER = ROOT / "tests" / "pyodide" / "evaluate_in_pyodide.mjs"
CASES = load_cases()
# Inputs that only the JSON layer can carry: text that is not JSON, and NaN/Infinity literals.
RAW_JSON_INPUTS = ["{not json", "[1, 2", '{"cause": NaN, "neurological_symptoms": Infinity}', "null", '"text"']
STAMP = "2026-03-04T05:06:07.000Z"
TITLE = "Guideline title"


def run_in_pyodide(runtime: TrimmedRuntime, request: dict, stdlib: Path | None = None) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is not installed: the parity test needs Node 20 (apt-get install nodejs)")
    arguments = runtime.arguments()
    if stdlib is not None:
        arguments[1] = str(stdlib)
    return subprocess.run([node, str(RUNNER), *arguments], input=json.dumps(request), capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def answers(runtime: TrimmedRuntime, request: dict) -> dict:
    run = run_in_pyodide(runtime, request)
    assert run.returncode == 0, f"Pyodide runner failed:\n{run.stderr}"
    print(run.stderr.strip().splitlines()[-1])  # boot and evaluation times, shown with -s or on failure
    return json.loads(run.stdout)


def everything() -> dict:
    requests = [{"pathway": case.pathway, "input_json": json.dumps(case.input)} for case in CASES]
    requests += [{"pathway": "b12-maintenance", "input_json": text} for text in RAW_JSON_INPUTS]
    results = [engine.evaluate_json(request["pathway"], request["input_json"]) for request in requests]
    exports = [{"result_json": result, "stamp": STAMP, "title": TITLE} for result in results]
    return {"evaluate": requests, "exports": exports, "selfTest": json.loads(self_test_file(ROOT)[0]), "raise": True}


def cpython_exports(result_json: str) -> dict:
    result = json.loads(result_json)
    try:
        text = summary_text(result, TITLE)
    except ValueError as problem:
        return {"error": f"ValueError: {problem}"}
    try:
        return {"text": text, "ics": calendar_ics(result, STAMP, TITLE)}
    except ValueError as problem:
        return {"text": text, "ics": None, "icsError": f"ValueError: {problem}"}


@pytest.mark.node
def test_every_shared_case_both_exports_and_the_self_test_match_cpython_on_the_trimmed_runtime(trimmed_runtime):
    request = everything()
    found = answers(trimmed_runtime, request)

    assert len(found["evaluated"]) == len(request["evaluate"])
    for one, output in zip(request["evaluate"], found["evaluated"], strict=True):
        assert output == engine.evaluate_json(one["pathway"], one["input_json"]), one
    for case, output in zip(CASES, found["evaluated"], strict=False):
        assert mismatches(json.loads(output), case.expect) == [], case.id
    for output in found["evaluated"][len(CASES):]:
        assert json.loads(output)["ok"] is False
    for one, exported in zip(request["exports"], found["exported"], strict=True):
        assert exported == cpython_exports(one["result_json"])
    assert sum(1 for exported in found["exported"] if exported.get("ics")) > len(CASES) // 4
    assert found["selfTest"] == {"ok": True, "checked": len(CASES), "mismatches": [], "problem": None}
    # Without source lines a traceback still names the engine's error, its message, and where it was raised.
    assert "ValueError: the timestamp '2026-01-02T03:04:05' has no time zone" in found["raised"], found["raised"]
    assert "engine/exports.py\", line" in found["raised"], found["raised"]


@pytest.mark.node
def test_a_module_missing_from_the_trimmed_library_fails_the_runtimes_tests(trimmed_runtime, tmp_path):
    missing = "hashlib.pyc"  # imported by the self-test only, long after Pyodide's own boot
    assert "hashlib" in trimmed_runtime.modules
    trimmed = tmp_path / "python_stdlib.without-one.zip"
    with zipfile.ZipFile(trimmed_runtime.stdlib) as source, zipfile.ZipFile(trimmed, "w") as target:
        for info in source.infolist():
            if info.filename != missing:
                target.writestr(info, source.read(info))
    run = run_in_pyodide(trimmed_runtime, everything(), stdlib=trimmed)
    assert run.returncode != 0
    assert "No module named 'hashlib'" in run.stderr, run.stderr[-2000:]


@pytest.mark.node
def test_the_trimmed_library_holds_bytecode_only_and_is_reproducible(trimmed_runtime, engine_wheel, engine_lock,
                                                                   tmp_path):
    from sitebuild.compiled_runtime import compile_runtime
    from tests.conftest import PYODIDE_DIR

    with zipfile.ZipFile(trimmed_runtime.stdlib) as library:
        names = library.namelist()
        assert names and all(name.endswith(".pyc") for name in names)
        assert {info.date_time for info in library.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        # Hash-based and unchecked (PEP 552 flags 0b01): no timestamp, no source needed beside it.
        assert {int.from_bytes(library.read(name)[4:8], "little") for name in names} == {1}
    # Compiled again without the cache (Pyodide under Node, about 5 s): the same bytes.
    again = compile_runtime(PYODIDE_DIR, engine_wheel, engine_lock, self_test_file(ROOT)[0], tmp_path)
    assert again.stdlib.read_bytes() == trimmed_runtime.stdlib.read_bytes()
    wheel = json.loads(trimmed_runtime.lock.read_text())["packages"]
    (entry,) = wheel.values()
    assert again.wheel.read_bytes() == (trimmed_runtime.lock.parent / entry["file_name"]).read_bytes()


@pytest.mark.node
def test_the_runtime_is_compiled_without_docstrings_and_the_engine_reads_none(trimmed_runtime):
    # Compiled as python -OO (sitebuild/compile_in_pyodide.py): docstrings are left out of the bytecode...
    wheel = json.loads(trimmed_runtime.lock.read_text())["packages"]
    (entry,) = wheel.values()
    with zipfile.ZipFile(trimmed_runtime.lock.parent / entry["file_name"]) as compiled:
        answers = compiled.read("engine/answers.pyc")
    assert b"regimen_rules" in answers  # a constant the code uses is there
    assert b"every input class's answer" not in answers  # the module's docstring is not
    with zipfile.ZipFile(trimmed_runtime.stdlib) as library:
        assert b"including both end points" not in library.read("random.pyc")  # random.randint's docstring
    # ...so nothing the worker runs may read one: the engine reads __doc__ only in its command line (python -m engine).
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "engine").rglob("*.py")
                     if "__doc__" in path.read_text(encoding="utf-8"))
    assert readers == ["engine/__main__.py"]
