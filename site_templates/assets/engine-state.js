// @ts-check
// The calculator's view of its engine: one reducer, every transition in engineReducer(). calculator.js (the edge)
// dispatches what the engine client reports and derives from the state what the page shows: <html data-engine>
// (written, never read back), the status line, and whether the answer table's answer stands in for the engine's.
//
//   loading ──progress──▶ loading (runtime, engine, check: the stage the status names)
//      │ └──patience──▶ loading, slow (a boot still loading after BOOT_PATIENCE_MS: Retry is offered)
//      ├──ready──▶ ready
//      ├──check-failed──▶ failed (its self-test found answers that differ from the build's: sticky)
//      └──failed──▶ failed (could not start, or of another build)
//   ready ──failed──▶ failed (stopped)
//   failed ──connect (Retry)──▶ loading; the failure stands until an engine is ready
//
// A failure stands (``failure`` is set) from the engine's failure until another engine is ready: meanwhile the
// answer table's answer is all there is, labelled so. After a failed self-test nothing is shown, not even the
// table's answer: the device's engine may share a fault with the page.

/**
 * @typedef {"loading" | "ready" | "failed"} EnginePhase
 * @typedef {{
 *   phase: EnginePhase,
 *   stage: string,
 *   slow: boolean,
 *   failure: string | null,
 *   checkFailed: boolean,
 * }} EngineState
 * @typedef {{type: "connect"} | {type: "progress", stage: string} | {type: "patience-ran-out"} | {type: "ready"}
 *   | {type: "check-failed"} | {type: "failed"}} EngineEvent
 */

export const FAILURE = {
  start: "No result: the calculator could not start (see the message above the form).",
  stopped: "No result: the calculator stopped working (see the message above the form).",
  check: "No result: the calculator's engine did not pass its check on this device (see the message above the form).",
};

/** @type {EngineState} */
export const initialEngine = Object.freeze({
  phase: "loading", stage: "runtime", slow: false, failure: null, checkFailed: false,
});

/**
 * @param {EngineState} state
 * @param {EngineEvent} event
 * @returns {EngineState}
 */
export function engineReducer(state, event) {
  switch (event.type) {
    case "connect":
      return { ...state, phase: "loading", stage: "runtime", slow: false };
    case "progress":
      return state.phase === "loading" ? { ...state, stage: event.stage } : state;
    case "patience-ran-out":
      return state.phase === "loading" ? { ...state, slow: true } : state;
    case "ready":
      return { ...state, phase: "ready", failure: null };
    case "check-failed":
      return { ...state, phase: "failed", failure: FAILURE.check, checkFailed: true };
    case "failed":
      return { ...state, phase: "failed", failure: state.phase === "ready" ? FAILURE.stopped : FAILURE.start };
    default:
      return state;
  }
}

/** The engine answers this page's evaluations. @param {EngineState} state */
export const isReady = (state) => state.phase === "ready";

/**
 * Until the engine is ready: whether the answer table's answer may be shown, and whether it stands in for an
 * engine that failed (labelled so) rather than one still starting.
 * @param {EngineState} state
 * @returns {{tableAllowed: boolean, engineFailed: boolean}}
 */
export function provisionalPolicy(state) {
  return { tableAllowed: !state.checkFailed, engineFailed: state.failure !== null };
}
