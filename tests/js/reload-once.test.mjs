// "Reload once per build" (site_templates/assets/reload-once.js), over a tab's storage.
import assert from "node:assert/strict";
import { test } from "node:test";

import { firstReloadFor } from "../../site_templates/assets/reload-once.js";

function tab() {
  const kept = new Map();
  return { getItem: (key) => kept.get(key) ?? null, setItem: (key, value) => void kept.set(key, String(value)), kept };
}

test("the first time for a build: reload; after that, not again for the same build", () => {
  const storage = tab();
  assert.equal(firstReloadFor(() => storage, "k", "build-1", false), true);
  assert.equal(storage.kept.get("k"), "build-1");
  assert.equal(firstReloadFor(() => storage, "k", "build-1", false), false);
  assert.equal(firstReloadFor(() => storage, "k", "build-2", false), true, "another build may reload once");
  assert.equal(firstReloadFor(() => storage, "other-key", "build-2", false), true, "each key counts on its own");
});

test("without storage the caller decides", () => {
  const none = () => { throw new DOMException("denied", "SecurityError"); };
  assert.equal(firstReloadFor(none, "k", "b", false), false);
  assert.equal(firstReloadFor(none, "k", "b", true), true);
});

test("storage that can be read but not written: what was read still holds", () => {
  const readOnly = { getItem: () => "b", setItem: () => { throw new DOMException("full", "QuotaExceededError"); } };
  assert.equal(firstReloadFor(() => readOnly, "k", "b", true), false);
  assert.equal(firstReloadFor(() => readOnly, "k", "c", false), true);
});
