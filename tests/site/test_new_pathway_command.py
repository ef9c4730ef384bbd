"""`python build.py new-pathway <id> --title "..."` as an author runs it, in a copy of the repository: it writes the
pathway from the templates, the copy then builds with the pathway in the site, and the pathway's own tests pass;
an id that exists or is not a slug is refused with a clear message, and nothing is written."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import NEW_PATHWAY

ID, MODULE = NEW_PATHWAY["id"], NEW_PATHWAY["module"]


def test_it_writes_the_module_page_nav_entry_cases_tests_and_hazard(new_pathway_repository):
    copy, said = new_pathway_repository
    written = [f"engine/pathways/{MODULE}.py", f"docs/{ID}.md", f"tests/cases/{ID}.json",
               f"tests/pathways/{MODULE}/__init__.py", f"tests/pathways/{MODULE}/test_rules.py", "mkdocs.yml",
               "safety/hazards.yml"]
    assert re.findall(r"^  (\S+)$", said, re.MULTILINE) == written
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    guideline = next(entry["Guideline"] for entry in yaml.load(config, Loader=yaml.BaseLoader)["nav"]
                     if isinstance(entry, dict) and "Guideline" in entry)
    assert guideline[-1] == {NEW_PATHWAY["short_title"]: f"{ID}.md"}
    # mkdocs.yml keeps its comments: the entry is added, nothing else changes.
    original = Path(__file__).resolve().parents[2] / "mkdocs.yml"
    assert [line for line in config.splitlines() if line not in original.read_text().splitlines()] == [
        f'      - "{NEW_PATHWAY["short_title"]}": {ID}.md']
    register = yaml.safe_load((copy / "safety" / "hazards.yml").read_text(encoding="utf-8"))["hazards"]
    assert register[-1]["title"] == f"Wrong regimen from the {NEW_PATHWAY['title']} pathway"
    assert int(register[-1]["id"][2:]) == int(register[-2]["id"][2:]) + 1


def test_the_copy_builds_with_the_new_pathway_in_the_site(new_pathway_site):
    def read(name: str) -> str:
        return (new_pathway_site / name / "index.html").read_text(encoding="utf-8")

    for name in (ID, f"calculator/{ID}", f"decision-tables/{ID}", f"inputs/{ID}", f"evidence-check/{ID}"):
        assert "<h1" in read(name), name
    home = (new_pathway_site / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<a href="{ID}/" class="md-nav__link', home)
    assert re.search(rf'<form id="calculator"[^>]* data-pathway="{ID}"', read(f"calculator/{ID}"))
    assert 'class="pathway-chart"' in read(f"decision-tables/{ID}")
    assert f'id="{ID}-regimen"' in read(f"evidence-check/{ID}") and "evidence-box" in read(ID)
    assert f"Wrong regimen from the {NEW_PATHWAY['title']} pathway" in read("hazard-log")


def test_the_new_pathways_own_tests_pass_in_the_copy(new_pathway_repository, new_pathway_site):
    copy, _ = new_pathway_repository
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"tests/pathways/{MODULE}",
                           "tests/engine/test_shared_cases.py", "-k", f"{MODULE} or {ID}"],
                          cwd=copy, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"^6 passed", done.stdout.splitlines()[-1]), done.stdout[-500:]


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "site" not in path.relative_to(root).parts[:1] and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize(("pathway_id", "says"), [
    (ID, f"pathway '{ID}' exists already"),
    ("b12-maintenance", "the engine already has a pathway 'b12-maintenance'"),
    ("Iron-deficiency", "is not a valid pathway id"),
    ("iron_deficiency", "is not a valid pathway id"),
    ("iron--deficiency", "is not a valid pathway id"),
    ("2-iron", "is not a valid pathway id"),
    ("../iron", "is not a valid pathway id"),
    ("class", "is a Python keyword"),
])
def test_an_id_that_exists_or_is_not_a_slug_is_refused_and_nothing_is_written(new_pathway_repository, pathway_id,
                                                                               says):
    copy, _ = new_pathway_repository
    before = tree_digest(copy)
    done = subprocess.run([sys.executable, "build.py", "new-pathway", pathway_id, "--title", "Another"], cwd=copy,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and says in done.stderr, done.stderr
    assert done.stderr.startswith("new-pathway: ") and "Traceback" not in done.stderr
    assert tree_digest(copy) == before


def test_without_a_title_it_says_how_to_call_it(new_pathway_repository):
    copy, _ = new_pathway_repository
    done = subprocess.run([sys.executable, "build.py", "new-pathway", "asthma"], cwd=copy, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "new-pathway needs an id and a title" in done.stderr
