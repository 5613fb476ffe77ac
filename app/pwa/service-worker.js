// The reader app's service worker: keeps the app shell (the built HTML, scripts, styles, manifest
// and icons, listed at build time) so the app opens without a network. API answers are never
// cached: requests to other origins and every non-GET pass straight through, untouched.
const VERSION = "__SHELL_VERSION__";
const SHELL = __SHELL_FILES__;
const CACHE = `storyvoice-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // An earlier build's shell goes; this worker takes the open pages at once.
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("storyvoice-shell-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Fresh HTML when online (a new build shows at once); the kept shell when not.
    event.respondWith(fetch(request).catch(() => caches.match("./index.html", { cacheName: CACHE })));
    return;
  }
  // Built files are named by their content: the kept copy is the right one. Anything else goes to
  // the network as usual and is not kept.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((kept) => kept ?? fetch(request)));
});
