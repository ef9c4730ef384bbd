"""A slow network link for the benchmark's first visits: the site served through a shared, paced link.

``ThrottledSiteServer(root, bits_per_second=1.6e6, latency_ms=150)`` serves like ``SiteServer`` (same files,
types, gzip), but every response waits ``latency_ms`` before its first byte and all responses share one link of
``bits_per_second``: bytes leave in 16 kB slices, each booked on the link after the one before it, so six
parallel downloads take as long together as one download of their sum would.

Why on the server and not with DevTools' network emulation: that throttles the requests of the page it is
attached to, but a first visit's biggest downloads are the service worker's (the offline store) and the engine
worker's, which are other targets. Throttled at the server, every request of every worker pays the same link.
It models bandwidth and round-trip time only: no loss, no TCP slow start, no upload limit.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from sitebuild.server import SiteServer, _SiteRequestHandler

SLICE_BYTES = 16 * 1024


class Link:
    """One shared link: books slices of bytes in order, and says when each has been sent."""

    def __init__(self, bits_per_second: float, latency_ms: float) -> None:
        if bits_per_second <= 0 or latency_ms < 0:
            raise ValueError(f"a link needs a positive speed and a latency >= 0, not {bits_per_second}, {latency_ms}")
        self.bytes_per_second = bits_per_second / 8
        self.latency_s = latency_ms / 1000
        self._lock = threading.Lock()
        self._free_at = 0.0

    def book(self, size: int) -> float:
        """The monotonic time at which ``size`` bytes, queued behind everything booked before, have been sent."""
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size / self.bytes_per_second
            return self._free_at


class _PacedWriter:
    """The handler's output, sent slice by slice at the link's pace."""

    def __init__(self, raw: Any, link: Link) -> None:
        self._raw = raw
        self._link = link

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        for offset in range(0, len(view), SLICE_BYTES):
            piece = view[offset : offset + SLICE_BYTES]
            delay = self._link.book(len(piece)) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._raw.write(piece)
        return len(data)

    def flush(self) -> None:
        self._raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _ThrottledHandler(_SiteRequestHandler):
    link: ClassVar[Link]

    def setup(self) -> None:
        super().setup()
        self.wfile = _PacedWriter(self.wfile, self.link)

    def handle_one_request(self) -> None:
        # The round trip: the request's way there and the first byte's way back.
        time.sleep(self.link.latency_s)
        super().handle_one_request()


class ThrottledSiteServer(SiteServer):
    """A ``SiteServer`` behind its own ``Link``; ``link`` says its speed and latency."""

    def __init__(self, root: Any, bits_per_second: float, latency_ms: float, **options: Any) -> None:
        super().__init__(root, **options)
        self.link = Link(bits_per_second, latency_ms)
        # A handler class of this server's own, so two servers never share a link.
        self.handler = type("ThrottledHandler", (_ThrottledHandler,), {"link": self.link})
