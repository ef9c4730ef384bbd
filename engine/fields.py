"""Declarative field specs: the one place that says what a pathway input is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIELD_TYPES = ("enum", "bool", "number", "integer", "date")


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum field, with the label a clinician reads."""

    value: str
    label: str


@dataclass(frozen=True)
class RequiredWhen:
    """A field is required (and used) only when another field has one of some values, or (``given``) has any."""

    field: str
    values: tuple[Any, ...]
    text: str  # e.g. "when the cause is ileal resection", used in messages and the form
    given: bool = False  # required whenever ``field`` is given, whatever its value (``values`` then empty)

    def holds(self, values: dict[str, Any]) -> bool:
        if self.given:
            return values.get(self.field) is not None
        return values.get(self.field) in self.values

    def to_spec(self) -> dict[str, Any]:
        if self.given:
            return {"field": self.field, "given": True, "text": self.text}
        return {"field": self.field, "in": list(self.values), "text": self.text}


@dataclass(frozen=True)
class Field:
    """One input of a pathway: type, unit, range, choices, default and when it applies."""

    key: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    choices: tuple[Choice, ...] = ()
    unit: str | None = None
    min: float | str | None = None
    max: float | str | None = None
    min_exclusive: bool = False
    help: str | None = None
    required_when: RequiredWhen | None = None
    prefill: str | None = None  # "today": the form fills in today's date (the engine itself reads no clock)
    unit_field: str | None = None  # the enum field that holds this number's unit, when the user picks it
    # A bool's two answers as phrases for generated texts, e.g. ("neurological symptoms", "no neurological
    # symptoms"); without them a condition reads "<label>: yes".
    says: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.key!r}: unknown type {self.type!r}")
        if (self.type == "enum") != bool(self.choices):
            raise ValueError(f"field {self.key!r}: enum fields and only enum fields have choices")
        if self.says is not None and self.type != "bool":
            raise ValueError(f"field {self.key!r}: only a bool field has yes/no phrases")
        if self.prefill not in (None, "today") or (self.prefill and self.type != "date"):
            raise ValueError(f"field {self.key!r}: only a date field can be prefilled, and only with 'today'")

    @property
    def always_given(self) -> bool:
        """Whether a validated case always has a value for this field (required everywhere, or defaulted)."""
        return self.required_when is None and (self.required or self.default is not None)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        raise KeyError(value)

    def to_spec(self) -> dict[str, Any]:
        """The contract's field spec: only the keys that apply to this field."""
        spec: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "required": self.required,
        }
        if self.default is not None:
            spec["default"] = self.default
        if self.choices:
            spec["choices"] = [{"value": c.value, "label": c.label} for c in self.choices]
        optional = {
            "unit": self.unit,
            "unit_field": self.unit_field,
            "min": self.min,
            "max": self.max,
            "help": self.help,
            "prefill": self.prefill,
        }
        spec.update({key: value for key, value in optional.items() if value is not None})
        if self.min_exclusive:
            spec["min_exclusive"] = True
        if self.required_when is not None:
            spec["required_when"] = self.required_when.to_spec()
        return spec
