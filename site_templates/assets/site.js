// @ts-check
// The site's one script entry, loaded as a module on every page (overrides/main.html), in the manner of
// mkdocs-material's bundle.ts: it mounts each component of the site on the document shown, and again after every
// instant navigation (the theme's document$ emits the document once loaded and after each navigation, keeping the
// document itself).
//
//   offline.js     the offline layer: the service worker, #offline-status and #update-prompt (every page)
//   calculator.js  a calculator, on a page that has one; the engine worker it talks to (engine-client.js) starts
//                  on first use and outlives page changes
//   keyboard.js    fixes for keyboard users of the theme: scrolling tables, the skip link, shortcuts kept out of
//                  form controls, the search dialog's name
//
// Each component keeps its state in a pure module beside it (offline-state.js, engine-state.js,
// calculator-state.js) and touches the DOM only here, at its edge.

import { mountCalculator } from "./calculator.js";
import { engineStarted } from "./engine-client.js";
import { mountKeyboardFixes, nameSearchDialog, watchScrollingTables } from "./keyboard.js";
import { mountOffline, renderOffline } from "./offline.js";

/**
 * Call ``show`` with every document the theme shows: the first, then after each instant navigation.
 * @param {() => void} show
 */
function watchDocument(show) {
  const documents = /** @type {any} */ (window).document$;
  if (documents && typeof documents.subscribe === "function") documents.subscribe(show);
  else show();
}

/** @type {(() => void) | null} */
let unmountCalculator = null;

// A first visit to a calculator stores the site once its engine has started (at most a minute later): both
// download the runtime, and the engine is what the clinician is waiting for.
mountOffline(engineStarted(60_000));
mountKeyboardFixes();
watchDocument(() => {
  renderOffline(); // the footer is the new page's: show the offline state on it
  watchScrollingTables();
  nameSearchDialog();
  if (unmountCalculator) unmountCalculator();
  unmountCalculator = mountCalculator();
});
