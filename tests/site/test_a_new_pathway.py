"""A new pathway joins the site by adding its module to engine/pathways/: no JavaScript, template or build edit.

The toy pathway (tests/pathways/toy_course/toy_course.py, never in the product site) has another result shape
than B12 maintenance: a finite course with dated doses, a finding and a caution of its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.pathways.toy_course import toy_course

PAGES = ("calculator/toy-course", "decision-tables/toy-course", "inputs/toy-course", "evidence-check/toy-course")


def read(site, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_the_toy_pathway_is_a_valid_pathway_whose_every_input_class_is_answered():
    from engine.exploration import explore

    found = explore(toy_course.PATHWAY)
    # severity 2 x adult 2 x weight 3 (below 150, at least 150, not given); no rule looks at the start date.
    assert found.problems == [] and found.classes == 2 * 2 * 3


def test_its_pages_are_built_beside_the_b12_pages(toy_site):
    for name in PAGES:
        assert "<h1" in read(toy_site, name), name
    for name in ("calculator/b12-maintenance", "decision-tables/b12-maintenance"):
        assert "<h1" in read(toy_site, name), name
    calculator = read(toy_site, "calculator/toy-course")
    assert re.search(r'<form id="calculator"[^>]* data-pathway="toy-course"', calculator)
    config = json.loads(re.search(r"data-config='([^']*)'", calculator).group(1).replace("&#39;", "'"))
    assert config["pathway"]["id"] == "toy-course"


def test_its_pages_join_the_nav_without_an_edit_to_mkdocs_yml(toy_site, toy_repository):
    assert "toy" not in (toy_repository / "mkdocs.yml").read_text(encoding="utf-8")
    home = (toy_site / "index.html").read_text(encoding="utf-8")
    for name in PAGES:
        assert re.search(rf'<a href="{name}/" class="md-nav__link[^"]*">\s*(?:<span[^>]*>\s*)*Fictional course\s*<',
                         home), name


def test_its_references_and_evidence_check_come_from_its_module(toy_site):
    references = read(toy_site, "references")
    assert "Fictional references" in references and 'id="ref-toy-ref"' in references
    evidence = read(toy_site, "evidence-check/toy-course")
    for rule in toy_course.RULES:
        assert f'id="{rule.id}"' in evidence
    table = read(toy_site, "decision-tables/toy-course")
    assert "12 classes" in table and "Test tablet 10 mg twice a day for 7 days" in table


def test_the_engine_in_the_copy_lists_and_evaluates_it(toy_repository):
    listed = subprocess.run([sys.executable, "-m", "engine", "list"], cwd=toy_repository, capture_output=True,
                            text=True, check=True)
    # Beside the repository's own pathways (whatever `new-pathway` has added), in module-name order.
    import engine

    listed_ids = [pathway["id"] for pathway in json.loads(listed.stdout)]
    assert sorted(listed_ids) == sorted([*(pathway["id"] for pathway in engine.pathways()), "toy-course"])
    done = subprocess.run([sys.executable, "-m", "engine", "evaluate", "toy-course", "--input", "-"],
                          cwd=toy_repository, input='{"severity": "severe", "adult": true, "weight_kg": 160}',
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["regimen"]["course"] == {"days": 7, "doses": 14} and "interval" not in result["regimen"]
    assert [caution["id"] for caution in result["cautions"]] == ["toy-heavy"]
