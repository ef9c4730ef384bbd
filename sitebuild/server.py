"""A small static file server for the built site, used by ``python build.py serve`` and the tests."""

from __future__ import annotations

import functools
import gzip
import io
import socketserver
import sys
import threading
import urllib.parse
from email.utils import parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

# Python's guesses come partly from the machine's /etc/mime.types, so they differ between
# machines (.js may be application/javascript, .wasm and .mjs may be unknown). Browsers are
# strict about some of these: WebAssembly.instantiateStreaming needs application/wasm, module
# scripts need a JavaScript type, and with `nosniff` a wrong type is never corrected.
MIME_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".ics": "text/calendar",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".xml": "application/xml",
}


# What a missing page inside the site gets (MkDocs writes it; its links are rooted at the site's address).
NOT_FOUND_PAGE = "404.html"

# Sent gzip-compressed to a client that accepts it, as production hosts (nginx `gzip on`, GitHub Pages) do:
# text shrinks to a fifth or less, and the theme's 140 kB stylesheet blocks the first paint until it has
# arrived. Already-compressed files (zip, wheel, png) are sent as they are.
COMPRESSIBLE_TYPES = frozenset({
    "text/html", "text/css", "text/javascript", "text/plain", "text/calendar", "application/json",
    "application/manifest+json", "application/wasm", "application/xml", "image/svg+xml", "image/x-icon",
})


def gzipped(path: Path) -> tuple[bytes, float]:
    """The file's bytes gzip-compressed (deterministic: no timestamp in the header) and its mtime."""
    stat = path.stat()
    return _gzip_file(str(path), stat.st_mtime_ns, stat.st_size), stat.st_mtime


@functools.lru_cache(maxsize=256)
def _gzip_file(path: str, mtime_ns: int, size: int) -> bytes:
    # Keyed by the file's version and shared by every server in the process: the 9.6 MB runtime
    # (0.85 s to compress) is compressed once per build, not per request or per test's server.
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def normalize_prefix(prefix: str) -> str:
    """Return the URL prefix with exactly one leading and one trailing slash ("" and "/" give "/")."""
    stripped = prefix.strip("/")
    return f"/{stripped}/" if stripped else "/"


class _SiteHTTPServer(ThreadingHTTPServer):
    """The HTTP server with the settings its handlers read: URL prefix, verbosity and the request log."""

    # A handler thread must never keep the process (pytest, `build.py serve`) alive.
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: Any, prefix: str, verbose: bool) -> None:
        self.prefix = prefix
        self.verbose = verbose
        self.log_lock = threading.Lock()
        self.request_log: list[str] = []
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(host), a reverse DNS lookup that can
        # stall for seconds on a machine without working DNS; the name is never needed here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that navigates away (or a test that stops early) drops connections in the
        # middle of a response; that is normal and its traceback would only be noise.
        if not self.verbose and isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _SiteRequestHandler(SimpleHTTPRequestHandler):
    """Serves files of the site folder under the server's URL prefix, with explicit MIME types."""

    server: _SiteHTTPServer
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    # HTTP/1.0 (the default, restated on purpose): one connection per request, so once the
    # server is stopped no kept-alive socket can still answer the browser; "offline" is real.
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        if self._inside_prefix():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._inside_prefix():
            super().do_HEAD()

    def _inside_prefix(self) -> bool:
        """Log the request; answer it here (redirect or 404) unless its path lies under the prefix."""
        with self.server.log_lock:
            self.server.request_log.append(self.path)
        prefix = self.server.prefix
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(prefix):
            return True
        if path in ("/", prefix.rstrip("/")):
            # The bare host, or the prefix without its slash, lead to the site's home page.
            # 302, not 301: browsers cache permanent redirects, and the prefix may change.
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(HTTPStatus.NOT_FOUND, "Outside the site's URL prefix")
        return False

    def translate_path(self, path: str) -> str:
        # The base class maps the URL path onto `directory` (and drops any ".." parts); the
        # prefix is only the site's mount point, so it is removed first.
        path = urllib.parse.urlsplit(path).path
        prefix = self.server.prefix
        if path.startswith(prefix):
            path = "/" + path[len(prefix) :]
        return super().translate_path(path)

    def send_head(self) -> Any:
        """As the base class, but a compressible file goes gzip-compressed to a client that accepts gzip."""
        target = self._compressible_file()
        if target is None:
            return super().send_head()
        body, mtime = gzipped(target)
        if self._not_modified_since(mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(mtime))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def _compressible_file(self) -> Path | None:
        """The file this request asks for, if it is to be sent compressed; None leaves it to the base class
        (redirects of folders without their slash, 404s, conditional requests of other files)."""
        accepted = {part.split(";")[0].strip().lower() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if "gzip" not in accepted:
            return None
        url_path = urllib.parse.urlsplit(self.path).path
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not url_path.endswith("/"):
                return None
            target = target / "index.html"
        if not target.is_file() or self.guess_type(str(target)) not in COMPRESSIBLE_TYPES:
            return None
        return target

    def _not_modified_since(self, mtime: float) -> bool:
        header = self.headers.get("If-Modified-Since")
        if not header or self.headers.get("If-None-Match"):
            return False
        try:
            since = parsedate_to_datetime(header).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(mtime) <= since

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """As the base class, but a missing page inside the prefix gets the site's own 404.html (with status 404),
        as GitHub Pages and nginx's ``error_page 404`` answer; outside the prefix there is no site to show."""
        page = Path(self.directory) / NOT_FOUND_PAGE
        inside = urllib.parse.urlsplit(self.path).path.startswith(self.server.prefix)
        if code != HTTPStatus.NOT_FOUND or not inside or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.page_body(page.read_bytes())
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def page_body(self, body: bytes) -> bytes:
        """The bytes of an HTML page as sent (a subclass may add to them: the live preview adds its script)."""
        return body

    def list_directory(self, path: str | Path) -> None:
        # A static site has an index.html in every page folder; a generated listing would
        # hide a missing page from the tests, so a folder without one is a plain 404.
        self.send_error(HTTPStatus.NOT_FOUND, "No index.html in this folder")

    def end_headers(self) -> None:
        # no-cache: the browser revalidates every time, so tests and a developer always see
        # the newest build. nosniff: the browser trusts only the declared type, as a strict
        # production host would make it do; a wrong MIME type then fails here first.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class SiteServer:
    """Serves a built site folder under a URL prefix on a background thread; a context manager.

    ``stop()`` also closes the listening socket, so the port then refuses connections (the
    browser tests use that to go "offline"); ``start()`` again serves on the same port.
    A subclass may serve through its own subclass of the request handler (``handler``).
    """

    handler: ClassVar[type[SimpleHTTPRequestHandler]] = _SiteRequestHandler

    def __init__(
        self, root: Path, host: str = "127.0.0.1", port: int = 0, prefix: str = "/", verbose: bool = False
    ) -> None:
        self.root = Path(root)
        self.host = host
        self.port = port
        self.prefix = normalize_prefix(prefix)
        self.verbose = verbose
        self._httpd: _SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # The log outlives a stop/start cycle, so a test sees the requests of both phases.
        self._log_lock = threading.Lock()
        self._request_log: list[str] = []

    @property
    def url(self) -> str:
        """The site's home URL, e.g. ``http://127.0.0.1:8123/guides/clinic/`` (known once started)."""
        if self.port == 0:
            raise RuntimeError("the server has no port yet: call start() first")
        # A wildcard bind address is not something a browser can open.
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}{self.prefix}"

    @property
    def origin(self) -> str:
        """The scheme, host and port of ``url``: what the browser calls the site's origin."""
        return self.url[: -len(self.prefix)]

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def requests(self) -> list[str]:
        """A snapshot of the request paths received so far (with query strings), oldest first."""
        with self._log_lock:
            return list(self._request_log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._request_log.clear()

    def start(self) -> SiteServer:
        if self._httpd is not None:
            return self
        if not self.root.is_dir():
            raise FileNotFoundError(f"site folder {self.root} does not exist: build the site first")
        handler = partial(self.handler, directory=str(self.root))
        httpd = _SiteHTTPServer((self.host, self.port), handler, self.prefix, self.verbose)
        # Share one lock and list with every server incarnation of this SiteServer.
        httpd.log_lock, httpd.request_log = self._log_lock, self._request_log
        self.port = httpd.server_address[1]
        self._httpd = httpd
        # serve_forever notices shutdown() only between polls; the default 0.5 s would make
        # every stop() (one per test) wait that long, 0.05 s costs nothing measurable.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"SiteServer:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket; does nothing if not running."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()  # ends the serve_forever loop (blocks until it has)
        httpd.server_close()  # closes the socket: new connections are now refused
        thread.join()

    def wait(self) -> None:
        """Block until the server stops; Ctrl-C (KeyboardInterrupt) gets through."""
        # Joining with a timeout in a loop keeps the main thread responsive to signals.
        while (thread := self._thread) is not None and thread.is_alive():
            thread.join(0.5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_forever(root: Path, host: str = "127.0.0.1", port: int = 8000, prefix: str = "/") -> None:
    """Serve ``root`` and print its URL until Ctrl-C: what ``python build.py serve`` runs."""
    server = SiteServer(root, host, port, prefix, verbose=True)
    try:
        server.start()
    except OSError as error:
        raise SystemExit(f"serve: cannot listen on {host}:{port}: {error}") from error
    # flush: the URL must show at once even when stdout is a pipe (CI logs, the tests).
    print(f"Serving {root} at {server.url} (press Ctrl-C to stop)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        server.stop()
