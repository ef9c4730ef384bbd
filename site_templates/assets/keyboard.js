// @ts-check
// Fixes for keyboard and screen reader users of the theme (mkdocs-material), mounted by site.js.
//
// 1. Wide tables scroll sideways inside the theme's wrapper (.md-typeset__scrollwrap) on a narrow screen, which
// WCAG 1.4.10 allows for data tables; but a keyboard can scroll the wrapper only when it can focus it (WCAG
// 2.1.1; axe rule scrollable-region-focusable). While a wrapper is narrower than its table it becomes a named,
// focusable region ("Table: <heading above it>"); when the table fits, it is an ordinary box again, with no
// extra Tab stop. The theme creates the wrappers on every page it shows: watchScrollingTables() runs on each.
//
// 2. The theme's "Skip to content" link (a.md-skip, href="#<first heading>") moves the focus to the content
// without a navigation. The theme's instant navigation handles every click on a link to a page of the site
// from a listener on document.body, this page's own #hash links included: it pushes a history entry and then
// renders the page again, which drops the focus to the top of the page and remounts the calculator (losing
// what was just typed). This listener runs first (capture phase, on window) and takes the click away from the
// theme; Enter on a focused link arrives as a click too. The target gets the focus (tabindex=-1 while it has
// it, as headings are not focusable), is scrolled below the sticky header, and the address shows its #hash.
//
// 3. The theme's keyboard shortcuts (s, f and / open the search; n and p, "." and "," go to the next and previous
// page) listen for keydown on window. The theme holds them back only for the controls it knows to take typing
// (it lets letters through on a radio button, where a Yes/No answer would then open the search or leave the
// page), and it decides by the element's class, not by what the control is. While a form control has the focus
// (input of any type, select, textarea, contenteditable) this listener on document, which the key event reaches
// just before window, keeps those keys from the theme; the control still gets them (nothing is prevented), and
// so does the calculator's own keydown listener on its form. The theme's search field is left alone: its keys
// are the search's.
//
// 4. The search dialog needs an accessible name (WCAG 4.1.2; axe rule aria-dialog-name): mkdocs-material 9.x's
// dialog (div.md-search, role="dialog") has none, so it gets the theme's own word for the search. Set here rather
// than by overriding the theme's search partial: a theme that names its dialog (or whose search is built
// otherwise, as Zensical's is) is left as it is. nameSearchDialog() runs on each page shown.

const SHORTCUTS = ["s", "S", "f", "F", "/", "n", "N", "p", "P", ".", ","];

/** @param {Element} wrapper @returns {string} */
function tableName(wrapper) {
  const caption = wrapper.querySelector("caption");
  if (caption && caption.textContent.trim()) return caption.textContent.trim();
  let node = wrapper.closest(".md-typeset > *") || wrapper;
  for (node = node.previousElementSibling; node; node = node.previousElementSibling) {
    if (/^H[1-6]$/.test(node.tagName)) return node.textContent.replace(/\u00b6/g, "").trim();
  }
  const h1 = document.querySelector(".md-content h1");
  return h1 ? h1.textContent.replace(/\u00b6/g, "").trim() : "";
}

/** @param {Element} element */
function markScrolling(element) {
  const wrapper = /** @type {HTMLElement} */ (element);
  if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
    if (wrapper.getAttribute("role") === "region") return;
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", `Table: ${tableName(wrapper)} (scrolls sideways)`);
    wrapper.tabIndex = 0;
  } else if (wrapper.getAttribute("role") === "region") {
    wrapper.removeAttribute("role");
    wrapper.removeAttribute("aria-label");
    wrapper.removeAttribute("tabindex");
  }
}

const observer = typeof ResizeObserver === "undefined" ? null
  : new ResizeObserver((entries) => entries.forEach((entry) => markScrolling(entry.target)));

/** Fix 1, on the page shown: its table wrappers, watched as their size changes. */
export function watchScrollingTables() {
  if (!observer) return;
  observer.disconnect();
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrapper) => observer.observe(wrapper));
}

/** @param {MouseEvent} event */
function skipToContent(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a.md-skip") : null;
  if (!(link instanceof HTMLAnchorElement)) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname || url.hash.length < 2) return;
  const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  event.stopImmediatePropagation();

  if (!target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
    target.addEventListener("blur", () => target.removeAttribute("tabindex"), { once: true });
  }
  target.focus({ preventScroll: true });
  const header = document.querySelector(".md-header");
  const below = header ? header.getBoundingClientRect().bottom : 0;
  window.scrollTo(0, window.scrollY + target.getBoundingClientRect().top - below - 8);
  // The theme keeps its scroll offset in the entry's state: keep it, change only the address.
  history.replaceState(history.state, "", url.href);
}

/** @param {EventTarget | null} element */
function isFormControl(element) {
  if (!(element instanceof Element)) return false;
  if (element.closest(".md-search")) return false;
  return element.matches("input, select, textarea, [contenteditable]:not([contenteditable='false'])")
    || (element instanceof HTMLElement && element.isContentEditable);
}

/** @param {KeyboardEvent} event */
function keepShortcutsOutOfControls(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || !SHORTCUTS.includes(event.key)) return;
  if (isFormControl(event.target) || isFormControl(document.activeElement)) event.stopPropagation();
}

/** Fixes 2 and 3: listeners on the window and the document, which outlive instant navigation (mounted once). */
export function mountKeyboardFixes() {
  window.addEventListener("click", skipToContent, true);
  document.addEventListener("keydown", keepShortcutsOutOfControls);
}

/** Fix 4: the search dialog's accessible name, where the theme gives it none. */
export function nameSearchDialog() {
  const dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label]):not([aria-labelledby])');
  if (!dialog) return;
  const named = dialog.querySelector(".md-search__options[aria-label]");
  dialog.setAttribute("aria-label", (named && named.getAttribute("aria-label")) || "Search");
}
