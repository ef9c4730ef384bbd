"""The engine's public API: pathways, references and evaluation (dicts or JSON text)."""

from __future__ import annotations

import json
from typing import Any

from engine.errors import FieldError
from engine.pathway import rejected
from engine.pathways import PATHWAYS, REFERENCES


def pathways() -> list[dict[str, Any]]:
    """Every pathway's descriptor: id, title, version, input field specs and rule specs."""
    return [pathway.descriptor() for pathway in PATHWAYS.values()]


def references() -> dict[str, dict[str, Any]]:
    """Every citable work by key, in the site's numbering order (group by group)."""
    return REFERENCES.to_dict()


def reference_groups() -> list[dict[str, Any]]:
    """The groups of the references, in order: id (a reference's ``group``), title and introduction."""
    return [group.to_dict() for group in REFERENCES.groups]


def evaluate(pathway_id: Any, inputs: Any) -> dict[str, Any]:
    """Evaluate ``inputs`` on a pathway. Pure and deterministic; bad input gives ``ok: false``, never an exception."""
    pathway = PATHWAYS.get(pathway_id) if isinstance(pathway_id, str) else None
    if pathway is None:
        known = ", ".join(PATHWAYS)
        shown = pathway_id if isinstance(pathway_id, str) else type(pathway_id).__name__
        message = f"Unknown pathway {str(shown)[:60]!r}; known pathways: {known}"
        error = FieldError(None, "unknown-pathway", message)
        return rejected(pathway_id if isinstance(pathway_id, str) else None, [error.to_dict()])
    return pathway.evaluate(inputs)


def canonical_json(value: Any) -> str:
    """The one JSON spelling of a result: sorted keys, no spaces, UTF-8 text, no NaN."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys: a contradictory entry would be answered as if it were normal.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


def evaluate_text(pathway_id: Any, input_json: str) -> dict[str, Any]:
    """Evaluate inputs given as JSON text; text that is not JSON, or repeats a key, is rejected like any bad input."""
    pathway = pathway_id if isinstance(pathway_id, str) else None
    try:
        inputs = json.loads(input_json, object_pairs_hook=_refuse_repeated_keys)
    except _RepeatedKey as repeated:
        shown = repeated.key[:60]
        error = FieldError(shown, "type", f"{shown!r} is given more than once: give each answer once")
        return rejected(pathway, [error.to_dict()])
    except (ValueError, RecursionError) as problem:
        error = FieldError(None, "type", f"The input is not valid JSON: {str(problem)[:120]}")
        return rejected(pathway, [error.to_dict()])
    return evaluate(pathway_id, inputs)


def evaluate_json(pathway_id: str, input_json: str) -> str:
    """JSON text in, canonical JSON text out: the call the browser worker makes."""
    return canonical_json(evaluate_text(pathway_id, input_json))
