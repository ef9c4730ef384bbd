"""The reference registry: every pathway's references joined in group order, numbered once for the site."""

import pytest

import engine
from engine.references import Reference, ReferenceGroup, registry

GROUPS = (ReferenceGroup("list", "A source's list", "i"), ReferenceGroup("other", "Others", "i"))


def test_contract_keys_are_present_for_every_reference():
    groups = {group["id"] for group in engine.reference_groups()}
    for key, reference in engine.references().items():
        assert reference["key"] == key
        assert {"key", "authors", "title", "source", "year"} <= set(reference)
        assert reference["group"] in groups


def test_references_come_in_group_order_and_a_source_keeps_its_numbers():
    joined = registry(GROUPS, (Reference("b", "other", "B"), Reference("a1", "list", "A1", number=1),
                               Reference("a2", "list", "A2", number=2)))
    assert [reference.key for reference in joined.references] == ["a1", "a2", "b"]
    with pytest.raises(ValueError, match="'a2' is the source's number 3 but would be numbered 2"):
        registry(GROUPS, (Reference("a1", "list", "A1", number=1), Reference("a2", "list", "A2", number=3)))


def test_a_work_two_pathways_cite_is_one_entry_declared_the_same():
    same = Reference("a", "list", "A")
    assert len(registry(GROUPS, (same, same)).references) == 1
    with pytest.raises(ValueError, match="two pathways declare reference 'a' differently"):
        registry(GROUPS, (same, Reference("a", "list", "Another title")))


def test_undeclared_groups_and_unknown_see_also_are_refused():
    with pytest.raises(ValueError, match=r"undeclared groups \['nowhere'\]"):
        registry(GROUPS, (Reference("a", "nowhere", "A"),))
    with pytest.raises(ValueError, match=r"see_also names unknown references \['z'\]"):
        registry(GROUPS, (Reference("a", "list", "A", see_also=("z",)),))
