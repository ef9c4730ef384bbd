"""`python build.py serve` run as an author runs it, in a copy of the repository: for the live preview's test and
the bench's save-to-reload time."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PREFIX = "/preview/"


class PreviewFailed(AssertionError):
    """`build.py serve` stopped, or never said what was waited for."""


class Preview:
    """`python build.py serve` running in a copy of the repository, its output kept line by line."""

    def __init__(self, repository: Path, prefix: str = PREFIX) -> None:
        self.repository = repository
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}{prefix}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-u", "build.py", "serve", "--port", str(self.port), "--prefix", prefix],
            cwd=repository, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or ():
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool], since: int = 0, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines[since:]:
                if wanted(line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise PreviewFailed("`build.py serve` never said it; it said:\n" + "\n".join(self.lines[-40:]))

    def edit(self, name: str, change: Callable[[str], str]) -> int:
        """Save a changed file as an editor does; returns where the output after the save starts."""
        since = len(self.lines)
        path = self.repository / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return since

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
