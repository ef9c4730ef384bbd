// Wide tables scroll sideways inside the theme's wrapper (.md-typeset__scrollwrap) on a narrow screen, which
// WCAG 1.4.10 allows for data tables; but a keyboard can scroll the wrapper only when it can focus it (WCAG
// 2.1.1; axe rule scrollable-region-focusable). While a wrapper is narrower than its table it becomes a named,
// focusable region ("Table: <heading above it>"); when the table fits, it is an ordinary box again, with no
// extra Tab stop. The theme creates the wrappers on every page it shows (also after instant navigation).
(function () {
  "use strict";
  if (typeof document$ === "undefined" || typeof ResizeObserver === "undefined") return;

  function tableName(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = wrapper.closest(".md-typeset > *") || wrapper;
    for (node = node.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.replace(/\u00b6/g, "").trim();
    }
    var h1 = document.querySelector(".md-content h1");
    return h1 ? h1.textContent.replace(/\u00b6/g, "").trim() : "";
  }

  function update(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      if (wrapper.getAttribute("role") === "region") return;
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", "Table: " + tableName(wrapper) + " (scrolls sideways)");
      wrapper.tabIndex = 0;
    } else if (wrapper.getAttribute("role") === "region") {
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      wrapper.removeAttribute("tabindex");
    }
  }

  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  });

  document$.subscribe(function () {
    observer.disconnect();
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrapper) { observer.observe(wrapper); });
  });
})();
