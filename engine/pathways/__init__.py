"""The registry of pathways, found in this package (every module with a ``PATHWAY``), and the one reference
registry they share. Adding a guideline is adding its module here: nothing else lists the pathways."""

from __future__ import annotations

import importlib
import pkgutil

from engine.pathway import Pathway
from engine.references import Registry, registry


def _discover() -> dict[str, Pathway]:
    # Sorted by module name, so the order (the nav's, the references' numbering) never depends on the file system.
    found: dict[str, Pathway] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        pathway = getattr(importlib.import_module(f"{__name__}.{module_info.name}"), "PATHWAY", None)
        if isinstance(pathway, Pathway):
            if pathway.id in found:
                raise ValueError(f"two pathway modules declare the pathway id {pathway.id!r}")
            found[pathway.id] = pathway
    return found


def _check_next_steps(pathways: dict[str, Pathway]) -> None:
    for pathway in pathways.values():
        step = pathway.next_step
        if step is None:
            continue
        if step.pathway not in pathways:
            raise ValueError(f"pathway {pathway.id!r}: its next step names unknown pathway {step.pathway!r}")
        target = pathways[step.pathway].field_specs
        different = [key for key in step.carry_over if key not in target
                     or target[key].type != pathway.field_specs[key].type]
        if different:
            raise ValueError(f"pathway {pathway.id!r}: {different} cannot carry over to {step.pathway!r}, which has "
                             "no such field of the same type")


PATHWAYS: dict[str, Pathway] = _discover()
_check_next_steps(PATHWAYS)

REFERENCES: Registry = registry(
    (group for pathway in PATHWAYS.values() for group in pathway.reference_groups),
    (reference for pathway in PATHWAYS.values() for reference in pathway.references),
)
