// Starting the engine's Python: one implementation for the page's worker (engine-worker.js), the build's compile
// step (sitebuild/compile_runtime.mjs) and the tests under Node, so that what the build traces and the tests check
// is how the browser boots.
//
// The runtime is Pyodide's interpreter with the standard library the build compiled and trimmed (stdLibURL), and the
// engine's compiled wheel unpacked into site-packages (unpackArchive: no package manager, nothing else fetched). A
// start either boots afresh or restores a memory snapshot of an engine that booted and passed its self-test before.
//
// Pyodide's snapshot API is private (314: loadPyodide({_makeSnapshot}), makeMemorySnapshot(), loadPyodide({_loadSnapshot})).
// Its constraints, kept here: the same Pyodide build (Pyodide checks its build id), the same standard library zip
// byte for byte (the snapshot holds zipimport's index of it), no package loaded through the package manager before
// the snapshot, and a heap restored into a memory at least as large (pyodide#6254: Pyodide sizes the restored
// memory with INITIAL_MEMORY, which its wasm ignores, so a snapshot of a heap that grew fails; growMemoryFor).

/** The modules the worker calls, imported at boot (so that a snapshot holds them). */
export const ENGINE_MODULES = { engine: "engine", exports: "engine.exports", json: "json", selfTest: "engine.self_test",
  platform: "platform" };

/** The bytes of a snapshot's heap need a memory at least this many bytes long. */
function snapshotBytes(snapshot) {
  return snapshot ? snapshot.byteLength : 0;
}

/**
 * While ``start`` runs, every wasm instance created gets its memory grown to hold ``snapshot`` before the runtime
 * sees it (Emscripten reads the memory's size when it receives the instance).
 */
async function growMemoryFor(snapshot, start) {
  const needed = snapshotBytes(snapshot);
  if (!needed) return start();
  const grow = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    const memory = instance && instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) {
      const pages = Math.ceil(needed / 65536) - memory.buffer.byteLength / 65536;
      if (pages > 0) memory.grow(pages);
    }
    return result;
  };
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiate = async (...args) => grow(await instantiate.apply(WebAssembly, args));
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = async (...args) => grow(await instantiateStreaming.apply(WebAssembly, args));
  }
  try {
    return await start();
  } finally {
    WebAssembly.instantiate = instantiate;
    if (instantiateStreaming) WebAssembly.instantiateStreaming = instantiateStreaming;
  }
}

/**
 * Start Python and the engine. ``loadPyodide``: Pyodide's; ``indexURL``: its folder; ``stdLibURL``: the standard
 * library zip; ``lock``: the engine's lock (its ``info`` is the runtime's; passed so that Pyodide fetches no lock of
 * its own); ``wheel``: the engine wheel's bytes; ``snapshot``: a snapshot's bytes to restore, or null to boot afresh;
 * ``makeSnapshot``: boot so that makeMemorySnapshot() can be called later. Resolves to {pyodide, modules}.
 */
export async function startEngine({ loadPyodide, indexURL, stdLibURL, lock, wheel, snapshot = null, makeSnapshot = false,
  stdout = () => {}, stderr = () => {} }) {
  const options = { indexURL, stdLibURL, lockFileContents: lock, stdout, stderr };
  if (snapshot) options._loadSnapshot = snapshot;
  else if (makeSnapshot) options._makeSnapshot = true;
  const pyodide = await growMemoryFor(snapshot, () => loadPyodide(options));
  // The snapshot's interpreter has the engine imported already, but the files under site-packages live outside its
  // heap: unpack them again so that the file system agrees with what the interpreter remembers.
  const sitePackages = pyodide.pyimport("site").getsitepackages().toJs()[0];
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  const modules = {};
  for (const [name, module] of Object.entries(ENGINE_MODULES)) modules[name] = pyodide.pyimport(module);
  return { pyodide, modules };
}

/** The self-test's cases (engine/self_test.py), each checked by ``matches``; ``pause()`` runs between cases. */
export async function checkCases(modules, expected, pause = async () => {}) {
  const verdict = { ok: false, checked: 0, mismatches: [], problem: null };
  for (const { id, pathway, input_json, sha256 } of expected.cases) {
    if (!modules.selfTest.matches(String(pathway), String(input_json), String(sha256))) verdict.mismatches.push(id);
    verdict.checked += 1;
    await pause();
  }
  verdict.ok = verdict.checked > 0 && verdict.mismatches.length === 0;
  return verdict;
}
