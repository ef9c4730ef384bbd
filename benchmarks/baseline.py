"""The bare baseline pages the benchmark compares the calculator with: stock Pyodide as npm publishes it.

``write_baseline(node_pyodide, folder)`` copies npm's Pyodide core (``pyodide.mjs``, ``pyodide.asm.*``, its full
``python_stdlib.zip`` of sources and its ``pyodide-lock.json``) unchanged into ``folder/pyodide`` and writes:

- ``main.html`` + ``main.js``: ``loadPyodide({indexURL})`` in the main thread, ``import json`` and one
  ``json.dumps`` call, then ``<html data-engine="ready">``;
- ``worker.html`` + ``worker-page.js`` + ``bare-worker.js``: the same inside a module Web Worker;
- ``sw.js``: a tiny cache-first service worker that stores every file of the folder. The pages register it
  only *after* they are ready, so the cold figure stays a bare boot; it makes an offline figure possible.

No inline scripts anywhere (the folder is served on its own origin, but the pages stay CSP-clean anyway).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# Stock Pyodide's core, unchanged: the runtime a site without a compile step would ship.
STOCK_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

PAGE = """<!doctype html>
<html lang="en" data-engine="loading">
<head><meta charset="utf-8"><title>{title}</title><script type="module" src="{script}"></script></head>
<body><h1>{title}</h1><p id="out">loading</p></body>
</html>
"""

# Shared by both pages: mark the document ready, then (only then) store the folder for offline use.
FINISH = """
function finish(text) {
  document.getElementById("out").textContent = text.slice(0, 80);
  document.documentElement.dataset.result = text;
  document.documentElement.dataset.engine = "ready";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then(() => { document.documentElement.dataset.sw = "ready"; })
      .catch(() => { document.documentElement.dataset.sw = "unsupported"; });
  }
}
"""

BOOT = """
async function boot(base) {
  const { loadPyodide } = await import(base + "pyodide/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: base + "pyodide/" });
  // In Python: Pyodide 314 hands a JavaScript array to Python as a JsProxy, which json cannot encode.
  return String(pyodide.runPython('import json; json.dumps(["stock", "pyodide"])'));
}
"""

MAIN_JS = (
    BOOT
    + FINISH
    + """
finish(await boot(new URL("./", location.href).href));
"""
)

WORKER_PAGE_JS = (
    FINISH
    + """
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => finish(event.data));
worker.postMessage(new URL("./", location.href).href);
"""
)

WORKER_JS = (
    BOOT
    + """
self.addEventListener("message", async (event) => self.postMessage(await boot(event.data)));
"""
)

SW_JS = """const FILES = %(files)s;
const CACHE = "baseline";
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  event.respondWith(caches.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request)));
});
"""


def write_baseline(node_pyodide: Path, folder: Path) -> dict[str, str]:
    """Write the baseline folder; returns {"main": path, "worker": path} of the two pages (relative URLs)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "pyodide").mkdir(parents=True)
    for name in STOCK_FILES:
        shutil.copy2(Path(node_pyodide) / name, folder / "pyodide" / name)
    files = {
        "main.html": PAGE.format(title="Bare main-thread Pyodide", script="main.js"),
        "main.js": MAIN_JS,
        "worker.html": PAGE.format(title="Bare module-worker Pyodide", script="worker-page.js"),
        "worker-page.js": WORKER_PAGE_JS,
        "bare-worker.js": WORKER_JS,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    stored = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    (folder / "sw.js").write_text(SW_JS % {"files": json.dumps(stored)}, encoding="utf-8")
    return {"main": "main.html", "worker": "worker.html"}
