// @ts-check
// "Reload once per build": a page that finds itself running with another build's files (a service worker or an
// engine of another build) reloads to get one build throughout, but at most once per build in a tab, so that a
// build that cannot be had never sends the page into a reload loop. Both the offline layer (offline.js) and the
// calculator (calculator.js) ask here; only a build id is kept, never anything entered in a form.

/**
 * Whether the page should reload for ``build`` now: true the first time this tab asks under ``key`` for that
 * build, false after. Records the answer. ``withoutStorage`` is the answer when the tab's storage cannot be read.
 * @param {() => Pick<Storage, "getItem" | "setItem">} storage the tab's storage (sessionStorage), read only here
 * @param {string} key
 * @param {string} build
 * @param {boolean} withoutStorage
 * @returns {boolean}
 */
export function firstReloadFor(storage, key, build, withoutStorage) {
  /** @type {string | null | undefined} */
  let before;
  try {
    before = storage().getItem(key);
    storage().setItem(key, build);
  } catch {
    // Read but not written: the answer read still holds. Not even read: the caller's choice.
    if (before === undefined) return withoutStorage;
  }
  return before !== build;
}
