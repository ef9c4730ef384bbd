"""The nav of mkdocs.yml with the generated pages of every pathway in it.

mkdocs.yml places them with a marker: ``- Calculators: "@calculator"`` becomes a section with the calculator
of each pathway (titled by its short title), and likewise ``@decision_table``, ``@inputs`` and ``@evidence``:
a new pathway joins the nav with no edit to mkdocs.yml.
"""

from __future__ import annotations

from typing import Any

from sitebuild.model import PATHWAY_PAGES, SiteModel

MARKER = "@"


class NavError(ValueError):
    """mkdocs.yml's nav names a marker for pages that are not generated."""


def _expand(item: Any, model: SiteModel) -> Any:
    if isinstance(item, list):
        return [_expand(entry, model) for entry in item]
    if isinstance(item, dict):
        return {title: _expand(value, model) for title, value in item.items()}
    if isinstance(item, str) and item.startswith(MARKER):
        kind = item[len(MARKER):]
        if kind not in PATHWAY_PAGES:
            raise NavError(f"mkdocs.yml nav: unknown marker {item!r}; the generated pages are "
                           f"{', '.join(MARKER + name for name in PATHWAY_PAGES)}")
        return [{pathway.get("short_title") or pathway["title"]: model.pages(pathway["id"])[kind]}
                for pathway in model.pathways]
    return item


def expand_nav(nav: list[Any] | None, model: SiteModel) -> list[Any] | None:
    """The nav with each marker replaced by one entry per pathway."""
    return None if nav is None else _expand(nav, model)
