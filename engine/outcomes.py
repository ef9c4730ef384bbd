"""What a rule does when it fires, as data: each outcome applies itself, describes itself and is JSON.

Generic outcomes live here (out of scope, a caution, a monitoring item, a finding, a constraint); the
regimen outcomes of a pathway subclass ``PlanChange`` beside the pathway's rules, since a regimen is in
the words of its own guideline (its drug, route and interval).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.case import Case, FiredRule
from engine.conditions import Condition
from engine.fields import Field

SEVERITIES = ("info", "warning", "high")
SEVERITY_WORDS = {"info": "Information", "warning": "Warning", "high": "High"}


class Outcome:
    """Base of every outcome. ``kinds``: the rule kinds that may carry it."""

    kinds: tuple[str, ...] = ()

    def apply(self, case: Case, rule: FiredRule) -> None:
        raise NotImplementedError

    def describe(self, fields: Mapping[str, Field]) -> str:
        """The decision table's "then"."""
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def conditions(self) -> tuple[Condition, ...]:
        """Conditions the outcome itself looks at (e.g. what raises a caution's severity)."""
        return ()

    def reads(self) -> tuple[str, ...]:
        """Input fields whose exact value the outcome uses (the input space then splits them value by value)."""
        return ()


@dataclass(frozen=True)
class Pick:
    """A value that depends on the case: the first ``(condition, value)`` whose condition holds, else ``default``."""

    default: Any
    cases: tuple[tuple[Condition, Any], ...]

    def __init__(self, default: Any, *cases: tuple[Condition, Any]) -> None:
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "cases", cases)

    def value(self, case: Case) -> Any:
        return next((value for condition, value in self.cases if condition.holds(case)), self.default)

    def describe(self, fields: Mapping[str, Field], show: Callable[[Any], str] = str) -> str:
        """The default, then each variant: "warning (high when ...)" for a word, sentences for a text."""
        shown = [(condition.describe(fields), show(value)) for condition, value in self.cases]
        if all(" " not in value for _, value in shown):
            variants = "; ".join(f"{value.lower()} when {condition}" for condition, value in shown)
            return f"{show(self.default)} ({variants})" if variants else show(self.default)
        return " ".join([show(self.default), *(f"When {condition}: {value}" for condition, value in shown)])

    def to_json(self) -> dict[str, Any]:
        return {"default": self.default,
                "cases": [{"condition": condition.to_json(), "value": value} for condition, value in self.cases]}


def _picked(value: Any, case: Case) -> Any:
    return value.value(case) if isinstance(value, Pick) else value


def _pick_conditions(*values: Any) -> tuple[Condition, ...]:
    return tuple(condition for value in values if isinstance(value, Pick) for condition, _ in value.cases)


def _as_json(value: Any) -> Any:
    return value.to_json() if isinstance(value, Pick) else value


@dataclass(frozen=True)
class OutOfScope(Outcome):
    """The pathway does not apply: no regimen, and a note saying what to do instead."""

    note: str | Pick
    kinds = ("scope",)

    def apply(self, case: Case, rule: FiredRule) -> None:
        note = _picked(self.note, case)
        case.in_scope = False
        case.scope_note = note if case.scope_note is None else f"{case.scope_note} {note}"

    def describe(self, fields: Mapping[str, Field]) -> str:
        note = self.note.describe(fields) if isinstance(self.note, Pick) else self.note
        return f"Outside this pathway, no regimen: {note}"

    def to_json(self) -> dict[str, Any]:
        return {"out_of_scope": True}

    def conditions(self) -> tuple[Condition, ...]:
        return _pick_conditions(self.note)


@dataclass(frozen=True)
class Caution(Outcome):
    """A caution with the rule's id, at a severity (``Pick`` when it depends on the case)."""

    text: str | Pick
    severity: str | Pick
    kinds = ("caution",)

    def __post_init__(self) -> None:
        severities = [self.severity] if isinstance(self.severity, str) else \
            [self.severity.default, *(value for _, value in self.severity.cases)]
        unknown = [severity for severity in severities if severity not in SEVERITIES]
        if unknown:
            raise ValueError(f"unknown caution severity {unknown}")

    def apply(self, case: Case, rule: FiredRule) -> None:
        case.cautions.append(rule.item(_picked(self.text, case), severity=_picked(self.severity, case)))

    def describe(self, fields: Mapping[str, Field]) -> str:
        severity = (self.severity.describe(fields, SEVERITY_WORDS.__getitem__) if isinstance(self.severity, Pick)
                    else SEVERITY_WORDS[self.severity])
        text = self.text.describe(fields) if isinstance(self.text, Pick) else self.text
        return f"{severity}: {text}"

    def to_json(self) -> dict[str, Any]:
        return {"caution": {"severity": _as_json(self.severity)}}

    def conditions(self) -> tuple[Condition, ...]:
        return _pick_conditions(self.text, self.severity)


@dataclass(frozen=True)
class Monitor(Outcome):
    """A monitoring item with the rule's id, and how often when it recurs."""

    text: str | Pick
    every_months: int | None = None
    kinds = ("monitoring",)

    def apply(self, case: Case, rule: FiredRule) -> None:
        extra = {"interval": {"value": self.every_months, "unit": "month"}} if self.every_months else {}
        case.monitoring.append(rule.item(_picked(self.text, case), **extra))

    def describe(self, fields: Mapping[str, Field]) -> str:
        return self.text.describe(fields) if isinstance(self.text, Pick) else self.text

    def to_json(self) -> dict[str, Any]:
        interval = {"interval": {"value": self.every_months, "unit": "month"}} if self.every_months else {}
        return {"monitoring": interval}

    def conditions(self) -> tuple[Condition, ...]:
        return _pick_conditions(self.text)


@dataclass(frozen=True)
class Finding(Outcome):
    """A finding with the rule's id; its text is computed from the exact values, so it is prose written once."""

    then: str
    compose: Callable[[Case], tuple[str, dict[str, Any]]] = field(compare=False, repr=False)
    kinds = ("finding",)

    def apply(self, case: Case, rule: FiredRule) -> None:
        text, values = self.compose(case)
        case.findings.append(rule.item(text, values=values))

    def describe(self, fields: Mapping[str, Field]) -> str:
        return self.then

    def to_json(self) -> dict[str, Any]:
        return {"finding": True}


@dataclass(frozen=True)
class Constraint(Outcome):
    """A limit on what the other rules may do; firing records it in the trace and changes nothing."""

    then: str
    kinds = ("regimen",)

    def apply(self, case: Case, rule: FiredRule) -> None:
        return None

    def describe(self, fields: Mapping[str, Field]) -> str:
        return self.then

    def to_json(self) -> dict[str, Any]:
        return {"constraint": True}


class PlanChange(Outcome):
    """A regimen rule's change to the case's ``Plan`` (see engine.plan); subclassed by a pathway."""

    kinds = ("regimen",)
