"""The built pages lose their indentation and nothing else (sitebuild/indentation.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sitebuild.indentation import remove_indentation, without_indentation

PAGE = """<!doctype html>
<html>
  <head>
    <script>
      const kept = `two
        lines`;
    </script>
    <style>
      p { color: red; }
    </style>
  </head>
  <body>
    <p>
      <a href="a">one</a>
      <a href="b">two</a>
    </p>
    <pre><code>def f():
    return 1
</code></pre>
    <textarea>
  typed
    text</textarea>
  </body>
</html>
"""


class _Text(HTMLParser):
    """The text a browser shows, whitespace collapsed as in white-space: normal (pre and textarea aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def shown(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return parser.text()


def test_indentation_goes_and_the_rendered_text_stays() -> None:
    lean = without_indentation(PAGE)
    assert "\n  " not in lean.split("<script>")[0]
    assert "<p>\n<a href=\"a\">one</a>\n<a href=\"b\">two</a>\n</p>" in lean
    # The two links are still two words apart, not "onetwo".
    assert "one two" in shown(lean)
    assert shown(lean) == shown(PAGE)
    assert len(lean) < len(PAGE)


def test_code_form_text_scripts_and_styles_are_kept_byte_for_byte() -> None:
    lean = without_indentation(PAGE)
    blocks = list(re.finditer(r"<(pre|textarea|script|style)\b.*?</\1>", PAGE, re.DOTALL))
    assert len(blocks) == 4
    for block in re.finditer(r"<(pre|textarea|script|style)\b.*?</\1>", PAGE, re.DOTALL):
        assert block.group(0) in lean


def test_a_page_without_indentation_is_unchanged() -> None:
    lean = without_indentation(PAGE)
    assert without_indentation(lean) == lean


def test_the_site_is_rewritten_and_the_saving_counted(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "lean.html").write_text("<p>x</p>", encoding="utf-8")
    pages, saved = remove_indentation(tmp_path)
    assert pages == 2
    assert saved == len(PAGE.encode()) - len(without_indentation(PAGE).encode()) > 0
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == without_indentation(PAGE)
    assert (tmp_path / "lean.html").read_text(encoding="utf-8") == "<p>x</p>"
