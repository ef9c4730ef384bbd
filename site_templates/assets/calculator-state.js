// @ts-check
// The state of the calculator's result: one state machine, every transition in go(). Everything the page
// shows about the result's state (data-state, aria-busy, data-stale, data-result, whether the actions may
// act) is derived from it in view(); nothing else keeps a copy.
//
//   idle ◀──▶ provisional: before the engine is ready, the answer table's answer to the inputs (or none)
//   idle | provisional ──ask──▶ pending ──answer (to the newest ask only)──▶ ok | error
//                  ▲ │ └── stale: no answer after STALE_AFTER_MS (still pending; marked not current)
//                  └─┴──── ask (newer inputs): from pending, ok, error and failed
//   every state ──fail──▶ failed, or ──▶ provisional when the engine stopped and the table has an answer
//
// idle     nothing asked yet: the engine is starting; the page's placeholder is shown.
// provisional  the answer the engine computed at build time for the inputs' class (answer-table.js), shown
//          while the engine starts, or instead of it when it cannot: marked so, with what it lacks.
// pending  an answer to the newest inputs is on its way; the older answer (or message) stays on screen.
// ok       the newest answer is a result.
// error    the newest answer rejects the inputs: the page lists what is missing or wrong.
// failed   no answer can be shown: the engine failed, or its answer could not be read.

/** An answer still missing after this long: what is shown is marked not current and its actions disabled. */
export const STALE_AFTER_MS = 1000;

// Each state: the data-state the result area shows (styles and tests read it; "failed" shows as "error", as a
// rejection does: no result is on screen) and the states it may go to.
const STATES = {
  idle: { dataState: "idle", next: ["pending", "failed", "provisional"] },
  provisional: { dataState: "provisional", next: ["provisional", "idle", "pending", "failed"] },
  pending: { dataState: "pending", next: ["pending", "ok", "error", "failed", "provisional"] },
  ok: { dataState: "ok", next: ["pending", "failed", "provisional"] },
  error: { dataState: "error", next: ["pending", "failed", "provisional"] },
  failed: { dataState: "error", next: ["pending", "failed", "provisional"] },
};

export class ResultState {
  /** onChange(view): called after every transition with view(). */
  constructor(onChange) {
    this.onChange = onChange;
    this.state = "idle";
    this.stale = false;
    this.ticket = 0; // the number of the newest evaluation asked for
    this.shown = null; // {json, answer, mismatch}: the engine's answer on screen (kept while the next is pending)
    this.table = null; // {answer, engineFailed}: the answer table's answer on screen (provisional only)
    this.problem = null; // {message, placeholder}: why there is no result (failed only)
    this.waiting = []; // resolvers of settled()
    this.staleTimer = null;
  }

  /** The inputs must be computed (again): returns the ticket of that evaluation. Older answers are now void. */
  ask() {
    this.ticket += 1;
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => this.markStale(), STALE_AFTER_MS);
    // Asked again while already marked: what is shown is still older than the inputs.
    this.go("pending", { stale: this.state === "pending" && this.stale });
    return this.ticket;
  }

  isNewest(ticket) {
    return ticket === this.ticket;
  }

  /**
   * Before the engine answers (or when it cannot): the table's ``answer`` to the inputs, or null when the table
   * has none (back to the placeholder, before the engine is ready). ``engineFailed``: it cannot start or stopped.
   */
  provisional(answer, engineFailed = false) {
    this.ticket += 1; // an engine answer on its way is for older inputs
    clearTimeout(this.staleTimer);
    if (answer) this.go("provisional", { table: { answer, engineFailed } });
    else if (this.state === "provisional") this.go("idle");
  }

  /**
   * The engine's answer (its JSON text) to evaluation ``ticket``: shown only when it is the newest.
   * ``check(answer)``: whether the answer table gave another answer for these inputs (a mismatch, reported).
   * @param {number} ticket @param {string} json @param {(answer: any) => boolean} [check]
   */
  answer(ticket, json, check = () => false) {
    if (ticket !== this.ticket || this.state !== "pending") return;
    let answer = null;
    try {
      answer = JSON.parse(json);
    } catch {
      // answer stays null: reported below
    }
    if (!answer || typeof answer !== "object") {
      this.fail("The engine's answer could not be read.");
      return;
    }
    this.go(answer.ok ? "ok" : "error", { shown: { json, answer, mismatch: answer.ok && check(answer) } });
  }

  /** No result can be shown: ``message`` says why. */
  fail(message) {
    // While nothing but the page's placeholder has been shown (a boot that failed), the message takes its place.
    const placeholder = this.state === "idle" || this.state === "provisional"
      || (this.state === "failed" && this.problem.placeholder);
    this.go("failed", { problem: { message, placeholder } });
  }

  /** Answers on their way are for an engine or a page no longer shown (Retry, leaving the page): void them. */
  abandon() {
    this.ticket += 1;
    clearTimeout(this.staleTimer);
  }

  markStale() {
    if (this.state === "pending" && !this.stale) this.go("pending", { stale: true });
  }

  /** Resolves once no answer is on its way (at once when none is). */
  settled() {
    if (this.state !== "pending") return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  go(next, { stale = false, shown = this.shown, problem = null, table = null } = {}) {
    if (!STATES[this.state].next.includes(next)) throw new Error(`calculator: no transition from ${this.state} to ${next}`);
    this.state = next;
    this.stale = next === "pending" && stale;
    this.shown = next === "failed" || next === "provisional" || next === "idle" ? null : shown;
    this.problem = next === "failed" ? problem : null;
    this.table = next === "provisional" ? table : null;
    if (next !== "pending") {
      clearTimeout(this.staleTimer);
      // Woken after onChange below has shown the new state, so a waiting action finds it.
      for (const resolve of this.waiting.splice(0)) setTimeout(resolve, 0);
    }
    this.onChange(this.view());
  }

  /** What the page shows about the result, derived from the state alone. */
  view() {
    const answer = this.shown ? this.shown.answer : null;
    return {
      state: this.state,
      dataState: STATES[this.state].dataState,
      busy: this.state === "pending",
      stale: this.stale,
      json: this.shown ? this.shown.json : null,
      answer,
      mismatch: Boolean(this.shown && this.shown.mismatch),
      table: this.table,
      problem: this.problem,
      // The result on screen is the answer to the inputs in the form.
      current: this.state === "ok",
      // Copy, print and the calendar may act on it: it is current, or its successor is on its way in time (an
      // action then waits for it: settled()).
      usable: Boolean(answer && answer.ok) && (this.state === "ok" || (this.state === "pending" && !this.stale)),
    };
  }
}
