"""The command line: JSON out, and exit 0 (ok), 2 (input rejected) or 1 (internal fault)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import engine.__main__ as cli
from engine.pathways import PATHWAYS
from tests.conftest import ROOT
from tests.pathways.b12_maintenance.patients import patient

SOURCE_PATIENT = patient(cause="unknown", serum_b12=453, serum_b12_unit="pmol/L")


def run_main(argv):
    out = io.StringIO()
    status = cli.main(argv, out=out)
    return status, out.getvalue()


def test_list_prints_the_pathway_descriptors():
    status, out = run_main(["list"])
    assert status == 0
    listed = [pathway["id"] for pathway in json.loads(out)]
    # The registry's pathways in module-name order (B12's, and any a `new-pathway` added).
    assert listed == list(PATHWAYS) and {"b12-loading", "b12-maintenance"} <= set(listed)


def test_references_prints_the_registry():
    status, out = run_main(["references"])
    assert status == 0 and "nice-ng239" in json.loads(out)


def test_evaluate_a_file(tmp_path):
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(SOURCE_PATIENT))
    status, out = run_main(["evaluate", "b12-maintenance", "--input", str(path)])
    assert status == 0
    assert json.loads(out)["regimen"]["summary"] == "Hydroxocobalamin 1 mg intramuscularly every 3 months for life"


@pytest.mark.parametrize(
    ("text", "code"),
    [('{"cause": "ileal_resection", "neurological_symptoms": false}', "required"), ("{oops", "type")],
)
def test_rejected_input_prints_the_errors_and_exits_2(tmp_path, text, code):
    path = tmp_path / "patient.json"
    path.write_text(text)
    status, out = run_main(["evaluate", "b12-maintenance", "--input", str(path)])
    assert status == 2
    result = json.loads(out)
    assert result["ok"] is False and result["errors"][0]["code"] == code


def test_an_unknown_pathway_exits_2(tmp_path):
    path = tmp_path / "patient.json"
    path.write_text("{}")
    status, out = run_main(["evaluate", "nope", "--input", str(path)])
    assert status == 2 and json.loads(out)["errors"][0]["code"] == "unknown-pathway"


def test_a_missing_file_exits_2_with_a_message(tmp_path, capsys):
    status, out = run_main(["evaluate", "b12-maintenance", "--input", str(tmp_path / "missing.json")])
    assert status == 2 and out == ""
    assert "cannot read the input file" in capsys.readouterr().err


def test_an_internal_fault_exits_1(monkeypatch, tmp_path, capsys):
    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "evaluate_text", broken)
    path = tmp_path / "patient.json"
    path.write_text("{}")
    status, _ = run_main(["evaluate", "b12-maintenance", "--input", str(path)])
    assert status == 1
    assert "internal error: ZeroDivisionError: a bug" in capsys.readouterr().err


def test_the_readme_example_from_standard_input():
    """The source document's patient, exactly as the README runs it."""
    run = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", "b12-maintenance", "--input", "-"],
        input=json.dumps(SOURCE_PATIENT), capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    regimen = result["regimen"]
    assert (regimen["drug"], regimen["dose_micrograms"], regimen["route"]) == ("hydroxocobalamin", 1000,
                                                                              "intramuscular")
    assert regimen["interval"] == {"value": 3, "unit": "month"}
    assert regimen["interval_range"] == {"min": 2, "max": 3, "unit": "month"}
    assert regimen["lifelong"] is True
    cautions = [caution["id"] for caution in result["cautions"]]
    assert {"lifelong-therapy", "folic-acid", "source-blood-tests"} <= set(cautions)
