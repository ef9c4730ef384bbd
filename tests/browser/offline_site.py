"""The offline layer as the Chromium tests drive it: the built site read from disk (its precache manifest, pages
and build id), waiting until a visit has stored it, the caches, stopping the server, and later builds of changed
sources."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from sitebuild.server import SiteServer
from tests.browser.calculator_page import ENGINE_SETTLED
from tests.browser.conftest import PageLog
from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID

ROOT = Path(__file__).resolve().parents[2]
# Generous: the first visit stores ~17 MB (the Pyodide runtime) on a busy 2-core CI machine.
READY_TIMEOUT_MS = 60_000

# A few shared cases with different kinds of answer: injections, oral, monthly, out of scope, an error.
OFFLINE_CASES = ["source-patient", "dietary-oral", "ileal-resection-over-20cm", "not-improved",
                 "ileal-resection-length-required"]

SEARCH_TERM = "hydroxocobalamin"



def precache_manifest(site: Path) -> dict[str, Any]:
    return json.loads((site / "precache-manifest.json").read_text(encoding="utf-8"))


def page_urls(site: Path) -> list[str]:
    """Every page of the site as a URL relative to its root ("" for home, "maintenance/", ...)."""
    files = precache_manifest(site)["files"]
    return sorted(name[: -len("index.html")] for name in files if name == "index.html" or name.endswith("/index.html"))


def built_title(site: Path, url: str) -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1).strip())


def meta_build_id(site: Path, url: str = "") -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    return re.search(r'<meta name="guideline-build-id" content="([^"]+)"', text).group(1)


def build_id_of(page: Page) -> str:
    return page.get_attribute('meta[name="guideline-build-id"]', "content")


def wait_until_stored(page: Page, server: SiteServer, site: Path) -> None:
    """Wait for "Available offline"; check it is true; wait for the worker to control the page (clients.claim).

    The cache is read the moment the status says ready, before anything else is awaited: "ready"
    must mean every precached file is already stored, not that storing has begun.
    """
    status = page.locator("#offline-status")
    try:
        page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    except Exception as problem:
        state = status.get_attribute("data-state") if status.count() else "(no #offline-status)"
        text = status.inner_text() if status.count() else ""
        raise AssertionError(f"#offline-status never became ready: data-state={state!r}, text={text!r}") from problem
    stored = cached_files(page, f"guideline-{build_id_of(page)}", server.url)
    missing = set(precache_manifest(site)["files"]) - stored
    assert not missing, f"'Available offline' while {len(missing)} files are not stored, e.g. {sorted(missing)[:3]}"
    assert "Available offline" in status.text_content()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def cache_names(page: Page) -> list[str]:
    """The service worker's caches (the engine worker keeps its snapshot in "engine-snapshots")."""
    return [name for name in page.evaluate("caches.keys()") if name != "engine-snapshots"]


def wait_for_caches(page: Page, expected: list[str], timeout_s: float = 10) -> None:
    """Poll ``caches.keys()`` until it is ``expected`` (wait_for_function cannot await a promise)."""
    deadline = time.monotonic() + timeout_s
    while (names := cache_names(page)) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert names == expected


def cached_files(page: Page, cache: str, base_url: str) -> set[str]:
    """The cache's entries as URLs relative to the site root; a folder URL counts as its index.html."""
    urls = page.evaluate(
        "async (name) => (await caches.has(name)) ? (await (await caches.open(name)).keys()).map((r) => r.url) : []",
        cache,
    )
    files = set()
    for url in urls:
        assert url.startswith(base_url), f"{url} is outside the site {base_url}"
        relative = url[len(base_url) :].split("?")[0].split("#")[0]
        files.add(relative + "index.html" if relative == "" or relative.endswith("/") else relative)
    return files


def go_offline(log: PageLog, server: SiteServer) -> int:
    """Stop the server (the real offline), and emulate offline too; returns the server log's length."""
    server.stop()
    log.context.set_offline(True)
    return len(server.requests)


def wait_for_engine(page: Page) -> None:
    """Wait until the calculator's engine is ready. Settled means ready or failed, never merely "not loading": a
    page reached by instant navigation has no data-engine until the theme shows it and the calculator mounts."""
    page.wait_for_function(ENGINE_SETTLED, timeout=BOOT_TIMEOUT_MS)
    state = page.evaluate("document.documentElement.dataset.engine")
    assert state == "ready", f"engine {state}: {page.inner_text('#engine-status')}"


def open_calculator(page: Page, server: SiteServer) -> None:
    page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    wait_for_engine(page)


def changed_sources(target: Path, marker: str, engine_version: str) -> tuple[str, str]:
    """A copy of the sources with one rule's `then` text and the engine version changed.

    Returns (text of the rule in A, text in B). A copy, not a monkeypatch: the build id, the
    engine wheel and the footer must all follow a real change of the engine's sources.
    """
    top_level = {".git", ".venv", "node_modules", "site", "tests", "dist", "build", ".pytest_cache", ".ruff_cache",
                 ".hypothesis"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = top_level if Path(folder) == ROOT else set()
        return {name for name in names if name in skip or name == "__pycache__" or name.endswith(".pyc")}

    shutil.copytree(ROOT, target, ignore=ignore)
    (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)

    rules = target / "engine" / "pathways" / "b12_maintenance" / "rules.py"
    source = rules.read_text(encoding="utf-8")
    old = 'note="an unknown cause is treated as possibly irreversible; after ileal resection of any length"'
    assert source.count(old) == 1, "the im-malabsorption rule text moved: update this test"
    rules.write_text(source.replace(old, old.replace("unknown cause", f"unknown cause ({marker})")), encoding="utf-8")

    version = target / "engine" / "version.py"
    text = version.read_text(encoding="utf-8")
    assert text.count('ENGINE_VERSION = "') == 1
    version.write_text(re.sub(r'ENGINE_VERSION = "[^"]+"', f'ENGINE_VERSION = "{engine_version}"', text),
                       encoding="utf-8")
    text = "an unknown cause is treated as possibly irreversible"
    return text, text.replace("unknown cause", f"unknown cause ({marker})")


def build_from(sources: Path, site: Path) -> None:
    run = subprocess.run([sys.executable, "build.py", "--site", str(site)], cwd=sources, capture_output=True,
                         text=True, check=False, timeout=300)
    assert run.returncode == 0, f"build B failed:\n{run.stdout}\n{run.stderr}"
