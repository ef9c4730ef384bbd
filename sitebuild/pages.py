"""Pages generated from the engine: references, evidence check, decision tables, input reference, calculator;
and the hazard log, from the hazard register in safety/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import jinja2

import engine
from sitebuild import hazards
from sitebuild.citations import numbering

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
    # Rendered into numbered links by the citation hook, like every other citation on the site.
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


def _reference_entries() -> list[dict[str, Any]]:
    references = engine.references()
    numbers = numbering(references)
    entries = []
    for key, reference in references.items():
        see_also = [{"key": other, "number": numbers[other], "title": references[other]["title"]}
                    for other in reference.get("see_also", [])]
        entries.append({**reference, "number": numbers[key], "see_also": see_also})
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


def _hazard_log(env: jinja2.Environment) -> str:
    """The hazard log page; raises hazards.HazardError naming every hazard and test that is wrong."""
    register = hazards.load_register()
    if not register.tests_checked:
        # A build from a copy of the sources without tests/ (e.g. an sdist) cannot check the test ids: say so
        # here and on the page rather than fail, as the build from the repository does check them.
        print("build: warning: tests/ is missing, so the test ids of the hazard log were not checked",
              file=sys.stderr, flush=True)
    return env.get_template("hazard-log.md.j2").render(
        hazards=register.hazards, tests_checked=register.tests_checked, severities=hazards.SEVERITIES,
        likelihoods=hazards.LIKELIHOODS, ratings=hazards.RATINGS, rating=hazards.risk_rating,
    )


def write_generated_pages(docs: Path, templates: Path, calculator: dict[str, Any]) -> list[Path]:
    """Render every generated page into ``docs`` (the staging copy); returns the files written.

    ``calculator`` holds the build facts the calculator page needs: ``build``
    (build id and versions) and a ``form`` callable rendering the form for a pathway.
    """
    env = environment(templates / "pages")
    pathways = engine.pathways()
    entries = _reference_entries()
    pages: dict[str, str] = {
        "references.md": env.get_template("references.md.j2").render(
            source_refs=[entry for entry in entries if entry["group"] == "source"],
            primary_refs=[entry for entry in entries if entry["group"] == "primary"],
        ),
        "evidence-check.md": env.get_template("evidence-check.md.j2").render(
            statuses=STATUSES,
            pathways=[{**pathway, "records": _evidence_records(pathway),
                       "decision_table": f"decision-tables/{pathway['id']}.md"} for pathway in pathways],
        ),
        "hazard-log.md": _hazard_log(env),
    }
    for pathway in pathways:
        pages[f"decision-tables/{pathway['id']}.md"] = env.get_template("decision-table.md.j2").render(
            pathway=pathway, kinds=KINDS
        )
        pages[f"inputs/{pathway['id']}.md"] = env.get_template("inputs.md.j2").render(pathway=pathway)
        pages[f"calculator/{pathway['id']}/index.md"] = env.get_template("calculator.md.j2").render(
            pathway=pathway, form=calculator["form"](pathway)
        )
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


def calculator_form_renderer(templates: Path, build: dict[str, Any]):
    """A function rendering the calculator form of a pathway from ``site_templates/calculator/form.html.j2``."""
    env = environment(templates / "calculator")
    references = engine.references()
    numbers = numbering(references)
    reference_facts = {
        key: {"number": numbers[key], "title": ref["title"], "year": ref["year"],
              "listed_in_source": ref["listed_in_source"]}
        for key, ref in references.items()
    }

    def render(pathway: dict[str, Any]) -> str:
        up = "../../"  # calculator/<pathway-id>/ with directory URLs
        return env.get_template("form.html.j2").render(
            pathway=pathway,
            references=reference_facts,
            links={
                "references": f"{up}references/",
                "decision_table": f"{up}decision-tables/{pathway['id']}/",
                "inputs": f"{up}inputs/{pathway['id']}/",
                "evidence": f"{up}evidence-check/",
                "intended_use": f"{up}intended-use/",
            },
            build=build,
            ids=CALCULATOR_IDS,
        )

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
