// @ts-check
// The calculator page: mounts a calculator on the page shown and wires its parts together.
//
// Nothing clinical is decided in JavaScript: the engine (Python, in engine-worker.js) validates every input
// and computes every result; the page collects the inputs and renders the engine's JSON answer. The parts:
//
//   engine-client.js       the engine worker of this document, its boot and heartbeat
//   answer-table.js        the engine's answers computed at build time: shown (provisional) until it answers
//   calculator-state.js    the result's one state machine (idle, provisional, pending, ok, error, failed)
//   engine-state.js        the engine's state as the calculator sees it (loading, ready, failed)
//   calculator-form.js     reading the inputs, required_when, units, field errors and focus
//   calculator-result.js   the result view, updated in place
//   calculator-actions.js  copy, print and the calendar
//   calculator-status.js   the engine's status line and Retry
//
// Every element is found by the ids in the calculator's data-config, which the form template renders from
// the same map (sitebuild/pages.py CALCULATOR_IDS).
//
// The engine's state as the calculator sees it (loading, ready, failed) is engine-state.js's reducer; this file
// is its edge: it dispatches what the engine client reports and writes <html data-engine> from the state.
//
// site.js mounts a calculator whenever a page with one is shown (with the theme's instant navigation the
// document stays when the reader follows a link) and unmounts it when the reader leaves; the engine worker
// (engine-client.js) outlives both.

import { comparable, loadTable, lookup } from "./answer-table.js";
import { engine, restartEngine } from "./engine-client.js";
import { ResultActions } from "./calculator-actions.js";
import { CalculatorForm } from "./calculator-form.js";
import { ResultView } from "./calculator-result.js";
import { ResultState } from "./calculator-state.js";
import { EngineStatus } from "./calculator-status.js";
import { engineReducer, initialEngine, isReady, provisionalPolicy } from "./engine-state.js";
import { firstReloadFor } from "./reload-once.js";

// A boot normally takes 2-4 s (10-20 s on a slow tablet's first visit). One that still loads after this
// may be stalled on a network that neither answers nor fails: offer Retry, and keep waiting meanwhile.
const BOOT_PATIENCE_MS = 30000;
// No debounce: an evaluation takes a few milliseconds in the worker and only the newest answer is
// rendered, so the result can follow every keystroke within a frame. setTimeout(0) still merges the
// input and change events of one edit into one request.
const EVALUATION_DELAY_MS = 0;
const OUT_OF_DATE_RELOAD = "guideline-engine-reload-for-build";

/** The content of the page's ``<meta name>``, or "" (the build writes them: overrides/main.html). @param {string} name */
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") || "";

class Calculator {
  constructor(config, formElement) {
    this.pathway = config.pathway;
    this.engineState = initialEngine; // engine-state.js: changed by dispatch() only
    this.table = null; // the answer table, once fetched (answer-table.js)
    this.tableUrl = config.links && config.links.answers;
    this.timer = null; // the evaluation waiting for its turn
    this.patienceTimer = null;
    this.stopped = false; // the reader left the page
    this.engine = null; // the engine client subscribed to
    this.unsubscribe = null;
    this.form = new CalculatorForm(formElement, config);
    this.state = new ResultState((view) => this.render(view));
    this.view = new ResultView(document.getElementById(config.ids.result), config, this.form);
    this.actions = new ResultActions(config, {
      state: this.state, engine: () => this.engine, ready: () => this.ready, section: this.view.section,
    });
    this.status = new EngineStatus(config, () => this.retry());
  }

  get ready() {
    return isReady(this.engineState);
  }

  /** A change of the engine's state (engine-state.js), then what the page shows of it. */
  dispatch(event) {
    this.engineState = engineReducer(this.engineState, event);
    if (!this.stopped) document.documentElement.dataset.engine = this.engineState.phase;
  }

  start() {
    this.form.listen({
      changed: () => (this.ready ? this.evaluateSoon(EVALUATION_DELAY_MS) : this.showProvisional()),
      left: (control) => {
        // A half-typed date fires no input event: evaluate again so that it is reported as incomplete.
        const { answer } = this.state.view();
        if (control.type === "date" && control.validity.badInput) this.evaluateSoon(0);
        else if (answer) this.form.showErrors(answer);
      },
      submitted: () => {
        if (!this.ready) return;
        // Evaluate again, even if nothing changed (a half-typed date fires no input event); render() then
        // moves the focus to the first error of that answer.
        this.form.focusOnAnswer = true;
        this.evaluateSoon(0);
      },
    });
    this.actions.start();
    this.connect(engine);
    this.fetchTable();
  }

  // ------------------------------------------------------------ the answer table

  async fetchTable() {
    // The engine's runtime download waits for this on a first visit (engine-client.js): the table first.
    const tableSettled = () => this.engine && this.engine.firstAnswerReady();
    if (!this.tableUrl) {
      tableSettled();
      return;
    }
    const version = meta("engine-version");
    const table = await loadTable(this.tableUrl, this.pathway.id, version);
    tableSettled();
    if (!table || this.stopped) return;
    this.table = table;
    if (!this.ready) this.showProvisional();
  }

  /** The table's answer to the inputs in the form, or null (no table yet, or inputs it cannot place). */
  tableAnswer(inputs = this.form.collectInputs()) {
    return this.table ? lookup(this.table, this.pathway, inputs) : null;
  }

  /** Before the engine is ready (or when it cannot run): the table's answer, marked provisional. */
  showProvisional() {
    if (this.ready) return;
    // An engine that failed its check here may share a fault with this page's own code: show nothing.
    const { tableAllowed, engineFailed } = provisionalPolicy(this.engineState);
    const answer = tableAllowed ? this.tableAnswer() : null;
    if (engineFailed && !answer) this.state.fail(this.engineState.failure);
    else this.state.provisional(answer, engineFailed);
  }

  /** Whether the engine's ``answer`` to ``inputs`` differs from the table's: reported, never shown. */
  differs(inputs, answer) {
    const expected = this.tableAnswer(inputs);
    if (!expected || comparable(expected) === comparable(answer)) return false;
    const root = document.documentElement;
    root.dataset.answerMismatch = String(Number(root.dataset.answerMismatch || 0) + 1);
    console.error("calculator: the answer table and the engine disagree", { inputs, table: expected, engine: answer });
    return true;
  }

  /** The reader left this page (instant navigation): let go of the engine and the window. */
  stop() {
    this.stopped = true;
    if (this.unsubscribe) this.unsubscribe();
    clearTimeout(this.timer);
    clearTimeout(this.patienceTimer);
    this.state.abandon(); // an answer still on its way is for a page no longer shown
    this.actions.stop();
    delete document.documentElement.dataset.engine;
  }

  /** Show a view of the result state: errors by the fields, the result, the actions; then the focus, if asked. */
  render(view) {
    const answered = view.state === "ok" || view.state === "error";
    if (answered) this.form.showErrors(view.answer);
    else if (view.state === "failed" || view.state === "provisional") {
      // Whatever was shown (a result, errors, an answer on its way) is not current any more: remove it.
      this.form.focusOnAnswer = false;
      this.form.showErrors(null);
    }
    this.view.show(view);
    this.actions.update(view);
    if (answered && this.form.focusOnAnswer) this.form.focusFirstError(view.answer);
  }

  // ------------------------------------------------------------ the engine

  /** Subscribe to the engine that ``open`` gives (the document's, or a restarted one). */
  connect(open) {
    this.dispatch({ type: "connect" });
    this.showLoading();
    clearTimeout(this.patienceTimer);
    this.patienceTimer = setTimeout(() => {
      if (this.engineState.phase !== "loading") return;
      this.dispatch({ type: "patience-ran-out" });
      this.showLoading();
    }, BOOT_PATIENCE_MS);
    try {
      this.engine = open();
      this.unsubscribe = this.engine.subscribe({
        progress: (stage) => {
          this.dispatch({ type: "progress", stage });
          this.showLoading();
        },
        ready: (facts) => this.engineReady(facts),
        failed: (reason) => this.engineFailed(reason),
      });
    } catch (problem) {
      this.engineFailed(problem.message || String(problem));
    }
  }

  showLoading() {
    const { stage, slow } = this.engineState;
    this.status.loading(stage, slow ? BOOT_PATIENCE_MS / 1000 : null);
  }

  /** Retry after a failure: a fresh engine worker, which evaluates the current inputs once it is ready. */
  retry() {
    const hadFocus = this.status.hasFocus();
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
    this.state.abandon(); // nothing from the old engine may be shown
    this.connect(restartEngine);
    if (hadFocus) this.status.takeFocus();
  }

  async engineReady(facts) {
    clearTimeout(this.patienceTimer);
    // The engine must be the one this page was built with: a worker, wheel or cache of another build
    // could give another answer than the page's decision table says. Never show its results.
    const expected = meta("engine-version");
    if (expected && facts.engine_version !== expected) {
      this.outOfDate(facts.engine_version, expected);
      return;
    }
    const client = this.engine;
    const verdict = await this.selfTest(client, facts);
    if (this.stopped || client !== this.engine || this.engineState.phase === "failed") return;
    if (verdict.mismatches && verdict.mismatches.length) {
      this.selfTestFailed(verdict);
      return;
    }
    this.dispatch({ type: "ready" });
    this.status.ready(facts, verdict);
    this.evaluateSoon(0);
  }

  /**
   * The on-device self-test (engine/self_test.py): the worker evaluates the build's shared cases at every start
   * (a fresh boot or a restored snapshot, engine-worker.js) and compares their answers with CPython's. Resolves
   * to {checked, mismatches, problem}; a file that cannot be read leaves the engine not checked.
   */
  async selfTest(client, facts) {
    return facts.self_test || { checked: 0, mismatches: [], problem: "the engine reported no self-test" };
  }

  /** The engine answered differently here than at build time: no result of it (nor the table's) is shown. */
  selfTestFailed(verdict) {
    const shown = verdict.mismatches.slice(0, 5).join(", ") + (verdict.mismatches.length > 5 ? ", …" : "");
    const reason = `the engine gave answers on this device that differ from the ones it gave when the site was `
      + `built (${verdict.mismatches.length} of ${verdict.checked} checks: ${shown})`;
    this.dispatch({ type: "check-failed" });
    this.state.fail(this.engineState.failure);
    this.status.checkFailed(reason);
  }

  /** The engine and the page come from different builds: reload once to get one build throughout. */
  outOfDate(running, expected) {
    const reason = `the engine (version ${running}) is not the one this page was built with (version ${expected})`;
    const build = meta("guideline-build-id");
    // Without session storage, no reload (it could loop): the status asks the user instead.
    const reload = firstReloadFor(() => sessionStorage, OUT_OF_DATE_RELOAD, build, false);
    this.engineFailed(reason);
    this.status.outOfDate(reason, reload);
    if (reload) window.location.reload();
  }

  engineFailed(reason) {
    clearTimeout(this.patienceTimer);
    clearTimeout(this.timer);
    const wasReady = this.ready;
    this.dispatch({ type: "failed" });
    this.showProvisional(); // the table's answer, if it has one, stays in view: labelled provisional
    this.status.failed(reason, wasReady);
  }

  // ------------------------------------------------------------ evaluation

  evaluateSoon(delay) {
    if (!this.ready) return;
    clearTimeout(this.timer);
    // Numbered now, not when sent: an answer already on its way is for older inputs and must not be shown
    // (as "ok") while this evaluation waits for its turn.
    const ticket = this.state.ask();
    this.timer = setTimeout(() => this.evaluateNow(ticket), delay);
  }

  async evaluateNow(ticket) {
    if (!this.state.isNewest(ticket)) return;
    const inputs = this.form.collectInputs();
    const inputJson = JSON.stringify(inputs);
    const client = this.engine;
    let answer;
    try {
      answer = await client.request({ type: "evaluate", pathway: this.pathway.id, input_json: inputJson });
    } catch (problem) {
      // A failed engine has already said so (engineFailed); otherwise the engine threw while evaluating:
      // it cannot be trusted for any input now, so it fails as a whole and Retry restarts it.
      if (this.state.isNewest(ticket) && this.ready && client === this.engine) {
        this.engineFailed(`the engine could not evaluate the inputs: ${problem.message}`);
      }
      return;
    }
    // Answers can only overtake each other if the worker is slow; the state shows only the newest.
    this.state.answer(ticket, answer.json, (read) => this.differs(inputs, read));
  }
}

/**
 * Mount a calculator on the page shown, if it has one; returns what unmounts it (the reader left the page), or
 * null when the page has none.
 * @returns {(() => void) | null}
 */
export function mountCalculator() {
  const holder = document.querySelector("[data-calculator][data-config]");
  if (!(holder instanceof HTMLElement)) return null;
  const config = JSON.parse(holder.dataset.config);
  // querySelector, not getElementById: the page heading "Calculator" may carry the same id as the form.
  const form = config.ids && document.querySelector(`form#${CSS.escape(config.ids.form)}`);
  if (!form) return null;
  const calculator = new Calculator(config, form);
  calculator.start();
  return () => calculator.stop();
}
