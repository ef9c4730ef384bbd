"""Pyodide's memory snapshot, pinned under Node with the page's own start-up module (engine-boot.js).

The API is private in Pyodide 314 (loadPyodide({_makeSnapshot}), makeMemorySnapshot(), loadPyodide({_loadSnapshot})):
an upgrade that changes or breaks it fails here, while the page would only fall back to a fresh start. The
snapshot is of a heap that grew past its initial size, which Pyodide alone cannot restore (pyodide#6254).
"""

from __future__ import annotations

import json

import pytest

import engine
from sitebuild.self_test import self_test_file
from tests.conftest import ROOT
from tests.pyodide.test_parity import answers
from tests.shared_cases import load_cases

CASES = load_cases()


@pytest.mark.node
def test_an_engine_restored_from_its_snapshot_passes_its_self_test_and_answers_as_cpython(trimmed_runtime, tmp_path):
    snapshot = tmp_path / "engine.snapshot"
    checks = json.loads(self_test_file(ROOT)[0])
    made = answers(trimmed_runtime, {"selfTest": checks, "makeSnapshot": str(snapshot), "growHeapMb": 48})
    assert made["selfTest"]["ok"] is True
    # The heap grew by 48 MB before the snapshot: restoring it needs a memory grown first (engine-boot.js).
    assert made["snapshotBytes"] == snapshot.stat().st_size > 48 * 1024 * 1024

    requests = [{"pathway": case.pathway, "input_json": json.dumps(case.input)} for case in CASES]
    restored = answers(trimmed_runtime, {"loadSnapshot": str(snapshot), "selfTest": checks, "evaluate": requests})
    assert restored["selfTest"] == {"ok": True, "checked": len(CASES), "mismatches": [], "problem": None}
    for request, output in zip(requests, restored["evaluated"], strict=True):
        assert output == engine.evaluate_json(request["pathway"], request["input_json"]), request
