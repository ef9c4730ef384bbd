"""The bare baseline pages the benchmark compares the calculator with, generated from the site's own Pyodide files.

``write_baseline(site, folder)`` copies ``site/pyodide`` and ``site/engine`` into ``folder`` and writes:

- ``main.html`` + ``main.js``: ``loadPyodide({indexURL, lockFileURL, packages})`` in the main thread, one
  ``engine.evaluate_json`` call, then ``<html data-engine="ready">``;
- ``worker.html`` + ``worker-page.js`` + ``bare-worker.js``: the same inside a module Web Worker;
- ``sw.js``: a tiny cache-first service worker that stores every file of the folder. The pages register it
  only *after* they are ready, so the cold figure stays a bare boot; it makes an offline figure possible.

No inline scripts anywhere (the folder is served on its own origin, but the pages stay CSP-clean anyway).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PATHWAY = "b12-maintenance"
PACKAGE = "guideline-engine"

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
  const pyodide = await loadPyodide({
    indexURL: base + "pyodide/",
    lockFileURL: base + "engine/engine-lock.json",
    packages: [%(package)s],
  });
  const engine = pyodide.pyimport("engine");
  return String(engine.evaluate_json(%(pathway)s, "{}"));
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


def write_baseline(site: Path, folder: Path) -> dict[str, str]:
    """Write the baseline folder; returns {"main": path, "worker": path} of the two pages (relative URLs)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for part in ("pyodide", "engine"):
        shutil.copytree(site / part, folder / part)
    names = {"pathway": json.dumps(PATHWAY), "package": json.dumps(PACKAGE)}
    files = {
        "main.html": PAGE.format(title="Bare main-thread Pyodide", script="main.js"),
        "main.js": MAIN_JS % names,
        "worker.html": PAGE.format(title="Bare module-worker Pyodide", script="worker-page.js"),
        "worker-page.js": WORKER_PAGE_JS,
        "bare-worker.js": WORKER_JS % names,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    stored = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    (folder / "sw.js").write_text(SW_JS % {"files": json.dumps(stored)}, encoding="utf-8")
    return {"main": "main.html", "worker": "worker.html"}
