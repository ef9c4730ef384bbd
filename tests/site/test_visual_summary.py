"""The visual summary (sitebuild/flowchart.py): a flowchart of each pathway made from the engine's records at build
time, at the top of its decision table; a changed rule changes it."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

import engine
from engine.exploration import explore
from sitebuild.flowchart import condition_fields, dot_source, pathway_chart, split_regimen_rules
from sitebuild.pages import KINDS
from tests.pathways.toy_course import toy_course


def toy_chart(pathway=toy_course.PATHWAY) -> str:
    return pathway_chart(pathway.descriptor(), explore(pathway), KINDS)


def texts(svg: str) -> str:
    """The chart's words, one line of a node after another (as a reader sees them)."""
    return " ".join(re.sub(r"\s+", " ", text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_toy_pathways_chart_shows_its_scope_question_its_choosing_question_and_both_courses():
    chart = toy_chart()
    words = texts(chart)
    assert words.index("1. Not an adult?") < words.index("Outside this pathway") < words.index(" yes ")
    assert "Outside this pathway" in words and "Questions that choose the regimen" in words
    assert "• Severity" in words and "2 distinct regimens" in words
    assert "Test tablet 10 mg twice a day for 7 days" in words and "for 3 days" in words
    # Each rule in the chart links to its row of the decision table (the rule's id is its anchor there).
    links = set(re.findall(r'<a xlink:href="#([^"]+)"', chart))
    assert links == {"toy-children", "toy-short", "toy-long"}


def test_a_changed_rule_changes_the_chart():
    before = toy_chart()
    rules = tuple(dataclasses.replace(rule, outcome=toy_course.Course(10)) if rule.id == "toy-long" else rule
                  for rule in toy_course.RULES)
    changed = dataclasses.replace(toy_course.PATHWAY, rules=rules)
    after = toy_chart(changed)
    assert "for 7 days" in texts(before) and "for 7 days" not in texts(after)
    assert "Test tablet 10 mg twice a day for 10 days" in texts(after)
    # A rule no longer there is no longer in the chart.
    without = dataclasses.replace(toy_course.PATHWAY, rules=tuple(rule for rule in toy_course.RULES
                                                                  if rule.id != "toy-children"))
    assert 'xlink:href="#toy-children"' in before and 'xlink:href="#toy-children"' not in toy_chart(without)
    assert "Outside this pathway" not in texts(toy_chart(without))


def test_choosing_and_modifying_rules_are_told_apart_by_what_their_outcome_sets():
    for pathway in engine.pathways():
        if not pathway["gives_regimen"]:
            continue
        choosing, modifying = split_regimen_rules(pathway)
        regimen_rules = [rule for rule in pathway["rules"] if rule["kind"] == "regimen" and rule["outcome"].get("plan")]
        assert choosing and {rule["id"] for rule in choosing + modifying} == {rule["id"] for rule in regimen_rules}
        inputs = {field["key"] for field in pathway["inputs"]}
        # A modifier's outcome reads another answer or sets another part of the plan than the choosing rules.
        for rule in modifying:
            plan = rule["outcome"]["plan"]
            parts = set(choosing[0]["outcome"]["plan"])
            assert not (set(plan) & parts) or any(value in inputs for part in plan.values() if isinstance(part, dict)
                                                  for value in part.values()), rule["id"]
        for rule in choosing:
            assert condition_fields(rule["condition"]), rule["id"]


def test_the_graph_is_graphviz_source_with_one_node_per_scope_rule():
    source = dot_source(toy_course.PATHWAY.descriptor(), explore(toy_course.PATHWAY), KINDS)
    assert source.startswith("digraph summary {") and source.count("-> out") == 1


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def decision_table(site, pathway_id: str) -> str:
    return (site / "decision-tables" / pathway_id / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("pathway_id", [pathway["id"] for pathway in engine.pathways()])
def test_each_decision_table_opens_with_its_chart_inline_with_no_script_and_named(built_site, pathway_id):
    page = decision_table(built_site, pathway_id)
    figure = page[page.index('<figure class="pathway-chart"'):page.index("</figure>") + len("</figure>")]
    # The chart comes first: after the page's heading, before the first table.
    assert page.index("<h1") < page.index('<figure class="pathway-chart"') < page.index("<table")
    parser = _Elements()
    parser.feed(figure)
    tags = {tag for tag, _ in parser.tags}
    assert "svg" in tags and "script" not in tags and "foreignobject" not in tags and "image" not in tags
    attributes = [value for _, attrs in parser.tags for value in attrs.values() if value]
    assert not [value for value in attributes if re.match(r"(?:[a-z]+:)?//", value) and "w3.org" not in value]
    # Named and described (the table below stays its text alternative), and its links lead to rules on this page.
    (svg,) = [attrs for tag, attrs in parser.tags if tag == "svg"]
    assert svg["role"] == "group" and svg["aria-label"].startswith("Visual summary of")
    description = re.search(rf'<p class="pathway-chart__description" id="{svg["aria-describedby"]}">([^<]+)</p>',
                            figure).group(1)
    assert "rules table below" in description
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    links = [attrs["xlink:href"] for tag, attrs in parser.tags if tag == "a"]
    assert links and all(link.startswith("#") and link[1:] in ids for link in links), links
    # Every regimen rule that chooses the regimen is in it.
    pathway = next(pathway for pathway in engine.pathways() if pathway["id"] == pathway_id)
    choosing, _ = split_regimen_rules(pathway)
    assert {f"#{rule['id']}" for rule in choosing} <= set(links)


def test_the_calculator_links_to_the_chart(built_site):
    for pathway in engine.pathways():
        calculator = (built_site / "calculator" / pathway["id"] / "index.html").read_text(encoding="utf-8")
        assert f'href="../../decision-tables/{pathway["id"]}/#visual-summary"' in calculator
