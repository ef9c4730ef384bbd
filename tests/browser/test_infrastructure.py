"""The browser test machinery itself: Chromium, Playwright, the site server and the page log work together."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import foreign_requests

PREFIX = "/guides/b12/"

# The smallest valid WebAssembly module: the magic number "\0asm" and version 1, no sections.
EMPTY_WASM = b"\x00asm\x01\x00\x00\x00"

INDEX_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <title>infrastructure</title>
  <script type="module" src="app.mjs"></script>
</head>
<body><p id="status">loading</p></body>
</html>
"""

# Relative URLs, as the real site uses, so the page works under any prefix. instantiateStreaming
# rejects any response whose Content-Type is not application/wasm: it proves the server's MIME type.
APP_MJS = """const status = document.getElementById("status");
try {
  const { module } = await WebAssembly.instantiateStreaming(fetch("empty.wasm"));
  status.dataset.result = WebAssembly.Module.exports(module).length === 0 ? "ok" : "unexpected exports";
} catch (error) {
  status.dataset.result = `error: ${error}`;
}
"""


def write_tiny_site(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(INDEX_HTML)
    (folder / "app.mjs").write_text(APP_MJS)
    (folder / "empty.wasm").write_bytes(EMPTY_WASM)
    return folder


def test_a_module_script_streams_wasm_under_a_sub_path_and_fails_once_offline(tmp_path, serve, page_log):
    server = serve(write_tiny_site(tmp_path / "site"), prefix=PREFIX)
    page = page_log.page

    response = page.goto(server.url)
    assert response is not None and response.ok
    status = page.locator("#status[data-result]")
    status.wait_for()
    assert status.get_attribute("data-result") == "ok"

    assert {PREFIX, PREFIX + "app.mjs", PREFIX + "empty.wasm"} <= set(server.requests)
    assert foreign_requests(page_log, server.url) == []
    assert page_log.problems() == []

    # "Offline": the port is closed, so the reload is refused instead of hanging or being served.
    server.stop()
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_REFUSED"):
        page.reload()
    assert page_log.failed_requests == [(server.url, "net::ERR_CONNECTION_REFUSED")]


def test_the_page_log_catches_what_the_clean_checks_look_for(tmp_path, serve, page_log):
    # A port nothing listens on, on a host name that is another origin than 127.0.0.1.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    foreign = f"http://localhost:{closed_port}/tracker.js"
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f"""<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<script>
  console.error("something broke");
  setTimeout(() => {{ throw new Error("uncaught"); }});
  const missing = new Image();
  const broken = new Promise((resolve) => {{ missing.onerror = resolve; }});
  missing.src = "missing.png";
  Promise.all([fetch("{foreign}").catch(() => {{}}), broken]).then(() => setTimeout(() => {{ window.done = true; }}));
</script>"""
    )
    server = serve(site, prefix=PREFIX)
    page_log.page.goto(server.url)
    page_log.page.wait_for_function("() => window.done === true")

    assert foreign_requests(page_log, server.url) == [foreign]
    assert page_log.foreign_requests(server.origin) == [foreign]
    assert (404, server.url + "missing.png") in page_log.error_responses
    assert [url for url, _ in page_log.failed_requests] == [foreign]
    assert any(text.startswith("something broke") for text in page_log.console_errors)
    assert page_log.page_errors == ["Error: uncaught"]
