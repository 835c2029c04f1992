// Page 3: a network learning a 2-D data set, live.  The session lives in the
// worker's Python (nn/live.py, kept as "train"); this page only sends the
// texts typed in its fields, asks for steps and draws the plain data that
// comes back, so it keeps drawing and listening while Python trains.
// The settings are kept in the page's address (?dataset=xor&hidden=8,8&...),
// so a shared link opens the same setup; a setting Python cannot use comes
// back with its field's key and a message quoting what was typed.
import { GraphView } from "./graphview.js";
import { python } from "./runtime.js";
import { page } from "./site.js";
import { Plane, drawChart } from "./plane.js";

const KEY = "train";
const FIELDS = ["dataset", "noise", "test", "points", "hidden", "activation", "lr", "batch", "seed"]; // nn.session's settings
const PAGE_DEFAULTS = { test: "0.2" }; // beside TrainingSession's own defaults: a test split, so test loss shows
const GRID = 32; // the decision boundary's samples per side
const BUDGET_MS = 20; // Python steps for about this long per call, so Pause lands within a call or two
const GRID_EVERY_MS = 100; // while training, the boundary is scored anew at most this often (it costs more than steps)
const CALL_TIMEOUT_MS = 60_000; // a first step of 2,000 points through 4 layers, recording included
const GRAPH_TIMEOUT_MS = 30_000; // laying out a 16,16 network's point graph

class TrainingView {
  constructor(main) {
    const $ = (id) => main.querySelector(`#${id}`);
    this.$ = $;
    this.main = main;
    this.plane = new Plane($("plane"), [-1, 1, -1, 1]);
    const onPart = (whole) => this.plane.selected >= 0 && this.showPoint(this.plane.selected, whole);
    this.graphView = new GraphView($("graph"), { label: "the chosen point's graph through its loss", onPart });
    this.graphWhole = null; // the point graph drawn whole (true), near the loss (false), or as its size suits (null)
    this.running = false;
    this.alive = false; // a session is kept in Python as KEY
    this.generation = 0; // bumped whenever the session is replaced: answers for an older one are dropped
    this.compilingNext = false;
    this.remaking = null; // the promise of making the session again (`remake`)
    this.gridAt = -Infinity; // when the last grid came
    this.inFlight = Promise.resolve();
    this.history = emptyHistory();
    this.steps = 0;
    this.removers = [
      listen($("setup"), "submit", (event) => {
        event.preventDefault();
        this.create(this.typed(), { focusOnError: true });
      }),
      listen($("train"), "click", () => this.setRunning(!this.running)),
      // One step at a time runs eager: recording it for replay (a pause of a second or more) pays only when training runs on.
      listen($("one"), "click", () => !this.running && this.alive && this.trainOnce({ steps: 1, eager: true })),
      listen($("reset"), "click", () => this.reset()),
      listen($("plane"), "click", (event) => this.onPlaneClick(event)),
      listen($("plane"), "keydown", (event) => this.onPlaneKey(event)),
      listen($("plane"), "focus", () => this.plane.cursor || this.plane.moveCursor(0, 0)),
      python.onRestart(() => this.remake()),
    ];
    for (const [name, value] of Object.entries(this.fromAddress())) this.fill(name, value);
    this.enable(false);
    this.plane.draw();
    python.ready.then(() => this.create(this.fromAddress())).catch(() => {}); // a failed start is shown in #status (runtime.js)
  }

  unmount() {
    this.running = false;
    this.generation++;
    for (const remove of this.removers) remove();
    python.call("nn.live", "forget", { key: KEY }).catch(() => {});
  }

  // --- settings: the fields, the address, Python's answer ----------------------------

  fromAddress() {
    const params = new URLSearchParams(location.search);
    const settings = { ...PAGE_DEFAULTS };
    for (const name of FIELDS) if (params.has(name)) settings[name] = params.get(name);
    return settings;
  }

  typed() {
    return Object.fromEntries(FIELDS.map((name) => [name, this.$(name).value]));
  }

  // Shows `text` in field `name`; a <select> given a value it lacks shows it as an extra option,
  // so that what a link asked for is on screen and Python's message about it makes sense.
  fill(name, text) {
    const field = this.$(name);
    if (field.tagName === "SELECT" && ![...field.options].some((option) => option.value === text)) {
      field.querySelector("option[data-extra]")?.remove();
      const extra = new Option(text, text);
      extra.dataset.extra = "";
      field.append(extra);
    }
    field.value = text;
  }

  keepInAddress(settings) {
    const url = new URL(location.href);
    url.search = new URLSearchParams(settings).toString();
    history.replaceState(history.state, "", url);
  }

  // --- calls to Python -------------------------------------------------------------

  // A new session from `settings` (texts by key); on a rejected setting, everything shown is cleared.
  async create(settings, { focusOnError = false } = {}) {
    await this.stopTraining();
    const generation = ++this.generation;
    this.alive = false;
    this.showError(null);
    const answer = await this.call("create", { settings, grid: GRID });
    if (answer === null || generation !== this.generation) return;
    if (answer.error) {
      this.clearResults();
      this.showError(answer.error.message, answer.error.key, focusOnError);
      return;
    }
    for (const [name, value] of Object.entries(answer.settings)) this.fill(name, value);
    this.keepInAddress(answer.settings);
    this.showView(answer);
  }

  async reset() {
    if (!this.alive) return;
    await this.stopTraining();
    const generation = ++this.generation;
    const answer = await this.call("reset", {});
    if (answer !== null && generation === this.generation) this.showView(answer);
  }

  // One call of nn.live.train: one step, or (training) as many as fit in BUDGET_MS.
  async trainOnce(kwargs) {
    const generation = this.generation;
    const compiling = this.compilingNext && !kwargs.eager;
    this.$("compiling").textContent = compiling ? "compiling… (this step is recorded once, then replayed fast)" : "";
    const grid = !this.running || performance.now() - this.gridAt >= GRID_EVERY_MS;
    const call = this.call("train", { grid, ...kwargs });
    this.inFlight = call;
    const answer = await call;
    this.$("compiling").textContent = "";
    if (answer === null) return; // shown by `call`, training stopped
    if (generation !== this.generation) return;
    this.compilingNext = answer.compiling_next;
    for (const column of Object.keys(this.history)) this.history[column].push(...answer.history[column]);
    const ran = answer.steps - this.steps;
    this.steps = answer.steps;
    const drawing = performance.now();
    if (answer.grid) [this.plane.grid, this.gridAt] = [answer.grid, drawing];
    this.plane.draw();
    this.showNumbers();
    const timing = this.$("timing");
    timing.textContent = `${ran} step${ran === 1 ? "" : "s"} took ${answer.ms.toFixed(0)} ms`;
    timing.dataset.ms = (answer.ms / ran).toFixed(2); // per step, in Python
    if (answer.grid) timing.dataset.gridMs = answer.grid_ms.toFixed(2); // scoring the grid, in Python
    timing.dataset.drawMs = (performance.now() - drawing).toFixed(2); // this page's drawing of them
  }

  // nn.live.`name`(key, ...kwargs); null (the one line shown in #error, training stopped) when it fails.
  async call(name, kwargs, timeout = CALL_TIMEOUT_MS) {
    try {
      return await python.call("nn.live", name, { key: KEY, ...kwargs }, { timeout });
    } catch (failure) {
      this.running = false;
      this.showRunning();
      if (failure.stopped) this.remake(); // a step cut short may have left the session half updated
      else this.showError(failure.message);
      return null;
    }
  }

  async setRunning(on) {
    if (on && (!this.alive || this.running)) return;
    this.running = on;
    this.showRunning();
    if (!on) {
      await this.inFlight;
      if (!this.running && this.plane.selected >= 0) this.showPoint(this.plane.selected);
      return;
    }
    while (this.running && this.alive) {
      await this.trainOnce({ steps: 1000, budget_ms: BUDGET_MS });
      await nextFrame(); // let the page draw what came back before asking again
    }
  }

  async stopTraining() {
    this.running = false;
    this.showRunning();
    await this.inFlight;
  }

  // The graph of training point `index` through its loss, drawn by Graphviz in the worker.
  // A large graph is drawn near the loss unless `whole` (GraphView's "Show the whole graph" asks for it).
  async showPoint(index, whole = index === this.plane.selected ? this.graphWhole : null) {
    const generation = this.generation;
    this.plane.selected = index;
    this.graphWhole = whole;
    this.plane.draw();
    this.$("point-title").textContent = `Point ${index}: drawing its graph…`;
    const answer = await this.call("point_graph", { index, whole }, GRAPH_TIMEOUT_MS);
    if (answer === null || generation !== this.generation) return;
    this.$("point-title").textContent = answer.title;
    this.graphView.show(answer.svg, { current: answer.current, part: answer.part });
  }

  async addPoint(x, y) {
    const label = Number(this.main.querySelector("input[name=class]:checked").value);
    const generation = this.generation;
    const answer = await this.call("add_point", { x, y, label });
    if (answer === null || generation !== this.generation) return;
    this.plane.points.push(answer.point);
    this.plane.labels.push(answer.label);
    this.compilingNext = answer.compiling_next;
    this.plane.draw();
    this.say(`added point ${answer.index}, class ${answer.label}, at ${place(answer.point)}`);
  }

  // After Stop, a time limit or a restart of Python: the session is gone or not to be trusted, so it is
  // made again from the settings in the address (the steps and the points added are lost).
  remake() {
    if (this.remaking) return;
    this.running = false;
    this.alive = false;
    this.generation++;
    this.enable(false);
    this.remaking = python.ready
      .then(() => this.create(this.fromAddress()))
      .finally(() => {
        this.remaking = null;
        this.$("timing").textContent = "Python was stopped: the network was made again from its settings";
      });
  }

  // --- what the page shows -----------------------------------------------------------

  showView(answer) {
    this.alive = true;
    this.compilingNext = answer.compiling_next;
    this.history = answer.history;
    this.steps = answer.steps;
    const { plane } = this;
    Object.assign(plane, {
      bounds: answer.bounds, grid: answer.grid, points: answer.points, labels: answer.labels,
      testPoints: answer.test_points, testLabels: answer.test_labels, selected: -1,
    });
    this.cursorPoint = undefined;
    if (plane.cursor) plane.moveCursor(0, 0); // kept inside the new bounds
    plane.draw();
    this.clearGraph();
    this.showNumbers();
    this.enable(true);
  }

  clearResults() {
    this.history = emptyHistory();
    this.steps = 0;
    Object.assign(this.plane, { grid: null, points: [], labels: [], testPoints: [], testLabels: [], selected: -1, note: "No network: see the message above" });
    this.plane.draw();
    this.clearGraph();
    this.showNumbers();
    this.$("timing").textContent = "";
    this.enable(false);
  }

  clearGraph() {
    this.graphView.clear();
    this.$("point-title").textContent = "Choose a point to see its graph";
  }

  showNumbers() {
    const { history, $ } = this;
    const last = (column) => (history[column].length ? history[column][history[column].length - 1] : null);
    const loss = (value) => (value === null ? "–" : value.toFixed(4));
    const percent = (value) => (value === null ? "–" : `${(100 * value).toFixed(1)}%`);
    $("steps").textContent = this.steps;
    $("loss").textContent = loss(last("loss"));
    $("accuracy").textContent = percent(last("accuracy"));
    $("test-loss").textContent = loss(last("test_loss"));
    $("test-accuracy").textContent = percent(last("test_accuracy"));
    const lines = (train, test) => [
      { values: history[train], className: "train-line" },
      { values: history[test], className: "test-line" },
    ];
    drawChart($("loss-chart"), lines("loss", "test_loss"), { yLabel: "loss", format: (v) => String(Number(v.toPrecision(3))) });
    drawChart($("accuracy-chart"), lines("accuracy", "test_accuracy"), { yMax: 1, yLabel: "accuracy", format: (v) => `${Math.round(100 * v)}%` });
  }

  // `message` in #error (null clears it); the field `key` marked as the one to fix, focused on request.
  showError(message, key = null, focus = false) {
    const { $ } = this;
    $("error").textContent = message ?? "";
    for (const name of FIELDS) {
      const field = $(name);
      const bad = name === key;
      field.setAttribute("aria-invalid", String(bad));
      if (bad) field.setAttribute("aria-describedby", "error");
      else field.removeAttribute("aria-describedby");
    }
    if (key && focus) {
      $(key).focus();
      $("error").scrollIntoView({ block: "nearest" }); // on a phone the message sits above the form
    }
  }

  showRunning() {
    this.$("train").textContent = this.running ? "Pause" : "Train";
    setEnabled(this.$("one"), this.alive && !this.running);
  }

  enable(on) {
    for (const id of ["train", "reset"]) setEnabled(this.$(id), on);
    this.showRunning();
  }

  say(text) {
    this.$("plane-said").textContent = text;
  }

  // --- the plane, by mouse and by keyboard -----------------------------------------------

  onPlaneClick(event) {
    if (!this.alive) return;
    const [px, py] = this.plane.eventPixel(event);
    const index = this.plane.pointAt(px, py);
    if (index >= 0) return this.showPoint(index);
    this.addPoint(...this.plane.toData(px, py));
  }

  onPlaneKey(event) {
    if (!this.alive || event.altKey || event.ctrlKey || event.metaKey) return;
    const { plane } = this;
    const fast = event.shiftKey ? 5 : 1;
    const moves = { ArrowLeft: [-fast, 0], ArrowRight: [fast, 0], ArrowUp: [0, fast], ArrowDown: [0, -fast] };
    const key = event.key.toLowerCase();
    if (event.key in moves) {
      plane.moveCursor(...moves[event.key]);
      this.sayCursor();
    } else if (event.key === "Enter") {
      this.addPoint(...(plane.cursor ?? plane.moveCursor(0, 0)));
    } else if (event.key === " ") {
      const index = plane.pointAtCursor();
      if (index >= 0) this.showPoint(index);
      else this.say("no point under the cursor: N goes to the next one");
    } else if ((key === "n" || key === "p") && plane.points.length) {
      const count = plane.points.length;
      const from = this.cursorPoint ?? (key === "n" ? -1 : 0);
      this.cursorPoint = (from + (key === "n" ? 1 : -1) + count) % count;
      plane.cursorTo(this.cursorPoint);
      this.sayCursor();
    } else if (key === "0" || key === "1") {
      this.main.querySelector(`input[name=class][value="${key}"]`).checked = true;
      this.say(`new points are class ${key}`);
    } else {
      return;
    }
    event.preventDefault();
  }

  sayCursor() {
    const index = this.plane.pointAtCursor();
    const here = place(this.plane.cursor);
    this.say(index >= 0 ? `point ${index}, class ${this.plane.labels[index]}, at ${here}: Space shows its graph` : `cursor at ${here}`);
  }
}

function emptyHistory() {
  return { loss: [], accuracy: [], test_loss: [], test_accuracy: [] };
}

function place([x, y]) {
  return `(${x.toFixed(2)}, ${y.toFixed(2)})`;
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function listen(target, type, handler) {
  target.addEventListener(type, handler);
  return () => target.removeEventListener(type, handler);
}

// A button that stays focusable when it cannot be used (focus is never lost): aria-disabled, not disabled.
function setEnabled(button, enabled) {
  button.setAttribute("aria-disabled", String(!enabled));
}

page({
  mount(main) {
    try {
      const view = new TrainingView(main);
      return () => view.unmount();
    } catch (failure) {
      main.querySelector("#error").textContent = `The page could not start: ${failure.message}`;
      throw failure;
    }
  },
});
