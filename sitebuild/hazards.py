"""The hazard register (``safety/hazards.yml``): loaded, checked and turned into records for the hazard log page.

The register is kept in the style of NHS DCB0129 clinical risk management. Each hazard gives its
causes, effect and harm, its initial risk, the mitigations in the product and the tests that verify
them, and its residual risk. Risk ratings are never typed: they are computed here from severity and
likelihood with the DCB0129 risk matrix. Every test a mitigation names must exist in ``tests/``
(checked with ``ast``, without importing the tests), so the log cannot cite verification that is not there.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from sitebuild.model import SiteModel

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "safety" / "hazards.yml"

# DCB0129's scales, mildest first, with their interpretation (for one patient unless said otherwise).
SEVERITIES: dict[str, str] = {
    "minor": "Minor injury from which recovery is expected in the short term; minor psychological upset; "
             "inconvenience; any negligible consequence.",
    "significant": "Minor injury from which recovery is not expected in the short term; significant psychological "
                   "trauma (one patient); or minor injury, upset or inconvenience to many.",
    "considerable": "Severe injury or incapacity from which recovery is expected in the short term; severe "
                    "psychological trauma (one patient); or lasting minor injury to many.",
    "major": "Death or permanent life-changing incapacity of one patient; or severe injury, incapacity or "
             "psychological trauma of many from which recovery is expected.",
    "catastrophic": "Death or permanent life-changing incapacity of many patients.",
}
LIKELIHOODS: dict[str, str] = {
    "very low": "Negligible or nearly negligible possibility of occurring.",
    "low": "Could occur, but in the great majority of occasions will not.",
    "medium": "Possible.",
    "high": "Not certain but very possible; reasonably expected to occur in the majority of cases.",
    "very high": "Certain or almost certain; highly likely to occur.",
}
# The DCB0129 risk matrix: likelihood -> the rating for each severity, in SEVERITIES' order.
MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "very high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very low": (1, 1, 2, 2, 3),
}
RATINGS: dict[int, str] = {
    5: "Unacceptable level of risk.",
    4: "Mandatory elimination of the hazard or control to reduce the risk to an acceptable level.",
    3: "Undesirable level of risk: attempts should be made to eliminate or control it; acceptable only when "
       "further risk reduction is impractical.",
    2: "Acceptable where the cost of further reduction outweighs the benefits gained.",
    1: "Acceptable; no further action required.",
}
# The highest residual rating the register may carry, and the rating that must say why it is accepted.
HIGHEST_ACCEPTABLE = 3
NEEDS_RATIONALE = 3

HAZARD_ID = re.compile(r"H-\d{2,}")
HAZARD_KEYS = {"id", "title", "causes", "effect", "harm", "initial", "mitigations", "residual"}
OPTIONAL_HAZARD_KEYS = {"residual_rationale", "actions"}
MITIGATION_KEYS = {"text", "tests"}
OPTIONAL_MITIGATION_KEYS = {"rules"}
RISK_KEYS = {"severity", "likelihood"}
TYPED_RISK = "'risk' is computed from severity and likelihood with the DCB0129 matrix: remove it"


class HazardError(ValueError):
    """The hazard register is malformed or names a test or rule that does not exist; the message lists every problem."""


def risk_rating(severity: str, likelihood: str) -> int:
    """The DCB0129 risk rating (1-5) of a severity and a likelihood."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; allowed: {', '.join(SEVERITIES)}")
    if likelihood not in LIKELIHOODS:
        raise ValueError(f"unknown likelihood {likelihood!r}; allowed: {', '.join(LIKELIHOODS)}")
    return MATRIX[likelihood][list(SEVERITIES).index(severity)]


@dataclass(frozen=True)
class Risk:
    severity: str
    likelihood: str

    @property
    def rating(self) -> int:
        return risk_rating(self.severity, self.likelihood)

    @property
    def meaning(self) -> str:
        return RATINGS[self.rating]


@dataclass(frozen=True)
class Mitigation:
    text: str
    tests: tuple[str, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    causes: tuple[str, ...]
    effect: str
    harm: str
    initial: Risk
    mitigations: tuple[Mitigation, ...]
    residual: Risk
    residual_rationale: str | None = None
    actions: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def tests(self) -> list[str]:
        """Every test named by the hazard's mitigations, once each, in order."""
        return list(dict.fromkeys(test for mitigation in self.mitigations for test in mitigation.tests))


@dataclass(frozen=True)
class Register:
    hazards: tuple[Hazard, ...]
    tests_checked: bool  # False when tests/ was absent (a build from a copy without tests): see load_register


# ---------------------------------------------------------------- test ids


class _TestIndex:
    """Test functions per file, read with ``ast`` (never imported: a test module may need a browser)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, dict[str, set[str]] | str] = {}

    def problem(self, test_id: str) -> str | None:
        """Why ``test_id`` names no test, or None when it does."""
        path, *names = test_id.split("::")
        if not (path.startswith("tests/") and len(names) in (1, 2) and all(names)):
            return "is not a pytest id of the form tests/<file>.py::test_name or tests/<file>.py::TestClass::test_name"
        if not re.fullmatch(r"(test_[^/]*|[^/]*_test)\.py", path.rsplit("/", 1)[-1]):
            return f"names {path}, which pytest does not collect (test files are test_*.py or *_test.py)"
        # A parametrized id (test_rule[im-malabsorption]) names its function; the parameter is checked by
        # tests/site/test_hazard_log.py, which asks pytest to collect every id of the register.
        names[-1] = re.sub(r"\[.*\]$", "", names[-1])
        functions = self._functions(path)
        if isinstance(functions, str):
            return functions
        owner = names[0] if len(names) == 2 else ""
        if owner and owner not in functions:
            return f"does not exist: {path} has no class {owner}"
        if names[-1] not in functions.get(owner, set()):
            where = f"class {owner} in {path}" if owner else path
            return f"does not exist: {where} has no test function {names[-1]}"
        if not names[-1].startswith("test"):
            return f"names {names[-1]}, which is not a test (pytest collects functions named test*)"
        return None

    def _functions(self, path: str) -> dict[str, set[str]] | str:
        """Class name ('' for module level) -> function names, or why the file cannot be read."""
        if path not in self._files:
            file = self.root / path
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            except FileNotFoundError:
                self._files[path] = f"does not exist: there is no file {path}"
            except (OSError, SyntaxError, UnicodeDecodeError) as problem:
                self._files[path] = f"cannot be checked: {path} does not parse ({problem})"
            else:
                self._files[path] = _functions_of(tree)
        return self._files[path]


def _functions_of(tree: ast.Module) -> dict[str, set[str]]:
    def names(body: Iterable[ast.stmt]) -> set[str]:
        return {node.name for node in body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}

    found = {"": names(tree.body)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = names(node.body)
    return found


# ---------------------------------------------------------------- the register


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_text(item) for item in value)


def _keys(where: str, entry: dict[str, Any], required: set[str], optional: set[str], problems: _Problems) -> None:
    missing = sorted(required - set(entry))
    if missing:
        problems.add(where, f"missing {', '.join(missing)}")
    for key in sorted(set(entry) - required - optional):
        problems.add(where, TYPED_RISK if key == "risk" else f"unknown key '{key}'")


def _risk(where: str, value: Any, problems: _Problems) -> Risk | None:
    if not isinstance(value, dict):
        problems.add(where, "must be a mapping with severity and likelihood")
        return None
    _keys(where, value, RISK_KEYS, set(), problems)
    severity, likelihood = value.get("severity"), value.get("likelihood")
    ok = True
    if "severity" in value and severity not in SEVERITIES:
        problems.add(where, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        ok = False
    if "likelihood" in value and likelihood not in LIKELIHOODS:
        problems.add(where, f"likelihood {likelihood!r} is not one of {', '.join(LIKELIHOODS)}")
        ok = False
    return Risk(severity, likelihood) if ok and set(value) >= RISK_KEYS else None


def _mitigation(where: str, value: Any, rules: Mapping[str, str], tests: _TestIndex | None,
                problems: _Problems) -> Mitigation | None:
    if not isinstance(value, dict):
        problems.add(where, "must be a mapping with text and tests")
        return None
    _keys(where, value, MITIGATION_KEYS, OPTIONAL_MITIGATION_KEYS, problems)
    if "text" in value and not _text(value["text"]):
        problems.add(where, "text must be non-empty text")
    named = value.get("tests")
    if "tests" in value and not _texts(named):
        problems.add(where, "tests must be a non-empty list of pytest ids: every mitigation needs a test verifying it")
        named = []
    for test_id in named or []:
        problem = tests.problem(test_id) if tests else None
        if problem:
            problems.add(where, f"test {test_id} {problem}")
    cited = value.get("rules", [])
    if not (isinstance(cited, list) and all(isinstance(rule, str) for rule in cited)):
        problems.add(where, "rules must be a list of rule ids")
        cited = []
    for rule in cited:
        if rule not in rules:
            problems.add(where, f"rule {rule!r} is not a rule or statement of the evidence check (or names one of "
                                "several pathways' rules: write pathway-id/rule-id)")
    if not (_text(value.get("text")) and named):
        return None
    return Mitigation(text=value["text"].strip(), tests=tuple(named), rules=tuple(cited))


def _hazard(index: int, entry: Any, rules: Mapping[str, str], tests: _TestIndex | None,
            problems: _Problems) -> Hazard | None:
    if not isinstance(entry, dict):
        problems.add(f"hazard {index}", "must be a mapping")
        return None
    hazard_id = entry.get("id")
    where = hazard_id if isinstance(hazard_id, str) and HAZARD_ID.fullmatch(hazard_id) else f"hazard {index}"
    if where != hazard_id:
        problems.add(where, f"id {hazard_id!r} must look like H-01")
    _keys(where, entry, HAZARD_KEYS, OPTIONAL_HAZARD_KEYS, problems)
    for key in ("title", "effect", "harm"):
        if key in entry and not _text(entry[key]):
            problems.add(where, f"{key} must be non-empty text")
    for key in ("causes", "actions"):
        if key in entry and not _texts(entry[key]):
            problems.add(where, f"{key} must be a non-empty list of text")
    initial = _risk(f"{where} initial risk", entry.get("initial"), problems) if "initial" in entry else None
    residual = _risk(f"{where} residual risk", entry.get("residual"), problems) if "residual" in entry else None
    mitigations = entry.get("mitigations")
    if "mitigations" in entry and not (isinstance(mitigations, list) and mitigations):
        problems.add(where, "mitigations must be a non-empty list: every hazard needs a mitigation and a test")
        mitigations = []
    checked = [_mitigation(f"{where} mitigation {number}", mitigation, rules, tests, problems)
               for number, mitigation in enumerate(mitigations or [], start=1)]
    rationale = entry.get("residual_rationale")
    if "residual_rationale" in entry and not _text(rationale):
        problems.add(where, "residual_rationale must be non-empty text")
    if initial and residual:
        if residual.rating > initial.rating:
            problems.add(where, f"residual risk {residual.rating} is higher than the initial risk {initial.rating}")
        if residual.rating > HIGHEST_ACCEPTABLE:
            problems.add(where, f"residual risk {residual.rating} is not acceptable ({RATINGS[residual.rating]}) "
                                "add mitigations until it is at most 3")
        elif residual.rating >= NEEDS_RATIONALE and not _text(rationale):
            problems.add(where, f"residual risk {residual.rating} is acceptable only when further risk reduction is "
                                "impractical: say why in residual_rationale")
    texts = all(_text(entry.get(key)) for key in ("title", "effect", "harm")) and _texts(entry.get("causes"))
    if not (initial and residual and texts and all(checked)):
        return None
    return Hazard(id=hazard_id, title=entry["title"].strip(), causes=tuple(entry["causes"]),
                  effect=entry["effect"].strip(), harm=entry["harm"].strip(), initial=initial,
                  mitigations=tuple(checked), residual=residual,
                  residual_rationale=rationale.strip() if _text(rationale) else None,
                  actions=tuple(entry.get("actions") or ()))


def evidence_links(model: SiteModel | None = None) -> dict[str, str]:
    """Each name a mitigation may cite -> the Markdown link of its evidence check entry: ``pathway-id/rule-id``
    for every rule and statement, and the bare ``rule-id`` where only one pathway has it."""
    if model is None:
        from sitebuild.model import gather

        model = gather(ROOT / "mkdocs.yml", explore_pathways=False)
    links = {}
    for record_id, records in model.evidence_records().items():
        for record in records:
            links[f"{record.pathway}/{record_id}"] = record.link
        if len(records) == 1:
            links[record_id] = records[0].link
    return links


def load_register(path: Path | None = None, root: Path | None = None,
                  rules: Mapping[str, str] | None = None) -> Register:
    """Read and check the hazard register; raise HazardError listing every problem.

    ``root`` is the repository the test ids are relative to. When it has no ``tests/`` folder (a build from
    a copy of the sources without the tests), the test ids cannot be checked: the register is still loaded
    and checked in every other way, ``tests_checked`` is False, and the hazard log page says so, rather than
    failing a build whose tests are simply elsewhere. ``rules`` are the names a mitigation may cite, each with
    the link of its evidence check entry (by default ``evidence_links()``).
    """
    path = REGISTER if path is None else path
    root = ROOT if root is None else root
    name = _shown(path, root)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HazardError(f"{name} is missing: the hazard log is generated from it") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise HazardError(f"{name} cannot be read: {problem}") from problem
    except yaml.YAMLError as problem:
        raise HazardError(f"{name} is not valid YAML: {problem}") from problem
    if not isinstance(data, dict) or not isinstance(data.get("hazards"), list) or not data["hazards"]:
        raise HazardError(f"{name}: expected a mapping with a non-empty list 'hazards'")
    problems = _Problems()
    for key in sorted(set(data) - {"hazards"}):
        problems.add(name, f"unknown top-level key '{key}'")
    tests_checked = (root / "tests").is_dir()
    tests = _TestIndex(root) if tests_checked else None
    rules = evidence_links() if rules is None else rules
    hazards = [_hazard(index, entry, rules, tests, problems) for index, entry in enumerate(data["hazards"], start=1)]
    ids = [entry.get("id") for entry in data["hazards"] if isinstance(entry, dict) and isinstance(entry.get("id"), str)]
    for duplicate in sorted({hazard_id for hazard_id in ids if ids.count(hazard_id) > 1}):
        problems.add(duplicate, "the id is used by more than one hazard")
    if problems.messages:
        raise HazardError(f"{name} has {len(problems.messages)} problem(s):\n  " + "\n  ".join(problems.messages))
    return Register(hazards=tuple(hazards), tests_checked=tests_checked)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
