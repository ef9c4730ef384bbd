"""Storage that stays, a status that tells the truth, and the service worker's pitfalls (Chromium).

- ``#offline-status`` shows the browser's answer to ``navigator.storage.persist()``, asked once the site is
  stored; on iOS and iPadOS outside the home-screen app (emulated: an iPad's Mac user agent with touch points,
  an iPhone's, and ``navigator.standalone`` for the installed app) it says to install the site there;
- files the browser evicted (one file, or the whole cache, deleted) are reported on the next load and stored
  again; the status never says "Available offline" without them;
- a misbehaving host (a SiteServer whose handler answers the service worker's own downloads, Sec-Fetch-Dest
  "empty", with a partial 206 response, or with an HTML error page with status 200 for a script) gets nothing
  stored; a full storage quota (Chromium's ``Storage.overrideQuotaForOrigin`` over the DevTools protocol) says
  so, and the site keeps working online;
- two builds deployed in a row (B waiting, then C) leave C waiting and the Reload prompt switches to it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from sitebuild.server import SiteServer, _SiteRequestHandler
from tests.browser.conftest import PageLog
from tests.browser.form_cases import DESKTOP, PATHWAY_ID
from tests.browser.offline_site import (
    build_id_of,
    cache_names,
    cached_files,
    go_offline,
    meta_build_id,
    precache_manifest,
    wait_for_caches,
    wait_for_engine,
    wait_until_stored,
)

READY_TIMEOUT_MS = 60_000
IPAD_AS_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.4 Safari/605.1.15")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
INSTALL_HINT = "Install to the home screen to keep this available offline"
# Every state #offline-status takes, in order, in window.offlineStates.
WATCH_STATUS = """
  window.offlineStates = [];
  new MutationObserver(() => {
    const status = document.getElementById("offline-status");
    const state = status && `${status.dataset.state}: ${status.textContent}`;
    if (state && window.offlineStates.at(-1) !== state) window.offlineStates.push(state);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true,
                         attributeFilter: ["data-state"] });
"""


def status_of(page) -> dict[str, Any]:
    return page.evaluate("""() => { const s = document.querySelector('#offline-status');
      return { state: s.dataset.state, text: s.textContent, reason: s.dataset.reason ?? null,
               persisted: s.dataset.persisted ?? null }; }""")


# ---------------------------------------------------------------- persistence and iOS


def test_the_status_shows_the_browsers_answer_to_persistent_storage(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    page.wait_for_function("() => ['granted', 'denied'].includes(document.querySelector('#offline-status')"
                           ".dataset.persisted)", timeout=10_000)
    granted = page.evaluate("navigator.storage.persisted()")
    status = status_of(page)
    assert status["persisted"] == ("granted" if granted else "denied")
    assert status["text"].startswith("Available offline")
    assert ("kept on this device" in status["text"]) == granted
    assert INSTALL_HINT not in status["text"]  # not an Apple mobile device
    assert log.problems() == []


@pytest.mark.parametrize(
    ("agent", "touch_points", "standalone", "hint"),
    [(IPAD_AS_MAC, 5, False, True), (IPHONE, 5, False, True), (IPAD_AS_MAC, 5, True, False),
     (IPAD_AS_MAC, 0, False, False)],
    ids=["ipad-in-safari", "iphone-in-safari", "ipad-home-screen-app", "mac"],
)
def test_on_ios_outside_the_home_screen_app_the_status_says_to_install_it(
    new_page_log, built_site, serve, agent, touch_points, standalone, hint
):
    server = serve(built_site)
    log = new_page_log(viewport=DESKTOP, user_agent=agent)
    # What Safari reports: iPadOS has touch points behind its Mac user agent; the home-screen app is standalone.
    log.context.add_init_script(f"""
      Object.defineProperty(Navigator.prototype, "maxTouchPoints", {{ get: () => {touch_points} }});
      {"Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true });" if standalone else ""}
    """)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    text = status_of(page)["text"]
    assert (INSTALL_HINT in text) == hint, text
    assert text.startswith("Available offline")
    assert log.problems() == []


# ---------------------------------------------------------------- eviction


@pytest.mark.parametrize("evicted", ["one-file", "whole-cache"])
def test_files_the_browser_evicted_are_reported_and_stored_again(new_page_log, built_site, serve, evicted):
    server = serve(built_site)
    log = new_page_log(viewport=DESKTOP)
    log.context.add_init_script(WATCH_STATUS)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    cache = f"guideline-{build_id_of(page)}"
    if evicted == "one-file":
        page.evaluate("async ([name, url]) => (await caches.open(name)).delete(url)",
                      [cache, server.url + "search/search_index.json"])
    else:
        page.evaluate("(name) => caches.delete(name)", cache)

    page.reload()
    # Stored again, and the page said so before saying "Available offline" again.
    page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    states = page.evaluate("window.offlineStates")
    restoring = [state for state in states if state.startswith("restoring: The browser removed stored files")]
    assert restoring, states
    assert states.index(restoring[0]) < max(i for i, state in enumerate(states) if state.startswith("ready"))
    missing = set(precache_manifest(built_site)["files"]) - cached_files(page, cache, server.url)
    assert not missing, sorted(missing)[:3]
    assert log.problems() == []


def test_evicted_files_that_cannot_be_stored_again_offline_never_show_available_offline(
    new_page_log, built_site, serve
):
    server = serve(built_site)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, built_site)
    cache = f"guideline-{build_id_of(page)}"
    page.evaluate("async ([name, url]) => (await caches.open(name)).delete(url)",
                  [cache, server.url + "search/search_index.json"])
    go_offline(log, server)
    # A tablet that comes back to a tab left open: the page is shown again, without a reload.
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.locator('#offline-status[data-state="missing"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    assert "Not available offline" in status_of(page)["text"]


# ---------------------------------------------------------------- a host that misbehaves


class FaultyServer(SiteServer):
    """A SiteServer whose answers to the service worker's downloads (Sec-Fetch-Dest: empty) of some paths are
    wrong: ``faults`` maps a path relative to the site root to "partial" (206, the first 100 bytes) or "html"
    (an HTML error page with status 200)."""

    def __init__(self, root: Path, **options: Any) -> None:
        super().__init__(root, **options)
        self.faults: dict[str, str] = {}
        faults = self.faults

        class Handler(_SiteRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0].removeprefix(self.server.prefix)
                fault = faults.get(path) if self.headers.get("Sec-Fetch-Dest") == "empty" else None
                if fault is None:
                    super().do_GET()
                    return
                with self.server.log_lock:
                    self.server.request_log.append(self.path)
                if fault == "partial":
                    body = (root / path).read_bytes()
                    self.send_response(HTTPStatus.PARTIAL_CONTENT)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Range", f"bytes 0-99/{len(body)}")
                    body = body[:100]
                else:
                    body = b"<!doctype html><title>Error</title><p>Something went wrong.</p>"
                    self.send_response(HTTPStatus.OK)
                    self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.handler = Handler


@pytest.fixture
def faulty_server(built_site: Path) -> Any:
    server = FaultyServer(built_site)
    yield server
    server.stop()


@pytest.mark.parametrize(("fault", "path"), [("partial", "assets/site/icons/icon-512.png"),
                                             ("html", "pyodide/pyodide.asm.mjs")],
                         ids=["206-partial-content", "html-error-page-for-a-script"])
def test_a_wrong_response_is_never_stored_and_a_good_one_is_on_the_next_visit(
    new_page_log, built_site, faulty_server, fault, path
):
    server = faulty_server
    server.faults[path] = fault
    server.start()
    log = new_page_log(viewport=DESKTOP, service_workers="allow")
    page = log.page
    page.goto(server.url)
    page.locator('#offline-status[data-state="unsupported"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    assert "Not saved for offline use" in status_of(page)["text"]
    build = f"guideline-{build_id_of(page)}"
    assert path not in cached_files(page, build, server.url)
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => !r || !r.active)")

    server.faults.clear()  # the host is fixed: the next visit stores everything
    page.reload()
    wait_until_stored(page, server, built_site)
    assert path in cached_files(page, build, server.url)


def test_a_full_storage_quota_says_so_and_the_site_keeps_working_online(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto("about:blank")
    cdp = log.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": server.origin, "quotaSize": 2_000_000})
    page.goto(server.url)
    page.locator('#offline-status[data-reason="quota"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    text = status_of(page)["text"]
    assert "no room" in text and "still works while you are online" in text, text
    wait_for_caches(page, [])  # the half-stored build was deleted
    # Online, every page and the calculator still work (from the server).
    page.goto(server.url + f"calculator/{PATHWAY_ID}/")
    wait_for_engine(page)
    assert page.evaluate("navigator.serviceWorker.controller") is None


# ---------------------------------------------------------------- two builds in a row


WAITING_BUILD = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const worker = registration && registration.waiting;
  if (!worker) return null;
  // A worker that became redundant after it was read (a newer build took its place) never answers:
  // give up after a second and let the caller ask again, rather than wait for ever.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const unanswered = setTimeout(() => resolve("no answer"), 1000);
    channel.port1.onmessage = (event) => { clearTimeout(unanswered); resolve(event.data.build_id); };
    worker.postMessage({ type: "status" }, [channel.port2]);
  });
}"""


def wait_for_waiting(page: Page, build_id: str, timeout_s: float = READY_TIMEOUT_MS / 1000) -> None:
    """Poll until the waiting worker is of ``build_id`` (wait_for_function cannot await a promise)."""
    deadline = time.monotonic() + timeout_s
    while (waiting := page.evaluate(WAITING_BUILD)) != build_id and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert waiting == build_id, f"the waiting worker is of build {waiting}, not {build_id}"


def test_two_builds_deployed_in_a_row_leave_no_waiting_worker_stuck(
    tmp_path, new_page_log: Callable[..., PageLog], built_site, serve, later_builds
):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server = serve(site)
    log = new_page_log(viewport=DESKTOP)
    page = log.page
    page.goto(server.url)
    wait_until_stored(page, server, site)
    build_b, build_c = meta_build_id(later_builds["b"]), meta_build_id(later_builds["c"])

    for deployed in (later_builds["b"], later_builds["c"]):  # B, and C while B waits
        shutil.rmtree(site)
        shutil.copytree(deployed, site)
        page.goto(server.url)
        page.locator("#update-prompt").wait_for(state="visible", timeout=READY_TIMEOUT_MS)
        wait_for_waiting(page, meta_build_id(deployed))
    assert build_id_of(page) != build_b

    page.click("#update-reload")
    # The page reloads once C has taken over (after the old worker's fetches in flight have finished).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if page.evaluate("() => document.querySelector('meta[name=guideline-build-id]')?.content") == build_c:
                break
        except Exception:  # noqa: BLE001 - the document went away mid-call (the reload): ask again
            pass
        page.wait_for_timeout(200)
    assert build_id_of(page) == build_c
    wait_for_caches(page, [f"guideline-{build_c}"])
    page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    assert page.evaluate(WAITING_BUILD) is None
    go_offline(log, server)
    page.reload()
    assert build_id_of(page) == build_c
    assert cache_names(page) == [f"guideline-{build_c}"]
