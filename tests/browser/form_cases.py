"""The maintenance calculator's form as the Chromium tests drive it: its pathway and fields, the shared cases its
form can express, entering them through Playwright, and CPython's answer to what the form sent.

The driver-independent part (setting the controls, reading the answer) is calculator_page.py, which the
cross-engine tests use too; this module is what every Chromium test of the calculator shares.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from playwright.sync_api import Page

import engine
from tests.browser import calculator_page
from tests.browser.calculator_page import PlaywrightPage, form_text
from tests.pathways.b12_maintenance.patients import patient
from tests.shared_cases import load_cases

PATHWAY_ID = "b12-maintenance"
DESKTOP = {"width": 1280, "height": 900}
BOOT_TIMEOUT_MS = 60_000
SOURCE_PATIENT = patient(cause="unknown", serum_b12=453, serum_b12_unit="pmol/L", last_injection_date="2025-01-31",
                         assessment_date="2025-02-14")

(PATHWAY,) = [pathway for pathway in engine.pathways() if pathway["id"] == PATHWAY_ID]
FIELDS = {field["key"]: field for field in PATHWAY["inputs"]}
FIELDS_OF = {pathway["id"]: {field["key"]: field for field in pathway["inputs"]} for pathway in engine.pathways()}


def enterable(inputs: Any, pathway_id: str = PATHWAY_ID) -> bool:
    """Whether the form of ``pathway_id`` can express these inputs: known keys, offered choices, plain values."""
    if not isinstance(inputs, dict):
        return False
    fields = FIELDS_OF[pathway_id]
    for key, value in inputs.items():
        field = fields.get(key)
        if field is None or value is None or isinstance(value, list | dict):
            return False
        kind = field["type"]
        if kind == "enum" and value not in [choice["value"] for choice in field["choices"]]:
            return False
        if kind == "bool" and not isinstance(value, bool):
            return False
        if kind in ("number", "integer") and (isinstance(value, bool) or not isinstance(value, str | int | float)):
            return False
        if kind in ("number", "integer") and not form_text(value).strip():
            return False
        if kind == "date" and not real_date(value):
            return False
    return True


def real_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def enter(page: Page, inputs: dict[str, Any]) -> dict[str, Any]:
    """Set every control to ``inputs`` (the rest to its default) and return what the form sends.

    The shared helper (calculator_page.py, the same in every engine): fields hidden by their required_when
    condition are skipped, as the form leaves them out.
    """
    return calculator_page.enter(PlaywrightPage(page), inputs)


def evaluate_form(page: Page, inputs: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Enter ``inputs``; return what the form sent and the JSON text the page then shows."""
    return calculator_page.evaluate_form(PlaywrightPage(page), inputs)


def cpython_json(sent: dict[str, Any]) -> str:
    return engine.evaluate_json(PATHWAY_ID, json.dumps(sent))


# The maintenance pathway's shared cases that its form can express.
SHARED = [case for case in load_cases() if case.pathway == PATHWAY_ID and enterable(case.input)]
# Every pathway's shared cases that its form can express, by pathway (the cross-engine tests enter them all).
SHARED_BY_PATHWAY = {pathway_id: [case for case in load_cases() if case.pathway == pathway_id
                                  and enterable(case.input, pathway_id)] for pathway_id in FIELDS_OF}
