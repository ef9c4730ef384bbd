"""The calculator refuses an engine of another build than its page's, reloads once, then asks the user.

A page of one build with an engine of another (an old worker, wheel or cache after an update) could show a
result that the page's decision table and evidence check do not describe. The page names the engine version
it was built with in ``<meta name="engine-version">``; here the served page is altered to name another one.
"""

from __future__ import annotations

import re

from playwright.sync_api import Route

from tests.browser.form_cases import BOOT_TIMEOUT_MS, PATHWAY_ID, SOURCE_PATIENT, enter

CALCULATOR = f"calculator/{PATHWAY_ID}/"
OTHER_VERSION = "0.0.0-another-build"


def test_an_engine_of_another_build_is_refused_after_one_reload(new_page_log, built_site, serve):
    server = serve(built_site)
    # No service worker: the altered page must reach the browser as served, on both loads.
    log = new_page_log(service_workers="block")
    page = log.page
    loads: list[str] = []

    def altered(route: Route) -> None:
        loads.append(route.request.url)
        response = route.fetch()
        body, count = re.subn(r'(<meta name="engine-version" content=")[^"]*"', rf'\g<1>{OTHER_VERSION}"',
                              response.text())
        assert count == 1, "the calculator page no longer names its engine version"
        route.fulfill(response=response, body=body)

    page.route(re.compile(re.escape(server.url + CALCULATOR) + r"(index\.html)?$"), altered)
    page.goto(server.url + CALCULATOR)
    # The first refusal reloads the page; the second stays, with the message and no result.
    # Polled across the reload: the new document has no #engine-status until it is parsed.
    page.wait_for_function(
        "() => (document.querySelector('#engine-status')?.textContent || '').includes('Reload the page')",
        timeout=BOOT_TIMEOUT_MS)
    assert len(loads) == 2, loads
    assert page.evaluate("() => document.documentElement.dataset.engine") == "failed"
    status = page.inner_text("#engine-status")
    assert "out of date" in status and OTHER_VERSION in status
    engine_version = page.inner_text("[data-engine-version]").strip()
    assert engine_version and engine_version in status  # names the engine that actually ran

    enter(page, SOURCE_PATIENT)
    page.dispatch_event("form#calculator", "input")
    page.wait_for_timeout(500)  # time for an evaluation, had one been asked for
    assert page.get_attribute("#result", "data-result") is None
    assert page.get_attribute("#result", "data-state") != "ok"
    assert all(page.is_disabled(f"#action-{name}") for name in ("copy", "print", "ics"))
    assert log.page_errors == []
