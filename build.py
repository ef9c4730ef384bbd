"""The one build entry: ``python build.py`` builds the static site into ``site/``.

``python build.py serve`` builds, then serves it on http://127.0.0.1:8000 (``--prefix /guides/clinic/``
serves it under a sub-path, as some hosts will). The pipeline reads top to bottom: each step is a
small function that logs what it did and how long it took, and fails with a message that names
the file and the fix.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import engine
from sitebuild.model import SELF_TEST, SiteModel, gather
from sitebuild.nav import expand_nav
from sitebuild.pages import (
    answer_tables,
    calculator_form_renderer,
    generated_pages,
    stage_docs,
    write_generated_pages,
)
from sitebuild.pwa import ICON_DIR, ICONS, write_pwa
from sitebuild.pyodide_lock import write_engine_lock
from sitebuild.runtime import RUNTIME_FILES, copy_engine, copy_runtime
from sitebuild.self_test import self_test_file
from sitebuild.verify import verify_offline, verify_site
from sitebuild.wheel import build_engine_wheel, engine_package_name

ROOT = Path(__file__).resolve().parent
SITE = ROOT / "site"
DOCS = ROOT / "docs"
TEMPLATES = ROOT / "site_templates"
CONFIG = ROOT / "mkdocs.yml"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
# Engine wheels by the digest of their inputs: an unchanged engine is not rebuilt (see sitebuild/wheel.py).
CACHE = ROOT / ".cache"
WHEEL_CACHE = CACHE / "engine-wheel"
MARKDOWN_EXTENSION = "sitebuild.guideline_markdown"
# What the build id is a digest of: everything that shapes the built site.
BUILD_INPUTS = ("docs", "engine", "safety", "site_templates", "sitebuild", "mkdocs.yml", "package-lock.json",
                "build.py", "pyproject.toml", "requirements.txt")

T = TypeVar("T")


class BuildError(Exception):
    """A build step failed; the message says which and how to fix it."""


def step(name: str, action: Callable[[], T], summary: Callable[[T], str] = str) -> T:
    """Run one build step, logging its name, what it produced and how long it took."""
    started = time.perf_counter()
    try:
        outcome = action()
    except Exception as problem:
        raise BuildError(f"build step '{name}' failed: {problem}") from problem
    print(f"build: {name}: {summary(outcome)} ({time.perf_counter() - started:.2f} s)", flush=True)
    return outcome


def compute_build_id(model: SiteModel | None = None, root: Path = ROOT, site_url: str | None = None) -> str:
    """A short digest of every build input: the same sources always give the same id.

    The engine's descriptor and references are digested too, as the generated pages are
    rendered from what the engine says, not from its files alone.
    """
    model = model or gather(CONFIG, explore_pathways=False)
    said = [list(model.pathways), model.references, site_url]
    digest = hashlib.sha256(engine.canonical_json(said).encode())
    for name in BUILD_INPUTS:
        base = root / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def build_engine(work: Path) -> tuple[Path, Path]:
    if not (NODE_PYODIDE / "pyodide-lock.json").exists():
        raise BuildError(f"{NODE_PYODIDE} is missing: run `npm ci` first (make does it for you)")
    wheel = build_engine_wheel(work / "engine", cache=WHEEL_CACHE)
    lock = work / "engine" / "engine-lock.json"
    write_engine_lock(wheel, lock, NODE_PYODIDE / "pyodide-lock.json")
    return wheel, lock


def read_engine() -> SiteModel:
    """The engine and mkdocs.yml, read once; every input class of every pathway evaluated and checked."""
    model = gather(CONFIG, cache=CACHE)
    problems = [f"{pathway_id}: {problem}" for pathway_id, found in model.explorations.items()
                for problem in found.problems]
    if problems:
        raise BuildError("the engine's rules contradict each other or leave a class of inputs without an answer "
                         "(engine/exploration.py):\n  " + "\n  ".join(problems))
    return model


def explored(model: SiteModel) -> str:
    counts = ", ".join(f"{pathway_id} {found.classes} input classes in {len(found.groups)} groups, "
                       f"{found.evaluated} evaluated"
                       + (f", {sum(found.overridden.values())} with an overridden rule" if found.overridden else "")
                       for pathway_id, found in model.explorations.items())
    return f"{len(model.pathways)} pathways ({counts})"


def generate_pages(model: SiteModel, staging_docs: Path, build_facts: dict[str, str]) -> str:
    if not DOCS.is_dir():
        raise BuildError(f"{DOCS} is missing: the guideline text lives there")
    stage_docs(DOCS, TEMPLATES, staging_docs)
    form = calculator_form_renderer(TEMPLATES, model, build_facts)
    pages = write_generated_pages(staging_docs, generated_pages(model, TEMPLATES, form))
    tables = write_generated_pages(staging_docs, answer_tables(model))
    size = sum(path.stat().st_size for path in tables) / 1000
    try:
        self_test, cases = self_test_file(ROOT)
    except ValueError as problem:
        raise BuildError(str(problem)) from None
    write_generated_pages(staging_docs, {SELF_TEST: self_test})
    checked = f"the on-device self-test of {cases} shared cases" if cases else (
        "no on-device self-test (tests/cases/ is missing: the calculator will say its engine was not checked)")
    return f"{len(pages)} pages and {len(tables)} answer tables ({size:.0f} kB) from the engine; {checked}"


def run_mkdocs(model: SiteModel, staging_docs: Path, site: Path, build_facts: dict[str, str],
               site_url: str | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # MkDocs reports through logging: show its warnings and errors (not its progress lines), and
    # keep them, so that a failure says why rather than only "Aborted".
    logging.basicConfig(format="mkdocs: %(levelname)s %(message)s", level=logging.WARNING)
    reasons = _Collector()
    logging.getLogger("mkdocs").addHandler(reasons)
    # site_url is optional: without it every link is relative and the site works under any path, but
    # MkDocs then leaves sitemap.xml empty and roots 404.html's links at "/".
    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(CONFIG), docs_dir=str(staging_docs), site_dir=str(site), **overrides)
    config.extra["build_id"] = build_facts["build_id"]
    config.extra["engine_version"] = build_facts["engine_version"]
    config.extra["engine_package"] = engine_package_name()
    config["nav"] = expand_nav(config["nav"], model)
    # The Markdown extension gets the model gathered once, instead of reading the engine again.
    config["mdx_configs"].setdefault(MARKDOWN_EXTENSION, {})["model"] = model
    # MkDocs dates the sitemap with the build time unless SOURCE_DATE_EPOCH is set: the guideline's own
    # date keeps the same sources giving the same bytes, so a rebuild never looks like a new version offline.
    epoch_was_set = "SOURCE_DATE_EPOCH" in os.environ
    os.environ.setdefault("SOURCE_DATE_EPOCH", build_facts["source_epoch"])
    try:
        mkdocs_build(config)
        prune_theme_files(site, config.plugins["material/search"].config.lang or [])
    except (MkDocsException, SystemExit) as problem:  # SystemExit: mkdocs' Abort after strict-mode warnings
        why = "; ".join(reasons.messages) or str(problem)
        raise BuildError(f"mkdocs build failed (strict mode turns warnings into errors): {why}") from problem
    except Exception as problem:
        # A page the guideline's Markdown refused (an unknown citation, a wrong evidence box): MkDocs logged
        # which page before re-raising; say it with the reason.
        why = "; ".join(reasons.messages) or str(problem)
        raise BuildError(f"mkdocs build failed: {why}") from problem
    finally:
        logging.getLogger("mkdocs").removeHandler(reasons)
        if not epoch_was_set:
            del os.environ["SOURCE_DATE_EPOCH"]


def prune_theme_files(site: Path, search_languages: list[str]) -> None:
    """Remove theme files no page can ask for, so that the offline store holds only what is used.

    Source maps are fetched only by open developer tools; lunr's language packs only for a search
    language other than English.
    """
    for source_map in site.rglob("*.map"):
        source_map.unlink()
    if set(search_languages) <= {"en"}:
        shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def built_page(markdown_path: str) -> str:
    """The file MkDocs writes for a Markdown page (directory URLs)."""
    page = markdown_path.removesuffix(".md")
    return f"{page.removesuffix('index')}index.html" if page.endswith("index") else f"{page}/index.html"


def required_files(model: SiteModel) -> list[str]:
    url_map = model.url_map()
    generated = [*url_map["site"].values(),
                 *(path for pages in url_map["pathways"].values() for path in pages.values())]
    pages = ["index.html", "sitemap.xml", "search/search_index.json", "engine/engine-lock.json",
             *(built_page(path) for path in generated)]
    pwa = ["sw.js", "precache-manifest.json", "manifest.webmanifest", "assets/site/pwa.js",
           *(f"{ICON_DIR}/{name}" for name, _size, _purpose in ICONS)]
    return pages + pwa + [f"pyodide/{name}" for name in RUNTIME_FILES]


def site_size(site: Path) -> str:
    files = [path for path in site.rglob("*") if path.is_file()]
    return f"{len(files)} files, {sum(path.stat().st_size for path in files) / 1e6:.1f} MB"


def build(site: Path = SITE, site_url: str | None = None) -> str:
    """Build the whole site into ``site`` (for deployment at ``site_url`` when given); returns the build id."""
    site = Path(site)
    model = step("engine", read_engine, explored)
    build_id = compute_build_id(model, site_url=site_url)
    identity = model.identity
    source_day = datetime.date.fromisoformat(identity.source_date)
    facts = {"build_id": build_id, "engine_version": engine.ENGINE_VERSION, "guideline_version": identity.version,
             "source_epoch": str(calendar.timegm(source_day.timetuple()))}
    print(f"build: {build_id} (engine {engine.ENGINE_VERSION}, guideline {identity.version}) into {site}")
    with tempfile.TemporaryDirectory(prefix="guideline-build-") as scratch:
        work = Path(scratch)
        wheel, lock = step("engine wheel", lambda: build_engine(work), lambda built: built[0].name)
        step("generated pages", lambda: generate_pages(model, work / "docs", facts))
        if site.exists():
            shutil.rmtree(site)
        step("mkdocs build", lambda: run_mkdocs(model, work / "docs", site, facts, site_url) or "pages rendered")
        step("runtime", lambda: f"{len(copy_runtime(NODE_PYODIDE, site)) + len(copy_engine(wheel, lock, site))} files")
    step("pwa", lambda: write_pwa(site, build_id, TEMPLATES, identity),
         lambda made: f"service worker precaching {made['files']} files, {made['bytes'] / 1e6:.1f} MB")
    checked = step("verify", lambda: {**verify_site(site, required_files(model)), **verify_offline(site)})
    print(f"build: done: {site_size(site)}; checked {checked['pages']} pages, {checked['links']} internal links")
    return build_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, prog="python build.py"
    )
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build",
                        help="build the site (default), or build and then serve it")
    parser.add_argument("--site", type=Path, default=SITE, help="output folder (default: site/)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    parser.add_argument("--prefix", default="/", help="serve under this URL path, e.g. /guides/clinic/ (default: /)")
    parser.add_argument("--site-url", help="the address the site will be deployed at, e.g. "
                        "https://example.org/guides/clinic/: fills sitemap.xml (instant navigation on a first visit "
                        "needs it) and makes the 404 page work under a sub-path (default: none, every link "
                        "relative; `serve` uses the address it serves on)")
    args = parser.parse_args(argv)
    site_url = args.site_url
    if args.command == "serve" and site_url is None:
        from sitebuild.server import normalize_prefix

        site_url = f"http://{args.host}:{args.port}{normalize_prefix(args.prefix)}"
    try:
        build(args.site, site_url)
    except BuildError as problem:
        print(f"build: FAILED: {problem}", file=sys.stderr)
        return 1
    if args.command == "serve":
        from sitebuild.server import serve_forever

        serve_forever(args.site, args.host, args.port, args.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
