// @ts-check
// The decision engine in a module Web Worker: Pyodide boots here so the page never waits for Python.
//
// Protocol (JSON-safe values only; the page keeps pending requests by id):
//   page -> worker  {type: "init", pyodideUrl, stdlibUrl, lockUrl, selfTestUrl, buildId, wasmFromPage, runtimeNow}
//                   {type: "wasm", module: WebAssembly.Module | null}   (only if wasmFromPage)
//                   {type: "runtime"}   the page has what its first answer needs: download the runtime now
//                                       (only if not runtimeNow)
//                   {type: "evaluate", id, pathway, input_json}
//                   {type: "export", id, kind: "text" | "ics", result_json, stamp, title}
//                   {type: "ping", id}          (the page's heartbeat once ready: see engine-client.js)
//   worker -> page  {type: "progress", stage: "runtime" | "engine" | "check"}
//                   {type: "ready", engine_version, python_version, compiled_by: "page" | "worker",
//                    start: "snapshot" | "fresh", start_note, self_test: {ok, checked, mismatches, problem}}
//                   {type: "failed", message}
//                   {type: "result", id, json} | {type: "exported", id, text} | {type: "error", id, message}
//                   {type: "pong", id}
// Inputs cross into Python as strings and results come back as strings: no Python source is ever
// built from what the user typed.
//
// How it starts (engine-boot.js): on a build's first start on this device, Pyodide boots afresh, the engine runs its
// self-test (engine/self_test.py: the build's answers checked here), and, if it passed, the worker says "ready" and,
// in the same task, takes a memory snapshot of that interpreter, saved in Cache Storage: before any message with a
// patient's details is read (they wait for the boot and that task). Later starts restore that snapshot, run the
// self-test again, and fall back to a fresh boot on any failure, saying why (start_note).

import { checkCases, startEngine } from "./engine-boot.js";

// Not "guideline-…": the service worker deletes the caches of that prefix that are not its build's.
const SNAPSHOTS = "engine-snapshots";

let engine = null;
let exportsModule = null;
let json = null;
let booting = null;
let compiledByPage = null; // resolves to the page's compiled runtime Module, or null (fetch it here)
let receiveCompiled = null;
let compiledBy = "worker"; // reported with "ready": who compiled the runtime's wasm
let settled = false; // boot has answered "ready" or "failed"
// On a first visit the page holds back the runtime's download until it has what its own first answer needs (its
// answer table): on a slow link the two would share it, and the page's answer would wait for 11 MB of runtime.
let allowRuntime = () => {};
const runtimeAllowed = new Promise((resolve) => {
  allowRuntime = () => resolve(undefined);
});

// Some boot failures never reach loadPyodide's promise: when the runtime's wasm cannot be fetched,
// Pyodide logs "wasm instantiation failed!" and leaves an unhandled rejection, and the boot would hang
// on "Loading…" for ever. Any such rejection (or uncaught error) during boot fails the boot instead.
function failBoot(problem) {
  if (settled) return false;
  settled = true;
  self.postMessage({ type: "failed", message: messageOf(problem) });
  return true;
}
self.addEventListener("unhandledrejection", (event) => {
  if (failBoot(event.reason)) event.preventDefault();
});
self.addEventListener("error", (event) => {
  if (failBoot(event.error || event.message)) event.preventDefault();
});

// Pyodide instantiates its wasm with WebAssembly.instantiateStreaming(fetch(url), imports). When the page
// compiles it (see engine-client.js: the page's compile uses Chromium's code cache, a worker's does not),
// instantiate that Module instead; the worker's own fetch is only used if the page could not compile.
//
// Pyodide catches a failure to instantiate its wasm (e.g. the file cannot be fetched), only logs "wasm
// instantiation failed!" and never settles loadPyodide: the boot would hang on "Loading…" for ever. So the
// same wrapper (also used when the page does not compile) fails the boot itself.
function instantiateWithPageModule(wasmFromPage) {
  const ownInstantiate = WebAssembly.instantiateStreaming.bind(WebAssembly);
  compiledByPage = wasmFromPage ? new Promise((resolve) => {
    receiveCompiled = resolve;
  }) : Promise.resolve(null);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    // Handled below; meanwhile a failed fetch must not count as an unhandled rejection.
    Promise.resolve(source).catch(() => {});
    try {
      const module = await compiledByPage;
      if (!module) return await ownInstantiate(source, imports);
      compiledBy = "page";
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (problem) {
      failBoot(new Error(`the Python runtime could not be loaded (${messageOf(problem)})`));
      throw problem;
    }
  };
}

function messageOf(problem) {
  const text = problem && problem.message ? problem.message : String(problem);
  // Python tracebacks are long; the last line names the error.
  const lines = text.trim().split("\n");
  return lines[lines.length - 1].slice(0, 400);
}

async function fetched(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** The engine wheel named by our own lock, checked against the sha256 the lock pins. */
async function engineWheel(lockUrl, lock) {
  const entries = Object.values(lock.packages || {});
  if (entries.length !== 1) throw new Error(`the engine lock lists ${entries.length} packages, not 1`);
  const { file_name: fileName, sha256 } = entries[0];
  const integrity = `sha256-${btoa(String.fromCharCode(...sha256.match(/../g).map((hex) => parseInt(hex, 16))))}`;
  const response = await fetched(new URL(fileName, lockUrl).href, { integrity });
  return new Uint8Array(await response.arrayBuffer());
}

function snapshotKey(pyodideUrl, buildId) {
  return new URL(`engine-snapshot/${encodeURIComponent(buildId)}`, pyodideUrl).href;
}

/** The snapshot saved under ``key``, as stored (checked by savedSnapshot), or null. */
async function storedSnapshot(key) {
  const response = await (await caches.open(SNAPSHOTS)).match(key);
  return response ? { headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) } : null;
}

/** This build's saved snapshot: {bytes}, {problem} (one that must not be used, now deleted), or null. */
async function savedSnapshot(stored, key, buildId, pyodideVersion) {
  const response = await stored;
  if (!response) return null;
  if (response.problem) throw response.problem; // it could not be read: forgotten, and a fresh boot says why
  const madeBy = response.headers.get("x-engine-build");
  const madeWith = response.headers.get("x-pyodide-version");
  if (madeBy !== buildId || madeWith !== pyodideVersion) {
    await (await caches.open(SNAPSHOTS)).delete(key);
    return { problem: `the engine saved on this device was made by another build (${madeBy}, Pyodide ${madeWith})` };
  }
  return { bytes: response.bytes };
}

/** Save ``bytes`` as this build's snapshot, in place of any other build's. */
async function saveSnapshot(key, buildId, pyodideVersion, bytes) {
  const cache = await caches.open(SNAPSHOTS);
  for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
  await cache.put(key, new Response(bytes, { headers: { "content-type": "application/octet-stream",
    "x-engine-build": buildId, "x-pyodide-version": pyodideVersion } }));
}

async function forgetSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOTS)).delete(key);
  } catch {
    // Nothing saved, or no Cache Storage: nothing to forget.
  }
}

async function boot({ pyodideUrl, stdlibUrl, lockUrl, selfTestUrl, buildId, wasmFromPage, runtimeNow = true }) {
  self.postMessage({ type: "progress", stage: "runtime" });
  instantiateWithPageModule(wasmFromPage);
  if (runtimeNow) allowRuntime();
  // Pyodide's loader, the engine wheel (named by its lock), the self-test's cases and a snapshot saved before, read
  // side by side.
  const key = self.caches && buildId ? snapshotKey(pyodideUrl, buildId) : null;
  const stored = key ? storedSnapshot(key).catch((problem) => ({ problem })) : Promise.resolve(null);
  // A self-test file that cannot be fetched or read (not JSON, no list of cases) leaves the engine unchecked.
  const selfTest = fetched(selfTestUrl).then((response) => response.json()).then((read) => {
    if (!read || !Array.isArray(read.cases)) throw new Error("no list of cases");
    return { expected: read, unchecked: null };
  }).catch((problem) => ({ expected: null, unchecked: `the self-test file could not be read (${messageOf(problem)})` }));
  const [pyodideModule, { lock, wheel }, { expected, unchecked }] = await Promise.all([
    import(pyodideUrl + "pyodide.mjs"),
    fetched(lockUrl).then((response) => response.json())
      .then(async (read) => ({ lock: read, wheel: await engineWheel(lockUrl, read) })),
    selfTest,
  ]);
  const { version: pyodideVersion } = pyodideModule;
  // Pyodide's runtime (11 MB: its script, wasm and library) is downloaded once the page allows it (runtimeAllowed).
  const loadPyodide = async (settings) => {
    await runtimeAllowed;
    return pyodideModule.loadPyodide(settings);
  };
  const check = async (modules) => {
    if (!expected) return { ok: false, checked: 0, mismatches: [], problem: unchecked };
    const version = String(modules.engine.ENGINE_VERSION);
    if (expected.engine_version !== version) {
      return { ok: false, checked: 0, mismatches: [], problem: `the self-test file was made for engine ${expected.engine_version}` };
    }
    return checkCases(modules, expected);
  };
  const options = { loadPyodide, indexURL: pyodideUrl, stdLibURL: stdlibUrl, lock, wheel,
    stderr: (line) => console.warn(`engine worker: ${line}`) };
  // Snapshots only where there is Cache Storage, a build to key them by, and a self-test to check them with.
  const snapshots = Boolean(key && expected);
  let started = null;
  let verdict = null;
  let start = "fresh";
  let note = snapshots ? null : "no snapshot on this device (no Cache Storage, build id or self-test file)";
  if (snapshots) {
    try {
      const saved = await savedSnapshot(stored, key, buildId, pyodideVersion);
      if (saved && saved.problem) note = saved.problem;
      if (saved && saved.bytes) {
        started = await startEngine({ ...options, snapshot: saved.bytes });
        self.postMessage({ type: "progress", stage: "check" });
        verdict = await check(started.modules);
        if (!verdict.ok) throw new Error(`its self-test failed (${verdict.problem || verdict.mismatches.join(", ")})`);
        start = "snapshot";
      }
    } catch (problem) {
      note = `the engine saved on this device could not be used (${messageOf(problem)})`;
      console.warn(`engine worker: ${note}; starting afresh`);
      started = null;
      await forgetSnapshot(key);
    }
  }
  let snapshot = null; // the snapshot to take once "ready" is sent, if this start should save one
  if (!started) {
    self.postMessage({ type: "progress", stage: "runtime" });
    started = await startEngine({ ...options, makeSnapshot: snapshots });
    self.postMessage({ type: "progress", stage: "check" });
    verdict = await check(started.modules);
    if (snapshots && verdict.ok) {
      const { pyodide } = started;
      snapshot = () => {
        const unsaved = (problem) => console.warn(`engine worker: the snapshot could not be saved (${messageOf(problem)})`);
        try {
          saveSnapshot(key, buildId, pyodideVersion, pyodide.makeMemorySnapshot()).catch(unsaved);
        } catch (problem) {
          unsaved(problem); // the engine itself is ready and stays so; the next start boots afresh
        }
      };
    }
  }
  ({ engine, exports: exportsModule, json } = started.modules);
  const pythonVersion = started.modules.platform.python_version();
  const facts = { engine_version: String(engine.ENGINE_VERSION), python_version: String(pythonVersion),
    compiled_by: compiledBy, start, start_note: note, self_test: verdict };
  return { facts, snapshot };
}

function evaluate({ id, pathway, input_json }) {
  const text = engine.evaluate_json(String(pathway), String(input_json));
  self.postMessage({ type: "result", id, json: text });
}

function exportResult({ id, kind, result_json, stamp, title }) {
  const result = json.loads(String(result_json));
  try {
    let text;
    if (kind === "text") {
      text = exportsModule.summary_text(result, String(title || ""));
    } else if (kind === "ics") {
      text = exportsModule.calendar_ics(result, String(stamp), String(title || ""));
    } else {
      throw new Error(`unknown export kind ${JSON.stringify(kind)}`);
    }
    self.postMessage({ type: "exported", id, text: String(text) });
  } finally {
    if (result && typeof result.destroy === "function") result.destroy();
  }
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "ping") {
    self.postMessage({ type: "pong", id: message.id });
    return;
  }
  if (message.type === "runtime") {
    allowRuntime();
    return;
  }
  if (message.type === "wasm") {
    if (receiveCompiled) receiveCompiled(message.module instanceof WebAssembly.Module ? message.module : null);
    return;
  }
  if (message.type === "init") {
    if (booting) return;
    booting = boot(message);
    try {
      const { facts, snapshot } = await booting;
      if (settled) return;
      settled = true;
      self.postMessage({ type: "ready", ...facts });
      // The snapshot is taken in this same task, right after "ready" (the page need not wait for it): no message with
      // a patient's details can be handled before it, as every one waits for this task to end. Saved meanwhile.
      if (snapshot) snapshot();
    } catch (problem) {
      failBoot(problem);
    }
    return;
  }
  try {
    if (!booting) throw new Error("the engine has not been started");
    await booting;
    if (message.type === "evaluate") evaluate(message);
    else if (message.type === "export") exportResult(message);
    else throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
  } catch (problem) {
    self.postMessage({ type: "error", id: message.id, message: messageOf(problem) });
  }
});
