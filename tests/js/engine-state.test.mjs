// The calculator's view of its engine (site_templates/assets/engine-state.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  FAILURE, engineReducer, initialEngine, isReady, provisionalPolicy,
} from "../../site_templates/assets/engine-state.js";

/** @param {import("../../site_templates/assets/engine-state.js").EngineEvent[]} events */
const after = (...events) => events.reduce(engineReducer, initialEngine);

test("a boot goes through its stages to ready", () => {
  let state = after({ type: "connect" }, { type: "progress", stage: "engine" });
  assert.deepEqual([state.phase, state.stage, isReady(state)], ["loading", "engine", false]);
  state = engineReducer(state, { type: "progress", stage: "check" });
  assert.equal(state.stage, "check");
  state = engineReducer(state, { type: "ready" });
  assert.ok(isReady(state));
  assert.deepEqual(provisionalPolicy(state), { tableAllowed: true, engineFailed: false });
});

test("the patience runs out only on a boot still loading", () => {
  assert.equal(after({ type: "connect" }, { type: "patience-ran-out" }).slow, true);
  assert.equal(after({ type: "ready" }, { type: "patience-ran-out" }).slow, false);
  assert.equal(after({ type: "failed" }, { type: "patience-ran-out" }).slow, false);
  assert.equal(after({ type: "patience-ran-out" }, { type: "connect" }).slow, false, "a new boot is patient again");
});

test("a failure says whether the engine could not start or stopped", () => {
  assert.equal(after({ type: "failed" }).failure, FAILURE.start);
  assert.equal(after({ type: "ready" }, { type: "failed" }).failure, FAILURE.stopped);
});

test("the table's answer stands in for a failed engine until another one is ready (Retry)", () => {
  let state = after({ type: "ready" }, { type: "failed" }, { type: "connect" });
  assert.equal(state.phase, "loading");
  assert.deepEqual(provisionalPolicy(state), { tableAllowed: true, engineFailed: true });
  state = engineReducer(state, { type: "ready" });
  assert.deepEqual(provisionalPolicy(state), { tableAllowed: true, engineFailed: false });
});

test("after a failed self-test nothing is shown, not even the table's answer, for the page's life", () => {
  const state = after({ type: "check-failed" });
  assert.equal(state.phase, "failed");
  assert.equal(state.failure, FAILURE.check);
  assert.equal(provisionalPolicy(state).tableAllowed, false);
  assert.equal(provisionalPolicy(after({ type: "check-failed" }, { type: "connect" }, { type: "ready" })).tableAllowed, false);
});

test("progress after the engine is ready or failed changes nothing", () => {
  assert.equal(after({ type: "ready" }, { type: "progress", stage: "runtime" }).stage, "runtime");
  const failed = after({ type: "progress", stage: "engine" }, { type: "failed" });
  assert.equal(engineReducer(failed, { type: "progress", stage: "check" }), failed);
});
