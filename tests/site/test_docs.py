"""The newcomer's documents against the repository: every path, make target and ``build.py`` option that README,
ARCHITECTURE, AUTHORING and TESTING name exists, and every ``build.py`` option is named in them (as Datasette's
``tests/test_docs.py`` holds its documentation to its code)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "ARCHITECTURE.md", "AUTHORING.md", "TESTING.md")
# Folders that setup or a build makes (not in a clean clone): a path in them names an output, not a source.
MADE = {".venv", "node_modules", "site", ".cache", "dist", "build"}
# Files a document may name by their bare name although the repository has none: the build writes them.
BUILT = {"sw.js", "precache-manifest.json", "manifest.webmanifest", "sitemap.xml", "engine-lock.json"}
SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".md", ".yml", ".j2", ".json", ".css", ".toml", ".txt")

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s#]+)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
MAKE = re.compile(r"\bmake ([a-z][\w-]*)")


def code(text: str) -> list[str]:
    """The document's code: every line of its fenced blocks and every inline code span, in order."""
    fenced = [line for block in FENCE.findall(text) for line in block.splitlines()[1:-1]]
    return fenced + SPAN.findall(FENCE.sub("", text))


def repository_paths(text: str) -> set[str]:
    """Every word of code or link target that names a file or folder of the repository.

    A word names one when its first part is a top-level entry of the repository (``engine/space.py``,
    ``.ci/run``) or when it is a bare file name with a source suffix (``calculator.js``). ``<pathway>`` is a
    placeholder (matched as ``*``); a pytest id keeps its ``::test`` part, checked in the file.
    """
    top_level = {entry.name for entry in ROOT.iterdir()} - MADE
    words = [word.strip("\"'(),;:") for snippet in code(text) for word in snippet.split()]
    words += LINK.findall(text)
    found = set()
    for word in words:
        path = word.split("::")[0]
        if not path or "://" in word or path.startswith(("/", "-")):
            continue
        first = path.split("/")[0]
        if ("/" in path and first in top_level) or ("/" not in path and path.endswith(SOURCE_SUFFIXES)):
            found.add(word.rstrip(".:"))
    return found


def missing(word: str) -> str | None:
    """Why ``word`` names nothing in the repository, or None when it does."""
    path, _, test = word.partition("::")
    pattern = re.sub(r"<[^>]+>", "*", path.rstrip("/"))
    if "/" in path:
        matches = list(ROOT.glob(pattern))
    else:
        matches = [found for found in source_files() if found.match(pattern)]
        if not matches and pattern in BUILT:
            return None
    if not matches:
        return f"{path} does not exist"
    name = test.split("::")[-1].split("[")[0]
    if name and "<" not in word and not any(re.search(rf"def {re.escape(name)}\b", match.read_text())
                                            for match in matches if match.is_file()):
        return f"{path} has no test {name}"
    return None


@functools.cache
def source_files() -> list[Path]:
    """Every file of the repository outside what setup and builds make."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name != ".git" and not (Path(folder) == ROOT and name in MADE)]
        found += [Path(folder, name) for name in files]
    return found


def make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.MULTILINE))


def build_options() -> set[str]:
    """The options ``python build.py --help`` lists: what the parser accepts, however it is written."""
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit):
        build.main(["--help"])
    return set(OPTION.findall(shown.getvalue()))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_repository_path_named_exists(document):
    named = repository_paths((ROOT / document).read_text(encoding="utf-8"))
    problems = sorted(filter(None, map(missing, named)))
    assert not problems, f"{document} names what the repository does not have:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_make_target_named_exists(document):
    named = {target for snippet in code((ROOT / document).read_text(encoding="utf-8"))
             for target in MAKE.findall(snippet)}
    unknown = named - make_targets()
    assert not unknown, f"{document} names make targets the Makefile lacks: {sorted(unknown)}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_build_option_named_exists(document):
    options = build_options()
    named = {option for snippet in code((ROOT / document).read_text(encoding="utf-8")) if "build.py" in snippet
             for option in OPTION.findall(snippet)}
    # ARCHITECTURE lists them as bare code spans after "Options:".
    for line in (ROOT / document).read_text(encoding="utf-8").splitlines():
        if "Options:" in line:
            named |= set(OPTION.findall(line))
    unknown = named - options
    assert not unknown, f"{document} names build.py options that `python build.py --help` lacks: {sorted(unknown)}"


def test_every_build_option_is_documented():
    text = "\n".join((ROOT / document).read_text(encoding="utf-8") for document in DOCUMENTS)
    undocumented = {option for option in build_options() - {"--help"} if f"`{option}`" not in text
                    and not re.search(rf"build\.py[^`\n]*{re.escape(option)}\b", text)}
    assert not undocumented, f"build.py options no document names: {sorted(undocumented)}"


def test_the_readme_stays_short():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= 8000, f"README.md is {size} bytes: keep it under 8 kB and move the rest to ARCHITECTURE.md, " \
                         "AUTHORING.md or TESTING.md"


def test_a_document_naming_what_does_not_exist_is_caught():
    text = ("See `engine/no_such_module.py`, `tests/engine/test_validation.py::test_no_such_test`, "
            "[results](benchmarks/results.md) and `calculator.js`.\n```sh\nmake serve\n```\n")
    problems = sorted(filter(None, map(missing, repository_paths(text))))
    assert problems == ["engine/no_such_module.py does not exist",
                        "tests/engine/test_validation.py has no test test_no_such_test"]
    assert MAKE.findall("\n".join(code(text))) == ["serve"]
