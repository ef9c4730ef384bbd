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
import importlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import engine
from sitebuild.compiled_runtime import CompiledRuntime, compile_runtime
from sitebuild.indentation import remove_indentation
from sitebuild.model import SELF_TEST, SiteModel, gather, read_identity
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
# The engine and the standard library compiled by Pyodide's interpreter, by the digest of their inputs.
COMPILED_CACHE = CACHE / "compiled-runtime"
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
    said = [list(model.pathways), model.references, site_url, generator_name()]
    digest = hashlib.sha256(engine.canonical_json(said).encode())
    for name in BUILD_INPUTS:
        base = root / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def build_engine(work: Path, self_test: str) -> tuple[CompiledRuntime, Path]:
    """The engine wheel, then it and the standard library compiled for Pyodide; the lock names the compiled wheel."""
    runtime_lock = NODE_PYODIDE / "pyodide-lock.json"
    if not runtime_lock.exists():
        raise BuildError(f"{NODE_PYODIDE} is missing: run `npm ci` first (make does it for you)")
    wheel = build_engine_wheel(work / "source", cache=WHEEL_CACHE)
    source_lock = work / "source" / "engine-lock.json"
    write_engine_lock(wheel, source_lock, runtime_lock)
    compiled = compile_runtime(NODE_PYODIDE, wheel, source_lock, self_test, work / "engine", cache=COMPILED_CACHE)
    lock = work / "engine" / "engine-lock.json"
    write_engine_lock(compiled.wheel, lock, runtime_lock)
    return compiled, lock


def compiled_summary(built: tuple[CompiledRuntime, Path]) -> str:
    compiled = built[0]
    return (f"{compiled.wheel.name} and {len(compiled.modules)} standard-library modules "
            f"({compiled.stdlib.stat().st_size / 1e6:.2f} MB) compiled by Python {compiled.python}")


def self_test_cases() -> tuple[str, int]:
    try:
        return self_test_file(ROOT)
    except ValueError as problem:
        raise BuildError(str(problem)) from None


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


def generate_pages(model: SiteModel, staging_docs: Path, build_facts: dict[str, str],
                   self_test: tuple[str, int]) -> str:
    if not DOCS.is_dir():
        raise BuildError(f"{DOCS} is missing: the guideline text lives there")
    stage_docs(DOCS, TEMPLATES, staging_docs)
    form = calculator_form_renderer(TEMPLATES, model, build_facts)
    pages = write_generated_pages(staging_docs, generated_pages(model, TEMPLATES, form))
    tables = write_generated_pages(staging_docs, answer_tables(model))
    size = sum(path.stat().st_size for path in tables) / 1000
    checks, cases = self_test
    write_generated_pages(staging_docs, {SELF_TEST: checks})
    checked = f"the on-device self-test of {cases} shared cases" if cases else (
        "no on-device self-test (tests/cases/ is missing: the calculator will say its engine was not checked)")
    return f"{len(pages)} pages and {len(tables)} answer tables ({size:.0f} kB) from the engine; {checked}"


def run_mkdocs(model: SiteModel, staging_docs: Path, site: Path, build_facts: dict[str, str],
               site_url: str | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # MkDocs reports through logging: show its warnings and errors (not its progress lines), and
    # keep them, so that a failure says why rather than only "Aborted". (ProperDocs logs as "properdocs".)
    logging.basicConfig(format="mkdocs: %(levelname)s %(message)s", level=logging.WARNING)
    reasons = _Collector()
    for logger in LOGGERS:
        logging.getLogger(logger).addHandler(reasons)
    # site_url is optional: without it every link is relative and the site works under any path, but
    # MkDocs then leaves sitemap.xml empty and roots 404.html's links at "/".
    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(CONFIG), docs_dir=str(staging_docs), site_dir=str(site), **overrides)
    config.extra["build_id"] = build_facts["build_id"]
    config.extra["engine_version"] = build_facts["engine_version"]
    config.extra["engine_package"] = engine_package_name()
    config.extra["guideline"]["disclaimer"] = model.identity.disclaimer  # the pathways' (sitebuild/model.py)
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
        why = "; ".join(map(author_file, reasons.messages)) or str(problem)
        raise BuildError(f"mkdocs build failed (strict mode turns warnings into errors): {why}") from problem
    except Exception as problem:
        # A page the guideline's Markdown refused (an unknown citation, a wrong evidence box): MkDocs logged
        # which page before re-raising; say it with the reason.
        why = "; ".join(map(author_file, reasons.messages)) or str(problem)
        raise BuildError(f"mkdocs build failed: {why}") from problem
    finally:
        for logger in LOGGERS:
            logging.getLogger(logger).removeHandler(reasons)
        if not epoch_was_set:
            del os.environ["SOURCE_DATE_EPOCH"]


# The generators build.py can run: MkDocs 1.6, or ProperDocs, the maintained fork of MkDocs 1.x, which takes
# the same configuration, theme and extensions. ProperDocs' replacement module makes every `mkdocs` import of
# the process (ours, the theme's) import ProperDocs, so it is chosen once, at the start of a process.
GENERATORS = {"mkdocs": None, "properdocs": "properdocs.replacement"}
LOGGERS = ("mkdocs", "properdocs")


def use_generator(name: str) -> None:
    """Make ``name`` the generator of this process (before anything imports mkdocs)."""
    if GENERATORS[name] is not None:
        importlib.import_module(GENERATORS[name])


def generator_name() -> str:
    """The generator that `import mkdocs` gives this process, and its version."""
    import mkdocs

    name = "ProperDocs" if mkdocs.__name__ == "properdocs" else "MkDocs"
    return f"{name} {mkdocs.__version__}"


def author_file(message: str) -> str:
    """MkDocs names a page by its path in the staging copy: name the author's file (docs/...) instead, or say
    that the page is generated from the engine."""
    def named(match: re.Match[str]) -> str:
        page = match.group(1)
        return f"page '{DOCS.name}/{page}'" if (DOCS / page).is_file() else f"page '{page}' (generated)"

    return re.sub(r"page '([^']+)'", named, message)


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
    pwa = ["sw.js", "precache-manifest.json", "manifest.webmanifest", "assets/calculator/site.js",
           *(f"{ICON_DIR}/{name}" for name, _size, _purpose in ICONS)]
    return pages + pwa + [f"pyodide/{name}" for name in RUNTIME_FILES]


def site_size(site: Path) -> str:
    files = [path for path in site.rglob("*") if path.is_file()]
    return f"{len(files)} files, {sum(path.stat().st_size for path in files) / 1e6:.1f} MB"


def build(site: Path = SITE, site_url: str | None = None, model: SiteModel | None = None) -> str:
    """Build the whole site into ``site`` (for deployment at ``site_url`` when given); returns the build id.

    ``model``: the engine as read by an earlier build of this process (the live preview passes it when only text
    changed), so the engine is not read and explored again.
    """
    site = Path(site)
    if model is None:
        model = step("engine", read_engine, explored)
    else:
        model = replace(model, identity=read_identity(CONFIG))  # mkdocs.yml may have changed
        print(f"build: engine: as read before by this process, not explored again ({explored(model)})", flush=True)
    build_id = compute_build_id(model, site_url=site_url)
    identity = model.identity
    source_day = datetime.date.fromisoformat(identity.source_date)
    facts = {"build_id": build_id, "engine_version": engine.ENGINE_VERSION, "guideline_version": identity.version,
             "source_epoch": str(calendar.timegm(source_day.timetuple()))}
    print(f"build: {build_id} (engine {engine.ENGINE_VERSION}, guideline {identity.version}) into {site}")
    with tempfile.TemporaryDirectory(prefix="guideline-build-") as scratch:
        work = Path(scratch)
        self_test = self_test_cases()
        compiled, lock = step("engine compiled for Pyodide", lambda: build_engine(work, self_test[0]), compiled_summary)
        step("generated pages", lambda: generate_pages(model, work / "docs", facts, self_test))
        if site.exists():
            shutil.rmtree(site)
        step("mkdocs build", lambda: run_mkdocs(model, work / "docs", site, facts, site_url)
             or f"pages rendered by {generator_name()}")
        step("indentation", lambda: remove_indentation(site),
             lambda made: f"removed from {made[0]} pages: {made[1] / 1000:.0f} kB less to store offline")
        step("runtime", lambda: f"{len(copy_runtime(NODE_PYODIDE, compiled.stdlib, site))} runtime files, "
                                f"{len(copy_engine(compiled.wheel, lock, site))} engine files")
    step("pwa", lambda: write_pwa(site, build_id, TEMPLATES, identity),
         lambda made: f"service worker precaching {made['files']} files, {made['bytes'] / 1e6:.1f} MB")
    checked = step("verify", lambda: {**verify_site(site, required_files(model)), **verify_offline(site)})
    print(f"build: done: {site_size(site)}; checked {checked['pages']} pages, {checked['links']} internal links")
    return build_id


# A change to these is a change of the build's own Python code: the live preview then builds in a new process
# (this one has the old modules imported). Any other change (text, templates, mkdocs.yml, the hazard register)
# is rebuilt here, with the engine as already read.
PYTHON_SOURCES = ("engine", "sitebuild", "build.py")
WATCHED = ("docs", "engine", "safety", "site_templates", "sitebuild", "mkdocs.yml", "build.py")


def preview_rebuilder(model: SiteModel, site_url: str, generator: str) -> Callable[[Path, set[Path]], str]:
    """What the live preview runs on each change: a build of the changed sources into the folder it names."""
    python_changed = False

    def rebuild(target: Path, changed: set[Path]) -> str:
        nonlocal python_changed
        python_changed = python_changed or any(path.is_relative_to(ROOT / name) for path in changed
                                               for name in PYTHON_SOURCES)
        if not python_changed:
            return build(target, site_url, model=model)
        return build_in_new_process(target, site_url, generator)

    return rebuild


def build_in_new_process(site: Path, site_url: str, generator: str) -> str:
    """``python build.py build`` in a new process (its output shown as it comes); returns the build id."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--site-url", site_url,
               "--generator", generator]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said = []
    for line in process.stdout or ():
        print(line, end="", flush=True)
        said.append(line.rstrip("\n"))
    if process.wait() != 0:
        failed = [line for line in said if line.startswith("build: FAILED:")]
        start = said.index(failed[-1]) if failed else max(0, len(said) - 5)
        raise BuildError("\n".join(said[start:]).removeprefix("build: FAILED: "))
    ids = [line.split()[1] for line in said if line.startswith("build: ") and " (engine " in line]
    return ids[-1]


def new_pathway_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Write a new pathway's files from site_templates/new-pathway/ (sitebuild/scaffold.py)."""
    from engine.pathways import PATHWAYS, REFERENCES
    from sitebuild.scaffold import NewPathway, ScaffoldError, new_pathway

    if not args.pathway_id or not args.title:
        parser.error("new-pathway needs an id and a title: python build.py new-pathway <id> --title \"...\"")
    new = NewPathway(args.pathway_id, args.title, args.short_title or args.title)
    try:
        written = new_pathway(ROOT, TEMPLATES / "new-pathway", new, set(PATHWAYS), set(REFERENCES.to_dict()))
    except ScaffoldError as problem:
        print(f"new-pathway: {problem}", file=sys.stderr)
        return 1
    print(f"new-pathway: wrote the pathway {new.id!r}:")
    for path in written:
        print(f"  {path.relative_to(ROOT)}")
    print("Next: `make serve` to see it in the site, replace each TODO with the source's, and `make test`.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, prog="python build.py"
    )
    parser.add_argument("command", nargs="?", choices=["build", "serve", "new-pathway"], default="build",
                        help="build the site (default); build and serve it with live preview; or write a new "
                        "pathway's files from the templates (new-pathway <id> --title ...)")
    parser.add_argument("pathway_id", nargs="?", metavar="id",
                        help="new-pathway: the new pathway's id, a slug such as iron-deficiency")
    parser.add_argument("--title", help="new-pathway: the pathway's title, e.g. \"Iron deficiency: oral treatment\"")
    parser.add_argument("--short-title", help="new-pathway: its name in the nav (default: the title)")
    parser.add_argument("--site", type=Path, default=SITE, help="output folder (default: site/)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    parser.add_argument("--prefix", default="/", help="serve under this URL path, e.g. /guides/clinic/ (default: /)")
    parser.add_argument("--generator", choices=sorted(GENERATORS), default="mkdocs",
                        help="the site generator: mkdocs (default) or properdocs, the maintained fork of MkDocs 1.x")
    parser.add_argument("--site-url", help="the address the site will be deployed at, e.g. "
                        "https://example.org/guides/clinic/: fills sitemap.xml (instant navigation on a first visit "
                        "needs it) and makes the 404 page work under a sub-path (default: none, every link "
                        "relative; `serve` uses the address it serves on)")
    args = parser.parse_args(argv)
    use_generator(args.generator)
    if args.command == "new-pathway":
        return new_pathway_command(parser, args)
    if args.pathway_id or args.title or args.short_title:
        parser.error("an id, --title and --short-title are for new-pathway only")
    site_url = args.site_url
    if args.command == "serve" and site_url is None:
        from sitebuild.server import normalize_prefix

        site_url = f"http://{args.host}:{args.port}{normalize_prefix(args.prefix)}"
    model = None
    if args.command == "serve":
        try:
            model = step("engine", read_engine, explored)
        except BuildError as problem:
            print(f"build: FAILED: {problem}", file=sys.stderr)
            return 1
    try:
        build_id = build(args.site, site_url, model=model)
    except BuildError as problem:
        print(f"build: FAILED: {problem}", file=sys.stderr)
        return 1
    if args.command == "serve":
        from sitebuild.preview import live_preview

        rebuild = preview_rebuilder(model, site_url, args.generator)
        live_preview(args.site, build_id, rebuild, root=ROOT, watched=WATCHED, templates=TEMPLATES / "preview",
                     host=args.host, port=args.port, prefix=args.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
