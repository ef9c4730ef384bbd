"""A pure-Python clinical decision engine: pathways, references and evaluation (standard library only)."""

from engine.api import (
    canonical_json,
    evaluate,
    evaluate_json,
    evaluate_text,
    pathways,
    reference_groups,
    references,
)
from engine.version import ENGINE_VERSION

__version__ = ENGINE_VERSION
__all__ = ["ENGINE_VERSION", "canonical_json", "evaluate", "evaluate_json", "evaluate_text", "pathways",
           "reference_groups", "references"]
