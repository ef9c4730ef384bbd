"""The offline layer in Chromium: one visit stores the whole site, which then works with no server at all.

"Offline" here means the local server is stopped (its port refuses connections), as for a
clinician who loses the network: Playwright's ``context.set_offline(True)`` does not cover the
service worker's own fetches, so it is only used in addition. The contract under test:

- the build writes ``sw.js`` (scope = site root), ``manifest.webmanifest`` and
  ``precache-manifest.json`` = {"build_id", "files": {url: revision}, "total_bytes"};
- every page links the manifest, names its build in ``meta[name=guideline-build-id]``, shows
  ``#offline-status`` (``data-state`` saving|ready|unsupported) and a hidden ``#update-prompt``
  whose ``#update-reload`` button switches to a new build that is waiting;
- the service worker answers every precached URL from its cache ``guideline-<build_id>`` and
  deletes older caches when it activates.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

import build
import engine
from sitebuild.server import SiteServer
from tests.browser.conftest import PageLog
from tests.browser.test_calculator import (  # noqa: F401 - enter and evaluate_form are imported from here too
    PATHWAY_ID,
    SHARED,
    SOURCE_PATIENT,
    cpython_json,
    enter,
    evaluate_form,
)
from tests.shared_cases import mismatches

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
# Generous: the first visit stores ~17 MB (the Pyodide runtime) on a busy 2-core CI machine.
READY_TIMEOUT_MS = 60_000
BOOT_TIMEOUT_MS = 60_000
SOURCE_SUMMARY = "Hydroxocobalamin 1 mg intramuscularly every 3 months for life"
# A few shared cases with different kinds of answer: injections, oral, monthly, out of scope, an error.
OFFLINE_CASES = ["source-patient", "dietary-oral", "ileal-resection-over-20cm", "not-improved",
                 "ileal-resection-length-required"]
SEARCH_TERM = "hydroxocobalamin"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- the built site, read from disk


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


def site_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (bytes 16..24)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


# ---------------------------------------------------------------- driving the page


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
    return page.evaluate("caches.keys()")


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


def visit_every_page(page: Page, server: SiteServer, site: Path) -> list[str]:
    """Open each page of the site; each must come from the service worker with its own title and h1.

    The calculator comes last and is left only once its engine is ready: leaving it while the
    worker still loads the runtime would abort those requests (net::ERR_ABORTED), which says
    nothing about the offline layer. So the tour ends on the calculator page, engine ready.
    """
    calculator = f"calculator/{PATHWAY_ID}/"
    urls = sorted(page_urls(site), key=lambda url: url == calculator)
    assert urls[-1] == calculator, urls
    for url in urls:
        response = page.goto(server.url + url)
        assert response is not None and response.ok, f"{url or 'home'}: {response and response.status}"
        assert response.from_service_worker, f"{url or 'home'} did not come from the service worker"
        assert page.title() == built_title(site, url), url
        heading = page.locator("article h1, .md-content h1").first
        assert heading.inner_text().strip(), f"{url or 'home'} has an empty h1"
    wait_for_engine(page)
    return urls


def search(page: Page, term: str) -> list[str]:
    """Type into mkdocs-material's search box; return the result titles."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(term)
    items = page.locator(".md-search-result__item")
    items.first.wait_for(state="visible", timeout=15_000)
    return items.all_inner_texts()


def wait_for_engine(page: Page) -> None:
    page.wait_for_function("() => document.documentElement.dataset.engine !== 'loading'", timeout=BOOT_TIMEOUT_MS)
    state = page.evaluate("document.documentElement.dataset.engine")
    assert state == "ready", f"engine {state}: {page.inner_text('#engine-status')}"


def open_calculator(page: Page, server: SiteServer) -> None:
    page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    wait_for_engine(page)


def no_problems(log: PageLog, server: SiteServer) -> None:
    assert log.problems() == []
    assert log.foreign_requests(server.origin) == []


# ---------------------------------------------------------------- the built files (no browser)


def test_the_manifest_is_valid_and_its_icons_have_the_stated_sizes(built_site):
    manifest = json.loads((built_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    for key in ("name", "short_name", "start_url", "scope", "display", "theme_color", "background_color", "icons"):
        assert manifest.get(key), f"manifest.webmanifest has no {key}"
    # Relative to the manifest, so the site installs the same under any sub-path.
    assert manifest["start_url"] == "./"
    assert manifest["scope"] == "./"
    assert manifest["display"] == "standalone"
    for key in ("theme_color", "background_color"):
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest[key]), (key, manifest[key])
    offered = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png", icon
        assert not re.match(r"^(/|[a-z]+:)", icon["src"]), f"icon src must be relative: {icon['src']}"
        path = built_site / icon["src"]
        assert path.is_file(), f"icon {icon['src']} is missing"
        assert path.parent == built_site / "assets" / "site" / "icons"
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}", (icon["src"], icon["sizes"], (width, height))
        for purpose in icon.get("purpose", "any").split():
            offered.add((width, purpose))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= offered, offered


def test_every_page_links_the_manifest_and_names_its_build_policy_and_status(built_site):
    build_id = build.compute_build_id()
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 15
    for path in pages:
        name = path.relative_to(built_site).as_posix()
        tags = head_tags(path)
        (manifest_link,) = [tag for tag in tags if tag[0] == "link" and tag[1].get("rel") == "manifest"] or [None]
        assert manifest_link, f"{name} does not link the manifest"
        if name != "404.html":  # mkdocs gives the 404 page root-absolute URLs: it is served at any depth
            target = (path.parent / manifest_link[1]["href"]).resolve()
            assert target == (built_site / "manifest.webmanifest").resolve(), name
        metas = {attrs.get("name") or attrs.get("http-equiv", "").lower(): attrs.get("content")
                 for tag, attrs in tags if tag == "meta"}
        assert metas.get("guideline-build-id") == build_id, name
        assert metas.get("referrer") == "no-referrer", name
        policy = csp_directives(metas.get("content-security-policy") or "")
        assert policy.get("default-src") == ["'self'"], (name, policy)
        scripts = policy.get("script-src", policy["default-src"])
        assert "'wasm-unsafe-eval'" in scripts, (name, scripts)
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"} & set(scripts), (name, scripts)
        for directive, sources in policy.items():
            foreign = [s for s in sources if re.match(r"^(https?:|\*|[a-z0-9.-]+\.[a-z]{2,})", s)]
            assert not foreign, f"{name}: {directive} allows another origin: {foreign}"
        text = path.read_text(encoding="utf-8")
        assert re.search(r'<span id="offline-status"[^>]*data-state="', text), name
        assert re.search(r'<div id="update-prompt"[^>]*\bhidden\b', text), name
        assert re.search(r'<button[^>]*id="update-reload"', text), name


class _HeadTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link"):
            self.tags.append((tag, {key: value or "" for key, value in attrs}))


def head_tags(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Every <meta> and <link> of a page with its attributes (entities decoded)."""
    parser = _HeadTags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name.lower()] = sources
    return directives


def test_the_precache_manifest_lists_every_file_of_the_build_but_the_service_worker(built_site):
    manifest = precache_manifest(built_site)
    assert manifest["build_id"] == build.compute_build_id() == meta_build_id(built_site)
    assert (built_site / "sw.js").is_file()
    files = manifest["files"]
    # Every file but the worker and this manifest itself (which cannot list its own revision).
    assert set(files) == site_files(built_site) - {"sw.js", "precache-manifest.json"}
    assert all(isinstance(revision, str) and revision for revision in files.values())
    assert manifest["total_bytes"] == sum((built_site / name).stat().st_size for name in files)
    for needed in ("sitemap.xml", "search/search_index.json", "pyodide/pyodide.asm.wasm", "engine/engine-lock.json",
                   "manifest.webmanifest"):
        assert needed in files, needed
    assert any(name.startswith("assets/javascripts/workers/search.") for name in files)
    assert any(name.startswith("engine/") and name.endswith(".whl") for name in files)


# ---------------------------------------------------------------- online: the worker installs and controls


def test_the_service_worker_controls_the_page_and_answers_from_its_cache(new_page_log, built_site, serve):
    prefix = "/guides/b12/"
    server = serve(built_site, prefix=prefix)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    build_id = build_id_of(page)

    registration = page.evaluate(
        "navigator.serviceWorker.getRegistration().then((r) => ({scope: r.scope, script: r.active.scriptURL}))"
    )
    assert registration == {"scope": server.url, "script": server.url + "sw.js"}
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == server.url + "sw.js"
    assert page.evaluate("document.querySelector('link[rel=manifest]').href") == server.url + "manifest.webmanifest"
    # "Available offline" is true: the build's one cache holds every precached file.
    assert cache_names(page) == [f"guideline-{build_id}"]
    stored = cached_files(page, f"guideline-{build_id}", server.url)
    listed = set(precache_manifest(built_site)["files"])
    assert listed <= stored, sorted(listed - stored)
    assert not (stored - listed) & site_files(built_site), "the cache holds files the build does not list"

    # Chromium's own parse of the manifest (what its install prompt uses) finds no error.
    cdp = log.context.new_cdp_session(page)
    app_manifest = cdp.send("Page.getAppManifest")
    assert app_manifest["url"] == server.url + "manifest.webmanifest"
    assert app_manifest["errors"] == []
    parsed = app_manifest["manifest"]
    assert (parsed["startUrl"], parsed["scope"], parsed["display"]) == (server.url, server.url, "kStandalone")
    # The app's identity is this site, not the whole host: a relative "id" resolves against the
    # start URL's origin (not the manifest), so under a sub-path only an absent id (= start_url) works.
    assert parsed["id"] == server.url, f"app id {parsed['id']} is not the site {server.url}"

    # Online, every page comes from the cache: the server sees at most the worker's update checks.
    server.clear_requests()
    visit_every_page(page, server, built_site)
    assert [path for path in server.requests if not path.split("?")[0].endswith("/sw.js")] == []
    assert page.locator("#update-prompt").is_hidden()
    no_problems(log, server)


# ---------------------------------------------------------------- offline after one visit


@pytest.mark.parametrize("prefix", ["/", "/guides/b12/"], ids=["root", "sub-path"])
def test_after_one_visit_every_page_search_and_the_calculator_work_with_the_server_stopped(
    new_page_log, built_site, serve, prefix
):
    server = serve(built_site, prefix=prefix)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    online_requests = len(log.requests)

    seen_by_server = go_offline(log, server)
    page.reload()
    page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=10_000)
    assert "Available offline" in page.locator("#offline-status").text_content()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    # From the cache with its type, so WebAssembly.instantiateStreaming still works offline.
    # (The body is read: a response dropped unread is logged as an aborted request.)
    wasm_type = page.evaluate(
        "async (url) => { const r = await fetch(url); await r.arrayBuffer(); return r.headers.get('Content-Type'); }",
        server.url + "pyodide/pyodide.asm.wasm",
    )
    assert wasm_type == "application/wasm"

    visited = visit_every_page(page, server, built_site)  # ends on the calculator, engine ready
    assert len(visited) >= 14, visited

    _, shown = evaluate_form(page, SOURCE_PATIENT)
    answer = json.loads(shown)
    assert answer["regimen"]["summary"] == SOURCE_SUMMARY
    assert page.locator(".calculator-regimen__summary").inner_text().startswith(SOURCE_SUMMARY)
    cases = {case.id: case for case in SHARED}
    for case_id in OFFLINE_CASES:
        sent, shown = evaluate_form(page, cases[case_id].input)
        assert shown == cpython_json(sent), case_id
        assert mismatches(json.loads(shown), cases[case_id].expect) == [], case_id

    results = search(page, SEARCH_TERM)  # the search box of the calculator page: any page has one
    assert results and any(SEARCH_TERM in text.lower() for text in results), results

    offline = log.requests[online_requests:]
    assert any(url.endswith("/pyodide/pyodide.asm.wasm") for url in offline), "the wasm was not loaded offline"
    assert any(url.endswith(".whl") for url in offline), "the engine wheel was not loaded offline"
    assert any(url.endswith("/search/search_index.json") for url in offline), "search did not load its index"
    no_problems(log, server)
    assert page.locator("#update-prompt").is_hidden()
    assert len(server.requests) == seen_by_server  # nothing reached the (stopped) server


# ---------------------------------------------------------------- a new build: prompt, reload, only B


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


def decision_table_text(page: Page, server: SiteServer) -> str:
    page.goto(server.url + f"decision-tables/{PATHWAY_ID}/")
    return page.locator("article").inner_text()


def test_a_new_build_waits_for_the_reload_prompt_then_replaces_the_old_one_everywhere(
    tmp_path, new_page_log, built_site, serve
):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)  # build A: the repository's own build
    server = serve(site)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, site)
    build_a = build_id_of(page)
    assert cache_names(page) == [f"guideline-{build_a}"]
    old_text = decision_table_text(page, server)
    page.goto(server.url)

    # Build B into the same folder, from sources with a changed rule text and engine version.
    version_b = engine.ENGINE_VERSION + ".post1"
    text_a, text_b = changed_sources(tmp_path / "sources-b", "changed for build B", version_b)
    assert text_a in old_text and text_b not in old_text
    build_from(tmp_path / "sources-b", site)
    build_b = meta_build_id(site)
    assert build_b != build_a, "a build of changed sources kept the old build id"
    assert precache_manifest(site)["build_id"] == build_b

    # The open page notices B but keeps running A until the user accepts.
    page.reload()
    prompt = page.locator("#update-prompt")
    prompt.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "new version" in prompt.inner_text().lower()
    assert build_id_of(page) == build_a
    assert decision_table_text(page, server) == old_text  # A everywhere until then, never a mix
    page.goto(server.url)
    prompt.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    # Let this page's own requests (e.g. the favicon) finish: the reload would abort them,
    # which says nothing about the update.
    page.wait_for_load_state("networkidle")

    with page.expect_navigation(wait_until="load", timeout=30_000):
        page.click("#update-reload")
    page.wait_for_function(
        "(id) => document.querySelector('meta[name=guideline-build-id]').content === id", arg=build_b, timeout=10_000
    )
    assert page.locator("[data-build-id]").first.inner_text() == build_b
    assert page.locator("[data-engine-version]").first.inner_text() == version_b
    assert page.locator("#update-prompt").is_hidden()
    # The old cache is deleted on activation: only B's is left.
    wait_for_caches(page, [f"guideline-{build_b}"])
    page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)

    # B everywhere, even with the server gone: the decision table and the engine's own answer.
    go_offline(log, server)
    new_text = decision_table_text(page, server)
    assert text_b in new_text and text_a not in new_text
    assert build_id_of(page) == build_b
    open_calculator(page, server)
    _, shown = evaluate_form(page, SOURCE_PATIENT)
    answer = json.loads(shown)
    assert answer["engine_version"] == version_b
    assert answer["regimen"]["summary"] == SOURCE_SUMMARY
    assert cache_names(page) == [f"guideline-{build_b}"]
    no_problems(log, server)
