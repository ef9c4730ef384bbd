"""Rule conditions as data: each evaluates, describes itself, says *because* from the values, and is JSON.

A condition is built from field keys and values only (``Is("cause", "dietary")``); a pathway binds its
conditions to its field specs, which supplies the labels the texts are made of and checks that every key,
choice and threshold exists. Conditions over what earlier rules decided are named states of the case
(``State("lifelong", "the regimen is lifelong", ...)``).

A question nobody answered is never read as "no": a comparison with a field that was not given is false,
and ``Pathway`` refuses a ``Not`` over a field that can be missing (see ``unguarded_negations``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from engine.dates import add_months
from engine.fields import Field

# Comparisons: name -> (holds, words, negated name). "above 20" splits values at 20 with 20 itself below.
COMPARISONS: dict[str, tuple[Callable[[Any, Any], bool], str, str]] = {
    "above": (lambda value, limit: value > limit, "more than", "at_most"),
    "at_least": (lambda value, limit: value >= limit, "at least", "below"),
    "below": (lambda value, limit: value < limit, "less than", "at_least"),
    "at_most": (lambda value, limit: value <= limit, "not more than", "above"),
}


class ConditionError(ValueError):
    """A condition names a field, choice or threshold its pathway does not have."""


class Facts(Protocol):
    """What a condition can look at: the validated input values, the field specs and the case's states."""

    values: Mapping[str, Any]
    fields: Mapping[str, Field]

    def state(self, name: str) -> bool: ...


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _unit(spec: Field) -> str:
    return f" {spec.unit}" if spec.unit else ""


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def value_text(spec: Field, value: Any) -> str:
    """A value as a clinician reads it: a choice's label, yes/no, a number with its unit."""
    if spec.type == "enum":
        return spec.choice_label(value)
    if spec.type == "bool":
        return "yes" if value else "no"
    return f"{_number(value)}{_unit(spec)}"


class Condition:
    """When a rule applies. Subclasses are small frozen dataclasses; see the module docstring."""

    def holds(self, facts: Facts) -> bool:
        raise NotImplementedError

    def describe(self, fields: Mapping[str, Field]) -> str:
        """The condition in words, for the decision table's "when"."""
        raise NotImplementedError

    def because(self, facts: Facts) -> str:
        """Why it holds for these values (only asked when it does), for the trace."""
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def negated(self) -> Condition | None:
        """The condition that holds exactly when this one does not (for a given value), if it has a name."""
        return None

    def parts(self) -> tuple[Condition, ...]:
        return ()

    def reads(self) -> tuple[str, ...]:
        """The input fields this condition itself looks at (not those of its parts)."""
        key = getattr(self, "field", None)
        return (key,) if isinstance(key, str) else ()

    def walk(self) -> Iterator[Condition]:
        """This condition and every condition inside it."""
        yield self
        for part in self.parts():
            yield from part.walk()

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        """Raise ConditionError if a field, choice, threshold or state does not exist."""
        for part in self.parts():
            part.check(fields, states)


def _spec(fields: Mapping[str, Field], key: str, where: Condition) -> Field:
    if key not in fields:
        raise ConditionError(f"condition {where.to_json()} names unknown field {key!r}")
    return fields[key]


@dataclass(frozen=True)
class Is(Condition):
    """A field has this value (a choice, true or false, or a whole number)."""

    field: str
    value: Any

    def holds(self, facts: Facts) -> bool:
        return self.field in facts.values and facts.values[self.field] == self.value

    def _phrase(self, spec: Field, value: Any) -> str:
        if spec.type == "bool" and spec.says is not None:
            return spec.says[0] if value else spec.says[1]
        return f"{spec.label}: {value_text(spec, value)}"

    def describe(self, fields: Mapping[str, Field]) -> str:
        return self._phrase(fields[self.field], self.value)

    def because(self, facts: Facts) -> str:
        return self._phrase(facts.fields[self.field], facts.values[self.field])

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "is": self.value}

    def negated(self) -> Condition | None:
        return Is(self.field, not self.value) if isinstance(self.value, bool) else None

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        spec = _spec(fields, self.field, self)
        valid = {
            "enum": lambda v: isinstance(v, str) and v in spec.choice_values,
            "bool": lambda v: isinstance(v, bool),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        }.get(spec.type)
        if valid is None or not valid(self.value):
            raise ConditionError(f"condition {self.to_json()}: {self.value!r} is not a value of {spec.type} "
                                 f"field {self.field!r}")


@dataclass(frozen=True)
class OneOf(Condition):
    """An enum field has one of these choices."""

    field: str
    values: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        return facts.values.get(self.field) in self.values

    def describe(self, fields: Mapping[str, Field]) -> str:
        spec = fields[self.field]
        return f"{spec.label}: {_join([spec.choice_label(value) for value in self.values], 'or')}"

    def because(self, facts: Facts) -> str:
        spec = facts.fields[self.field]
        return f"{spec.label}: {value_text(spec, facts.values[self.field])}"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "one_of": list(self.values)}

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        spec = _spec(fields, self.field, self)
        unknown = [value for value in self.values if spec.type != "enum" or value not in spec.choice_values]
        if unknown or not self.values:
            raise ConditionError(f"condition {self.to_json()}: {unknown or 'no values'} not choices of {self.field!r}")


@dataclass(frozen=True)
class Compare(Condition):
    """A number (or whole number) field compared with a threshold: above, at_least, below or at_most."""

    field: str
    comparison: str
    limit: float

    def holds(self, facts: Facts) -> bool:
        if self.field not in facts.values:
            return False
        return COMPARISONS[self.comparison][0](facts.values[self.field], self.limit)

    def describe(self, fields: Mapping[str, Field]) -> str:
        spec = fields[self.field]
        return f"{spec.label} {COMPARISONS[self.comparison][1]} {_number(self.limit)}{_unit(spec)}"

    def because(self, facts: Facts) -> str:
        spec = facts.fields[self.field]
        words = COMPARISONS[self.comparison][1]
        limit = f"{words} {_number(self.limit)}{_unit(spec)}"
        return f"{spec.label}: {value_text(spec, facts.values[self.field])} ({limit})"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, self.comparison: self.limit}

    def negated(self) -> Condition | None:
        return Compare(self.field, COMPARISONS[self.comparison][2], self.limit)

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        spec = _spec(fields, self.field, self)
        if spec.type not in ("number", "integer") or self.comparison not in COMPARISONS:
            raise ConditionError(f"condition {self.to_json()}: {self.field!r} is not a number field")


def Above(field: str, limit: float) -> Compare:
    return Compare(field, "above", limit)


def AtLeast(field: str, limit: float) -> Compare:
    return Compare(field, "at_least", limit)


def Below(field: str, limit: float) -> Compare:
    return Compare(field, "below", limit)


def AtMost(field: str, limit: float) -> Compare:
    return Compare(field, "at_most", limit)


@dataclass(frozen=True)
class Given(Condition):
    """A field was answered (any valid value)."""

    field: str

    def holds(self, facts: Facts) -> bool:
        return self.field in facts.values

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"{fields[self.field].label} given"

    def because(self, facts: Facts) -> str:
        spec = facts.fields[self.field]
        return f"{spec.label}: {value_text(spec, facts.values[self.field])}"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "given": True}

    def negated(self) -> Condition | None:
        return Missing(self.field)

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        _spec(fields, self.field, self)


@dataclass(frozen=True)
class Missing(Condition):
    """A field was not answered: the negation of Given, with a name of its own."""

    field: str

    def holds(self, facts: Facts) -> bool:
        return self.field not in facts.values

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"{fields[self.field].label} not given"

    def because(self, facts: Facts) -> str:
        return self.describe(facts.fields)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "given": False}

    def negated(self) -> Condition | None:
        return Given(self.field)

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        _spec(fields, self.field, self)


@dataclass(frozen=True)
class All(Condition):
    """Every part holds."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        object.__setattr__(self, "conditions", conditions)

    def holds(self, facts: Facts) -> bool:
        return all(part.holds(facts) for part in self.conditions)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return _join([_grouped(part, fields) for part in self.conditions], "and")

    def because(self, facts: Facts) -> str:
        return "; ".join(part.because(facts) for part in self.conditions)

    def to_json(self) -> dict[str, Any]:
        return {"all": [part.to_json() for part in self.conditions]}

    def parts(self) -> tuple[Condition, ...]:
        return self.conditions


@dataclass(frozen=True)
class AnyOf(Condition):
    """At least one part holds; *because* names the parts that do."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        object.__setattr__(self, "conditions", conditions)

    def holds(self, facts: Facts) -> bool:
        return any(part.holds(facts) for part in self.conditions)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return "; or ".join(_grouped(part, fields) for part in self.conditions)

    def because(self, facts: Facts) -> str:
        return "; ".join(part.because(facts) for part in self.conditions if part.holds(facts))

    def to_json(self) -> dict[str, Any]:
        return {"any": [part.to_json() for part in self.conditions]}

    def parts(self) -> tuple[Condition, ...]:
        return self.conditions


def _grouped(part: Condition, fields: Mapping[str, Field]) -> str:
    text = part.describe(fields)
    return f"({text})" if isinstance(part, All | AnyOf) and len(part.conditions) > 1 else text


@dataclass(frozen=True)
class Not(Condition):
    """The part does not hold."""

    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)

    def describe(self, fields: Mapping[str, Field]) -> str:
        opposite = self.condition.negated()
        return opposite.describe(fields) if opposite is not None else f"not {_grouped(self.condition, fields)}"

    def because(self, facts: Facts) -> str:
        opposite = self.condition.negated()
        if opposite is not None and opposite.holds(facts):
            return opposite.because(facts)
        return f"not {_grouped(self.condition, facts.fields)}"

    def to_json(self) -> dict[str, Any]:
        return {"not": self.condition.to_json()}

    def negated(self) -> Condition | None:
        return self.condition

    def parts(self) -> tuple[Condition, ...]:
        return (self.condition,)


@dataclass(frozen=True)
class Always(Condition):
    """Every case (within the rule kind's reach: regimen and monitoring rules only run in scope)."""

    def holds(self, facts: Facts) -> bool:
        return True

    def describe(self, fields: Mapping[str, Field]) -> str:
        return "always"

    def because(self, facts: Facts) -> str:
        return "always"

    def to_json(self) -> dict[str, Any]:
        return {"always": True}


@dataclass(frozen=True)
class Named(Condition):
    """A condition with a name of its own, for a decision table that reads as the clinician would say it."""

    name: str
    text: str
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return self.condition.holds(facts)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"{self.text} ({self.condition.describe(fields)})"

    def because(self, facts: Facts) -> str:
        return f"{self.text} ({self.condition.because(facts)})"

    def to_json(self) -> dict[str, Any]:
        return {"named": self.name, "condition": self.condition.to_json()}

    def negated(self) -> Condition | None:
        return _NamedOpposite(self)

    def parts(self) -> tuple[Condition, ...]:
        return (self.condition,)


@dataclass(frozen=True)
class _NamedOpposite(Condition):
    named: Named

    def holds(self, facts: Facts) -> bool:
        return not self.named.holds(facts)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return f"not {self.named.text}"

    def because(self, facts: Facts) -> str:
        return f"not {self.named.text}"

    def to_json(self) -> dict[str, Any]:
        return {"not": self.named.to_json()}


@dataclass(frozen=True)
class State(Condition):
    """A named fact about what earlier rules decided (e.g. "the regimen is lifelong"), not an input."""

    name: str
    text: str
    test: Callable[[Any], bool] = field(compare=False, repr=False)

    def holds(self, facts: Facts) -> bool:
        return facts.state(self.name)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return self.text

    def because(self, facts: Facts) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"state": self.name}

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        if states.get(self.name) is not self:
            raise ConditionError(f"condition {self.to_json()}: the pathway does not declare state {self.name!r}")


@dataclass(frozen=True)
class MonthsBetween(Condition):
    """More than ``months`` calendar months from the date in ``start`` to the date in ``end`` (both given).

    "More than N months" means ``end`` is after ``start`` plus N calendar months (engine.dates.add_months:
    31 January plus 1 month is the end of February), so "the next dose was due before the assessment".
    """

    start: str
    end: str
    months: int

    def holds(self, facts: Facts) -> bool:
        first, last = facts.values.get(self.start), facts.values.get(self.end)
        if first is None or last is None:
            return False
        return add_months(date.fromisoformat(first), self.months) < date.fromisoformat(last)

    def describe(self, fields: Mapping[str, Field]) -> str:
        return (f"more than {_months(self.months)} from the {fields[self.start].label.lower()} to the "
                f"{fields[self.end].label.lower()}")

    def because(self, facts: Facts) -> str:
        first, last = facts.values[self.start], facts.values[self.end]
        return (f"{facts.fields[self.start].label} {first}, {facts.fields[self.end].label.lower()} {last}: "
                f"more than {_months(self.months)} apart")

    def to_json(self) -> dict[str, Any]:
        return {"months_between": [self.start, self.end], "more_than": self.months}

    def reads(self) -> tuple[str, ...]:
        return (self.start, self.end)

    def check(self, fields: Mapping[str, Field], states: Mapping[str, State]) -> None:
        for key in (self.start, self.end):
            if _spec(fields, key, self).type != "date":
                raise ConditionError(f"condition {self.to_json()}: {key!r} is not a date field")
        if not isinstance(self.months, int) or self.months < 1:
            raise ConditionError(f"condition {self.to_json()}: months must be a whole number of at least 1")


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def input_fields(condition: Condition) -> set[str]:
    """The input fields a condition looks at (states look at the case, not at an input)."""
    return {key for part in condition.walk() for key in part.reads()}


def states_of(condition: Condition) -> list[State]:
    return [part for part in condition.walk() if isinstance(part, State)]


def unguarded_negations(condition: Condition, may_be_missing: Callable[[str, dict[str, Any]], bool]) -> list[str]:
    """Fields a ``Not`` reads that may be unanswered where it is evaluated: there, "not yes" would mean "no".

    ``may_be_missing(key, known)`` says whether a field can be missing given the values that earlier
    conjuncts of an ``All`` have fixed (``known``: field -> tuple of possible values); e.g. a field required
    when the cause is ileal resection is present once ``Is("cause", "ileal_resection")`` has held.
    """
    found: list[str] = []

    def visit(part: Condition, known: dict[str, Any], negated: bool) -> None:
        if isinstance(part, All):
            narrowed = dict(known)
            for inner in part.conditions:
                visit(inner, narrowed, negated)
                if isinstance(inner, Is):
                    narrowed[inner.field] = (inner.value,)
                elif isinstance(inner, OneOf):
                    narrowed[inner.field] = inner.values
                elif isinstance(inner, Given):
                    narrowed.setdefault(inner.field, ())  # known to be given, whatever its value
            return
        if isinstance(part, Not | Named | _NamedOpposite):
            inner = part.condition if isinstance(part, Not | Named) else part.named
            visit(inner, known, negated or isinstance(part, Not | _NamedOpposite))
            return
        for inner in part.parts():
            visit(inner, known, negated)
        if negated and not isinstance(part, Given | Missing):
            found.extend(key for key in part.reads() if may_be_missing(key, known))

    visit(condition, {}, False)
    return found
