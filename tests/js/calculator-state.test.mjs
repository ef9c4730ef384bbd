// The result's state machine (site_templates/assets/calculator-state.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { ResultState, STALE_AFTER_MS } from "../../site_templates/assets/calculator-state.js";

const OK = JSON.stringify({ ok: true, regimen: {} });
const REJECTED = JSON.stringify({ ok: false, errors: [] });

function machine() {
  const views = [];
  const state = new ResultState((view) => views.push(view));
  return { state, views, last: () => views[views.length - 1] };
}

test("ask then answer: pending, then ok; the view says what may act", () => {
  const { state, last } = machine();
  const ticket = state.ask();
  assert.deepEqual([last().state, last().dataState, last().busy, last().usable], ["pending", "pending", true, false]);
  state.answer(ticket, OK);
  assert.deepEqual([last().state, last().current, last().usable, last().json], ["ok", true, true, OK]);
  state.abandon();
});

test("only the newest answer is shown", () => {
  const { state, last } = machine();
  const older = state.ask();
  const newer = state.ask();
  state.answer(older, REJECTED);
  assert.equal(last().state, "pending");
  state.answer(newer, REJECTED);
  assert.equal(last().state, "error");
  state.abandon();
});

test("an answer that cannot be read fails, with no result", () => {
  const { state, last } = machine();
  state.answer(state.ask(), "not json");
  assert.deepEqual([last().state, last().dataState, last().answer], ["failed", "error", null]);
  assert.equal(last().problem.message, "The engine's answer could not be read.");
});

test("provisional before the engine answers; back to idle when the table has no answer", () => {
  const { state, last } = machine();
  state.provisional({ in_scope: true });
  assert.deepEqual([last().state, last().table.engineFailed], ["provisional", false]);
  state.provisional(null);
  assert.equal(last().state, "idle");
});

test("a failure during boot takes the placeholder's place; after a result it does not", () => {
  const first = machine();
  first.state.fail("could not start");
  assert.equal(first.last().problem.placeholder, true);
  const second = machine();
  second.state.answer(second.state.ask(), OK);
  second.state.fail("stopped");
  assert.equal(second.last().problem.placeholder, false);
});

test("an impossible transition is refused", () => {
  const { state } = machine();
  assert.throws(() => state.go("ok"), /no transition from idle to ok/);
});

test("an answer slower than STALE_AFTER_MS marks what is shown not current; settled() waits for the answer", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { state, last } = machine();
  state.answer(state.ask(), OK);
  const ticket = state.ask();
  assert.deepEqual([last().stale, last().usable], [false, true]);
  t.mock.timers.tick(STALE_AFTER_MS);
  assert.deepEqual([last().state, last().stale, last().usable], ["pending", true, false]);
  let settled = false;
  const waiting = state.settled().then(() => { settled = true; });
  state.answer(ticket, OK);
  t.mock.timers.tick(0);
  await waiting;
  assert.ok(settled);
  assert.equal(last().stale, false);
});
