"""The offline layer of the built site: web app manifest and icons, precache manifest, sw.js, security meta tags."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

import build
import engine
from sitebuild import pwa
from sitebuild.verify import SiteError, verify_offline

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
EXECUTABLE = {None, "", "module", "text/javascript", "application/javascript"}


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 10
    return found


def precache(site: Path) -> dict:
    return json.loads((site / "precache-manifest.json").read_text(encoding="utf-8"))


class _Scripts(HTMLParser):
    """An independent reading of a page's scripts (the build uses a regular expression)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "script" and "src" not in attributes and attributes.get("type") in EXECUTABLE:
            self._current = []

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.inline.append("".join(self._current))
            self._current = None


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


# ---------------------------------------------------------------- web app manifest and icons


def test_the_web_app_manifest_is_installable_and_relative_to_the_site(built_site):
    manifest = json.loads((built_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] and manifest["short_name"] and manifest["description"]
    assert len(manifest["short_name"]) <= 15  # launchers cut longer names
    # Relative to the manifest, which sits at the site root: works from a host's root and from a sub-path.
    assert manifest["start_url"] == manifest["scope"] == "./"
    # A relative id would resolve against the origin (the whole host under a sub-path): the start URL is the id.
    assert "id" not in manifest
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == pwa.THEME_COLOR == "#00796b"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    by_purpose = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert by_purpose == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        assert not icon["src"].startswith(("/", "http")), "icons must resolve relative to the manifest"
        with Image.open(built_site / icon["src"]) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_maskable_icon_is_full_bleed_and_its_glyph_inside_the_safe_zone(built_site):
    with Image.open(built_site / pwa.ICON_DIR / "icon-maskable-512.png") as opened:
        icon = opened.convert("RGB")
    with Image.open(build.TEMPLATES / "pwa" / "icon-source.png") as source:
        teal = source.convert("RGB").getpixel((0, 0))  # the source's full-bleed background
    near = lambda pixel: all(abs(a - b) <= 8 for a, b in zip(pixel, teal, strict=True))  # noqa: E731
    # Every pixel outside the central circle of 80 % diameter is the background colour.
    centre, radius = 255.5, 0.4 * 512
    for x in range(0, 512, 4):
        for y in range(0, 512, 4):
            if (x - centre) ** 2 + (y - centre) ** 2 > radius**2:
                assert near(icon.getpixel((x, y))), (x, y)
    assert not near(icon.getpixel((256, 200))), "the glyph should be drawn in the middle"


def test_every_page_links_the_manifest_and_loads_the_site_script_from_a_file(built_site):
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<link rel="manifest" href="[^"]*manifest\.webmanifest">', html), page
        assert re.search(r'<script type="module" src="[^"]*assets/calculator/site\.js"></script>', html), page
        assert 'id="offline-status"' in html and 'role="status"' in html
        assert re.search(r'<div id="update-prompt"[^>]*role="alert"[^>]* hidden>', html)
        assert '<button type="button" id="update-reload">Reload</button>' in html


# ---------------------------------------------------------------- precache manifest and service worker


def test_the_precache_manifest_lists_every_file_with_its_content_revision(built_site):
    manifest = precache(built_site)
    files = {p.relative_to(built_site).as_posix(): p for p in built_site.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == set(files) - {"sw.js", "precache-manifest.json"}
    for url, revision in manifest["files"].items():
        assert revision == hashlib.sha256(files[url].read_bytes()).hexdigest()[:16], url
    assert manifest["total_bytes"] == sum(files[url].stat().st_size for url in manifest["files"])
    for needed in ("index.html", "404.html", "sitemap.xml", "search/search_index.json", "manifest.webmanifest",
                   "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.compiled.zip", "engine/engine-lock.json",
                   "assets/calculator/site.js", "assets/calculator/offline.js", "assets/calculator/engine-worker.js"):
        assert needed in manifest["files"]
    assert any(re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", url) for url in manifest["files"])
    assert any(url.startswith("engine/") and url.endswith(".whl") for url in manifest["files"])


def test_sw_js_is_of_this_build_and_inlines_the_precache_manifest(built_site):
    manifest = precache(built_site)
    assert manifest["build_id"] == build.compute_build_id()
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    assert f'const BUILD_ID = "{manifest["build_id"]}";' in worker
    inlined = re.search(r"const FILES = new Map\(Object\.entries\((\{.*?\})\)\);", worker)
    assert inlined and json.loads(inlined.group(1)) == manifest["files"]
    assert "{{" not in worker and "{%" not in worker


def test_an_unchanged_file_keeps_its_revision_and_a_changed_one_does_not(built_site, tmp_path, monkeypatch):
    descriptors = engine.pathways()
    changed = "Hydroxocobalamin 1 mg intramuscularly every 10 weeks (a changed rule text)"
    changed_descriptors = [
        dict(pathway, rules=[dict(rule, then=changed) if rule["id"] == "im-malabsorption" else rule
                             for rule in pathway["rules"]]) for pathway in descriptors]
    monkeypatch.setattr(engine, "pathways", lambda: changed_descriptors)
    build.build(tmp_path / "site")
    before, after = precache(built_site), precache(tmp_path / "site")
    assert before["build_id"] != after["build_id"]
    for unchanged in ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.compiled.zip", "engine/engine-lock.json",
                      "assets/calculator/engine-worker.js", "assets/calculator/offline.js", "assets/site/icons/icon-512.png",
                      "manifest.webmanifest"):
        assert before["files"][unchanged] == after["files"][unchanged], unchanged
    for edited in ("decision-tables/b12-maintenance/index.html", "search/search_index.json"):
        assert before["files"][edited] != after["files"][edited], edited


# ---------------------------------------------------------------- security meta tags


def test_every_page_has_the_one_csp_that_hashes_exactly_the_sites_inline_scripts(built_site):
    # One policy for all pages: under instant navigation the first page's policy stays in force.
    policies, expected = set(), set()
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        (policy,) = CSP.findall(html)
        policies.add(policy)
        scripts = _Scripts()
        scripts.feed(html)
        assert scripts.inline, f"{page}: mkdocs-material's inline scripts were expected"
        expected |= {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                     for s in scripts.inline}
        assert scripts.handlers == [], f"{page}: inline event handlers need 'unsafe-hashes'"
        assert "javascript:" not in html.replace("javascript:void", "")
    assert len(policies) == 1, "pages carry different policies"
    script_src = directives(policies.pop())["script-src"]
    assert {value for value in script_src if value.startswith("'sha256-")} == expected


def test_the_policy_allows_only_the_sites_own_origin(built_site):
    policy = directives(CSP.search((built_site / "calculator/b12-maintenance/index.html").read_text()).group(1))
    assert policy["default-src"] == ["'self'"]
    assert [v for v in policy["script-src"] if not v.startswith("'sha256-")] == ["'self'", "'wasm-unsafe-eval'"]
    for name in ("worker-src", "connect-src", "font-src", "manifest-src", "base-uri", "form-action", "style-src"):
        assert policy[name] == ["'self'"], name
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "https:", "http:"} & {v for vs in policy.values() for v in vs}


def test_the_security_meta_tags_come_before_any_script(built_site):
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        csp = head.index('<meta http-equiv="Content-Security-Policy"')
        assert "<script" not in head[:csp], page
        assert csp < head.index('<meta name="viewport"'), "the policy should be the first thing after the charset"
        assert head.count('<meta name="referrer" content="no-referrer">') == 1, page


def test_add_security_meta_hashes_executable_scripts_only():
    html = ('<html><head><meta charset="utf-8"><title>t</title><script>var a = 1;</script></head><body>'
            '<script type="application/json" id="data">{"x": 1}</script><script src="x.js"></script>'
            '<script type="module">import "./y.js";</script></body></html>')
    out = pwa.add_security_meta(html)
    assert out.index("Content-Security-Policy") < out.index("<title>")
    assert out.startswith('<html><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"')
    policy = directives(CSP.search(out).group(1))
    hashes = [v for v in policy["script-src"] if v.startswith("'sha256-")]
    assert sorted(hashes) == sorted([pwa.script_hash("var a = 1;"), pwa.script_hash('import "./y.js";')])
    with pytest.raises(ValueError, match="already has"):
        pwa.add_security_meta(out)


# ---------------------------------------------------------------- the verify step


@pytest.fixture
def site_copy(built_site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_verify_accepts_the_built_site(built_site):
    assert verify_offline(built_site)["precached"] == len(precache(built_site)["files"])


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda site: (site / "extra.txt").write_text("x"), "does not list extra.txt"),
        (lambda site: (site / "sitemap.xml").unlink(), "lists sitemap.xml, which is not a file"),
        (lambda site: (site / "assets/site/guideline.css").write_text("p {}"), "revision of assets/site/guideline.css"),
        (lambda site: (site / "disclaimer/index.html").write_text(
            (site / "disclaimer/index.html").read_text().replace('<meta name="referrer" content="no-referrer">', "")),
         "disclaimer/index.html: no referrer policy"),
        (lambda site: (site / "index.html").write_text(
            (site / "index.html").read_text().replace("</body>", "<script>alert(1)</script></body>")),
         "index.html: the Content-Security-Policy is not the site's one policy"),
    ],
)
def test_verify_catches_a_broken_offline_layer(site_copy, damage, problem):
    damage(site_copy)
    with pytest.raises(SiteError, match=re.escape(problem)):
        verify_offline(site_copy)
