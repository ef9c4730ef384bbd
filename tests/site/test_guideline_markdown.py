"""The guideline's Markdown extension: citations, evidence boxes made from the engine, and placeholders."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

import build
from sitebuild.citations import CitationError
from sitebuild.guideline_markdown import EvidenceBoxError, GuidelineExtension, unrendered
from sitebuild.model import gather

MODEL = gather(build.CONFIG, explore_pathways=False)
RULES = {rule["id"]: rule for pathway in MODEL.pathways for rule in pathway["rules"] + pathway["statements"]}


def render(text: str, model=MODEL, guideline=None) -> str:
    return markdown.markdown(text, extensions=[GuidelineExtension(model=model, guideline=guideline or {})])


def test_citations_become_numbered_links_to_the_references_page():
    html = render("A claim [@src3, @nice-ng239].")
    numbers = [MODEL.numbers["src3"], MODEL.numbers["nice-ng239"]]
    assert re.findall(r'<a href="/references\.md#ref-([\w-]+)" title="[^"]+">(\d+)</a>', html) == [
        ("src3", str(numbers[0])), ("nice-ng239", str(numbers[1]))]
    assert '<sup class="citation">[' in html and "]</sup>." in html


def test_an_unknown_citation_key_fails_naming_every_one():
    with pytest.raises(CitationError, match=r"unknown citation key\(s\) made-up, other;"):
        render("[@src1, @made-up] and [@other]")


def test_an_evidence_box_is_made_from_the_engines_evidence_check():
    html = render(":::evidence im-malabsorption")
    evidence = RULES["im-malabsorption"]["evidence"]
    assert f'data-evidence="{evidence["status"]}"' in html
    assert "Evidence check: agrees with primary guidance" in html
    assert evidence["note"] in html
    assert html.count('class="citation"') == 1  # its primary references, numbered
    assert 'href="/evidence-check/b12-maintenance.md#im-malabsorption"' in html


def test_one_box_may_name_several_records_of_one_status():
    html = render(":::evidence malabsorption-injections-for-life gastric-surgery")
    assert "Evidence check: differs from primary guidance" in html
    for record in ("malabsorption-injections-for-life", "gastric-surgery"):
        assert RULES[record]["title"] in html and f"#{record}" in html


def test_a_box_naming_records_of_different_statuses_is_refused_naming_them():
    with pytest.raises(EvidenceBoxError, match=r"statuses differ.*'im-malabsorption': 'agrees'.*'gastric-surgery'"):
        render(":::evidence im-malabsorption gastric-surgery")


def test_a_box_naming_what_no_pathway_has_is_refused():
    with pytest.raises(EvidenceBoxError, match="'no-such-rule' is no rule or statement"):
        render(":::evidence no-such-rule")


def test_an_id_two_pathways_share_must_name_its_pathway():
    (pathway,) = [item for item in MODEL.pathways if item["id"] == "b12-maintenance"]
    twin = dict(pathway, id="twin-pathway")
    model = dataclasses.replace(MODEL, pathways=(pathway, twin))
    with pytest.raises(EvidenceBoxError, match="a rule of several pathways: name one of b12-maintenance/folic-acid, "
                                               "twin-pathway/folic-acid"):
        render(":::evidence folic-acid", model)
    assert 'href="/evidence-check/twin-pathway.md#folic-acid"' in render(":::evidence twin-pathway/folic-acid", model)


def test_a_box_inside_a_list_item_is_rendered_there():
    html = render("1. **A cause**\n    - Some advice.\n\n    :::evidence ileal-resection-monthly\n")
    assert re.search(r"<li>.*evidence-box.*</li>", html, re.DOTALL)


def test_placeholders_take_the_sites_version_and_date():
    html = render("Version {{ guideline.version }} of {{ guideline.source_date }}.",
                  guideline={"version": "9.9", "source_date": "2030-01-01"})
    assert "Version 9.9 of 2030-01-01." in html


def test_what_is_left_unrendered_is_named():
    assert unrendered("a [@src1] b :::evidence x {{ guideline.version }}") == [
        "a citation", "an evidence box", "a guideline placeholder"]
    assert unrendered(render("[@src1]\n\n:::evidence b12-maintenance/folic-acid")) == []


def test_every_docs_page_box_renders_and_says_its_engine_status():
    """The text's evidence boxes and the engine can no longer disagree: each box states its records' status."""
    for path in sorted(Path(build.DOCS).glob("*.md")):
        html = render(path.read_text(encoding="utf-8"))
        for status, records in re.findall(r'data-evidence="(\w+)" data-evidence-records="([^"]+)"', html):
            for record in records.split():
                assert RULES[record]["evidence"]["status"] == status, (path.name, record)


class _PageContext(Preprocessor):
    """What Zensical registers on its Markdown instance: the page being rendered (its "rendering_context")."""

    def __init__(self, md: markdown.Markdown, path: str) -> None:
        super().__init__(md)
        self.page = SimpleNamespace(path=path, url=path.removesuffix(".md") + "/")

    def run(self, lines: list[str]) -> list[str]:
        return lines


class _GeneratorNamesThePage(Extension):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(_PageContext(md, self.path), "rendering_context", 0)


@pytest.mark.parametrize(("page", "up"), [("maintenance.md", ""), ("decision-tables/some-pathway.md", "../"),
                                          ("a/b/c.md", "../../")])
def test_links_are_relative_to_the_page_a_generator_other_than_mkdocs_names(page, up):
    pathway = MODEL.pathways[0]
    record, key = pathway["rules"][0]["id"], next(iter(MODEL.references))
    html = markdown.markdown(f"A claim [@{key}].\n\n:::evidence {pathway['id']}/{record}\n",
                             extensions=[_GeneratorNamesThePage(page), GuidelineExtension(model=MODEL, guideline={})])
    assert f'<a href="{up}references.md#ref-{key}"' in html
    assert f'href="{up}evidence-check/{pathway["id"]}.md#{record}"' in html
    assert 'href="/' not in html


def test_every_generated_page_links_relative_to_itself():
    from sitebuild.pages import generated_pages

    pages = generated_pages(MODEL, build.TEMPLATES, lambda pathway: "")
    rooted = {name: re.findall(r"\]\(/[^)]*\)|href=\"/[^\"]*\"", text) for name, text in pages.items()}
    assert {name: links for name, links in rooted.items() if links} == {}
    decision_table = pages[MODEL.pages(MODEL.pathways[0]["id"])["decision_table"]]
    assert f"](../evidence-check/{MODEL.pathways[0]['id']}.md#" in decision_table
