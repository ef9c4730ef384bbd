// Run the engine inside real Pyodide as the browser's worker runs it: the build's compiled, trimmed standard
// library (stdLibURL), the compiled engine wheel named by our own lock (unpacked into site-packages), started by the
// page's own start-up module (site_templates/assets/engine-boot.js), afresh or from a memory snapshot.
//
// Usage: node tests/pyodide/evaluate_in_pyodide.mjs <lock> <stdlib zip> <engine-boot.mjs> < request.json
//   request: {evaluate: [{pathway, input_json}], exports: [{result_json, stamp, title}],
//             selfTest: the self-test file's JSON or null, raise: true to report a Python error's message,
//             makeSnapshot: path to write a snapshot to, loadSnapshot: path of a snapshot to start from,
//             growHeapMb: grow the heap by this much (then free it) before the snapshot}
//   stdout:  {evaluated: [str], exported: [{text, ics} | {error}], selfTest: verdict | null, raised: str | null,
//             bootMs, snapshotBytes: int | null}
//   stderr:  Python output, one timing line, and the reason for any non-zero exit.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadPyodide } from "pyodide";

function fail(message) {
  process.stderr.write(`evaluate_in_pyodide: ${message}\n`);
  process.exit(1);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (e) {
    return fail(`stdin is not valid JSON: ${e.message}`);
  }
}

/** The lock's one wheel, checked against its sha256 (the browser checks it with fetch's integrity). */
async function readWheel(lockPath, lock) {
  const entries = Object.values(lock?.packages ?? {});
  if (entries.length !== 1) fail(`${lockPath}: expected exactly one package, found ${entries.length}`);
  const wheelPath = path.resolve(path.dirname(lockPath), entries[0].file_name);
  const wheel = await readFile(wheelPath);
  const digest = createHash("sha256").update(wheel).digest("hex");
  if (digest !== entries[0].sha256) fail(`sha256 mismatch for ${wheelPath}: lock says ${entries[0].sha256}, file is ${digest}`);
  return new Uint8Array(wheel);
}

function exportOne(modules, { result_json, stamp, title }) {
  const result = modules.json.loads(result_json);
  try {
    const out = { text: String(modules.exports.summary_text(result, title)) };
    try {
      out.ics = String(modules.exports.calendar_ics(result, stamp, title));
    } catch (e) {
      out.ics = null;
      out.icsError = String(e.message).trim().split("\n").pop();
    }
    return out;
  } catch (e) {
    return { error: String(e.message).trim().split("\n").pop() };
  } finally {
    result.destroy();
  }
}

async function main() {
  if (process.argv.length !== 5) fail("usage: node evaluate_in_pyodide.mjs <lock> <stdlib zip> <engine-boot.mjs>");
  const [lockPath, stdlibPath, bootPath] = process.argv.slice(2).map((arg) => path.resolve(arg));
  const lock = JSON.parse(await readFile(lockPath, "utf8"));
  const wheel = await readWheel(lockPath, lock);
  const { startEngine, checkCases } = await import(pathToFileURL(bootPath).href);
  const request = await readStdin();
  const toStderr = (line) => process.stderr.write(`${line}\n`);
  const snapshot = request.loadSnapshot ? new Uint8Array(await readFile(request.loadSnapshot)) : null;

  const bootStart = performance.now();
  const { pyodide, modules } = await startEngine({
    loadPyodide, indexURL: path.dirname(fileURLToPath(import.meta.resolve("pyodide"))) + "/", stdLibURL: stdlibPath,
    lock, wheel, snapshot, makeSnapshot: Boolean(request.makeSnapshot), stdout: toStderr, stderr: toStderr,
  });
  const bootMs = performance.now() - bootStart;
  const out = { evaluated: [], exported: [], selfTest: null, raised: null, bootMs, snapshotBytes: null };
  if (request.selfTest) out.selfTest = await checkCases(modules, request.selfTest);
  if (request.makeSnapshot) {
    // A heap that grew past its initial size before the snapshot (pyodide#6254): freed, but the memory stays.
    if (request.growHeapMb) pyodide.runPython(`bytearray(${Number(request.growHeapMb)} * 1024 * 1024); None`);
    const bytes = pyodide.makeMemorySnapshot();
    await writeFile(request.makeSnapshot, bytes);
    out.snapshotBytes = bytes.byteLength;
  }
  const evalStart = performance.now();
  for (const [i, { pathway, input_json }] of (request.evaluate ?? []).entries()) {
    let text;
    try {
      // Arguments cross as JS strings -> Python str; no Python source is built from input.
      text = modules.engine.evaluate_json(String(pathway), String(input_json));
    } catch (e) {
      fail(`request ${i} (pathway ${JSON.stringify(pathway)}) raised in Python:\n${e.message}`);
    }
    if (typeof text !== "string") fail(`request ${i}: evaluate_json returned ${text?.type ?? typeof text}, expected str`);
    out.evaluated.push(text);
  }
  const evalMs = performance.now() - evalStart;
  out.exported = (request.exports ?? []).map((one) => exportOne(modules, one));
  if (request.raise) {
    try {
      modules.exports.to_utc_stamp("2026-01-02T03:04:05"); // no time zone: the engine refuses it
    } catch (e) {
      out.raised = String(e.message);
    }
  }
  process.stderr.write(`evaluate_in_pyodide: boot ${bootMs.toFixed(0)} ms, evaluation ${evalMs.toFixed(1)} ms for ` +
    `${out.evaluated.length} request(s)\n`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// Some boot failures (e.g. a lock whose info.abi_version is not this runtime's) reject a
// promise inside Pyodide that loadPyodide never awaits, so catch those here too.
process.on("unhandledRejection", (e) => fail(`Pyodide failed: ${e?.message ?? e}`));
main().catch((e) => fail(e?.stack ?? String(e)));
