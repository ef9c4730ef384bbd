"""When the engine worker starts, and that it survives instant navigation to the calculator.

- A text page never starts Python unless the runtime is already stored on the device (a service worker
  controls the page); then it starts it when the browser is idle.
- mkdocs-material's instant navigation keeps the document, so the calculator shown after a click finds
  the engine already running; the calculator mounts and unmounts as pages change.
- The service worker answers sitemap.xml (which instant navigation follows) for the address it serves.
- On a visit served by the service worker the calculator page compiles the runtime's wasm (from Chromium's
  code cache) and hands it to the worker (the worker's own compile is the fallback); a first visit, and an
  engine started in the background on a text page, compile in the worker, off the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.browser.conftest import PageLog
from tests.browser.form_cases import PATHWAY_ID, SOURCE_PATIENT, cpython_json, evaluate_form
from tests.browser.offline_site import page_urls, wait_for_engine, wait_until_stored

CALCULATOR = f"calculator/{PATHWAY_ID}/"
TEXT_PAGE = "maintenance/"
RUNTIME_FILES = ("pyodide/pyodide.asm.wasm", "pyodide/pyodide.mjs", "assets/calculator/engine-worker.js")
WORKER_TIMEOUT_MS = 90_000


def runtime_requests(log: PageLog, since: int = 0) -> list[str]:
    return [url for url in log.requests[since:] if url.endswith(RUNTIME_FILES)]


def worker_state(page) -> str | None:
    return page.evaluate("() => document.documentElement.dataset.engineWorker ?? null")


def follow_nav_link(page, target: str) -> None:
    page.locator(f'nav a.md-nav__link[href$="{target}"]').first.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_a_text_page_without_the_stored_runtime_never_starts_the_engine(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log(service_workers="block")  # nothing can be stored: as a browser without offline support
    log.page.goto(server.url + TEXT_PAGE)
    log.page.wait_for_load_state("load")
    log.page.wait_for_timeout(3000)  # well past the idle start a stored site would get
    assert worker_state(log.page) is None
    assert runtime_requests(log) == []
    assert log.problems() == []


def test_once_stored_a_text_page_starts_the_engine_and_instant_navigation_finds_it_ready(
    new_page_log, built_site, serve
):
    # A sub-path and no --site-url: instant navigation then relies on the service worker's sitemap.
    server = serve(built_site, prefix="/guides/b12/")
    log = new_page_log()
    page = log.page
    page.goto(server.url + TEXT_PAGE)
    wait_until_stored(page, server, built_site)
    # A later visit: controlled from the start, so the theme reads the worker's sitemap.
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.engineWorker === 'ready'",
                           timeout=WORKER_TIMEOUT_MS)
    assert page.evaluate("() => document.documentElement.dataset.engine ?? null") is None, \
        "a text page must not look like a calculator"
    document = page.evaluate("() => performance.timeOrigin")
    before_click = len(log.requests)

    follow_nav_link(page, CALCULATOR)
    wait_for_engine(page)
    assert page.evaluate("() => performance.timeOrigin") == document, "the click was not an instant navigation"
    assert runtime_requests(log, before_click) == [], "the calculator started another engine"
    # Started in the background on a text page: the worker compiled the runtime, not the reader's page.
    assert page.get_attribute("#engine-status", "data-compiled-by") == "worker"
    sent, shown = evaluate_form(page, SOURCE_PATIENT)
    assert shown == cpython_json(sent)

    # Away and back: the calculator is unmounted, then mounted again on the same engine.
    follow_nav_link(page, TEXT_PAGE)
    page.locator("form#calculator").wait_for(state="detached")
    assert page.evaluate("() => document.documentElement.dataset.engine ?? null") is None
    follow_nav_link(page, CALCULATOR)
    wait_for_engine(page)
    sent, shown = evaluate_form(page, {**SOURCE_PATIENT, "cause": "dietary"})
    assert shown == cpython_json(sent)
    assert json.loads(shown)["regimen"]["route"] == "oral"
    assert page.evaluate("() => performance.timeOrigin") == document
    assert runtime_requests(log, before_click) == []
    assert log.problems() == []


def test_the_service_worker_answers_the_sitemap_for_the_address_it_serves(new_page_log, built_site, serve):
    server = serve(built_site, prefix="/guides/b12/")
    log = new_page_log()
    log.page.goto(server.url)
    wait_until_stored(log.page, server, built_site)
    text = log.page.evaluate("async () => (await fetch('sitemap.xml')).text()")
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    expected = sorted(server.url + url for url in page_urls(built_site))
    assert sorted(locs) == expected
    # The built file (no --site-url) lists nothing: only the worker's answer makes instant navigation work here.
    assert "<loc>" not in (Path(built_site) / "sitemap.xml").read_text(encoding="utf-8")


def test_a_first_visit_compiles_in_the_worker_and_a_stored_visit_on_the_page(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log()
    log.page.goto(server.url + CALCULATOR)
    wait_for_engine(log.page)
    # Nothing cached yet: the page's main thread is left alone.
    assert log.page.get_attribute("#engine-status", "data-compiled-by") == "worker"
    wait_until_stored(log.page, server, built_site)
    log.page.reload()
    wait_for_engine(log.page)
    # Served by the service worker: the page compiles, with Chromium's code cache, and hands the module over.
    assert log.page.get_attribute("#engine-status", "data-compiled-by") == "page"
    sent, shown = evaluate_form(log.page, SOURCE_PATIENT)
    assert shown == cpython_json(sent)
    assert log.problems() == []


def test_without_streaming_compilation_in_the_page_the_worker_compiles_the_runtime(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log()
    log.context.add_init_script("delete WebAssembly.compileStreaming;")  # the page only, not the worker
    log.page.goto(server.url + CALCULATOR)
    wait_until_stored(log.page, server, built_site)
    log.page.reload()  # a stored visit, where the page would compile if it could
    wait_for_engine(log.page)
    assert log.page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    assert log.page.get_attribute("#engine-status", "data-compiled-by") == "worker"
    sent, shown = evaluate_form(log.page, SOURCE_PATIENT)
    assert shown == cpython_json(sent)
    assert log.problems() == []
