"""Copy the Pyodide runtime (from npm, with the compiled standard library) and the engine wheel with its lock into
the built site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# The core runtime of one Pyodide version; they must stay together (Pyodide checks its API version).
# pyodide-lock.json is not copied: the worker boots from our own lock, which lists only the engine. Nor is npm's
# python_stdlib.zip: the worker loads the compiled, trimmed library instead (sitebuild/compiled_runtime.py).
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
COMPILED_STDLIB = "python_stdlib.compiled.zip"
RUNTIME_FILES = (*CORE_FILES, COMPILED_STDLIB)


def copy_runtime(node_pyodide: Path, stdlib: Path, site: Path) -> list[Path]:
    """Copy Pyodide's core files and the compiled ``stdlib`` into ``site/pyodide/``; fails naming what is missing
    and the fix."""
    missing = [name for name in CORE_FILES if not (node_pyodide / name).exists()]
    if missing:
        raise FileNotFoundError(
            f"{node_pyodide} lacks {', '.join(missing)}: run `npm ci` to install the pinned Pyodide runtime"
        )
    target = site / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    copied = [Path(shutil.copy2(node_pyodide / name, target / name)) for name in CORE_FILES]
    copied.append(Path(shutil.copy2(stdlib, target / COMPILED_STDLIB)))
    version = json.loads((node_pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    (target / "VERSION").write_text(f"pyodide {version}\n", encoding="utf-8")
    return copied


def copy_engine(wheel: Path, lock: Path, site: Path) -> list[Path]:
    """Copy the engine wheel and its lock into ``site/engine/`` (the lock names the wheel relative to itself)."""
    target = site / "engine"
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(path, target / path.name)) for path in (wheel, lock)]
