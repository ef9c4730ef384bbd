"""The static site server: MIME types, the URL prefix, folder pages, headers, stopping and its request log."""

from __future__ import annotations

import gzip
import http.client
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild.server import SiteServer, normalize_prefix

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/guides/b12/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A tiny site folder, with a secret file next to it that must never be served."""
    root = tmp_path / "site"
    (root / "calculator").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "index.html").write_text("<p>home</p>")
    (root / "calculator" / "index.html").write_text("<p>calculator</p>")
    (tmp_path / "secret.txt").write_text("secret")
    return root


def fetch(server: SiteServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
          ) -> http.client.HTTPResponse:
    """One request, redirects not followed, the body read (so the response can be kept)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        return response
    finally:
        connection.close()


@pytest.fixture
def server(site: Path):
    with SiteServer(site, prefix=PREFIX) as running:
        yield running


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("pyodide.asm.wasm", "application/wasm"),
        ("pyodide.mjs", "text/javascript"),
        ("app.js", "text/javascript"),
        ("pyodide-lock.json", "application/json"),
        ("manifest.webmanifest", "application/manifest+json"),
        ("guideline_engine-0.1.0-py3-none-any.whl", "application/zip"),
        ("python_stdlib.zip", "application/zip"),
        ("schedule.ics", "text/calendar"),
        ("logo.svg", "image/svg+xml"),
        ("font.woff2", "font/woff2"),
        ("page.html", "text/html"),
        ("style.css", "text/css"),
    ],
)
def test_files_have_explicit_mime_types(site, server, name, mime):
    (site / name).write_bytes(b"x")
    response = fetch(server, PREFIX + name)
    assert response.status == 200
    assert response.getheader("Content-Type") == mime
    assert response.body == b"x"


def test_every_response_says_no_cache_and_nosniff(server):
    for path in (PREFIX, "/elsewhere"):
        response = fetch(server, path)
        assert response.getheader("Cache-Control") == "no-cache"
        assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_url_ends_with_the_prefix_and_the_prefix_is_normalized(site):
    assert [normalize_prefix(p) for p in ("/", "", "guides/b12", "/guides/b12/", "//x//")] == [
        "/",
        "/",
        PREFIX,
        PREFIX,
        "/x/",
    ]
    with SiteServer(site, prefix="guides/b12") as server:
        assert server.url == f"http://127.0.0.1:{server.port}{PREFIX}"
        assert server.origin == f"http://127.0.0.1:{server.port}"
        assert server.port != 0


def test_folder_urls_serve_their_index_html(server):
    assert fetch(server, PREFIX).body == b"<p>home</p>"
    assert fetch(server, PREFIX + "calculator/").body == b"<p>calculator</p>"
    assert fetch(server, PREFIX + "calculator/?q=1").body == b"<p>calculator</p>"


def test_a_folder_url_without_its_slash_redirects_within_the_prefix(server):
    response = fetch(server, PREFIX + "calculator?q=1")
    assert response.status == 301
    assert response.getheader("Location") == PREFIX + "calculator/?q=1"


def test_a_folder_without_index_html_is_not_listed(server):
    assert fetch(server, PREFIX + "empty/").status == 404


def test_missing_files_are_404(server):
    assert fetch(server, PREFIX + "nothing.js").status == 404


@pytest.mark.parametrize("path", ["/index.html", "/guides/", "/guides/b12x/index.html", "/calculator/"])
def test_paths_outside_the_prefix_are_404(server, path):
    assert fetch(server, path).status == 404


NOT_FOUND = "<h1>Page not found</h1>"


@pytest.mark.parametrize("prefix", ["/", PREFIX])
@pytest.mark.parametrize("missing", ["nothing/", "nothing.js", "calculator/nothing/deeper", "empty/"])
def test_a_missing_page_gets_the_sites_own_404_page_with_status_404(site, prefix, missing):
    (site / "404.html").write_text(NOT_FOUND)
    with SiteServer(site, prefix=prefix) as server:
        response = fetch(server, prefix + missing)
        head = fetch(server, prefix + missing, method="HEAD")
        outside = fetch(server, "/elsewhere/") if prefix != "/" else None
    assert response.status == 404 and response.body == NOT_FOUND.encode()
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"
    assert head.status == 404 and head.body == b"" and head.getheader("Content-Length") == str(len(NOT_FOUND))
    # Outside the prefix there is no site: the plain answer, not a page whose links would lead nowhere.
    assert outside is None or (outside.status == 404 and NOT_FOUND.encode() not in outside.body)


def test_without_a_404_page_a_missing_page_gets_the_plain_404(server):
    response = fetch(server, PREFIX + "nothing/")
    assert response.status == 404 and b"Page not found" not in response.body


@pytest.mark.parametrize("path", ["/", "/guides/b12"])
def test_the_bare_host_and_the_slashless_prefix_redirect_to_the_prefix(server, path):
    response = fetch(server, path)
    assert response.status == 302
    assert response.getheader("Location") == PREFIX


def test_files_outside_the_root_are_never_served(server):
    for path in (PREFIX + "../secret.txt", PREFIX + "../../secret.txt", PREFIX + "%2e%2e/secret.txt"):
        response = fetch(server, path)
        assert response.status == 404
        assert b"secret" not in response.body


def test_the_root_prefix_serves_the_whole_folder(site):
    with SiteServer(site) as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert fetch(server, "/").body == b"<p>home</p>"
        assert fetch(server, "/calculator/").body == b"<p>calculator</p>"


def test_head_requests_get_headers_only(server):
    response = fetch(server, PREFIX, method="HEAD")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html"
    assert response.body == b""


GZIP = {"Accept-Encoding": "br, gzip;q=0.9"}


def test_text_goes_gzip_compressed_to_a_client_that_accepts_it_and_plain_to_one_that_does_not(site):
    page = "<p>" + "calculator " * 2000 + "</p>"
    (site / "calculator" / "index.html").write_text(page)
    (site / "engine.whl").write_bytes(b"PK" + bytes(range(256)) * 8)
    with SiteServer(site, prefix=PREFIX) as server:
        compressed = fetch(server, PREFIX + "calculator/", headers=GZIP)
        assert compressed.status == 200
        assert compressed.getheader("Content-Encoding") == "gzip"
        assert compressed.getheader("Vary") == "Accept-Encoding"
        assert compressed.getheader("Content-Type") == "text/html"
        assert int(compressed.getheader("Content-Length")) == len(compressed.body) < len(page) / 10
        assert gzip.decompress(compressed.body).decode() == page
        assert fetch(server, PREFIX + "calculator/", headers=GZIP).body == compressed.body  # deterministic

        plain = fetch(server, PREFIX + "calculator/")
        assert plain.getheader("Content-Encoding") is None and plain.body.decode() == page
        # Already compressed formats go as they are; a folder without its slash is still redirected.
        wheel = fetch(server, PREFIX + "engine.whl", headers=GZIP)
        assert wheel.getheader("Content-Encoding") is None and wheel.body == (site / "engine.whl").read_bytes()
        assert fetch(server, PREFIX + "calculator", headers=GZIP).status == 301
        assert fetch(server, PREFIX + "missing.css", headers=GZIP).status == 404
        assert fetch(server, "/elsewhere/index.html", headers=GZIP).status == 404

        # A revalidation of an unchanged file is answered 304 without a body; a changed file is sent anew.
        modified = compressed.getheader("Last-Modified")
        again = fetch(server, PREFIX + "calculator/", headers={**GZIP, "If-Modified-Since": modified})
        assert again.status == 304 and again.body == b""
        (site / "calculator" / "index.html").write_text(page + "<p>changed</p>")
        os.utime(site / "calculator" / "index.html", (1, 2_000_000_000))
        changed = fetch(server, PREFIX + "calculator/", headers={**GZIP, "If-Modified-Since": modified})
        assert changed.status == 200 and gzip.decompress(changed.body).decode().endswith("<p>changed</p>")


def test_stop_closes_the_port_so_connections_are_refused(site):
    server = SiteServer(site, prefix=PREFIX).start()
    assert fetch(server, PREFIX).status == 200
    server.stop()
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=5).close()
    server.stop()  # a second stop is harmless


def test_start_after_stop_serves_again_on_the_same_port(site):
    with SiteServer(site, prefix=PREFIX) as server:
        port = server.port
        server.stop()
        server.start()
        assert server.port == port
        assert fetch(server, PREFIX).status == 200


def test_the_request_log_records_every_path_in_order(server):
    fetch(server, PREFIX)
    fetch(server, PREFIX + "missing.js?v=2")
    fetch(server, "/outside")
    fetch(server, PREFIX, method="HEAD")
    assert server.requests == [PREFIX, PREFIX + "missing.js?v=2", "/outside", PREFIX]
    server.clear_requests()
    assert server.requests == []


def test_quiet_by_default_and_per_request_lines_when_verbose(site, capfd):
    with SiteServer(site, prefix=PREFIX) as server:
        fetch(server, PREFIX)
        fetch(server, "/outside")
    assert capfd.readouterr().err == ""
    with SiteServer(site, prefix=PREFIX, verbose=True) as server:
        fetch(server, PREFIX)
    assert f'"GET {PREFIX} HTTP/1.1" 200' in capfd.readouterr().err


def test_a_missing_site_folder_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="build the site first"):
        SiteServer(tmp_path / "site").start()


def test_serve_forever_prints_its_url_and_stops_cleanly_on_ctrl_c(site):
    code = (
        "import sys; from pathlib import Path; from sitebuild.server import serve_forever; "
        "serve_forever(Path(sys.argv[1]), port=0, prefix=sys.argv[2])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(site), PREFIX],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        # As at a terminal: a shell that runs the suite in the background (`make test &`) starts it with Ctrl-C
        # ignored, which every child inherits, and Python then never raises KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(f"Serving {site} at http://127.0.0.1:") and PREFIX in line
        url = line.split(" at ")[1].split()[0]
        port = int(url.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", PREFIX)
        assert connection.getresponse().read() == b"<p>home</p>"
        connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert f"GET {PREFIX} HTTP/1.1" in err  # serve_forever logs each request for the developer
