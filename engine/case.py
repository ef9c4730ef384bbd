"""One evaluation in progress: the validated inputs, the plan the rules shape, and the outputs so far.

The case is what conditions test, outcomes change and a pathway assembles its result from. It knows rules
only as ``FiredRule`` (what is read of a rule that fired), so the modules depend in one direction:
engine.rules → engine.outcomes → engine.case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from engine.conditions import State
from engine.fields import Field
from engine.plan import Plan


class FiredRule(Protocol):
    """What an outcome and the result read of a rule that fired (engine.rules.Rule is one)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def references(self) -> tuple[str, ...]: ...

    @property
    def evidence(self) -> Any: ...

    @property
    def outcome(self) -> Any: ...

    def item(self, text: str, **extra: Any) -> dict[str, Any]:
        """A finding, monitoring item or caution of this rule, carrying its id and references."""
        ...


@dataclass
class Case:
    """One evaluation in progress: validated inputs, the plan the rules shape, and the outputs so far."""

    values: dict[str, Any]
    fields: Mapping[str, Field]
    plan: Plan
    states: Mapping[str, State] = field(default_factory=dict)
    in_scope: bool = True
    scope_note: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    monitoring: list[dict[str, Any]] = field(default_factory=list)
    cautions: list[dict[str, Any]] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)
    shaped: list[FiredRule] = field(default_factory=list)  # the rules whose outcome the final plan holds

    def state(self, name: str) -> bool:
        return bool(self.states[name].test(self))
