"""Conditions as data: each one evaluates, describes itself, says why it holds from the values, and is JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from engine.conditions import (
    Above,
    All,
    Always,
    AnyOf,
    AtLeast,
    AtMost,
    Below,
    ConditionError,
    Given,
    Is,
    Missing,
    Named,
    Not,
    OneOf,
    State,
    input_fields,
    unguarded_negations,
)
from engine.fields import Choice, Field, RequiredWhen

FIELDS = {
    spec.key: spec
    for spec in (
        Field(key="colour", label="Colour", type="enum", required=True,
              choices=(Choice("red", "Red"), Choice("blue", "Blue"), Choice("green", "Green"))),
        Field(key="urgent", label="Urgent", type="bool", required=True, says=("urgent", "not urgent")),
        Field(key="flag", label="Flag", type="bool"),
        Field(key="size", label="Size", type="number", unit="cm", min=0, max=100),
        Field(key="count", label="Count", type="integer", min=1, max=3),
        Field(key="depth", label="Depth", type="number", unit="cm",
              required_when=RequiredWhen("colour", ("red",), "when the colour is red")),
    )
}
ON = State("on", "the switch is on", lambda facts: facts.values.get("urgent") is True)
STATES = {"on": ON}


@dataclass
class Facts:
    values: dict[str, Any]
    fields: dict[str, Field] = field(default_factory=lambda: FIELDS)

    def state(self, name: str) -> bool:
        return STATES[name].test(self)


@pytest.mark.parametrize(
    ("condition", "values", "holds", "because"),
    [
        (Is("colour", "red"), {"colour": "red"}, True, "Colour: Red"),
        (Is("colour", "red"), {"colour": "blue"}, False, None),
        (Is("urgent", True), {"urgent": True}, True, "urgent"),
        (Is("urgent", False), {"urgent": False}, True, "not urgent"),
        (Is("flag", True), {"flag": True}, True, "Flag: yes"),
        (OneOf("colour", ("red", "green")), {"colour": "green"}, True, "Colour: Green"),
        (OneOf("colour", ("red", "green")), {"colour": "blue"}, False, None),
        (Above("size", 20), {"size": 21}, True, "Size: 21 cm (more than 20 cm)"),
        (Above("size", 20), {"size": 20}, False, None),
        (AtLeast("size", 20), {"size": 20}, True, "Size: 20 cm (at least 20 cm)"),
        (Below("size", 20), {"size": 19.5}, True, "Size: 19.5 cm (less than 20 cm)"),
        (AtMost("size", 20), {"size": 20}, True, "Size: 20 cm (not more than 20 cm)"),
        (AtMost("size", 20), {}, False, None),
        (Given("size"), {"size": 3}, True, "Size: 3 cm"),
        (Given("size"), {}, False, None),
        (Missing("size"), {}, True, "Size not given"),
        (All(Is("colour", "red"), Is("urgent", True)), {"colour": "red", "urgent": True}, True, "Colour: Red; urgent"),
        (All(Is("colour", "red"), Is("urgent", True)), {"colour": "red", "urgent": False}, False, None),
        (AnyOf(Is("colour", "red"), Above("size", 20)), {"colour": "blue", "size": 30}, True,
         "Size: 30 cm (more than 20 cm)"),
        (Not(Is("urgent", True)), {"urgent": False}, True, "not urgent"),
        (Not(Above("size", 20)), {"size": 5}, True, "Size: 5 cm (not more than 20 cm)"),
        (Not(Given("size")), {}, True, "Size not given"),
        (Always(), {}, True, "always"),
        (State("on", "the switch is on", ON.test), {"urgent": True}, True, "the switch is on"),
        (Named("red-urgent", "a red emergency", All(Is("colour", "red"), Is("urgent", True))),
         {"colour": "red", "urgent": True}, True, "a red emergency (Colour: Red; urgent)"),
        (Not(Named("red-urgent", "a red emergency", Is("colour", "red"))), {"colour": "blue"}, True,
         "not a red emergency"),
    ],
)
def test_a_condition_holds_and_says_why_from_the_values(condition, values, holds, because):
    facts = Facts(values)
    assert condition.holds(facts) is holds
    if holds:
        assert condition.because(facts) == because


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (Is("colour", "red"), "Colour: Red"),
        (OneOf("colour", ("red", "green", "blue")), "Colour: Red, Green or Blue"),
        (Above("size", 20.0), "Size more than 20 cm"),
        (All(Is("colour", "red"), Is("urgent", False), Missing("size")), "Colour: Red, not urgent and Size not given"),
        (AnyOf(Is("colour", "red"), All(Is("colour", "blue"), AtMost("size", 2))),
         "Colour: Red; or (Colour: Blue and Size not more than 2 cm)"),
        (Not(Is("urgent", True)), "not urgent"),
        (Not(AtLeast("size", 5)), "Size less than 5 cm"),
        (Not(OneOf("colour", ("red",))), "not Colour: Red"),
        (Always(), "always"),
    ],
)
def test_a_condition_describes_itself_for_the_decision_table(condition, text):
    assert condition.describe(FIELDS) == text


def test_conditions_are_json_that_names_fields_values_and_thresholds():
    condition = All(
        Is("colour", "red"), OneOf("colour", ("red", "blue")), Above("size", 20), AtLeast("size", 1),
        Below("size", 99), AtMost("size", 50), Given("count"), Missing("flag"),
        AnyOf(Not(Is("urgent", True)), Always()), ON, Named("n", "text", Is("urgent", True)),
    )
    assert condition.to_json() == {"all": [
        {"field": "colour", "is": "red"},
        {"field": "colour", "one_of": ["red", "blue"]},
        {"field": "size", "above": 20},
        {"field": "size", "at_least": 1},
        {"field": "size", "below": 99},
        {"field": "size", "at_most": 50},
        {"field": "count", "given": True},
        {"field": "flag", "given": False},
        {"any": [{"not": {"field": "urgent", "is": True}}, {"always": True}]},
        {"state": "on"},
        {"named": "n", "condition": {"field": "urgent", "is": True}},
    ]}
    assert input_fields(condition) == {"colour", "size", "count", "flag", "urgent"}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (Is("shade", "red"), "unknown field 'shade'"),
        (Is("colour", "purple"), "'purple' is not a value of enum field 'colour'"),
        (Is("urgent", "yes"), "'yes' is not a value of bool field 'urgent'"),
        (Is("size", 3), "is not a value of number field 'size'"),
        (OneOf("colour", ("red", "pink")), r"\['pink'\] not choices of 'colour'"),
        (Above("colour", 3), "'colour' is not a number field"),
        (All(Given("nothing")), "unknown field 'nothing'"),
        (State("off", "off", lambda facts: False), "does not declare state 'off'"),
    ],
)
def test_a_condition_naming_what_the_pathway_lacks_is_refused(condition, message):
    with pytest.raises(ConditionError, match=message):
        condition.check(FIELDS, STATES)


def _may_be_missing(key: str, known: dict) -> bool:
    spec = FIELDS[key]
    if spec.always_given:
        return False
    guard = spec.required_when
    return not (guard is not None and guard.field in known and set(known[guard.field]) <= set(guard.values))


@pytest.mark.parametrize(
    ("condition", "unanswered"),
    [
        (Not(Is("urgent", True)), []),  # required: always answered
        (Not(Is("flag", True)), ["flag"]),  # optional without a default: unanswered would read as "no"
        (Not(Above("size", 20)), ["size"]),
        (Not(Given("size")), []),  # asks exactly whether it was answered
        (All(Is("colour", "red"), Not(Above("depth", 5))), []),  # depth is required once the colour is red
        (All(Is("colour", "blue"), Not(Above("depth", 5))), ["depth"]),
        (Not(Named("n", "t", All(Is("colour", "red"), Is("flag", True)))), ["flag"]),
    ],
)
def test_a_negation_over_a_question_that_may_be_unanswered_is_found(condition, unanswered):
    assert unguarded_negations(condition, _may_be_missing) == unanswered
