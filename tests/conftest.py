"""Fixtures shared across the suite: the engine wheel and its Pyodide lock, built once per run."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitebuild.compiled_runtime import ENGINE_BOOT, compile_runtime
from sitebuild.pyodide_lock import write_engine_lock
from sitebuild.self_test import self_test_file
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


@dataclass(frozen=True)
class TrimmedRuntime:
    """The runtime the browser's worker boots: the compiled, trimmed library and the compiled engine's lock."""

    lock: Path
    stdlib: Path
    boot: Path  # site_templates/assets/engine-boot.js as an .mjs, which Node imports as a module
    modules: tuple[str, ...]

    def arguments(self) -> list[str]:
        return [str(self.lock), str(self.stdlib), str(self.boot)]


@pytest.fixture(scope="session")
def trimmed_runtime(engine_wheel, engine_lock, tmp_path_factory) -> TrimmedRuntime:
    """The build's compile step (sitebuild/compiled_runtime.py, cached in .cache/ like the build's)."""
    out = tmp_path_factory.mktemp("compiled")
    checks, _cases = self_test_file(ROOT)
    compiled = compile_runtime(PYODIDE_DIR, engine_wheel, engine_lock, checks, out,
                               cache=ROOT / ".cache" / "compiled-runtime")
    lock = out / "engine-lock.json"
    write_engine_lock(compiled.wheel, lock, PYODIDE_DIR / "pyodide-lock.json")
    boot = Path(shutil.copy2(ENGINE_BOOT, out / "engine-boot.mjs"))
    return TrimmedRuntime(lock=lock, stdlib=compiled.stdlib, boot=boot, modules=compiled.modules)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once per test run by the real build entry."""
    import build

    site = tmp_path_factory.mktemp("built") / "site"
    build.build(site)
    return site


# A copy of the repository with one more pathway module (tests/pathways/toy_course/toy_course.py) in engine/pathways/:
# the generator must build it into the site with no edit to JavaScript, templates or build code.
TOY_MODULE = ROOT / "tests" / "pathways" / "toy_course" / "toy_course.py"
COPIED = ("docs", "engine", "safety", "site_templates", "sitebuild", "tests", "mkdocs.yml", "build.py",
          "pyproject.toml", "requirements.txt", "package.json", "package-lock.json")


def copy_repository(copy: Path) -> Path:
    """A copy of the repository's sources in ``copy`` (node_modules linked, not copied): an author's clone."""
    import shutil

    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


@pytest.fixture(scope="session")
def toy_repository(tmp_path_factory) -> Path:
    import shutil

    copy = copy_repository(tmp_path_factory.mktemp("toy-repository"))
    shutil.copy2(TOY_MODULE, copy / "engine" / "pathways" / "toy_course.py")
    return copy


@pytest.fixture(scope="session")
def toy_site(toy_repository) -> Path:
    """The copy built by its own build.py (a subprocess: its engine package is the copy's)."""
    import subprocess
    import sys

    site = toy_repository / "site"
    done = subprocess.run([sys.executable, "build.py", "--site", str(site)], cwd=toy_repository,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"the copy with the toy pathway did not build:\n{done.stdout}\n{done.stderr}")
    return site


# `python build.py new-pathway` run as an author runs it, in a copy of the repository: the pathway it writes, and
# the copy's site built with it (tests/site/ and tests/browser/test_new_pathway_command.py).
def _free_id(wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ... if the repository has that pathway already (an author may have run the command
    with the same id here)."""
    taken = {path.stem.replace("_", "-") for path in (ROOT / "engine" / "pathways").glob("*.py")}
    return next(candidate for candidate in (wanted, *(f"{wanted}-{n}" for n in range(2, 100)))
                if candidate not in taken)


_NEW_ID = _free_id("iron-deficiency")
NEW_PATHWAY = {"id": _NEW_ID, "module": _NEW_ID.replace("-", "_"), "title": "Iron deficiency: oral iron",
               "short_title": "Iron deficiency"}


@pytest.fixture(scope="session")
def new_pathway_repository(tmp_path_factory) -> tuple[Path, str]:
    """The copy after `python build.py new-pathway`, and what the command said."""
    import subprocess
    import sys

    copy = copy_repository(tmp_path_factory.mktemp("new-pathway-repository"))
    done = subprocess.run([sys.executable, "build.py", "new-pathway", NEW_PATHWAY["id"], "--title",
                           NEW_PATHWAY["title"], "--short-title", NEW_PATHWAY["short_title"]],
                          cwd=copy, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"new-pathway failed:\n{done.stdout}\n{done.stderr}")
    return copy, done.stdout


@pytest.fixture(scope="session")
def new_pathway_site(new_pathway_repository) -> Path:
    """The copy with the new pathway, built by its own build.py."""
    import subprocess
    import sys

    copy, _ = new_pathway_repository
    done = subprocess.run([sys.executable, "build.py", "--site", str(copy / "site")], cwd=copy,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"the copy with the new pathway did not build:\n{done.stdout}\n{done.stderr}")
    return copy / "site"
