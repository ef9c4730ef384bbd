"""The build entry: what `python build.py` writes so far."""

import json

import build


def test_build_writes_the_engine_wheel_and_its_lock(tmp_path):
    build.build(tmp_path)
    wheels = list((tmp_path / "engine").glob("*.whl"))
    assert [wheel.name for wheel in wheels] == ["guideline_engine-0.1.0-py3-none-any.whl"]
    lock = json.loads((tmp_path / "engine" / "engine-lock.json").read_text())
    assert lock["packages"]["guideline-engine"]["file_name"] == wheels[0].name


def test_serve_says_what_exists_and_does_not_fail(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build, "SITE", tmp_path)
    monkeypatch.setattr(build, "build", lambda site=tmp_path: None)
    assert build.main(["serve"]) == 0
    out = capsys.readouterr().out
    assert "b12-maintenance (version 1.0.0)" in out and "11 inputs, 19 rules" in out
