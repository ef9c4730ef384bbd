"""The loading page of the guideline (docs/loading.md) against the second clinical review's text note: the
licence's weekly phase is never dropped, UK practice's course is named as the BNF's (not the licence's words),
and the source's 4 weekly injections appear as the source's statement beside primary guidance, never as an
instruction."""

from __future__ import annotations

import re

import engine
from tests.conftest import ROOT

PAGE = (ROOT / "docs" / "loading.md").read_text(encoding="utf-8")
(DESCRIPTOR,) = [pathway for pathway in engine.pathways() if pathway["id"] == "b12-loading"]


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", PAGE, re.S | re.M)
    assert match, f"docs/loading.md has no section {title!r}"
    return match.group(1)


def test_the_standard_course_keeps_the_licences_weekly_phase_and_names_uk_practice_as_the_bnfs():
    text = _section("Without neurological involvement")
    assert "within the uk licence" not in PAGE.lower()  # it dropped the weekly phase (review, loading.md note)
    assert "then 250 micrograms weekly until the blood count is normal" in text
    (practice,) = [line for line in text.splitlines() if "3 times a week for 2 weeks" in line]
    assert "[@bnf-hydroxocobalamin]" in practice and "not the licence's own words" in practice


def test_the_sources_four_weekly_injections_are_its_statement_beside_primary_guidance():
    text = _section("What the source document says instead")
    (statement,) = [line for line in text.splitlines() if "4 weekly" in line]
    assert statement.startswith("- **The source's statement:**") and "[@src1]" in statement
    assert "differs from the licence" in statement and "[@smpc-cobalin-h]" in statement
    assert ":::evidence b12-loading/four-weekly-injections" in text
    # Nowhere else does the page tell the reader to give weekly injections as a loading course.
    elsewhere = PAGE.replace(text, "")
    assert not re.search(r"give (4 )?weekly injections", elsewhere, re.I)


def test_every_rule_and_statement_of_the_loading_pathway_has_its_evidence_on_the_page():
    shown = set(re.findall(r"^:::evidence (.+)$", PAGE, re.M))
    shown = {name for line in shown for name in line.split()}
    scope_and_shared = {"scope-under-16", "scope-pregnancy", "review-at-3-months", "folic-acid", "course-given"}
    expected = {f"b12-loading/{rule['id']}" for rule in DESCRIPTOR["rules"] if rule["id"] not in scope_and_shared}
    expected |= {f"b12-loading/{statement['id']}" for statement in DESCRIPTOR["statements"]}
    assert expected - shown == set()
