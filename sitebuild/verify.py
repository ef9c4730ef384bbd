"""Checks of the built site: required files, internal links and anchors, citations, no foreign origin, and the
offline layer (precache manifest, service worker, security meta tags, manifest link)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitebuild import pwa
from sitebuild.guideline_markdown import unrendered

MARKDOWN_EXTENSION = "sitebuild.guideline_markdown"

# Attributes that make the browser load something (as opposed to a link the user may follow).
_LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"), ("iframe", "src"),
            ("audio", "src"), ("video", "src"), ("embed", "src"), ("object", "data"), ("img", "srcset")}
# xlink:href: a link of an inline SVG (the visual summary's links to the rules).
_FOLLOWED = {("a", "href"), ("a", "xlink:href"), ("area", "href")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_FOREIGN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_ALWAYS_FINE = ("data:", "blob:", "mailto:", "tel:", "javascript:void")
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# An admonition titled "Evidence check" that the guideline Markdown extension did not make (it adds evidence-box).
_HAND_WRITTEN_BOX = re.compile(r'<div class="admonition(?![^"]*evidence-box)[^"]*">\s*<p class="admonition-title">'
                               r"Evidence check")
_MANIFEST_LINK = re.compile(r'<link rel="manifest" href="[^"]*manifest\.webmanifest">')


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
        text = path.read_text(encoding="utf-8")
        if _HAND_WRITTEN_BOX.search(text):
            problems.append(f"{path.relative_to(site)}: an evidence box is written by hand; write ':::evidence <rule "
                            "id>' so that its status and note come from the engine")
        for what in unrendered(text):
            problems.append(f"{path.relative_to(site)}: {what} was not rendered (is {MARKDOWN_EXTENSION} in "
                            "mkdocs.yml's markdown_extensions, and did the generator run it?)")

    if problems:
        raise SiteError("the built site has problems:\n  " + "\n  ".join(problems))
    return {"pages": len(pages), "links": checked_links}


def verify_offline(site: Path) -> dict[str, int]:
    """Check the offline layer: the precache manifest lists exactly the site's files (but sw.js and itself)
    with their current revisions, sw.js is of this build, and every page has the CSP (hashing exactly its
    inline scripts, before any script), the referrer policy and the manifest link. Raise SiteError."""
    problems: list[str] = []
    manifest_path = site / pwa.PRECACHE_MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed: dict[str, str] = manifest["files"]
        build_id: str = manifest["build_id"]
    except (OSError, ValueError, KeyError, TypeError) as problem:
        raise SiteError(f"the built site has problems:\n  {pwa.PRECACHE_MANIFEST} is missing or unreadable: {problem}"
                        ) from problem
    actual = {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}
    expected = set(actual) - pwa.NOT_PRECACHED
    problems += [f"{pwa.PRECACHE_MANIFEST}: does not list {url}" for url in sorted(expected - set(listed))]
    problems += [f"{pwa.PRECACHE_MANIFEST}: lists {url}, which is not a file of the site"
                 for url in sorted(set(listed) - expected)]
    problems += [f"{pwa.PRECACHE_MANIFEST}: the revision of {url} does not match its content"
                 for url in sorted(expected & set(listed)) if listed[url] != pwa.revision(actual[url])]
    worker = site / pwa.SERVICE_WORKER
    if not worker.exists() or json.dumps(build_id) not in worker.read_text(encoding="utf-8"):
        problems.append(f"{pwa.SERVICE_WORKER}: missing, or not of build {build_id}")

    pages = {path: path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}
    policy = pwa.content_security_policy(*pages.values())
    for path, html in pages.items():
        where = path.relative_to(site)
        csp = _CSP.search(html)
        if csp is None:
            problems.append(f"{where}: no Content-Security-Policy meta tag")
        elif csp.group(1) != policy:
            problems.append(f"{where}: the Content-Security-Policy is not the site's one policy hashing exactly "
                            "the inline scripts of its pages")
        elif (script := html.find("<script")) != -1 and script < csp.start():
            problems.append(f"{where}: a script comes before the Content-Security-Policy meta tag")
        if pwa.REFERRER_META not in html:
            problems.append(f"{where}: no referrer policy meta tag")
        if not _MANIFEST_LINK.search(html):
            problems.append(f"{where}: no link to manifest.webmanifest")
    if problems:
        raise SiteError("the built site has problems:\n  " + "\n  ".join(problems))
    return {"precached": len(listed)}

