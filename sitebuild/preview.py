"""Live preview, what ``python build.py serve`` runs: serve the site, rebuild it on every saved change, reload
every open page.

- **Watching**: watchdog (a maintained library; inotify on Linux, FSEvents on macOS) reports changes under the
  watched folders and files; changes that come together (an editor's save is several events) make one rebuild.
- **Rebuilding** is the caller's: ``rebuild(target, changed)`` builds the site into ``target`` and returns its
  build id, or raises with a message that names the file. It builds beside the site; only a build that passed
  replaces the site served, so a failed rebuild leaves the last good site in place.
- **Reloading**: the preview server adds a script (``site_templates/preview/reload.js``) to every page it sends;
  the script listens to ``__preview__/events`` (server-sent events) and reloads its page once the build id
  changes, or shows the failed rebuild's message as a banner. The script is added to responses only: a built
  ``site/`` never holds it.
- **Offline layer**: the preview answers ``sw.js`` with a worker that stores nothing
  (``site_templates/preview/sw.js``), so no page is ever answered from an old build's cache and no
  "new version" prompt waits for the author.
"""

from __future__ import annotations

import json
import queue
import shutil
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any, ClassVar

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sitebuild.server import SiteServer, _SiteRequestHandler

PREVIEW_FOLDER = "__preview__/"
RELOAD_SCRIPT = "reload.js"
EVENTS = "events"
# Events that arrive within this long of each other are one change (an editor writes, renames, touches).
SETTLE_SECONDS = 0.15
# A comment line keeps an idle event stream open through proxies and tells a closed tab from an open one.
KEEPALIVE_SECONDS = 15.0
# What no rebuild is for: caches, compiled files, editors' scratch files.
IGNORED_PARTS = frozenset({"__pycache__", ".git", ".cache", ".pytest_cache", ".hypothesis", "node_modules"})
IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", ".tmp", "~")


class PreviewState:
    """The newest good build and the latest rebuild's error, with a version that changes on every update."""

    def __init__(self, build_id: str | None = None) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.build_id = build_id
        self.error: str | None = None
        self.closed = False

    def update(self, build_id: str | None = None, error: str | None = None) -> None:
        """A rebuild finished: with its build id, or with its error (the build id then stays the last good one)."""
        with self._changed:
            if build_id is not None:
                self.build_id = build_id
            self.error = error
            self.version += 1
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """The state once its version is not ``seen`` (None on timeout or once closed)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closed, timeout)
            if self.closed or self.version == seen:
                return None
            return self.version, {"build_id": self.build_id, "error": self.error}


class _PreviewRequestHandler(_SiteRequestHandler):
    """The site's handler, plus the preview's script, its event stream, its service worker and its pages."""

    preview: ClassVar[PreviewState]
    templates: ClassVar[Path]

    def send_head(self) -> Any:
        path = urllib.parse.urlsplit(self.path).path
        inside = path[len(self.server.prefix):] if path.startswith(self.server.prefix) else None
        if inside == PREVIEW_FOLDER + RELOAD_SCRIPT:
            return self._send_bytes((self.templates / RELOAD_SCRIPT).read_bytes(), "text/javascript")
        if inside == "sw.js":
            return self._send_bytes((self.templates / "sw.js").read_bytes(), "text/javascript")
        if inside == PREVIEW_FOLDER + EVENTS:
            self._stream_events()
            return None
        page = self._html_page()
        if page is not None:
            return self._send_bytes(self.page_body(page.read_bytes()), "text/html; charset=utf-8")
        return super().send_head()

    def _html_page(self) -> Path | None:
        """The HTML file this request asks for (a folder's index.html), if there is one."""
        url_path = urllib.parse.urlsplit(self.path).path
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not url_path.endswith("/"):
                return None  # the base class redirects to the folder's URL
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def _send_bytes(self, body: bytes, content_type: str) -> Any:
        import io

        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def page_body(self, body: bytes) -> bytes:
        script = f'<script src="{self.server.prefix}{PREVIEW_FOLDER}{RELOAD_SCRIPT}"></script>'.encode()
        end = body.rfind(b"</body>")
        return body + script if end < 0 else body[:end] + script + body[end:]

    def _stream_events(self) -> None:
        """Server-sent events: the state now, then every change, until the page goes or the preview stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = -1
        try:
            while not self.preview.closed:
                changed = self.preview.wait(seen, KEEPALIVE_SECONDS)
                if changed is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen, state = changed
                    self.wfile.write(f"event: state\ndata: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
        except (ConnectionError, OSError):
            pass  # the page was closed or reloaded


class PreviewServer(SiteServer):
    """A SiteServer whose pages reload themselves when ``state`` says a new build is served."""

    def __init__(self, root: Path, templates: Path, state: PreviewState, **options: Any) -> None:
        super().__init__(root, **options)
        self.state = state
        self.handler = type("PreviewRequestHandler", (_PreviewRequestHandler,),
                            {"preview": state, "templates": Path(templates)})

    def stop(self) -> None:
        self.state.close()  # ends the open event streams
        super().stop()


class _Changes(FileSystemEventHandler):
    """Puts every relevant changed path on a queue."""

    def __init__(self, changes: queue.Queue[Path], wanted: Callable[[Path], bool]) -> None:
        self.changes = changes
        self.wanted = wanted

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Opening or reading a file (inotify reports both) changes nothing.
        if event.event_type not in ("created", "modified", "deleted", "moved"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder "changes" whenever a file in it does: the file's own event says which
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                path = Path(raw if isinstance(raw, str) else raw.decode())
                if self.wanted(path):
                    self.changes.put(path)


def relevant(path: Path) -> bool:
    """Whether a change to ``path`` can change the site (not a cache, compiled file or editor's scratch file)."""
    return not (IGNORED_PARTS & set(path.parts) or path.name.endswith(IGNORED_SUFFIXES)
                or path.name.startswith(".#"))


class Watcher:
    """Watches folders (recursively) and single files with watchdog; ``next_change`` blocks until a change."""

    def __init__(self, root: Path, watched: Iterable[str]) -> None:
        self.root = Path(root)
        self.folders = [self.root / name for name in watched if (self.root / name).is_dir()]
        self.files = {self.root / name for name in watched if (self.root / name).is_file()}
        self.changes: queue.Queue[Path] = queue.Queue()
        self.observer = Observer()
        handler = _Changes(self.changes, self._wanted)
        for folder in self.folders:
            self.observer.schedule(handler, str(folder), recursive=True)
        for parent in {path.parent for path in self.files}:
            self.observer.schedule(handler, str(parent), recursive=False)

    def _wanted(self, path: Path) -> bool:
        inside = path in self.files or any(path.is_relative_to(folder) for folder in self.folders)
        return inside and relevant(path)

    def start(self) -> Watcher:
        self.observer.start()
        return self

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join()

    def next_change(self, timeout: float | None = None) -> set[Path]:
        """The paths changed in the next burst of changes (blocks until one comes; empty after ``timeout``)."""
        try:
            changed = {self.changes.get(timeout=timeout)}
        except queue.Empty:
            return set()
        while True:
            try:
                changed.add(self.changes.get(timeout=SETTLE_SECONDS))
            except queue.Empty:
                return changed


Rebuild = Callable[[Path, set[Path]], str]


def rebuild_and_swap(site: Path, rebuild: Rebuild, changed: set[Path], state: PreviewState, root: Path) -> bool:
    """Build beside ``site`` and, if the build passed, put it in the site's place; tell the pages either way."""
    site = Path(site)
    fresh = site.with_name(site.name + ".next")
    names = ", ".join(sorted(_shown(path, root) for path in changed))
    print(f"\npreview: {names} changed: rebuilding", flush=True)
    started = time.perf_counter()
    try:
        build_id = rebuild(fresh, changed)
    except Exception as problem:  # noqa: BLE001 - any failure of a rebuild is shown to the author, never fatal
        shutil.rmtree(fresh, ignore_errors=True)
        message = str(problem)
        print(f"preview: the rebuild FAILED, still serving the last good build:\n  {message}", flush=True)
        state.update(error=message)
        return False
    old = site.with_name(site.name + ".previous")
    shutil.rmtree(old, ignore_errors=True)
    site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    state.update(build_id=build_id)
    print(f"preview: rebuilt in {time.perf_counter() - started:.1f} s: open pages reload ({build_id})", flush=True)
    return True


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def live_preview(site: Path, build_id: str, rebuild: Rebuild, *, root: Path, watched: Iterable[str],
                 templates: Path, host: str = "127.0.0.1", port: int = 8000, prefix: str = "/") -> None:
    """Serve ``site`` (built as ``build_id``) and rebuild it on every change until Ctrl-C."""
    state = PreviewState(build_id)
    server = PreviewServer(site, templates, state, host=host, port=port, prefix=prefix, verbose=False)
    try:
        server.start()
    except OSError as error:
        raise SystemExit(f"serve: cannot listen on {host}:{port}: {error}") from error
    watcher = Watcher(root, watched).start()
    shown = ", ".join(sorted(_shown(path, root) for path in [*watcher.folders, *watcher.files]))
    print(f"Serving {site} at {server.url} with live preview: watching {shown} (press Ctrl-C to stop)", flush=True)
    try:
        while True:
            changed = watcher.next_change()
            rebuild_and_swap(site, rebuild, changed, state, root)
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        watcher.stop()
        server.stop()
