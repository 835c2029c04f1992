// The site as one app: each page is still a whole HTML document at its own
// URL (a reload or a shared link opens it directly), but inside the site a
// click on a link to another page fetches that page, swaps in its <title>,
// menu and <main>, and mounts its module.  Nothing is reloaded, so the one
// Python of the visit (runtime.js) keeps running.
//
//   // train.js, the page's module (<script type="module" src="train.js">)
//   import { page } from "./site.js";
//   page({ mount(main) { ...; return () => { /* unmount: stop timers, listeners */ } } });
//
// `mount` may be async (resolve to the unmount function); while it runs the
// page counts as working (#status reads `running`, runtime.js).  A page
// without a module (or once a new build has taken over, see below) is
// opened the ordinary way.  This module also registers the service worker
// (sw.js) that keeps every file of the site cached.

const ROOT = new URL("./", import.meta.url); // site.js sits at the site's root, beside sw.js
const LAB = new URL("lab/", ROOT); // the lessons in JupyterLite (web/lab.py)
const definitions = new Map(); // the URL of a page's module -> what it gave `page`
let importing = null; // the URL of the page module a page change is importing
let unmount = null; // the current page's
let changes = 0; // page changes started; a later one overrides an earlier one still loading
let newBuild = false; // a new build's service worker took over: change pages by loading them

// The head's links and scripts, written as absolute URLs: a relative one would be read against
// the address of the page shown later (history.pushState), not of the one that loaded it.
for (const element of document.head.querySelectorAll("link[href], script[src]")) {
  const attribute = element.matches("link") ? "href" : "src";
  element.setAttribute(attribute, element[attribute]);
}

// Registers sw.js; resolves to its registration, or null where there is none (not a secure context).
export const serviceWorker = registerServiceWorker();

function registerServiceWorker() {
  const container = navigator.serviceWorker;
  if (!container) return Promise.resolve(null);
  const hadController = Boolean(container.controller);
  container.addEventListener("controllerchange", () => {
    newBuild = hadController; // on a first visit the first worker takes over: not a new build
  });
  return container.register(new URL("sw.js", ROOT), { updateViaCache: "none" }).catch((error) => {
    console.warn(`stepgrad: no service worker, files are not kept for the next visit: ${error.message}`);
    return null;
  });
}

// Called once by each page's module, as it is first evaluated.
export function page(definition) {
  const url = importing ?? pageModule(document, location.href);
  definitions.set(url, definition);
  if (!importing) working(mount(definition));
}

async function mount(definition) {
  unmount = (await definition.mount(document.querySelector("main"))) ?? null;
}

// Tells runtime.js that the page is working until `promise` settles (#status reads `running`).
function working(promise) {
  document.dispatchEvent(new CustomEvent("stepgrad:mounting", { detail: promise }));
  return promise;
}

// The absolute URL of `doc`'s page module, the first <script type="module" src>, or null.
function pageModule(doc, base) {
  const script = doc.querySelector('script[type="module"][src]');
  return script ? new URL(script.getAttribute("src"), base).href : null;
}

function isPageLink(event) {
  const link = event.target.closest?.("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target || link.hasAttribute("download")) return null;
  const url = new URL(link.href);
  const samePage = url.pathname === location.pathname && url.search === location.search;
  if (url.origin !== location.origin || samePage || !url.href.startsWith(ROOT.href)) return null;
  if (url.href.startsWith(LAB.href)) return null; // JupyterLite, an app of its own: loaded, not mounted
  return /(\.html|\/)$/.test(url.pathname) ? url : null;
}

document.addEventListener("click", (event) => {
  const url = isPageLink(event);
  if (!url) return;
  event.preventDefault();
  working(change(url, true)); // from the click on, #status reads running until the new page is mounted
});
addEventListener("popstate", () => working(change(new URL(location.href), false)));

// Shows the page at `url` in place of this one; `push`: a new entry in the history (a click, not Back).
async function change(url, push) {
  const ticket = ++changes;
  performance.mark("page change");
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.pathname}: ${response.status}`);
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const module = pageModule(doc, url);
    if (ticket !== changes) return;
    if (!module || newBuild) return location.assign(url);
    await Promise.all([styles(doc, url), scripts(doc, url)]);
    if (ticket !== changes) return;
    const focusInMenu = Boolean(document.activeElement?.closest("nav"));
    unmount?.();
    unmount = null;
    if (push) history.pushState(null, "", url);
    swap(doc, url);
    focusAfterChange(focusInMenu);
    window.scrollTo(0, 0);
    importing = module;
    try {
      await import(module); // evaluated once per visit: it calls `page` the first time only
    } finally {
      importing = null;
    }
    if (ticket === changes) await mount(definitions.get(module));
  } catch (error) {
    console.warn(`stepgrad: ${url.pathname} opened by loading it: ${error.message}`);
    if (ticket === changes) location.assign(url);
  }
}

function swap(doc, url) {
  document.title = doc.title;
  const icon = doc.querySelector('link[rel="icon"]'); // its href is relative to the page's URL, which has changed
  if (icon) document.querySelector('link[rel="icon"]')?.setAttribute("href", new URL(icon.getAttribute("href"), url).href);
  document.body.className = doc.body.className;
  for (const selector of ["nav.menu", "main"]) {
    const now = document.querySelector(selector);
    const next = doc.querySelector(selector);
    if (now && next) now.replaceWith(document.adoptNode(next));
  }
  document.dispatchEvent(new Event("stepgrad:swapped")); // runtime.js shows Python's state in the new #status
}

// Keyboard focus never falls to the page's start: on the new menu's current link, else on the new heading.
function focusAfterChange(inMenu) {
  const target = (inMenu && document.querySelector('nav.menu a[aria-current="page"]')) || document.querySelector("main h1");
  if (!target) return;
  if (!target.matches("a[href]")) target.tabIndex = -1;
  target.focus({ preventScroll: true });
}

// The stylesheets of `doc` on, the others off; resolves when the new ones are loaded.
function styles(doc, base) {
  const wanted = new Set([...doc.querySelectorAll('link[rel="stylesheet"]')].map((link) => new URL(link.getAttribute("href"), base).href));
  const have = new Map([...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => [link.href, link]));
  for (const [href, link] of have) link.disabled = !wanted.has(href);
  return Promise.all([...wanted].filter((href) => !have.has(href)).map((href) => added("link", { rel: "stylesheet", href })));
}

// The classic scripts of `doc` (libraries such as KaTeX) that this visit has not run yet, run in order.
async function scripts(doc, base) {
  const ran = new Set([...document.querySelectorAll("script[src]")].map((script) => script.src));
  for (const script of doc.querySelectorAll('script[src]:not([type="module"])')) {
    const src = new URL(script.getAttribute("src"), base).href;
    if (!ran.has(src)) await added("script", { src, async: false });
  }
}

function added(tag, properties) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), properties);
    element.onload = resolve;
    element.onerror = () => reject(new Error(`${properties.href || properties.src} did not load`));
    document.head.append(element);
  });
}
