"""The built site: every page, the calculator, the runtime and the wheel; citations; links; no foreign origin."""

from __future__ import annotations

import json
import re
import shutil

import pytest

import build
import engine
from sitebuild.model import ModelError, gather, read_identity
from sitebuild.verify import SiteError, verify_site
from tests.site import copy_build_inputs

MODEL = gather(build.CONFIG, explore_pathways=False)

GUIDELINE_PAGES = ["index", "answer-in-brief", "assessment", "maintenance", "monitoring", "oral-treatment",
                   "cautions", "treatment-by-cause", "disclaimer"]


def page(site, name: str) -> str:
    path = site / ("index.html" if name == "index" else f"{name}/index.html")
    return path.read_text(encoding="utf-8")


def test_every_page_the_calculator_the_runtime_and_the_wheel_are_built(built_site):
    generated = ["references", "hazard-log", *(f"{kind}/{pathway['id']}" for pathway in engine.pathways()
                 for kind in ("evidence-check", "decision-tables", "inputs", "calculator"))]
    for name in [*GUIDELINE_PAGES, *generated]:
        assert "<h1" in page(built_site, name), name
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.compiled.zip"):
        assert (built_site / "pyodide" / name).stat().st_size > 0
    # npm's library of sources is not shipped: the worker loads the compiled, trimmed one (stdLibURL).
    assert not (built_site / "pyodide" / "python_stdlib.zip").exists()
    lock = json.loads((built_site / "engine" / "engine-lock.json").read_text())
    (entry,) = lock["packages"].values()
    assert (built_site / "engine" / entry["file_name"]).exists()
    assert entry["file_name"].endswith("-cp314-none-any.whl")  # compiled for Pyodide's Python 3.14
    calculator = page(built_site, "calculator/b12-maintenance")
    assert re.search(r'<form id="calculator"[^>]* data-pathway="b12-maintenance"', calculator)


def test_the_footer_shows_guideline_build_and_engine_versions(built_site):
    build_id = build.compute_build_id()
    for name in GUIDELINE_PAGES:
        html = page(built_site, name)
        assert f'data-build-id>{build_id}<' in html
        assert f"data-engine-version>{engine.ENGINE_VERSION}<" in html
        assert f"data-guideline-version>{MODEL.identity.version}<" in html
        assert f'<meta name="guideline-build-id" content="{build_id}">' in html


def test_the_footer_says_the_disclaimer_the_exports_end_with(built_site):
    """The disclaimer has one home, the pathways: the footer reads it from them, as every export ends with it."""
    said = {pathway["disclaimer"] for pathway in engine.pathways()}
    for name in GUIDELINE_PAGES:
        footer = re.search(r'<div class="site-disclaimer">(.*?)</div>', page(built_site, name), re.DOTALL)
        assert footer and footer.group(1).strip() == MODEL.identity.disclaimer, name
        assert all(text in footer.group(1) for text in said), name


def test_the_sites_disclaimer_is_each_pathways_own_once_and_never_a_second_copy(tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = build.CONFIG.read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    pathways = [{"disclaimer": "Confirm against A."}, {"disclaimer": "Confirm against B."},
                {"disclaimer": "Confirm against A."}]
    assert read_identity(config, pathways).disclaimer == "Confirm against A. Confirm against B."
    with pytest.raises(ModelError, match="no pathway states a disclaimer"):
        read_identity(config, [{"disclaimer": ""}])
    config.write_text(text.replace("    version:", "    disclaimer: A second copy\n    version:", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="extra.guideline.disclaimer is no longer read"):
        read_identity(config, pathways)


def test_home_page_says_version_and_source_date_and_links_the_calculator(built_site):
    html = page(built_site, "index")
    assert MODEL.identity.source_date in html and MODEL.identity.version in html and "{{" not in html
    assert 'href="calculator/b12-maintenance/"' in html


def test_citations_are_numbered_links_to_the_references_page(built_site):
    html = page(built_site, "maintenance")
    links = re.findall(r'<a href="\.\./references/#ref-([a-z0-9-]+)"[^>]*>(\d+)</a>', html)
    assert links, "the maintenance page cites nothing"
    numbers = {key: number for number, key in enumerate(engine.references(), start=1)}
    assert all(int(number) == numbers[key] for key, number in links)


def test_references_6_to_8_are_shown_as_not_listed(built_site):
    html = page(built_site, "references")
    for n in (6, 7, 8):
        block = html.split(f'id="ref-src{n}"', 1)[1].split("</div>", 1)[0]
        assert "Not listed in the source document" in block
    assert 'id="ref-nice-ng239"' in html and "Primary sources" in html


def test_the_evidence_check_has_every_rule_and_the_plain_warning(built_site):
    html = page(built_site, "evidence-check/b12-maintenance")
    assert "machine-generated" in html and MODEL.identity.disclaimer in html
    for pathway in engine.pathways():
        html = page(built_site, f"evidence-check/{pathway['id']}")
        for record in pathway["rules"] + pathway["statements"]:
            assert f'id="{record["id"]}"' in html


def test_generated_pages_follow_a_changed_rule_text(tmp_path, monkeypatch):
    """The decision table is rendered from the engine's records, never typed: change a rule, the page changes."""
    changed = "Hydroxocobalamin 1 mg intramuscularly every 10 weeks (a changed rule text)"
    descriptors = [dict(pathway, rules=[dict(rule, then=changed) if rule["id"] == "im-malabsorption" else rule
                                        for rule in pathway["rules"]]) for pathway in engine.pathways()]
    original_id = build.compute_build_id()
    monkeypatch.setattr(engine, "pathways", lambda: descriptors)
    assert build.build(tmp_path / "site") != original_id, "a changed rule must give a new build id"
    assert changed in page(tmp_path / "site", "decision-tables/b12-maintenance")
    assert changed in page(tmp_path / "site", "evidence-check/b12-maintenance")


@pytest.fixture
def docs_copy(tmp_path, monkeypatch):
    """A copy of docs/ that the build reads instead of docs/: a test breaks one page of it."""
    docs = tmp_path / "docs"
    shutil.copytree(build.DOCS, docs)
    monkeypatch.setattr(build, "DOCS", docs)
    return docs


def test_a_citation_to_an_unknown_key_fails_the_build(docs_copy, tmp_path):
    (docs_copy / "monitoring.md").write_text("# Monitoring\n\nA claim [@src3, @made-up-2024].\n")
    with pytest.raises(build.BuildError, match=r"monitoring\.md.*unknown citation key\(s\) made-up-2024"):
        build.build(tmp_path / "site")


def test_an_evidence_box_naming_rules_of_different_statuses_fails_the_build_naming_the_page(docs_copy, tmp_path):
    page_text = (docs_copy / "maintenance.md").read_text()
    # im-malabsorption agrees with primary guidance, gastric-surgery differs: one box cannot say both.
    (docs_copy / "maintenance.md").write_text(page_text.replace(":::evidence im-malabsorption",
                                                                ":::evidence im-malabsorption gastric-surgery"))
    with pytest.raises(build.BuildError, match=r"maintenance\.md.*statuses differ.*im-malabsorption.*gastric-surgery"):
        build.build(tmp_path / "site")


def test_an_evidence_box_written_by_hand_fails_the_build(docs_copy, tmp_path):
    (docs_copy / "monitoring.md").write_text('# Monitoring\n\n!!! success "Evidence check: agrees"\n    It agrees.\n')
    with pytest.raises(build.BuildError, match=r"monitoring/index\.html: an evidence box is written by hand"):
        build.build(tmp_path / "site")


def _tiny_site(tmp_path, body: str):
    (tmp_path / "index.html").write_text(f"<html><body><p id='here'>x</p>{body}</body></html>")
    (tmp_path / "page").mkdir(exist_ok=True)
    (tmp_path / "page" / "index.html").write_text("<html><body><h1 id='top'>p</h1></body></html>")
    return tmp_path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<a href="missing/">x</a>', "points to a missing file"),
        ('<a href="page/#nowhere">x</a>', "missing anchor #nowhere"),
        ('<script src="https://cdn.example.org/x.js"></script>', "loads from another origin"),
        ('<link rel="stylesheet" href="//fonts.example.org/a.css">', "loads from another origin"),
        ('<a href="/page/">x</a>', "root-absolute"),
        ("<p>[@src3]</p>", "a citation was not rendered"),
        ("<p>:::evidence im-malabsorption</p>", "an evidence box was not rendered"),
        ("<p>Version {{ guideline.version }}</p>", "a guideline placeholder was not rendered"),
        ('<div class="admonition success">\n<p class="admonition-title">Evidence check: agrees</p></div>',
         "an evidence box is written by hand"),
    ],
)
def test_verify_catches_each_kind_of_problem(tmp_path, body, problem):
    with pytest.raises(SiteError, match=re.escape(problem)):
        verify_site(_tiny_site(tmp_path, body), [])


def test_verify_accepts_good_links_and_external_citations(tmp_path):
    body = '<a href="page/#top">a</a><a href="#here">b</a><a href="https://www.nice.org.uk/guidance/ng239">c</a>'
    assert verify_site(_tiny_site(tmp_path, body), ["index.html"]) == {"pages": 2, "links": 2}
    with pytest.raises(SiteError, match=r"missing file: sitemap\.xml"):
        verify_site(_tiny_site(tmp_path, body), ["sitemap.xml"])


def test_the_build_id_is_a_digest_of_the_sources(tmp_path):
    assert build.compute_build_id() == build.compute_build_id()
    copy_build_inputs(tmp_path)
    same = build.compute_build_id(root=tmp_path)
    (tmp_path / "docs" / "index.md").write_text("changed")
    assert build.compute_build_id(root=tmp_path) != same


def test_help_explains_the_options(capsys):
    with pytest.raises(SystemExit):
        build.main(["--help"])
    out = capsys.readouterr().out
    for option in ("serve", "--site", "--port", "--prefix"):
        assert option in out


def test_a_failed_step_names_itself(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(build, "DOCS", tmp_path / "nowhere")
    assert build.main(["--site", str(tmp_path / "site")]) == 1
    assert "build step 'generated pages' failed" in capsys.readouterr().err



def test_serve_builds_then_serves_the_site_under_a_sub_path(tmp_path):
    """What `make serve` runs: the built site answers over HTTP, with the wasm MIME type, until stopped."""
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "build.py", "serve", "--site", str(tmp_path / "site"), "--port", str(port),
               "--prefix", "/guides/b12/"]
    server = subprocess.Popen(command, cwd=build.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:
            if line.startswith("Serving"):
                break
        url = f"http://127.0.0.1:{port}/guides/b12/"
        assert f" at {url} " in line
        with urllib.request.urlopen(url + "calculator/b12-maintenance/") as response:
            assert 'data-pathway="b12-maintenance"' in response.read().decode()
        with urllib.request.urlopen(url + "pyodide/pyodide.asm.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"
        # Built for the address it serves: the sitemap (which instant navigation follows) lists its pages.
        with urllib.request.urlopen(url + "sitemap.xml") as response:
            assert f"<loc>{url}calculator/b12-maintenance/</loc>" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_same_sources_build_byte_identical_sites(built_site, tmp_path):
    """A rebuild of unchanged sources must not look like a new version to the offline layer."""
    build.build(tmp_path / "again")
    first = {path.relative_to(built_site): path.read_bytes() for path in built_site.rglob("*") if path.is_file()}
    again = {path.relative_to(tmp_path / "again"): path.read_bytes()
             for path in (tmp_path / "again").rglob("*") if path.is_file()}
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


def test_a_site_url_fills_the_sitemap_and_roots_the_404_page_at_the_sub_path(tmp_path):
    url = "https://example.org/guides/b12/"
    build_id = build.build(tmp_path / "site", site_url=url)
    assert build_id != build.compute_build_id(), "the deploy address shapes the site, so it is part of the id"
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert f"<loc>{url}calculator/b12-maintenance/</loc>" in sitemap
    assert "<lastmod>2025-10-28</lastmod>" in sitemap  # the guideline's date, not the build's: reproducible
    not_found = (tmp_path / "site" / "404.html").read_text()
    assert 'href="/guides/b12/assets/site/guideline.css"' in not_found
    assert 'href="/assets/' not in not_found


def test_theme_files_no_page_asks_for_are_left_out(built_site):
    """Source maps and lunr's language packs (English search needs none) would only swell the offline store."""
    assert list(built_site.rglob("*.map")) == []
    assert not (built_site / "assets" / "javascripts" / "lunr").exists()
    assert list((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
