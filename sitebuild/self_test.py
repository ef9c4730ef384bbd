"""The on-device self-test's file: the repository's shared cases (tests/cases/*.json), each with the digest of
the answer the engine gives in CPython here (engine.self_test), for the page's engine to check on a device."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.self_test import expectations

CASES_FOLDER = Path("tests") / "cases"


def shared_cases(root: Path) -> list[tuple[str, str, Any]]:
    """(id, pathway id, inputs) of every shared case under ``root``; none when the folder is absent (a copy of
    the sources without tests/ still builds; its pages then say the engine was not checked)."""
    cases = []
    for path in sorted((root / CASES_FOLDER).glob("*.json")):
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
            cases += [(f"{path.stem}/{case['id']}", case.get("pathway", table.get("pathway")), case["input"])
                      for case in table["cases"]]
        except (ValueError, KeyError, TypeError) as problem:
            raise ValueError(f"{path}: not a shared-case file ({problem})") from None
    return cases


def self_test_file(root: Path) -> tuple[str, int]:
    """The self-test file's JSON text and how many cases it holds."""
    cases = shared_cases(root)
    return json.dumps(expectations(cases), ensure_ascii=False, separators=(",", ":")), len(cases)
