// The offline layer's reducer (site_templates/assets/offline-state.js): what #offline-status and #update-prompt
// show after each thing the service worker says.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  INSTALL_HINT, UNSUPPORTED, countsAsProgress, initialOffline, isReady, offlineReducer, offlineView,
} from "../../site_templates/assets/offline-state.js";

const BUILD = "abc123";
/** @param {import("../../site_templates/assets/offline-state.js").OfflineEvent[]} events */
const after = (...events) => events.reduce(offlineReducer, initialOffline(BUILD));
const shown = (state, device = { appleMobile: false }) => offlineView(state, device).status;
const progress = (done, total, build = BUILD) => ({ type: "progress", message: { type: "progress", build_id: build, done, total } });
const checked = (answer) => ({ type: "checked", answer: { build_id: BUILD, ...answer } });

test("nothing is shown before the offline layer starts", () => {
  assert.equal(shown(initialOffline(BUILD)), null);
});

test("saving shows the share of files stored, then ready once the active worker has them all", () => {
  let state = after({ type: "registering" }, progress(30, 120));
  assert.deepEqual(shown(state), { state: "saving", text: "Saving for offline use… 25%", reason: "" });
  state = offlineReducer(state, checked({ ready: true }));
  assert.deepEqual(shown(state), { state: "ready", text: "Available offline", reason: "" });
  assert.ok(isReady(state));
});

test("progress of another build (an update in the background) leaves the status as it is", () => {
  const state = after({ type: "registering" }, progress(30, 120, "other"));
  assert.equal(shown(state).text, "Saving for offline use…");
  assert.equal(countsAsProgress(state, progress(30, 120, "other").message), false);
});

test("ready is not taken back by saving progress", () => {
  const state = after(checked({ ready: true }), progress(10, 100), { type: "workers", installing: true, waiting: false });
  assert.equal(shown(state).state, "ready");
});

test("evicted files: ready gives way to restoring, and its progress says so", () => {
  const state = after(checked({ ready: true }), { type: "checking" }, checked({ ready: false, done: 3, total: 4 }));
  assert.deepEqual(shown(state), {
    state: "restoring", text: "The browser removed stored files: saving them again for offline use… 75%", reason: "",
  });
  const more = offlineReducer(state, progress(4, 4));
  assert.equal(shown(more).text, "The browser removed stored files: saving them again for offline use… 100%");
});

test("a repair that failed replaces ready and is not replaced by the check that follows it", () => {
  let state = after(checked({ ready: true }), { type: "checking" });
  state = offlineReducer(state, { type: "failed", message: { type: "failed", build_id: BUILD, stage: "repair" } });
  state = offlineReducer(state, checked({ ready: false, done: 1, total: 4 }));
  assert.equal(shown(state).state, "missing");
  assert.ok(state.restoring);
});

test("a failure the worker explained is not replaced by a generic one, and progress after it does not count", () => {
  let state = after({ type: "registering" });
  state = offlineReducer(state, { type: "failed", message: { build_id: BUILD, reason: "quota", bytes: 15_400_000 } });
  assert.deepEqual(shown(state), {
    state: "unsupported", reason: "quota",
    text: "Not saved for offline use: this device has no room left for it (about 16 MB). The site still works while "
      + "you are online.",
  });
  state = after(...[{ type: "registering" }, { type: "failed", message: { build_id: BUILD, reason: "quota" } },
    { type: "install-stopped" }, progress(50, 100)]);
  assert.equal(shown(state).reason, "quota");
  assert.equal(countsAsProgress(state, progress(50, 100).message), false);
  // A new check of the active worker lifts the failure: its progress counts again.
  assert.equal(countsAsProgress(offlineReducer(state, { type: "checking" }), progress(50, 100).message), true);
});

test("a download that did not finish; an install that stopped while ready changes nothing", () => {
  const failed = after({ type: "registering" }, { type: "failed", message: { build_id: BUILD } });
  assert.deepEqual(shown(failed), { state: "unsupported", text: UNSUPPORTED["install-stopped"], reason: "download" });
  assert.equal(shown(after(checked({ ready: true }), { type: "install-stopped" })).state, "ready");
  assert.equal(shown(after({ type: "registering" }, { type: "install-stopped" })).text, UNSUPPORTED["install-stopped"]);
});

test("a browser that cannot store the site says why", () => {
  for (const why of /** @type {const} */ (["no-service-worker", "no-caches", "refused"])) {
    assert.deepEqual(shown(after({ type: "unsupported", why })), { state: "unsupported", text: UNSUPPORTED[why], reason: "" });
  }
});

test("a waiting worker offers the update; saving is said only while nothing better is known", () => {
  const state = after({ type: "registering" }, progress(50, 100), { type: "workers", installing: false, waiting: true });
  assert.equal(offlineView(state, { appleMobile: false }).updatePrompt, true);
  assert.equal(shown(state).text, "Saving for offline use… 50%");
  assert.equal(offlineView(after({ type: "registering" }), { appleMobile: false }).updatePrompt, false);
  assert.equal(after({ type: "update-waiting" }).updateOffered, true);
});

test("ready says whether the browser keeps the site, and to install it on an iPad", () => {
  const ready = after(checked({ ready: true }));
  const words = (answer) => shown(offlineReducer(ready, { type: "persisted", answer })).text;
  assert.equal(words("granted"), "Available offline, kept on this device");
  assert.equal(words("denied"), "Available offline (the browser may remove it if the device runs low on space)");
  assert.equal(words("unsupported"), "Available offline");
  assert.match(shown(ready, { appleMobile: true }).text, new RegExp(INSTALL_HINT));
  assert.equal(offlineView(offlineReducer(ready, { type: "persisted", answer: "asking" }), { appleMobile: false }).persisted,
    "asking");
});

test("the reducer never changes the state it is given", () => {
  const state = Object.freeze(initialOffline(BUILD));
  const next = offlineReducer(state, { type: "registering" });
  assert.notEqual(next, state);
  assert.equal(state.status, null);
  assert.equal(offlineReducer(state, { type: "update-accepted" }).updateAccepted, true);
  assert.equal(offlineReducer(state, { type: "reloading" }).reloading, true);
});
