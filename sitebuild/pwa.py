"""The offline layer of the built site: icons, web app manifest, security meta tags, precache manifest, sw.js.

``write_pwa`` runs after every other file of the site exists (it must see the final bytes of each),
in this order: icons and ``manifest.webmanifest`` (so they are precached too); a Content-Security-Policy
and a referrer policy in every page (a static host may send no headers, so they go in as meta tags,
with a hash for each inline script of the site's pages, one policy for all); then the precache manifest
(URL -> content revision) over every file, written as ``precache-manifest.json`` and inlined into ``sw.js``.

The service worker is hand-written (``site_templates/pwa/sw.js.j2``) rather than Workbox: one cache per
build and a manifest of content hashes are all it needs, it is short enough to read in full, and it
adds no npm tool chain to the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import jinja2
from PIL import Image, ImageDraw

from sitebuild.model import Identity

# The header's dark teal (guideline.css): the theme colour of the manifest and <meta name="theme-color">.
THEME_COLOR = "#00796b"
BACKGROUND_COLOR = "#ffffff"
ICON_DIR = "assets/site/icons"
# (file name, size, purpose): "any" icons are the glyph on a rounded tile; the maskable one is the
# full-bleed source, whose glyph the source keeps inside the 80 % safe zone.
ICONS = (("icon-192.png", 192, "any"), ("icon-512.png", 512, "any"), ("icon-maskable-512.png", 512, "maskable"))
SERVICE_WORKER = "sw.js"
PRECACHE_MANIFEST = "precache-manifest.json"
# Not precached: the worker itself (the browser fetches it on each update check) and the precache
# manifest, which cannot list its own hash; nothing in the browser requests it.
NOT_PRECACHED = frozenset({SERVICE_WORKER, PRECACHE_MANIFEST})

# The policy of every page. Only the site's own origin; no inline script unless its hash is listed.
# - 'wasm-unsafe-eval': Pyodide compiles WebAssembly. A <meta> policy does not reach workers (a worker
#   takes the policy of its own script's response), so this matters only when a host sends this same
#   policy as a header; checked then: Pyodide boots with it and needs no 'unsafe-eval' (its eval() is
#   only used for the EM_JS code of dynamically loaded C extensions, which the engine has none of).
# - img-src data:: mkdocs-material draws its icons as data: SVG images in its CSS.
# - style-src 'self': the theme and our pages have no inline style (scripts set styles through the
#   CSSOM, which a policy does not restrict).
# frame-ancestors, report-uri and sandbox are not allowed in a <meta> policy (browsers ignore them
# with a console error): a host can send them as headers.
CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
CSP_MARKER = '<meta http-equiv="Content-Security-Policy"'
REFERRER_META = '<meta name="referrer" content="no-referrer">'

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
# Script types a browser executes; anything else (application/json, importmap aside) is a data block.
_EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                     "text/ecmascript"}


def write_pwa(site: Path, build_id: str, templates: Path, identity: Identity) -> dict[str, int]:
    """Add the offline layer to the built ``site``; returns how many files are precached and their bytes."""
    site = Path(site)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(templates) / "pwa"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # JavaScript and JSON, never HTML; values go in through |tojson
    )
    write_icons(Path(templates) / "pwa" / "icon-source.png", site / ICON_DIR)
    write_web_manifest(env, site, identity)
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site.rglob("*.html"))}
    policy = content_security_policy(*pages.values())
    for page, html in pages.items():
        page.write_text(add_security_meta(html, policy), encoding="utf-8")
    files = precache_files(site)
    total = sum((site / url).stat().st_size for url in files)
    manifest = {"build_id": build_id, "files": files, "total_bytes": total}
    (site / PRECACHE_MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    worker = env.get_template("sw.js.j2").render(build_id=build_id, files=files, total_bytes=total)
    (site / SERVICE_WORKER).write_text(worker, encoding="utf-8")
    return {"files": len(files), "bytes": total}


# ---------------------------------------------------------------- icons and the web app manifest


def write_icons(source: Path, target: Path) -> list[Path]:
    """Render the icons from the one source image (square, full-bleed, glyph inside the safe zone)."""
    target.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as opened:
        image = opened.convert("RGBA")
    if image.width != image.height:
        raise ValueError(f"{source} must be square, not {image.width}x{image.height}")
    written = []
    for name, size, purpose in ICONS:
        if purpose == "maskable":
            icon = image.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
        else:
            # A tighter crop (the glyph reads larger) on a rounded tile: launchers show "any" icons as is.
            inset = round(image.width * 0.1)
            icon = image.crop((inset, inset, image.width - inset, image.height - inset))
            icon = icon.resize((size, size), Image.Resampling.LANCZOS)
            mask = Image.new("L", (size * 4, size * 4), 0)
            ImageDraw.Draw(mask).rounded_rectangle((0, 0, size * 4 - 1, size * 4 - 1), radius=size * 4 * 0.2, fill=255)
            icon.putalpha(mask.resize((size, size), Image.Resampling.LANCZOS))
        path = target / name
        icon.save(path, format="PNG", optimize=True)  # no timestamp in the file: same source, same bytes
        written.append(path)
    return written


def write_web_manifest(env: jinja2.Environment, site: Path, identity: Identity) -> Path:
    icons = [{"src": f"{ICON_DIR}/{name}", "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
             for name, size, purpose in ICONS]
    text = env.get_template("manifest.webmanifest.j2").render(
        icons=icons, theme_color=THEME_COLOR, background_color=BACKGROUND_COLOR, identity=identity
    )
    json.loads(text)  # fail the build on a template that is not valid JSON
    path = site / "manifest.webmanifest"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- security meta tags


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script the browser would run (no src, an executable type), in order."""
    scripts = []
    for attributes, body in _SCRIPT.findall(html):
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _EXECUTABLE_TYPES:
            scripts.append(body)
    return scripts


def script_hash(body: str) -> str:
    """The CSP source expression of an inline script: sha256 of its exact text, as the browser hashes it."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(*pages: str) -> str:
    """One policy for the whole site that hashes the inline scripts of all the given pages.

    One policy, not one per page: instant navigation keeps the first page's <head>, so a <meta> policy
    stays in force while other pages are shown (and a second one would only add restrictions), and a
    host sending the policy as a header needs one value. The theme's inline scripts differ only by
    page depth (a handful of variants), so the union stays short.
    """
    hashes = sorted(dict.fromkeys(script_hash(body) for html in pages for body in inline_scripts(html)))
    directives = [(name, f"{value} {' '.join(hashes)}" if name == "script-src" and hashes else value)
                  for name, value in CSP_DIRECTIVES]
    return "; ".join(f"{name} {value}" for name, value in directives)


def add_security_meta(html: str, policy: str | None = None) -> str:
    """Put the CSP (``policy``, else one for this page alone) and referrer meta tags first in <head>."""
    if CSP_MARKER in html:
        raise ValueError("the page already has a Content-Security-Policy meta tag")
    policy = policy if policy is not None else content_security_policy(html)
    tags = f'\n<meta http-equiv="Content-Security-Policy" content="{policy}">\n{REFERRER_META}'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        raise ValueError("the page has no <head>")
    return html[: anchor.end()] + tags + html[anchor.end() :]


# ---------------------------------------------------------------- the precache manifest


def revision(path: Path) -> str:
    """A file's content revision: the first 16 hex digits of its sha256 (unchanged file, same revision)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def precache_files(site: Path) -> dict[str, str]:
    """Every file of the site but the worker and the manifest itself: URL relative to the site root -> revision."""
    return {
        path.relative_to(site).as_posix(): revision(path)
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.relative_to(site).as_posix() not in NOT_PRECACHED
    }
