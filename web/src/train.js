// Page 3: nn.session.TrainingSession learning moons or circles, live.
import { oneLine, plain, setStatus, startStepgrad, timed } from "./runtime.js";
import { Plane, drawCurves } from "./plane.js";

const GRID = 40; // the decision boundary is sampled on GRID x GRID points
const $ = (id) => document.getElementById(id);

let pyodide, sessions, drawing, session, plane;
let running = false;
let selected = -1;
let points = [];
let labels = [];

function showError(failure) {
  $("error").textContent = failure ? oneLine(failure) : "";
}

function newSession() {
  const hidden = $("hidden").value.split(",").map((size) => Number(size.trim()));
  const made = sessions.TrainingSession.callKwargs({ data: $("data").value, hidden: pyodide.toPy(hidden) });
  if (session) session.destroy();
  session = made;
  plane = new Plane($("plane"), plain(session.bounds()));
  selected = -1;
  $("graph").replaceChildren();
  $("point-title").textContent = "Click a point to see its graph";
  redraw();
}

function redraw() {
  points = plain(session.X);
  labels = plain(session.y);
  plane.draw(plain(session.decision_grid(plane.bounds, GRID)), points, labels, selected);
  const history = session.history;
  const losses = plain(history.loss);
  const accuracies = plain(history.accuracy);
  history.destroy();
  drawCurves($("curves"), losses, accuracies);
  $("steps").textContent = losses.length;
  if (losses.length) {
    $("loss").textContent = losses[losses.length - 1].toFixed(4);
    $("accuracy").textContent = `${(100 * accuracies[accuracies.length - 1]).toFixed(1)}%`;
  } else {
    $("loss").textContent = $("accuracy").textContent = "–";
  }
}

function oneStep() {
  timed("one training step", () => plain(session.step()));
  redraw();
}

// Point `index`'s graph through its loss, with its data and grads now.
function showPoint(index) {
  selected = index;
  try {
    const loss = session.point_graph(index);
    const svg = drawing.draw_dot(loss).pipe.callKwargs({ format: "svg", encoding: "utf-8" });
    loss.destroy();
    const graph = $("graph");
    graph.innerHTML = svg;
    // Drawn at full size; start at the loss, on the right, halfway down.
    graph.scrollLeft = graph.scrollWidth;
    graph.scrollTop = (graph.scrollHeight - graph.clientHeight) / 2;
    $("point-title").textContent = `Point ${index} (class ${labels[index]}): its loss, after step ${session.steps}`;
  } catch (failure) {
    $("graph").replaceChildren();
    showError(failure);
  }
  redraw();
}

function loop() {
  if (!running) return;
  oneStep();
  setTimeout(loop, 0);
}

function setRunning(on) {
  running = on;
  $("train").textContent = on ? "Pause" : "Train";
  $("one").disabled = on;
  if (on) loop();
  else if (selected >= 0) showPoint(selected);
}

function onPlaneClick(event) {
  const box = $("plane").getBoundingClientRect();
  const px = ((event.clientX - box.left) / box.width) * $("plane").width;
  const py = ((event.clientY - box.top) / box.height) * $("plane").height;
  const index = plane.pointAt(points, px, py);
  if (index >= 0) return showPoint(index);
  const [x, y] = plane.toData(px, py);
  session.add_point(x, y, Number(document.querySelector("input[name=class]:checked").value));
  redraw();
}

try {
  pyodide = await startStepgrad();
  sessions = pyodide.pyimport("nn.session");
  drawing = pyodide.pyimport("autograd.views.draw");
  newSession();
  $("setup").addEventListener("submit", (event) => {
    event.preventDefault();
    setRunning(false);
    showError(null);
    try {
      newSession();
    } catch (failure) {
      showError(failure);
    }
  });
  $("train").addEventListener("click", () => setRunning(!running));
  $("one").addEventListener("click", oneStep);
  $("plane").addEventListener("click", onPlaneClick);
  for (const id of ["new", "train", "one"]) $(id).disabled = false;
  setStatus("ready");
} catch (failure) {
  setStatus(`failed: ${oneLine(failure)}`);
  throw failure;
}
