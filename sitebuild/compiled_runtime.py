"""The engine compiled for Pyodide: its modules and the standard library they need, as bytecode.

npm's ``python_stdlib.zip`` holds sources only, so without this step Pyodide's CPython compiles some 150
standard-library modules (and the engine) from source on every boot, on every device. The host's Python cannot
compile for it (its bytecode and magic number are another version's), so Pyodide's own interpreter does, under
Node (``compile_runtime.mjs``), and the library is trimmed to the modules that Pyodide's boot, the engine, its
exports and its self-test import, found by tracing them (never a hand-written list).

The result is reproducible (hash-based .pyc, fixed zip timestamps) and cached in ``.cache/compiled-runtime/``,
keyed by a digest of every input: Pyodide's runtime, the engine wheel, the self-test's cases and these tools.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_TOOL = HERE / "compile_runtime.mjs"
PYODIDE_TOOL = HERE / "compile_in_pyodide.py"
ENGINE_BOOT = HERE.parent / "site_templates" / "assets" / "engine-boot.js"
# The runtime files whose bytes shape the compiled output (the interpreter, its library, its loader).
RUNTIME_INPUTS = ("package.json", "pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "python_stdlib.zip")


@dataclass(frozen=True)
class CompiledRuntime:
    stdlib: Path  # the trimmed standard library, compiled
    wheel: Path  # the engine wheel, compiled
    modules: tuple[str, ...]  # the standard-library modules the trace found
    python: str  # the version of the interpreter that compiled them


def inputs_digest(node_pyodide: Path, wheel: Path, lock: Path, self_test: str) -> str:
    digest = hashlib.sha256()
    parts = [*(Path(node_pyodide) / name for name in RUNTIME_INPUTS), Path(wheel), Path(lock),
             NODE_TOOL, PYODIDE_TOOL, ENGINE_BOOT]
    for path in parts:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(self_test.encode())
    return digest.hexdigest()[:20]


def compile_runtime(node_pyodide: Path, wheel: Path, lock: Path, self_test: str, out_dir: Path,
                    cache: Path | None = None) -> CompiledRuntime:
    """Compile the engine ``wheel`` and the standard library for ``node_pyodide``'s interpreter into ``out_dir``.

    ``lock``: the source wheel's Pyodide lock; ``self_test``: the self-test file's text (its cases are run while
    tracing). With ``cache``, the output of equal inputs is reused.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slot = Path(cache) / inputs_digest(node_pyodide, wheel, lock, self_test) if cache is not None else None
    if slot is not None and (slot / "compiled.json").is_file():
        made = json.loads((slot / "compiled.json").read_text(encoding="utf-8"))
        for name in (made["stdlib"], made["wheel"]):
            shutil.copy2(slot / name, out_dir / name)
        return _described(made, out_dir)
    made = _run_node(node_pyodide, wheel, lock, self_test, out_dir)
    if slot is not None:
        # Written under a temporary name and renamed, so an interrupted build leaves no half-filled slot.
        partial = slot.with_name(slot.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in (made["stdlib"], made["wheel"]):
            shutil.copy2(out_dir / name, partial / name)
        (partial / "compiled.json").write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(slot, ignore_errors=True)
        partial.replace(slot)
    return _described(made, out_dir)


def _described(made: dict, out_dir: Path) -> CompiledRuntime:
    return CompiledRuntime(stdlib=out_dir / made["stdlib"], wheel=out_dir / made["wheel"],
                           modules=tuple(made["modules"]), python=made["python"])


def _run_node(node_pyodide: Path, wheel: Path, lock: Path, self_test: str, out_dir: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node is not installed: the compile step runs Pyodide under Node 20 "
                           "(apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="compile-runtime-") as scratch:
        # Node reads a .js file as CommonJS outside a "type": "module" package: the page's module, as .mjs.
        boot = Path(scratch) / "engine-boot.mjs"
        shutil.copy2(ENGINE_BOOT, boot)
        expected = Path(scratch) / "self-test.json"
        expected.write_text(self_test, encoding="utf-8")
        request = {"pyodide": str(Path(node_pyodide).resolve()), "engineBoot": str(boot), "lock": str(lock),
                   "wheel": str(Path(wheel).resolve()), "selfTest": str(expected), "python": str(PYODIDE_TOOL),
                   "out": str(out_dir.resolve())}
        run = subprocess.run([node, str(NODE_TOOL)], input=json.dumps(request), capture_output=True, text=True,
                             timeout=600, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"compiling for Pyodide failed (node {NODE_TOOL.name}):\n{run.stderr[-4000:]}")
    return json.loads(run.stdout)
