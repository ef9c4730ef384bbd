// The engine worker of this document, shared by every calculator view it shows (instant navigation
// keeps the document, so the worker outlives page changes). Loaded as a module on every page.
//
// When it starts: at once on a calculator page (its <head> carries <meta name="engine-start"
// content="now"> and loads this module early, before the theme's scripts); on other pages only once
// the browser is idle *and* a service worker controls the page, i.e. the runtime is already stored on
// the device. Then following a link to the calculator finds the engine ready, while a first visit
// (still downloading the site for offline use) never pays for Python on a page that does not need it.
//
// Why the page compiles the WebAssembly: Chromium keeps compiled code for wasm fetched by a page
// (its code cache), but a dedicated worker compiles the 9.6 MB pyodide.asm.wasm from scratch on every
// boot, which made the worker ~0.6 s slower than a main-thread boot. So the page compiles it with
// WebAssembly.compileStreaming (off the main thread; from the code cache after the first visit) and
// hands the compiled Module to the worker. Python itself only ever runs in the worker.
//
// A worker that dies (killed for memory, closed, or stuck in a loop) sends no event by itself, so once the
// engine is ready the client pings it every HEARTBEAT_MS: a ping still unanswered two beats later (at least
// 2 x HEARTBEAT_MS, far more than any evaluation takes) means the engine stopped answering, and the client
// fails, which rejects every pending request. Beats missed while the page was frozen (a background tab)
// do not count: only beats that found the page running do.
//
// See engine-worker.js for the message protocol.

const ROOT = new URL("../../", import.meta.url); // this file is assets/calculator/engine-client.js
const RUNTIME = {
  pyodide: new URL("pyodide/", ROOT).href,
  wasm: new URL("pyodide/pyodide.asm.wasm", ROOT).href,
  stdlib: new URL("pyodide/python_stdlib.compiled.zip", ROOT).href, // the build's compiled, trimmed library
  lock: new URL("engine/engine-lock.json", ROOT).href,
  selfTest: new URL("assets/answers/self-test.json", ROOT).href,
  worker: new URL("assets/calculator/engine-worker.js", ROOT).href,
};
const HEARTBEAT_MS = 2000;
// The longest a first visit holds back the runtime's download for the page's own first answer (see EngineClient).
const RUNTIME_WAIT_MS = 15000;

function buildId() {
  return document.querySelector('meta[name="guideline-build-id"]')?.content || "";
}

/** The page's compile of the runtime's wasm, or null where it cannot (the worker then fetches it). */
async function compileRuntime() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.compileStreaming !== "function") return null;
  try {
    return await WebAssembly.compileStreaming(fetch(RUNTIME.wasm));
  } catch (problem) {
    // E.g. a host serving .wasm without the application/wasm type: the worker's own fetch still works.
    console.warn(`engine: the page could not compile the runtime (${problem}); the worker will`);
    return null;
  }
}

/**
 * One engine worker and its state: "loading" (with a stage), "ready" (with facts) or "failed" (with a
 * reason). Views subscribe and are told the current state at once, then every change.
 */
export class EngineClient {
  /** compileOnPage: the page compiles the wasm (see above). Only where that pays: on a visit served by the
   * service worker, where Chromium's code cache can have the compiled code from before. On a first visit
   * there is no cached code to gain, only the page's main thread to lose (Lighthouse: 0.5-1 s of blocking
   * time under its 4x CPU throttling), and an engine started in the background on a text page must never
   * hold up the reader's page: then the worker fetches and compiles it, off the main thread. */
  /** runtimeNow: the worker downloads Pyodide's runtime at once. Else (a first visit, whose runtime comes over the
   * network) it waits until the page has loaded and has what its own first answer needs (firstAnswerReady(), called
   * by the calculator once its answer table is fetched or failed), or at most RUNTIME_WAIT_MS: on a slow link the
   * page's answer would otherwise share the link with 11 MB of runtime. A restarted engine (Retry) never waits. */
  constructor({ compileOnPage = Boolean(navigator.serviceWorker?.controller),
    runtimeNow = Boolean(navigator.serviceWorker?.controller) } = {}) {
    this.state = "loading";
    this.stage = "runtime";
    this.facts = null;
    this.reason = null;
    this.views = new Set();
    this.pending = new Map();
    this.nextId = 1;
    this.heartbeat = null;
    this.unanswered = null; // {id, beats}: the ping on its way, and how many beats found it unanswered
    this.startedAt = performance.now();
    document.documentElement.dataset.engineWorker = "loading";
    this.worker = new Worker(RUNTIME.worker, { type: "module" });
    this.worker.addEventListener("message", (event) => this.receive(event.data || {}));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail(event.message || "the engine worker could not be started");
    });
    this.worker.addEventListener("messageerror", () => this.fail("the engine worker sent an unreadable message"));
    this.worker.postMessage({
      type: "init", pyodideUrl: RUNTIME.pyodide, stdlibUrl: RUNTIME.stdlib, lockUrl: RUNTIME.lock,
      selfTestUrl: RUNTIME.selfTest, buildId: buildId(), wasmFromPage: compileOnPage, runtimeNow,
    });
    if (compileOnPage) compileRuntime().then((module) => this.worker.postMessage({ type: "wasm", module }));
    this.runtimeSent = runtimeNow;
    if (!runtimeNow) {
      const loaded = document.readyState === "complete" ? Promise.resolve()
        : new Promise((resolve) => window.addEventListener("load", () => resolve(undefined), { once: true }));
      const answerReady = new Promise((resolve) => {
        this.answerReady = () => resolve(undefined);
      });
      Promise.all([loaded, answerReady]).then(() => this.sendRuntime());
      setTimeout(() => this.sendRuntime(), RUNTIME_WAIT_MS);
    }
  }

  /** The page has what its first answer needs (the calculator's answer table, fetched or not to be had). */
  firstAnswerReady() {
    if (this.answerReady) this.answerReady();
  }

  sendRuntime() {
    if (this.runtimeSent || this.state === "failed") return;
    this.runtimeSent = true;
    this.worker.postMessage({ type: "runtime" });
  }

  /** handlers: {progress(stage), ready(facts), failed(reason)}; returns a function that unsubscribes. */
  subscribe(handlers) {
    this.views.add(handlers);
    if (this.state === "ready") handlers.ready(this.facts);
    else if (this.state === "failed") handlers.failed(this.reason);
    else handlers.progress(this.stage);
    return () => this.views.delete(handlers);
  }

  tell(kind, value) {
    // The worker's own state, for scripts and tests; <html data-engine> is the calculator's (calculator.js).
    document.documentElement.dataset.engineWorker = this.state;
    for (const view of [...this.views]) view[kind](value);
  }

  request(message) {
    if (this.state === "failed") return Promise.reject(new Error(this.reason));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  receive(message) {
    if (message.type === "progress") {
      this.stage = message.stage;
      this.tell("progress", message.stage);
    } else if (message.type === "ready") {
      this.state = "ready";
      this.facts = { ...message, boot_ms: Math.round(performance.now() - this.startedAt) };
      this.startHeartbeat();
      this.tell("ready", this.facts);
    } else if (message.type === "pong") {
      if (this.unanswered && this.unanswered.id === message.id) this.unanswered = null;
    } else if (message.type === "failed") {
      this.fail(message.message);
    } else if (this.pending.has(message.id)) {
      const { resolve, reject } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === "error") reject(new Error(message.message));
      else resolve(message);
    }
  }

  startHeartbeat() {
    let last = performance.now();
    this.heartbeat = setInterval(() => {
      const now = performance.now();
      // A beat long after the previous one: the page itself was frozen or throttled, not the worker.
      const late = now - last > 3 * HEARTBEAT_MS;
      last = now;
      if (this.unanswered) {
        if (!late) this.unanswered.beats += 1;
        if (this.unanswered.beats >= 2) this.fail("the engine stopped answering (its worker ended or hung)");
        return;
      }
      const id = `ping-${this.nextId++}`;
      this.unanswered = { id, beats: 0 };
      this.worker.postMessage({ type: "ping", id });
    }, HEARTBEAT_MS);
  }

  fail(reason) {
    if (this.state === "failed") return;
    clearInterval(this.heartbeat);
    this.state = "failed";
    this.reason = reason;
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.worker.terminate();
    this.tell("failed", reason);
  }
}

let shared = null;

/** This document's engine, started on first use (options: see EngineClient). */
export function engine(options) {
  shared ||= new EngineClient(options);
  return shared;
}

function startWhenIdle() {
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 1000));
  const start = () => {
    if (shared || !navigator.serviceWorker?.controller || navigator.connection?.saveData) return;
    idle(() => engine({ compileOnPage: false }), { timeout: 5000 });
  };
  const afterLoad = () => {
    start();
    // On the first visit the runtime is still being stored; once the service worker takes over it is local.
    navigator.serviceWorker?.addEventListener("controllerchange", start);
  };
  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad, { once: true });
}

if (document.querySelector('meta[name="engine-start"]')?.content === "now") engine();
else startWhenIdle();

/**
 * Resolves once the engine this page started at once (a calculator page) is ready or has failed, or after
 * ``atMostMs``; at once on a page that did not start one. What waits for it: storing the site for offline use on
 * a first visit, which downloads the same runtime again and, on a phone's link or two cores, would compete with
 * the engine for both.
 * @param {number} atMostMs
 * @returns {Promise<void>}
 */
export function engineStarted(atMostMs) {
  if (!shared) return Promise.resolve();
  const client = shared;
  return new Promise((resolve) => {
    const timer = setTimeout(done, atMostMs);
    const unsubscribe = client.subscribe({ progress() {}, ready: done, failed: done });
    function done() {
      clearTimeout(timer);
      // subscribe() may call back before it has returned its unsubscribe
      queueMicrotask(() => unsubscribe());
      resolve();
    }
  });
}

/** A fresh engine in place of the current one (a Retry after a failure); views must subscribe again. */
export function restartEngine() {
  if (shared) shared.fail("the engine was restarted");
  shared = new EngineClient({ runtimeNow: true });
  return shared;
}
