"""Checks of the built site: required files, internal links and anchors, citations, and no foreign origin."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that make the browser load something (as opposed to a link the user may follow).
_LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"), ("iframe", "src"),
            ("audio", "src"), ("video", "src"), ("embed", "src"), ("object", "data"), ("img", "srcset")}
_FOLLOWED = {("a", "href"), ("area", "href")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_FOREIGN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_ALWAYS_FINE = ("data:", "blob:", "mailto:", "tel:", "javascript:void")


class SiteError(Exception):
    """The built site is broken; the message lists every problem found."""


@dataclass
class _Page(HTMLParser):
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, url)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            elif value and ((tag, name) in _LOADING or (tag, name) in _FOLLOWED):
                if tag == "link" and name == "href" and ("rel", "canonical") in attrs:
                    continue
                self.urls.append((tag, name, value.strip()))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _target(site: Path, url_path: str) -> Path:
    target = site / unquote(url_path).lstrip("/")
    return target / "index.html" if url_path.endswith("/") or target.is_dir() else target


def verify_site(site: Path, required: list[str]) -> dict[str, int]:
    """Raise SiteError listing every problem; return counts of what was checked."""
    problems: list[str] = []
    missing = [name for name in required if not (site / name).exists()]
    problems += [f"missing file: {name}" for name in missing]

    pages = {path: _parse(path) for path in sorted(site.rglob("*.html"))}
    checked_links = 0
    for path, page in pages.items():
        here = "/" + path.relative_to(site).as_posix()
        for tag, attribute, url in page.urls:
            if url.startswith(_ALWAYS_FINE):
                continue
            where = f"{path.relative_to(site)}: <{tag} {attribute}={url!r}>"
            if _FOREIGN.match(url):
                if (tag, attribute) in _LOADING:
                    problems.append(f"{where} loads from another origin")
                continue
            if url.startswith("/"):
                if path.name == "404.html" and path.parent == site:
                    # Hosts serve it for a missing path at any depth, so MkDocs roots its links at site_url.
                    continue
                problems.append(f"{where} is root-absolute and breaks when the site is served from a sub-path")
                continue
            parts = urlsplit(urljoin(here, url))
            target = _target(site, parts.path)
            checked_links += 1
            if not target.exists():
                problems.append(f"{where} points to a missing file")
            elif parts.fragment and target.suffix == ".html":
                target_page = pages.get(target) or _parse(target)
                if unquote(parts.fragment) not in target_page.ids:
                    problems.append(f"{where} points to a missing anchor #{parts.fragment}")

    for path in site.rglob("*.css"):
        for url in _CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
            if _FOREIGN.match(url):
                problems.append(f"{path.relative_to(site)}: url({url}) loads from another origin")

    for path, _page in pages.items():
        if "[@" in path.read_text(encoding="utf-8"):
            problems.append(f"{path.relative_to(site)}: a citation was not rendered ([@...] left in the page)")

    if problems:
        raise SiteError("the built site has problems:\n  " + "\n  ".join(problems))
    return {"pages": len(pages), "links": checked_links}
