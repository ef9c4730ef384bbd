"""The core scenarios in every browser engine: Chromium (Playwright), Firefox (puppeteer-core over
WebDriver BiDi) and WebKit (WebKitGTK through Selenium). Each scenario is written once against
tests/browser/drivers.py's Driver and runs in each engine; the form is filled by calculator_page.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitebuild.server import SiteServer
from tests.browser.calculator_page import evaluate_form, wait_for_engine
from tests.browser.drivers import ENGINES, BaseDriver
from tests.browser.test_calculator import PATHWAY_ID, SHARED, cpython_json

CALCULATOR = f"calculator/{PATHWAY_ID}/"


@pytest.fixture(scope="module", params=ENGINES)
def calculator_in(
    request: pytest.FixtureRequest, drivers: Any, built_site: Path
) -> Iterator[tuple[BaseDriver, SiteServer]]:
    """The calculator page in one engine, loaded once per module and engine, with the engine ready."""
    with SiteServer(built_site) as server:
        driver = drivers.open(request.param)
        try:
            driver.goto(server.url + CALCULATOR)
            wait_for_engine(driver)
            yield driver, server
        finally:
            driver.close()


def test_the_calculator_is_ready_and_every_shared_case_gives_cpythons_exact_json(calculator_in):
    driver, server = calculator_in
    for case in SHARED:
        sent, shown = evaluate_form(driver, case.input)
        assert shown == cpython_json(sent), (driver.engine, case.id)
    assert driver.errors() == []
    assert driver.foreign_requests(server.origin) == []
