"""Validation of raw inputs against field specs, reporting every problem at once."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.errors import FieldError
from engine.fields import Field

if TYPE_CHECKING:
    from engine.checks import Check

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_WHOLE = re.compile(r"[+-]?\d+")
# Far more digits than any field's range allows, and fewer than Python's limit on int() of text (4300 by
# default): a longer whole number is reported as out of range instead of raising ValueError.
_MAX_WHOLE_DIGITS = 400
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Ints beyond this are described, not printed: str() of a huge int is slow or refused.
_PRINTABLE_INT = 10**15


@dataclass(frozen=True)
class Validated:
    """Clean values (defaults applied), inputs ignored as not applicable, and errors."""

    values: dict[str, Any]
    ignored: tuple[str, ...]
    errors: tuple[FieldError, ...]


class _Invalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def describe(value: Any) -> str:
    """A short, safe description of a rejected value for an error message."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {_shown(value)}"
    if isinstance(value, int):
        return str(value) if abs(value) < _PRINTABLE_INT else "a very large number"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "a non-finite number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a value of type {type(value).__name__}"


def _is_blank(value: Any) -> bool:
    # A form sends an empty control as "" or null: both mean "not given".
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_number(spec: Field, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise _Invalid("type", f"{spec.label} must be a number, not {describe(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Invalid("type", f"{spec.label} must be a finite number")
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if _DECIMAL.fullmatch(text):
            number = float(text)
            if not math.isfinite(number):  # e.g. 400 digits: beyond any float
                _out_of_range(spec, number)
            return int(number) if number.is_integer() and "." not in text else number
        if _DECIMAL.fullmatch(text.replace(",", ".", 1)):
            raise _Invalid("type", f"{spec.label} must use a decimal point, not a comma")
        raise _Invalid("type", f"{spec.label} must be a number, not {describe(raw)}")
    raise _Invalid("type", f"{spec.label} must be a number, not {describe(raw)}")


def _out_of_range(spec: Field, value: float) -> None:
    """Raise the range error of an infinite (or too long to read) number."""
    _check_range(spec, value)
    raise _Invalid("range", f"{spec.label} is too large a number")


def _parse_integer(spec: Field, raw: Any) -> int:
    if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
        text = raw.strip()
        digits = text.lstrip("+-").lstrip("0") or "0"  # leading zeros count towards int()'s limit too
        negative = text.startswith("-")
        if len(digits) > _MAX_WHOLE_DIGITS:
            _out_of_range(spec, -math.inf if negative else math.inf)
        return -int(digits) if negative else int(digits)
    number = _parse_number(spec, raw)
    if isinstance(number, float):
        if not number.is_integer():
            raise _Invalid("type", f"{spec.label} must be a whole number, not {describe(raw)}")
        return int(number)
    return number


def _parse_bool(spec: Field, raw: Any) -> bool:
    if raw is True or raw is False:
        return raw
    raise _Invalid("type", f"{spec.label} must be true or false, not {describe(raw)}")


def _parse_enum(spec: Field, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _Invalid("type", f"{spec.label} must be one of the listed choices, not {describe(raw)}")
    if raw not in spec.choice_values:
        allowed = ", ".join(spec.choice_values)
        raise _Invalid("choice", f"{spec.label} must be one of {allowed}; {_shown(raw)} is not among them")
    return raw


def _parse_date(spec: Field, raw: Any) -> str:
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw.strip()):
        raise _Invalid("type", f"{spec.label} must be a date written YYYY-MM-DD, not {describe(raw)}")
    text = raw.strip()
    try:
        date.fromisoformat(text)
    except ValueError:
        raise _Invalid("type", f"{spec.label}: {text} is not a real calendar date") from None
    return text


_PARSERS = {
    "number": _parse_number,
    "integer": _parse_integer,
    "bool": _parse_bool,
    "enum": _parse_enum,
    "date": _parse_date,
}


def _check_range(spec: Field, value: Any) -> None:
    if spec.type not in ("number", "integer", "date"):
        return
    low, high, unit = spec.min, spec.max, f" {spec.unit}" if spec.unit else ""
    too_low = low is not None and (value <= low if spec.min_exclusive else value < low)
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return
    if spec.type == "date":
        raise _Invalid("range", f"{spec.label} must be between {low} and {high}")
    lower = f"more than {low}" if spec.min_exclusive else f"at least {low}"
    raise _Invalid("range", f"{spec.label} must be {lower} and at most {high}{unit}")


def _parse(spec: Field, raw: Any) -> Any:
    value = _PARSERS[spec.type](spec, raw)
    _check_range(spec, value)
    return value


def validate(fields: tuple[Field, ...], inputs: Any, checks: tuple[Check, ...] = ()) -> Validated:
    """Check ``inputs`` against ``fields``, then against ``checks`` across fields; never raises for bad input.

    Fields are checked in declaration order, so a ``required_when`` condition
    can rely on the (earlier) field it names having been checked already. A check
    runs only when every field it names has a valid value: a value already refused
    is not complained about twice.
    """
    if not isinstance(inputs, dict):
        error = FieldError(None, "type", f"The input must be an object of field values, not {describe(inputs)}")
        return Validated({}, (), (error,))

    known = {spec.key for spec in fields}
    errors = [
        FieldError(str(key), "unknown-field", f"Unknown field {_shown(str(key))}: this pathway has no such input")
        for key in sorted(inputs, key=str)
        if key not in known
    ]
    values: dict[str, Any] = {}
    ignored: list[str] = []
    for spec in fields:
        raw = inputs.get(spec.key)
        given = not _is_blank(raw)
        condition = spec.required_when
        required = spec.required
        # Whether the condition can be judged: its field was checked and is valid, or (for "required when X is
        # given") X was left blank. A field given but invalid leaves it open: the dependent is only checked.
        judged = condition is not None and (
            condition.field in values or (condition.given and _is_blank(inputs.get(condition.field))))
        if judged:
            if not condition.holds(values):
                # Not applicable to this patient, so its value is neither used nor judged.
                if given:
                    ignored.append(spec.key)
                continue
            required = True
        if not given:
            if required:
                suffix = f" {condition.text}" if condition is not None else ""
                errors.append(FieldError(spec.key, "required", f"{spec.label} is required{suffix}"))
            elif spec.default is not None:
                values[spec.key] = spec.default
            continue
        try:
            values[spec.key] = _parse(spec, raw)
        except _Invalid as problem:
            errors.append(FieldError(spec.key, problem.code, problem.message))
    errors += check_errors(checks, values, {spec.key: spec for spec in fields})
    return Validated(values, tuple(ignored), tuple(errors))


def check_errors(checks: tuple[Check, ...], values: dict[str, Any], specs: dict[str, Field]) -> list[FieldError]:
    """The complaints of ``checks`` about valid ``values``: each check runs only when every field it names has a
    value (a field refused or left blank is not in ``values``)."""
    return [error for check in checks if all(key in values for key in check.fields())
            for error in check.errors(values, specs)]
