"""The fallback generator: the same sources build with ProperDocs (the maintained fork of MkDocs 1.x), with the
same theme, Markdown extension and nav, and pass the build's verify step (every page, link and anchor; the
offline store). MkDocs itself 1.6 and mkdocs-material 9.x end in 2027."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import build

ROOT = Path(build.__file__).resolve().parent


def pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def test_the_site_builds_with_properdocs_and_passes_the_verify_step(tmp_path, built_site):
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "build.py", "--generator", "properdocs", "--site", str(site)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pages rendered by ProperDocs 1." in done.stdout
    verified = next(line for line in done.stdout.splitlines() if line.startswith("build: verify:"))
    assert "'pages': " in verified and "'links': " in verified
    # The same pages as MkDocs builds, each with the guideline's own rendering (no marker left unrendered).
    assert pages(site) == pages(built_site)
    maintenance = (site / "maintenance" / "index.html").read_text(encoding="utf-8")
    assert '<sup class="citation">[<a href="../references/#ref-' in maintenance
