// The state of the calculator's result: one state machine, every transition in go(). Everything the page
// shows about the result's state (data-state, aria-busy, data-stale, data-result, whether the actions may
// act) is derived from it in view(); nothing else keeps a copy.
//
//   idle ──ask──▶ pending ──answer (to the newest ask only)──▶ ok | error
//                  ▲ │ └── stale: no answer after STALE_AFTER_MS (still pending; marked not current)
//                  └─┴──── ask (newer inputs): from pending, ok, error and failed
//   every state ──fail──▶ failed
//
// idle     nothing asked yet: the engine is starting; the page's placeholder is shown.
// pending  an answer to the newest inputs is on its way; the older answer (or message) stays on screen.
// ok       the newest answer is a result.
// error    the newest answer rejects the inputs: the page lists what is missing or wrong.
// failed   no answer can be shown: the engine failed, or its answer could not be read.

/** An answer still missing after this long: what is shown is marked not current and its actions disabled. */
export const STALE_AFTER_MS = 1000;

// Each state: the data-state the result area shows (styles and tests read it; "failed" shows as "error", as a
// rejection does: no result is on screen) and the states it may go to. A coming "provisional" state (a result
// shown before it is final) gets its row here, its ways in and out, and a line in view().
const STATES = {
  idle: { dataState: "idle", next: ["pending", "failed"] },
  pending: { dataState: "pending", next: ["pending", "ok", "error", "failed"] },
  ok: { dataState: "ok", next: ["pending", "failed"] },
  error: { dataState: "error", next: ["pending", "failed"] },
  failed: { dataState: "error", next: ["pending", "failed"] },
};

export class ResultState {
  /** onChange(view): called after every transition with view(). */
  constructor(onChange) {
    this.onChange = onChange;
    this.state = "idle";
    this.stale = false;
    this.ticket = 0; // the number of the newest evaluation asked for
    this.shown = null; // {json, answer}: the engine's answer on screen (kept while the next one is pending)
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

  /** The engine's answer (its JSON text) to evaluation ``ticket``: shown only when it is the newest. */
  answer(ticket, json) {
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
    this.go(answer.ok ? "ok" : "error", { shown: { json, answer } });
  }

  /** No result can be shown: ``message`` says why. */
  fail(message) {
    // While nothing but the page's placeholder has been shown (a boot that failed), the message takes its place.
    const placeholder = this.state === "idle" || (this.state === "failed" && this.problem.placeholder);
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

  go(next, { stale = false, shown = this.shown, problem = null } = {}) {
    if (!STATES[this.state].next.includes(next)) throw new Error(`calculator: no transition from ${this.state} to ${next}`);
    this.state = next;
    this.stale = next === "pending" && stale;
    this.shown = next === "failed" ? null : shown;
    this.problem = next === "failed" ? problem : null;
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
      problem: this.problem,
      // The result on screen is the answer to the inputs in the form.
      current: this.state === "ok",
      // Copy, print and the calendar may act on it: it is current, or its successor is on its way in time (an
      // action then waits for it: settled()).
      usable: Boolean(answer && answer.ok) && (this.state === "ok" || (this.state === "pending" && !this.stale)),
    };
  }
}
