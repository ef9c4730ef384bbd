// Offline use on every page: registers the site's service worker (sw.js at the site root) and keeps
// two things in the page true to what the worker says:
//   #offline-status  "Saving for offline use… N%" (data-state="saving"), "Available offline"
//                    (data-state="ready", only once the active worker of this page's build has every
//                    file stored), "…saving it again" when the browser removed stored files
//                    (data-state="restoring"), "Preview: …" under `python build.py serve` (data-state="preview"), "Not available offline…" when they are gone and cannot be
//                    stored again now (data-state="missing"), or a plain reason (data-state="unsupported",
//                    data-reason="quota" when the device has no room). data-persisted tells the browser's
//                    answer to navigator.storage.persist() (granted, denied, unsupported), asked once the
//                    site is stored; on iOS and iPadOS outside the home-screen app, where Safari deletes a
//                    site's storage after 7 days without use, it says to install the site to the home screen;
//   #update-prompt   shown when a newer build has been stored and waits; its Reload button lets it take
//                    over, and the page reloads once it has.
// A page never runs on files of another build: if the worker controlling it belongs to a different
// build, the page reloads (once) to get the page of that build.
// Instant navigation replaces the footer with the next page's: the state is kept here and shown again
// on every page the theme shows (document$).
// A classic script loaded from a file (the site's content security policy allows no inline script).
(() => {
  "use strict";

  const statusElement = () => document.getElementById("offline-status");
  const promptElement = () => document.getElementById("update-prompt");
  let shown = null; // {state, text} of #offline-status
  let updateOffered = false;
  const pageBuild = document.querySelector('meta[name="guideline-build-id"]')?.content;
  // pwa.js is at assets/site/pwa.js: the site root is two folders up, also under a sub-path.
  const root = new URL("../../", document.currentScript.src);
  // Remembers, for this tab only, which build a mismatch reload went to: at most one reload per build.
  const RELOADED_FOR = "guideline-reloaded-for-build";
  let registration = null;
  let userAskedToUpdate = false;
  let reloading = false;
  let percent = 0;
  let restoring = false; // the active worker is storing files the browser removed
  let repairFailed = false; // ...and could not (offline): its message may come before the status answer
  let failedNow = false; // the worker reported that it could not store this build
  let persisted = null; // the browser's answer to navigator.storage.persist(): granted | denied | unsupported
  // Remembered on the device: Firefox asks the user, so the question is put once, not on every visit.
  const PERSIST_ASKED = "guideline-persistent-storage-asked";
  const INSTALL_HINT = "Install to the home screen to keep this available offline";
  const RESTORING = "The browser removed stored files: saving them again for offline use";

  function show(state, text, reason = "") {
    if (shown && shown.state === "ready" && state === "saving") return;
    // A failure the worker explained (no room) is not replaced by the generic "did not finish".
    if (shown && shown.reason && state === "unsupported" && !reason) return;
    shown = { state, text, reason };
    render();
  }

  /**
   * iOS or iPadOS outside the home-screen app. iPadOS reports a Mac user agent, so a "Mac" with a touch
   * screen counts too; navigator.standalone (Safari) or display-mode standalone mean installed.
   */
  function onAppleMobileBrowser() {
    const agent = navigator.userAgent || "";
    const apple = /\b(iPhone|iPad|iPod)\b/.test(agent) || (/\bMacintosh\b/.test(agent) && navigator.maxTouchPoints > 1);
    if (!apple) return false;
    const installed = navigator.standalone === true
      || (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches);
    return !installed;
  }

  function readyText() {
    if (onAppleMobileBrowser()) return `Available offline for now. ${INSTALL_HINT} (Safari deletes a site's files after 7 days without use).`;
    if (persisted === "granted") return "Available offline, kept on this device";
    if (persisted === "denied") return "Available offline (the browser may remove it if the device runs low on space)";
    return "Available offline";
  }

  /** The kept state on the footer of the page shown now. */
  function render() {
    const status = statusElement();
    if (status && shown) {
      status.dataset.state = shown.state;
      status.textContent = shown.state === "ready" ? readyText() : shown.text;
      if (shown.reason) status.dataset.reason = shown.reason;
      else delete status.dataset.reason;
      if (persisted) status.dataset.persisted = persisted;
    }
    const prompt = promptElement();
    if (prompt && updateOffered) prompt.hidden = false;
  }

  /** Once the site is stored: ask the browser to keep it (not evict it under storage pressure); show the answer. */
  async function askToPersist() {
    if (persisted) return;
    const storage = navigator.storage;
    if (!storage || typeof storage.persist !== "function" || typeof storage.persisted !== "function") {
      persisted = "unsupported";
      render();
      return;
    }
    persisted = "asking";
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
      persisted = granted ? "granted" : "denied";
    } catch {
      persisted = "unsupported";
    }
    render();
  }

  const isReady = () => Boolean(shown && shown.state === "ready");

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
      // Asked on every load (and when the page is shown again): the browser may have evicted stored files
      // since; the worker then stores them again (repair).
      repairFailed = false;
      failedNow = false;
      const answer = await ask(active, true);
      if (answer.preview) {
        // `python build.py serve` answers sw.js with a worker that stores nothing (site_templates/preview/sw.js).
        show("preview", "Preview: not saved for offline use, so every page shows the newest build");
        return;
      }
      if (answer.build_id === pageBuild && answer.ready) {
        restoring = false;
        show("ready", "Available offline");
        askToPersist();
      } else if (answer.build_id === pageBuild && answer.total) {
        // The install is all or nothing, so an active worker of this build missing files means the browser
        // evicted them. "Ready" is no longer true: nothing may keep it on screen.
        restoring = true;
        percent = Math.floor((100 * answer.done) / answer.total);
        if (!repairFailed) {
          shown = null;
          show("restoring", `${RESTORING}… ${percent}%`);
        }
      }
    }
    if (!isReady() && !restoring && (installing || waiting)) show("saving", `Saving for offline use… ${percent}%`);
    if (waiting) offerUpdate();
    await checkController();
  }

  /** The worker could not store this build: say why; the site goes on working online. */
  function failed(message) {
    failedNow = true;
    if (message.reason === "quota") {
      show("unsupported", "Not saved for offline use: this device has no room left for it (about "
        + `${Math.ceil((message.bytes || 0) / 1e6)} MB). The site still works while you are online.`, "quota");
    } else if (message.stage === "repair") {
      repairFailed = true;
      shown = null; // whatever was shown ("ready" included) is no longer true
      show("missing", "Not available offline: the browser removed the saved copy and it cannot be saved again "
        + "without a connection. It will try again on your next visit.");
    } else {
      show("unsupported", "Not saved for offline use: the download did not finish. It will try again on your next visit.", "download");
    }
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
    updateOffered = true;
    render();
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
      } else if (worker.state === "redundant" && !installed && !isReady()) {
        show("unsupported", "Not saved for offline use: the download did not finish. It will try again on your next visit.");
      }
    });
  }

  async function start() {
    if (!statusElement()) return;
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(render);
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
      // (A failure reported for this build stands until the next check: no later progress may hide it.)
      if (message.type === "progress" && message.build_id === pageBuild && message.total && !failedNow) {
        percent = Math.floor((100 * message.done) / message.total);
        if (restoring) show("restoring", `${RESTORING}… ${percent}%`);
        else show("saving", `Saving for offline use… ${percent}%`);
        if (message.done === message.total) refresh(); // also after an active worker stored lost files again
      } else if (message.type === "failed" && message.build_id === pageBuild) {
        failed(message);
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
    // Delegated: the button is replaced with the footer on every instant navigation.
    document.addEventListener("click", (event) => {
      if (!(event.target instanceof Element) || !event.target.closest("#update-reload")) return;
      userAskedToUpdate = true;
      if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
      else reload();
    });
    await refresh();
    // A tablet keeps a tab open for days: check again whenever the page is shown again.
    const recheck = () => {
      if (document.visibilityState === "visible" && registration.active && !reloading) refresh();
    };
    document.addEventListener("visibilitychange", recheck);
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) recheck();
    });
  }

  // After the page has loaded: storing the site downloads the whole runtime, which must not compete with
  // this page's own files and scripts for the network and the CPU on a first visit.
  if (document.readyState === "complete") start();
  else window.addEventListener("load", () => start(), { once: true });
})();
