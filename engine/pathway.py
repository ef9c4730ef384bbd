"""The pathway record: fields, rules and the steps that turn a case into a result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.fields import Field
from engine.references import unknown_keys
from engine.rules import Case, Rule, SourceStatement
from engine.validation import validate
from engine.version import ENGINE_VERSION


@dataclass(frozen=True)
class Pathway:
    """A guideline pathway: what it asks, what it decides, and how a result is assembled."""

    id: str
    title: str
    version: str
    source_date: str
    scope: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    new_plan: Callable[[], Any]
    regimen: Callable[[Case], dict[str, Any] | None]
    schedule: Callable[[Case, dict[str, Any] | None], list[dict[str, Any]]]
    statements: tuple[SourceStatement, ...] = ()

    def __post_init__(self) -> None:
        self._check_consistency()

    def _check_consistency(self) -> None:
        # Fail at import, not in front of a patient, if the records contradict each other.
        keys = [spec.key for spec in self.fields]
        rule_ids = [rule.id for rule in self.rules] + [statement.id for statement in self.statements]
        for name, items in (("field", keys), ("rule", rule_ids)):
            duplicates = sorted({item for item in items if items.count(item) > 1})
            if duplicates:
                raise ValueError(f"pathway {self.id!r}: duplicate {name} ids {duplicates}")
        for index, spec in enumerate(self.fields):
            condition = spec.required_when
            if condition is not None and condition.field not in keys[:index]:
                raise ValueError(
                    f"pathway {self.id!r}: field {spec.key!r} depends on {condition.field!r}, "
                    "which must be declared before it"
                )
            if spec.unit_field is not None and spec.unit_field not in keys:
                raise ValueError(
                    f"pathway {self.id!r}: field {spec.key!r} takes its unit from unknown field {spec.unit_field!r}"
                )
        for record in self.rules + self.statements:
            missing = unknown_keys(record.references + record.evidence.references)
            if missing:
                raise ValueError(f"pathway {self.id!r}: rule {record.id!r} cites unknown references {missing}")

    def descriptor(self) -> dict[str, Any]:
        """The contract's pathway descriptor, enough to render the form and the decision table."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "source_date": self.source_date,
            "scope": self.scope,
            "inputs": [spec.to_spec() for spec in self.fields],
            "rules": [rule.to_spec() for rule in self.rules],
            "statements": [statement.to_spec() for statement in self.statements],
        }

    def evaluate(self, inputs: Any) -> dict[str, Any]:
        """Validate ``inputs``, walk the rules in order, and assemble the result."""
        checked = validate(self.fields, inputs)
        if checked.errors:
            return rejected(self.id, [error.to_dict() for error in checked.errors])
        case = Case(values=checked.values, plan=self.new_plan())
        for rule in self.rules:
            rule.run(case)
        regimen = self.regimen(case)
        return {
            "ok": True,
            "pathway": self.id,
            "pathway_version": self.version,
            "engine_version": ENGINE_VERSION,
            "in_scope": case.in_scope,
            "scope_note": case.scope_note,
            "inputs": checked.values,
            "ignored_inputs": list(checked.ignored),
            "regimen": regimen,
            "findings": case.findings,
            "monitoring": case.monitoring,
            "cautions": case.cautions,
            "trace": case.trace,
            "schedule": self.schedule(case, regimen),
        }


def rejected(pathway_id: str | None, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's result for rejected input."""
    return {"ok": False, "pathway": pathway_id, "engine_version": ENGINE_VERSION, "errors": errors}
