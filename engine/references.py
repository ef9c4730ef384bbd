"""The reference registry: every pathway's citable works, in groups, numbered once for the whole site.

A pathway declares its references and the groups they belong to (a source document's own list, the
primary sources it was checked against, ...). The registry joins them in group order; a work cited by two
pathways is one entry (declared the same by both). A reference with a ``number`` of its own (a source's
reference list) must land on that number, so a source keeps its numbering on every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReferenceGroup:
    """A section of the references page: its id (a reference's ``group``), heading and introduction."""

    id: str
    title: str
    intro: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "intro": self.intro}


@dataclass(frozen=True)
class Reference:
    """One citable work; ``group`` names its ReferenceGroup."""

    key: str
    group: str
    title: str
    authors: str | None = None
    source: str | None = None
    year: int | None = None
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    note: str | None = None
    number: int | None = None  # the source's own reference number
    listed_in_source: bool = True
    verification: str | None = None  # checked / secondary / open, for primary sources
    see_also: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # The contract's five core keys are always present (null when the work does not say).
        entry: dict[str, Any] = {
            "key": self.key,
            "authors": self.authors,
            "title": self.title,
            "source": self.source,
            "year": self.year,
            "group": self.group,
        }
        optional = {
            "url": self.url,
            "doi": self.doi,
            "pmid": self.pmid,
            "note": self.note,
            "number": self.number,
            "verification": self.verification,
        }
        entry.update({key: value for key, value in optional.items() if value is not None})
        entry["listed_in_source"] = self.listed_in_source
        if self.see_also:
            entry["see_also"] = list(self.see_also)
        return entry


@dataclass(frozen=True)
class Registry:
    """The site's references in numbering order, and their groups."""

    groups: tuple[ReferenceGroup, ...]
    references: tuple[Reference, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(reference.key for reference in self.references)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {reference.key: reference.to_dict() for reference in self.references}


def _first_of_each(items: Iterable[Any], what: str) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        key = item.key if hasattr(item, "key") else item.id
        if key in seen and seen[key] != item:
            raise ValueError(f"two pathways declare {what} {key!r} differently: declare it once and share it")
        seen.setdefault(key, item)
    return list(seen.values())


def registry(groups: Iterable[ReferenceGroup], references: Iterable[Reference]) -> Registry:
    """Join groups and references (each pathway's, in pathway order) into one numbered registry."""
    group_list = _first_of_each(groups, "reference group")
    entries = _first_of_each(references, "reference")
    order = [group.id for group in group_list]
    stray = sorted({entry.group for entry in entries} - set(order))
    if stray:
        raise ValueError(f"references in undeclared groups {stray}")
    ordered = sorted(entries, key=lambda entry: order.index(entry.group))
    for position, entry in enumerate(ordered, start=1):
        if entry.number is not None and entry.number != position:
            raise ValueError(f"reference {entry.key!r} is the source's number {entry.number} but would be numbered "
                             f"{position}: declare its group first and its list in the source's order")
    keys = {entry.key for entry in ordered}
    for entry in ordered:
        unknown = [other for other in entry.see_also if other not in keys]
        if unknown:
            raise ValueError(f"reference {entry.key!r}: see_also names unknown references {unknown}")
    return Registry(tuple(group_list), tuple(ordered))
