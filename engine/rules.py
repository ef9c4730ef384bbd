"""Rule records: what a pathway decides, and on what evidence.

A rule is data: an id, a condition (engine.conditions) saying when it applies, an outcome
(engine.outcomes) saying what follows, a basis, references and an evidence check. Its decision-table
"when" and its trace's "because" are both generated from the condition, and its "then" from the
outcome, so the table cannot say one thing while evaluation does another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.case import Case
from engine.conditions import Condition
from engine.fields import Field
from engine.outcomes import SEVERITIES, Outcome

RULE_KINDS = ("scope", "regimen", "finding", "monitoring", "caution")
# Once a scope rule has put the patient outside the pathway, no regimen or monitoring rule applies.
IN_SCOPE_ONLY = ("regimen", "monitoring")
BASES = ("source", "policy")
EVIDENCE_STATUSES = ("agrees", "differs", "unsourced")


@dataclass(frozen=True)
class Evidence:
    """What the primary guidance says about a rule: agrees, differs or unsourced."""

    status: str
    note: str
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in EVIDENCE_STATUSES:
            raise ValueError(f"unknown evidence status {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "note": self.note, "references": list(self.references)}


@dataclass(frozen=True)
class SourceStatement:
    """A statement of the source that no rule implements, with its evidence check (shown, never evaluated)."""

    id: str
    title: str
    statement: str
    references: tuple[str, ...]
    evidence: Evidence

    def to_spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "statement": self.statement,
            "references": list(self.references),
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Rule:
    """One decision: when it applies, what follows, on what basis, with which evidence."""

    id: str
    title: str  # a short name for headings and the calculator's "why"
    kind: str
    condition: Condition
    outcome: Outcome
    basis: str
    references: tuple[str, ...]
    evidence: Evidence
    note: str | None = None  # appended to the generated "then" where the outcome alone does not say it all

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"rule {self.id!r}: unknown kind {self.kind!r}")
        if self.basis not in BASES:
            raise ValueError(f"rule {self.id!r}: unknown basis {self.basis!r}")
        if self.kind not in type(self.outcome).kinds:
            outcome = type(self.outcome).__name__
            raise ValueError(f"rule {self.id!r}: a {self.kind} rule cannot have a {outcome} outcome")

    def when(self, fields: Mapping[str, Field]) -> str:
        text = self.condition.describe(fields)
        return text[:1].upper() + text[1:]

    def then(self, fields: Mapping[str, Field]) -> str:
        text = self.outcome.describe(fields)
        return f"{text}; {self.note}" if self.note else text

    def to_spec(self, fields: Mapping[str, Field]) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "when": self.when(fields),
            "condition": self.condition.to_json(),
            "then": self.then(fields),
            "outcome": self.outcome.to_json(),
            "basis": self.basis,
            "references": list(self.references),
            "evidence": self.evidence.to_dict(),
        }

    def applies(self, case: Case) -> bool:
        if self.kind in IN_SCOPE_ONLY and not case.in_scope:
            return False
        return self.condition.holds(case)

    def run(self, case: Case) -> None:
        """Apply the rule if it fires, and record in the trace why it did."""
        if not self.applies(case):
            return
        because = self.condition.because(case)
        self.outcome.apply(case, self)
        case.trace.append(
            {
                "rule": self.id,
                "title": self.title,
                "kind": self.kind,
                "because": because,
                "basis": self.basis,
                "references": list(self.references),
                "evidence": self.evidence.to_dict(),
            }
        )

    def item(self, text: str, **extra: Any) -> dict[str, Any]:
        """A finding, monitoring item or caution produced by this rule, carrying its id and references."""
        if "severity" in extra and extra["severity"] not in SEVERITIES:
            raise ValueError(f"rule {self.id!r}: unknown severity {extra['severity']!r}")
        return {
            "id": self.id,
            "text": text,
            **extra,
            "references": list(self.references),
            "evidence": self.evidence.to_dict(),
        }
