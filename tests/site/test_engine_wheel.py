"""The engine wheel and its Pyodide lock: what the browser will download and check."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

import engine
from sitebuild.pyodide_lock import write_engine_lock
from sitebuild.wheel import build_engine_wheel
from tests.conftest import PYODIDE_DIR


def test_wheel_is_pure_and_holds_only_the_engine(engine_wheel):
    assert engine_wheel.name == f"guideline_engine-{engine.ENGINE_VERSION}-py3-none-any.whl"
    names = zipfile.ZipFile(engine_wheel).namelist()
    packaged = {name.split("/")[0] for name in names}
    assert packaged == {"engine", f"guideline_engine-{engine.ENGINE_VERSION}.dist-info"}
    assert "engine/pathways/b12_maintenance/rules.py" in names
    # Every module of the engine, subpackages too (pyproject.toml lists each package): Pyodide imports the wheel.
    root = Path(engine.__file__).parent.parent
    modules = {path.relative_to(root).as_posix() for path in (root / "engine").rglob("*.py")}
    assert modules - set(names) == set(), "an engine package is missing from [tool.setuptools] packages"
    assert not [name for name in names if name.endswith((".pyc", ".so"))]


def test_wheel_is_reproducible(engine_wheel, tmp_path):
    again = build_engine_wheel(tmp_path)
    assert again.read_bytes() == engine_wheel.read_bytes()


def test_lock_names_the_wheel_with_its_sha256(engine_wheel, engine_lock):
    lock = json.loads(engine_lock.read_text())
    runtime = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    assert lock["info"] == runtime["info"]
    (entry,) = lock["packages"].values()
    assert entry["file_name"] == engine_wheel.name
    assert entry["sha256"] == hashlib.sha256(engine_wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["engine"]
    assert entry["depends"] == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("engine.zip", b"", "not a wheel file name"),
        ("guideline_engine-0.1.0-cp311-cp311-linux_x86_64.whl", b"", "not a pure Python 3"),
        ("guideline_engine-0.1.0-py3-none-any.whl", b"not a zip", "unreadable wheel"),
    ],
)
def test_lock_writer_rejects_what_pyodide_cannot_install(tmp_path, name, content, message):
    wheel = tmp_path / name
    wheel.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        write_engine_lock(wheel, tmp_path / "lock.json", PYODIDE_DIR / "pyodide-lock.json")
    assert not (tmp_path / "lock.json").exists()


def copy_sources(target):
    import shutil

    from sitebuild.wheel import ROOT

    target.mkdir()
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "engine", target / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_an_unchanged_engine_reuses_the_cached_wheel_and_a_changed_one_is_rebuilt(engine_wheel, tmp_path,
                                                                                monkeypatch):
    import subprocess

    from sitebuild import wheel as wheel_module

    root = copy_sources(tmp_path / "src")
    cache = tmp_path / "cache"
    first = build_engine_wheel(tmp_path / "one", root, cache=cache)
    assert first.read_bytes() == engine_wheel.read_bytes()

    builds = []
    real_run = subprocess.run
    monkeypatch.setattr(wheel_module.subprocess, "run", lambda *a, **k: builds.append(a) or real_run(*a, **k))
    again = build_engine_wheel(tmp_path / "two", root, cache=cache)
    assert builds == [], "an unchanged engine was built again"
    assert again.read_bytes() == first.read_bytes()

    rules = root / "engine" / "pathways" / "b12_maintenance" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed = build_engine_wheel(tmp_path / "three", root, cache=cache)
    assert len(builds) == 1, "a changed engine was not rebuilt"
    assert changed.read_bytes() != first.read_bytes()
    assert len(list(cache.iterdir())) == 2
