// The page's side of the one Python of a visit (python-worker.js): calls go
// to the worker one at a time and come back as plain data; the page's thread
// never runs Python, so it keeps drawing and listening.
//
//   import { python } from "./runtime.js";
//   await python.ready;
//   const view = await python.call("autograd.views.web", "step_view_of", { key: "tanh", position: 3 },
//                                  { timeout: 5000, onPrint: (line) => ... });
//   python.stop();                 // ends the running call now
//   python.onRestart(() => ...);   // after a restart, what Python kept between calls is gone
//
// A call that runs past its time limit (5 s unless `timeout` says otherwise,
// Infinity for none) or is stopped rejects at once with `.stopped = true`.
// When the page is cross-origin isolated (SharedArrayBuffer: a page the
// service worker sw.js serves), Python is then interrupted (KeyboardInterrupt)
// and the worker lives on; otherwise, as on a first visit to a plain static
// server, the worker is ended and a new one started, from the browser's
// cache and the snapshot of Python that python-worker.js keeps.
//
// #status is kept here: `loading…`, then `running` while Python works and
// `ready` when idle; body[data-busy="true"] while it works or loads (an
// event "stepgrad:busy" on document when that changes).  A page being
// mounted (site.js) counts as work, so `ready` means the page is ready.
import { serviceWorker } from "./site.js";

export const DEFAULT_TIMEOUT_MS = 5000;
const GRACE_MS = 2000; // after an interrupt, how long Python has to stop before its worker is ended
const STOPPED = { // a stopped call's message, by its `.reason`
  stop: () => "stopped by Stop",
  timeout: (ms) => `stopped after ${ms / 1000} s, the time limit`,
  restart: () => "stopped: Python was restarted",
};

// A call's failure as an Error with one readable line.
function failure(message, fields) {
  return Object.assign(new Error(message), fields);
}

// The failure of a call ended by Stop, its time limit or a restart: `.stopped`, and `.reason` says which.
function stopped(call, pythonType) {
  const reason = call.stopping || "restart";
  return failure(STOPPED[reason](call.timeout), { pythonType, stopped: true, reason });
}

class Python {
  constructor() {
    this.restartHandlers = new Set();
    this.waiting = []; // calls not sent yet, first first
    this.running = null; // { id, resolve, reject, onPrint, timer, stopping }
    this.holds = 0; // pages mounting (site.js): counted as work, so #status reads ready only when a page is
    this.lastId = 0;
    this.interrupt = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.start();
  }

  // A new worker; `ready` resolves once it has loaded Python.  On a first visit the service
  // worker takes control first, so that everything Python loads is kept for the next visit.
  start() {
    this.state = "loading";
    performance.mark("python starts");
    this.ready = new Promise((resolve, reject) => {
      this.started = { resolve, reject };
    });
    this.ready.catch(() => {}); // failures are shown in #status; callers that await `ready` see them too
    const generation = (this.generation = (this.generation ?? 0) + 1);
    serviceWorkerInCharge().then(() => {
      if (generation !== this.generation) return; // restarted meanwhile
      const worker = (this.worker = new Worker(new URL("./python-worker.js", import.meta.url), { type: "module" }));
      worker.onmessage = ({ data }) => this.heard(data);
      worker.onerror = (event) => this.failed(event.message || "the Python worker could not start");
      worker.postMessage({ type: "start", interrupt: this.interrupt });
      this.compiled().then((module) => worker.postMessage({ type: "wasm", module }));
    });
    this.show();
  }

  // Python's WebAssembly, compiled here once per visit (Chrome keeps the compiled code for the
  // next visit, which it does not for a worker) and handed to each worker; null if it failed.
  compiled() {
    this.module ??= WebAssembly.compileStreaming(fetch(new URL("./pyodide/pyodide.asm.wasm", import.meta.url))).catch((error) => {
      console.warn(`stepgrad: Python's WebAssembly is compiled in the worker instead: ${error.message}`);
      return null;
    });
    return this.module;
  }

  failed(message) {
    this.state = "failed";
    this.failure = message;
    this.started.reject(failure(message, { pythonType: "" }));
    for (const call of this.waiting.splice(0)) call.reject(failure(`Python did not load: ${message}`, { pythonType: "" }));
    this.show();
  }

  heard(message) {
    if (message.type === "ready") {
      this.state = "ready";
      this.loadTimes = message.took; // what measure.mjs reports
      performance.mark("python ready");
      this.started.resolve();
      this.next();
    } else if (message.type === "failed") {
      this.failed(message.message);
    } else if (message.id === this.running?.id) {
      if (message.type === "print") this.running.onPrint?.(message.text);
      else this.finish(message);
    }
    this.show();
  }

  // Calls `module`.`name`(**kwargs) in the worker; resolves to its result as plain data.
  call(module, name, kwargs = {}, { timeout = DEFAULT_TIMEOUT_MS, onPrint = null } = {}) {
    if (this.state === "failed") return Promise.reject(failure(`Python did not load: ${this.failure}`, { pythonType: "" }));
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: ++this.lastId, module, name, kwargs, timeout, onPrint, resolve, reject });
      this.next();
      this.show();
    });
  }

  next() {
    if (this.running || this.state !== "ready" || !this.waiting.length) return;
    const call = (this.running = this.waiting.shift());
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    const { id, module, name, kwargs } = call;
    this.worker.postMessage({ type: "call", id, module, name, kwargs });
    if (Number.isFinite(call.timeout)) call.timer = setTimeout(() => this.end("timeout"), call.timeout);
  }

  finish({ type, value, pythonType, message }) {
    const call = this.running;
    clearTimeout(call.timer);
    this.running = null;
    if (call.stopping) return this.next(); // already rejected by `end`: its answer comes too late
    if (type === "result") call.resolve(value);
    else call.reject(failure(message, { pythonType }));
    this.next();
  }

  // Ends the running call now (Stop).
  stop() {
    this.end("stop");
  }

  // The running call fails as stopped at once, so the page can say so; then Python is
  // interrupted (calls waiting go on after it) or, failing that, restarted.
  end(why) {
    const call = this.running;
    if (!call || call.stopping) return;
    call.stopping = why;
    clearTimeout(call.timer);
    call.reject(stopped(call, ""));
    if (this.interrupt) {
      Atomics.store(this.interrupt, 0, 2); // SIGINT: KeyboardInterrupt at Python's next instruction
      setTimeout(() => this.running === call && this.restart(), GRACE_MS);
    } else {
      this.restart();
    }
    this.show();
  }

  // A new worker: the running call and those waiting fail as stopped; pages rebuild their state.
  restart() {
    this.worker?.terminate();
    this.worker = null;
    const ended = [this.running, ...this.waiting].filter(Boolean);
    this.running = null;
    this.waiting = [];
    for (const call of ended) {
      clearTimeout(call.timer);
      call.reject(stopped(call, ""));
    }
    this.start();
    for (const handler of this.restartHandlers) handler();
  }

  // `handler` runs after each restart; returns a function that removes it (for a page's unmount).
  onRestart(handler) {
    this.restartHandlers.add(handler);
    return () => this.restartHandlers.delete(handler);
  }

  // While `promise` is pending the page counts as working (#status: running); site.js holds a mounting page.
  async busyUntil(promise) {
    this.holds++;
    this.show();
    try {
      return await promise;
    } finally {
      this.holds--;
      this.show();
    }
  }

  get busy() {
    return Boolean(this.running || this.waiting.length || this.holds);
  }

  // #status and body[data-busy]; called after every change, and by site.js after a page is swapped in.
  show() {
    const text = { loading: "loading…", failed: `failed: ${this.failure}` }[this.state] ?? (this.busy ? "running" : "ready");
    const busy = String(this.state !== "ready" || this.busy);
    if (document.body.dataset.busy !== busy) {
      document.body.dataset.busy = busy;
      document.dispatchEvent(new Event("stepgrad:busy")); // pages turn the buttons that would conflict on or off
    }
    const status = document.getElementById("status");
    if (status && status.textContent !== text) {
      status.textContent = text;
      status.dataset.ms = performance.now().toFixed(1); // when it was set, in ms since the visit began
    }
  }
}

// Resolves once a service worker controls this page (site.js registers it), or at once where there
// is none.  (Not waiting costs more: what a worker started before it loads is not kept for the
// next visit, offline included, and copying it afterwards downloaded Python twice.)
async function serviceWorkerInCharge(patienceMs = 3000) {
  const container = navigator.serviceWorker;
  if (!container || container.controller || !(await serviceWorker)) return;
  if (container.controller) return;
  await new Promise((resolve) => {
    container.addEventListener("controllerchange", resolve, { once: true });
    setTimeout(resolve, patienceMs);
  });
}

export const python = new Python();
document.addEventListener("stepgrad:mounting", ({ detail: mounted }) => python.busyUntil(mounted).catch(() => {}));
document.addEventListener("stepgrad:swapped", () => python.show());

// Time an awaited call, in milliseconds, into the page's #timing line.
export async function timed(label, call) {
  const start = performance.now();
  const result = await call();
  const ms = performance.now() - start;
  const timing = document.getElementById("timing");
  if (timing) {
    timing.textContent = `${label} took ${ms.toFixed(0)} ms`;
    timing.dataset.ms = ms.toFixed(2);
  }
  return result;
}

