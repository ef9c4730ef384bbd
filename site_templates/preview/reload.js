// Live preview only (`python build.py serve`): the preview server adds this script to every page it sends and
// never writes it into a built site. It listens to the server's events and
//   - reloads the page when the site was rebuilt (its build id is no longer the page's);
//   - shows a banner while the latest rebuild failed (the page is then the last good build), and removes it
//     once a rebuild succeeds.
// A script from the site's own origin and an EventSource to it: within the site's Content-Security-Policy
// (script-src and connect-src 'self'); its styles are set through the CSSOM, which the policy does not restrict.
(() => {
  "use strict";

  // Instant navigation may run the page's scripts again: one connection per document.
  if (window.__guidelinePreview) return;
  window.__guidelinePreview = true;

  const BANNER = "preview-build-error";
  const pageBuild = () => document.querySelector('meta[name="guideline-build-id"]')?.content;
  const events = new EventSource(new URL("events", document.currentScript.src));

  function showError(message) {
    let banner = document.getElementById(BANNER);
    if (!banner) {
      banner = document.createElement("div");
      banner.id = BANNER;
      banner.setAttribute("role", "alert");
      Object.assign(banner.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "10000", maxHeight: "50vh", overflow: "auto",
        padding: "0.75rem 1rem", background: "#b71c1c", color: "#fff", font: "0.8rem/1.4 monospace",
        whiteSpace: "pre-wrap",
      });
      document.body.append(banner);
    }
    banner.textContent = `Preview: the rebuild failed, so this page is the last good build.\n${message}`;
  }

  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.error) {
      showError(state.error);
    } else {
      document.getElementById(BANNER)?.remove();
    }
    if (state.build_id && state.build_id !== pageBuild()) window.location.reload();
  });
})();
