"""A returning user's engine is restored from a memory snapshot (engine-worker.js, engine-boot.js).

The snapshot is made on a build's first start on the device, after the self-test passed and before any patient's
details reach the engine; later starts restore it, check it again, and start afresh when it cannot be used (bytes
that are not a snapshot, or one of another build), saying which start they used. Pyodide's snapshot API is
private: these tests are what makes an upgrade that breaks it fail visibly rather than fall back in silence.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.calculator_page import PlaywrightPage, evaluate_form
from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID
from tests.pathways.b12_maintenance.patients import patient

CALCULATOR = f"calculator/{PATHWAY_ID}/"
SETTLED = "() => ['ready', 'failed'].includes(document.documentElement.dataset.engine)"
STATUS = """() => { const s = document.querySelector('#engine-status');
  return {state: s.dataset.state, start: s.dataset.start || null, selfTest: s.dataset.selfTest || null,
          bootMs: Number(s.dataset.bootMs), text: s.innerText}; }"""
# The saved snapshots (Cache Storage "engine-snapshots"): [{url, build, size}].
SAVED = """async () => { const cache = await caches.open('engine-snapshots'); const found = [];
  for (const request of await cache.keys()) { const response = await cache.match(request);
    found.push({url: request.url, build: response.headers.get('x-engine-build'),
                size: (await response.arrayBuffer()).byteLength}); }
  return found; }"""
# Rewrites the one saved snapshot: "corrupt" its first bytes, or label it as made by "another-build" (no eval():
# the page's Content-Security-Policy forbids it).
REWRITE = """async (how) => { const cache = await caches.open('engine-snapshots');
  const [request] = await cache.keys(); const response = await cache.match(request);
  const bytes = new Uint8Array(await response.arrayBuffer()); const headers = {};
  response.headers.forEach((value, key) => { headers[key] = value; });
  if (how === 'corrupt') bytes.fill(7, 0, 64);
  else headers['x-engine-build'] = how;
  await cache.put(request, new Response(bytes, {headers})); }"""
# Whether the saved snapshot's bytes hold each of ``needles`` (ASCII, as CPython keeps such strings).
HOLDS = """async (needles) => { const cache = await caches.open('engine-snapshots');
  const [request] = await cache.keys(); const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  const text = new TextDecoder('latin1').decode(bytes);
  return Object.fromEntries(needles.map((needle) => [needle, text.includes(needle)])); }"""
# Values no shared case or self-test input holds (checked below), so only the form could put them in the heap.
PATIENT = patient(cause="unknown", serum_b12=468, serum_b12_unit="pmol/L", last_injection_date="2024-09-17",
                  assessment_date="2024-12-02")
# As the page sends them to the engine (JSON.stringify), and as the engine reads them.
TYPED = ("2024-09-17", '"serum_b12":468', '"last_injection_date":"2024-09-17"')


def boot(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    return page.evaluate(STATUS)


def answered(page) -> bool:
    """Enter the patient's details; whether the engine accepted them and answered."""
    _sent, shown = evaluate_form(PlaywrightPage(page), PATIENT)
    return json.loads(shown)["ok"] is True


def snapshot_saved(page, build: str | None = None) -> list[dict]:
    """The saved snapshots, once there is one (of ``build``, when given); the worker saves it after "ready"."""
    for _poll in range(BOOT_TIMEOUT_MS // 250):
        found = page.evaluate(SAVED)
        if len(found) == 1 and build in (None, found[0]["build"]):
            return found
        page.wait_for_timeout(250)
    return page.evaluate(SAVED)


@pytest.fixture
def returning(new_page_log, site_server):
    """A device that started this build's engine once: its snapshot saved."""
    log = new_page_log()
    first = boot(log.page, site_server.url + CALCULATOR)
    assert first["state"] == "ready" and first["start"] == "fresh", first
    assert "Started afresh" in first["text"], first
    found = snapshot_saved(log.page)
    assert len(found) == 1, (found, log.problems())
    (saved,) = found
    build = log.page.get_attribute('meta[name="guideline-build-id"]', "content")
    assert saved["build"] == build and saved["size"] > 1_000_000, saved
    print(f"first start: {first['bootMs']} ms afresh; snapshot {saved['size']} bytes")  # shown with -s
    return log


def test_a_returning_users_engine_is_restored_checked_and_says_so(returning, site_server):
    page = returning.page
    status = boot(page, site_server.url + CALCULATOR)
    assert status["state"] == "ready" and status["start"] == "snapshot", status
    assert status["selfTest"] == "passed" and "from the engine saved on this device" in status["text"], status
    print(f"restored start: {status['bootMs']} ms")  # shown with -s; a figure, never asserted
    assert answered(page)
    assert returning.problems() == []


@pytest.mark.parametrize(("how", "reason"), [
    # Bytes that are not a snapshot: Pyodide's own check refuses them (its magic number).
    ("corrupt", "could not be used"),
    # A snapshot of another build of the site (its engine, library or Pyodide may differ): never restored.
    ("another-build", "made by another build"),
])
def test_a_snapshot_that_cannot_be_used_falls_back_to_a_fresh_start(returning, site_server, how, reason):
    page = returning.page
    page.evaluate(REWRITE, how)
    status = boot(page, site_server.url + CALCULATOR)
    assert status["state"] == "ready" and status["start"] == "fresh", status
    assert reason in status["text"] and status["selfTest"] == "passed", status
    # The fresh start saved a good snapshot again, which the next start restores.
    build = page.get_attribute('meta[name="guideline-build-id"]', "content")
    assert snapshot_saved(page, build)[0]["build"] == build
    assert boot(page, site_server.url + CALCULATOR)["start"] == "snapshot"


def test_a_patients_details_are_never_in_the_saved_snapshot(returning, site_server):
    page = returning.page
    for _visit in range(2):  # a fresh start (just above), then a restored one
        assert answered(page)
        held = page.evaluate(HOLDS, [*TYPED, PATHWAY_ID, "evaluate_json"])
        # The search finds what the engine holds (its pathways, its code), never what was typed.
        assert held == {**dict.fromkeys(TYPED, False), PATHWAY_ID: True, "evaluate_json": True}, held
        assert boot(page, site_server.url + CALCULATOR)["start"] == "snapshot"
    cases = (site_server.root / "assets" / "answers" / "self-test.json").read_text()
    assert not [value for value in TYPED if value in cases]  # the needles are the patient's alone
