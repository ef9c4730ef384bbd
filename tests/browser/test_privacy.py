"""Patient details never leave the page: nothing typed into the calculator is sent or stored anywhere.

The calculator's inputs live in the form and the engine worker's memory only. These tests enter distinctive
values, then look everywhere a browser could keep or send them: every request the context made (URL,
method, body), cookies, localStorage, sessionStorage, IndexedDB and the service worker's caches.
"""

from __future__ import annotations

import json

from playwright.sync_api import Request

from tests.browser.form_cases import PATHWAY_ID, evaluate_form
from tests.browser.offline_site import open_calculator, wait_until_stored
from tests.pathways.b12_maintenance.patients import patient

# Values no file of the site contains, so finding one anywhere means the page put it there.
PATIENT = patient(cause="dietary", serum_b12="187.25", serum_b12_unit="ng/L", last_injection_date="2024-07-19",
                  assessment_date="2024-10-01")
TYPED = ("187.25", "2024-07-19", "2024-07")

STORED_TEXT = """async (typed) => {
  const dump = (storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`);
  const databases = indexedDB.databases ? (await indexedDB.databases()).map((db) => db.name) : [];
  const cached = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) cached.push(request.url);
  }
  // The engine's memory snapshot (engine-worker.js): searched here, as its bytes are too many to return.
  const snapshots = await caches.open("engine-snapshots");
  const inSnapshots = [];
  for (const request of await snapshots.keys()) {
    const text = new TextDecoder("latin1").decode(await (await snapshots.match(request)).arrayBuffer());
    inSnapshots.push(...typed.filter((value) => text.includes(value)));
  }
  return {
    inSnapshots,
    cookie: document.cookie,
    local: dump(localStorage),
    session: dump(sessionStorage),
    databases,
    cached,
  };
}"""


def test_nothing_entered_in_the_calculator_is_sent_or_stored(new_page_log, built_site, serve):
    server = serve(built_site)
    log = new_page_log()
    page = log.page
    sent: list[tuple[str, str, str]] = []

    def on_request(request: Request) -> None:
        sent.append((request.method, request.url, request.post_data or ""))

    log.context.on("request", on_request)
    open_calculator(page, server)
    wait_until_stored(page, server, built_site)
    before = len(sent)
    _inputs, result = evaluate_form(page, PATIENT)
    answer = json.loads(result)
    assert answer["ok"] is True and answer["inputs"]["serum_b12"] == 187.25  # the engine got them, in the page
    page.click("#action-copy")  # the exports run in the worker too
    page.wait_for_function("() => document.querySelector('#action-status').textContent !== ''")

    # Requests: only GETs of the site's own files, none carrying a typed value.
    assert {method for method, _url, _body in sent} == {"GET"}
    carrying = [(url, body) for _method, url, body in sent if any(value in url + body for value in TYPED)]
    assert carrying == []
    assert log.foreign_requests(server.origin) == []
    # Entering the details fetched nothing at all: the engine was already loaded.
    assert sent[before:] == []

    stored = page.evaluate(STORED_TEXT, list(TYPED))
    assert stored["databases"] == [], "the site keeps nothing in IndexedDB"
    assert stored["cookie"] == ""
    assert log.context.cookies() == []
    everything = "\n".join([*stored["local"], *stored["session"], *stored["cached"]])
    assert not [value for value in TYPED if value in everything], everything
    # The caches hold the site's files and nothing else: every cached URL is a file of the build, or the
    # service worker's own record of the manifest it stored.
    site_files = {path.relative_to(built_site).as_posix() for path in built_site.rglob("*") if path.is_file()}
    cached = {url.removeprefix(server.url) for url in stored["cached"]}
    build_id = page.get_attribute('meta[name="guideline-build-id"]', "content")
    snapshot = f"pyodide/engine-snapshot/{build_id}"  # the engine's, made before anything was typed
    assert snapshot in cached and stored["inSnapshots"] == [], stored["inSnapshots"]
    assert cached <= site_files | {"__precache-manifest__", snapshot}, sorted(cached - site_files)
    assert f"calculator/{PATHWAY_ID}/index.html" in cached
    assert log.problems() == []
