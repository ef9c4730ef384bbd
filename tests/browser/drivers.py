"""One browser protocol, three engines: the cross-engine scenarios are written once against ``Driver``.

- ``chromium``: Debian's Chromium under Playwright (the browser of conftest.py's fixtures);
- ``firefox``: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, through a small Node
  process (``firefox_bridge.mjs``: JSON commands on stdin, answers on stdout);
- ``webkit``: WebKitGTK's MiniBrowser (``--automation``) driven by Selenium through Debian's
  WebKitWebDriver, in an Xvfb display (``--headless`` hangs there).

The verbs are the few the scenarios need: open a URL, reload, evaluate a JavaScript function in the page
with JSON arguments and get JSON back, wait until an in-page predicate holds, press keys, click, read the
errors and the requested URLs, close. Functions are passed as source text and called by each tool's own
protocol (DevTools, BiDi ``script.callFunction``, WebDriver's execute script), which the site's
Content-Security-Policy does not govern; nothing is ever eval'ed by the page.

What each engine can observe ("no console error", "no request to another origin"):

- every engine runs the in-page probe (``PROBE``): uncaught errors and failed resource loads (``error``),
  unhandled rejections, ``console.error`` calls, Content-Security-Policy violations (the site's CSP blocks
  and reports any other origin) and ``performance`` resource entries, kept in ``sessionStorage`` so they
  survive a reload of the tab. Chromium and Firefox install it before the page's own scripts (an init
  script); WebKitGTK's driver has no init script and no BiDi (2.50 refuses ``webSocketUrl``), and its
  console messages reach no stream in automation mode, so there the probe is installed by the first
  evaluate after each load: it misses errors of a page's first moments, which the other two engines cover;
- Chromium adds Playwright's context events: every request (workers and the service worker too),
  failed requests and HTTP errors, console errors and page errors of every page;
- Firefox adds BiDi's console, page-error and network events of the page's browsing context;
- the scenarios also read the local server's own request log, the same in every engine.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import LOCAL_SCHEMES, PageLog, origin_of, record

ROOT = Path(__file__).resolve().parents[2]
ENGINES = ("chromium", "firefox", "webkit")
VIEWPORT = {"width": 1280, "height": 900}
FIREFOX = Path("/usr/bin/firefox-esr")
WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
BRIDGE = Path(__file__).with_name("firefox_bridge.mjs")
NAVIGATION_TIMEOUT_S = 120
# A command that itself waits (navigation, a boot) answers within its own timeout; anything else is quick.
BRIDGE_TIMEOUT_S = NAVIGATION_TIMEOUT_S + 30

# Firefox asks the user before granting persistent storage (navigator.storage.persist() stays pending
# until then, and headless there is no one to answer); these prefs answer "allow" as a user would.
FIREFOX_PREFS = {
    "dom.storageManager.prompt.testing": True,
    "dom.storageManager.prompt.testing.allow": True,
    # Firefox's own Quick Find opens on "/" outside text fields (a checkbox, a select) and takes the focus:
    # browser UI, not the site's, and it would hide what the site's keyboard handling does.
    "accessibility.typeaheadfind.manual": False,
}
# Safari has the Storage API (navigator.storage.persist, estimate); WebKitGTK's MiniBrowser leaves it off.
MINIBROWSER_ARGS = ["--automation", "--features=+StorageAPI,+StorageAPIEstimate"]

MISSING_BROWSER = (
    "{what} is missing ({path}): run `make test`, which installs it with apt, or "
    "`apt-get install -y {package}`; the browser tests never skip"
)

# The in-page probe: records what went wrong and what was requested in sessionStorage (it survives a
# reload of the tab). Idempotent: installing it twice in one document does nothing.
PROBE_KEY = "browser-test-probe"
PROBE = """() => {
  if (window.__browserTestProbe) return;
  window.__browserTestProbe = true;
  const KEY = "__KEY__";
  const add = (kind, text) => {
    try {
      const log = JSON.parse(sessionStorage.getItem(KEY) || '{"errors": [], "requests": []}');
      log[kind].push(String(text));
      sessionStorage.setItem(KEY, JSON.stringify(log));
    } catch {
      // about:blank and opaque origins have no storage: nothing to record there.
    }
  };
  window.addEventListener("error", (event) => {
    const target = event.target;
    if (target instanceof Element) {
      // Firefox reports a declined prefetch of <link rel=next> (a hint, not a file the page uses) as an error.
      const hint = target.localName === "link" && ["next", "prev", "prefetch", "preload"].includes(target.rel);
      if (!hint) add("errors", `failed to load ${target.src || target.href} (<${target.localName}>)`);
      return;
    }
    add("errors", `page error: ${event.message} (${event.filename}:${event.lineno})`);
  }, true);
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    add("errors", `unhandled rejection: ${reason && reason.stack ? reason.stack : reason}`);
  });
  document.addEventListener("securitypolicyviolation", (event) => {
    add("errors", `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
  });
  const original = console.error;
  console.error = function (...parts) {
    add("errors", `console.error: ${parts.map(String).join(" ")}`);
    return original.apply(this, parts);
  };
  add("requests", location.href);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) add("requests", entry.name);
    }).observe({ type: "resource", buffered: true });
  } catch {
    // No PerformanceObserver: the resource entries are not seen here.
  }
}""".replace("__KEY__", PROBE_KEY)

DRAIN_PROBE = """() => {
  let log = { errors: [], requests: [] };
  try {
    log = JSON.parse(sessionStorage.getItem("__KEY__") || JSON.stringify(log));
    sessionStorage.removeItem("__KEY__");
  } catch {}
  return log;
}""".replace("__KEY__", PROBE_KEY)


class Driver(Protocol):
    """What a cross-engine scenario may do with a browser."""

    engine: str

    def goto(self, url: str) -> None: ...
    def reload(self) -> None: ...
    def url(self) -> str: ...
    def evaluate(self, function: str, *args: Any) -> Any: ...
    def wait_for(self, predicate: str, *args: Any, timeout: float = 60, what: str = "") -> Any: ...
    def press(self, key: str) -> None: ...
    def type(self, text: str) -> None: ...
    def click(self, selector: str) -> None: ...
    def errors(self) -> list[str]: ...
    def requests(self) -> list[str]: ...
    def foreign_requests(self, allowed_origin: str) -> list[str]: ...
    def close(self) -> None: ...


class BaseDriver:
    """The verbs every engine shares: polling, and the probe's log merged with the engine's own."""

    engine = "base"

    def __init__(self) -> None:
        self._errors: list[str] = []
        self._requests: list[str] = []

    # Implemented by each engine.
    def _evaluate(self, function: str, args: list[Any]) -> Any:
        raise NotImplementedError

    def _native_log(self) -> tuple[list[str], list[str]]:
        """(errors, requests) the engine's own tool has seen so far."""
        return [], []

    def evaluate(self, function: str, *args: Any) -> Any:
        """Call ``function`` (JavaScript source of a function, async allowed) with JSON ``args``; its JSON result."""
        return self._evaluate(function, list(args))

    def wait_for(self, predicate: str, *args: Any, timeout: float = 60, what: str = "") -> Any:
        """Poll ``predicate`` until it returns a truthy value (returned); fail after ``timeout`` seconds.

        An evaluation that fails while the page navigates (its document goes away) is tried again.
        """
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                last = self.evaluate(predicate, *args)
                if last:
                    return last
            except Exception as problem:  # noqa: BLE001 - a document that went away mid-call: try again
                last = f"{type(problem).__name__}: {str(problem)[:300]}"
            if time.monotonic() > deadline:
                raise AssertionError(f"[{self.engine}] timed out after {timeout} s waiting for {what or predicate}; "
                                     f"last: {last!r}")
            time.sleep(0.2)

    def _collect(self) -> None:
        try:
            log = self._evaluate(DRAIN_PROBE, [])
        except Exception:  # noqa: BLE001 - no document to read (navigating, or closed)
            log = {"errors": [], "requests": []}
        self._errors += log.get("errors", [])
        self._requests += log.get("requests", [])

    def errors(self) -> list[str]:
        """Every error seen so far: console errors, uncaught errors, failed loads, CSP violations."""
        self._collect()
        return self._native_log()[0] + self._errors

    def requests(self) -> list[str]:
        """Every URL the engine could see requested so far."""
        self._collect()
        return self._native_log()[1] + self._requests

    def foreign_requests(self, allowed_origin: str) -> list[str]:
        allowed = origin_of(allowed_origin)
        return [url for url in self.requests()
                if urlsplit(url).scheme not in LOCAL_SCHEMES and origin_of(url) != allowed]

    def before_navigation(self) -> None:
        # The probe keeps its log per origin: read it before the tab may leave this one.
        self._collect()


class ChromiumDriver(BaseDriver):
    """Playwright with Debian's Chromium: one new browser context (fresh storage) of the session's browser."""

    engine = "chromium"

    def __init__(self, browser: Browser) -> None:
        super().__init__()
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(f"({PROBE})()")
        self.log: PageLog = record(context)
        self.page = self.log.page

    def goto(self, url: str) -> None:
        self.before_navigation()
        self.page.goto(url, timeout=NAVIGATION_TIMEOUT_S * 1000)

    def reload(self) -> None:
        self.page.reload(timeout=NAVIGATION_TIMEOUT_S * 1000)

    def url(self) -> str:
        return self.page.url

    def _evaluate(self, function: str, args: list[Any]) -> Any:
        # A function source: Playwright calls it over the DevTools protocol (no eval in the page).
        return self.page.evaluate(f"(args) => ({function})(...args)", args)

    def _native_log(self) -> tuple[list[str], list[str]]:
        return self.log.problems(), list(self.log.requests)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def close(self) -> None:
        self.log.context.close()


class FirefoxDriver(BaseDriver):
    """Firefox ESR through puppeteer-core over WebDriver BiDi, one browser (fresh profile) per driver."""

    engine = "firefox"

    def __init__(self) -> None:
        super().__init__()
        if not FIREFOX.exists():
            pytest.fail(MISSING_BROWSER.format(what="Firefox ESR", path=FIREFOX, package="firefox-esr"))
        if not (ROOT / "node_modules" / "puppeteer-core").is_dir():
            pytest.fail("node_modules/puppeteer-core is missing: run `make setup` (npm ci installs it)")
        self._stderr = open(os.devnull, "w")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            ["node", str(BRIDGE)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, bufsize=1,
        )
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="firefox-bridge").start()
        self._next_id = 0
        self._bidi_errors: list[str] = []
        self._bidi_requests: list[str] = []
        self.version = self._send("launch", executablePath=str(FIREFOX), prefs=FIREFOX_PREFS, probe=PROBE,
                                  **VIEWPORT)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._answers.put(line)

    def _send(self, command: str, timeout: float = BRIDGE_TIMEOUT_S, **arguments: Any) -> Any:
        self._next_id += 1
        message = {"id": self._next_id, "command": command, **arguments}
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        try:
            answer = json.loads(self._answers.get(timeout=timeout))
        except queue.Empty:
            raise AssertionError(f"[firefox] the bridge did not answer {command} within {timeout} s") from None
        if answer.get("id") != self._next_id:
            raise AssertionError(f"[firefox] the bridge answered {answer.get('id')} to command {self._next_id}")
        if "error" in answer:
            raise RuntimeError(f"[firefox] {command}: {answer['error']}")
        return answer.get("value")

    def goto(self, url: str) -> None:
        self.before_navigation()
        self._send("goto", url=url, ms=NAVIGATION_TIMEOUT_S * 1000)

    def reload(self) -> None:
        self._send("reload", ms=NAVIGATION_TIMEOUT_S * 1000)

    def url(self) -> str:
        return self._send("url")

    def _evaluate(self, function: str, args: list[Any]) -> Any:
        return self._send("evaluate", source=function, args=args)

    def _native_log(self) -> tuple[list[str], list[str]]:
        log = self._send("log")
        self._bidi_errors += log["errors"]
        self._bidi_requests += log["requests"]
        return list(self._bidi_errors), list(self._bidi_requests)

    def press(self, key: str) -> None:
        self._send("press", key=key)

    def type(self, text: str) -> None:
        self._send("type", text=text)

    def click(self, selector: str) -> None:
        self._send("click", selector=selector)

    def close(self) -> None:
        try:
            self._send("close", timeout=30)
        except (AssertionError, RuntimeError, OSError):
            pass
        finally:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._stderr.close()


# The script wrapper for WebDriver's "execute async script": the function's source is part of the script
# the driver compiles (not eval'ed by the page), its arguments arrive as JSON, and a rejection comes back
# as {"error"} rather than a timeout.
ASYNC_CALL = """
const done = arguments[arguments.length - 1];
const args = arguments[0];
(%s)();
Promise.resolve().then(() => (%s)(...args)).then(
  (value) => done({ value: value === undefined ? null : value }),
  (error) => done({ error: String((error && error.stack) || error) }));
"""


class WebKitDriver(BaseDriver):
    """WebKitGTK's MiniBrowser through WebKitWebDriver and Selenium, in the session's Xvfb display.

    In automation mode MiniBrowser keeps its website data in memory only, so every driver starts with
    empty storage (no service worker, no cache) and leaves nothing behind.
    """

    engine = "webkit"

    def __init__(self, display: str) -> None:
        super().__init__()
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        for what, path, package in (("WebKitWebDriver", WEBKIT_DRIVER, "webkit2gtk-driver"),
                                    ("WebKitGTK's MiniBrowser", MINIBROWSER, "webkit2gtk-driver")):
            if not path.exists():
                pytest.fail(MISSING_BROWSER.format(what=what, path=path, package=package))
        options = Options()
        options.binary_location = str(MINIBROWSER)
        for argument in MINIBROWSER_ARGS:
            options.add_argument(argument)
        service = Service(executable_path=str(WEBKIT_DRIVER), env={**os.environ, "DISPLAY": display},
                          log_output=subprocess.DEVNULL)
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(NAVIGATION_TIMEOUT_S)
        self.driver.set_page_load_timeout(NAVIGATION_TIMEOUT_S)
        self.driver.set_window_size(VIEWPORT["width"], VIEWPORT["height"])

    def goto(self, url: str) -> None:
        self.before_navigation()
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def url(self) -> str:
        return self.driver.current_url

    def _evaluate(self, function: str, args: list[Any]) -> Any:
        answer = self.driver.execute_async_script(ASYNC_CALL % (PROBE, function), args)
        if answer is None:
            raise RuntimeError("[webkit] the script gave no answer (the page navigated away)")
        if "error" in answer:
            raise RuntimeError(f"[webkit] {answer['error']}")
        return answer["value"]

    def _keys(self, text: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(text).perform()

    def press(self, key: str) -> None:
        from selenium.webdriver.common.keys import Keys

        named = {"Escape": Keys.ESCAPE, "Enter": Keys.ENTER, "Tab": Keys.TAB}
        self._keys(named.get(key, key))

    def type(self, text: str) -> None:
        self._keys(text)

    def click(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def close(self) -> None:
        self.driver.quit()


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server on a free display number (Xvfb picks it and writes it to a pipe)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail(MISSING_BROWSER.format(what="Xvfb", path="Xvfb on PATH", package="xvfb"))
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    number = b""
    deadline = time.monotonic() + 30
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 1)
        if ready:
            chunk = os.read(read_end, 16)
            if not chunk:
                break
            number += chunk
    os.close(read_end)
    if not number.strip().isdigit():
        process.kill()
        pytest.fail("Xvfb did not start (no display number): is the xvfb package installed?")
    return process, f":{number.strip().decode()}"


class Drivers:
    """Opens a driver of any engine; one Xvfb display (for WebKit) and one Chromium for the whole session."""

    def __init__(self, browser_factory: Any) -> None:
        self._browser = browser_factory  # a callable giving the session's Playwright Browser
        self._xvfb: tuple[subprocess.Popen[bytes], str] | None = None

    def open(self, engine: str) -> BaseDriver:
        if engine == "chromium":
            return ChromiumDriver(self._browser())
        if engine == "firefox":
            return FirefoxDriver()
        if engine == "webkit":
            if self._xvfb is None:
                self._xvfb = start_xvfb()
            return WebKitDriver(self._xvfb[1])
        raise ValueError(f"unknown engine {engine!r}; one of {ENGINES}")

    def shutdown(self) -> None:
        if self._xvfb is not None:
            process, _ = self._xvfb
            process.terminate()
            process.wait(timeout=10)
            self._xvfb = None
