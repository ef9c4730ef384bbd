"""The clinical safety case: the hazard register and its checks, the generated hazard log, the intended use page."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import build
from tests.site import copy_build_inputs
import engine
from sitebuild import hazards, pages
from sitebuild.hazards import HazardError, load_register
from sitebuild.model import gather

ROOT = Path(__file__).resolve().parents[2]
# The DCB0129 risk matrix, typed here again on purpose: an error in sitebuild/hazards.py's copy must fail a test.
DCB0129 = {
    "very high": {"minor": 3, "significant": 4, "considerable": 4, "major": 5, "catastrophic": 5},
    "high": {"minor": 2, "significant": 3, "considerable": 3, "major": 4, "catastrophic": 5},
    "medium": {"minor": 2, "significant": 2, "considerable": 3, "major": 3, "catastrophic": 4},
    "low": {"minor": 1, "significant": 2, "considerable": 2, "major": 3, "catastrophic": 4},
    "very low": {"minor": 1, "significant": 1, "considerable": 2, "major": 2, "catastrophic": 3},
}
RISK_SPAN = re.compile(
    r'<span class="hazard-risk" data-hazard="(H-\d+)" data-stage="(initial|residual)" data-severity="([^"]+)" '
    r'data-likelihood="([^"]+)" data-risk="(\d)">(.*?)</span>'
)
MATRIX_CELL = re.compile(r'<span class="risk-cell" data-severity="([^"]+)" data-likelihood="([^"]+)">(\d)</span>')
EXISTING_TEST = "tests/pathways/b12_maintenance/test_rules.py::test_the_most_frequent_interval_wins"
TIMES = "\u00d7"  # the multiplication sign between severity and likelihood on the page


def page(site: Path, name: str) -> str:
    return (site / ("index.html" if name == "index" else f"{name}/index.html")).read_text(encoding="utf-8")


def raw_register() -> dict:
    return yaml.safe_load(hazards.REGISTER.read_text(encoding="utf-8"))


def minimal_hazard(**changes) -> dict:
    hazard = {
        "id": "H-01",
        "title": "A hazard",
        "causes": ["a cause"],
        "effect": "an effect",
        "harm": "a harm",
        "initial": {"severity": "major", "likelihood": "medium"},
        "mitigations": [{"text": "a mitigation", "tests": [EXISTING_TEST]}],
        "residual": {"severity": "major", "likelihood": "very low"},
    }
    hazard.update(changes)
    return hazard


def write_register(folder: Path, *entries: dict) -> Path:
    path = folder / "hazards.yml"
    path.write_text(yaml.safe_dump({"hazards": list(entries)}, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the register


def test_the_real_register_names_only_tests_and_rules_that_exist():
    register = load_register()  # raises HazardError naming each hazard and test that is wrong
    assert register.tests_checked
    assert [hazard.id for hazard in register.hazards] == [f"H-{n:02d}" for n in range(1, len(register.hazards) + 1)]
    assert len(register.hazards) >= 14
    for hazard in register.hazards:
        assert hazard.tests, hazard.id
        assert all(mitigation.tests for mitigation in hazard.mitigations), hazard.id
        assert hazard.residual.rating <= min(hazard.initial.rating, 3), hazard.id


def test_every_test_id_of_the_register_is_collected_by_pytest():
    """The build checks functions with ast; pytest itself confirms each id, parameter included."""
    ids = sorted({test for hazard in load_register().hazards for test in hazard.tests})
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *ids],
                         cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, f"pytest cannot collect every test id of safety/hazards.yml:\n{run.stdout}{run.stderr}"
    collected = [line for line in run.stdout.splitlines() if "::" in line]
    for test_id in ids:
        assert any(line == test_id or line.startswith(test_id + "[") for line in collected), test_id


def test_a_hazard_naming_a_missing_test_fails_naming_the_hazard_and_the_test(tmp_path):
    missing = [
        "tests/pathways/b12_maintenance/test_rules.py::test_that_was_never_written",
        "tests/pathways/b12_maintenance/test_rules.py::test_the_most_frequent_interval_wins_not",
        "tests/engine/test_nothing_here.py::test_x",
        "tests/pathways/b12_maintenance/test_rules.py::TestNoSuchClass::test_x",
        "tests/pathways/b12_maintenance/test_rules.py::texts",
        "engine/rules.py::test_x",
    ]
    second = minimal_hazard(id="H-02", mitigations=[{"text": "m", "tests": [EXISTING_TEST, *missing]}])
    register = write_register(tmp_path, minimal_hazard(), second)
    with pytest.raises(HazardError) as raised:
        load_register(register)
    message = str(raised.value)
    assert "H-01" not in message
    assert "H-02 mitigation 1: test tests/pathways/b12_maintenance/test_rules.py::test_that_was_never_written does not exist: " \
           "tests/pathways/b12_maintenance/test_rules.py has no test function test_that_was_never_written" in message
    assert "there is no file tests/engine/test_nothing_here.py" in message
    assert "has no class TestNoSuchClass" in message
    assert "names texts, which is not a test" in message
    assert "engine/rules.py::test_x is not a pytest id" in message
    assert message.count("H-02 mitigation 1: test ") == len(missing), "every problem is reported at once"


def test_the_build_fails_when_a_hazard_names_a_missing_test(tmp_path, monkeypatch, capsys):
    register = write_register(tmp_path, minimal_hazard(
        id="H-07", mitigations=[{"text": "m", "tests": ["tests/pathways/b12_maintenance/test_rules.py::test_gone"]}]))
    monkeypatch.setattr(hazards, "REGISTER", register)
    assert build.main(["--site", str(tmp_path / "site")]) == 1
    error = capsys.readouterr().err
    assert "build step 'generated pages' failed" in error
    assert "H-07 mitigation 1: test tests/pathways/b12_maintenance/test_rules.py::test_gone does not exist" in error
    assert not (tmp_path / "site").exists()


def test_test_ids_resolve_in_classes_and_with_parameters(tmp_path):
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_x.py").write_text(
        "class TestThing:\n    def test_a(self):\n        pass\n\n\nasync def test_b():\n    pass\n")
    named = ["tests/unit/test_x.py::TestThing::test_a", "tests/unit/test_x.py::test_b[one-two]"]
    register = write_register(tmp_path, minimal_hazard(mitigations=[{"text": "m", "tests": named}]))
    assert load_register(register, root=tmp_path).hazards[0].tests == named
    wrong = write_register(tmp_path, minimal_hazard(mitigations=[{"text": "m", "tests": [
        "tests/unit/test_x.py::TestThing::test_b", "tests/unit/test_x.py::test_a"]}]))
    with pytest.raises(HazardError, match=r"(?s)class TestThing in tests/unit/test_x\.py has no test function test_b"
                                          r".*tests/unit/test_x\.py has no test function test_a"):
        load_register(wrong, root=tmp_path)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"initial": {"severity": "major", "likelihood": "medium", "risk": 3}},
         "H-01 initial risk: 'risk' is computed from severity and likelihood with the DCB0129 matrix: remove it"),
        ({"risk": 2}, "H-01: 'risk' is computed"),
        ({"initial": {"severity": "severe", "likelihood": "medium"}},
         "severity 'severe' is not one of minor, significant, considerable, major, catastrophic"),
        ({"residual": {"severity": "major", "likelihood": "rare"}},
         "likelihood 'rare' is not one of very low, low, medium, high, very high"),
        ({"residual": {"severity": "major"}}, "H-01 residual risk: missing likelihood"),
        ({"mitigations": [{"text": "m", "tests": []}]}, "every mitigation needs a test"),
        ({"mitigations": [{"text": "m"}]}, "H-01 mitigation 1: missing tests"),
        ({"mitigations": []}, "every hazard needs a mitigation and a test"),
        ({"mitigations": [{"text": "m", "tests": [EXISTING_TEST], "rules": ["no-such-rule"]}]},
         "rule 'no-such-rule' is not a rule or statement of the evidence check"),
        ({"residual": {"severity": "catastrophic", "likelihood": "medium"}},
         "residual risk 4 is higher than the initial risk 3"),
        ({"initial": {"severity": "major", "likelihood": "high"},
          "residual": {"severity": "major", "likelihood": "high"}}, "residual risk 4 is not acceptable"),
        ({"residual": {"severity": "major", "likelihood": "low"}}, "say why in residual_rationale"),
        ({"id": "HAZ-1"}, "hazard 1: id 'HAZ-1' must look like H-01"),
        ({"causes": []}, "causes must be a non-empty list of text"),
        ({"effect": ""}, "effect must be non-empty text"),
        ({"harm": False}, "harm must be non-empty text"),  # YAML reads an unquoted `no` as false
        ({"severity": "major"}, "H-01: unknown key 'severity'"),
    ],
)
def test_the_structure_of_the_register_is_checked(tmp_path, changes, problem):
    hazard = minimal_hazard(**changes)
    with pytest.raises(HazardError, match=re.escape(problem)):
        load_register(write_register(tmp_path, hazard))


def test_a_residual_risk_of_3_is_accepted_with_its_rationale_and_ids_are_unique(tmp_path):
    hazard = minimal_hazard(residual={"severity": "major", "likelihood": "low"}, residual_rationale="Because.")
    assert load_register(write_register(tmp_path, hazard)).hazards[0].residual.rating == 3
    with pytest.raises(HazardError, match="H-01: the id is used by more than one hazard"):
        load_register(write_register(tmp_path, minimal_hazard(), minimal_hazard()))


@pytest.mark.parametrize(
    ("text", "problem"),
    [("hazards: [", "is not valid YAML"), ("hazards: []", "expected a mapping with a non-empty list 'hazards'"),
     ("- a list", "expected a mapping"), ("hazards: [1]\nextra: 2", "unknown top-level key 'extra'")],
)
def test_an_unreadable_register_fails_clearly(tmp_path, text, problem):
    path = tmp_path / "hazards.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HazardError, match=re.escape(problem)):
        load_register(path)
    with pytest.raises(HazardError, match="missing: the hazard log is generated from it"):
        load_register(tmp_path / "absent.yml")


def test_risk_ratings_follow_the_dcb0129_matrix():
    for likelihood, row in DCB0129.items():
        for severity, rating in row.items():
            assert hazards.risk_rating(severity, likelihood) == rating, (severity, likelihood)
    with pytest.raises(ValueError, match="unknown severity"):
        hazards.risk_rating("awful", "low")


def test_without_a_tests_folder_the_register_loads_unchecked_and_the_page_says_so(tmp_path, monkeypatch, capsys):
    """A build from a copy of the sources without tests/ still builds, and says the ids were not checked."""
    unchecked = write_register(tmp_path, minimal_hazard(
        mitigations=[{"text": "m", "tests": ["tests/pathways/b12_maintenance/test_rules.py::test_gone"]}]))
    assert load_register(unchecked, root=tmp_path).tests_checked is False
    monkeypatch.setattr(hazards, "ROOT", tmp_path)
    model = gather(build.CONFIG, explore_pathways=False)
    text = pages._hazard_log(pages.environment(build.TEMPLATES / "pages"), model)
    assert "were **not** checked" in text and "the build fails if one is missing" not in text
    assert "tests/ is missing, so the test ids of the hazard log were not checked" in capsys.readouterr().err


def test_a_changed_register_gives_a_new_build_id(tmp_path):
    """The hazard log is part of the site: a new register must be a new version for the offline layer."""
    copy_build_inputs(tmp_path)
    same = build.compute_build_id(root=tmp_path)
    register = tmp_path / "safety" / "hazards.yml"
    register.write_text(register.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1), encoding="utf-8")
    assert build.compute_build_id(root=tmp_path) != same


# ---------------------------------------------------------------- the built pages


def test_the_hazard_log_page_shows_every_hazard_with_its_mitigations_and_test_ids(built_site):
    text = page(built_site, "hazard-log")
    links = hazards.evidence_links()
    assert "DCB0129" in text and "Clinical Safety Officer" in text
    assert "every one of them was found in the repository" in text
    for hazard in load_register().hazards:
        assert f'id="{hazard.anchor}"' in text, hazard.id
        assert html.escape(hazard.title, quote=False) in text, hazard.id
        section = text.split(f'id="{hazard.anchor}"', 1)[1].split('<h3', 1)[0]
        for test in hazard.tests:
            assert f"<code>{html.escape(test, quote=False)}</code>" in section, (hazard.id, test)
        for mitigation in hazard.mitigations:
            for rule in mitigation.rules:
                pathway_page, anchor = links[rule].split("#")
                pathway_page = pathway_page.removesuffix(".md")
                assert f'href="../{pathway_page}/#{anchor}"' in section, (hazard.id, rule)


def test_the_risks_on_the_page_follow_the_matrix_and_the_register(built_site):
    text = page(built_site, "hazard-log")
    cells = {(likelihood, severity): int(value) for severity, likelihood, value in MATRIX_CELL.findall(text)}
    assert cells == {(likelihood, severity): rating for likelihood, row in DCB0129.items()
                     for severity, rating in row.items()}
    shown = {(hazard, stage): (severity, likelihood, int(rating), body)
             for hazard, stage, severity, likelihood, rating, body in RISK_SPAN.findall(text)}
    register = raw_register()["hazards"]
    assert len(shown) == 2 * len(register)
    for entry in register:
        for stage in ("initial", "residual"):
            severity, likelihood, rating, body = shown[(entry["id"], stage)]
            assert (severity, likelihood) == (entry[stage]["severity"], entry[stage]["likelihood"])
            assert rating == DCB0129[likelihood][severity], (entry["id"], stage)
            words = f"{severity.capitalize()} severity {TIMES} {likelihood} likelihood"
            assert body == f"{words} = risk <strong>{rating}</strong>"
        summary = re.search(rf'<a href="#{entry["id"].lower()}">[^<]*</a></td>\s*<td>(\d)</td>\s*<td>(\d)</td>', text)
        assert summary, entry["id"]
        assert (int(summary.group(1)), int(summary.group(2))) == (shown[(entry["id"], "initial")][2],
                                                                  shown[(entry["id"], "residual")][2])


def test_the_calculator_and_the_intended_use_page_state_the_scope(built_site):
    """The scope is stated where the calculator is used and on the intended use page (hazards H-10 and H-11)."""
    (pathway,) = [pathway for pathway in engine.pathways() if pathway["id"] == "b12-maintenance"]
    calculator = page(built_site, f"calculator/{pathway['id']}")
    assert html.escape(pathway["scope"], quote=False) in calculator
    assert "Not for diagnosis or loading, for people under 16, or in pregnancy or breastfeeding" in pathway["scope"]
    intended = page(built_site, "intended-use")
    for claim in ("completed an initial (loading) course", "Diagnosis.", "Oral loading.", "No response to loading.",
                  "Under 16.", "Pregnancy and breastfeeding.", "No prescribing record.",
                  "Local formularies", "Not a replacement for judgement.", "Nothing you enter is sent anywhere",
                  "check the version and date in the footer", "machine-generated"):
        assert claim in intended, claim
    for link in ("evidence-check/b12-maintenance/", "disclaimer/", "hazard-log/",
                 "evidence-check/b12-loading/#four-weekly-injections"):
        assert f'href="../{link}"' in intended, link
    assert '<sup class="citation">' in intended and "{{" not in intended
    assert 'href="intended-use/"' in page(built_site, "index").split("<article", 1)[1]
    assert 'href="../intended-use/"' in page(built_site, "disclaimer").split("<article", 1)[1]
    home = page(built_site, "index")
    for href, name in (("intended-use/", "Intended use and limitations"), ("hazard-log/", "Hazard log")):
        link = rf'<a href="{href}" class="md-nav__link[^"]*">\s*(?:<span[^>]*>\s*)*{name}\s*<'
        assert re.search(link, home), f"{name} is not in the navigation"
