// The site's service worker: every file of this site kept in a cache named
// by the build's version, so that a second visit (and a page change) loads
// from it, also offline, on any static server.  A new build writes a new
// version here (web/build.py), the browser installs this worker again, and
// the old cache is deleted.
//
// The pages and the worker's script it gives carry the headers that make a
// page cross-origin isolated (every file is from this site), so that on a
// page it controls Stop interrupts Python (SharedArrayBuffer) instead of
// restarting it.
//
// The lab (lab/, JupyterLite, some 26 MB) is none of its business: its requests go to the
// network as if this worker were not there, and JupyterLite registers its own worker for
// lab/.  The Pyodide the lab loads is the site's (pyodide/), kept here like the rest.

const BUILD = { version: "source", precache: [] }; // written by web/build.py: the version and the small files to fetch at once
const CACHE = `stepgrad-${BUILD.version}`;
const LAB = new URL("lab/", self.registration.scope).href;
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

// Installed and in charge at once (a first visit's Python waits for it: runtime.js); the small
// files of the site's root are fetched after that, while Python loads.
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  const fresh = (path) => new Request(path, { cache: "no-cache" }); // never a copy of an older build from the HTTP cache
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (/^stepgrad-[0-9a-f]+$/.test(name) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
      const cache = await caches.open(CACHE);
      await Promise.all(BUILD.precache.map(async (path) => (await cache.match(path)) || cache.add(fresh(path))));
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.url.startsWith(LAB)) return; // the browser fetches it as without this worker
  if (request.method === "GET" && new URL(request.url).origin === location.origin) event.respondWith(fromCache(event));
});

// The cached copy (the query, e.g. ?program=..., is not part of a file's name), else the network's, kept.
async function fromCache(event) {
  const { request } = event;
  const cache = await caches.open(CACHE);
  let response = await cache.match(request, { ignoreSearch: true });
  if (!response) {
    const url = new URL(request.url);
    url.search = "";
    response = await fetch(url, { cache: "no-cache" });
    if (response.ok) event.waitUntil(cache.put(url, response.clone())); // kept while the page reads it
  }
  const document = request.mode === "navigate" || request.destination === "worker";
  return document ? isolated(response) : response; // the rest as kept: Chrome then also keeps its compiled code
}

function isolated(response) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
