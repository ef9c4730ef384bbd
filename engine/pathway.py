"""The pathway record: fields, rules and the steps that turn a case into a result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.case import Case
from engine.checks import Check
from engine.conditions import ConditionError, State, unguarded_negations
from engine.fields import Field
from engine.plan import Plan
from engine.references import Reference, ReferenceGroup
from engine.rules import RULE_KINDS, Rule, SourceStatement
from engine.validation import validate
from engine.version import ENGINE_VERSION

# What the calculator calls the parts of a result unless the pathway says otherwise.
DEFAULT_LABELS: dict[str, Any] = {
    "regimen": "Recommendation",
    "out_of_scope": "Outside this pathway",
    "events": {},
}


@dataclass(frozen=True)
class NextStep:
    """The pathway that follows this one (in scope), and the answers that carry over to it unchanged."""

    pathway: str
    text: str
    carry_over: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"pathway": self.pathway, "text": self.text, "carry_over": list(self.carry_over)}


@dataclass(frozen=True)
class Pathway:
    """A guideline pathway: what it asks, what it decides, how a result is assembled, and its own words."""

    id: str
    title: str
    version: str
    source_date: str
    scope: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    new_plan: Callable[[], Plan]
    regimen: Callable[[Case], dict[str, Any] | None]
    schedule: Callable[[Case, dict[str, Any] | None], list[dict[str, Any]]]
    references: tuple[Reference, ...]
    reference_groups: tuple[ReferenceGroup, ...]
    disclaimer: str  # the last line of every export: what to confirm the result against
    evidence_intro: str  # what the evidence check of this pathway compares the source with
    statements: tuple[SourceStatement, ...] = ()
    states: tuple[State, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    gives_regimen: bool = True  # False: the answer is findings, cautions and monitoring only
    short_title: str = ""  # the pathway in the nav and in links between calculators
    combination: str = ""  # how the decision table says outcomes combine when several rules apply
    source_note: str = ""  # what the evidence check warns about its source, if anything
    next_step: NextStep | None = None
    checks: tuple[Check, ...] = ()  # inputs valid one by one that cannot all be true: refused together

    def __post_init__(self) -> None:
        self._check_consistency()

    @property
    def field_specs(self) -> dict[str, Field]:
        return {spec.key: spec for spec in self.fields}

    @property
    def state_specs(self) -> dict[str, State]:
        return {state.name: state for state in self.states}

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
        self._check_checks()
        cited = {key for reference in self.references for key in (reference.key,)}
        for record in self.rules + self.statements:
            missing = [key for key in record.references + record.evidence.references if key not in cited]
            if missing:
                raise ValueError(f"pathway {self.id!r}: rule {record.id!r} cites unknown references {missing}")
        self._check_rules()

    def _check_checks(self) -> None:
        specs = self.field_specs
        for check in self.checks:
            for key, types in check.fields().items():
                if key not in specs:
                    raise ValueError(f"pathway {self.id!r}: check {check.to_spec()} names unknown field {key!r}")
                if specs[key].type not in types:
                    raise ValueError(f"pathway {self.id!r}: check {check.to_spec()} needs field {key!r} to be "
                                     f"{' or '.join(types)}, not {specs[key].type}")

    def _check_rules(self) -> None:
        specs, states = self.field_specs, self.state_specs
        kinds = [RULE_KINDS.index(rule.kind) for rule in self.rules]
        for rule, earlier, kind in zip(self.rules[1:], kinds, kinds[1:], strict=False):
            # The decision table groups rules by kind in this order and says evaluation walks them so.
            if kind < earlier:
                raise ValueError(f"pathway {self.id!r}: rule {rule.id!r} ({rule.kind}) comes after a "
                                 f"{RULE_KINDS[earlier]} rule; rules must be in the order {', '.join(RULE_KINDS)}")
        for rule in self.rules:
            for condition in (rule.condition, *rule.outcome.conditions()):
                try:
                    condition.check(specs, states)
                except ConditionError as problem:
                    raise ValueError(f"pathway {self.id!r}: rule {rule.id!r}: {problem}") from None
                unanswered = unguarded_negations(condition, self._may_be_missing)
                if unanswered:
                    raise ValueError(
                        f"pathway {self.id!r}: rule {rule.id!r} negates {sorted(set(unanswered))}, which may be "
                        "unanswered: 'not yes' would read a question nobody answered as 'no'; say what is meant "
                        "(Is(key, False), Missing(key))"
                    )
            for key in rule.outcome.reads():
                if key not in specs:
                    raise ValueError(f"pathway {self.id!r}: rule {rule.id!r} reads unknown field {key!r}")
        if self.next_step is not None:
            unknown = [key for key in self.next_step.carry_over if key not in specs]
            if unknown:
                raise ValueError(f"pathway {self.id!r}: its next step carries over unknown fields {unknown}")

    def _may_be_missing(self, key: str, known: dict[str, Any]) -> bool:
        spec = self.field_specs[key]
        if spec.always_given:
            return False
        condition = spec.required_when
        # A field required when another has some values (or is given) is there once that is known to hold.
        if condition is None or condition.field not in known:
            return True
        known_values = known[condition.field]
        return not (condition.given or (known_values and set(known_values) <= set(condition.values)))

    def descriptor(self) -> dict[str, Any]:
        """The contract's pathway descriptor, enough to render the form and the decision table."""
        specs = self.field_specs
        return {
            "id": self.id,
            "title": self.title,
            "short_title": self.short_title or self.title,
            "version": self.version,
            "source_date": self.source_date,
            "scope": self.scope,
            "labels": {**DEFAULT_LABELS, **self.labels},
            "disclaimer": self.disclaimer,
            "evidence_intro": self.evidence_intro,
            "source_note": self.source_note,
            "combination": self.combination,
            "gives_regimen": self.gives_regimen,
            "next": self.next_step.to_dict() if self.next_step else None,
            "inputs": [spec.to_spec() for spec in self.fields],
            "rules": [rule.to_spec(specs) for rule in self.rules],
            "statements": [statement.to_spec() for statement in self.statements],
            "checks": [check.to_spec() for check in self.checks],
        }

    def new_case(self, values: dict[str, Any]) -> Case:
        return Case(values=values, fields=self.field_specs, plan=self.new_plan(), states=self.state_specs)

    def run(self, values: dict[str, Any]) -> Case:
        """Walk the rules in order over validated values; the rules a later one overrode are marked in the trace."""
        case = self.new_case(values)
        for rule in self.rules:
            rule.run(case)
        overridden = case.plan.overridden()
        for step in case.trace:
            if step["rule"] in overridden:
                step["overridden_by"] = overridden[step["rule"]]
        by_id = {rule.id: rule for rule in self.rules}
        case.shaped = [by_id[rule_id] for rule_id in case.plan.shaped_by()]
        return case

    def evaluate(self, inputs: Any) -> dict[str, Any]:
        """Validate ``inputs``, walk the rules in order, and assemble the result."""
        checked = validate(self.fields, inputs, self.checks)
        if checked.errors:
            return rejected(self.id, [error.to_dict() for error in checked.errors])
        case = self.run(checked.values)
        regimen = self.regimen(case) if case.in_scope else None
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
            "next": self.next_step.to_dict() if self.next_step and case.in_scope else None,
        }


def shaping_rules(case: Case) -> tuple[list[dict[str, Any]], list[str]]:
    """The rules that shaped the regimen (id, title, evidence) and the references they cite, in order."""
    rules = [{"id": rule.id, "title": rule.title, "evidence": rule.evidence.to_dict()} for rule in case.shaped]
    references = list(dict.fromkeys(key for rule in case.shaped for key in rule.references))
    return rules, references


def rejected(pathway_id: str | None, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's result for rejected input."""
    return {"ok": False, "pathway": pathway_id, "engine_version": ENGINE_VERSION, "errors": errors}
