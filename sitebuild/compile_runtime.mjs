// The build's compile step, run by Pyodide's own interpreter under Node (sitebuild/compiled_runtime.py calls it).
//
// 1. Boots npm's Pyodide exactly as the page's worker does (site_templates/assets/engine-boot.js), from the full
//    standard library and the engine's source wheel, and runs everything the worker runs: every case of the
//    self-test, both exports of every answer, inputs the engine refuses, and a Python error crossing into JavaScript.
// 2. Reads which standard-library modules that imported (sys.modules): the trimmed library is exactly those.
// 3. Compiles them and the engine's modules to hash-based .pyc with this interpreter (its magic number), and packs
//    the trimmed library zip and the compiled wheel reproducibly (sitebuild/compile_in_pyodide.py).
//
// Usage: node sitebuild/compile_runtime.mjs < request.json
//   request: {pyodide: folder, engineBoot: path of engine-boot.js as .mjs, lock: engine lock path, wheel: path,
//             selfTest: path of the self-test file, python: path of compile_in_pyodide.py, out: folder}
//   stdout:  JSON {stdlib: file name, wheel: file name, modules: [traced module names], python: version}
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

function fail(message) {
  process.stderr.write(`compile_runtime: ${message}\n`);
  process.exit(1);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** Everything the page's worker asks of the engine, so that every module it needs is imported now. */
function exercise(modules, expected) {
  const { engine, exports, json, selfTest, platform } = modules;
  platform.python_version();
  String(engine.ENGINE_VERSION);
  const pathways = new Set();
  for (const { pathway, input_json, sha256 } of expected.cases) {
    pathways.add(pathway);
    selfTest.matches(pathway, input_json, sha256);
    const result = json.loads(engine.evaluate_json(pathway, input_json));
    try {
      exports.summary_text(result, "Title");
      exports.calendar_ics(result, "2026-01-02T03:04:05.000Z", "Title");
    } catch {
      // A refused input has no summary and an answer without a schedule no calendar: the page never asks
      // for them, but their error paths are traced too.
    }
    result.destroy();
  }
  for (const pathway of [...pathways, "no-such-pathway"]) {
    for (const text of ["{not json", "[1, 2", '{"x": NaN}', "null", '"text"', "{}"]) engine.evaluate_json(pathway, text);
  }
  try {
    exports.calendar_ics(json.loads("{}"), "not a time", "");
  } catch {
    // A Python error formatted for JavaScript (traceback, linecache): the worker reports such errors.
  }
}

async function main() {
  const request = await readStdin();
  const { loadPyodide } = await import(pathToFileURL(path.join(request.pyodide, "pyodide.mjs")).href);
  const { startEngine } = await import(pathToFileURL(request.engineBoot).href);
  const lock = JSON.parse(await readFile(request.lock, "utf8"));
  const wheel = new Uint8Array(await readFile(request.wheel));
  const expected = JSON.parse(await readFile(request.selfTest, "utf8"));
  const log = (line) => process.stderr.write(`${line}\n`);
  const { pyodide, modules } = await startEngine({
    loadPyodide, indexURL: request.pyodide + "/", stdLibURL: path.join(request.pyodide, "python_stdlib.zip"), lock,
    wheel, makeSnapshot: true, stdout: log, stderr: log,
  });
  exercise(modules, expected);
  const tool = pyodide.toPy({});
  pyodide.runPython(await readFile(request.python, "utf8"), { globals: tool });
  // Read what was imported before the compile tool imports anything more.
  const traced = tool.get("traced_modules")();
  const sourceWheel = `/source/${path.basename(request.wheel)}`;
  pyodide.FS.mkdirTree("/source");
  pyodide.FS.writeFile(sourceWheel, wheel);
  const made = tool.get("compile_runtime")(traced, sourceWheel, "/compiled").toJs();
  for (const name of [made.stdlib, made.wheel]) {
    await writeFile(path.join(request.out, name), pyodide.FS.readFile(`/compiled/${name}`));
  }
  process.stdout.write(JSON.stringify({ stdlib: made.stdlib, wheel: made.wheel,
    modules: traced.toJs().map((pair) => pair[0]), python: made.python }) + "\n");
}

process.on("unhandledRejection", (problem) => fail(problem?.stack ?? String(problem)));
main().catch((problem) => fail(problem?.stack ?? String(problem)));
