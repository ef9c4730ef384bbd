// The calculator page: collects the form's inputs, asks the engine worker, renders its JSON answer.
//
// Nothing clinical is decided here: the engine (Python, in engine-worker.js) validates every
// input and computes every result; this file only shows or hides fields named by the descriptor's
// required_when, turns the result into DOM nodes (textContent only, never HTML from the engine)
// and runs the copy, print and calendar actions. See engine-worker.js for the message protocol.
//
// Loaded on every page: with the theme's instant navigation the document stays when the reader
// follows a link, so a calculator is mounted whenever a page with one is shown (document$) and
// unmounted when the reader leaves it; the engine worker (engine-client.js) outlives both.

import { engine, restartEngine } from "./engine-client.js";

const SEVERITY_ORDER = ["high", "warning", "info"];
const SEVERITY = {
  high: { word: "High", icon: "!" },
  warning: { word: "Warning", icon: "!" },
  info: { word: "Information", icon: "i" },
};
const STAGES = {
  runtime: "Loading the Python runtime…",
  engine: "Loading the decision engine…",
};
const MEANWHILE = "You can read the guideline meanwhile.";
// A boot normally takes 2-4 s (10-20 s on a slow tablet's first visit). One that still loads after this
// may be stalled on a network that neither answers nor fails: offer Retry, and keep waiting meanwhile.
const BOOT_PATIENCE_MS = 30000;
const BASIS = {
  source: "Source guideline",
  policy: "Engine policy (the sources leave this open)",
};
const EVENTS = { injection: "Injection", "blood-test": "Blood test", review: "Review" };
// The words for the engine's evidence check statuses (never colour alone: the word is always shown).
const EVIDENCE = {
  agrees: { word: "Agrees", title: "The primary guidance agrees with this rule" },
  differs: { word: "Differs", title: "The primary guidance differs from this rule" },
  unsourced: { word: "Unsourced", title: "No primary source was found for this rule" },
};
// An answer still missing after this long: mark what is shown as not current and disable its actions.
const STALE_AFTER_MS = 1000;
// No debounce: an evaluation takes a few milliseconds in the worker and only the newest answer is
// rendered, so the result can follow every keystroke within a frame. setTimeout(0) still merges the
// input and change events of one edit into one request.
const EVALUATION_DELAY_MS = 0;
const OUT_OF_DATE_RELOAD = "guideline-engine-reload-for-build";

// ---------------------------------------------------------------- small DOM helpers

/** An element with attributes and children; strings become text nodes, never markup. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function formatDate(iso, withWeekday = false) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!match) return String(iso);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const options = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
  if (withWeekday) options.weekday = "short";
  return new Intl.DateTimeFormat("en-GB", options).format(day);
}

function plural(value, unit) {
  return `${unit}${Number(value) === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------- the calculator

class Calculator {
  constructor(config) {
    this.config = config;
    this.pathway = config.pathway;
    this.fields = new Map(this.pathway.inputs.map((field) => [field.key, field]));
    // querySelector, not getElementById: the page heading "Calculator" may carry the same id.
    this.form = document.querySelector("form#calculator");
    this.result = document.getElementById("result");
    this.status = document.getElementById("engine-status");
    this.formErrors = document.getElementById("form-errors");
    this.actionStatus = document.getElementById("action-status");
    this.buttons = {
      copy: document.getElementById("action-copy"),
      print: document.getElementById("action-print"),
      ics: document.getElementById("action-ics"),
    };
    this.ready = false;
    this.latest = 0; // sequence number of the newest evaluation asked for
    this.timer = null;
    this.rendered = null; // the JSON text on display
    this.answer = null; // its parsed form
    this.localProblems = new Map();
    this.touched = new Set();
    this.focusOnAnswer = false; // the user asked for the result (Enter): focus the first error it reports
    this.waiting = []; // actions waiting for the answer on its way (see current())
  }

  start() {
    document.documentElement.dataset.engine = "loading";
    this.bootStarted = performance.now();
    this.form.addEventListener("input", () => {
      this.focusOnAnswer = false; // typing again: focus stays where the user is typing
      this.changed();
    });
    this.form.addEventListener("change", (event) => {
      this.touch(event.target);
      this.changed();
    });
    this.form.addEventListener("focusout", (event) => {
      this.touch(event.target);
      // A half-typed date fires no input event: evaluate again so that it is reported as incomplete.
      if (event.target.type === "date" && event.target.validity.badInput) this.evaluateSoon(0);
      else if (this.answer) this.showErrors(this.answer);
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    // The form has several text fields and no submit button, so Enter would not submit it by itself.
    this.form.addEventListener("keydown", (event) => {
      const target = event.target;
      if (event.key !== "Enter" || event.isComposing || !(target instanceof HTMLInputElement)) return;
      if (target.type === "checkbox") return;
      event.preventDefault();
      this.submit();
    });
    this.buttons.copy.addEventListener("click", () => this.copySummary());
    this.buttons.print.addEventListener("click", async () => {
      if (await this.current("print")) window.print();
    });
    this.buttons.ics.addEventListener("click", () => this.downloadCalendar());
    // Window listeners outlive the page's DOM under instant navigation: stop() removes them.
    this.onBeforePrint = () => this.openDetailsForPrint();
    this.onAfterPrint = () => this.restoreDetails();
    window.addEventListener("beforeprint", this.onBeforePrint);
    window.addEventListener("afterprint", this.onAfterPrint);
    this.applyRequiredWhen();
    this.showUnits();
    this.connect(engine);
  }

  /** Subscribe to the engine that ``open`` gives (the document's, or a restarted one). */
  connect(open) {
    document.documentElement.dataset.engine = "loading";
    this.slowBoot = false;
    this.showLoading("runtime");
    clearTimeout(this.patienceTimer);
    this.patienceTimer = setTimeout(() => {
      if (document.documentElement.dataset.engine !== "loading") return;
      this.slowBoot = true;
      this.showLoading(this.stage);
    }, BOOT_PATIENCE_MS);
    try {
      this.engine = open();
      this.unsubscribe = this.engine.subscribe({
        progress: (stage) => this.showLoading(stage),
        ready: (facts) => this.engineReady(facts),
        failed: (reason) => this.engineFailed(reason),
      });
    } catch (problem) {
      this.engineFailed(problem.message || String(problem));
    }
  }

  /** The loading status for a boot stage; past BOOT_PATIENCE_MS it also says so and offers Retry. */
  showLoading(stage) {
    this.stage = stage;
    const text = `${STAGES[stage] || "Loading…"} ${MEANWHILE}`;
    if (!this.slowBoot) {
      this.showStatus("loading", text);
      return;
    }
    this.showStatus("loading", text,
      h("strong", {}, ` This is taking longer than usual (over ${BOOT_PATIENCE_MS / 1000} s).`),
      " Retry starts the calculator again; it keeps trying meanwhile.", " ", this.retryButton());
  }

  retryButton() {
    const retry = h("button", { type: "button", class: "md-button calculator-action calculator-retry", id: "engine-retry" },
      "Retry");
    retry.addEventListener("click", () => this.retry());
    return retry;
  }

  /** Retry after a failure: a fresh engine worker, which evaluates the current inputs once it is ready. */
  retry() {
    const hadFocus = this.status.contains(document.activeElement);
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
    this.latest += 1; // nothing from the old engine may be shown
    this.connect(restartEngine);
    if (hadFocus) {
      // The Retry button is gone: keep the keyboard user at the status, which says what happens next.
      this.status.tabIndex = -1;
      this.status.focus();
    }
  }

  /** The reader left this page (instant navigation): let go of the engine and the window. */
  stop() {
    if (this.unsubscribe) this.unsubscribe();
    clearTimeout(this.timer);
    clearTimeout(this.staleTimer);
    clearTimeout(this.sayTimer);
    clearTimeout(this.patienceTimer);
    this.latest += 1; // an answer still on its way is for a page no longer shown
    window.removeEventListener("beforeprint", this.onBeforePrint);
    window.removeEventListener("afterprint", this.onAfterPrint);
    delete document.documentElement.dataset.engine;
  }

  touch(control) {
    if (control && control.name && this.fields.has(control.name)) this.touched.add(control.name);
  }

  // ------------------------------------------------------------ engine state

  engineReady(facts) {
    clearTimeout(this.patienceTimer);
    // The engine must be the one this page was built with: a worker, wheel or cache of another build
    // could give another answer than the page's decision table says. Never show its results.
    const expected = document.querySelector('meta[name="engine-version"]')?.content;
    if (expected && facts.engine_version !== expected) {
      this.outOfDate(facts.engine_version, expected);
      return;
    }
    this.ready = true;
    const seconds = (facts.boot_ms / 1000).toFixed(1);
    document.documentElement.dataset.engine = "ready";
    this.status.dataset.bootMs = String(facts.boot_ms);
    this.status.dataset.compiledBy = facts.compiled_by;
    this.showStatus("ready", "Ready: the result updates as you enter the details.");
    this.status.title = `Engine ${facts.engine_version}, Python ${facts.python_version}, started in ${seconds} s`;
    this.evaluateSoon(0);
  }

  /** The engine and the page come from different builds: reload once to get one build throughout. */
  outOfDate(running, expected) {
    const reason = `the engine (version ${running}) is not the one this page was built with (version ${expected})`;
    const build = document.querySelector('meta[name="guideline-build-id"]')?.content || "";
    let reloadedBefore = true;
    try {
      // A build-id flag only (never anything entered in the form): at most one reload per page build.
      reloadedBefore = sessionStorage.getItem(OUT_OF_DATE_RELOAD) === build;
      sessionStorage.setItem(OUT_OF_DATE_RELOAD, build);
    } catch {
      // No session storage: do not risk a reload loop; the message below asks the user instead.
    }
    this.engineFailed(reason);
    this.showStatus("failed", h("strong", {}, "This page is out of date, so the calculator shows no result."),
      reloadedBefore ? " Reload the page to get the current version." : " Reloading to get the current version…",
      h("span", { class: "calculator-status__detail" }, `Technical detail: ${reason}`));
    if (!reloadedBefore) window.location.reload();
  }

  engineFailed(reason) {
    clearTimeout(this.patienceTimer);
    const wasReady = this.ready;
    this.ready = false;
    this.focusOnAnswer = false;
    clearTimeout(this.timer);
    document.documentElement.dataset.engine = "failed";
    // Whatever was shown (a result, errors, an answer on its way) is not current any more: remove it.
    this.clearErrors();
    const placeholder = this.result.querySelector(".calculator-result__placeholder");
    if (wasReady || !placeholder) {
      this.showResultProblem(wasReady
        ? "No result: the calculator stopped working (see the message above the form)."
        : "No result: the calculator could not start (see the message above the form).");
    } else {
      placeholder.textContent = "No result: the calculator could not start (see the message above the form).";
      this.result.dataset.state = "error";
    }
    const links = this.config.links;
    const retry = this.retryButton();
    this.showStatus(
      "failed",
      h("strong", {}, wasReady
        ? "The calculator stopped working, so it cannot compute a result now."
        : "The calculator could not start, so it cannot compute a result here."),
      " Retry starts it again and computes the result of the details entered (or reload the page).",
      " The guideline text works without it, and the same rules are in the ",
      h("a", { href: links.decision_table }, "decision table"),
      " and the ",
      h("a", { href: links.inputs }, "input reference"),
      ".",
      h("span", { class: "calculator-status__detail" }, `Technical detail: ${reason}`),
      " ",
      retry,
    );
    this.setActions(null);
  }

  showStatus(state, ...content) {
    this.status.dataset.state = state;
    const text = this.status.querySelector(".calculator-status__text");
    text.replaceChildren(...content.map((part) => (part instanceof Node ? part : document.createTextNode(part))));
  }

  // ------------------------------------------------------------ inputs

  control(key) {
    const control = this.form.elements.namedItem(key);
    return control instanceof Element ? control : null;
  }

  wrapper(key) {
    return this.form.querySelector(`[data-field="${CSS.escape(key)}"]`);
  }

  isHidden(key) {
    const wrapper = this.wrapper(key);
    return Boolean(wrapper && wrapper.closest("[hidden]"));
  }

  rawValue(key) {
    const control = this.control(key);
    if (!control || this.isHidden(key)) return "";
    if (control.type === "checkbox") return String(control.checked);
    return control.value;
  }

  /** Show a field only when its required_when condition holds (in document order, so chains work). */
  applyRequiredWhen() {
    for (const wrapper of this.form.querySelectorAll("[data-required-when]")) {
      let condition;
      try {
        condition = JSON.parse(wrapper.dataset.requiredWhen);
      } catch {
        continue;
      }
      const value = this.rawValue(condition.field);
      wrapper.hidden = !condition.in.map(String).includes(value);
    }
  }

  /** A unit taken from a sibling select is shown beside its input. */
  showUnits() {
    for (const unit of this.form.querySelectorAll("[data-unit-from]")) {
      const select = this.control(unit.dataset.unitFrom);
      if (select && select.selectedOptions && select.selectedOptions.length) {
        unit.textContent = select.selectedOptions[0].textContent;
      }
    }
  }

  /** The inputs as the engine gets them: typed text stays text; the engine validates it. */
  collectInputs() {
    const inputs = {};
    this.localProblems = new Map();
    for (const field of this.pathway.inputs) {
      const control = this.control(field.key);
      if (!control || this.isHidden(field.key)) continue;
      if (control.type === "checkbox") {
        inputs[field.key] = control.checked;
      } else if (control.value.trim() !== "") {
        inputs[field.key] = control.value;
      } else if (control.validity && control.validity.badInput) {
        // A half-typed date reads as empty; say so rather than silently leaving it out.
        this.localProblems.set(field.key, "This date is incomplete, so it is left out: enter day, month and year.");
      }
    }
    return inputs;
  }

  // ------------------------------------------------------------ evaluation

  changed() {
    this.applyRequiredWhen();
    this.showUnits();
    this.evaluateSoon(EVALUATION_DELAY_MS);
  }

  evaluateSoon(delay) {
    if (!this.ready) return;
    this.result.dataset.state = "pending";
    this.result.setAttribute("aria-busy", "true");
    clearTimeout(this.timer);
    // Numbered now, not when sent: an answer already on its way is for older inputs and must not be shown
    // (as "ok") while this evaluation waits for its turn.
    const sequence = ++this.latest;
    this.timer = setTimeout(() => this.evaluateNow(sequence), delay);
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => this.markStale(), STALE_AFTER_MS);
  }

  /** The answer is slow (or will never come): what is shown was computed from earlier inputs. */
  markStale() {
    if (this.result.dataset.state !== "pending" || this.result.querySelector(".calculator-result__stale")) return;
    this.setActions(null);
    this.result.dataset.stale = "true";
    this.result.prepend(h("p", { class: "calculator-result__problem calculator-result__stale" },
      "Updating: what is shown below was computed from earlier details and is not current."));
  }

  /** Drop the "not current" mark of markStale (the newest answer is being shown); wake waiting actions. */
  unmarkStale() {
    for (const resolve of this.waiting.splice(0)) setTimeout(resolve, 0);
    clearTimeout(this.staleTimer);
    delete this.result.dataset.stale;
    for (const notice of this.result.querySelectorAll(".calculator-result__stale")) notice.remove();
  }

  async evaluateNow(sequence) {
    if (sequence !== this.latest) return;
    const inputJson = JSON.stringify(this.collectInputs());
    let answer;
    const client = this.engine;
    try {
      answer = await client.request({ type: "evaluate", pathway: this.pathway.id, input_json: inputJson });
    } catch (problem) {
      // A failed engine has already said so (engineFailed); otherwise the engine threw while evaluating:
      // it cannot be trusted for any input now, so it fails as a whole and Retry restarts it.
      if (sequence === this.latest && this.ready && client === this.engine) {
        this.engineFailed(`the engine could not evaluate the inputs: ${problem.message}`);
      }
      return;
    }
    // Answers can only overtake each other if the worker is slow; only the newest may be shown.
    if (sequence !== this.latest) return;
    this.show(answer.json);
  }

  show(jsonText) {
    let answer;
    try {
      answer = JSON.parse(jsonText);
    } catch {
      this.showResultProblem("The engine's answer could not be read.");
      return;
    }
    this.unmarkStale();
    this.result.setAttribute("data-result", jsonText);
    this.result.removeAttribute("aria-busy");
    this.showErrors(answer);
    if (jsonText !== this.rendered) {
      this.rendered = jsonText;
      this.result.replaceChildren(...(answer.ok ? this.renderResult(answer) : this.renderRejection(answer)));
    }
    this.answer = answer;
    this.result.dataset.state = answer.ok ? "ok" : "error";
    this.setActions(answer.ok ? answer : null);
    if (this.focusOnAnswer) this.focusFirstError();
  }

  showResultProblem(message) {
    this.unmarkStale();
    this.rendered = null;
    this.answer = null;
    this.result.removeAttribute("data-result");
    this.result.removeAttribute("aria-busy");
    this.result.dataset.state = "error";
    this.result.replaceChildren(h("p", { class: "calculator-result__problem" }, message));
    this.setActions(null);
  }

  // ------------------------------------------------------------ errors

  clearErrors() {
    for (const element of this.form.querySelectorAll(".calculator-error")) {
      element.hidden = true;
      element.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    this.formErrors.hidden = true;
    this.formErrors.replaceChildren();
  }

  /** Field errors beside their fields; errors without a field (or without a visible one) above the form. */
  showErrors(answer) {
    this.clearErrors();
    const general = [];
    const shown = new Map(this.localProblems);
    for (const error of answer.ok ? [] : answer.errors || []) {
      const key = error.field;
      const visible = key && this.fields.has(key) && !this.isHidden(key) && document.getElementById(`error-${key}`);
      if (!visible) general.push(error.message);
      else if (error.code === "required" && !this.touched.has(key)) continue; // listed as still needed
      else shown.set(key, shown.has(key) ? `${shown.get(key)} ${error.message}` : error.message);
    }
    for (const [key, message] of shown) {
      const element = document.getElementById(`error-${key}`);
      if (!element) continue;
      element.textContent = message;
      element.hidden = false;
      const control = this.control(key);
      if (control) control.setAttribute("aria-invalid", "true");
    }
    this.formErrors.hidden = general.length === 0;
    this.formErrors.replaceChildren(...general.map((message) => h("p", {}, message)));
  }

  /** The user asked for the result (Enter in a field): every error shows, and focus goes to the first. */
  submit() {
    for (const field of this.pathway.inputs) {
      if (!this.isHidden(field.key)) this.touched.add(field.key);
    }
    if (!this.ready) return;
    // Evaluate again, even if nothing changed (a half-typed date fires no input event); show() then moves
    // focus to the first error of that answer.
    this.focusOnAnswer = true;
    this.evaluateSoon(0);
  }

  /** Focus the first field showing an error, else the summary above the form when it has one. */
  focusFirstError() {
    this.focusOnAnswer = false;
    if (!this.answer) return;
    this.showErrors(this.answer);
    const invalid = this.form.querySelector('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
    } else if (!this.formErrors.hidden) {
      this.formErrors.tabIndex = -1;
      this.formErrors.focus();
    }
  }

  fieldLink(key, text) {
    const field = this.fields.get(key);
    const link = h("a", { href: `#field-${key}` }, text || (field ? field.label : key));
    link.addEventListener("click", (event) => {
      const control = this.control(key);
      if (!control) return;
      event.preventDefault();
      control.focus();
    });
    return link;
  }

  renderRejection(answer) {
    const errors = answer.errors || [];
    const needed = errors.filter((e) => e.code === "required" && e.field && this.fields.has(e.field) && !this.isHidden(e.field));
    const problems = errors.filter((e) => !needed.includes(e));
    const parts = [];
    if (needed.length) {
      parts.push(
        h("p", { class: "calculator-result__needed" }, "To see the result, enter: ",
          needed.flatMap((e, i) => [i ? ", " : "", this.fieldLink(e.field)]), "."),
      );
    }
    if (problems.length) {
      parts.push(
        h("p", { class: "calculator-result__problem" },
          problems.length === 1 ? "One entry needs correcting:" : `${problems.length} entries need correcting:`),
        h("ul", { class: "calculator-result__problems" },
          problems.map((e) => h("li", {}, e.field && this.fields.has(e.field) ? this.fieldLink(e.field, e.message) : e.message))),
      );
    }
    return parts;
  }

  // ------------------------------------------------------------ the result

  citations(keys) {
    if (!keys || !keys.length) return null;
    const references = this.config.references;
    const links = keys.map((key) => {
      const reference = references[key];
      if (!reference) return h("span", {}, key);
      const title = reference.title + (reference.year ? ` (${reference.year})` : "");
      return h("a", { href: `${this.config.links.references}#ref-${key}`, title }, String(reference.number));
    });
    return h("sup", { class: "citation" }, "[", links.flatMap((link, i) => [i ? ", " : "", link]), "]");
  }

  /** The evidence check of the rule ``ruleId`` as the engine gave it: a word (and an icon from CSS), a link. */
  evidence(ruleId, evidence) {
    const status = evidence && evidence.status;
    const known = EVIDENCE[status];
    return h("span", { class: "calculator-evidence", "data-evidence": status || "none", "data-evidence-rule": ruleId },
      h("a", { class: "calculator-evidence__link", href: `${this.config.links.evidence}#${ruleId}` }, "Evidence check"),
      ": ",
      h("span", { class: `evidence-status evidence-status--${known ? status : "unsourced"}`, title: known ? known.title : null },
        known ? known.word : `not given (${status || "no status"})`));
  }

  renderResult(result) {
    return [
      this.renderRegimen(result),
      this.renderCautions(result.cautions || []),
      this.renderList("Findings", "findings", result.findings || []),
      this.renderList("Monitoring", "monitoring", result.monitoring || []),
      this.renderSchedule(result.schedule || []),
      this.renderWhy(result.trace || []),
      this.renderComputedFrom(result),
    ].filter(Boolean);
  }

  renderRegimen(result) {
    const regimen = result.regimen;
    if (!result.in_scope || !regimen) {
      return h("div", { class: "calculator-regimen calculator-regimen--out-of-scope" },
        h("p", { class: "calculator-regimen__label" }, "Outside this pathway"),
        h("p", { class: "calculator-regimen__scope-note" }, result.scope_note || "This pathway does not apply."));
    }
    const details = [];
    if (regimen.interval_range) {
      const span = regimen.interval_range;
      details.push(`Interval range in the guideline: every ${span.min}–${span.max} ${plural(span.max, span.unit)}.`);
    }
    if (regimen.dose_range_micrograms) {
      const [low, high] = regimen.dose_range_micrograms;
      details.push(`Dose range in the guideline: ${low}–${high} micrograms.`);
    }
    if (regimen.duration_note) details.push(regimen.duration_note);
    const rules = Array.isArray(regimen.rules) ? regimen.rules : [];
    return h("div", { class: "calculator-regimen" },
      h("p", { class: "calculator-regimen__label" }, "Maintenance regimen"),
      h("p", { class: "calculator-regimen__summary" }, `${regimen.summary}.`, this.citations(regimen.references)),
      details.length ? h("ul", { class: "calculator-regimen__details" }, details.map((text) => h("li", {}, text))) : null,
      h("div", { class: "calculator-regimen__evidence" },
        h("p", {}, rules.length === 1 ? "The rule behind this regimen:" : "The rules behind this regimen:"),
        rules.length
          ? h("ul", {}, rules.map((rule) => h("li", { "data-rule": rule.id }, rule.title || rule.id, " — ",
            this.evidence(rule.id, rule.evidence))))
          : h("p", {}, "Not given by the engine: see Why below.")));
  }

  renderCautions(cautions) {
    if (!cautions.length) return null;
    const rank = (caution) => {
      const index = SEVERITY_ORDER.indexOf(caution.severity);
      return index < 0 ? SEVERITY_ORDER.length : index;
    };
    const ordered = cautions.map((caution, index) => ({ caution, index }))
      .sort((a, b) => rank(a.caution) - rank(b.caution) || a.index - b.index)
      .map(({ caution }) => caution);
    return h("div", { class: "calculator-block" },
      h("h3", {}, "Cautions"),
      h("ul", { class: "calculator-cautions" }, ordered.map((caution) => {
        const severity = SEVERITY[caution.severity] || { word: caution.severity, icon: "•" };
        return h("li", { class: `calculator-caution calculator-caution--${caution.severity}`, "data-caution": caution.id },
          h("span", { class: "calculator-caution__icon", "aria-hidden": "true" }, severity.icon),
          h("span", { class: "calculator-caution__body" },
            h("strong", { class: "calculator-caution__word" }, `${severity.word}:`), " ", caution.text,
            this.citations(caution.references), " ", this.evidence(caution.id, caution.evidence)));
      })));
  }

  renderList(title, kind, items) {
    if (!items.length) return null;
    return h("div", { class: "calculator-block" },
      h("h3", {}, title),
      h("ul", { class: `calculator-${kind}` },
        items.map((item) => h("li", { [`data-${kind === "findings" ? "finding" : kind}`]: item.id },
          item.text, this.citations(item.references), " ", this.evidence(item.id, item.evidence)))));
  }

  renderSchedule(schedule) {
    if (!schedule.length) return null;
    return h("div", { class: "calculator-block" },
      h("h3", {}, "Schedule"),
      h("div", { class: "calculator-schedule__scroll" },
        h("table", { class: "calculator-schedule" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Date"), h("th", { scope: "col" }, "Event"),
            h("th", { scope: "col" }, "Details"))),
          h("tbody", {}, schedule.map((event) =>
            h("tr", { class: `calculator-schedule__${event.event}` },
              h("td", {}, h("time", { datetime: event.date }, formatDate(event.date, true))),
              h("td", {}, EVENTS[event.event] || event.event),
              h("td", {}, event.text)))))));
  }

  renderWhy(trace) {
    if (!trace.length) return null;
    const links = this.config.links;
    return h("details", { class: "calculator-why question" },
      h("summary", {}, `Why: the ${trace.length} ${plural(trace.length, "rule")} behind this result`),
      h("ol", { class: "calculator-trace" }, trace.map((step) => {
        const evidence = step.evidence || {};
        const status = evidence.status || "unsourced";
        return h("li", { class: "calculator-trace__rule", "data-rule": step.rule },
          h("p", { class: "calculator-trace__title" },
            h("strong", {}, step.title || step.rule), " ", h("code", {}, step.rule)),
          h("p", {}, h("span", { class: "calculator-trace__term" }, "Because: "), step.because),
          h("p", {}, h("span", { class: "calculator-trace__term" }, "Basis: "), BASIS[step.basis] || step.basis,
            this.citations(step.references)),
          h("p", {}, h("span", { class: "calculator-trace__term" }, "Evidence check: "),
            h("span", { class: `evidence-status evidence-status--${status}` }, status.charAt(0).toUpperCase() + status.slice(1)),
            " ", evidence.note || "", this.citations(evidence.references), " ",
            h("a", { class: "calculator-trace__link", href: `${links.evidence}#${step.rule}` }, "Details")));
      })));
  }

  displayValue(key, value, inputs) {
    const field = this.fields.get(key);
    if (!field) return String(value);
    if (typeof value === "boolean") return value ? "Yes" : "No";
    if (field.type === "enum") {
      const choice = (field.choices || []).find((c) => c.value === value);
      return choice ? choice.label : String(value);
    }
    if (field.type === "date") return formatDate(value);
    const unit = field.unit || (field.unit_field && inputs[field.unit_field]) || "";
    return unit ? `${value} ${unit}` : String(value);
  }

  renderComputedFrom(result) {
    const inputs = result.inputs || {};
    // A unit chosen in a sibling select is shown with its value, not on a row of its own.
    const units = new Set(this.pathway.inputs.map((field) => field.unit_field).filter(Boolean));
    // The canonical JSON sorts keys; show them in the form's order, unknown keys last.
    const order = this.pathway.inputs.map((field) => field.key);
    const position = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
    const rows = Object.keys(inputs)
      .filter((key) => !units.has(key))
      .sort((a, b) => position(a) - position(b))
      .map((key) => [this.fields.get(key)?.label || key, this.displayValue(key, inputs[key], inputs)]);
    const ignored = (result.ignored_inputs || []).map((key) => this.fields.get(key)?.label || key);
    return h("div", { class: "calculator-block calculator-computed" },
      h("h3", {}, "Computed from"),
      h("dl", { class: "calculator-computed__inputs" },
        rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)])),
      ignored.length ? h("p", {}, `Not used for this result: ${ignored.join(", ")}.`) : null,
      h("p", { class: "calculator-computed__versions" },
        `Guideline ${result.pathway} version ${result.pathway_version}; engine ${result.engine_version}. `,
        "Decision support only: confirm against the current guidance."));
  }

  // ------------------------------------------------------------ actions

  setActions(result) {
    const ok = Boolean(result);
    this.buttons.copy.disabled = !ok;
    this.buttons.print.disabled = !ok;
    this.buttons.ics.disabled = !(ok && Array.isArray(result.schedule) && result.schedule.length > 0);
  }

  /** Whether the result on display is the answer to the current inputs (after the one on its way, if any). */
  async current(what) {
    if (this.ready && this.result.dataset.state === "pending") {
      await new Promise((resolve) => this.waiting.push(resolve));
    }
    if (this.ready && this.rendered && this.result.dataset.state === "ok") return true;
    this.say(`Cannot ${what} now: the result is not up to date with the details entered.`);
    return false;
  }

  say(message) {
    this.actionStatus.textContent = message;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => {
      this.actionStatus.textContent = "";
    }, 5000);
  }

  /** The export of the shown result made by the engine, or null after saying why it could not be made. */
  async exportAs(kind, what) {
    if (!(await this.current(`make the ${what}`))) return null;
    try {
      const answer = await this.engine.request({
        type: "export", kind, result_json: this.rendered, stamp: new Date().toISOString(), title: this.pathway.title,
      });
      return answer.text;
    } catch (problem) {
      this.say(`Could not make the ${what}: ${problem.message}`);
      return null;
    }
  }

  async copySummary() {
    const text = await this.exportAs("text", "summary");
    if (text === null) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      if (!copyWithSelection(text)) {
        this.say("Could not copy: this browser blocked the clipboard.");
        return;
      }
    }
    this.say("Copied");
  }

  async downloadCalendar() {
    const text = await this.exportAs("ics", "calendar");
    if (text === null) return;
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    const link = h("a", { href: url, download: `${this.pathway.id}-schedule.ics`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    this.say("Calendar downloaded");
  }

  openDetailsForPrint() {
    this.closedForPrint = [...this.result.querySelectorAll("details:not([open])")];
    for (const details of this.closedForPrint) details.open = true;
  }

  restoreDetails() {
    for (const details of this.closedForPrint || []) details.open = false;
    this.closedForPrint = [];
  }
}

function copyWithSelection(text) {
  const area = h("textarea", { readonly: true, class: "calculator-copy-buffer", "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

let mounted = null;

/** Mount a calculator on the page shown, if it has one (after unmounting the one shown before). */
function mount() {
  if (mounted) mounted.stop();
  mounted = null;
  const holder = document.querySelector("[data-calculator][data-config]");
  if (!holder || !document.querySelector("form#calculator")) return;
  mounted = new Calculator(JSON.parse(holder.dataset.config));
  mounted.start();
}

// document$ (mkdocs-material) emits the document once loaded and again after each instant navigation.
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
else mount();
