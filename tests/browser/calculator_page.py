"""The calculator page, driven through the form's own controls in any engine (tests/browser/drivers.py).

``evaluate_form(driver, inputs)`` sets every control of ``form#calculator`` to ``inputs`` (the rest to
its default), firing the ``input`` and ``change`` events a user's entry fires, waits for the engine's
answer (``#result[data-state]`` ``ok`` or ``error``) and returns what the form sent and the answer's JSON
text (``data-result``). It reads the form, not the engine's field specs, so it follows the controls the
form renders: a ``<select>``, a Yes/No radio group (``input[type=radio][name=key]`` with values "true"
and "false"), a checkbox, text and date inputs. A field hidden by its ``required_when`` condition is
skipped, as the form leaves it out. Playwright tests pass ``PlaywrightPage(page)`` as the driver.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from playwright.sync_api import Page

BOOT_TIMEOUT_S = 120  # a Pyodide boot on a busy 2-core machine, in the slowest engine (WebKitGTK)
ANSWER_TIMEOUT_S = 60  # below the WebKit driver's script timeout, so the page answers first


class PageDriver(Protocol):
    """The two verbs of drivers.Driver this helper needs."""

    def evaluate(self, function: str, *args: Any) -> Any: ...
    def wait_for(self, predicate: str, *args: Any, timeout: float = 60, what: str = "") -> Any: ...


class PlaywrightPage:
    """A Playwright page seen through the two verbs (for the Chromium-only tests)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def evaluate(self, function: str, *args: Any) -> Any:
        return self.page.evaluate(f"(args) => ({function})(...args)", list(args))

    def wait_for(self, predicate: str, *args: Any, timeout: float = 60, what: str = "") -> Any:
        handle = self.page.wait_for_function(f"(args) => ({predicate})(...args)", arg=list(args),
                                             timeout=timeout * 1000)
        return handle.json_value()


def form_text(value: Any) -> str:
    """A value as a clinician would enter it: numbers in Python's shortest round-trip spelling, booleans
    as the radio values "true"/"false" (a checkbox takes the boolean itself)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


# Sets the controls in document order: a field's visibility (required_when) follows the fields above it,
# which calculator.js updates on their input events, so each field is looked at after those are set.
ENTER = """(texts) => {
  const form = document.querySelector("form#calculator");
  const fire = (control) => {
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const sent = {};
  const keys = [];
  for (const control of form.elements) {
    if (control.name && !keys.includes(control.name)) keys.push(control.name);
  }
  for (const key of keys) {
    const wrapper = form.querySelector(`[data-field="${key}"]`);
    if (wrapper && wrapper.closest("[hidden]")) continue;
    const controls = [...form.querySelectorAll(`[name="${key}"]`)];
    const given = Object.prototype.hasOwnProperty.call(texts, key);
    const first = controls[0];
    if (first instanceof HTMLSelectElement) {
      const defaultOption = [...first.options].find((option) => option.defaultSelected) || first.options[0];
      const wanted = given ? texts[key] : defaultOption.value;
      first.value = wanted;
      if (first.value !== wanted) throw new Error(`${key}: no option ${wanted}`);
      fire(first);
      if (first.value !== "") sent[key] = first.value;
    } else if (first.type === "radio") {
      for (const radio of controls) radio.checked = given ? radio.value === texts[key] : radio.defaultChecked;
      const checked = controls.find((radio) => radio.checked);
      if (given && !checked) throw new Error(`${key}: no radio button with value ${texts[key]}`);
      fire(checked || first);
      if (checked) sent[key] = checked.value === "true";
    } else if (first.type === "checkbox") {
      first.checked = given ? texts[key] === "true" : first.defaultChecked;
      fire(first);
      sent[key] = first.checked;
    } else {
      first.value = given ? texts[key] : "";
      fire(first);
      if (first.value.trim() !== "") sent[key] = first.value;
    }
  }
  // A control already in the wanted state may change nothing: the form's own input event always asks again.
  form.dispatchEvent(new Event("input", { bubbles: true }));
  return sent;
}"""

SETTLED = """() => {
  const result = document.querySelector("#result");
  return Boolean(result) && ["ok", "error"].includes(result.dataset.state);
}"""

READ_RESULT = """() => {
  const result = document.querySelector("#result");
  return { state: result.dataset.state, json: result.getAttribute("data-result") };
}"""

ENGINE_SETTLED = """() => {
  const state = document.documentElement.dataset.engine;
  return state && state !== "loading" ? state : false;
}"""

ENGINE_STATUS = """() => {
  const status = document.querySelector("#engine-status");
  return status ? status.innerText : "(no #engine-status)";
}"""


# Enter, then wait in the page for the answer: one call into the browser per entry. Each call is a round trip
# (through Selenium and WebKitWebDriver, the most of what an entry costs there), and polling from outside
# would add its interval to every answer. Entering sets #result pending at once (the form's input event), so
# the older answer is never read as this one's.
ENTER_AND_SETTLE = f"""async (texts, timeoutMs) => {{
  const sent = ({ENTER})(texts);
  const settled = {SETTLED};
  const deadline = Date.now() + timeoutMs;
  while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return {{ sent, settled: settled(), ...({READ_RESULT})() }};
}}"""


def enter(driver: PageDriver, inputs: dict[str, Any]) -> dict[str, Any]:
    """Set the form's controls to ``inputs`` (the rest to their defaults); return what the form sends."""
    return driver.evaluate(ENTER, {key: form_text(value) for key, value in inputs.items()})


def evaluate_form(driver: PageDriver, inputs: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Enter ``inputs``; return what the form sent and the JSON text of the answer the page shows."""
    texts = {key: form_text(value) for key, value in inputs.items()}
    answer = driver.evaluate(ENTER_AND_SETTLE, texts, ANSWER_TIMEOUT_S * 1000)
    sent, state, shown = answer["sent"], answer["state"], answer["json"]
    assert answer["settled"], f"no answer after {ANSWER_TIMEOUT_S} s (#result is {state!r}) for {json.dumps(sent)}"
    assert shown is not None, f"#result is {state!r} with no data-result for {json.dumps(sent)}"
    return sent, shown


def wait_for_engine(driver: PageDriver, timeout: float = BOOT_TIMEOUT_S) -> None:
    """Wait until the engine has booted (or failed); fail unless it is ready."""
    state = driver.wait_for(ENGINE_SETTLED, timeout=timeout, what="the engine to boot")
    assert state == "ready", f"engine {state}: {driver.evaluate(ENGINE_STATUS)}"
