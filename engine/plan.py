"""The plan that regimen rules shape, remembering which rule gave each part of it.

A plan is a few named parts (a route, an interval, whether it is lifelong, ...). A rule either sets a
part (``set``) or caps it (``at_most``: the most frequent interval wins). Each part remembers the rules
whose value it holds now, so the result can list only the rules that shaped the final regimen and mark a
rule whose every contribution a later rule replaced as overridden, naming that rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Part:
    value: Any = None
    owners: list[str] = field(default_factory=list)  # the rules whose value this part holds, in order


class Plan:
    """Named parts with their provenance; parts not declared cannot be set (a typo fails at once)."""

    def __init__(self, **defaults: Any) -> None:
        self._parts = {name: _Part(value) for name, value in defaults.items()}
        self._touched: dict[str, list[str]] = {}  # rule id -> the parts it set or capped, in order

    def __getitem__(self, name: str) -> Any:
        return self._parts[name].value

    def _part(self, name: str, rule: str) -> _Part:
        if name not in self._parts:
            raise KeyError(f"rule {rule!r} sets {name!r}, which the plan has no part for")
        touched = self._touched.setdefault(rule, [])
        if name not in touched:
            touched.append(name)
        return self._parts[name]

    def set(self, name: str, value: Any, rule: str) -> None:
        """Set a part: a different value replaces the earlier rules' one, the same value joins them."""
        part = self._part(name, rule)
        if part.value == value and part.owners:
            if rule not in part.owners:
                part.owners.append(rule)
            return
        part.value, part.owners = value, [rule]

    def at_most(self, name: str, value: Any, rule: str) -> None:
        """Cap a part: the smallest value any rule asked for wins; an equal one joins it."""
        part = self._part(name, rule)
        if part.value is None or value < part.value:
            part.value, part.owners = value, [rule]
        elif value == part.value and rule not in part.owners:
            part.owners.append(rule)

    def shaped_by(self) -> list[str]:
        """The rules whose value some part holds, in the order they first touched the plan."""
        owners = {rule for part in self._parts.values() for rule in part.owners}
        return [rule for rule in self._touched if rule in owners]

    def overridden(self) -> dict[str, str]:
        """Rule -> the rule that replaced it, for each rule that touched the plan but shapes no part of it."""
        shaped = set(self.shaped_by())
        return {rule: self._parts[parts[0]].owners[-1]
                for rule, parts in self._touched.items()
                if rule not in shaped and self._parts[parts[0]].owners}
