"""Browser fixtures: Debian's Chromium under Playwright, pages that log their traffic and errors, site servers.

Fixtures (names and signatures are what other test modules rely on):

- ``browser`` (session): a headless Chromium ``playwright.sync_api.Browser``.
- ``new_page_log(**context_options) -> PageLog`` (function): a factory; each call opens a new
  browser context (``context_options`` go to ``Browser.new_context``) with one page, recording
  its traffic and errors. Contexts are closed at teardown.
- ``page_log -> PageLog`` (function): one such page, with default context options.
- ``serve(root, prefix="/", **options) -> SiteServer`` (function): a factory that starts a
  ``sitebuild.server.SiteServer`` on a free port; every server is stopped at teardown.
- ``site_root -> Path`` and ``site_prefix -> str``: the site folder and URL prefix that
  ``served_site`` serves; override them as fixtures, or parametrize them by name, e.g.
  ``@pytest.mark.parametrize("site_prefix", ["/", "/guides/b12/"])``.
- ``served_site -> SiteServer``: ``site_root`` served under ``site_prefix``.
- ``site_server -> SiteServer`` (module): the session's ``built_site`` served at the root.

Helper: ``foreign_requests(log, allowed_origin) -> list[str]`` (also ``PageLog.foreign_requests``),
importable as ``from tests.browser.conftest import PageLog, foreign_requests``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, sync_playwright

from sitebuild.server import SiteServer

ROOT = Path(__file__).resolve().parents[2]

# Debian's Chromium: Playwright's own browser download is not reachable from CI, and the
# `make test` target installs this package with apt before pytest runs.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",  # no GPU in CI; avoids GPU-process start-up errors
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium contacts Google hosts on its own (updates, sync, field trials),
    # which would be slow without internet and would blur "no foreign requests" checks.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Not network requests at all: the page made them from data it already had.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, as the browser compares origins."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PageLog:
    """A page and everything its browser context did: requests, failures and errors, in order."""

    page: Page
    context: BrowserContext
    # Every request URL, including those of workers and service workers in the context.
    requests: list[str] = field(default_factory=list)
    # (url, error text) of requests that got no response at all: refused, aborted, blocked.
    failed_requests: list[tuple[str, str]] = field(default_factory=list)
    # (status, url) of responses with an HTTP error status (>= 400), e.g. a missing asset.
    error_responses: list[tuple[int, str]] = field(default_factory=list)
    # Console messages of type "error" as "text (source url:line)".
    console_errors: list[str] = field(default_factory=list)
    # Uncaught exceptions and unhandled promise rejections in the context's pages.
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self, allowed_origin: str) -> list[str]:
        return foreign_requests(self, allowed_origin)

    def problems(self) -> list[str]:
        """Everything that went wrong, one line each: empty for a clean page load."""
        return [
            # net::ERR_ABORTED is the browser cancelling a request because the test navigated away
            # (e.g. a favicon still loading); a request the site could not serve fails differently.
            *(f"request failed: {url} ({error})" for url, error in self.failed_requests if error != "net::ERR_ABORTED"),
            *(f"HTTP {status}: {url}" for status, url in self.error_responses),
            *(f"console error: {text}" for text in self.console_errors),
            *(f"page error: {text}" for text in self.page_errors),
        ]


def foreign_requests(log: PageLog, allowed_origin: str) -> list[str]:
    """Request URLs whose origin is not ``allowed_origin`` (a URL or an origin); data:/blob: are fine."""
    allowed = origin_of(allowed_origin)
    return [url for url in log.requests if urlsplit(url).scheme not in LOCAL_SCHEMES and origin_of(url) != allowed]


def record(context: BrowserContext) -> PageLog:
    """Open a page in ``context`` and log what the context does from then on."""
    log = PageLog(page=context.new_page(), context=context)

    def on_request_failed(request: Request) -> None:
        log.failed_requests.append((request.url, request.failure or "unknown error"))

    def on_response(response: Response) -> None:
        if response.status >= 400:
            log.error_responses.append((response.status, response.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            log.console_errors.append(f"{message.text} ({location.get('url')}:{location.get('lineNumber')})")

    def watch(page: Page) -> None:
        page.on("pageerror", lambda error: log.page_errors.append(f"{error.name}: {error.message}"))

    # Context-level events also cover workers, service workers and pages opened later (popups).
    context.on("request", lambda request: log.requests.append(request.url))
    context.on("requestfailed", on_request_failed)
    context.on("response", on_response)
    context.on("console", on_console)
    watch(log.page)
    context.on("page", watch)  # registered after the first page, so that one is not watched twice
    return log


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium package with apt) "
            "or `apt-get install -y chromium`; the browser tests never skip"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page_log(browser: Browser) -> Iterator[Callable[..., PageLog]]:
    contexts: list[BrowserContext] = []

    def open_page(**context_options: Any) -> PageLog:
        context = browser.new_context(**context_options)
        contexts.append(context)
        return record(context)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_log(new_page_log: Callable[..., PageLog]) -> PageLog:
    return new_page_log()


@pytest.fixture
def serve() -> Iterator[Callable[..., SiteServer]]:
    servers: list[SiteServer] = []

    def start(root: Path, prefix: str = "/", **options: Any) -> SiteServer:
        server = SiteServer(root, prefix=prefix, **options)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()  # harmless for a server the test already stopped


@pytest.fixture(scope="module")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    """The session's built site (``built_site``) served at the root, one server per test module."""
    with SiteServer(built_site) as server:
        yield server


@pytest.fixture
def site_root() -> Path:
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        pytest.fail(f"{site} has no index.html: run `.venv/bin/python build.py`, or override the site_root fixture")
    return site


@pytest.fixture
def site_prefix() -> str:
    return "/"


@pytest.fixture
def served_site(serve: Callable[..., SiteServer], site_root: Path, site_prefix: str) -> SiteServer:
    return serve(site_root, prefix=site_prefix)


@pytest.fixture(scope="session")
def drivers(request: pytest.FixtureRequest) -> Iterator[Any]:
    """``tests.browser.drivers.Drivers``: opens a Chromium, Firefox or WebKit driver for the cross-engine tests."""
    from tests.browser.drivers import Drivers

    opened = Drivers(lambda: request.getfixturevalue("browser"))
    yield opened
    opened.shutdown()


@pytest.fixture
def open_driver(drivers: Any) -> Iterator[Callable[[str], Any]]:
    """A factory: ``open_driver(engine) -> Driver`` (tests/browser/drivers.py); each is closed at teardown."""
    opened: list[Any] = []

    def open_one(engine: str) -> Any:
        driver = drivers.open(engine)
        opened.append(driver)
        return driver

    yield open_one
    for driver in reversed(opened):
        with contextlib.suppress(Exception):  # a browser that already went away: nothing left to close
            driver.close()


@pytest.fixture(scope="session")
def later_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two later builds of changed sources, built once per run: ``b`` and ``c`` (site folders), and the
    decision-table text of the changed rule in A (``text_a``), B (``text_b``) and C (``text_c``)."""
    from tests.browser.offline_site import build_from, changed_sources

    root = tmp_path_factory.mktemp("later-builds")
    from engine import ENGINE_VERSION

    builds: dict[str, Any] = {}
    for name in ("b", "c"):
        text_a, text = changed_sources(root / f"sources-{name}", f"changed for build {name.upper()}",
                                       f"{ENGINE_VERSION}.post{ord(name) - ord('a')}")
        build_from(root / f"sources-{name}", root / name)
        builds[name] = root / name
        builds[f"text_{name}"] = text
        builds["text_a"] = text_a
    return builds
