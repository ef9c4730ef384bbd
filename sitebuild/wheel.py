"""Build the engine's pure-Python wheel, reproducibly, from a clean copy of its sources."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A fixed timestamp (1980-01-01, the zip format's epoch) makes the wheel byte-identical
# between builds of the same source, so its sha256 only changes when the engine does.
REPRODUCIBLE_EPOCH = "315532800"


def engine_package_name(root: Path = ROOT) -> str:
    """The engine's distribution name (pyproject.toml), which the browser asks Pyodide to install."""
    with open(root / "pyproject.toml", "rb") as file:
        return str(tomllib.load(file)["project"]["name"])


def wheel_inputs_digest(root: Path = ROOT) -> str:
    """A digest of everything the wheel's bytes depend on: the engine's sources, pyproject.toml, the pinned
    build tools (requirements.txt) and this Python's version (the wheel is reproducible, so equal inputs
    give an equal wheel)."""
    digest = hashlib.sha256(sys.version.encode())
    files = [root / "pyproject.toml", root / "requirements.txt"]
    files += sorted(path for path in (root / "engine").rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for path in files:
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def build_engine_wheel(out_dir: Path, root: Path = ROOT, cache: Path | None = None) -> Path:
    """Build ``guideline-engine`` into ``out_dir`` and return the wheel's path.

    The build runs in a temporary copy holding only ``pyproject.toml`` and ``engine/``,
    so a stale ``build/`` folder or a stray file in the work tree cannot leak into it.
    With ``cache`` (a folder), a wheel built before from the same inputs (``wheel_inputs_digest``) is
    reused: building it takes a second (a Python subprocess running setuptools), copying it a millisecond.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if cache is not None:
        slot = Path(cache) / wheel_inputs_digest(root)
        cached = sorted(slot.glob("*.whl")) if slot.is_dir() else []
        if len(cached) == 1:
            target = out_dir / cached[0].name
            shutil.copy2(cached[0], target)
            return target
        wheel = build_engine_wheel(out_dir, root)
        # Written under a temporary name and renamed, so a build interrupted mid-copy leaves no broken wheel.
        slot.mkdir(parents=True, exist_ok=True)
        partial = slot / (wheel.name + ".partial")
        shutil.copy2(wheel, partial)
        partial.replace(slot / wheel.name)
        return wheel
    with tempfile.TemporaryDirectory(prefix="engine-wheel-") as scratch:
        source = Path(scratch) / "src"
        source.mkdir()
        shutil.copy2(root / "pyproject.toml", source / "pyproject.toml")
        shutil.copytree(root / "engine", source / "engine", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = {**os.environ, "SOURCE_DATE_EPOCH": REPRODUCIBLE_EPOCH}
        built = Path(scratch) / "dist"
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(built), str(source)]
        # Run from the scratch folder: from the repository root, `-m build` would import our build.py.
        run = subprocess.run(command, env=env, capture_output=True, text=True, cwd=scratch, check=False)
        if run.returncode != 0:
            raise RuntimeError(
                f"building the engine wheel failed (python -m build in {source}):\n{run.stdout}\n{run.stderr}"
            )
        (wheel,) = built.glob("*.whl")
        target = out_dir / wheel.name
        shutil.copy2(wheel, target)
    return target
