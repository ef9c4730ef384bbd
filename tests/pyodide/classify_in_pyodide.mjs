// The answer table read two ways in one Node process: by the page's classifier (site_templates/assets/
// answer-table.js) and by the engine's own lookup (engine.answers.lookup) inside real Pyodide, the engine
// installed from its wheel as the browser worker installs it.
//
// Usage: node tests/pyodide/classify_in_pyodide.mjs <lock-file-path> <answer-table.js> < request.json
//   stdin:  {"tables": {pathway: table}, "pathways": {pathway: descriptor}, "cases": [{"pathway", "inputs"}]}
//   stdout: {"page": [answer | null], "pyodide": [answer | null]}, one per case, in order.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFile } from "node:fs/promises";
import { loadEngine } from "./load_engine.mjs";

function fail(message) {
  process.stderr.write(`classify_in_pyodide: ${message}\n`);
  process.exit(1);
}

// Python source fixed here (never built from the input): the inputs cross as JSON text.
const ENGINE_LOOKUP = `
import json
import engine
from engine.answers import lookup
from engine.pathways import PATHWAYS
from engine.rule_groups import input_space

def engine_lookup(pathway_id, table_json, inputs_json):
    result = engine.evaluate(pathway_id, json.loads(inputs_json))
    if not result["ok"]:
        return "null"
    return json.dumps(lookup(json.loads(table_json), input_space(PATHWAYS[pathway_id]), result["inputs"]))

engine_lookup
`;

async function main() {
  if (process.argv.length !== 4) fail("usage: node classify_in_pyodide.mjs <lock-file-path> <answer-table.js>");
  const lockPath = path.resolve(process.argv[2]);
  const lock = JSON.parse(await readFile(lockPath, "utf8"));
  const [key] = Object.keys(lock.packages);
  const { lookup } = await import(pathToFileURL(path.resolve(process.argv[3])).href);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { tables, pathways, cases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));

  const pyodide = await loadEngine(lockPath, key);
  const engineLookup = pyodide.runPython(ENGINE_LOOKUP);
  const tableText = Object.fromEntries(Object.entries(tables).map(([id, table]) => [id, JSON.stringify(table)]));
  const page = cases.map(({ pathway, inputs }) => lookup(tables[pathway], pathways[pathway], inputs));
  const inPyodide = cases.map(({ pathway, inputs }) =>
    JSON.parse(engineLookup(pathway, tableText[pathway], JSON.stringify(inputs))));
  process.stdout.write(`${JSON.stringify({ page, pyodide: inPyodide })}\n`);
}

process.on("unhandledRejection", (e) => fail(`Pyodide failed: ${e?.message ?? e}`));
main().catch((e) => fail(e?.stack ?? String(e)));
