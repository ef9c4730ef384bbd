"""The site model: what the engine says and what mkdocs.yml says, read once and handed to every build step.

``gather`` reads the engine (pathway descriptors, references, the input space of each pathway) and the site's
identity from mkdocs.yml. The URL map (``pages``) is the one place that says where each generated page
of a pathway lives; the nav, the templates, the evidence boxes and the calculator's links all use it.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import engine
from engine.answers import answer_table
from engine.exploration import Exploration, explore
from engine.pathways import PATHWAYS
from sitebuild.citations import numbering

# Where each generated page of a pathway lives (Markdown source paths, relative to the docs folder).
PATHWAY_PAGES = {
    "calculator": "calculator/{id}/index.md",
    "decision_table": "decision-tables/{id}.md",
    "inputs": "inputs/{id}.md",
    "evidence": "evidence-check/{id}.md",
}
SITE_PAGES = {"references": "references.md", "hazard_log": "hazard-log.md"}
# The answer table of each pathway (engine.answers), a file the calculator fetches: in the docs folder so
# that MkDocs copies it into the site and the offline store keeps it.
ANSWER_TABLE = "assets/answers/{id}.json"
# The on-device self-test's expected answers (engine.self_test), beside the answer tables.
SELF_TEST = "assets/answers/self-test.json"


def relative_link(here: str, target: str) -> str:
    """A Markdown link from the page ``here`` to ``target`` (both Markdown paths in the docs folder; the target may
    have a #fragment), relative to the page as an author writes it: every generator resolves such a link."""
    path, hash_mark, fragment = target.partition("#")
    return posixpath.relpath(path, posixpath.dirname(here) or ".") + hash_mark + fragment


class ModelError(ValueError):
    """mkdocs.yml lacks what the site's identity needs, or the engine contradicts itself."""


@dataclass(frozen=True)
class Identity:
    """The site's own name and version, from mkdocs.yml (``site_name``, ``site_description``, ``extra.guideline``),
    and its disclaimer, from the pathways (each pathway's ``disclaimer``)."""

    name: str
    description: str
    short_name: str
    version: str
    source_date: str
    disclaimer: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description, "short_name": self.short_name,
                "version": self.version, "source_date": self.source_date, "disclaimer": self.disclaimer}


@dataclass(frozen=True)
class EvidenceRecord:
    """A rule or source statement with an entry on its pathway's evidence check page."""

    pathway: str
    id: str
    title: str
    evidence: dict[str, Any]
    page: str  # the evidence check page's Markdown path

    @property
    def link(self) -> str:
        return f"{self.page}#{self.id}"


@dataclass(frozen=True)
class SiteModel:
    identity: Identity
    pathways: tuple[dict[str, Any], ...]  # descriptors, in the engine's order
    references: dict[str, dict[str, Any]]
    reference_groups: tuple[dict[str, Any], ...]
    numbers: dict[str, int]  # reference key -> its number on every page
    explorations: Mapping[str, Exploration] = field(default_factory=dict)
    answer_tables: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # by pathway (engine.answers)

    def answer_table_path(self, pathway_id: str) -> str:
        return ANSWER_TABLE.format(id=pathway_id)

    def pages(self, pathway_id: str) -> dict[str, str]:
        """The Markdown paths of a pathway's generated pages."""
        return {name: path.format(id=pathway_id) for name, path in PATHWAY_PAGES.items()}

    def url_map(self) -> dict[str, Any]:
        """Every generated page: per pathway, and site-wide."""
        return {"pathways": {pathway["id"]: self.pages(pathway["id"]) for pathway in self.pathways},
                "site": dict(SITE_PAGES)}

    def evidence_records(self) -> dict[str, list[EvidenceRecord]]:
        """Rule or statement id -> its records (one per pathway that has that id)."""
        found: dict[str, list[EvidenceRecord]] = {}
        for pathway in self.pathways:
            page = self.pages(pathway["id"])["evidence"]
            for record in pathway["rules"] + pathway["statements"]:
                found.setdefault(record["id"], []).append(
                    EvidenceRecord(pathway["id"], record["id"], record["title"], record["evidence"], page))
        return found

    def evidence_record(self, name: str) -> EvidenceRecord:
        """The record a name means: ``id`` when one pathway has it, else ``pathway-id/id``."""
        pathway_id, _, record_id = name.rpartition("/")
        records = [record for record in self.evidence_records().get(record_id, [])
                   if not pathway_id or record.pathway == pathway_id]
        if not records:
            raise ModelError(f"{name!r} is no rule or statement of any pathway's evidence check")
        if len(records) > 1:
            options = ", ".join(f"{record.pathway}/{record.id}" for record in records)
            raise ModelError(f"{name!r} is a rule of several pathways: name one of {options}")
        return records[0]


def read_identity(config_path: Path, pathways: Iterable[dict[str, Any]] | None = None) -> Identity:
    """The site's identity from mkdocs.yml and the pathways' descriptors, with a message naming what is missing.

    The disclaimer has one home, the pathways (it is also the last line of their exports, made by the engine
    where no mkdocs.yml exists): the site's is theirs, each distinct wording once, in the engine's order.
    """
    config = _load_yaml(config_path)
    extra = config.get("extra") or {}
    guideline = extra.get("guideline") or {}
    if "disclaimer" in guideline:
        raise ModelError(f"{config_path}: extra.guideline.disclaimer is no longer read: the disclaimer is each "
                         "pathway's own `disclaimer` (engine/pathways/), shown in the footer; remove it from there")
    wanted = {"site_name": config.get("site_name"), "site_description": config.get("site_description"),
              "extra.guideline.short_name": guideline.get("short_name"),
              "extra.guideline.version": guideline.get("version"),
              "extra.guideline.source_date": guideline.get("source_date")}
    missing = [key for key, value in wanted.items() if not value]
    if missing:
        raise ModelError(f"{config_path} lacks {', '.join(missing)}: the site's name and version come from there")
    said = [pathway["disclaimer"] for pathway in (engine.pathways() if pathways is None else pathways)]
    disclaimers = [text for position, text in enumerate(said) if text and text not in said[:position]]
    if not disclaimers:
        raise ModelError("no pathway states a disclaimer (each pathway's `disclaimer` in engine/pathways/): "
                         "the footer needs one")
    return Identity(str(config["site_name"]), str(config["site_description"]), str(guideline["short_name"]),
                    str(guideline["version"]), str(guideline["source_date"]), " ".join(disclaimers))


class _Loader(yaml.SafeLoader):
    """Safe YAML that ignores the tags MkDocs adds (!ENV, !relative, python names in mkdocs-material)."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _load_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader) or {}


def engine_digest() -> str:
    """A digest of the engine's sources: what every input class's answer is a function of."""
    package = Path(engine.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def explorations(cache: Path | None = None) -> dict[str, tuple[Exploration, dict[str, Any]]]:
    """Every input class of every pathway evaluated and checked (engine.exploration), with its answer table
    (engine.answers). Evaluating them all takes seconds, so the result is kept in ``cache`` by the digest of
    the engine's sources, as the wheel is."""
    key = engine_digest()
    stored = cache / f"explorations-{key}.json" if cache else None
    if stored is not None and stored.exists():
        data = json.loads(stored.read_text(encoding="utf-8"))
        if set(data) == set(PATHWAYS):
            return {pathway_id: (Exploration.from_json(PATHWAYS[pathway_id], found["exploration"]), found["table"])
                    for pathway_id, found in data.items()}
    found = {}
    for pathway_id, pathway in PATHWAYS.items():
        exploration = explore(pathway)
        found[pathway_id] = (exploration, None if exploration.problems else answer_table(exploration))
    if stored is not None and all(table is not None for _, table in found.values()):
        stored.parent.mkdir(parents=True, exist_ok=True)
        for old in stored.parent.glob("explorations-*.json"):
            old.unlink()
        stored.write_text(json.dumps({pathway_id: {"exploration": exploration.to_json(), "table": table}
                                      for pathway_id, (exploration, table) in found.items()}), encoding="utf-8")
    return found


def gather(config_path: Path, explore_pathways: bool = True, cache: Path | None = None) -> SiteModel:
    """Read the engine and mkdocs.yml once; ``explore_pathways`` also evaluates every input class (see
    ``explorations``)."""
    references = engine.references()
    explored = explorations(cache) if explore_pathways else {}
    pathways = tuple(engine.pathways())
    return SiteModel(
        identity=read_identity(config_path, pathways),
        pathways=pathways,
        references=references,
        reference_groups=tuple(engine.reference_groups()),
        numbers=numbering(references),
        explorations={pathway_id: exploration for pathway_id, (exploration, _) in explored.items()},
        answer_tables={pathway_id: table for pathway_id, (_, table) in explored.items() if table is not None},
    )
