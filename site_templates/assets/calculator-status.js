// @ts-check
// The engine's status above the form (#engine-status, a live region): loading with its stage, ready, or why
// there is no calculator now, with Retry and where the same rules can be read without it.

import { h } from "./dom.js";

const STAGES = {
  runtime: "Loading the Python runtime…",
  engine: "Loading the decision engine…",
  check: "Checking the engine on this device…",
};
const MEANWHILE = "You can read the guideline meanwhile.";

export class EngineStatus {
  /** onRetry(): the user pressed Retry. */
  constructor({ ids, links }, onRetry) {
    this.element = document.getElementById(ids.status);
    this.retryId = ids.retry;
    this.links = links;
    this.onRetry = onRetry;
  }

  show(state, ...content) {
    this.element.dataset.state = state;
    const text = this.element.querySelector(".calculator-status__text");
    text.replaceChildren(...content.map((part) => (part instanceof Node ? part : document.createTextNode(part))));
  }

  /** Loading, at ``stage``; ``slowAfterS`` (when the boot has taken that long) also says so and offers Retry. */
  loading(stage, slowAfterS = null) {
    const text = `${STAGES[stage] || "Loading…"} ${MEANWHILE}`;
    if (slowAfterS === null) {
      this.show("loading", text);
      return;
    }
    this.show("loading", text,
      h("strong", {}, ` This is taking longer than usual (over ${slowAfterS} s).`),
      " Retry starts the calculator again; it keeps trying meanwhile.", " ", this.retryButton());
  }

  /** Ready; ``verdict``: the on-device self-test's (calculator.js selfTest); ``facts.start``: how it started. */
  ready(facts, verdict = {}) {
    const seconds = (facts.boot_ms / 1000).toFixed(1);
    this.element.dataset.bootMs = String(facts.boot_ms);
    this.element.dataset.compiledBy = facts.compiled_by;
    const checked = verdict.checked > 0 ? `Engine checked on this device (${verdict.checked} answers compared).`
      : `Engine not checked on this device: ${verdict.problem || "no answers to compare"}.`;
    this.element.dataset.selfTest = verdict.checked > 0 ? "passed" : "not-checked";
    // Which start the engine used (engine-worker.js): the snapshot saved on this device, or a fresh boot and why.
    this.element.dataset.start = facts.start || "fresh";
    const started = facts.start === "snapshot" ? `Started in ${seconds} s from the engine saved on this device.`
      : `Started afresh in ${seconds} s${facts.start_note ? ` (${facts.start_note})` : ""}.`;
    this.show("ready", "Ready: the result updates as you enter the details. ",
      h("span", { class: "calculator-status__checked" }, checked), " ",
      h("span", { class: "calculator-status__start" }, started));
    this.element.title = `Engine ${facts.engine_version}, Python ${facts.python_version}, started in ${seconds} s`;
  }

  /** The engine stopped (``wasReady``) or could not start; ``reason`` is the technical detail. */
  failed(reason, wasReady) {
    this.show(
      "failed",
      h("strong", {}, wasReady
        ? "The calculator stopped working, so it cannot compute a result now."
        : "The calculator could not start, so it cannot compute a result here."),
      " Retry starts it again and computes the result of the details entered (or reload the page).",
      " The guideline text works without it, and the same rules are in the ",
      h("a", { href: this.links.decision_table }, "decision table"),
      " and the ",
      h("a", { href: this.links.inputs }, "input reference"),
      ".",
      h("span", { class: "calculator-status__detail" }, `Technical detail: ${reason}`),
      " ",
      this.retryButton(),
    );
  }

  /** The engine failed its on-device self-test: ``reason`` names the checks that differed. */
  checkFailed(reason) {
    this.element.dataset.selfTest = "failed";
    this.show("failed", h("strong", {}, "The calculator's engine did not pass its check on this device, so it shows "
      + "no results here."),
    " Use another device or browser; the guideline text works without it, and the same rules are in the ",
    h("a", { href: this.links.decision_table }, "decision table"), ".",
    h("span", { class: "calculator-status__detail" }, `Technical detail: ${reason}`));
  }

  /** The engine is of another build than the page; ``reloading``: the page reloads itself now. */
  outOfDate(reason, reloading) {
    this.show("failed", h("strong", {}, "This page is out of date, so the calculator shows no result."),
      reloading ? " Reloading to get the current version…" : " Reload the page to get the current version.",
      h("span", { class: "calculator-status__detail" }, `Technical detail: ${reason}`));
  }

  retryButton() {
    const retry = h("button", { type: "button", class: "md-button calculator-action calculator-retry", id: this.retryId },
      "Retry");
    retry.addEventListener("click", () => this.onRetry());
    return retry;
  }

  hasFocus() {
    return this.element.contains(document.activeElement);
  }

  /** Retry is gone once pressed: keep a keyboard user at the status, which says what happens next. */
  takeFocus() {
    this.element.tabIndex = -1;
    this.element.focus();
  }
}
