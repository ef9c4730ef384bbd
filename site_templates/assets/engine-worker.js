// @ts-check
// The decision engine in a module Web Worker: Pyodide boots here so the page never waits for Python.
//
// Protocol (JSON-safe values only; the page keeps pending requests by id):
//   page -> worker  {type: "init", pyodideUrl, lockUrl, packageName, wasmFromPage}
//                   {type: "wasm", module: WebAssembly.Module | null}   (only if wasmFromPage)
//                   {type: "evaluate", id, pathway, input_json}
//                   {type: "export", id, kind: "text" | "ics", result_json, stamp, title}
//                   {type: "self_test", id, url}  (engine/self_test.py: the build's answers checked here)
//                   {type: "ping", id}          (the page's heartbeat once ready: see engine-client.js)
//   worker -> page  {type: "progress", stage: "runtime" | "engine"}
//                   {type: "ready", engine_version, python_version, compiled_by: "page" | "worker"}
//                   {type: "failed", message}
//                   {type: "result", id, json} | {type: "exported", id, text} | {type: "error", id, message}
//                   {type: "checked", id, ok, checked, mismatches, problem}
//                   {type: "pong", id}
// Inputs cross into Python as strings and results come back as strings: no Python source is ever
// built from what the user typed.

let engine = null;
let exportsModule = null;
let json = null;
let selfTest = null;
let booting = null;
let compiledByPage = null; // resolves to the page's compiled runtime Module, or null (fetch it here)
let receiveCompiled = null;
let compiledBy = "worker"; // reported with "ready": who compiled the runtime's wasm
let settled = false; // boot has answered "ready" or "failed"

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

async function boot({ pyodideUrl, lockUrl, packageName, wasmFromPage }) {
  self.postMessage({ type: "progress", stage: "runtime" });
  instantiateWithPageModule(wasmFromPage);
  const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
  // The engine wheel is fetched during boot from our own lock file, which also pins its sha256.
  const pyodide = await loadPyodide({
    indexURL: pyodideUrl,
    lockFileURL: lockUrl,
    packages: [packageName],
    stdout: () => {},
    stderr: (line) => console.warn(`engine worker: ${line}`),
  });
  self.postMessage({ type: "progress", stage: "engine" });
  // A package that fails to install during boot is only logged; loadPyodide still resolves.
  if (!(packageName in pyodide.loadedPackages)) {
    throw new Error(`the decision engine package ${packageName} was not installed (see the browser console)`);
  }
  engine = pyodide.pyimport("engine");
  exportsModule = pyodide.pyimport("engine.exports");
  json = pyodide.pyimport("json");
  selfTest = pyodide.pyimport("engine.self_test");
  const pythonVersion = pyodide.pyimport("platform").python_version();
  return { engine_version: String(engine.ENGINE_VERSION), python_version: String(pythonVersion), compiled_by: compiledBy };
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

// The self-test file's cases, evaluated one by one with a pause between them, so that the page's heartbeat is
// answered meanwhile; ``problem``: the file could not be had or read (nothing was compared).
async function checkHere({ id, url, engineVersion }) {
  const verdict = { type: "checked", id, ok: false, checked: 0, mismatches: [], problem: null };
  let expected;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    expected = await response.json();
    if (expected.engine_version !== engineVersion) throw new Error(`made for engine ${expected.engine_version}`);
    if (!Array.isArray(expected.cases)) throw new Error("no list of cases");
  } catch (problem) {
    verdict.problem = `the self-test file could not be read (${messageOf(problem)})`;
    self.postMessage(verdict);
    return;
  }
  for (const { id: caseId, pathway, input_json, sha256 } of expected.cases) {
    if (!selfTest.matches(String(pathway), String(input_json), String(sha256))) verdict.mismatches.push(caseId);
    verdict.checked += 1;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  verdict.ok = verdict.mismatches.length === 0;
  self.postMessage(verdict);
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "ping") {
    self.postMessage({ type: "pong", id: message.id });
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
      const facts = await booting;
      if (settled) return;
      settled = true;
      self.postMessage({ type: "ready", ...facts });
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
    else if (message.type === "self_test") await checkHere(message);
    else throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
  } catch (problem) {
    self.postMessage({ type: "error", id: message.id, message: messageOf(problem) });
  }
});
