"""Browser tests: the built site in Debian's Chromium, driven by Playwright (fixtures in conftest.py)."""
