// @ts-check
// The state of the site's offline layer as the page shows it: one reducer, every transition in offlineReducer().
// offline.js (the DOM edge) turns the service worker's events into events here and renders offlineView(); nothing
// else keeps a copy.
//
//   status   what #offline-status says:
//              saving      "Saving for offline use… N%": this page's build is being stored
//              ready       "Available offline": the active worker of this page's build has every file stored
//              restoring   the browser removed stored files: the active worker stores them again
//              missing     they are gone and cannot be stored again now (offline)
//              preview     under `python build.py serve`, whose worker stores nothing (every page shows the newest
//                          build)
//              unsupported a plain reason (data-reason="quota" when the device has no room, "download" when the
//                          download did not finish)
//   persisted   the browser's answer to navigator.storage.persist(): asking, granted, denied or unsupported
//   updateOffered  a newer build is stored and waits: #update-prompt is shown
//
// Two rules keep a true status from being replaced by a weaker one: "ready" is not taken back by "saving"
// progress, and a failure the worker explained (a reason) is not replaced by a generic "unsupported". Only what
// proves them wrong replaces them: the browser removed stored files (restoring), or storing them again failed
// (missing).

/**
 * @typedef {"saving" | "ready" | "restoring" | "missing" | "unsupported" | "preview"} StatusKind
 * @typedef {{kind: StatusKind, text: string, reason: string}} Status
 * @typedef {{
 *   build: string,
 *   status: Status | null,
 *   persisted: null | "asking" | "granted" | "denied" | "unsupported",
 *   updateOffered: boolean,
 *   percent: number,
 *   restoring: boolean,
 *   repairFailed: boolean,
 *   failedNow: boolean,
 *   updateAccepted: boolean,
 *   reloading: boolean,
 * }} OfflineState
 * @typedef {{type?: string, build_id?: string, done?: number, total?: number, reason?: string, stage?: string,
 *   bytes?: number, ready?: boolean, preview?: boolean}} WorkerMessage
 * @typedef {{type: "unsupported", why: keyof typeof UNSUPPORTED}
 *   | {type: "registering"}
 *   | {type: "progress", message: WorkerMessage}
 *   | {type: "failed", message: WorkerMessage}
 *   | {type: "checking"}
 *   | {type: "checked", answer: WorkerMessage}
 *   | {type: "workers", installing: boolean, waiting: boolean}
 *   | {type: "install-stopped"}
 *   | {type: "update-waiting"}
 *   | {type: "update-accepted"}
 *   | {type: "reloading"}
 *   | {type: "persisted", answer: "asking" | "granted" | "denied" | "unsupported"}} OfflineEvent
 */

export const INSTALL_HINT = "Install to the home screen to keep this available offline";
const RESTORING = "The browser removed stored files: saving them again for offline use";
const DOWNLOAD_STOPPED = "Not saved for offline use: the download did not finish. It will try again on your next visit.";
export const UNSUPPORTED = {
  "no-service-worker": "Not available offline: this browser cannot store the site (it needs a secure https "
    + "connection and service worker support).",
  "no-caches": "Not available offline: this browser does not let the site store files.",
  refused: "Not available offline: this browser did not allow it (private browsing, or site storage turned off).",
  "install-stopped": DOWNLOAD_STOPPED,
};

/** @param {string} build the build id of the page @returns {OfflineState} */
export function initialOffline(build) {
  return {
    build, status: null, persisted: null, updateOffered: false, percent: 0, restoring: false, repairFailed: false,
    failedNow: false, updateAccepted: false, reloading: false,
  };
}

/**
 * The status after ``next`` is said, under the two rules above; ``replace`` says it regardless.
 * @param {Status | null} current @param {Status} next @param {boolean} [replace]
 */
function say(current, next, replace = false) {
  if (!replace && current && current.kind === "ready" && next.kind === "saving") return current;
  if (!replace && current && current.reason && next.kind === "unsupported" && !next.reason) return current;
  return next;
}

/** @param {StatusKind} kind @param {string} text @param {string} [reason] @returns {Status} */
const status = (kind, text, reason = "") => ({ kind, text, reason });
/** @param {number} done @param {number} total */
const percentOf = (done, total) => Math.floor((100 * done) / total);

/**
 * Whether a worker's progress message counts: progress of this page's build, while no failure of it stands (an
 * update installing in the background leaves the status as it is).
 * @param {OfflineState} state @param {WorkerMessage} message
 */
export function countsAsProgress(state, message) {
  return message.type === "progress" && message.build_id === state.build && Boolean(message.total)
    && !state.failedNow;
}

/**
 * @param {OfflineState} state
 * @param {OfflineEvent} event
 * @returns {OfflineState}
 */
export function offlineReducer(state, event) {
  switch (event.type) {
    case "unsupported":
      return { ...state, status: say(state.status, status("unsupported", UNSUPPORTED[event.why])) };
    case "install-stopped":
      // An install that ended before it stored everything, while nothing better is known.
      if (state.status && state.status.kind === "ready") return state;
      return { ...state, status: say(state.status, status("unsupported", DOWNLOAD_STOPPED)) };
    case "registering":
      return { ...state, status: say(state.status, status("saving", "Saving for offline use…")) };
    case "progress": {
      const { message } = event;
      if (!countsAsProgress(state, message)) return state;
      const percent = percentOf(message.done || 0, message.total || 1);
      const next = state.restoring
        ? status("restoring", `${RESTORING}… ${percent}%`)
        : status("saving", `Saving for offline use… ${percent}%`);
      return { ...state, percent, status: say(state.status, next) };
    }
    case "failed": {
      const { message } = event;
      if (message.build_id !== state.build) return state;
      if (message.reason === "quota") {
        const text = "Not saved for offline use: this device has no room left for it (about "
          + `${Math.ceil((message.bytes || 0) / 1e6)} MB). The site still works while you are online.`;
        return { ...state, failedNow: true, status: say(state.status, status("unsupported", text, "quota")) };
      }
      if (message.stage === "repair") {
        // Whatever was shown ("ready" included) is no longer true.
        const text = "Not available offline: the browser removed the saved copy and it cannot be saved again "
          + "without a connection. It will try again on your next visit.";
        return { ...state, failedNow: true, repairFailed: true, status: status("missing", text) };
      }
      return { ...state, failedNow: true, status: say(state.status, status("unsupported", DOWNLOAD_STOPPED, "download")) };
    }
    case "checking":
      // The active worker is asked again (on every load, and when the page is shown again): failures reported
      // before this check no longer stand.
      return { ...state, repairFailed: false, failedNow: false };
    case "checked": {
      const { answer } = event;
      // The preview server's worker (site_templates/preview/sw.js) stores nothing and says so.
      if (answer.preview) {
        return { ...state, status: status("preview", "Preview: not saved for offline use, so every page shows the "
          + "newest build") };
      }
      if (answer.build_id !== state.build) return state;
      if (answer.ready) return { ...state, restoring: false, status: say(state.status, status("ready", "Available offline")) };
      if (!answer.total) return state;
      // The install is all or nothing, so an active worker of this build missing files means the browser
      // evicted them: "ready" is no longer true, and nothing may keep it on screen.
      const percent = percentOf(answer.done || 0, answer.total);
      if (state.repairFailed) return { ...state, restoring: true, percent };
      return { ...state, restoring: true, percent, status: status("restoring", `${RESTORING}… ${percent}%`) };
    }
    case "workers": {
      let next = state;
      if (!isReady(state) && !state.restoring && (event.installing || event.waiting)) {
        next = { ...next, status: say(next.status, status("saving", `Saving for offline use… ${state.percent}%`)) };
      }
      return event.waiting ? { ...next, updateOffered: true } : next;
    }
    case "update-waiting":
      return { ...state, updateOffered: true };
    case "update-accepted":
      return { ...state, updateAccepted: true };
    case "reloading":
      return { ...state, reloading: true };
    case "persisted":
      return { ...state, persisted: event.answer };
    default:
      return state;
  }
}

/** @param {OfflineState} state */
export function isReady(state) {
  return Boolean(state.status && state.status.kind === "ready");
}

/**
 * What the footer shows. ``appleMobile``: iOS or iPadOS outside the home-screen app, where Safari deletes a
 * site's storage after 7 days without use.
 * @param {OfflineState} state
 * @param {{appleMobile: boolean}} device
 * @returns {{status: null | {state: StatusKind, text: string, reason: string}, persisted: string | null,
 *   updatePrompt: boolean}}
 */
export function offlineView(state, { appleMobile }) {
  const shown = state.status;
  let text = shown ? shown.text : "";
  if (shown && shown.kind === "ready") {
    if (appleMobile) text = `Available offline for now. ${INSTALL_HINT} (Safari deletes a site's files after 7 days without use).`;
    else if (state.persisted === "granted") text = "Available offline, kept on this device";
    else if (state.persisted === "denied") text = "Available offline (the browser may remove it if the device runs low on space)";
    else text = "Available offline";
  }
  return {
    status: shown ? { state: shown.kind, text, reason: shown.reason } : null,
    persisted: state.persisted,
    updatePrompt: state.updateOffered,
  };
}
