"""The on-device self-test: answers CPython gave at build time, which the engine checks where it runs.

The build writes ``expectations`` of a set of cases (each input and the SHA-256 of the canonical JSON that
``evaluate_json`` gave for it); on a device the page's engine worker hands that file to ``check``, which
evaluates every case again and names each one whose answer differs. A runtime that computes differently (a
broken build of Python, a browser bug in WebAssembly) is then caught before a result is shown.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from engine.api import canonical_json, evaluate_json
from engine.version import ENGINE_VERSION

FORMAT = 1


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def matches(pathway_id: str, input_json: str, digest: str) -> bool:
    """Whether the engine here gives the answer whose digest is ``digest`` (one case: the page's worker checks
    case by case, so that it still answers the page's heartbeat between them)."""
    return _digest(evaluate_json(str(pathway_id), str(input_json))) == str(digest)


def expectations(cases: Iterable[tuple[str, str, Any]]) -> dict[str, Any]:
    """The file the page checks: ``cases`` as (id, pathway id, inputs), each with its answer's digest."""
    entries = []
    for case_id, pathway_id, inputs in cases:
        input_json = canonical_json(inputs)
        entries.append({"id": case_id, "pathway": pathway_id, "input_json": input_json,
                        "sha256": _digest(evaluate_json(pathway_id, input_json))})
    return {"format": FORMAT, "engine_version": ENGINE_VERSION, "cases": entries}


def check(expectations_json: str) -> str:
    """Evaluate every case of ``expectations_json`` here; JSON text of ``{ok, checked, mismatches, problem}``.

    Never raises: an unreadable file is a failed check with the reason (``problem``).
    """
    try:
        data = json.loads(expectations_json)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        if data.get("engine_version") != ENGINE_VERSION:
            raise ValueError(f"made for engine {data.get('engine_version')!r}, this is {ENGINE_VERSION}")
        cases = [(str(case["id"]), str(case["pathway"]), str(case["input_json"]), str(case["sha256"]))
                 for case in data["cases"]]
    except (ValueError, TypeError, KeyError, AttributeError) as problem:
        return json.dumps({"ok": False, "checked": 0, "mismatches": [],
                           "problem": f"the self-test file cannot be read: {str(problem)[:200]}"})
    mismatches = [case_id for case_id, pathway_id, input_json, digest in cases
                  if not matches(pathway_id, input_json, digest)]
    return json.dumps({"ok": not mismatches, "checked": len(cases), "mismatches": mismatches, "problem": None})
