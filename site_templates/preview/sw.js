// Live preview only: the preview server answers sw.js with this worker instead of the site's. It stores
// nothing and answers no request, so every page comes from the server and shows the newest build; it also
// removes what a previous visit stored, so that no old build is ever shown, and it never waits for a Reload.
// It tells the page's offline status that this is a preview (offline-state.js shows "Preview: …").
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("guideline-")) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "status") return;
  const reply = event.ports[0] || event.source;
  if (reply) reply.postMessage({ type: "status", preview: true });
});
