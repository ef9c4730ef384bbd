// @ts-check
// Offline use on every page, the DOM and service-worker edge of offline-state.js: registers the site's service
// worker (sw.js at the site root), turns what it says into events for the reducer, and renders the state into
//   #offline-status  data-state (saving, ready, restoring, missing, unsupported), data-reason, data-persisted;
//   #update-prompt   shown when a newer build has been stored and waits; its Reload button lets it take over,
//                    and the page reloads once it has.
// A page never runs on files of another build: if the worker controlling it belongs to a different build, the
// page reloads once (reload-once.js) to get the page of that build. Instant navigation replaces the footer with
// the next page's: site.js renders the state again on every page the theme shows.

import { firstReloadFor } from "./reload-once.js";
import { countsAsProgress, initialOffline, isReady, offlineReducer, offlineView } from "./offline-state.js";

/** @typedef {import("./offline-state.js").OfflineEvent} OfflineEvent */

// This file is assets/calculator/offline.js: the site root is two folders up, also under a sub-path.
const ROOT = new URL("../../", import.meta.url);
// Remembers, for this tab only, which build a mismatch reload went to: at most one reload per build.
const RELOADED_FOR = "guideline-reloaded-for-build";
// Remembered on the device: Firefox asks the user, so the question is put once, not on every visit.
const PERSIST_ASKED = "guideline-persistent-storage-asked";

const pageBuild = document.querySelector('meta[name="guideline-build-id"]')?.getAttribute("content") || "";
let state = initialOffline(pageBuild);
/** @type {ServiceWorkerRegistration | null} */
let registration = null;

/** @param {OfflineEvent} event */
function dispatch(event) {
  state = offlineReducer(state, event);
  renderOffline();
}

/**
 * iOS or iPadOS outside the home-screen app. iPadOS reports a Mac user agent, so a "Mac" with a touch screen
 * counts too; navigator.standalone (Safari) or display-mode standalone mean installed.
 */
function onAppleMobileBrowser() {
  const agent = navigator.userAgent || "";
  const apple = /\b(iPhone|iPad|iPod)\b/.test(agent) || (/\bMacintosh\b/.test(agent) && navigator.maxTouchPoints > 1);
  if (!apple) return false;
  const installed = /** @type {any} */ (navigator).standalone === true
    || (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches);
  return !installed;
}

/** The state on the footer of the page shown now (site.js calls it again after every instant navigation). */
export function renderOffline() {
  const view = offlineView(state, { appleMobile: onAppleMobileBrowser() });
  const status = document.getElementById("offline-status");
  if (status && view.status) {
    status.dataset.state = view.status.state;
    status.textContent = view.status.text;
    if (view.status.reason) status.dataset.reason = view.status.reason;
    else delete status.dataset.reason;
    if (view.persisted) status.dataset.persisted = view.persisted;
  }
  const prompt = document.getElementById("update-prompt");
  if (prompt && view.updatePrompt) prompt.hidden = false;
}

/** Once the site is stored: ask the browser to keep it (not evict it under storage pressure); show the answer. */
async function askToPersist() {
  if (state.persisted) return;
  const storage = navigator.storage;
  if (!storage || typeof storage.persist !== "function" || typeof storage.persisted !== "function") {
    dispatch({ type: "persisted", answer: "unsupported" });
    return;
  }
  dispatch({ type: "persisted", answer: "asking" });
  try {
    let granted = await storage.persisted();
    let asked = null;
    try {
      asked = localStorage.getItem(PERSIST_ASKED);
    } catch {
      // No local storage: ask anyway.
    }
    if (!granted && asked !== pageBuild) {
      try {
        localStorage.setItem(PERSIST_ASKED, pageBuild || "yes");
      } catch {
        // As above.
      }
      granted = await storage.persist(); // Firefox asks the user; Chromium and Safari decide by themselves
    }
    dispatch({ type: "persisted", answer: granted ? "granted" : "denied" });
  } catch {
    dispatch({ type: "persisted", answer: "unsupported" });
  }
}

function reload() {
  if (state.reloading) return;
  dispatch({ type: "reloading" });
  window.location.reload();
}

/**
 * Ask a worker for its build and whether its cache is complete (repair: store missing files again).
 * @param {ServiceWorker} worker @param {boolean} [repair]
 * @returns {Promise<import("./offline-state.js").WorkerMessage>}
 */
function ask(worker, repair = false) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data || {});
    worker.postMessage({ type: "status", repair }, [channel.port2]);
  });
}

async function refresh() {
  if (!registration) return;
  const { active, installing, waiting } = registration;
  if (active) {
    // Asked on every load (and when the page is shown again): the browser may have evicted stored files since;
    // the worker then stores them again (repair).
    dispatch({ type: "checking" });
    const answer = await ask(active, true);
    dispatch({ type: "checked", answer });
    if (answer.build_id === pageBuild && answer.ready) askToPersist();
  }
  dispatch({ type: "workers", installing: Boolean(installing), waiting: Boolean(waiting) });
  await checkController();
}

/** The controlling worker must be of this page's build; otherwise reload once to get its page. */
async function checkController() {
  const controller = navigator.serviceWorker.controller;
  if (!controller || state.reloading) return;
  const answer = await ask(controller);
  if (!answer.build_id || answer.build_id === pageBuild) return;
  // Without session storage, reload anyway: the next page comes from that worker's cache and matches.
  if (firstReloadFor(() => sessionStorage, RELOADED_FOR, answer.build_id, true)) reload();
}

/** @param {ServiceWorker | null} worker */
function watch(worker) {
  if (!worker) return;
  let installed = worker.state !== "installing";
  worker.addEventListener("statechange", () => {
    if (worker.state === "installed") {
      installed = true;
      if (navigator.serviceWorker.controller) dispatch({ type: "update-waiting" });
    } else if (worker.state === "activated") {
      refresh();
    } else if (worker.state === "redundant" && !installed && !isReady(state)) {
      dispatch({ type: "install-stopped" });
    }
  });
}

async function start() {
  if (!document.getElementById("offline-status")) return;
  if (!("serviceWorker" in navigator)) {
    dispatch({ type: "unsupported", why: "no-service-worker" });
    return;
  }
  if (!("caches" in window)) {
    dispatch({ type: "unsupported", why: "no-caches" });
    return;
  }
  dispatch({ type: "registering" });
  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "progress") {
      const counts = countsAsProgress(state, message);
      dispatch({ type: "progress", message });
      if (counts && message.done === message.total) refresh(); // also after an active worker stored lost files again
    } else if (message.type === "failed") {
      dispatch({ type: "failed", message });
    }
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (state.updateAccepted) reload();
    else checkController();
  });
  try {
    registration = await navigator.serviceWorker.register(new URL("sw.js", ROOT), {
      scope: ROOT.href,
      updateViaCache: "none", // always ask the server for sw.js: it is how a new build is noticed
    });
    if (!registration) throw new Error("no registration"); // a blocked register() may resolve empty
  } catch {
    dispatch({ type: "unsupported", why: "refused" });
    return;
  }
  const registered = registration;
  navigator.serviceWorker.startMessages(); // deliver the worker's messages now, not only after load
  watch(registered.installing);
  watch(registered.waiting);
  registered.addEventListener("updatefound", () => watch(registered.installing));
  // Delegated: the button is replaced with the footer on every instant navigation.
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element) || !event.target.closest("#update-reload")) return;
    dispatch({ type: "update-accepted" });
    if (registered.waiting) registered.waiting.postMessage({ type: "skip-waiting" });
    else reload();
  });
  await refresh();
  // A tablet keeps a tab open for days: check again whenever the page is shown again.
  const recheck = () => {
    if (document.visibilityState === "visible" && registered.active && !state.reloading) refresh();
  };
  document.addEventListener("visibilitychange", recheck);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) recheck();
  });
}

/**
 * Start the offline layer once the page has loaded and, on a first visit (no service worker controls the page yet),
 * once ``firstVisitWaitsFor`` has settled too: storing the site downloads the whole runtime, which must not compete
 * with this page's own files, scripts and engine for the network and the CPU. A returning visit starts it at load:
 * its files come from the store already, and the check for a newer build must not wait.
 * @param {Promise<void>} [firstVisitWaitsFor]
 */
export function mountOffline(firstVisitWaitsFor = Promise.resolve()) {
  const loaded = document.readyState === "complete" ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", () => resolve(undefined), { once: true }));
  const firstVisit = !navigator.serviceWorker?.controller;
  Promise.all([loaded, firstVisit ? firstVisitWaitsFor : null]).then(() => start());
}
