"""Pages generated from the site model: per pathway a decision table, an input reference, an evidence check and
a calculator; for the site the references and the hazard log (from the hazard register in safety/)."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from engine.exploration import ITEM_KINDS
from sitebuild import hazards
from sitebuild.flowchart import pathway_chart
from sitebuild.model import SELF_TEST, SITE_PAGES, SiteModel, relative_link

KINDS = {
    "scope": "Scope",
    "regimen": "Regimen",
    "finding": "Findings",
    "monitoring": "Monitoring",
    "caution": "Cautions",
}
STATUSES = {
    "agrees": "The primary guidance says the same.",
    "differs": "The primary guidance says something different: read the note before relying on it.",
    "unsourced": "No primary source was found for the statement (or for part of it).",
}


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _cite(keys: list[str]) -> str:
    # Rendered into numbered links by the guideline Markdown extension, like every other citation on the site.
    return f"[@{', @'.join(keys)}]" if keys else ""


def _badge(status: str) -> str:
    return f'<span class="evidence-status evidence-status--{status}">{status.capitalize()}</span>'


def _allowed(field: dict[str, Any]) -> str:
    if field["type"] == "enum":
        return "; ".join(f"`{choice['value']}` ({choice['label']})" for choice in field["choices"])
    if field["type"] == "bool":
        return "true or false"
    if "min" in field or "max" in field:
        low = f"more than {field['min']}" if field.get("min_exclusive") else f"from {field['min']}"
        kind = "whole number" if field["type"] == "integer" else field["type"]
        return f"{kind} {low} to {field['max']}"
    return field["type"]


def _required(field: dict[str, Any]) -> str:
    if field["required"]:
        return "yes"
    if "required_when" in field:
        return field["required_when"]["text"]
    return "no"


def _default(field: dict[str, Any]) -> str:
    if "default" not in field:
        return "—"
    value = field["default"]
    return "false" if value is False else "true" if value is True else f"`{value}`"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _cell
    env.globals.update(cite=_cite, badge=_badge, allowed=_allowed, required=_required, default=_default)
    return env


def _reference_entries(model: SiteModel) -> list[dict[str, Any]]:
    entries = []
    for key, reference in model.references.items():
        see_also = [{"key": other, "number": model.numbers[other], "title": model.references[other]["title"]}
                    for other in reference.get("see_also", [])]
        entries.append({**reference, "number": model.numbers[key], "see_also": see_also})
    return entries


def _evidence_records(pathway: dict[str, Any]) -> list[dict[str, Any]]:
    records = [
        {"id": rule["id"], "heading": rule["title"], "statement": f"{rule['when']}: {rule['then']}.",
         "references": rule["references"], "evidence": rule["evidence"], "basis": rule["basis"], "rule": True}
        for rule in pathway["rules"]
    ]
    records += [
        {"id": note["id"], "heading": note["title"], "statement": f"{note['statement']}.",
         "references": note["references"], "evidence": note["evidence"], "basis": None, "rule": False}
        for note in pathway["statements"]
    ]
    return records


def _plan(answer: dict[str, Any]) -> str:
    if not answer["in_scope"]:
        return "Outside this pathway"
    return answer["regimen"]["summary"] if answer["regimen"] else "No regimen (findings only)"


def _items(counts: dict[str, Counter[str]], total: int, scale: int = 1, of: bool = False) -> str:
    """"`id` severity (classes); ..." for a group of classes: how often each item comes, and at which severity
    (``of``: "n of total" rather than a count of classes of the whole space)."""
    def share(n: int) -> str:
        return "all" if n == total else f"{n} of {total}" if of else f"{n * scale:,}"

    parts = [f"`{item_id}` " + ", ".join(f"{severity} ({share(n)})".lstrip() for severity, n in severities.items())
             for item_id, severities in counts.items()]
    return "; ".join(parts) or "—"


def _tally(answers: list[tuple[dict[str, Any], int]], kind: str) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for answer, count in answers:
        for item in answer[kind]:
            item_id = item if isinstance(item, str) else item["id"]
            counts.setdefault(item_id, Counter())[item.get("severity", "") if isinstance(item, dict) else ""] += count
    return counts


def _input_classes(model: SiteModel, pathway_id: str) -> dict[str, Any] | None:
    """What the decision table reports of the pathway's input space (None when it was not explored): one row per
    distinct regimen (or answer), with how many classes lead to it and the cautions and monitoring they get, and
    the groups of rules that depend on answers of their own, whatever the regimen."""
    found = model.explorations.get(pathway_id)
    if found is None:
        return None
    others = found.classes // len(found.groups[0].by_class)  # classes of the other groups, for each core class
    by_plan: dict[str, list[tuple[dict[str, Any], int]]] = {}
    for answer, count in found.core_counts():
        by_plan.setdefault(_plan(answer), []).append((answer, count))
    rows = []
    for plan, answers in sorted(by_plan.items(), key=lambda item: -sum(count for _, count in item[1])):
        total = sum(count for _, count in answers)
        rows.append({"plan": plan, "classes": total * others,
                     "cautions": _items(_tally(answers, "cautions"), total, others),
                     "monitoring": _items(_tally(answers, "monitoring"), total, others)})
    independent = []
    for group in found.groups[1:]:
        counts = Counter(group.by_class.values())
        answers = [(group.answers[index], counts[index]) for index in range(len(group.answers))]
        total = len(group.by_class)
        shown = "; ".join(text for text in (_items(_tally(answers, kind), total, of=True) for kind in ITEM_KINDS)
                          if text != "—")
        independent.append({"inputs": [dimension.label for dimension in group.space.dimensions],
                            "classes": total, "outcomes": shown})
    return {
        "classes": found.classes,
        "evaluated": found.evaluated,
        "dimensions": [{"label": dimension.label, "classes": [item.label for item in dimension.classes]}
                       for dimension in found.space.dimensions()],
        "rows": rows,
        "independent": independent,
        "overridden": sorted((pair, count * others) for pair, count in found.overridden.items()),
    }


def _hazard_log(env: jinja2.Environment, model: SiteModel, link: Callable[[str], str] | None = None) -> str:
    """The hazard log page; raises hazards.HazardError naming every hazard and test that is wrong."""
    link = link or partial(relative_link, SITE_PAGES["hazard_log"])
    links = hazards.evidence_links(model)
    register = hazards.load_register(rules=links)
    if not register.tests_checked:
        # A build from a copy of the sources without tests/ (e.g. an sdist) cannot check the test ids: say so
        # here and on the page rather than fail, as the build from the repository does check them.
        print("build: warning: tests/ is missing, so the test ids of the hazard log were not checked",
              file=sys.stderr, flush=True)
    return env.get_template("hazard-log.md.j2").render(
        hazards=register.hazards, tests_checked=register.tests_checked, severities=hazards.SEVERITIES,
        likelihoods=hazards.LIKELIHOODS, ratings=hazards.RATINGS, rating=hazards.risk_rating, evidence=links,
        link=link,
    )


def generated_pages(model: SiteModel, templates: Path, form: Callable[[dict[str, Any]], str]) -> dict[str, str]:
    """Every generated page by its Markdown path (the paths of ``model.url_map()``); each template links with
    ``link(path)``, page-relative."""
    env = environment(templates / "pages")
    entries = _reference_entries(model)
    site = model.url_map()["site"]
    pages: dict[str, str] = {
        site["references"]: env.get_template("references.md.j2").render(
            groups=[{**group, "references": [entry for entry in entries if entry["group"] == group["id"]]}
                    for group in model.reference_groups]),
        site["hazard_log"]: _hazard_log(env, model),
    }
    for pathway in model.pathways:
        urls = model.pages(pathway["id"])
        facts = {"pathway": pathway, "pages": urls, "kinds": KINDS}
        exploration = model.explorations.get(pathway["id"])
        chart = pathway_chart(pathway, exploration, KINDS) if exploration is not None else None
        pages[urls["decision_table"]] = env.get_template("decision-table.md.j2").render(
            **facts, space=_input_classes(model, pathway["id"]), chart=chart,
            link=partial(relative_link, urls["decision_table"]))
        pages[urls["inputs"]] = env.get_template("inputs.md.j2").render(
            **facts, link=partial(relative_link, urls["inputs"]))
        pages[urls["evidence"]] = env.get_template("evidence-check.md.j2").render(
            **facts, statuses=STATUSES, records=_evidence_records(pathway),
            link=partial(relative_link, urls["evidence"]))
        pages[urls["calculator"]] = env.get_template("calculator.md.j2").render(**facts, form=form(pathway))
    return pages


def answer_tables(model: SiteModel) -> dict[str, str]:
    """Each pathway's answer table as JSON text, by its path in the docs folder."""
    return {model.answer_table_path(pathway_id): json.dumps(table, ensure_ascii=False, separators=(",", ":"))
            for pathway_id, table in model.answer_tables.items()}


def write_generated_pages(docs: Path, pages: dict[str, str]) -> list[Path]:
    """Write the generated pages into ``docs`` (the staging copy); a hand-written page of the same name fails."""
    written = []
    for name, text in pages.items():
        target = docs / name
        if target.exists():
            raise FileExistsError(f"docs/{name} is generated from the engine: remove it from docs/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


# The calculator page's element ids, in one place: the form template renders them and the page script reads them
# from the calculator's data-config (it spells no id of its own). A field's ids are a prefix and its input key.
CALCULATOR_IDS: dict[str, Any] = {
    "form": "calculator",
    "status": "engine-status",
    "retry": "engine-retry",
    "form_errors": "form-errors",
    "result_heading": "result-heading",
    "result": "result",
    "copy": "action-copy",
    "print": "action-print",
    "ics": "action-ics",
    "action_status": "action-status",
    "field": {"control": "field-", "help": "help-", "when": "when-", "error": "error-"},
}


def calculator_form_renderer(templates: Path, model: SiteModel, build: dict[str, Any]) -> Callable[[dict], str]:
    """A function rendering the calculator form of a pathway from ``site_templates/calculator/form.html.j2``."""
    env = environment(templates / "calculator")
    reference_facts = {
        key: {"number": model.numbers[key], "title": ref["title"], "year": ref["year"],
              "listed_in_source": ref["listed_in_source"]}
        for key, ref in model.references.items()
    }

    def url(path: str, depth: int) -> str:
        # A Markdown path as the URL a page ``depth`` folders down reaches it by (directory URLs).
        page = path.removesuffix("index.md").removesuffix(".md")
        return "../" * depth + (page if page.endswith("/") or not page else page + "/")

    def render(pathway: dict[str, Any]) -> str:
        urls = model.pages(pathway["id"])
        depth = urls["calculator"].count("/")  # calculator/<pathway-id>/ with directory URLs
        links = {name: url(path, depth) for name, path in urls.items() if name != "calculator"}
        links |= {"references": url(model.url_map()["site"]["references"], depth),
                  "answers": "../" * depth + model.answer_table_path(pathway["id"]),
                  "self_test": "../" * depth + SELF_TEST,
                  "intended_use": url("intended-use.md", depth),
                  "calculators": {other["id"]: url(model.pages(other["id"])["calculator"], depth)
                                  for other in model.pathways}}
        return env.get_template("form.html.j2").render(
            pathway=pathway, references=reference_facts, links=links, build=build, ids=CALCULATOR_IDS)

    return render


# site_templates/<folder> -> where it goes in the site (MkDocs copies non-Markdown files from docs).
STATIC_FOLDERS = {"assets": "assets/calculator", "static": "assets/site"}


def stage_docs(docs: Path, templates: Path, staging: Path) -> None:
    """Copy the guideline text and the site's own static files into a fresh staging folder."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(docs, staging)
    for folder, target in STATIC_FOLDERS.items():
        if (templates / folder).exists():
            shutil.copytree(templates / folder, staging / target)
