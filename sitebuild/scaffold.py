"""``python build.py new-pathway <id> --title "..."``: a new pathway's files, written from the templates in
``site_templates/new-pathway/``.

It writes the pathway module (one scope question, one rule, one regimen), its guideline page and that page's
entry in mkdocs.yml's nav, its shared cases, its test folder and its entry in the hazard register. The site then
builds and the tests pass with the new pathway in them; its author replaces each TODO with the source's.

Nothing is written unless everything can be: an id that is not a slug or that anything already uses is refused
with a message saying why, and the files are all rendered and checked before the first is written.
"""

from __future__ import annotations

import ast
import datetime
import json
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_ID = 40
MAX_TITLE = 120
HAZARD = re.compile(r"^  - id: H-(\d+)\s*$", re.MULTILINE)
NAV_SECTION = "Guideline"


class ScaffoldError(ValueError):
    """The id or title cannot be used; the message says why and nothing was written."""


@dataclass(frozen=True)
class NewPathway:
    id: str
    title: str
    short_title: str

    @property
    def module(self) -> str:
        return self.id.replace("-", "_")


def check(root: Path, new: NewPathway, existing_ids: set[str], reference_keys: set[str]) -> None:
    """Raise ScaffoldError naming every reason the pathway cannot be added."""
    if not SLUG.fullmatch(new.id) or len(new.id) > MAX_ID:
        raise ScaffoldError(f"{new.id!r} is not a valid pathway id: use lower-case letters, digits and single hyphens, "
                            f"starting with a letter, at most {MAX_ID} characters (e.g. 'iron-deficiency')")
    if keyword.iskeyword(new.module):
        raise ScaffoldError(f"{new.id!r} cannot be a pathway id: its module name {new.module!r} is a Python keyword")
    for what, text in (("--title", new.title), ("--short-title", new.short_title)):
        if not text.strip() or "\n" in text or len(text) > MAX_TITLE:
            raise ScaffoldError(f"{what} must be one line of 1 to {MAX_TITLE} characters")
    taken = []
    if new.id in existing_ids:
        taken.append(f"the engine already has a pathway {new.id!r}")
    if f"{new.id}-source" in reference_keys:
        taken.append(f"the reference key {new.id}-source exists")
    for path in planned_paths(root, new):
        if path.exists():
            taken.append(f"{path.relative_to(root)} exists")
    if f"{new.id}.md" in (root / "mkdocs.yml").read_text(encoding="utf-8"):
        taken.append(f"mkdocs.yml already names {new.id}.md")
    if taken:
        raise ScaffoldError(f"pathway {new.id!r} exists already ({'; '.join(taken)}): choose another id; nothing "
                            "was written")


def planned_paths(root: Path, new: NewPathway) -> list[Path]:
    """The files and folder the command creates (it also adds to mkdocs.yml and safety/hazards.yml)."""
    return [root / "engine" / "pathways" / f"{new.module}.py", root / "docs" / f"{new.id}.md",
            root / "tests" / "cases" / f"{new.id}.json", root / "tests" / "pathways" / new.module]


def with_nav_entry(config: str, new: NewPathway) -> str:
    """mkdocs.yml's text with the guideline page as the last entry of the nav's Guideline section (or of the nav),
    its comments and layout kept."""
    lines = config.split("\n")
    entry = f"{json.dumps(new.short_title)}: {new.id}.md"
    try:
        start = lines.index("nav:")
    except ValueError:
        raise ScaffoldError("mkdocs.yml has no top-level `nav:` to add the guideline page to") from None
    end = start + 1
    while end < len(lines) and (lines[end].startswith(" ") or not lines[end].strip()):
        end += 1
    nav = lines[start + 1:end]
    section = next((index for index, line in enumerate(nav) if line.strip() == f"- {NAV_SECTION}:"), None)
    if section is None:
        last = max(index for index, line in enumerate(nav) if line.strip())
        nav.insert(last + 1, f"  - {entry}")
    else:
        indent = len(nav[section]) - len(nav[section].lstrip())
        last = section
        while last + 1 < len(nav) and len(nav[last + 1]) - len(nav[last + 1].lstrip()) > indent:
            last += 1
        child = nav[section + 1] if section + 1 < len(nav) else ""
        child_indent = len(child) - len(child.lstrip()) if last > section else indent + 4
        nav.insert(last + 1, " " * child_indent + f"- {entry}")
    return "\n".join(lines[:start + 1] + nav + lines[end:])


def next_hazard_id(register: str) -> str:
    numbers = [int(number) for number in HAZARD.findall(register)]
    return f"H-{max(numbers, default=0) + 1:02d}"


def render(root: Path, templates: Path, new: NewPathway, today: datetime.date) -> dict[Path, str]:
    """Every file to write (new files, and mkdocs.yml and the hazard register with the additions), checked."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)  # Python, Markdown, JSON and YAML
    register_path = root / "safety" / "hazards.yml"
    register = register_path.read_text(encoding="utf-8")
    facts = {"id": new.id, "title": new.title, "short_title": new.short_title, "module": new.module,
             "today": today.isoformat(), "hazard_id": next_hazard_id(register)}
    module, guideline, cases, tests = planned_paths(root, new)
    files = {
        module: env.get_template("pathway.py.j2").render(facts),
        guideline: env.get_template("guideline.md.j2").render(facts),
        cases: env.get_template("cases.json.j2").render(facts),
        tests / "__init__.py": "",
        tests / "test_rules.py": env.get_template("test_rules.py.j2").render(facts),
        root / "mkdocs.yml": with_nav_entry((root / "mkdocs.yml").read_text(encoding="utf-8"), new),
        register_path: register.rstrip("\n") + "\n" + env.get_template("hazard.yml.j2").render(facts),
    }
    # A template that renders to something its reader cannot parse fails here, before anything is written.
    for path, text in files.items():
        try:
            if path.suffix == ".py":
                ast.parse(text, filename=str(path))
            elif path.suffix == ".json":
                json.loads(text)
            elif path.suffix in (".yml", ".yaml"):
                yaml.load(text, Loader=_AnyTags)
        except (SyntaxError, ValueError, yaml.YAMLError) as problem:
            raise ScaffoldError(f"{path.relative_to(root)} would not be valid ({problem}); nothing was written") \
                from None
    return files


class _AnyTags(yaml.SafeLoader):
    """Safe YAML that ignores the tags MkDocs adds (!ENV, !relative, python names)."""


_AnyTags.add_multi_constructor("", lambda loader, suffix, node: None)


def new_pathway(root: Path, templates: Path, new: NewPathway, existing_ids: set[str], reference_keys: set[str],
                today: datetime.date | None = None) -> list[Path]:
    """Write the new pathway's files; returns them. Raises ScaffoldError (and writes nothing) if it cannot."""
    check(root, new, existing_ids, reference_keys)
    files = render(root, templates, new, today or datetime.date.today())
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
