// The one Python of a visit: Pyodide, stepgrad's wheels and Graphviz
// (WebAssembly), in a Web Worker, so that the page's thread only draws and
// listens.  runtime.js starts it and is its only correspondent; every file
// comes from this site.
//
// Messages, page -> worker:
//   { type: "start", interrupt }         interrupt: an Int32Array on a SharedArrayBuffer, or null
//   { type: "wasm", module }             pyodide.asm.wasm compiled by the page (or null), see `loadPython`
//   { type: "call", id, module, name, kwargs }
// worker -> page:
//   { type: "ready", took } | { type: "failed", message }     took: ms from the worker's start to each part loaded
//   { type: "print", id, text }           a line the call printed (stdout or stderr)
//   { type: "result", id, value }         value: plain JSON data
//   { type: "error", id, pythonType, message }
import { loadPyodide, version } from "./pyodide/pyodide.mjs";
import { Graphviz } from "./vendor/graphviz.js";

const here = (path) => new URL(path, import.meta.url).href;
const WASM = here("pyodide/pyodide.asm.wasm");
const PRINT_LIMIT = 20_000; // characters of print() output passed on per call; the rest is counted, not sent

// `call(module, name, kwargs)` imports `module` and calls `name(**kwargs)`,
// kwargs given as JSON text (so null is None, and data is never code);
// whatever it raises comes back as [class name, one line], never as a traceback.
const BRIDGE = `
import json
from importlib import import_module

def call(module, name, kwargs):
    try:
        return True, getattr(import_module(module), name)(**json.loads(kwargs))
    except BaseException as error:  # KeyboardInterrupt from Stop too
        return False, (type(error).__name__, one_line(error))

def one_line(error):
    try:
        lines = str(error).strip().splitlines()
    except BaseException:
        lines = []
    return lines[-1] if lines else type(error).__name__
call
`;

let pyodide, bridge;
let compiledByPage; // resolves to the page's WebAssembly.Module of Python, or null
const pageCompiled = new Promise((resolve) => {
  compiledByPage = resolve;
});
let calling = null; // the id of the call that is running, and how much it printed
let printed = 0;

function print(text) {
  if (calling === null) return;
  printed += text.length + 1;
  if (printed <= PRINT_LIMIT) postMessage({ type: "print", id: calling, text });
  else if (printed - text.length - 1 <= PRINT_LIMIT)
    postMessage({ type: "print", id: calling, text: `… (more than ${PRINT_LIMIT.toLocaleString("en")} characters printed: the rest is not shown)` });
}

async function fetchWheels() {
  const names = await (await fetch(here("wheels/wheels.json"))).json();
  return Promise.all(names.map(async (name) => (await fetch(here(`wheels/${name}`))).arrayBuffer()));
}

// NB: Pyodide fetches and compiles pyodide.asm.wasm itself, but Chrome keeps
// no compiled code for a worker, so every load took about 2 s longer than on
// a page.  The page compiles it (WebAssembly.compileStreaming, whose code
// Chrome keeps) and sends the Module; while loadPyodide runs, these two
// stand-ins give Pyodide that Module instead of the file.
async function loadPython(options) {
  const { fetch } = globalThis;
  const { instantiateStreaming } = WebAssembly;
  globalThis.fetch = (input, init) => (String(input) === WASM ? Promise.resolve(new Response()) : fetch(input, init));
  WebAssembly.instantiateStreaming = async (response, imports) => {
    const module = await pageCompiled;
    if (!module) return instantiateStreaming(fetch(WASM), imports);
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  try {
    return await loadPyodide({ indexURL: here("pyodide/"), ...options });
  } finally {
    globalThis.fetch = fetch;
    WebAssembly.instantiateStreaming = instantiateStreaming;
  }
}

// --- Python as it was once started, kept for the next visit --------------
// Starting Python and importing stepgrad takes 2 to 4 s; restoring its
// memory as it was then takes a fraction of that.  So the first load, once
// stepgrad's modules are imported, keeps a snapshot of Python's memory
// (about 30 MB) in the browser's Cache Storage, named by Pyodide's version
// and a hash of the wheels; later loads start from it.  NB: Pyodide's
// snapshots (_makeSnapshot, _loadSnapshot) are marked experimental; any
// failure here falls back to an ordinary start.

const SNAPSHOTS = "stepgrad-python-snapshots";
const PRELOADED = ["autograd.views.web", "nn.pages", "nn.live"]; // what the pages call, imported before the snapshot

async function snapshotName(wheels) {
  const bytes = await new Blob([version, ...wheels]).arrayBuffer();
  const hash = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return here(`python-snapshot/${hash.slice(0, 24)}`);
}

async function savedSnapshot(name) {
  try {
    const saved = await (await caches.open(SNAPSHOTS)).match(name);
    return saved ? new Uint8Array(await saved.arrayBuffer()) : null;
  } catch {
    return null; // no Cache Storage here (not a secure context)
  }
}

async function keepSnapshot(name) {
  try {
    pyodide.runPython(`
from importlib import import_module
for name in ${JSON.stringify(PRELOADED)}:
    try:
        import_module(name)
    except Exception:
        pass  # a page that needs it says why when it calls it
`);
    const snapshot = pyodide.makeMemorySnapshot();
    const cache = await caches.open(SNAPSHOTS);
    for (const old of await cache.keys()) await cache.delete(old); // an older build's
    await cache.put(name, new Response(snapshot));
  } catch (error) {
    console.warn(`stepgrad: Python's snapshot is not kept, the next visit starts it anew: ${error.message}`);
  }
}

// Loads everything; resolves to how long each part took, in ms since the worker began (for measure.mjs).
async function start(interrupt) {
  const took = {};
  const timed = (name, promise) => promise.then((value) => ((took[name] = Math.round(performance.now())), value));
  const [graphvizLoaded, wheels] = [timed("graphviz", Graphviz.load()), timed("wheels", fetchWheels())];
  const name = await snapshotName(await wheels);
  const snapshot = await savedSnapshot(name);
  took.snapshot = Boolean(snapshot);
  const keeping = !snapshot && "caches" in globalThis; // no Cache Storage outside a secure context: nothing to keep
  const loading = loadPython(snapshot ? { _loadSnapshot: snapshot } : { _makeSnapshot: keeping }).catch((error) => {
    if (!snapshot) throw error;
    console.warn(`stepgrad: Python's snapshot did not load, Python starts anew: ${error.message}`);
    caches.open(SNAPSHOTS).then((cache) => cache.delete(name)); // not tried again
    took.snapshot = false;
    return loadPython({});
  });
  pyodide = await timed("python", loading);
  for (const wheel of await wheels) pyodide.unpackArchive(wheel, "wheel");
  // Taken now, before any JavaScript object reaches Python (keepSnapshot runs synchronously up to
  // the snapshot), and stored while the page goes on.
  if (keeping) keepSnapshot(name);
  const graphviz = await graphvizLoaded;
  globalThis.stepgradDotToSvg = (dot) => graphviz.dot(dot); // draw_dot(...).pipe("svg"): autograd/views/draw.py
  pyodide.setStdout({ batched: print });
  pyodide.setStderr({ batched: print });
  if (interrupt) pyodide.setInterruptBuffer(interrupt);
  bridge = pyodide.runPython(BRIDGE);
  took.ready = Math.round(performance.now());
  return took;
}

// `value` with every undefined (Python's None, as toJs gives it) made null, as in JSON.
function nulled(value) {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(nulled);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key of Object.keys(value)) value[key] = nulled(value[key]);
  }
  return value;
}

function call({ id, module, name, kwargs }) {
  calling = id;
  printed = 0;
  let answer;
  try {
    const outcome = bridge(module, name, JSON.stringify(kwargs));
    const [ok, value] = outcome.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
    outcome.destroy();
    answer = ok ? { type: "result", id, value: nulled(value) } : { type: "error", id, pythonType: value[0], message: value[1] };
  } catch (error) {
    // the result is not JSON data, or Pyodide itself failed
    answer = { type: "error", id, pythonType: error.type || error.name, message: String(error.message).trim().split("\n").pop() };
  }
  calling = null;
  postMessage(answer);
}

onmessage = async ({ data }) => {
  if (data.type === "start") {
    try {
      postMessage({ type: "ready", took: await start(data.interrupt) });
    } catch (error) {
      postMessage({ type: "failed", message: String(error.message || error).split("\n")[0] });
    }
  } else if (data.type === "wasm") {
    compiledByPage(data.module);
  } else if (data.type === "call") {
    call(data);
  }
};
