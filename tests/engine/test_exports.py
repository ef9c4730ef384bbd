"""Exports: the plain-text summary for clinical notes and the RFC 5545 calendar."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

import engine
from engine.exports import calendar_ics, summary_text, to_utc_stamp
from tests.pathways.b12_maintenance.patients import patient

PATHWAY = "b12-maintenance"
PATIENT = patient(cause="unknown", serum_b12=453, serum_b12_unit="pmol/L", last_injection_date="2025-01-31",
                  assessment_date="2025-01-31")


def result(**inputs):
    return engine.evaluate(PATHWAY, {**PATIENT, **inputs})


def test_summary_carries_the_plan_cautions_schedule_inputs_and_versions():
    accepted = result()
    text = summary_text(accepted)
    assert "Maintenance regimen: Hydroxocobalamin 1 mg intramuscularly every 3 months for life." in text
    assert "  Interval range in the licence: every 2 to 3 months." in text
    assert f"engine {engine.ENGINE_VERSION}" in text and f"version {accepted['pathway_version']}" in text
    assert "[HIGH] Do not stop vitamin B12 treatment" in text
    assert "2025-04-30: Hydroxocobalamin 1 mg intramuscularly (injection 1 of the next 6)" in text
    assert "Computed from: age_16_or_over=yes, pregnant_or_breastfeeding=no" in text and "cause=unknown" in text
    assert "confirm against the current NICE guideline NG239 and the product information" in text


def test_the_summary_gives_each_recommendations_evidence_check_in_words():
    accepted = result(homocysteine_umol_l=12, current_interval_months=3, last_injection_date="2024-01-31")
    text = summary_text(accepted)
    assert "Evidence check of the rules behind it: Agrees (im-malabsorption); Agrees (lifelong-irreversible)." in text
    for item in accepted["cautions"] + accepted["monitoring"] + accepted["findings"]:
        word = item["evidence"]["status"].capitalize()
        assert f"{item['text']} (Evidence check: {word})" in text, item["id"]
    assert "(Evidence check: Unsourced)" in text and "(Evidence check: Differs)" in text


def test_summary_out_of_scope_says_why():
    text = summary_text(result(loading_response="not_improved"))
    assert "Outside the scope of this pathway" in text and "Plan:" not in text


def test_a_rejected_result_has_no_exports():
    rejected = engine.evaluate(PATHWAY, {})
    with pytest.raises(ValueError, match="only an accepted result"):
        summary_text(rejected)
    with pytest.raises(ValueError, match="only an accepted result"):
        calendar_ics(rejected, "2026-01-01T00:00:00Z")


def test_calendar_is_valid_rfc_5545_with_one_all_day_event_per_schedule_entry():
    accepted = result()
    text = calendar_ics(accepted, "2026-11-25T13:20:00.123Z")
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))

    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(accepted["schedule"]) == 7
    uids = set()
    for event, entry in zip(events, accepted["schedule"], strict=True):
        start = event.decoded("DTSTART")
        assert type(start) is date and start.isoformat() == entry["date"]
        assert (event.decoded("DTEND") - start).days == 1
        assert str(event["SUMMARY"]) == entry["text"]
        assert event.decoded("DTSTAMP").strftime("%Y%m%dT%H%M%SZ") == "20261125T132000Z"
        evidence = "(evidence check: Agrees (im-malabsorption); Agrees (lifelong-irreversible))"
        assert evidence in str(event["DESCRIPTION"])
        uids.add(str(event["UID"]))
    assert len(uids) == len(events)


def test_calendar_escapes_text_and_folds_long_multibyte_lines():
    accepted = result()
    accepted["schedule"] = [{"date": "2025-02-01", "event": "review", "text": "Dose; µg, review\\ " + "é" * 60}]
    text = calendar_ics(accepted, "20250101T000000Z", guideline_title="Title, with; specials")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Dose; µg, review\\ " + "é" * 60


def test_no_schedule_gives_an_empty_calendar():
    text = calendar_ics(result(last_injection_date=None), "2026-01-01T00:00:00+01:00")
    assert list(icalendar.Calendar.from_ical(text).walk("VEVENT")) == []


@pytest.mark.parametrize(
    ("moment", "stamp"),
    [("2026-01-01T00:00:00Z", "20260101T000000Z"), ("2026-01-01T01:30:00+01:00", "20260101T003000Z"),
     ("20260101T000000Z", "20260101T000000Z")],
)
def test_timestamps_become_utc(moment, stamp):
    assert to_utc_stamp(moment) == stamp


def test_a_timestamp_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        to_utc_stamp("2026-01-01T00:00:00")
