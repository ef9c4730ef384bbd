"""Citations in Markdown by reference key (``[@src3]``, ``[@src3, @nice-ng239]``) rendered as numbered links.

Numbers follow the reference registry's order: the source document keeps its own
numbers 1-8, and the primary sources continue from 9, so a number means the same
work on every page.
"""

from __future__ import annotations

import html
import re
from typing import Any

CITATION = re.compile(r"\[@([^\]\n]+)\]")
REFERENCES_PAGE = "references.md"


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


def render_citations(
    markdown: str, references: dict[str, dict[str, Any]], references_url: str, where: str
) -> str:
    """Replace each citation with a superscript of numbered links to ``references_url``.

    Raises CitationError naming ``where`` (the page) and every unknown key.
    """
    numbers = numbering(references)
    unknown = sorted({key for key in cited_keys(markdown) if key not in numbers})
    if unknown:
        raise CitationError(
            f"{where}: unknown citation key(s) {', '.join(unknown)}; "
            f"known keys are listed by `python -m engine references`"
        )

    def link(key: str) -> str:
        reference = references[key]
        title = html.escape(f"{reference['title']}" + (f" ({reference['year']})" if reference["year"] else ""))
        return f'<a href="{references_url}#{anchor(key)}" title="{title}">{numbers[key]}</a>'

    def replace(match: re.Match[str]) -> str:
        keys = [key.strip().lstrip("@") for key in re.split(r"[,;]", match.group(1))]
        return '<sup class="citation">[' + ", ".join(link(key) for key in keys) + "]</sup>"

    return CITATION.sub(replace, markdown)
