// Pyodide under Node with the engine installed from its wheel through our own lock file, the way the site's
// worker boots it: what the Node runners of tests/pyodide share.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

/**
 * Boot Pyodide from the npm package with the lock file at ``lockPath`` (an absolute plain path: Pyodide takes
 * everything up to its last "/" as the packages' base URL) and install its package ``key``. Python's output and
 * Pyodide's loading messages go to stderr, away from the JSON a runner writes on stdout.
 */
export function loadEngine(lockPath, key) {
  const toStderr = (line) => process.stderr.write(`${line}\n`);
  return loadPyodide({
    indexURL: path.dirname(fileURLToPath(import.meta.resolve("pyodide"))),
    lockFileURL: lockPath,
    packages: [key],
    stdout: toStderr,
    stderr: toStderr,
  });
}
