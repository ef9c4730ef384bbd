"""Browser fuzz: random and hostile entries in the calculator's form never break the page.

Each iteration changes a few controls at random (every field is reached many times): text fields get
unicode (RTL, emoji, combining marks, full-width and Arabic-Indic digits), 10,000-character strings, HTML
and script payloads, numbers with commas or exponents, negative and huge values, whitespace or nothing;
date fields get dates in and out of range, nothing, or a half-typed date; selects, checkboxes and Yes/No
radio groups take random values; sometimes Enter is pressed. After each answer:

- no uncaught error and no console error; <html data-engine> stays "ready";
- #result settles to ok or error (never stuck pending) and shows exactly CPython's answer to the inputs
  the form holds now (so the answer on screen is the current one);
- every error the engine reports is shown: beside its field (a "required" error of an untouched field may
  instead be listed in the result as still needed), or above the form when its field is not shown;
- nothing typed is ever rendered as HTML: no element from a payload exists and its flag stays unset;
- after Enter with errors, focus is on the first field showing an error.

The seed is printed; set CALCULATOR_FUZZ_SEED (and CALCULATOR_FUZZ_ITERATIONS) to replay or extend a run.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from sitebuild.server import SiteServer
from tests.browser.calculator_page import ENGINE_SETTLED
from tests.browser.conftest import PageLog, record
from tests.browser.form_cases import BOOT_TIMEOUT_MS, DESKTOP, FIELDS, PATHWAY_ID, cpython_json

DEFAULT_SEED = 20240611
SEED = int(os.environ.get("CALCULATOR_FUZZ_SEED", DEFAULT_SEED))
ITERATIONS = int(os.environ.get("CALCULATOR_FUZZ_ITERATIONS", 220))

FLAG = "__fuzzInjected"
PAYLOADS = [
    f"<script>window.{FLAG}=1</script>",
    f"<img src=x onerror=\"window.{FLAG}=1\">",
    f"\"><img src=x onerror=window.{FLAG}=1>",
    f"<svg onload=window.{FLAG}=1></svg>",
    f"<iframe srcdoc=\"<script>parent.{FLAG}=1</script>\"></iframe>",
    f"453<b onmouseover=window.{FLAG}=1>bold</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}${7*7}",
]
UNICODE = [
    "\u0664\u0665\u0663", "\u06f4\u06f5\u06f3", "\uff14\uff15\uff13", "\u096a\u096b\u0969",  # other digits
    "\U0001d7d2\U0001d7d3\U0001d7d1", "שלום", "مرحبا", "\u202e453", "\u200f453", "453\u200b", "e\u0301\u0301\u0301",
    "4\u03035\u03033", "😀", "👩‍⚕️💉", "\u00a0453\u00a0", "\u2028453", "\ufeff453", "Ⅳ", "½", "²",
]
NUMERIC = [
    "453", "1,5", "1.5", "1,000", "1.000,5", "1e3", "1E3", "1e309", "-1e309", "1e-400", "4.53e2", "-1", "-0", "0",
    "+5", ".5", "5.", "0x1F", "1_000", "NaN", "nan", "Infinity", "-Infinity", "inf", "99999999999999999999999999",
    "-99999999999999999999999999", "9" * 400, "20", "20.01", "1", "2", "3", "12", "0.0001", "1/2", "3 months",
    "10 %", "453 pmol/L", "4 5 3",
]
BLANK = ["", " ", "\t", "   \t  ", "\u3000"]
DATES = ["2025-01-31", "2024-02-29", "1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01", "0001-01-01",
         "2025-12-31", "1970-01-01"]


def random_text(rng: random.Random, field: dict[str, Any]) -> str:
    kind = rng.random()
    if kind < 0.22 and ("min" in field or "max" in field):
        low, high = field.get("min", 0), field.get("max", 1000)
        value = rng.uniform(low, high)
        return str(round(value)) if field["type"] == "integer" or rng.random() < 0.5 else f"{value:.2f}"
    if kind < 0.40:
        return rng.choice(NUMERIC)
    if kind < 0.52:
        return rng.choice(PAYLOADS)
    if kind < 0.64:
        return rng.choice(UNICODE)
    if kind < 0.72:
        return rng.choice(BLANK)
    if kind < 0.78:
        return rng.choice(["9", "a", "😀", "<b>x</b>", "\u0661"]) * rng.choice([5_000, 10_000])
    pool = "0123456789.,-+eE \t<>\"'&;/=()[]{}$#%abcxyzé😀٣\u0301\u202eא"
    return "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))


SNAPSHOT = """(flag) => {
  const form = document.querySelector('form#calculator');
  const result = document.querySelector('#result');
  const fields = {};
  for (const wrapper of form.querySelectorAll('[data-field]')) {
    const key = wrapper.dataset.field;
    const control = form.elements.namedItem(key);
    // A radio group (RadioNodeList): its value is the chosen radio's, '' while none is.
    const radios = control instanceof RadioNodeList ? [...control] : null;
    const error = document.getElementById('error-' + key);
    fields[key] = {
      hidden: Boolean(wrapper.closest('[hidden]')),
      type: radios ? 'radio' : control.type,
      value: radios ? control.value === 'true' : control.type === 'checkbox' ? control.checked : control.value,
      blank: radios ? control.value === '' : control.type === 'checkbox' ? false : control.value.trim() === '',
      badInput: Boolean(control.validity && control.validity.badInput),
      invalid: (radios || [control]).some((c) => c.getAttribute('aria-invalid') === 'true'),
      error: error && !error.hidden && error.offsetParent !== null ? error.textContent : null,
    };
  }
  const formErrors = document.querySelector('#form-errors');
  const needed = [...result.querySelectorAll('.calculator-result__needed a')].map(
    (a) => decodeURIComponent(a.getAttribute('href')).replace('#field-', ''));
  const injected = [...document.querySelectorAll('[onerror], [onload], [onmouseover], iframe[srcdoc], img[src="x"]')]
    .map((e) => e.outerHTML.slice(0, 80));
  for (const script of document.querySelectorAll('script')) {
    const text = script.textContent;
    if (text.includes(flag) || text.includes('alert(1)')) injected.push(script.outerHTML.slice(0, 80));
  }
  const active = document.activeElement;
  return {
    engine: document.documentElement.dataset.engine ?? null,
    state: result.dataset.state,
    json: result.getAttribute('data-result'),
    resultText: result.textContent,
    fields,
    formErrors: formErrors.hidden ? null : formErrors.textContent,
    needed,
    injected,
    flag: window[flag] ?? null,
    active: active && active.name ? active.name : (active ? active.id : null),
  };
}"""


# Set each [name, value] as Playwright's fill, select_option and set_checked do (value, then input and change
# events; a click for a checkbox or a radio), in one round trip; returns the fields shown afterwards.
APPLY = """(sets) => {
  const form = document.querySelector('form#calculator');
  for (const [key, value] of sets) {
    const control = form.elements.namedItem(key);
    if (control instanceof RadioNodeList) {
      const radio = [...control].find((r) => r.value === String(value));
      if (!radio.checked) radio.click();
      continue;
    }
    if (control.type === 'checkbox') {
      if (control.checked !== value) control.click();
      continue;
    }
    control.focus();
    control.value = value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return [...form.querySelectorAll('[data-field]')].filter((w) => !w.closest('[hidden]')).map((w) => w.dataset.field);
}"""

# One round trip per iteration: ask for one more evaluation (an input event, as typing gives), wait until
# #result leaves "pending" (a generous guard fails the test if it never does), then take the snapshot.
SETTLE_AND_SNAPSHOT = """async ([flag, nudge]) => {
  const result = document.querySelector('#result');
  const settled = () => ['ok', 'error'].includes(result.dataset.state);
  if (nudge) document.querySelector('form#calculator').dispatchEvent(new Event('input', { bubbles: true }));
  if (!settled()) {
    await new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('#result stuck in ' + result.dataset.state)), 30000);
      const observer = new MutationObserver(() => {
        if (!settled()) return;
        observer.disconnect();
        clearTimeout(guard);
        resolve();
      });
      observer.observe(result, { attributes: true, attributeFilter: ['data-state'] });
    });
  }
  return (""" + SNAPSHOT + """)(flag);
}"""


def sent_inputs(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the form sends for this snapshot (as collectInputs in calculator-form.js does)."""
    sent: dict[str, Any] = {}
    for key in FIELDS:
        state = snapshot["fields"][key]
        if state["hidden"]:
            continue
        if state["type"] == "checkbox" or not state["blank"]:
            sent[key] = state["value"]
    return sent


def check(snapshot: dict[str, Any], log: PageLog, typed: str, touched: set[str]) -> dict[str, Any]:
    """Every property of the module docstring for one settled snapshot; returns the answer."""
    where = f"seed {SEED}, after typing {typed[:80]!r}"
    assert log.page_errors == [], where
    assert log.console_errors == [], where
    assert snapshot["engine"] == "ready", (where, log.page.inner_text("#engine-status"))
    assert snapshot["state"] in ("ok", "error"), where
    assert snapshot["injected"] == [], where
    assert snapshot["flag"] is None, where
    expected = cpython_json(sent_inputs(snapshot))
    assert snapshot["json"] == expected, f"{where}: the result shown is not the answer to the inputs shown"
    answer = json.loads(expected)
    assert snapshot["state"] == ("ok" if answer["ok"] else "error"), where
    for error in [] if answer["ok"] else answer["errors"]:
        key, message = error.get("field"), error["message"]
        field = snapshot["fields"].get(key)
        if field is None or field["hidden"]:
            assert snapshot["formErrors"] and message in snapshot["formErrors"], (where, error)
        elif error["code"] == "required" and key not in touched:
            assert (field["error"] and message in field["error"]) or key in snapshot["needed"], (where, error)
        else:
            assert field["error"] is not None and message in field["error"], (where, error, field)
            assert field["invalid"], (where, error)
    for key, field in snapshot["fields"].items():
        if field["badInput"] and not field["hidden"]:
            assert field["error"] and "incomplete" in field["error"], (where, key)
    return answer


@pytest.fixture(scope="module")
def fuzz_page(browser: Browser, built_site: Path) -> Iterator[PageLog]:
    with SiteServer(built_site) as server:
        context = browser.new_context(viewport=DESKTOP, service_workers="block")
        log = record(context)
        log.page.goto(server.url + f"calculator/{PATHWAY_ID}/")
        log.page.wait_for_function(ENGINE_SETTLED,
                                   timeout=BOOT_TIMEOUT_MS)
        yield log
        context.close()


def test_random_and_hostile_entries_never_break_the_calculator(fuzz_page):
    print(f"calculator fuzz: seed {SEED} (set CALCULATOR_FUZZ_SEED to replay), {ITERATIONS} iterations")
    page = fuzz_page.page
    assert page.evaluate("document.documentElement.dataset.engine") == "ready"
    rng = random.Random(SEED)
    touched: set[str] = set()
    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    snapshot = page.evaluate(SNAPSHOT, FLAG)
    for _ in range(ITERATIONS):
        visible = [key for key, state in snapshot["fields"].items() if not state["hidden"]]
        typed = ""
        chosen = rng.sample(visible, k=min(len(visible), rng.randint(2, 5)))
        # Most questions are choices: always type into one text field too, where the hostile values go.
        texts = [key for key in visible if FIELDS[key]["type"] in ("number", "integer") and key not in chosen]
        if texts and not any(FIELDS[key]["type"] in ("number", "integer") for key in chosen):
            chosen.append(rng.choice(texts))
        # Now and then the user corrects what the engine rejected, so that accepted answers come too.
        fixing = rng.random() < 0.3
        if fixing:
            chosen = [key for key in visible if snapshot["fields"][key]["invalid"]] or chosen
        # Text and dates first: a select changed first could hide a field chosen after it.
        chosen.sort(key=lambda key: FIELDS[key]["type"] in ("enum", "bool"))
        typing: list[tuple[str, str]] = []  # keystroke by keystroke, through the keyboard
        sets: list[tuple[str, Any]] = []  # value set and input/change fired in the page, as fill does
        for key in chosen:
            field = FIELDS[key]
            if field["type"] == "bool":
                sets.append((key, rng.random() < 0.5))
            elif field["type"] == "enum":
                choices = [choice["value"] for choice in field["choices"]]
                sets.append((key, rng.choice(choices + ([""] if "default" not in field else []))))
            elif field["type"] == "date":
                roll = rng.random()
                if roll < 0.15 and not fixing:
                    typing.append((key, rng.choice(["12", "0312", "31122"])))  # day and month, no full year
                else:
                    sets.append((key, "" if roll < 0.3 or fixing else rng.choice(DATES)))
            elif fixing:
                low, high = field.get("min", 0), field.get("max", 1000)
                optional = not field.get("required") and "required_when" not in field
                sets.append((key, "" if optional and rng.random() < 0.3 else str(round((low + high) / 2))))
            else:
                typed = random_text(rng, field)
                counts["values typed"] += 1
                if len(typed) < 12 and rng.random() < 0.25:
                    typing.append((key, typed))  # live updates on the way, one per keystroke
                else:
                    sets.append((key, typed))
            touched.add(key)
        # Typing first: the selects set after it may hide a field (Playwright would wait for it to show).
        for key, text in typing:
            control = page.locator(f'form#calculator [name="{key}"]')
            control.fill("")
            control.press_sequentially(text)
            counts["values typed by keystroke"] += 1
        shown = page.evaluate(APPLY, sets)
        enter_in = None  # a text or date field, still shown, where Enter is pressed to submit
        if rng.random() < 0.25:
            candidates = [key for key in chosen if FIELDS[key]["type"] not in ("enum", "bool") and key in shown]
            if candidates:
                enter_in = rng.choice(candidates)
                page.locator(f'form#calculator [name="{enter_in}"]').press("Enter")
                touched.update(shown)  # a submit shows every error, "required" ones included
        snapshot = page.evaluate(SETTLE_AND_SNAPSHOT, [FLAG, enter_in is None])
        answer = check(snapshot, fuzz_page, typed, touched)
        counts["iterations"] += 1
        counts["accepted" if answer["ok"] else "rejected"] += 1
        codes.update(error["code"] for error in answer.get("errors", []))
        if enter_in is not None:
            # Enter while the answer was on its way: once it came, focus went to the first field showing an
            # error, or stayed where it was when there is none.
            counts["enter pressed"] += 1
            first = next((key for key, state in snapshot["fields"].items() if state["invalid"]), None)
            assert snapshot["active"] == (first or enter_in), (SEED, first, enter_in, snapshot["active"])
            counts["focus moved to an error"] += first is not None and first != enter_in
    print(f"calculator fuzz: {dict(counts)}; error codes seen: {dict(codes)}")
    assert counts["iterations"] >= 200
    assert counts["rejected"] >= 20 and counts["accepted"] >= 20, counts
    assert counts["focus moved to an error"] >= 5, counts
    assert counts["values typed"] >= 150, counts
    assert fuzz_page.problems() == []
