"""Citations in Markdown by reference key (``[@key]``, ``[@key1, @key2]``): their syntax and numbering.

sitebuild.guideline_markdown renders them as numbered links.

Numbers follow the reference registry's order, group by group (engine.references), so a
number means the same work on every page.
"""

from __future__ import annotations

import re
from typing import Any

CITATION = re.compile(r"\[@([^\]\n]+)\]")


class CitationError(ValueError):
    """A citation names a key that is not in the reference registry."""


def numbering(references: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Reference key -> its number on every page."""
    return {key: number for number, key in enumerate(references, start=1)}


def anchor(key: str) -> str:
    return f"ref-{key}"


def cited_keys(markdown: str) -> list[str]:
    """Every key cited in ``markdown``, in order, with repeats."""
    return [key.strip().lstrip("@") for group in CITATION.findall(markdown) for key in re.split(r"[,;]", group)]
