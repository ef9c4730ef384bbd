"""Write a Pyodide lock file whose only entry is the engine's pure-Python wheel."""

import hashlib
import json
import os
import re
import zipfile
from email.parser import HeaderParser
from pathlib import Path

# PEP 427: {dist}-{version}(-{build})?-{python tag}-{abi tag}-{platform tag}.whl
_WHEEL_NAME = re.compile(
    r"^(?P<dist>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?"
    r"-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$"
)


def _canonical(name: str) -> str:
    # Pyodide looks packages up by this key (canonicalizePackageName in pyodide.asm.mjs).
    return re.sub(r"[-_.]+", "-", name).lower()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _headers(zf: zipfile.ZipFile, member: str) -> dict[str, str]:
    return dict(HeaderParser().parsestr(zf.read(member).decode("utf-8")).items())


def _read_wheel(wheel: Path) -> tuple[str, str, list[str]]:
    """Return (name, version, import names), rejecting what Pyodide cannot install as is."""
    tags = _WHEEL_NAME.match(wheel.name)
    if not tags:
        raise ValueError(f"{wheel}: not a wheel file name (name-version-py-abi-platform.whl)")
    # A wheel with C extensions would need an Emscripten build; only pure wheels run unchanged (a wheel compiled
    # to bytecode for one interpreter, sitebuild/compiled_runtime.py, is tagged cpXY-none-any).
    pure = tags["abi"] == "none" and tags["plat"] == "any"
    if not pure or not any(t.startswith(("py3", "cp3")) for t in tags["py"].split(".")):
        raise ValueError(f"{wheel}: not a pure Python 3 (py3-none-any or cp3X-none-any) wheel")
    try:
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
            metas = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            dist_infos = {n.split("/")[0] for n in metas}
            if len(dist_infos) != 1:
                raise ValueError(f"{wheel}: expected one .dist-info/METADATA, found {dist_infos}")
            dist_info = dist_infos.pop()
            metadata = _headers(zf, f"{dist_info}/METADATA")
            purelib = _headers(zf, f"{dist_info}/WHEEL").get("Root-Is-Purelib", "")
            top_level = f"{dist_info}/top_level.txt"
            imports = zf.read(top_level).decode().split() if top_level in names else None
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise ValueError(f"{wheel}: unreadable wheel ({exc})") from exc
    if purelib.strip().lower() != "true":
        raise ValueError(f"{wheel}: WHEEL does not say Root-Is-Purelib: true")
    name, version = metadata.get("Name", "").strip(), metadata.get("Version", "").strip()
    if not name or not version:
        raise ValueError(f"{wheel}: METADATA lacks Name or Version")
    if imports is None:
        # Backends other than setuptools write no top_level.txt: use the archive's top level.
        tops = {n.split("/")[0] for n in names if "/" in n}
        tops |= {n.removesuffix(".py") for n in names if "/" not in n and n.endswith(".py")}
        imports = [t for t in tops if t.isidentifier()]  # drops *.dist-info and *.data
    if not imports:
        raise ValueError(f"{wheel}: no importable top-level package found")
    return name, version, sorted(set(imports))


def write_engine_lock(wheel: Path, out_file: Path, runtime_lock: Path) -> dict:
    """Write a lock holding only `wheel` to `out_file`, info taken from `runtime_lock`."""
    wheel, out_file = Path(wheel), Path(out_file)
    name, version, imports = _read_wheel(wheel)
    # loadPyodide rejects a lock whose info.abi_version is not the interpreter's own.
    info = json.loads(Path(runtime_lock).read_text(encoding="utf-8"))["info"]
    # Pyodide resolves a relative file_name against the lock's folder (packageBaseUrl).
    file_name = Path(os.path.relpath(wheel.resolve(), out_file.resolve().parent)).as_posix()
    lock = {
        "info": info,
        "packages": {
            _canonical(name): {
                "name": name,
                "version": version,
                "file_name": file_name,
                "install_dir": "site",
                "sha256": _sha256(wheel),
                "package_type": "package",
                "imports": imports,
                "depends": [],
            }
        },
    }
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return lock
