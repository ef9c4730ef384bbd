"""Build the engine's pure-Python wheel, reproducibly, from a clean copy of its sources."""

from __future__ import annotations

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


def build_engine_wheel(out_dir: Path, root: Path = ROOT) -> Path:
    """Build ``guideline-engine`` into ``out_dir`` and return the wheel's path.

    The build runs in a temporary copy holding only ``pyproject.toml`` and ``engine/``,
    so a stale ``build/`` folder or a stray file in the work tree cannot leak into it.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
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
