"""MkDocs hooks: guideline metadata in every page's context, and citations rendered as numbered links."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

# A plain `mkdocs build` imports this file by path; the engine lives at the repository root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import engine  # noqa: E402
from sitebuild.citations import REFERENCES_PAGE, CitationError, render_citations  # noqa: E402
from sitebuild.wheel import engine_package_name  # noqa: E402


def on_config(config: Any) -> Any:
    """Fill the footer's versions from the engine unless build.py already set them."""
    pathway = engine.pathways()[0]  # the site's main guideline: its version is the one in the footer
    extra = config.extra
    extra.setdefault("guideline", {"version": pathway["version"], "source_date": pathway["source_date"],
                                   "title": pathway["title"]})
    extra.setdefault("engine_version", engine.ENGINE_VERSION)
    extra.setdefault("engine_package", engine_package_name())
    extra.setdefault("build_id", "dev")
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    guideline = config.extra["guideline"]
    markdown = markdown.replace("{{ guideline.version }}", str(guideline["version"]))
    markdown = markdown.replace("{{ guideline.source_date }}", str(guideline["source_date"]))
    references_file = files.get_file_from_path(REFERENCES_PAGE)
    if references_file is None:
        raise PluginError(f"{REFERENCES_PAGE} is missing: citations have nowhere to point")
    url = get_relative_url(references_file.url, page.file.url)
    try:
        return render_citations(markdown, engine.references(), url, page.file.src_path)
    except CitationError as problem:
        raise PluginError(str(problem)) from problem
