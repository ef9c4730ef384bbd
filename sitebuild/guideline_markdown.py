"""The guideline's Markdown: citations, evidence boxes from the engine, and the guideline's version and date.

A Python-Markdown extension, listed in mkdocs.yml's ``markdown_extensions``, so that any generator that reads
that list (MkDocs, or a successor that runs no MkDocs hooks) renders the same text:

- ``[@key]`` or ``[@key1, @key2]`` after a statement becomes a superscript of numbered links to the
  references page; a key the registry lacks fails the page.
- A paragraph ``:::evidence im-malabsorption`` (several ids allowed) becomes the evidence box of those rules
  or statements, made from the engine's own evidence check: its status, note, primary references and a
  link to the entry. Ids whose statuses differ cannot share one box: the page fails, naming them.
- ``{{ guideline.version }}`` and ``{{ guideline.source_date }}`` become the site's version and source date.

Links are written relative to the page, to the Markdown file they lead to (``../references.md#ref-src3`` from
``decision-tables/<id>.md``), as an author writes them, so that every generator turns them into the page's URL
as it does an author's links. The page comes from the generator's own processors (``page_source``): MkDocs and
ProperDocs keep it on their "relpath" treeprocessor, Zensical on its "rendering_context" preprocessor. Only
where neither is there are links written root-relative to the docs folder (``/references.md``), which MkDocs
makes relative itself (``validation.links.absolute_links: relative_to_docs``). The build's verify step fails
on any marker left unrendered, so a build by a generator that skipped this extension cannot pass.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from sitebuild.citations import CITATION, CitationError, anchor, cited_keys
from sitebuild.model import SITE_PAGES, ModelError, SiteModel, relative_link

EVIDENCE_DIRECTIVE = re.compile(r"^:::evidence[ \t]+(?P<ids>[^\n]+?)[ \t]*$")
# What the box of each status says, and which admonition style (colour and icon) it takes.
BOX = {
    "agrees": ("success", "agrees with primary guidance"),
    "differs": ("warning", "differs from primary guidance"),
    "unsourced": ("note", "no primary source found"),
}
UNRENDERED = (("[@", "a citation"), (":::evidence", "an evidence box"), ("{{ guideline.", "a guideline placeholder"))


class EvidenceBoxError(ValueError):
    """An evidence box names an unknown record, or records whose statuses differ."""


def page_source(md: Markdown) -> str | None:
    """The Markdown path (relative to the docs folder) of the page being converted, as the generator knows it."""
    # A Markdown Registry has no get().
    relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None  # noqa: SIM401 - MkDocs
    source_file = getattr(relpath, "file", None)
    if source_file is not None:
        return str(source_file.src_uri)
    context = (md.preprocessors["rendering_context"]  # noqa: SIM401 - Zensical
               if "rendering_context" in md.preprocessors else None)
    page = getattr(context, "page", None)
    if page is not None and getattr(page, "path", None):
        return str(page.path).replace("\\", "/").lstrip("/")
    return None


def link_to(md: Markdown, target: str) -> str:
    """A link from the page being converted to ``target`` (a Markdown path in the docs folder, with an optional
    #fragment): relative to the page when the generator says which page it is, else root-relative to the docs."""
    page = page_source(md)
    return f"/{target}" if page is None else relative_link(page, target)


class _Citations(InlineProcessor):
    def __init__(self, model: SiteModel, md: Markdown) -> None:
        super().__init__(CITATION.pattern, md)
        self.model = model

    def handleMatch(self, match: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        keys = cited_keys(match.group(0))
        unknown = [key for key in keys if key not in self.model.numbers]
        if unknown:  # a citation made by an evidence box: its keys come from the engine, which checks them
            raise CitationError(f"unknown citation key(s) {', '.join(unknown)}")
        sup = etree.Element("sup", {"class": "citation"})
        sup.text = "["
        for index, key in enumerate(keys):
            reference = self.model.references[key]
            year = f" ({reference['year']})" if reference.get("year") else ""
            link = etree.SubElement(sup, "a", {"href": link_to(self.md, f"{SITE_PAGES['references']}#{anchor(key)}"),
                                               "title": f"{reference['title']}{year}"})
            link.text = str(self.model.numbers[key])
            link.tail = ", " if index < len(keys) - 1 else "]"
        return sup, match.start(0), match.end(0)


class _EvidenceBoxes(BlockProcessor):
    def __init__(self, parser: Any, model: SiteModel) -> None:
        super().__init__(parser)
        self.model = model

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(EVIDENCE_DIRECTIVE.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first, _, rest = blocks.pop(0).partition("\n")
        if rest.strip():
            blocks.insert(0, rest)
        names = EVIDENCE_DIRECTIVE.match(first).group("ids").split()
        try:
            records = [self.model.evidence_record(name) for name in names]
        except ModelError as problem:
            raise EvidenceBoxError(f"evidence box {first.strip()!r}: {problem}") from None
        statuses = {record.id: record.evidence["status"] for record in records}
        if len(set(statuses.values())) != 1:
            raise EvidenceBoxError(
                f"evidence box {first.strip()!r} names records whose statuses differ ({statuses}): one box says "
                "one status, so give each status a box of its own")
        style, words = BOX[records[0].evidence["status"]]
        box = etree.SubElement(parent, "div", {"class": f"admonition {style} evidence-box",
                                               "data-evidence": records[0].evidence["status"],
                                               "data-evidence-records": " ".join(r.id for r in records)})
        title = etree.SubElement(box, "p", {"class": "admonition-title"})
        title.text = f"Evidence check: {words}"
        for record in records:
            cites = record.evidence["references"]
            citation = f" [@{', @'.join(cites)}]" if cites else ""
            lead = f"**{record.title}:** " if len(records) > 1 else ""
            self.parser.parseChunk(box, f"{lead}{record.evidence['note']}{citation} "
                                        f"[See the evidence check]({link_to(self.parser.md, record.link)}).")


class _Placeholders(Preprocessor):
    """The site's facts in place of their placeholders; and every unknown citation key of the page, at once."""

    def __init__(self, md: Markdown, guideline: dict[str, Any], model: SiteModel) -> None:
        super().__init__(md)
        self.values = {f"{{{{ guideline.{key} }}}}": html.escape(str(value)) for key, value in guideline.items()}
        self.model = model

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        unknown = sorted({key for key in cited_keys(text) if key not in self.model.numbers})
        if unknown:
            raise CitationError(f"unknown citation key(s) {', '.join(unknown)}; known keys are listed by "
                                "`python -m engine references`")
        for placeholder, value in self.values.items():
            text = text.replace(placeholder, value)
        return text.split("\n")


class GuidelineExtension(Extension):
    """Configured in mkdocs.yml (``guideline``: the site's version and source date); build.py passes ``model``."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "guideline": [{}, "the site's guideline facts: version, source_date (from mkdocs.yml's extra)"],
            # Not None: Python-Markdown would turn a None-defaulted option into a bool.
            "model": ["", "the site model build.py gathered; without it the extension reads the engine"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        model = self.getConfig("model") or _standalone_model()
        md.preprocessors.register(_Placeholders(md, self.getConfig("guideline"), model), "guideline_placeholders", 27)
        # Before the link pattern (160): "[@key]" must never be read as a link reference.
        md.inlinePatterns.register(_Citations(model, md), "guideline_citations", 175)
        # Before paragraphs and lists take the line.
        md.parser.blockprocessors.register(_EvidenceBoxes(md.parser, model), "guideline_evidence", 95)


_STANDALONE: SiteModel | None = None


def _standalone_model() -> SiteModel:
    """For a generator other than build.py: the engine's records, read once per process (no input space)."""
    global _STANDALONE
    if _STANDALONE is None:
        from pathlib import Path

        from sitebuild.model import gather

        _STANDALONE = gather(Path(__file__).resolve().parent.parent / "mkdocs.yml", explore_pathways=False)
    return _STANDALONE


def makeExtension(**kwargs: Any) -> GuidelineExtension:
    return GuidelineExtension(**kwargs)


def unrendered(text: str) -> list[str]:
    """What a built page still holds of this extension's markers (the verify step fails on any)."""
    return [what for marker, what in UNRENDERED if marker in text]
