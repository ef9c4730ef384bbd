"""The benchmark behind ``make bench``: builds the site, serves it on loopback, drives Debian Chromium.

Writes ``benchmarks/results.json`` (every sample) and ``benchmarks/results.md`` (the table). Every figure is
the median of ``--runs`` runs (default 5) with min-max, and every comparison is a ratio of medians measured
in the same run against a baseline the benchmark generates itself: bare Pyodide pages built from the same
runtime files (``benchmarks/baseline.py``), and the same docs built by plain mkdocs-material.

This is a measurement, not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from benchmarks.baseline import write_baseline  # noqa: E402
from benchmarks.other_browsers import measure_engine_start  # noqa: E402
from benchmarks.throttled_link import ThrottledSiteServer  # noqa: E402
from sitebuild.server import SiteServer  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

HERE = Path(__file__).resolve().parent
PATHWAY_ID = "b12-maintenance"
CALCULATOR = f"calculator/{PATHWAY_ID}/"
TEXT_PAGES = ["maintenance/", "monitoring/", "cautions/"]
DESKTOP = {"width": 1280, "height": 900}
LIGHTHOUSE_PAGES = {"home": "", "guideline page": TEXT_PAGES[0], "calculator": CALCULATOR}
TIMEOUT_MS = 90_000
# The source patient of the guideline: a complete, valid input, so the result is "ok"; the benchmark then
# alternates the serum B12 between two values that give different answers.
PATIENT = {"age_16_or_over": True, "pregnant_or_breastfeeding": False, "loading_response": "improved",
           "neurological_symptoms": False, "cause": "unknown", "current_regimen": "injections",
           "current_interval_months": "3", "symptoms_recur_before_next_dose": False,
           "last_injection_date": "2025-01-31", "assessment_date": "2025-03-01", "serum_b12_unit": "ng/L"}
SERUM_VALUES = ["453", "120"]

# Injected by Playwright before any page script (not subject to the page's Content-Security-Policy):
# records when <html data-engine> turns "ready", paint and long-task entries, and the last click time.
INIT_SCRIPT = """
(() => {
  window.__benchInit = true;
  window.__perf = { fcp: null, long: [] };
  // The first answer of the calculator on screen: the answer table's (provisional) or the engine's.
  new MutationObserver(() => {
    const result = document.getElementById("result");
    const state = result && result.dataset.state;
    if (window.__firstAnswer === undefined && (state === "provisional" || state === "ok")) {
      window.__firstAnswer = { at: performance.now(), state };
    }
    // "Available offline": the site's service worker has stored every file of the build.
    const offline = document.getElementById("offline-status");
    if (window.__offlineAt === undefined && offline && offline.dataset.state === "ready") {
      window.__offlineAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-state"] });
  const readyCheck = () => {
    const root = document.documentElement;
    if (window.__readyAt === undefined && root && root.dataset.engine === "ready") {
      window.__readyAt = performance.now();
    }
  };
  new MutationObserver(readyCheck).observe(document, { attributes: true, subtree: true,
                                                       attributeFilter: ["data-engine"] });
  // The engine worker's own state (engine-client.js): when it was started and when it was ready, on any page.
  new MutationObserver(() => {
    const state = document.documentElement && document.documentElement.dataset.engineWorker;
    if (state === "loading" && window.__engineStartAt === undefined) window.__engineStartAt = performance.now();
    if (state === "ready" && window.__engineWorkerReadyAt === undefined) {
      window.__engineWorkerReadyAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-engine-worker"] });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.name === "first-contentful-paint") window.__perf.fcp = entry.startTime;
      }
    }).observe({ type: "paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__perf.long.push([entry.startTime, entry.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (problem) { window.__perf.error = String(problem); }
  addEventListener("click", () => {
    window.__readyAt = undefined; // instant navigation keeps this document: time the calculator shown next
    try { sessionStorage.setItem("__benchClick", String(performance.timeOrigin + performance.now())); } catch {}
  }, true);
})();
"""

READY = "() => window.__readyAt !== undefined || document.documentElement.dataset.engine === 'failed'"

# Runs in the page: change the serum B12 `count` times; each time, from the input event to the moment
# #result says "ok" with a new data-result (DOM already rendered, see calculator.js show()), and to the
# next animation frame after it (the frame that paints it).
LATENCY_LOOP = """
async ({ count, values }) => {
  const input = document.querySelector("#field-serum_b12");
  const result = document.querySelector("#result");
  const dom = [], frame = [];
  for (let i = 0; i < count; i++) {
    const before = result.getAttribute("data-result");
    let start = 0;
    const done = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (result.dataset.state === "ok" && result.getAttribute("data-result") !== before) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(result, { attributes: true, attributeFilter: ["data-state", "data-result"] });
    });
    input.value = values[(i + 1) % values.length];
    start = performance.now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const shown = await done;
    const painted = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    dom.push(shown - start);
    frame.push(painted - start);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { dom, frame };
}
"""


# ---------------------------------------------------------------- statistics


def summary(samples: list[float], digits: int = 1) -> dict[str, Any]:
    """Median with min-max (and the samples) of one figure."""
    if not samples:
        return {"median": None, "min": None, "max": None, "n": 0, "samples": []}
    return {
        "median": round(statistics.median(samples), digits),
        "min": round(min(samples), digits),
        "max": round(max(samples), digits),
        "n": len(samples),
        "samples": [round(value, digits) for value in samples],
    }


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ratio(numerator: dict[str, Any], denominator: dict[str, Any]) -> float | None:
    if not numerator.get("median") or not denominator.get("median"):
        return None
    return round(numerator["median"] / denominator["median"], 2)


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


# ---------------------------------------------------------------- builds and sizes


def free_port() -> int:
    """A loopback port free now, so the site can be built for the address it will be served from."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def plain_mkdocs_config(work: Path) -> Path:
    """A plain mkdocs-material project of the same docs: same theme settings, none of our additions.

    No hooks (citations stay raw), no custom_dir overrides, no extra CSS, no service worker or CSP, no
    generated pages (mkdocs builds its own nav from docs/), not strict (links to generated pages dangle).
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "extra_css", "nav", "validation", "strict"):
        config.pop(key, None)
    # Our own Markdown extensions (evidence boxes from the engine) are additions too.
    config["markdown_extensions"] = [
        extension for extension in config.get("markdown_extensions", [])
        if not str(next(iter(extension)) if isinstance(extension, dict) else extension).startswith("sitebuild")
    ]
    config["theme"].pop("custom_dir", None)
    config["theme"]["font"] = False
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    shutil.copytree(ROOT / "docs", work / "docs", dirs_exist_ok=True)
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def measure_builds(work: Path, runs: int, site_url: str) -> dict[str, Any]:
    """Time `python build.py` and plain `mkdocs build` alternately (same machine state); keep the last outputs.

    The site is built as a deploy would be, with --site-url set to the address the bench serves it from
    (a filled sitemap.xml, which instant navigation needs on a first visit).
    """
    python = sys.executable
    plain_root = work / "plain-project"
    plain_root.mkdir(parents=True, exist_ok=True)
    plain_mkdocs_config(plain_root)
    ours, plain = [], []
    for run in range(runs):
        ours.append(timed([python, "build.py", "--site", str(work / "site"), "--site-url", site_url], ROOT))
        plain.append(timed([python, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml"], plain_root))
        log(f"build run {run + 1}/{runs}: build.py {ours[-1]:.2f} s, plain mkdocs {plain[-1]:.2f} s")
    result = {"build_py_s": summary(ours, 2), "plain_mkdocs_s": summary(plain, 2)}
    result["ratio"] = ratio(result["build_py_s"], result["plain_mkdocs_s"])
    return result


def measure_save_to_reload(browser: Browser, work: Path, runs: int) -> dict[str, Any]:
    """Live preview: from saving a docs page to the open page showing the saved text, reloaded.

    `python build.py serve` runs in a copy of the repository, as an author runs it; each run appends a new
    line to docs/maintenance.md and waits for the page open in Chromium to show it. The rebuild's own time is
    what the preview prints ("rebuilt in ..."); the rest is noticing the save, the swap and the reload.
    """
    from tests.conftest import copy_repository
    from tests.live_preview import Preview

    preview = Preview(copy_repository(work / "preview-repository"))
    context = browser.new_context()
    try:
        preview.wait_for(lambda line: line.startswith("Serving "), seconds=600)
        page = context.new_page()
        page.goto(preview.url + "maintenance/")
        save_to_reload, rebuild = [], []
        for run in range(runs):
            marker = f"Benchmark edit {run}."
            started = time.perf_counter()
            since = preview.edit("docs/maintenance.md", lambda text, marker=marker: f"{text}\n\n{marker}\n")
            # During the reload there is a moment with no body: ask again then.
            page.wait_for_function("marker => document.body?.innerText.includes(marker)", arg=marker,
                                   timeout=TIMEOUT_MS)
            save_to_reload.append((time.perf_counter() - started) * 1000)
            said = preview.wait_for(lambda line: line.startswith("preview: rebuilt in"), since)
            rebuild.append(float(said.split("rebuilt in ")[1].split(" s")[0]) * 1000)
            log(f"save to reload run {run + 1}/{runs}: {save_to_reload[-1]:.0f} ms (rebuild {rebuild[-1]:.0f} ms)")
    finally:
        context.close()
        preview.stop()
    result = {"save_to_reload_ms": summary(save_to_reload, 0), "rebuild_ms": summary(rebuild, 0)}
    result["rebuild_share"] = ratio(result["rebuild_ms"], result["save_to_reload_ms"])
    return result


def folder_bytes(folder: Path, predicate: Callable[[Path], bool] = lambda path: True) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and predicate(path))


STOCK_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")


def measure_sizes(site: Path, plain_site: Path) -> dict[str, Any]:
    manifest = json.loads((site / "precache-manifest.json").read_text(encoding="utf-8"))
    wheels = list((site / "engine").glob("*.whl"))
    answers = sorted((site / "assets" / "answers").glob("*.json"))

    def under(*parts: str) -> Callable[[Path], bool]:
        return lambda path: any(path.relative_to(site).as_posix().startswith(part) for part in parts)

    def is_page(path: Path) -> bool:
        name = path.relative_to(site).as_posix()
        return name.endswith(".html") or name.startswith("search/") or name.startswith("sitemap.xml")

    categories = {
        "runtime (pyodide/)": folder_bytes(site, under("pyodide/")),
        "engine (engine/: wheel + lock)": folder_bytes(site, under("engine/")),
        "theme (mkdocs-material js/css/images)": folder_bytes(
            site, under("assets/javascripts/", "assets/stylesheets/", "assets/images/")),
        "ours (assets/calculator, assets/site, assets/answers)": folder_bytes(
            site, under("assets/calculator/", "assets/site/", "assets/answers/")),
        "pages (html + search index + sitemap)": folder_bytes(site, is_page),
    }
    total = folder_bytes(site)
    categories["other (sw.js, manifests, icons, ...)"] = total - sum(categories.values())
    pyodide_core = folder_bytes(site, under("pyodide/"))
    stock = ROOT / "node_modules" / "pyodide"
    stock_core = sum((stock / name).stat().st_size for name in STOCK_CORE)
    precached = [site / url for url in manifest.get("files", {})]
    return {
        "site_total_bytes": total,
        "precache_total_bytes": manifest.get("total_bytes"),
        "precache_files": len(manifest.get("files", {})),
        "pyodide_core_bytes": pyodide_core,
        "precache_minus_pyodide_bytes": (manifest.get("total_bytes") or 0) - pyodide_core,
        # Stock Pyodide's core as npm publishes it (its python_stdlib.zip of sources): the reference.
        "stock_pyodide_core_bytes": stock_core,
        "precache_minus_stock_core_bytes": (manifest.get("total_bytes") or 0) - stock_core,
        # As transferred by a host that compresses its responses (gzip -6, what most static hosts send).
        "precache_gzip_bytes": sum(len(gzip.compress(path.read_bytes(), 6)) for path in precached),
        "stock_pyodide_core_gzip_bytes": sum(len(gzip.compress((stock / name).read_bytes(), 6)) for name in STOCK_CORE),
        "compiled_stdlib_bytes": (site / "pyodide" / "python_stdlib.compiled.zip").stat().st_size,
        "stock_stdlib_bytes": (stock / "python_stdlib.zip").stat().st_size,
        "engine_wheel_bytes": sum(path.stat().st_size for path in wheels),
        "categories_bytes": categories,
        "plain_mkdocs_site_bytes": folder_bytes(plain_site),
        # Every pathway's answer table, raw and as a server's gzip sends it (the page fetches them).
        "answer_tables_bytes": sum(path.stat().st_size for path in answers),
        "answer_tables_gzip_bytes": sum(len(gzip.compress(path.read_bytes(), 9)) for path in answers),
    }


# ---------------------------------------------------------------- browser helpers


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(viewport=DESKTOP, **options)
    context.add_init_script(INIT_SCRIPT)
    return context


def ready_ms(page: Page, timeout_ms: float = TIMEOUT_MS) -> float:
    """Navigation start → <html data-engine="ready"> of the page's current document, in ms."""
    try:
        page.wait_for_function(READY, timeout=timeout_ms)
    except PlaywrightTimeoutError as timeout:
        seen = page.evaluate("""() => ({ engine: document.documentElement.dataset.engine,
          worker: document.documentElement.dataset.engineWorker,
          status: document.querySelector("#engine-status")?.innerText || null })""")
        waited = f"{timeout_ms / 1000:.0f} s"
        raise RuntimeError(f"the engine was not ready after {waited} on {page.url}: {seen}") from timeout
    state = page.evaluate("() => document.documentElement.dataset.engine")
    if state != "ready":
        raise RuntimeError(f"engine {state} on {page.url}")
    return page.evaluate("() => window.__readyAt")


def wait_offline_ready(page: Page, kind: str) -> None:
    """Wait until the page's service worker has stored everything (site: #offline-status ready)."""
    if kind == "site":
        page.locator('#offline-status[data-state="ready"]').wait_for(state="attached", timeout=TIMEOUT_MS)
    else:
        page.wait_for_function("() => document.documentElement.dataset.sw === 'ready'", timeout=TIMEOUT_MS)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


# Column order of the ready table; "offline_again" is the visit after the offline one.
MODES = ("cold", "warm", "offline", "offline_again", "cold_no_sw")


def measure_ready(browser: Browser, targets: dict[str, tuple[SiteServer, str]], runs: int) -> dict[str, Any]:
    """Calculator and baselines: cold, warm (HTTP cache, service workers blocked), offline (server stopped).

    Per run and page kind: context A (service workers allowed) gives cold, then, once everything is
    stored, offline (server stopped, reload); context B (service workers blocked) gives a cold load
    without service worker and warm (reload, HTTP cache revalidated against the running server).
    The page kinds take turns within each run, so drift of the machine hits them alike.
    """
    samples: dict[str, dict[str, list[float]]] = {kind: {} for kind in targets}
    for run in range(runs):
        for kind, (server, path) in targets.items():
            url = server.url + path
            context = new_context(browser)
            try:
                page = context.new_page()
                page.goto(url)
                samples[kind].setdefault("cold", []).append(ready_ms(page))
                if run == 0:
                    samples[kind]["init_script_ran"] = [bool(page.evaluate("() => window.__benchInit === true"))]
                wait_offline_ready(page, kind)
                server.stop()
                try:
                    page.reload()
                    samples[kind].setdefault("offline", []).append(ready_ms(page))
                    # Once more: the visit of a clinician who has used it before (Chromium's code cache warm).
                    page.reload()
                    samples[kind].setdefault("offline_again", []).append(ready_ms(page))
                finally:
                    server.start()
            finally:
                context.close()
            context = new_context(browser, service_workers="block")
            try:
                page = context.new_page()
                page.goto(url)
                samples[kind].setdefault("cold_no_sw", []).append(ready_ms(page))
                page.reload()
                samples[kind].setdefault("warm", []).append(ready_ms(page))
            finally:
                context.close()
        log("ready run {}/{}: {}".format(run + 1, runs, ", ".join(
            f"{kind} cold {values['cold'][-1]:.0f} warm {values['warm'][-1]:.0f} offline {values['offline'][-1]:.0f} ms"
            for kind, values in samples.items())))
    result: dict[str, Any] = {}
    for kind, figures in samples.items():
        result[kind] = {name: summary(values) for name, values in figures.items() if name != "init_script_ran"}
        result[kind]["init_script_ran"] = figures.get("init_script_ran", [False])[0]
    result["ratios"] = {
        f"{mode}: ready / bare-{base}": ratio(result["site"][mode], result[f"bare_{base}"][mode])
        for mode in MODES
        for base in ("main", "worker")
    }
    return result


# The patient in the address's fragment, as a calculator's "Next" link carries answers (never sent to a
# server): the form has them the moment the calculator mounts, so the first answer is not typing speed.
CARRY = "#carry=" + quote(json.dumps({**PATIENT, "serum_b12": SERUM_VALUES[0]}))


def set_patient(page: Page) -> None:
    """Every answer of PATIENT through the form's own controls (radio, select, text), then the result."""
    # The value before its unit: the unit is asked only once there is a value.
    for key, value in {"serum_b12": SERUM_VALUES[0], **PATIENT}.items():
        control = page.locator(f'form#calculator [name="{key}"]').first
        kind = control.evaluate("c => c.tagName === 'SELECT' ? 'select' : c.type")
        if kind == "radio":
            page.check(f'form#calculator [name="{key}"][value="{json.dumps(value)}"]')
        elif kind == "select":
            control.select_option(value)
        else:
            control.fill(str(value))
    page.dispatch_event("form#calculator", "input")
    page.wait_for_function("() => document.querySelector('#result').dataset.state === 'ok'", timeout=10_000)


def first_answer(page: Page, timeout_ms: float = TIMEOUT_MS) -> tuple[float, str, float]:
    """(navigation start → the first answer on screen, its state, → DOMContentLoaded) of the page's load, in ms."""
    page.wait_for_function("() => window.__firstAnswer !== undefined", timeout=timeout_ms)
    answer = page.evaluate("() => window.__firstAnswer")
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    return answer["at"], answer["state"], loaded


def measure_first_answer(browser: Browser, server: SiteServer, runs: int) -> dict[str, Any]:
    """A cold visit (new context, no service worker) with the patient in the address: navigation start → the
    first answer on screen (#result provisional or ok), → DOMContentLoaded (about when a pure-JavaScript
    calculator would show its first result), → the engine ready; all in the same page load."""
    first, loaded, ready, states = [], [], [], []
    for run in range(runs):
        context = new_context(browser, service_workers="block")
        try:
            page = context.new_page()
            page.goto(server.url + CALCULATOR + CARRY)
            ready.append(ready_ms(page))
            at, state, dom_loaded = first_answer(page)
            first.append(at)
            states.append(state)
            loaded.append(dom_loaded)
        finally:
            context.close()
        log(f"first answer run {run + 1}/{runs}: {first[-1]:.0f} ms ({states[-1]}), ready {ready[-1]:.0f} ms")
    result = {"first_answer_ms": summary(first), "dom_content_loaded_ms": summary(loaded),
              "ready_ms": summary(ready), "first_states": states}
    result["first / ready"] = round(statistics.median(f / r for f, r in zip(first, ready, strict=True)), 3)
    result["first / DOMContentLoaded"] = round(statistics.median(f / d for f, d in zip(first, loaded, strict=True)), 2)
    return result


# The links of a first visit: a good mobile or home connection, and DevTools' "Fast 3G" (1.6 Mbit/s, 150 ms).
LINKS = {"10 Mbit/s, 40 ms": (10e6, 40), "1.6 Mbit/s, 150 ms": (1.6e6, 150)}
SLOW_LINK_TIMEOUT_MS = 600_000


def measure_first_visit_on_links(browser: Browser, ours: SiteServer, runs: int) -> dict[str, Any]:
    """A first visit over each of LINKS (service worker allowed, new context), the patient in the address:
    navigation start → DOMContentLoaded, the first answer on screen, the engine ready, and "Available offline"
    (#offline-status ready: every file of the build stored). The site is served through a throttled link on
    the same port (``throttled_link.py``), so every request, the service worker's and the engine worker's
    included, shares it. Fewer runs on the slow link: each takes most of a minute."""
    result: dict[str, Any] = {}
    ours.stop()
    try:
        for name, (bits_per_second, latency_ms) in LINKS.items():
            server = ThrottledSiteServer(ours.root, bits_per_second, latency_ms, port=ours.port).start()
            loaded, first, ready, offline, states = [], [], [], [], []
            try:
                for run in range(runs if bits_per_second >= 5e6 else min(runs, 3)):
                    context = new_context(browser)
                    try:
                        page = context.new_page()
                        page.goto(server.url + CALCULATOR + CARRY, wait_until="domcontentloaded",
                                  timeout=SLOW_LINK_TIMEOUT_MS)
                        ready.append(ready_ms(page, SLOW_LINK_TIMEOUT_MS))
                        page.wait_for_function("() => window.__offlineAt !== undefined",
                                               timeout=SLOW_LINK_TIMEOUT_MS)
                        offline.append(page.evaluate("() => window.__offlineAt"))
                        at, state, dom_loaded = first_answer(page)
                        first.append(at)
                        states.append(state)
                        loaded.append(dom_loaded)
                    finally:
                        context.close()
                    log(f"first visit on {name}, run {run + 1}: DOMContentLoaded {loaded[-1]:.0f} ms, first answer "
                        f"{first[-1]:.0f} ms ({states[-1]}), ready {ready[-1]:.0f} ms, offline {offline[-1]:.0f} ms")
            finally:
                server.stop()
            entry: dict[str, Any] = {
                "dom_content_loaded_ms": summary(loaded), "first_answer_ms": summary(first),
                "ready_ms": summary(ready), "available_offline_ms": summary(offline), "first_states": states,
            }
            entry["first / DOMContentLoaded"] = round(
                statistics.median(f / d for f, d in zip(first, loaded, strict=True)), 2)
            result[name] = entry
    finally:
        ours.start()
    return result


def measure_latency(browser: Browser, server: SiteServer, runs: int, changes: int) -> dict[str, Any]:
    """Input event → #result ok with the new answer rendered, in the page; `runs` batches of `changes`."""
    context = new_context(browser)
    batches: list[dict[str, list[float]]] = []
    try:
        page = context.new_page()
        page.goto(server.url + CALCULATOR)
        ready_ms(page)
        set_patient(page)
        for run in range(runs):
            batch = page.evaluate(LATENCY_LOOP, {"count": changes, "values": SERUM_VALUES})
            batches.append(batch)
            log(f"latency batch {run + 1}/{runs}: p50 {percentile(batch['dom'], 0.5):.1f} ms, "
                f"p95 {percentile(batch['dom'], 0.95):.1f} ms")
    finally:
        context.close()
    delay = re.search(r"EVALUATION_DELAY_MS = (\d+)", (ROOT / "site_templates/assets/calculator.js").read_text())
    result: dict[str, Any] = {"changes_per_batch": changes, "batches": runs,
                              "evaluation_delay_ms": int(delay.group(1)) if delay else None}
    for key in ("dom", "frame"):
        result[f"{key}_p50_ms"] = summary([percentile(batch[key], 0.5) for batch in batches])
        result[f"{key}_p95_ms"] = summary([percentile(batch[key], 0.95) for batch in batches])
        pooled = [value for batch in batches for value in batch[key]]
        result[f"{key}_pooled"] = {"p50": round(percentile(pooled, 0.5), 1), "p95": round(percentile(pooled, 0.95), 1),
                                   "max": round(max(pooled), 1), "n": len(pooled)}
    return result


def page_paint(page: Page, settle_ms: int, engine_in_background: bool = False) -> tuple[float, float, float | None]:
    """FCP, TBT (sum of long-task time beyond 50 ms, from FCP to load + settle) of the current page, and the
    blocking time of the long tasks that started while the engine started in the background (None if it did not).

    ``engine_in_background``: the page is expected to start the engine on its own (a returning visitor's
    guideline page, controlled by the service worker): the window runs on until the engine is ready + settle,
    so whatever its start costs the page's main thread is counted."""
    page.wait_for_load_state("load")
    if engine_in_background:
        page.wait_for_function("() => ['ready', 'failed'].includes(document.documentElement.dataset.engineWorker)",
                               timeout=TIMEOUT_MS)
        if page.evaluate("() => document.documentElement.dataset.engineWorker") != "ready":
            raise RuntimeError(f"the engine started in the background failed on {page.url}")
    page.wait_for_timeout(settle_ms)
    perf = page.evaluate("""() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { fcp: window.__perf.fcp, long: window.__perf.long, load: nav ? nav.loadEventEnd : null,
               now: performance.now(), error: window.__perf.error || null,
               engine: [window.__engineStartAt ?? null, window.__engineWorkerReadyAt ?? null] };
    }""")
    if perf["fcp"] is None:
        raise RuntimeError(f"no first-contentful-paint on {page.url}: {perf}")
    end = perf["now"] if engine_in_background else (perf["load"] or 0) + settle_ms
    tbt = sum(max(0.0, duration - 50) for start, duration in perf["long"] if perf["fcp"] <= start <= end)
    engine_start, engine_ready = perf["engine"]
    engine_tbt = None
    if engine_in_background and engine_start is not None and engine_ready is not None:
        engine_tbt = sum(max(0.0, duration - 50) for start, duration in perf["long"]
                         if engine_start <= start <= engine_ready)
    return perf["fcp"], tbt, engine_tbt


def stored_by_a_first_visit(browser: Browser, server: SiteServer) -> BrowserContext:
    """A new context after a first visit to the calculator: the site stored, the engine's snapshot saved."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(server.url + CALCULATOR)
    ready_ms(page)
    wait_offline_ready(page, "site")
    page.wait_for_timeout(2000)  # the snapshot is saved after "ready"
    page.close()
    return context


# Holds back the background start of a guideline page (engine-client.js starts it from requestIdleCallback), so the
# same returning visit can be measured with and without whatever the engine does there.
NO_BACKGROUND_ENGINE = "window.requestIdleCallback = () => 0;"
RETURNING_KINDS = ("ours", "ours, no background engine", "plain")


def measure_text_pages(browser: Browser, ours: SiteServer, plain: SiteServer, runs: int,
                       settle_ms: int) -> dict[str, Any]:
    """FCP and TBT of the text pages, ours against plain mkdocs-material.

    Cold: a new context per load. Returning: a context that has visited before (ours: the calculator, so the
    site and the engine's snapshot are stored and each guideline page starts the engine in the background;
    the same with that start held back; plain: the page itself, so its files are in the HTTP cache)."""
    fcp: dict[str, dict[str, list[float]]] = {"ours": {}, "plain": {}}
    tbt: dict[str, dict[str, list[float]]] = {"ours": {}, "plain": {}}
    returning: dict[str, dict[str, list[float]]] = {kind: {} for kind in RETURNING_KINDS}
    engine_window: dict[str, list[float]] = {}  # ours, returning: long tasks from the engine's start to its ready
    for _run in range(runs):
        for path in TEXT_PAGES:
            for kind, server in (("ours", ours), ("plain", plain)):
                context = new_context(browser)
                try:
                    page = context.new_page()
                    page.goto(server.url + path)
                    first, blocking, _ = page_paint(page, settle_ms)
                finally:
                    context.close()
                fcp[kind].setdefault(path, []).append(first)
                tbt[kind].setdefault(path, []).append(blocking)
        for kind in RETURNING_KINDS:
            if kind == "plain":
                context = new_context(browser)
                for path in TEXT_PAGES:
                    visit = context.new_page()
                    visit.goto(plain.url + path)
                    visit.close()
            else:
                context = stored_by_a_first_visit(browser, ours)
                if kind != "ours":
                    context.add_init_script(NO_BACKGROUND_ENGINE)
            try:
                for path in TEXT_PAGES:
                    page = context.new_page()
                    page.goto((plain if kind == "plain" else ours).url + path)
                    _, blocking, while_engine_starts = page_paint(page, settle_ms, engine_in_background=kind == "ours")
                    returning[kind].setdefault(path, []).append(blocking)
                    if while_engine_starts is not None:
                        engine_window.setdefault(path, []).append(while_engine_starts)
                    page.close()
            finally:
                context.close()
    result: dict[str, Any] = {}
    for path in TEXT_PAGES:
        entry = {
            "fcp_ours_ms": summary(fcp["ours"][path]),
            "fcp_plain_ms": summary(fcp["plain"][path]),
            "tbt_ours_ms": summary(tbt["ours"][path]),
            "tbt_plain_ms": summary(tbt["plain"][path]),
            "tbt_returning_ms": {kind: summary(returning[kind][path]) for kind in RETURNING_KINDS},
            "tbt_while_engine_starts_ms": summary(engine_window.get(path, [])),
        }
        entry["fcp_ratio"] = ratio(entry["fcp_ours_ms"], entry["fcp_plain_ms"])
        result[path] = entry
        log(f"text {path}: FCP ours {entry['fcp_ours_ms']['median']} ms, plain {entry['fcp_plain_ms']['median']} ms; "
            "TBT returning " + ", ".join(f"{kind} {entry['tbt_returning_ms'][kind]['median']} ms"
                                          for kind in RETURNING_KINDS))
    return result


def measure_ready_after_navigation(browser: Browser, server: SiteServer, runs: int) -> dict[str, Any]:
    """A guideline page, idle (network idle + 1 s), then the nav link to the calculator: click → ready.

    A first visit in a new context, as a reader arriving at the site; and a returning user's (the same context
    after a first visit to the calculator stored the site and the engine's snapshot, then the guideline page
    loaded again: the engine starts in the background there). Also records whether the click was an instant
    navigation (same document) and whether the offline store was complete by then.
    """
    after_click, stored_at_click, instant, returning = [], [], [], []

    def click_to_ready(page: Page) -> float:
        page.goto(server.url + TEXT_PAGES[0])
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        stored_at_click.append(page.get_attribute("#offline-status", "data-state") == "ready")
        origin = page.evaluate("() => performance.timeOrigin")
        page.locator(f'nav a.md-nav__link[href$="{CALCULATOR}"]').first.click()
        page.wait_for_url(f"**/{CALCULATOR}")
        ready_ms(page)
        instant.append(page.evaluate("() => performance.timeOrigin") == origin)
        return page.evaluate(
            "() => performance.timeOrigin + window.__readyAt - Number(sessionStorage.getItem('__benchClick'))")

    for _run in range(runs):
        context = new_context(browser)
        try:
            page = context.new_page()
            after_click.append(click_to_ready(page))
            wait_offline_ready(page, "site")
            page.wait_for_timeout(2000)  # the snapshot is saved after "ready"
            returning.append(click_to_ready(page))
        finally:
            context.close()
    return {"click_to_ready_ms": summary(after_click), "returning_click_to_ready_ms": summary(returning),
            "offline_store_complete_at_click": stored_at_click,
            "instant_navigation": instant}


def measure_lighthouse(server: SiteServer, runs: int, work: Path, plain: SiteServer) -> dict[str, Any]:
    """Lighthouse (mobile preset, its own headless Chromium) on the home page, a guideline page, the calculator,
    and, as the baseline, the same guideline page built by plain mkdocs-material (same server, same run)."""
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return {"skipped": f"{binary} is missing: run `npm ci` (with dev dependencies; `make bench` does)"}
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result: dict[str, Any] = {}
    pages = [(name, server, path) for name, path in LIGHTHOUSE_PAGES.items()]
    pages.append(("plain mkdocs-material, guideline page", plain, TEXT_PAGES[0]))
    for name, target, path in pages:
        scores: dict[str, list[float]] = {}
        metrics: dict[str, list[float]] = {}
        for run in range(runs):
            report = work / f"lighthouse-{run}.json"
            completed = subprocess.run(
                [str(binary), target.url + path, "--quiet", "--output=json", f"--output-path={report}",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                 "--disable-component-update --disable-sync --no-first-run",
                 "--only-categories=performance,accessibility,best-practices,seo"],
                env=environment, capture_output=True, text=True, timeout=300, check=False)
            if completed.returncode != 0 or not report.exists():
                raise RuntimeError(f"lighthouse failed on {path}: {completed.stderr[-800:]}")
            data = json.loads(report.read_text(encoding="utf-8"))
            if data.get("runtimeError"):
                raise RuntimeError(f"lighthouse on {path}: {data['runtimeError']}")
            for category, entry in data["categories"].items():
                scores.setdefault(category, []).append(entry["score"])
            for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
                metrics.setdefault(audit, []).append(data["audits"][audit]["numericValue"])
        result[name] = {"path": path, "scores": {key: summary(values, 2) for key, values in scores.items()},
                        "metrics_ms": {key: summary(values, 0) for key, values in metrics.items()}}
        shown = ", ".join(f"{key} {value['median']}" for key, value in result[name]["scores"].items())
        log(f"lighthouse {name}: {shown}")
    return result


def engine_start_in_browsers(browser: Browser, sites: dict[str, Path], runs: int) -> dict[str, Any]:
    """``other_browsers.measure_engine_start`` summarised: median and range per browser and site."""
    samples = measure_engine_start(lambda: browser, sites, CALCULATOR, runs, log=log)
    return {
        engine: {label: {"first_visit_ms": summary(row["first_visit"], 0),
                         "next_visit_ms": summary(row["next_visit"], 0), "next_start": row["next_start"]}
                 for label, row in by_site.items()}
        for engine, by_site in samples.items()
    }


# ---------------------------------------------------------------- report


def fmt(figure: dict[str, Any] | None, unit: str = "ms") -> str:
    if not figure or figure.get("median") is None:
        return "n/a"
    unit_text = f" {unit}" if unit else ""
    spec = ".0f" if unit == "ms" and figure["median"] >= 100 else "g"
    low, median, high = (format(figure[key], spec) for key in ("min", "median", "max"))
    return f"{median}{unit_text} ({low}\u2013{high})"


def kb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 1000:,.1f} kB"


def target_lines(results: dict[str, Any]) -> list[str]:
    """The compiled engine's targets (issue 18) as measured in this run: each a ratio or difference of medians."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(name: str, value: float | None, shown: str, target: str, met: bool | None) -> None:
        rows.append((name, "n/a" if value is None else shown, target, None if value is None else met))

    ready = results.get("ready")
    if ready:
        def stock(mode: str) -> dict[str, Any]:
            # The faster of the two stock pages (main thread, module worker): the stricter comparison.
            figures = [ready[kind][mode] for kind in ("bare_main", "bare_worker") if ready[kind][mode].get("median")]
            return min(figures, key=lambda figure: figure["median"]) if figures else {}

        returning = ratio(ready["site"]["offline_again"], stock("warm"))
        add("engine ready, returning user offline / stock Pyodide's warm boot", returning, f"{returning} \u00d7",
            "≤ 0.5 \u00d7", returning is not None and returning <= 0.5)
        cold = ratio(ready["site"]["cold"], stock("cold"))
        add("engine ready, cold visit / stock Pyodide's cold boot", cold, f"{cold} \u00d7", "≤ 0.7 \u00d7",
            cold is not None and cold <= 0.7)
    navigation = results.get("ready_after_navigation")
    if navigation:
        after = navigation.get("returning_click_to_ready_ms", {}).get("median")
        add("ready after navigation from a guideline page, returning user", after, f"{after} ms", "≤ 500 ms",
            after is not None and after <= 500)
    sizes = results.get("sizes")
    if sizes:
        extra = sizes["precache_minus_stock_core_bytes"]
        add("precache, raw", extra, f"stock core {extra / 1e6:+.2f} MB", "≤ stock core + 0.5 MB", extra <= 500_000)
        gzip_extra = sizes["precache_gzip_bytes"] - sizes["stock_pyodide_core_gzip_bytes"]
        add("precache, as transferred (gzip)", gzip_extra, f"stock core {gzip_extra / 1e6:+.2f} MB",
            "(not a target)", None)
    text = results.get("text_pages")
    if text:
        def worst(difference: Callable[[dict[str, Any]], float]) -> float:
            return max(difference(row) for row in text.values())

        def median(row: dict[str, Any], kind: str) -> float:
            return row["tbt_returning_ms"][kind]["median"]

        cold = worst(lambda row: row["tbt_ours_ms"]["median"] - row["tbt_plain_ms"]["median"])
        add("text pages' TBT \u2212 plain site's, first visit (worst page)", cold, f"{cold:+.0f} ms", "≤ +10 ms",
            cold <= 10)
        again = worst(lambda row: median(row, "ours") - median(row, "plain"))
        add("text pages' TBT \u2212 plain site's, returning visit with the engine starting in the background "
            "(worst page)", again, f"{again:+.0f} ms", "≤ +10 ms", again <= 10)
        engine_only = worst(lambda row: median(row, "ours") - median(row, "ours, no background engine"))
        add("of which the engine's background start (the same visit with it held back)", engine_only,
            f"{engine_only:+.0f} ms", "≤ +10 ms", engine_only <= 10)
        windows = [row["tbt_while_engine_starts_ms"].get("median") for row in text.values()]
        if all(value is not None for value in windows):
            engine_window = max(windows)
            add("blocking time of the long tasks that start while the engine starts in the background (its start "
                "to ready; worst page)", engine_window, f"{engine_window:.0f} ms", "≤ 10 ms", engine_window <= 10)
    lighthouse = results.get("lighthouse")
    if lighthouse and "skipped" not in lighthouse:
        ours = lighthouse["guideline page"]["metrics_ms"]["total-blocking-time"]["median"]
        plain = lighthouse["plain mkdocs-material, guideline page"]["metrics_ms"]["total-blocking-time"]["median"]
        add("guideline page's Lighthouse TBT (mobile, 4\u00d7 CPU) \u2212 plain site's", ours - plain,
            f"{ours - plain:+.0f} ms", "≤ +10 ms", ours - plain <= 10)
    links = results.get("first_visit_on_links")
    if links and "1.6 Mbit/s, 150 ms" in links:
        slow = links["1.6 Mbit/s, 150 ms"]["first / DOMContentLoaded"]
        add("first answer on 1.6 Mbit/s / DOMContentLoaded", slow, f"{slow} \u00d7", "≤ 1.2 \u00d7", slow <= 1.2)
    if not rows:
        return []
    mark = {True: "yes", False: "**no**", None: ""}
    return ["## Targets of the compiled engine (issue 18)", "", "| measure | this run | target | met |",
            "| --- | --- | --- | --- |",
            *(f"| {name} | {value} | {target} | {mark[met]} |" for name, value, target, met in rows),
            "", "Stock Pyodide: npm's Pyodide as published, booted by the bare pages of `benchmarks/baseline.py` "
            "(the faster of main thread and module worker). The sections below give every figure.", ""]


def write_markdown(results: dict[str, Any], path: Path) -> None:
    runs = results["runs"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `make bench` (`benchmarks/run.py --runs {runs}`) on {results['machine']['date']}, "
        f"{results['machine']['cpus']} CPUs, {results['machine']['chromium']}, "
        f"Pyodide {results['machine']['pyodide']}. "
        f"Every figure: median of {runs} runs (min\u2013max); every ratio: medians of the same run. "
        f"Whole benchmark: {results['bench_seconds']:.0f} s.",
        "",
    ]
    lines += target_lines(results)
    ready = results.get("ready")
    if ready:
        lines += [
            "## Calculator ready (navigation start → `data-engine=\"ready\"`)",
            "",
            "| page | cold | warm (HTTP cache) | offline (service worker, server stopped) | offline, next visit "
            "| cold, SW blocked |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        names = {"site": "calculator (ours, engine in a module worker)", "bare_main": "bare main-thread Pyodide",
                 "bare_worker": "bare module-worker Pyodide"}
        for kind, name in names.items():
            row = ready[kind]
            lines.append(f"| {name} | " + " | ".join(fmt(row.get(mode)) for mode in MODES) + " |")
        lines += ["", "| ratio | cold | warm | offline | offline, next visit | cold, no SW |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for base in ("main", "worker"):
            cells = [str(ready["ratios"][f"{mode}: ready / bare-{base}"]) for mode in MODES]
            lines.append(f"| ready / bare-{base} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "Cold: new browser context (empty caches); on the first visit the site's service worker also starts "
            "storing the site meanwhile, and the baselines register their own tiny cache-first service worker "
            "only after they are ready. Warm: reload in a context with service workers blocked (HTTP cache, "
            "revalidated: the server sends `no-cache`). Offline: the service worker has stored everything, the "
            "server is stopped, reload (the second visit); next visit: reload once more (the third, when "
            "Chromium's code cache has the runtime compiled on a visit before). The site is ready before its "
            "first evaluation; the baselines include one `evaluate_json` call. The timing init script (a "
            "MutationObserver on `data-engine`, injected by Playwright) ran on the calculator page despite its "
            "Content-Security-Policy: "
            f"{ready['site'].get('init_script_ran')}.",
            "",
        ]
    navigation = results.get("ready_after_navigation")
    if navigation:
        lines += [
            "## Ready after navigation",
            "",
            f"Guideline page `{TEXT_PAGES[0]}` opened in a new context, network idle + 1 s, click on the nav link to "
            f"the calculator → `data-engine=\"ready\"`: **{fmt(navigation['click_to_ready_ms'])}** "
            f"(offline store complete at the click: {navigation['offline_store_complete_at_click']}).",
            "",
            "A returning user (the same context after that visit stored the site and the engine's snapshot; the "
            "guideline page loaded again, the engine started in its background), click → ready: "
            f"**{fmt(navigation.get('returning_click_to_ready_ms'))}**.",
            "",
        ]
    links = results.get("first_visit_on_links")
    if links:
        lines += [
            "## A first visit over a slow link",
            "",
            "New context, service worker allowed, the patient in the address's fragment; the site served through "
            "a throttled link (`benchmarks/throttled_link.py`: one shared link of that speed for every request, the "
            "service worker's and the engine worker's included, and the latency before each response). From "
            "navigation start:",
            "",
            "| link | DOMContentLoaded | first answer | first / DOMContentLoaded | engine ready "
            "| \"Available offline\" | runs |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, row in links.items():
            lines.append(f"| {name} | {fmt(row['dom_content_loaded_ms'])} | {fmt(row['first_answer_ms'])} | "
                         f"{row['first / DOMContentLoaded']} | {fmt(row['ready_ms'])} | "
                         f"{fmt(row['available_offline_ms'])} | {row['ready_ms']['n']} |")
        lines.append("")
    browsers = results.get("other_browsers")
    if browsers:
        lines += [
            "## The engine's start in three browsers",
            "",
            "`#engine-status[data-boot-ms]`: the page's own clock from starting the engine worker to ready (self-test "
            "passed); a new profile per run. First visit: nothing stored. Next visit: a reload once the site is "
            "stored (and, where the site makes one, the engine's snapshot saved).",
            "",
            "| browser | site | first visit | next visit | next visit's start |",
            "| --- | --- | --- | --- | --- |",
        ]
        for browser_name, by_site in browsers.items():
            for label, row in by_site.items():
                starts = ", ".join(sorted({str(start) for start in row["next_start"]}))
                lines.append(f"| {browser_name} | {label} | {fmt(row['first_visit_ms'])} | "
                             f"{fmt(row['next_visit_ms'])} | {starts} |")
        lines.append("")
    first = results.get("first_answer")
    if first:
        lines += [
            "## First answer",
            "",
            "A cold visit (new context, service worker blocked) to the calculator with the patient in the address's "
            "fragment: navigation start → the first answer on screen (`#result` provisional, from the answer table, "
            "or ok), against DOMContentLoaded (about when a pure-JavaScript calculator shows its first result) and "
            "the engine's ready, in the same load.",
            "",
            "| first answer | DOMContentLoaded | engine ready | first / ready | first / DOMContentLoaded "
            "| first state |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| {fmt(first['first_answer_ms'])} | {fmt(first['dom_content_loaded_ms'])} | {fmt(first['ready_ms'])} | "
            f"{first['first / ready']} | {first['first / DOMContentLoaded']} | "
            f"{', '.join(sorted(set(first['first_states'])))} |",
            "",
        ]
    latency = results.get("latency")
    if latency:
        lines += [
            "## Evaluation latency",
            "",
            f"Serum B12 alternated between {SERUM_VALUES[0]} and {SERUM_VALUES[1]} on the ready calculator, "
            f"{latency['batches']} batches of {latency['changes_per_batch']} changes, measured in the page from the "
            "`input` event to `#result[data-state=ok]` with a new `data-result` (the DOM is rendered before the "
            "state flips), and to the next animation frame after it.",
            "",
            "| | p50 | p95 | pooled p50 / p95 / max |",
            "| --- | --- | --- | --- |",
        ]
        for key, name in (("dom", "input → result rendered"), ("frame", "input → next frame")):
            pooled = latency[f"{key}_pooled"]
            lines.append(f"| {name} | {fmt(latency[f'{key}_p50_ms'])} | {fmt(latency[f'{key}_p95_ms'])} | "
                         f"{pooled['p50']} / {pooled['p95']} / {pooled['max']} ms (n = {pooled['n']}) |")
        delay = latency.get("evaluation_delay_ms")
        lines += ["", f"The page waits `EVALUATION_DELAY_MS` ({delay} ms in calculator.js) after an input before it "
                  "asks the engine; every figure includes that wait.", ""]
    text = results.get("text_pages")
    if text:
        lines += [
            "## Text pages: ours against plain mkdocs-material",
            "",
            "New context per load (cold). Plain: the same docs/ with the same theme settings, without our hooks, "
            "overrides, CSS, service worker, CSP or generated pages. TBT: sum of (long task - 50 ms) from FCP to "
            "load + settle time.",
            "",
            "| page | FCP ours | FCP plain | FCP ratio | TBT ours | TBT plain |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for page_path, row in text.items():
            lines.append(f"| `{page_path}` | {fmt(row['fcp_ours_ms'])} | {fmt(row['fcp_plain_ms'])} | "
                         f"{row['fcp_ratio']} | {fmt(row['tbt_ours_ms'])} | {fmt(row['tbt_plain_ms'])} |")
        lines += ["", "A returning visitor's TBT. Ours: a context whose first visit to the calculator stored the "
                  "site and the engine's snapshot; the guideline page, controlled by the service worker, starts "
                  "the engine when the browser is idle, and the window runs from FCP until the engine is ready + "
                  "settle time. Ours, no background engine: the same visit with that start held back. Plain: the "
                  "page's second visit (HTTP cache). While the engine starts: the blocking time of the long tasks "
                  "of the page that started between the engine worker's start and its ready, in the 'ours' visit "
                  "(what the engine's background start costs the page itself).", "",
                  "| page | " + " | ".join(f"TBT {kind}" for kind in RETURNING_KINDS) + " | while the engine starts |",
                  "| --- | " + " | ".join("---" for _ in RETURNING_KINDS) + " | --- |"]
        for page_path, row in text.items():
            lines.append(f"| `{page_path}` | " + " | ".join(fmt(row["tbt_returning_ms"][kind])
                                                           for kind in RETURNING_KINDS)
                         + f" | {fmt(row.get('tbt_while_engine_starts_ms'))} |")
        lines.append("")
    lighthouse = results.get("lighthouse")
    if lighthouse and "skipped" not in lighthouse:
        categories = ["performance", "accessibility", "best-practices", "seo"]
        lines += [
            "## Lighthouse (mobile preset with its simulated slow-4G/4x-CPU throttling, loopback)",
            "",
            "| page | " + " | ".join(categories) + " | FCP | LCP | TBT |",
            "| --- | " + " | ".join("---" for _ in categories) + " | --- | --- | --- |",
        ]
        for name, row in lighthouse.items():
            cells = [fmt(row["scores"].get(category), "") for category in categories]
            metrics = [fmt(row["metrics_ms"].get(key)) for key in
                       ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")]
            lines.append(f"| {name} (`{row['path'] or '/'}`) | " + " | ".join(cells + metrics) + " |")
        lines += ["", "Lighthouse 13 declares Node >= 22.12 but runs here under Node 20.", ""]
    elif lighthouse:
        lines += ["## Lighthouse", "", f"Skipped: {lighthouse['skipped']}", ""]
    sizes = results.get("sizes")
    builds = results.get("builds")
    if sizes:
        lines += ["## Size and build time", "", "| what | value |", "| --- | --- |",
                  f"| site total | {kb(sizes['site_total_bytes'])} |",
                  f"| precache total (`precache-manifest.json`) | {kb(sizes['precache_total_bytes'])} "
                  f"({sizes['precache_files']} files) |",
                  f"| Pyodide core (`pyodide/`) | {kb(sizes['pyodide_core_bytes'])} |",
                  f"| precache minus Pyodide core | {kb(sizes['precache_minus_pyodide_bytes'])} |",
                  f"| stock npm Pyodide core (with its full library of sources) | "
                  f"{kb(sizes['stock_pyodide_core_bytes'])} |",
                  f"| precache minus stock Pyodide core | {kb(sizes['precache_minus_stock_core_bytes'])} |",
                  f"| precache as transferred (gzip -6), ours / stock core | {kb(sizes['precache_gzip_bytes'])} / "
                  f"{kb(sizes['stock_pyodide_core_gzip_bytes'])} |",
                  f"| standard library: compiled and trimmed / npm's sources | {kb(sizes['compiled_stdlib_bytes'])} / "
                  f"{kb(sizes['stock_stdlib_bytes'])} |",
                  f"| engine wheel | {kb(sizes['engine_wheel_bytes'])} |",
                  f"| answer tables (every pathway), raw / gzip | {kb(sizes['answer_tables_bytes'])} / "
                  f"{kb(sizes['answer_tables_gzip_bytes'])} |"]
        for name, value in sizes["categories_bytes"].items():
            lines.append(f"| {name} | {kb(value)} |")
        lines.append(f"| plain mkdocs-material site (for comparison) | {kb(sizes['plain_mkdocs_site_bytes'])} |")
    if builds:
        lines += [f"| `python build.py` | {fmt(builds['build_py_s'], 's')} |",
                  f"| plain `mkdocs build` | {fmt(builds['plain_mkdocs_s'], 's')} |",
                  f"| build time ratio | {builds['ratio']} |"]
    preview = results.get("live_preview")
    if preview:
        lines += ["", "## Live preview (`python build.py serve`)", "", "| what | value |", "| --- | --- |",
                  f"| save a docs page → the open page reloaded with it | {fmt(preview['save_to_reload_ms'])} |",
                  f"| of which the rebuild (engine as read before, not explored again) | "
                  f"{fmt(preview['rebuild_ms'])} |",
                  f"| rebuild / save-to-reload | {preview['rebuild_share']} |"]
        if builds:
            lines.append(f"| save-to-reload / a full `python build.py` | "
                         f"{ratio(preview['save_to_reload_ms'], {'median': builds['build_py_s']['median'] * 1000})} |")
    lines += [
        "",
        "## Not measured / notes",
        "",
        "- No CPU throttling: CDP CPU throttling reaches the page but not Web Workers in this Chromium, so a "
        "throttled figure would only be valid for main-thread paths; all figures are unthrottled.",
        *(f"- {note}" for note in results.get("notes", [])),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- main


def measured(results: dict[str, Any], key: str, what: str, measure: Callable[[], Any]) -> None:
    """``results[key] = measure()``; a section that fails is reported in the notes and the others still run
    (one flaky step must not cost the half hour the whole benchmark takes)."""
    log(what)
    try:
        results[key] = measure()
    except Exception as problem:  # noqa: BLE001 - reported in results.md, and the bench goes on
        log(f"{what}: FAILED: {problem}")
        results["notes"].append(f"Not measured in this run, it failed: {what}: {str(problem)[:300]}")


def chromium_version() -> str:
    try:
        return subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "chromium (version unknown)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--changes", type=int, default=200, help="input changes per latency batch (default 200)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 50 changes: a smoke run, not for the README")
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false", help="skip Lighthouse")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for results.json and results.md")
    parser.add_argument("--no-other-browsers", dest="other_browsers", action="store_false",
                        help="skip the engine's start in Chromium, Firefox and WebKit")
    parser.add_argument("--before-site", type=Path, default=None, metavar="DIR",
                        help="a site built from an earlier commit: the three browsers' engine start is measured on it "
                             "too, in the same run (before and after)")
    args = parser.parse_args(argv)
    runs, changes = (3, 50) if args.quick else (args.runs, args.changes)
    started = time.perf_counter()
    results: dict[str, Any] = {"runs": runs, "notes": []}
    with tempfile.TemporaryDirectory(prefix="guideline-bench-") as scratch:
        work = Path(scratch)
        log(f"building the site and plain mkdocs-material {runs} times each into {work}")
        ours = SiteServer(work / "site", port=free_port())
        results["builds"] = measure_builds(work, runs, ours.url)
        site, plain_site = work / "site", work / "plain-project" / "site"
        results["sizes"] = measure_sizes(site, plain_site)
        baseline = write_baseline(ROOT / "node_modules" / "pyodide", work / "baseline")
        results["machine"] = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "chromium": chromium_version(),
            "pyodide": (site / "pyodide" / "VERSION").read_text().strip().removeprefix("pyodide ")
            if (site / "pyodide" / "VERSION").exists() else "?",
        }
        ours.start()
        bare = SiteServer(work / "baseline").start()
        plain = SiteServer(plain_site).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                try:
                    targets = {"site": (ours, CALCULATOR), "bare_main": (bare, baseline["main"]),
                               "bare_worker": (bare, baseline["worker"])}
                    sites = {"this build": site}
                    if args.before_site:
                        sites = {"before (--before-site)": args.before_site, **sites}
                    sections: list[tuple[str, str, Callable[[], Any]]] = [
                        ("ready", "calculator ready: cold / warm / offline, ours and the two bare baselines",
                         lambda: measure_ready(browser, targets, runs)),
                        ("first_answer", "first answer: the answer table's against the engine's ready, same load",
                         lambda: measure_first_answer(browser, ours, runs)),
                        ("first_visit_on_links", "a first visit over throttled links",
                         lambda: measure_first_visit_on_links(browser, ours, runs)),
                        ("latency", "evaluation latency", lambda: measure_latency(browser, ours, runs, changes)),
                        ("text_pages", "text pages: FCP and TBT",
                         lambda: measure_text_pages(browser, ours, plain, runs, settle_ms=2000)),
                        ("ready_after_navigation", "ready after navigation",
                         lambda: measure_ready_after_navigation(browser, ours, runs)),
                        ("live_preview", "live preview: save a docs page, wait for the open page to show it",
                         lambda: measure_save_to_reload(browser, work, runs)),
                    ]
                    if args.other_browsers:
                        sections.append(("other_browsers", "the engine's start in Chromium, Firefox and WebKit",
                                         lambda: engine_start_in_browsers(browser, sites, min(runs, 3))))
                    for key, what, measure in sections:
                        measured(results, key, what, measure)
                finally:
                    browser.close()
            if args.lighthouse:
                measured(results, "lighthouse", "lighthouse: home, guideline page, calculator, plain mkdocs-material "
                         "page", lambda: measure_lighthouse(ours, runs, work, plain))
        finally:
            for server in (ours, bare, plain):
                server.stop()
    if not args.lighthouse:
        results["notes"].append("Lighthouse was skipped (--no-lighthouse).")
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_markdown(results, args.out / "results.md")
    log(f"wrote {args.out / 'results.json'} and results.md in {results['bench_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
