"""The registry of pathways, one module each."""

from __future__ import annotations

from engine.pathway import Pathway
from engine.pathways.b12_maintenance import PATHWAY as B12_MAINTENANCE

PATHWAYS: dict[str, Pathway] = {pathway.id: pathway for pathway in (B12_MAINTENANCE,)}
