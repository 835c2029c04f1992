// Start the real stepgrad in this page: Python (Pyodide), stepgrad's wheels,
// and Graphviz compiled to WebAssembly for draw_dot's SVG.  Every file comes
// from this site; nothing is fetched from anywhere else.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { Graphviz } from "./vendor/graphviz.js";

const here = (path) => new URL(path, import.meta.url).href;

async function fetchWheels() {
  const names = await (await fetch(here("wheels/wheels.json"))).json();
  return Promise.all(names.map(async (name) => (await fetch(here(`wheels/${name}`))).arrayBuffer()));
}

// Returns Pyodide with stepgrad importable; draw_dot(...).pipe("svg") then
// calls globalThis.stepgradDotToSvg (see autograd/views/draw.py).
export async function startStepgrad() {
  const marked = (name, promise) => promise.then((value) => (performance.mark(name), value));
  const [pyodide, graphviz, wheels] = await Promise.all([
    marked("python loaded", loadPyodide({ indexURL: here("pyodide/") })),
    marked("graphviz loaded", Graphviz.load()),
    marked("wheels fetched", fetchWheels()),
  ]);
  globalThis.stepgradDotToSvg = (dot) => graphviz.dot(dot);
  for (const wheel of wheels) pyodide.unpackArchive(wheel, "wheel");
  performance.mark("wheels unpacked");
  return pyodide;
}

// A Python dict or list returned to JavaScript, as plain objects and arrays.
export function plain(proxy) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries });
  proxy.destroy();
  return value;
}

// A Python error as one readable line: the exception's last line, and for
// a student's program (ProgramError) only its message.
export function oneLine(error) {
  const lines = String(error.message).trim().split("\n");
  return lines[lines.length - 1].replace(/^autograd\.views\.web\.ProgramError: /, "");
}

// #status; its data-ms says when it was set, in ms since the page's navigation began.
export function setStatus(text) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.dataset.ms = performance.now().toFixed(1);
}

// Time a call, in milliseconds, into the page's #timing line.
export function timed(label, call) {
  const start = performance.now();
  const result = call();
  const ms = performance.now() - start;
  const timing = document.getElementById("timing");
  if (timing) {
    timing.textContent = `${label} took ${ms.toFixed(1)} ms`;
    timing.dataset.ms = ms.toFixed(2);
  }
  return result;
}
