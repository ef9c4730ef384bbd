"""Rule records and the evaluation state they act on.

A rule is data (id, when, then, basis, references, evidence check) plus two small
functions: ``fires`` says whether it applies to a case and why, ``apply`` changes
the case. The decision table is rendered from the same records that evaluation
walks, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RULE_KINDS = ("scope", "regimen", "finding", "monitoring", "caution")
BASES = ("source", "policy")
EVIDENCE_STATUSES = ("agrees", "differs", "unsourced")
SEVERITIES = ("info", "warning", "high")


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


@dataclass
class Case:
    """One evaluation in progress: validated inputs, the pathway's plan, and the outputs so far."""

    values: dict[str, Any]
    plan: Any
    in_scope: bool = True
    scope_note: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    monitoring: list[dict[str, Any]] = field(default_factory=list)
    cautions: list[dict[str, Any]] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """One decision: when it applies, what follows, on what basis, with which evidence."""

    id: str
    title: str  # a short name for headings and the calculator's "why"
    kind: str
    when: str
    then: str
    basis: str
    references: tuple[str, ...]
    evidence: Evidence
    fires: Callable[[Case], str | None] = field(compare=False, repr=False)
    apply: Callable[[Case, Rule], None] = field(compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"rule {self.id!r}: unknown kind {self.kind!r}")
        if self.basis not in BASES:
            raise ValueError(f"rule {self.id!r}: unknown basis {self.basis!r}")

    def to_spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "when": self.when,
            "then": self.then,
            "basis": self.basis,
            "references": list(self.references),
            "evidence": self.evidence.to_dict(),
        }

    def run(self, case: Case) -> None:
        """Apply the rule if it fires, and record in the trace why it did."""
        because = self.fires(case)
        if because is None:
            return
        self.apply(case, self)
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
