"""The one build entry: ``python build.py`` builds ``site/``; ``python build.py serve`` builds, then serves.

The pipeline reads top to bottom; each step is a small function that logs what it did
and how long it took. So far the build produces the engine wheel and its Pyodide lock;
the guideline pages, the calculator and the offline layer are the next steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import engine
from sitebuild.pyodide_lock import write_engine_lock
from sitebuild.wheel import build_engine_wheel

ROOT = Path(__file__).resolve().parent
SITE = ROOT / "site"
RUNTIME_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"

T = TypeVar("T")


def step(name: str, action: Callable[[], T]) -> T:
    """Run one build step, logging its name, outcome and duration."""
    started = time.perf_counter()
    outcome = action()
    print(f"build: {name}: {outcome} ({time.perf_counter() - started:.2f} s)")
    return outcome


def engine_wheel_and_lock(site: Path) -> Path:
    """Build the engine wheel into ``site/engine/`` with the lock file the browser boots Pyodide from."""
    if not RUNTIME_LOCK.exists():
        raise SystemExit(f"build: {RUNTIME_LOCK} is missing: run `npm ci` first (make does it for you)")
    wheel = build_engine_wheel(site / "engine")
    write_engine_lock(wheel, site / "engine" / "engine-lock.json", RUNTIME_LOCK)
    return wheel


def build(site: Path = SITE) -> None:
    step("engine wheel", lambda: engine_wheel_and_lock(site).relative_to(site.parent))


def describe_pathways() -> str:
    lines = []
    for pathway in engine.pathways():
        lines.append(f"  {pathway['id']} (version {pathway['version']}): {pathway['title']}")
        lines.append(f"    {len(pathway['inputs'])} inputs, {len(pathway['rules'])} rules")
    return "\n".join(lines)


def serve() -> None:
    build()
    print(f"Engine {engine.ENGINE_VERSION}, pathways:\n{describe_pathways()}")
    print("The guideline site and its calculator are not built yet, so there is nothing to serve.")
    print("Try the engine now:  .venv/bin/python -m engine evaluate b12-maintenance --input FILE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve()
    else:
        build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
