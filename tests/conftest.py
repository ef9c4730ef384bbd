"""Fixtures shared across the suite: the engine wheel and its Pyodide lock, built once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild.pyodide_lock import write_engine_lock
from sitebuild.wheel import build_engine_wheel

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="session")
def engine_wheel(tmp_path_factory) -> Path:
    return build_engine_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def engine_lock(engine_wheel) -> Path:
    runtime_lock = PYODIDE_DIR / "pyodide-lock.json"
    if not runtime_lock.exists():
        pytest.fail(f"{runtime_lock} is missing: run `npm ci` (make test does it) to install the Pyodide runtime")
    lock = engine_wheel.parent / "engine-lock.json"
    write_engine_lock(engine_wheel, lock, runtime_lock)
    return lock


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once per test run by the real build entry."""
    import build

    site = tmp_path_factory.mktemp("built") / "site"
    build.build(site)
    return site
