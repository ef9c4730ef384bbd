"""Exports of a result: a plain-text summary for clinical notes and an iCalendar (RFC 5545) schedule."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from engine.pathways import PATHWAYS

_UTC_STAMP = re.compile(r"\d{8}T\d{6}Z")


# The evidence check of a recommendation, in words, as the page shows it beside each one.
EVIDENCE_WORDS = {"agrees": "Agrees", "differs": "Differs", "unsourced": "Unsourced"}


def _pathway(result: dict[str, Any]) -> Any:
    return PATHWAYS.get(result["pathway"])


def _title(result: dict[str, Any]) -> str:
    pathway = _pathway(result)
    return pathway.title if pathway else result["pathway"]


def _disclaimer(result: dict[str, Any]) -> str:
    pathway = _pathway(result)
    return pathway.disclaimer if pathway else "Decision support only: confirm against current guidance."


def _regimen_label(result: dict[str, Any]) -> str:
    pathway = _pathway(result)
    return (pathway.descriptor()["labels"]["regimen"] if pathway else "") or "Recommendation"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def evidence_words(item: dict[str, Any]) -> str:
    """'Evidence check: Agrees' for an item (or a regimen rule) carrying its rule's evidence check."""
    status = (item.get("evidence") or {}).get("status")
    return f"Evidence check: {EVIDENCE_WORDS.get(status, f'not given ({status})')}"


def regimen_evidence(regimen: dict[str, Any]) -> str:
    """The evidence check of each rule behind a regimen, in words: 'Agrees (im-malabsorption); ...'."""
    rules = regimen.get("rules") or []
    return "; ".join(f"{EVIDENCE_WORDS.get(rule['evidence']['status'], rule['evidence']['status'])} ({rule['id']})"
                     for rule in rules) or "not given"


def summary_text(result: dict[str, Any], guideline_title: str = "") -> str:
    """Plain text of a successful result, for pasting into clinical notes, with each evidence check in words."""
    if not result.get("ok"):
        raise ValueError("only an accepted result has a summary")
    heading = guideline_title or _title(result)
    lines = [
        f"{heading}",
        f"Guideline {result['pathway']} version {result['pathway_version']}; engine {result['engine_version']}",
        "",
    ]
    regimen = result.get("regimen")
    if not result["in_scope"]:
        lines += ["Outside the scope of this pathway:", f"  {result['scope_note']}"]
    elif regimen is not None:
        lines += [f"{_regimen_label(result)}: {regimen['summary']}."]
        lines += [f"  {detail}" for detail in regimen.get("details") or [regimen.get("duration_note", "")] if detail]
        lines.append(f"  Evidence check of the rules behind it: {regimen_evidence(regimen)}.")
    sections = (("Findings", result["findings"]), ("Monitoring", result["monitoring"]))
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"] + [f"  - {item['text']} ({evidence_words(item)})" for item in items]
    if result["cautions"]:
        lines += ["", "Cautions:"]
        lines += [f"  - [{item['severity'].upper()}] {item['text']} ({evidence_words(item)})"
                  for item in result["cautions"]]
    if result["schedule"]:
        lines += ["", "Schedule:"] + [f"  - {event['date']}: {event['text']}" for event in result["schedule"]]
    inputs = ", ".join(f"{key}={_plain(value)}" for key, value in result["inputs"].items())
    lines += [
        "",
        f"Computed from: {inputs}",
        _disclaimer(result),
    ]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Split a content line into lines of at most 75 octets (RFC 5545 3.1), never inside a character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines start with one space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return [parts[0]] + [" " + part for part in parts[1:]]


def to_utc_stamp(moment: str) -> str:
    """An ISO 8601 instant (e.g. JavaScript's toISOString()) as an RFC 5545 UTC date-time."""
    if _UTC_STAMP.fullmatch(moment):
        return moment
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"the timestamp {moment!r} has no time zone")
    return parsed.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_ics(result: dict[str, Any], stamp: str, guideline_title: str = "") -> str:
    """The schedule as an iCalendar file of all-day events; ``stamp`` is the creation time (UTC)."""
    if not result.get("ok"):
        raise ValueError("only an accepted result has a schedule")
    dtstamp = to_utc_stamp(stamp)
    name = guideline_title or _title(result)
    regimen = result.get("regimen")
    plan = (f"{_regimen_label(result)}: {regimen['summary']} (evidence check: {regimen_evidence(regimen)}). "
            if regimen else "")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Offline guideline site//{result['pathway']} {result['pathway_version']}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for index, event in enumerate(result["schedule"], start=1):
        day = date.fromisoformat(event["date"])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{result['pathway']}-{event['date']}-{event['event']}-{index}@guideline.invalid",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(event['text'])}",
            f"DESCRIPTION:{_escape(f'{name}. {plan}{_disclaimer(result)}')}",
            f"CATEGORIES:{event['event'].upper()}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in _fold(line))
