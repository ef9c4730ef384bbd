"""The engine's start in Chromium, Firefox ESR and WebKitGTK, for one site or a site before and after a change.

Each browser is driven as the cross-engine tests drive it (``tests/browser/drivers.py``), with a new profile per
run: a first visit to the calculator, then, once the site is stored and the engine has saved its snapshot, the
next visit (a reload, served by the service worker). The figure is the page's own: ``#engine-status``'s
``data-boot-ms``, from the moment the page starts the engine worker to the engine's ready (self-test passed),
so the three browsers are timed by the same clock and no driver's polling adds to it. ``data-start`` says
which start the engine used (``snapshot`` or ``fresh``; a site from before snapshots says nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitebuild.server import SiteServer
from tests.browser.drivers import ENGINES, Drivers

ENGINE_SETTLED = "() => ['ready', 'failed'].includes(document.documentElement.dataset.engine)"
BOOT = """() => {
  const status = document.querySelector("#engine-status");
  return { engine: document.documentElement.dataset.engine, boot_ms: Number(status?.dataset.bootMs),
           start: status?.dataset.start || null };
}"""
STORED = """() => document.querySelector("#offline-status")?.dataset.state === "ready"
  && navigator.serviceWorker.controller !== null"""
TIMEOUT_S = 240  # WebKitGTK's fresh start on a busy 2-core machine has taken over a minute


def _boot(driver: Any, what: str) -> dict[str, Any]:
    driver.wait_for(ENGINE_SETTLED, timeout=TIMEOUT_S, what=f"the engine ({what})")
    boot = driver.evaluate(BOOT)
    if boot["engine"] != "ready":
        raise RuntimeError(f"{driver.engine}: the engine failed on the {what}")
    return boot


def measure_engine_start(browser_factory: Any, sites: dict[str, Path], calculator: str, runs: int,
                         log: Any = print) -> dict[str, dict[str, dict[str, list[Any]]]]:
    """{browser: {site label: {"first_visit": [ms], "next_visit": [ms], "next_start": [start]}}}, the calculator
    at the site-relative path ``calculator``.

    The sites take turns within each run and browser, so drift of the machine hits them alike."""
    drivers = Drivers(browser_factory)
    samples: dict[str, dict[str, dict[str, list[Any]]]] = {}
    try:
        for engine in ENGINES:
            for run in range(runs):
                for label, site in sites.items():
                    entry = samples.setdefault(engine, {}).setdefault(
                        label, {"first_visit": [], "next_visit": [], "next_start": []})
                    with SiteServer(site) as server:
                        driver = drivers.open(engine)
                        try:
                            driver.goto(server.url + calculator)
                            entry["first_visit"].append(_boot(driver, "first visit")["boot_ms"])
                            driver.wait_for(STORED, timeout=TIMEOUT_S, what="the site stored for offline use")
                            driver.evaluate("() => new Promise((resolve) => setTimeout(resolve, 3000))")  # snapshot
                            driver.reload()
                            boot = _boot(driver, "next visit")
                            entry["next_visit"].append(boot["boot_ms"])
                            entry["next_start"].append(boot["start"])
                        finally:
                            driver.close()
                    log(f"{engine} {label} run {run + 1}/{runs}: first visit {entry['first_visit'][-1]} ms, "
                        f"next visit {entry['next_visit'][-1]} ms ({entry['next_start'][-1]})")
    finally:
        drivers.shutdown()
    return samples
