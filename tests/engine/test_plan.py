"""The plan regimen rules shape: each part remembers the rules whose value it holds."""

import pytest

from engine.plan import Plan


def test_a_later_different_value_replaces_an_earlier_rule_and_marks_it_overridden():
    plan = Plan(route=None, interval=None)
    plan.set("route", "oral", "oral-rule")
    plan.set("route", "injection", "injection-rule")
    plan.at_most("interval", 2, "injection-rule")
    assert plan["route"] == "injection"
    assert plan.shaped_by() == ["injection-rule"]
    assert plan.overridden() == {"oral-rule": "injection-rule"}


def test_rules_that_agree_all_shaped_the_plan_in_the_order_they_came():
    plan = Plan(route=None, interval=None)
    plan.set("route", "injection", "first")
    plan.at_most("interval", 3, "first")
    plan.set("route", "injection", "second")
    plan.at_most("interval", 3, "second")
    assert plan.shaped_by() == ["first", "second"]
    assert plan.overridden() == {}


def test_the_most_frequent_interval_wins_and_a_rule_keeps_the_parts_it_still_holds():
    plan = Plan(route=None, interval=None, lifelong=False)
    for rule, months in (("three", 3), ("two", 2), ("four", 4)):
        plan.set("route", "injection", rule)
        plan.at_most("interval", months, rule)
    assert plan["interval"] == 2
    # "three" and "four" lost the interval but still hold the route: they shaped the regimen.
    assert plan.shaped_by() == ["three", "two", "four"]
    plan2 = Plan(interval=None)
    plan2.at_most("interval", 3, "three")
    plan2.at_most("interval", 1, "one")
    assert plan2.shaped_by() == ["one"]
    assert plan2.overridden() == {"three": "one"}


def test_a_part_the_plan_does_not_have_is_refused():
    with pytest.raises(KeyError, match="rule 'r' sets 'colour'"):
        Plan(route=None).set("colour", "red", "r")
