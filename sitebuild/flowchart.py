"""The visual summary of a pathway: a flowchart made at build time from the engine's records, laid out by Graphviz.

It opens the pathway's decision-table page, whose rules table stays its text alternative. Top to bottom:

- the **scope questions**: each scope rule, in the engine's order, leads out of the pathway when it applies;
- the **questions that choose the regimen**: the inputs that the conditions of the choosing rules read;
- the **rules that choose** it: regimen rules that set the plan with a fixed value;
- the **distinct regimens** the engine gives over every class of inputs (its exploration), each with links to the
  rules that shape it in the table below;
- beside them, **what modifies** a regimen: regimen rules whose outcome depends on another answer (for example
  "one step more frequent than the current interval") or sets a part of the plan the choosing rules do not.

Nothing is drawn by hand: a changed rule changes the chart. The SVG goes into the page itself (no script, nothing
from another origin). Its colours are set by the site's stylesheet through CSS variables, so it follows the
light and dark palettes and prints in black on white; its links are page-relative (``#rule-id``).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from engine.exploration import Exploration

# Characters per line of a node's text: the chart stays about 760 px wide, the content width of a tablet in
# portrait (810 px) or of a desktop page, so it is shown at its own size, never scaled down.
WRAP = 46
SIDE_WRAP = 34
FONT = "Helvetica,Arial,sans-serif"
FONT_SIZE = 14
ANCHOR = "visual-summary"


class ChartError(RuntimeError):
    """Graphviz is missing or failed."""


def rule_numbers(pathway: Mapping[str, Any], kinds: Iterable[str]) -> dict[str, int]:
    """Each rule's number in the decision table (rules by kind in the table's order, then in the engine's)."""
    ordered = [rule for kind in kinds for rule in pathway["rules"] if rule["kind"] == kind]
    return {rule["id"]: number for number, rule in enumerate(ordered, start=1)}


def condition_fields(condition: Any) -> list[str]:
    """The input keys a condition (the engine's JSON form) reads, in the order it reads them."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "field" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(condition)
    return list(dict.fromkeys(found))


def _reads_an_answer(value: Any, inputs: set[str]) -> bool:
    """Whether an outcome's value is computed from another answer (e.g. ``{"step_down_from": "current_..."}``)."""
    if isinstance(value, dict):
        return any(_reads_an_answer(item, inputs) for item in value.values())
    if isinstance(value, list):
        return any(_reads_an_answer(item, inputs) for item in value)
    return isinstance(value, str) and value in inputs


def split_regimen_rules(pathway: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The regimen rules that choose the regimen, and those that modify it (see the module docstring).

    Rules without a plan (a constraint the engine checks) are neither. The parts of the plan the first regimen
    rule sets are the ones that choose; a rule setting none of them with a fixed value modifies.
    """
    inputs = {field["key"] for field in pathway["inputs"]}
    planned = [rule for rule in pathway["rules"] if rule["kind"] == "regimen" and rule["outcome"].get("plan")]
    if not planned:
        return [], []
    choosing_parts = set(planned[0]["outcome"]["plan"])
    choosing, modifying = [], []
    for rule in planned:
        plan = rule["outcome"]["plan"]
        fixed = {part for part, value in plan.items() if not _reads_an_answer(value, inputs)}
        if fixed & choosing_parts and fixed == set(plan):
            choosing.append(rule)
        else:
            modifying.append(rule)
    return choosing, modifying


def distinct_regimens(exploration: Exploration) -> list[dict[str, Any]]:
    """Each distinct regimen over every class of inputs in scope, with the rules that shape it (most classes first)."""
    found: dict[str, dict[str, Any]] = {}
    for answer, count in exploration.core_counts():
        if not answer["in_scope"] or not answer["regimen"]:
            continue
        regimen = answer["regimen"]
        entry = found.setdefault(regimen["summary"], {"summary": regimen["summary"], "rules": {}, "classes": 0})
        entry["classes"] += count
        for rule in regimen.get("rules", []):
            entry["rules"][rule["id"] if isinstance(rule, dict) else rule] = True
    return sorted(found.values(), key=lambda entry: -entry["classes"])


# ---------------------------------------------------------------- the graph


def _text(text: str, width: int = WRAP, bold: bool = False) -> str:
    lines = [html.escape(line) for line in textwrap.wrap(text, width) or [""]]
    joined = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
    return f"<B>{joined}</B>" if bold else joined


def _heading(text: str, columns: int = 1) -> str:
    return f'<TR><TD ALIGN="LEFT" COLSPAN="{columns}"><B>{html.escape(text)}</B></TD></TR>'


def _rule_cell(rule_id: str, number: int, text: str | None = None, width: int = WRAP) -> str:
    """A cell linking to the rule's row in the table below: its number, and its text when given (a number alone is
    a 26 x 26 px target, above WCAG 2.5.8's 24)."""
    link = f'HREF="#{html.escape(rule_id)}" TOOLTIP="Rule {number}: {html.escape(rule_id)}"'
    if text is None:
        return f'<TD {link} WIDTH="26" HEIGHT="26" FIXEDSIZE="TRUE">{number}</TD>'
    return f'<TD ALIGN="LEFT" BALIGN="LEFT" {link}>{_text(f"{number}. {text}", width)}</TD>'


def _table(rows: list[str], css: str) -> str:
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3">'
            + "".join(rows) + "</TABLE>>")


def dot_source(pathway: Mapping[str, Any], exploration: Exploration, kinds: Iterable[str]) -> str:
    """The Graphviz description of a pathway's flowchart."""
    numbers = rule_numbers(pathway, kinds)
    labels = {field["key"]: field["label"] for field in pathway["inputs"]}
    scope = [rule for rule in pathway["rules"] if rule["kind"] == "scope"]
    choosing, modifying = split_regimen_rules(pathway)
    regimens = distinct_regimens(exploration)
    lines = [
        "digraph summary {",
        f'  graph [rankdir=TB, bgcolor="transparent", nodesep=0.3, ranksep=0.35, fontname="{FONT}", '
        f'fontsize={FONT_SIZE}, pad=0.1];',
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize={FONT_SIZE}, margin="0.12,0.06"];',
        f'  edge [fontname="{FONT}", fontsize={FONT_SIZE - 1}, arrowsize=0.7];',
        f'  start [label={_table([_heading(pathway.get("short_title") or pathway["title"])], "chart-start")}, '
        'class="chart-start"];',
    ]
    previous = "start"
    if scope:
        lines.append('  out [label=<<B>Outside this pathway</B><BR/>no regimen from it>, class="chart-out"];')
    for index, rule in enumerate(scope):
        node = f"scope{index}"
        label = _table(["<TR>" + _rule_cell(rule["id"], numbers[rule["id"]], f'{rule["when"]}?', SIDE_WRAP + 6)
                        + "</TR>"],
                       "chart-question")
        lines.append(f'  {node} [label={label}, class="chart-question"];')
        lines.append(f'  {previous} -> {node}' + (' [label=" no"]' if previous != "start" else "") + ";")
        lines.append(f'  {node} -> out [label=" yes", class="chart-out-edge"];')
        lines.append(f"  {{rank=same; {node};" + (" out;" if index == 0 else "") + "}")
        previous = node
    if choosing:
        asked = list(dict.fromkeys(key for rule in choosing for key in condition_fields(rule["condition"])))
        rows = [_heading("Questions that choose the regimen")]
        rows += [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{_text("• " + labels.get(key, key))}</TD></TR>'
                 for key in asked]
        lines.append(f'  questions [label={_table(rows, "chart-questions")}, class="chart-questions"];')
        lines.append(f'  {previous} -> questions' + (' [label=" no"]' if scope else "") + ";")
        rows = [_heading("Rules that choose it")]
        rows += ["<TR>" + _rule_cell(rule["id"], numbers[rule["id"]], rule["title"]) + "</TR>" for rule in choosing]
        lines.append(f'  choosing [label={_table(rows, "chart-rules")}, class="chart-rules"];')
        lines.append("  questions -> choosing;")
        previous = "choosing"
    if regimens:
        # One column per rule that shapes any regimen, so that a rule's number stands in the same column in every row.
        shaping = sorted({numbers[rule_id]: rule_id for regimen in regimens for rule_id in regimen["rules"]
                          if rule_id in numbers}.items())
        rows = [_heading(f"{len(regimens)} distinct regimen{'s' if len(regimens) != 1 else ''}, with the rules "
                         "that shape each", 1 + len(shaping))]
        for regimen in regimens:
            cells = "".join(_rule_cell(rule_id, number) if rule_id in regimen["rules"] else "<TD></TD>"
                            for number, rule_id in shaping)
            rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{_text(regimen["summary"], 40)}</TD>{cells}</TR>')
        lines.append(f'  regimens [label={_table(rows, "chart-regimens")}, class="chart-regimens"];')
        lines.append(f"  {previous} -> regimens;")
    if modifying:
        rows = [_heading("What modifies it")]
        rows += [f"<TR>{_rule_cell(rule['id'], numbers[rule['id']], rule['title'], SIDE_WRAP)}</TR>"
                 for rule in modifying]
        lines.append(f'  modifiers [label={_table(rows, "chart-modifiers")}, class="chart-modifiers"];')
        lines.append('  modifiers -> regimens [style=dashed, label=" changes", class="chart-modifier-edge"];')
        lines.append("  {rank=same; modifiers; choosing;}" if choosing else "")
    lines.append("}")
    return "\n".join(line for line in lines if line)


def render_svg(source: str) -> str:
    """The chart as an SVG element for a page: Graphviz's output without its prolog, comments and the node names
    it gives as titles, with page-relative links (``#rule-id``) and its width only (the stylesheet sizes it)."""
    dot = shutil.which("dot")
    if dot is None:
        raise ChartError("Graphviz's `dot` is not installed: run `make setup` (it installs the graphviz package "
                         "with apt), or `apt-get install graphviz`")
    done = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise ChartError(f"Graphviz could not lay out the chart: {done.stderr.strip()}")
    svg = done.stdout[done.stdout.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<title>[^<]*</title>\s*", "", svg)
    # Links stay xlink:href, not SVG 2's href: the theme's instant navigation re-assigns `element.href` of every
    # element matching [href] in a new page, which throws for an SVG link (its href is read-only); the
    # namespaced attribute does not match [href].
    svg = re.sub(r'\s+xmlns:xlink="[^"]*"', "", svg)
    svg = re.sub(r'\sid="([^"]+)"', lambda match: f' id="chart-{match.group(1)}"', svg)
    # Width and height in points would fix its size; the viewBox keeps its proportions.
    match = re.search(r'<svg width="(\d+)pt" height="(\d+)pt"', svg)
    if match is None:
        raise ChartError("Graphviz's SVG has no size")
    # One point of the layout is one CSS pixel: the text is then 14 px, larger than the tables' text below.
    svg = svg.replace(match.group(0), f'<svg class="pathway-chart__svg" width="{match.group(1)}"', 1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def pathway_chart(pathway: Mapping[str, Any], exploration: Exploration, kinds: Iterable[str]) -> str:
    """The visual summary as an HTML figure for the top of the decision-table page."""
    kinds = list(kinds)
    svg = render_svg(dot_source(pathway, exploration, kinds))
    scope = sum(rule["kind"] == "scope" for rule in pathway["rules"])
    choosing, modifying = split_regimen_rules(pathway)
    regimens = len(distinct_regimens(exploration))
    asked = {key for rule in choosing for key in condition_fields(rule["condition"])}
    name = f"Visual summary of {pathway['title']}"
    modified = (f"{_count(len(modifying), 'rule')} modify it" if len(modifying) != 1 else "1 rule modifies it"
                ) if modifying else "nothing modifies it"
    description = (f"A flowchart generated from the engine's rules: {_count(scope, 'scope question')} "
                   f"{'leads' if scope == 1 else 'lead'} out of the pathway; {_count(len(asked), 'question')} "
                   f"{'chooses' if len(asked) == 1 else 'choose'} the regimen through {_count(len(choosing), 'rule')}, "
                   f"{modified}, and it ends in {_count(regimens, 'distinct regimen')}, each linked to the rules "
                   "that shape it. The rules table below says the same in text.")
    svg = svg.replace('<svg class="pathway-chart__svg"',
                      f'<svg class="pathway-chart__svg" role="group" aria-label="{html.escape(name)}"'
                      f' aria-describedby="{ANCHOR}-description"', 1)
    return (f'<figure class="pathway-chart" id="{ANCHOR}" aria-labelledby="{ANCHOR}-caption">\n'
            f'<figcaption id="{ANCHOR}-caption">{html.escape(name)}</figcaption>\n{svg}\n'
            f'<p class="pathway-chart__description" id="{ANCHOR}-description">{html.escape(description)}</p>\n'
            "</figure>")
