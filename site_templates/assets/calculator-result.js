// @ts-check
// The result view: turns the engine's JSON answer into the result area, in place. Each block (regimen,
// cautions, findings, ...) and each item is keyed (by the engine's ids) and memoised on the data it shows,
// so an answer that changes one finding changes that finding only: the rest stays as it is (a "Why" the
// reader opened stays open). Text only, never HTML from the engine; the words for the result's parts come
// from the pathway's labels where it gives them.

import { el, patch } from "./dom.js";
import { formatDate, formatValue, plural } from "./format.js";

const SEVERITY_ORDER = ["high", "warning", "info"];
const SEVERITY = {
  high: { word: "High", icon: "!" },
  warning: { word: "Warning", icon: "!" },
  info: { word: "Information", icon: "i" },
};
const BASIS = {
  source: "Source guideline",
  policy: "Engine policy (the sources leave this open)",
};
// The words for the engine's evidence check statuses (never colour alone: the word is always shown).
const EVIDENCE = {
  agrees: { word: "Agrees", title: "The primary guidance agrees with this rule" },
  differs: { word: "Differs", title: "The primary guidance differs from this rule" },
  unsourced: { word: "Unsourced", title: "No primary source was found for this rule" },
};
// The fragment that carries answers to the next pathway's calculator.
export const CARRY = "carry=";
const STALE_NOTICE = "Updating: what is shown below was computed from earlier details and is not current.";
// What a provisional answer (the answer table's, see answer-table.js) lacks, while the engine starts and when
// it cannot.
const PROVISIONAL = {
  starting: "Provisional: the answer the calculator's engine worked out for these details when this site was built. "
    + "The engine is starting: it will confirm this answer and add what needs the exact values.",
  failed: "Provisional: the answer the calculator's engine worked out for these details when this site was built. "
    + "The engine is not running here (it could not start, or it stopped), so this answer is not confirmed and lacks "
    + "what needs the exact values.",
};
const ON_ITS_WAY = "Still to come from the engine: the findings from the values entered, the dated schedule and why "
  + "each rule applies.";
const LACKING = "Not available without the engine: the findings from the values entered, the dated schedule and why "
  + "each rule applies.";
const MISMATCH = "The answer shown first differed from the engine's: the engine's answer is shown. Please report "
  + "this to the site's maintainers.";

const list = (value) => (Array.isArray(value) ? value : []);

export class ResultView {
  /** form: the CalculatorForm (which fields are shown, their labels, focus); config: the page's data-config. */
  constructor(section, config, form) {
    this.section = section;
    this.form = form;
    this.pathway = config.pathway;
    this.references = config.references;
    this.links = config.links;
    this.fieldHref = `#${config.ids.field.control}`;
    this.labels = this.pathway.labels || {};
    this.placeholder = [...section.childNodes]; // the page's own text until there is a result
    this.blocks = this.placeholder; // what is on screen
    this.renderedJson = null; // the answer they show
    this.patched = null; // {blocks, stale} as last patched
    this.cache = new Map(); // name -> the description last made for it (see memoised())
    // A field named in the result ("To see the result, enter: ...") takes the focus when its link is followed.
    section.addEventListener("click", (event) => {
      const link = event.target instanceof Element && event.target.closest("a[data-focus-field]");
      if (link && this.form.focus(link.dataset.focusField)) event.preventDefault();
    });
  }

  /** Show a view of the result state (ResultState.view()): content first, data-state last, which observers wait on. */
  show(view) {
    if (view.state === "failed") {
      const { message, placeholder } = view.problem;
      this.blocks = [placeholder
        ? el("p", { class: "calculator-result__placeholder", key: "placeholder" }, message)
        : el("p", { class: "calculator-result__problem", key: "problem" }, message)];
      this.renderedJson = null;
    } else if ((view.state === "ok" || view.state === "error") && view.json !== this.renderedJson) {
      this.renderedJson = view.json;
      this.blocks = view.answer.ok ? this.result(view.answer, view.mismatch) : this.rejection(view.answer);
    } else if (view.state === "provisional") {
      this.blocks = this.provisional(view.table.answer, view.table.engineFailed);
      this.renderedJson = null;
    } else if (view.state === "idle") {
      this.blocks = this.placeholder;
      this.renderedJson = null;
    }
    // While an answer is late, what is shown stays, under a notice that it is not current.
    if (!this.patched || this.patched.blocks !== this.blocks || this.patched.stale !== view.stale) {
      const notice = el("p", { class: "calculator-result__problem calculator-result__stale", key: "stale" }, STALE_NOTICE);
      patch(this.section, [view.stale ? notice : null, this.blocks]);
      this.patched = { blocks: this.blocks, stale: view.stale };
    }
    const section = this.section;
    if (view.json === null) section.removeAttribute("data-result");
    else if (section.getAttribute("data-result") !== view.json) section.setAttribute("data-result", view.json);
    if (view.busy) section.setAttribute("aria-busy", "true");
    else section.removeAttribute("aria-busy");
    if (view.stale) section.dataset.stale = "true";
    else delete section.dataset.stale;
    section.dataset.state = view.dataState;
  }

  /**
   * The description ``render(memo)`` makes of ``data``, made again only when ``data`` changed since the last one
   * made for ``name``: an unchanged block or item costs its JSON, and patch() then leaves its element alone.
   */
  memoised(name, data, render) {
    const memo = JSON.stringify(data);
    const cached = this.cache.get(name);
    if (cached && cached.memo === memo) return cached;
    const description = render(memo);
    this.cache.set(name, description);
    return description;
  }

  // ------------------------------------------------------------ a rejection: what to enter, what to correct

  rejection(answer) {
    const errors = list(answer.errors);
    const needed = errors.filter((e) => e.code === "required" && this.form.shows(e.field));
    const problems = errors.filter((e) => !needed.includes(e));
    return [
      needed.length ? el("p", { class: "calculator-result__needed", key: "needed" }, "To see the result, enter: ",
        needed.map((e, i) => [i ? ", " : "", this.fieldLink(e.field)]), ".") : null,
      problems.length ? el("p", { class: "calculator-result__problem", key: "problems-heading" },
        problems.length === 1 ? "One entry needs correcting:" : `${problems.length} entries need correcting:`) : null,
      problems.length ? el("ul", { class: "calculator-result__problems", key: "problems" },
        problems.map((e) => el("li", {},
          e.field && this.form.fields.has(e.field) ? this.fieldLink(e.field, e.message) : e.message)))
        : null,
    ];
  }

  fieldLink(key, text) {
    return el("a", { href: this.fieldHref + key, "data-focus-field": key }, text || this.form.label(key));
  }

  // ------------------------------------------------------------ a result

  result(result, mismatch = false) {
    return [
      mismatch ? el("p", { class: "calculator-result__problem calculator-result__mismatch", key: "mismatch" }, MISMATCH)
        : null,
      this.regimen(result),
      this.cautions(list(result.cautions)),
      this.items("Findings", "findings", "finding", list(result.findings)),
      this.items("Monitoring", "monitoring", "monitoring", list(result.monitoring)),
      this.schedule(list(result.schedule)),
      this.next(result),
      this.why(list(result.trace)),
      this.computedFrom(result),
    ];
  }

  /** The answer table's answer: scope, regimen, cautions and monitoring, labelled provisional. */
  provisional(answer, engineFailed) {
    return [
      el("p", { class: "calculator-result__provisional", key: "provisional" },
        engineFailed ? PROVISIONAL.failed : PROVISIONAL.starting),
      this.regimen(answer),
      this.cautions(list(answer.cautions)),
      this.items("Monitoring", "monitoring", "monitoring", list(answer.monitoring)),
      answer.in_scope === false ? null
        : el("p", { class: "calculator-result__pending", key: "on-its-way" }, engineFailed ? LACKING : ON_ITS_WAY),
    ];
  }

  citations(keys) {
    if (!Array.isArray(keys) || !keys.length) return null;
    const links = keys.map((key) => {
      const reference = this.references[key];
      if (!reference) return el("span", {}, key);
      const title = reference.title + (reference.year ? ` (${reference.year})` : "");
      return el("a", { href: `${this.links.references}#ref-${key}`, title }, String(reference.number));
    });
    return el("sup", { class: "citation" }, "[", links.map((link, i) => [i ? ", " : "", link]), "]");
  }

  /** The evidence check of the rule ``ruleId`` as the engine gave it: a word (and an icon from CSS), a link. */
  evidence(ruleId, evidence) {
    const status = evidence && evidence.status;
    const known = EVIDENCE[status];
    return el("span", { class: "calculator-evidence", "data-evidence": status || "none", "data-evidence-rule": ruleId },
      el("a", { class: "calculator-evidence__link", href: `${this.links.evidence}#${ruleId}` }, "Evidence check"),
      ": ",
      el("span", { class: `evidence-status evidence-status--${known ? status : "unsourced"}`, title: known ? known.title : null },
        known ? known.word : `not given (${status || "no status"})`));
  }

  regimen(result) {
    const regimen = result.regimen;
    if (result.in_scope === false) {
      return el("div", { class: "calculator-regimen calculator-regimen--out-of-scope", key: "out-of-scope" },
        el("p", { class: "calculator-regimen__label" }, this.labels.out_of_scope || "Outside this pathway"),
        el("p", { class: "calculator-regimen__scope-note" }, result.scope_note || "This pathway does not apply."));
    }
    if (!regimen) return null; // in scope, and the answer is its findings
    // The engine's own lines under the summary; before it gave them, only its duration note.
    const details = Array.isArray(regimen.details) ? regimen.details : [regimen.duration_note];
    const rules = list(regimen.rules);
    return this.memoised("regimen", regimen, (memo) => el("div", { class: "calculator-regimen", key: "regimen", memo },
      el("p", { class: "calculator-regimen__label" }, this.labels.regimen || "Recommendation"),
      el("p", { class: "calculator-regimen__summary" }, `${regimen.summary}.`, this.citations(regimen.references)),
      details.some(Boolean)
        ? el("ul", { class: "calculator-regimen__details" }, details.filter(Boolean).map((text) => el("li", {}, text)))
        : null,
      el("div", { class: "calculator-regimen__evidence" },
        el("p", {}, rules.length === 1 ? "The rule behind this regimen:" : "The rules behind this regimen:"),
        rules.length
          ? el("ul", {}, rules.map((rule) => el("li", { "data-rule": rule.id, key: rule.id }, rule.title || rule.id, " — ",
            this.evidence(rule.id, rule.evidence))))
          : el("p", {}, "Not given by the engine: see Why below."))));
  }

  cautions(cautions) {
    if (!cautions.length) return null;
    const rank = (caution) => {
      const index = SEVERITY_ORDER.indexOf(caution.severity);
      return index < 0 ? SEVERITY_ORDER.length : index;
    };
    const ordered = cautions.map((caution, index) => ({ caution, index }))
      .sort((a, b) => rank(a.caution) - rank(b.caution) || a.index - b.index)
      .map(({ caution }) => caution);
    return this.memoised("cautions", ordered, (memo) => el("div", { class: "calculator-block", key: "cautions", memo },
      el("h3", {}, "Cautions"),
      el("ul", { class: "calculator-cautions" },
        ordered.map((caution) =>
          this.memoised(`caution ${caution.id}`, caution, (itemMemo) => this.caution(caution, itemMemo))))));
  }

  caution(caution, memo) {
    const severity = SEVERITY[caution.severity] || { word: caution.severity, icon: "•" };
    return el("li", { class: `calculator-caution calculator-caution--${caution.severity}`, "data-caution": caution.id,
      key: caution.id, memo },
    el("span", { class: "calculator-caution__icon", "aria-hidden": "true" }, severity.icon),
    el("span", { class: "calculator-caution__body" },
      el("strong", { class: "calculator-caution__word" }, `${severity.word}:`), " ", caution.text,
      this.citations(caution.references), " ", this.evidence(caution.id, caution.evidence)));
  }

  /** Findings or monitoring: a list of the engine's items, each with its evidence check. */
  items(title, kind, attribute, items) {
    if (!items.length) return null;
    const item = (entry, memo) => el("li", { [`data-${attribute}`]: entry.id, key: entry.id, memo },
      entry.text, this.citations(entry.references), " ", this.evidence(entry.id, entry.evidence));
    return this.memoised(kind, items, (memo) => el("div", { class: "calculator-block", key: kind, memo },
      el("h3", {}, title),
      el("ul", { class: `calculator-${kind}` },
        items.map((entry) => this.memoised(`${kind} ${entry.id}`, entry, (itemMemo) => item(entry, itemMemo))))));
  }

  schedule(schedule) {
    if (!schedule.length) return null;
    const events = this.labels.events || {};
    return this.memoised("schedule", [schedule, events], (memo) =>
      el("div", { class: "calculator-block", key: "schedule", memo },
        el("h3", {}, "Schedule"),
        el("div", { class: "calculator-schedule__scroll" },
          el("table", { class: "calculator-schedule" },
            el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Date"), el("th", { scope: "col" }, "Event"),
              el("th", { scope: "col" }, "Details"))),
            el("tbody", {}, schedule.map((event) =>
              el("tr", { class: `calculator-schedule__${event.event}` },
                el("td", {}, el("time", { datetime: event.date }, formatDate(event.date, true))),
                el("td", {}, events[event.event] || event.event),
                el("td", {}, event.text))))))));
  }

  /** The pathway that follows (the engine's ``next``): a link to its calculator, carrying the answers it names. */
  next(result) {
    const next = result.next;
    const href = next && (this.links.calculators || {})[next.pathway];
    if (!href) return null;
    const inputs = result.inputs || {};
    const carried = Object.fromEntries(list(next.carry_over).filter((key) => key in inputs).map((key) => [key, inputs[key]]));
    // In the fragment, which no request carries: the answers never leave the device (see CalculatorForm.carryIn).
    const target = `${href}#${CARRY}${encodeURIComponent(JSON.stringify(carried))}`;
    const names = Object.keys(carried).map((key) => this.form.label(key));
    return this.memoised("next", [next, carried, href], (memo) => el("div", { class: "calculator-block calculator-next",
      key: "next", memo },
    el("h3", {}, "Next"),
    el("p", {}, next.text, " ", el("a", { href: target, class: "calculator-next__link", "data-next": next.pathway },
      "Open it with these answers")),
    names.length ? el("p", { class: "calculator-next__carried" }, `Carried over: ${names.join(", ")}.`) : null));
  }

  why(trace) {
    if (!trace.length) return null;
    const titles = new Map(trace.map((step) => [step.rule, step.title || step.rule]));
    return this.memoised("why", trace, (memo) => el("details", { class: "calculator-why question", key: "why", memo },
      el("summary", {}, `Why: the ${trace.length} ${plural(trace.length, "rule")} behind this result`),
      el("ol", { class: "calculator-trace" }, trace.map((step) => {
        // A rule that fired but whose outcome a later rule replaced.
        const overriddenBy = step.overridden_by ? titles.get(step.overridden_by) || step.overridden_by : null;
        return this.memoised(`why ${step.rule}`, [step, overriddenBy],
          (itemMemo) => this.step(step, overriddenBy, itemMemo));
      }))));
  }

  /** One rule of the "Why" list; ``overriddenBy``: the title (or id) of the rule that overrode it, or null. */
  step(step, overriddenBy, memo) {
    const evidence = step.evidence || {};
    const status = evidence.status || "unsourced";
    return el("li", { class: `calculator-trace__rule${overriddenBy ? " calculator-trace__rule--overridden" : ""}`,
      "data-rule": step.rule, key: step.rule, memo },
    el("p", { class: "calculator-trace__title" },
      el("strong", {}, step.title || step.rule), " ", el("code", {}, step.rule)),
    overriddenBy ? el("p", { class: "calculator-trace__overridden" },
      el("span", { class: "calculator-trace__term" }, "Overridden by"), " ", overriddenBy) : null,
    el("p", {}, el("span", { class: "calculator-trace__term" }, "Because: "), step.because),
    el("p", {}, el("span", { class: "calculator-trace__term" }, "Basis: "), BASIS[step.basis] || step.basis,
      this.citations(step.references)),
    el("p", {}, el("span", { class: "calculator-trace__term" }, "Evidence check: "),
      el("span", { class: `evidence-status evidence-status--${status}` }, status.charAt(0).toUpperCase() + status.slice(1)),
      " ", evidence.note || "", this.citations(evidence.references), " ",
      el("a", { class: "calculator-trace__link", href: `${this.links.evidence}#${step.rule}` }, "Details")));
  }

  displayValue(key, value, inputs) {
    return formatValue(this.form.fields.get(key), value, inputs);
  }

  computedFrom(result) {
    const inputs = result.inputs || {};
    const specs = this.pathway.inputs;
    // A unit chosen in a sibling select is shown with its value, not on a row of its own.
    const units = new Set(specs.map((field) => field.unit_field).filter(Boolean));
    // The canonical JSON sorts keys; show them in the form's order, unknown keys last.
    const order = specs.map((field) => field.key);
    const position = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
    const rows = Object.keys(inputs)
      .filter((key) => !units.has(key))
      .sort((a, b) => position(a) - position(b))
      .map((key) => [this.form.label(key), this.displayValue(key, inputs[key], inputs)]);
    const ignored = list(result.ignored_inputs).map((key) => this.form.label(key));
    return this.memoised("computed", [rows, ignored, result.pathway, result.pathway_version, result.engine_version],
      (memo) => el("div", { class: "calculator-block calculator-computed", key: "computed", memo },
      el("h3", {}, "Computed from"),
      el("dl", { class: "calculator-computed__inputs" },
        rows.map(([label, value]) => [el("dt", {}, label), el("dd", {}, value)])),
      ignored.length ? el("p", {}, `Not used for this result: ${ignored.join(", ")}.`) : null,
      el("p", { class: "calculator-computed__versions" },
        `Guideline ${result.pathway} version ${result.pathway_version}; engine ${result.engine_version}. `,
        this.pathway.disclaimer || "")));
  }
}
