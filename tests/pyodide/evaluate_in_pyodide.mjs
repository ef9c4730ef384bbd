// Run engine.evaluate_json inside real Pyodide, with the engine installed from its wheel
// through our own lock file, the way the browser site boots it.
//
// Usage: node tests/pyodide/evaluate_in_pyodide.mjs <lock-file-path> < requests.json
//   stdin:  [{"pathway": str, "input_json": str}, ...]
//   stdout: JSON array of the strings evaluate_json returned, in order (nothing else).
//   stderr: Python output, one timing line, and the reason for any non-zero exit.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadEngine } from "./load_engine.mjs";

function fail(message) {
  process.stderr.write(`evaluate_in_pyodide: ${message}\n`);
  process.exit(1);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function readLock(lockPath) {
  let lock;
  try {
    lock = JSON.parse(await readFile(lockPath, "utf8"));
  } catch (e) {
    fail(`cannot read lock file ${lockPath}: ${e.message}`);
  }
  const entries = Object.entries(lock?.packages ?? {});
  if (entries.length !== 1) {
    fail(`${lockPath}: expected exactly one package in "packages", found ${entries.length}`);
  }
  const [key, entry] = entries[0];
  // Browsers enforce sha256 via fetch's subresource integrity, but Pyodide under Node
  // ignores the hash (node_getBinaryResponse), so check it here to fail as the site would.
  // This also keeps Node's fallback of fetching a missing wheel from the CDN from running.
  const wheelPath = path.resolve(path.dirname(lockPath), entry.file_name);
  let wheel;
  try {
    wheel = await readFile(wheelPath);
  } catch (e) {
    fail(`cannot read wheel ${wheelPath} named by ${lockPath}: ${e.message}`);
  }
  const digest = createHash("sha256").update(wheel).digest("hex");
  if (digest !== entry.sha256) {
    fail(`sha256 mismatch for ${wheelPath}: lock says ${entry.sha256}, file is ${digest}`);
  }
  return { key, entry, wheelPath };
}

function parseRequests(text) {
  let requests;
  try {
    requests = JSON.parse(text);
  } catch (e) {
    fail(`stdin is not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(requests)) fail("stdin must be a JSON array of requests");
  requests.forEach((r, i) => {
    if (typeof r?.pathway !== "string" || typeof r?.input_json !== "string") {
      fail(`request ${i} needs string fields "pathway" and "input_json"`);
    }
  });
  return requests;
}

async function main() {
  if (process.argv.length !== 3) {
    fail("usage: node evaluate_in_pyodide.mjs <lock-file-path> < requests.json");
  }
  // Under Node, Pyodide reads lockFileURL with fs.readFile (a file:// URL is not found) and
  // takes everything up to its last "/" as packageBaseUrl, so pass an absolute plain path.
  const lockPath = path.resolve(process.argv[2]);
  const { key, entry, wheelPath } = await readLock(lockPath);
  const requests = parseRequests(await readStdin());

  const bootStart = performance.now();
  const pyodide = await loadEngine(lockPath, key);
  // A package that fails to install during boot is only logged; loadPyodide still resolves.
  if (!(entry.name in pyodide.loadedPackages || key in pyodide.loadedPackages)) {
    fail(`package ${key} was not installed from ${wheelPath} (see messages above)`);
  }
  let evaluate;
  try {
    evaluate = pyodide.pyimport("engine").evaluate_json;
  } catch (e) {
    fail(`cannot get engine.evaluate_json after installing ${key}:\n${e.message}`);
  }
  const bootMs = performance.now() - bootStart;

  const evalStart = performance.now();
  const results = requests.map(({ pathway, input_json }, i) => {
    let out;
    try {
      // Arguments cross as JS strings -> Python str; no Python source is built from input.
      out = evaluate(pathway, input_json);
    } catch (e) {
      fail(`request ${i} (pathway ${JSON.stringify(pathway)}) raised in Python:\n${e.message}`);
    }
    if (typeof out !== "string") {
      fail(`request ${i}: evaluate_json returned ${out?.type ?? typeof out}, expected str`);
    }
    return out;
  });
  const evalMs = performance.now() - evalStart;

  process.stderr.write(
    `evaluate_in_pyodide: boot ${bootMs.toFixed(0)} ms, ` +
      `evaluation ${evalMs.toFixed(1)} ms for ${requests.length} request(s)\n`,
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

// Some boot failures (e.g. a lock whose info.abi_version is not this runtime's) reject a
// promise inside Pyodide that loadPyodide never awaits, so catch those here too.
process.on("unhandledRejection", (e) => fail(`Pyodide failed: ${e?.message ?? e}`));
main().catch((e) => fail(e?.stack ?? String(e)));
