"""The shared cases (tests/cases/*.json) and how an expectation is checked against a result.

Each layer (CPython, Pyodide under Node, later the browser) replays the same cases.
An expectation maps a path to the expected value: ``regimen.interval.value`` walks
objects and list indexes, ``cautions.*.id`` collects ``id`` from every list item, and
a path that does not exist compares as ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).parent / "cases"
_MISSING = object()


@dataclass(frozen=True)
class SharedCase:
    id: str
    pathway: str
    input: Any
    expect: dict[str, Any]
    file: str


def load_cases() -> list[SharedCase]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        for case in table["cases"]:
            cases.append(
                SharedCase(
                    id=case["id"],
                    pathway=case.get("pathway", table["pathway"]),
                    input=case["input"],
                    expect=case["expect"],
                    file=path.name,
                )
            )
    ids = [case.id for case in cases]
    duplicates = {case_id for case_id in ids if ids.count(case_id) > 1}
    if duplicates:
        raise ValueError(f"duplicate shared case ids: {sorted(duplicates)}")
    return cases


def resolve(value: Any, path: str) -> Any:
    """The value at ``path`` in ``value`` (see the module docstring), or None if absent."""
    parts = path.split(".")
    for index, part in enumerate(parts):
        if part == "*":
            if not isinstance(value, list):
                return None
            rest = ".".join(parts[index + 1 :])
            return [resolve(item, rest) if rest else item for item in value]
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            value = _MISSING
        if value is _MISSING:
            return None
    return value


def mismatches(result: Any, expect: dict[str, Any]) -> list[str]:
    """Every expectation that the result does not meet, described for the failure message."""
    problems = []
    for path, expected in expect.items():
        actual = resolve(result, path)
        if actual != expected:
            problems.append(f"{path}: expected {expected!r}, got {actual!r}")
    return problems
