"""Checks across fields: inputs each valid on its own that cannot all be true of one patient.

A pathway declares its checks as data (``Pathway.checks``). Validation runs them after each field has been
read, and only when every field a check names was given (or defaulted) and is valid, so a check never adds a
second complaint about a value already refused. The descriptor publishes them (``to_spec``) so that a page
which looks answers up before the engine starts (the answer table) refuses the same inputs, never answering
an impossible case as if it were normal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from engine.errors import FieldError
from engine.fields import Field

DAYS_A_WEEK = 7


def _lower_first(label: str) -> str:
    # "Assessment date" reads "the assessment date" mid-sentence; an initialism ("NICE review") keeps its case.
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _amount(value: float, spec: Field) -> str:
    unit = spec.unit or ""
    if value == 1 and unit.endswith("s"):
        unit = unit[:-1]  # "1 week", not "1 weeks"
    return f"{value:g} {unit}".rstrip()


class Check(Protocol):
    """What validation, the consistency check and the descriptor need of a check."""

    def fields(self) -> dict[str, tuple[str, ...]]:
        """The fields the check reads, each with the field types it accepts."""
        ...

    def errors(self, values: Mapping[str, Any], fields: Mapping[str, Field]) -> list[FieldError]:
        """The check's complaints about validated ``values`` (every field it names present)."""
        ...

    def to_spec(self) -> dict[str, Any]:
        ...


@dataclass(frozen=True)
class NotAfter:
    """A date (``field``) that cannot be after another (``other``): e.g. a last dose after the assessment."""

    field: str
    other: str

    def fields(self) -> dict[str, tuple[str, ...]]:
        return {self.field: ("date",), self.other: ("date",)}

    def errors(self, values: Mapping[str, Any], fields: Mapping[str, Field]) -> list[FieldError]:
        first, second = values[self.field], values[self.other]
        if date.fromisoformat(first) <= date.fromisoformat(second):
            return []
        label, other = fields[self.field].label, _lower_first(fields[self.other].label)
        message = f"{label} ({first}) is after the {other} ({second}): check both dates (a wrong year?)"
        return [FieldError(self.field, "range", message)]

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "not_after", "field": self.field, "other": self.other}


@dataclass(frozen=True)
class AtMostOneADay:
    """A number of doses (``count``) over a span in weeks from the first dose to the last (``weeks``) that
    cannot exceed one a day: ``count`` doses take ``count - 1`` days at least."""

    count: str
    weeks: str

    def fields(self) -> dict[str, tuple[str, ...]]:
        return {self.count: ("integer",), self.weeks: ("number", "integer")}

    def errors(self, values: Mapping[str, Any], fields: Mapping[str, Field]) -> list[FieldError]:
        count, weeks = values[self.count], values[self.weeks]
        days = DAYS_A_WEEK * weeks
        if count - 1 <= days:
            return []
        most = math.floor(days) + 1  # one on the first day, then one a day to the last
        count_spec, weeks_spec = fields[self.count], fields[self.weeks]
        message = (f"{count_spec.label} ({count}) over {_amount(weeks, weeks_spec)} "
                   f"({_lower_first(weeks_spec.label)}) is more than one a day: at most {most} can be given from "
                   "the first day to the last; check both values")
        return [FieldError(self.count, "range", message)]

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "at_most_one_a_day", "count": self.count, "weeks": self.weeks}

