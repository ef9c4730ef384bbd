"""Live preview as an author uses it: `python build.py serve` in a copy of the repository, pages open in Chromium,
then a docs page edited, broken and mended, and an engine module changed, each saved to disk as an editor would.

Every open page reloads after a rebuild; a failed rebuild leaves the last good site served and shows its error
naming the file, in the terminal and in the page; a change of text reuses the engine as already read; the
offline layer never holds the preview on an old build; the reload script stays out of the built site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import copy_repository
from tests.live_preview import PREFIX, Preview

STARTUP_SECONDS = 300
REBUILD_MS = 120_000
# The shown page's build id; while a reload is under way (no page yet) the old one, so a wait is not fooled.
BUILD_ID_NOW = "(document.querySelector('meta[name=\"guideline-build-id\"]')?.content ?? '{old}')"


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    running = Preview(copy_repository(tmp_path_factory.mktemp("preview-repository")))
    try:
        running.wait_for(lambda line: line.startswith("Serving "), seconds=STARTUP_SECONDS)
        yield running
    finally:
        running.stop()


def build_of(page) -> str:
    return page.evaluate("() => document.querySelector('meta[name=\"guideline-build-id\"]').content")


def test_saving_a_page_reloads_every_open_page_and_a_failed_rebuild_shows_its_error(preview, new_page_log):
    log = new_page_log()
    guideline, home = log.page, log.context.new_page()
    guideline.goto(preview.url + "maintenance/")
    home.goto(preview.url)
    # The offline layer knows it is a preview: it stores nothing, so it can never show an old build.
    guideline.wait_for_function("() => document.getElementById('offline-status')?.dataset.state === 'preview'")
    first = build_of(guideline)

    since = preview.edit("docs/maintenance.md", lambda text: text + "\n\nPreview check: the first edit.\n")
    guideline.wait_for_function("() => document.body?.innerText.includes('Preview check: the first edit.')",
                                timeout=REBUILD_MS)
    home.wait_for_function(f"() => {BUILD_ID_NOW.format(old=first)} !== '{first}'",
                           timeout=REBUILD_MS)
    preview.wait_for(lambda line: line.startswith("preview: rebuilt"), since)
    rebuilt = "\n".join(preview.lines[since:])
    # A change of text only: the engine as read at the start is reused, not explored again.
    assert "docs/maintenance.md changed" in rebuilt and "not explored again" in rebuilt, rebuilt
    assert guideline.locator("#update-prompt").is_hidden()

    # An unknown citation: the rebuild fails, the last good build stays served, and every page says why.
    since = preview.edit("docs/maintenance.md", lambda text: text.replace(
        "the first edit.", "the first edit, with a claim [@no-such-key]."))
    for page in (guideline, home):
        banner = page.locator("#preview-build-error")
        banner.wait_for(timeout=REBUILD_MS)
        assert "docs/maintenance.md" in banner.inner_text() and "no-such-key" in banner.inner_text()
        assert banner.get_attribute("role") == "alert"
    said = preview.wait_for(lambda line: "FAILED" in line, since)
    assert "still serving the last good build" in said
    assert "docs/maintenance.md" in "\n".join(preview.lines[since:])
    status, body = preview.get(PREFIX + "maintenance/")
    assert status == 200 and "Preview check: the first edit." in body and "no-such-key" not in body

    # Mended: the banner goes and the pages show the new text.
    preview.edit("docs/maintenance.md", lambda text: text.replace(
        "the first edit, with a claim [@no-such-key].", "the second edit."))
    guideline.wait_for_function("() => document.body?.innerText.includes('Preview check: the second edit.')",
                                timeout=REBUILD_MS)
    assert guideline.locator("#preview-build-error").count() == 0
    home.wait_for_function("() => !document.getElementById('preview-build-error')", timeout=REBUILD_MS)

    # The reload script came from the site's origin, within the page's Content-Security-Policy.
    assert not [error for error in log.console_errors if "Content Security Policy" in error], log.console_errors
    assert log.page_errors == []


def test_a_change_to_the_engine_rebuilds_in_a_new_process_and_reloads_the_page(preview, new_page_log):
    page = new_page_log().page
    page.goto(preview.url + "decision-tables/b12-maintenance/")
    before = build_of(page)
    since = preview.edit("engine/api.py", lambda text: text + "\n# An edit that changes the engine's digest.\n")
    page.wait_for_function(f"() => {BUILD_ID_NOW.format(old=before)} !== '{before}'",
                           timeout=REBUILD_MS)
    rebuilt = "\n".join(preview.lines[since:])
    assert "engine/api.py changed" in rebuilt and "not explored again" not in rebuilt
    assert re.search(r"build: engine: \d+ pathways .* evaluated", rebuilt), rebuilt


def test_the_preview_adds_its_script_to_responses_only_and_answers_a_missing_page_with_the_404_page(preview):
    status, home = preview.get(PREFIX)
    assert status == 200 and f'<script src="{PREFIX}__preview__/reload.js"></script>' in home, home[-500:]
    built = [path for path in (preview.repository / "site").rglob("*") if path.suffix in (".html", ".js")
             and "__preview__" in path.read_text(encoding="utf-8", errors="replace")]
    assert built == []
    # The site's own 404 page, under the prefix, with links that lead back into the site.
    status, missing = preview.get(PREFIX + "no/such/page/")
    assert status == 404 and "<h1 id=\"page-not-found\">Page not found</h1>" in missing
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', missing)
    paths = [urlsplit(urljoin(preview.url + "no/such/page/", href)).path for href in stylesheets]
    assert paths and all(preview.get(path)[0] == 200 for path in paths), paths
    # Outside the prefix there is no site.
    assert preview.get("/elsewhere/")[0] == 404
