// Offline use on every page: registers the site's service worker (sw.js at the site root) and keeps
// two things in the page true to what the worker says:
//   #offline-status  "Saving for offline use… N%" (data-state="saving"), "Available offline"
//                    (data-state="ready", only once the active worker of this page's build has every
//                    file stored) or a plain reason (data-state="unsupported");
//   #update-prompt   shown when a newer build has been stored and waits; its Reload button lets it take
//                    over, and the page reloads once it has.
// A page never runs on files of another build: if the worker controlling it belongs to a different
// build, the page reloads (once) to get the page of that build.
// A classic script loaded from a file (the site's content security policy allows no inline script).
(() => {
  "use strict";

  const status = document.getElementById("offline-status");
  const prompt = document.getElementById("update-prompt");
  const pageBuild = document.querySelector('meta[name="guideline-build-id"]')?.content;
  // pwa.js is at assets/site/pwa.js: the site root is two folders up, also under a sub-path.
  const root = new URL("../../", document.currentScript.src);
  // Remembers, for this tab only, which build a mismatch reload went to: at most one reload per build.
  const RELOADED_FOR = "guideline-reloaded-for-build";
  let registration = null;
  let userAskedToUpdate = false;
  let reloading = false;
  let percent = 0;

  function show(state, text) {
    if (!status || (status.dataset.state === "ready" && state === "saving")) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  function reload() {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  }

  /** Ask a worker for its build and whether its cache is complete (repair: store missing files again). */
  function ask(worker, repair = false) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data || {});
      worker.postMessage({ type: "status", repair }, [channel.port2]);
    });
  }

  async function refresh() {
    const { active, installing, waiting } = registration;
    if (active) {
      const answer = await ask(active, true);
      if (answer.build_id === pageBuild && answer.ready) show("ready", "Available offline");
    }
    if (status.dataset.state !== "ready" && (installing || waiting)) show("saving", `Saving for offline use… ${percent}%`);
    if (waiting) offerUpdate();
    await checkController();
  }

  /** The controlling worker must be of this page's build; otherwise reload once to get its page. */
  async function checkController() {
    const controller = navigator.serviceWorker.controller;
    if (!controller || reloading) return;
    const answer = await ask(controller);
    if (!answer.build_id || answer.build_id === pageBuild) return;
    let already = null;
    try {
      already = sessionStorage.getItem(RELOADED_FOR);
      sessionStorage.setItem(RELOADED_FOR, answer.build_id);
    } catch {
      // No session storage: reload anyway; the next page comes from that worker's cache and matches.
    }
    if (already !== answer.build_id) reload();
  }

  function offerUpdate() {
    if (prompt) prompt.hidden = false;
  }

  function watch(worker) {
    if (!worker) return;
    let installed = worker.state !== "installing";
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") {
        installed = true;
        if (navigator.serviceWorker.controller) offerUpdate();
      } else if (worker.state === "activated") {
        refresh();
      } else if (worker.state === "redundant" && !installed && status.dataset.state !== "ready") {
        show("unsupported", "Not saved for offline use: the download did not finish. It will try again on your next visit.");
      }
    });
  }

  async function start() {
    if (!status) return;
    if (!("serviceWorker" in navigator)) {
      show("unsupported", "Not available offline: this browser cannot store the site (it needs a secure https connection and service worker support).");
      return;
    }
    if (!("caches" in window)) {
      show("unsupported", "Not available offline: this browser does not let the site store files.");
      return;
    }
    show("saving", "Saving for offline use…");
    navigator.serviceWorker.addEventListener("message", (event) => {
      const message = event.data || {};
      // Progress of this page's build only: an update installing in the background leaves the status as is.
      if (message.type === "progress" && message.build_id === pageBuild && message.total) {
        percent = Math.floor((100 * message.done) / message.total);
        show("saving", `Saving for offline use… ${percent}%`);
        if (message.done === message.total) refresh(); // also after an active worker stored lost files again
      }
    });
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (userAskedToUpdate) reload();
      else checkController();
    });
    try {
      registration = await navigator.serviceWorker.register(new URL("sw.js", root), {
        scope: root.href,
        updateViaCache: "none", // always ask the server for sw.js: it is how a new build is noticed
      });
      if (!registration) throw new Error("no registration"); // a blocked register() may resolve empty
    } catch {
      show("unsupported", "Not available offline: this browser did not allow it (private browsing, or site storage turned off).");
      return;
    }
    navigator.serviceWorker.startMessages(); // deliver the worker's messages now, not only after load
    watch(registration.installing);
    watch(registration.waiting);
    registration.addEventListener("updatefound", () => watch(registration.installing));
    document.getElementById("update-reload")?.addEventListener("click", () => {
      userAskedToUpdate = true;
      if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
      else reload();
    });
    await refresh();
  }

  start();
})();
