// Drawing for the training page: the plane (the network's scores as colour,
// the training and held-out points, a keyboard cursor) on a canvas, and line
// charts with axes and scales as SVG.  No Python here: train.js passes the
// plain data nn/live.py answers.
export const CLASS_COLORS = ["#1f77b4", "#d45500"]; // blue, orange (3.9:1 and 4.0:1 on white: seen as shapes, not text)
const REGION_RGB = [[31, 119, 180], [255, 127, 14]];
const CURSOR_STEPS = 40; // an arrow key moves the cursor 1/40 of the plane
const MAX_CHART_POINTS = 400;

export class Plane {
  // bounds: [x_min, x_max, y_min, y_max] of the data the canvas shows.
  constructor(canvas, bounds) {
    this.canvas = canvas;
    this.bounds = bounds;
    this.cursor = null; // [x, y] in data units, once the keyboard has moved it
    this.grid = null;
    this.points = [];
    this.labels = [];
    this.testPoints = [];
    this.testLabels = [];
    this.selected = -1;
    this.note = "Python is loading…"; // written on the plane while there is no grid
  }

  toPixel([x, y]) {
    const [x0, x1, y0, y1] = this.bounds;
    return [((x - x0) / (x1 - x0)) * this.canvas.width, ((y1 - y) / (y1 - y0)) * this.canvas.height];
  }

  toData(px, py) {
    const [x0, x1, y0, y1] = this.bounds;
    return [x0 + (px / this.canvas.width) * (x1 - x0), y1 - (py / this.canvas.height) * (y1 - y0)];
  }

  // A mouse event's place in canvas pixels (the canvas may be drawn smaller than its pixels).
  eventPixel(event) {
    const box = this.canvas.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * this.canvas.width, ((event.clientY - box.top) / box.height) * this.canvas.height];
  }

  // The index of the training point within `radius` canvas pixels of (px, py), or -1.
  pointAt(px, py, radius = 7) {
    let best = -1;
    let bestDistance = radius;
    this.points.forEach((point, index) => {
      const [x, y] = this.toPixel(point);
      const distance = Math.hypot(x - px, y - py);
      if (distance <= bestDistance) [best, bestDistance] = [index, distance];
    });
    return best;
  }

  // The keyboard cursor: starts in the middle; `dx`, `dy` in steps of 1/40 of the plane, kept inside it.
  moveCursor(dx, dy) {
    const [x0, x1, y0, y1] = this.bounds;
    const [x, y] = this.cursor ?? [(x0 + x1) / 2, (y0 + y1) / 2];
    const clamp = (v, low, high) => Math.min(high, Math.max(low, v));
    this.cursor = [clamp(x + (dx * (x1 - x0)) / CURSOR_STEPS, x0, x1), clamp(y + (dy * (y1 - y0)) / CURSOR_STEPS, y0, y1)];
    this.draw();
    return this.cursor;
  }

  // The cursor onto training point `index` (Tab-free way to reach each point).
  cursorTo(index) {
    this.cursor = [...this.points[index]];
    this.draw();
  }

  // The training point under the cursor, or -1.
  pointAtCursor() {
    return this.cursor ? this.pointAt(...this.toPixel(this.cursor)) : -1;
  }

  // Draws `grid` (n rows of n scores, from the bottom row up; > 0 is class 1), the points and the cursor.
  draw() {
    const { canvas } = this;
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (this.grid) drawScores(context, this.grid, canvas.width, canvas.height);
    else if (this.note) this.drawNote(context, this.note);
    this.testPoints.forEach((point, index) => this.dot(context, point, this.testLabels[index], { held: true }));
    this.points.forEach((point, index) => this.dot(context, point, this.labels[index], { selected: index === this.selected }));
    if (this.cursor) this.drawCursor(context);
    // A hook for tests: where point 0 is drawn, in canvas pixels.
    canvas.dataset.point0 = this.points.length ? this.toPixel(this.points[0]).map(Math.round).join(",") : "";
  }

  dot(context, point, label, { selected = false, held = false }) {
    const [x, y] = this.toPixel(point);
    context.beginPath();
    context.arc(x, y, selected ? 7 : 4, 0, 2 * Math.PI);
    context.fillStyle = held ? "#fff" : CLASS_COLORS[label];
    context.fill();
    context.lineWidth = selected ? 3 : held ? 2 : 1;
    context.strokeStyle = held ? CLASS_COLORS[label] : "#222";
    context.stroke();
  }

  drawNote(context, text) {
    context.save();
    context.fillStyle = "#444";
    context.font = "15px system-ui, sans-serif";
    context.textAlign = "center";
    context.fillText(text, this.canvas.width / 2, this.canvas.height / 2 - 30);
    context.restore();
  }

  drawCursor(context) {
    const [x, y] = this.toPixel(this.cursor);
    context.save();
    context.strokeStyle = "#000";
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(x - 12, y);
    context.lineTo(x - 4, y);
    context.moveTo(x + 4, y);
    context.lineTo(x + 12, y);
    context.moveTo(x, y - 12);
    context.lineTo(x, y - 4);
    context.moveTo(x, y + 4);
    context.lineTo(x, y + 12);
    context.stroke();
    context.beginPath();
    context.arc(x, y, 9, 0, 2 * Math.PI);
    context.setLineDash([3, 3]);
    context.stroke();
    context.restore();
  }
}

// The scores as colour, smoothed between the grid's samples: the side of the
// boundary by hue, how sure the network is (|score|, up to 1) by strength.
function drawScores(context, grid, width, height) {
  const n = grid.length;
  const image = new ImageData(n, n);
  grid.forEach((row, j) =>
    row.forEach((score, i) => {
      const [r, g, b] = REGION_RGB[score > 0 ? 1 : 0];
      const at = 4 * ((n - 1 - j) * n + i); // row j counts from the bottom
      image.data.set([r, g, b, Math.round(40 + 110 * Math.min(1, Math.abs(score)))], at);
    }),
  );
  const small = new OffscreenCanvas(n, n);
  small.getContext("2d").putImageData(image, 0, 0);
  context.save();
  context.imageSmoothingEnabled = true;
  // Sample k sits at the centre of its cell: the n x n image is stretched so its pixel centres span the plane.
  const cellX = width / (n - 1);
  const cellY = height / (n - 1);
  context.drawImage(small, -cellX / 2, -cellY / 2, width + cellX, height + cellY);
  context.restore();
}

// A line chart in `svg` (its viewBox is width x height): `series` are
// { values, className, label } drawn against the step (1, 2, ...), with a
// y axis from 0 to `yMax` (null: the largest value, rounded up) and ticks
// written by `format`.  Values that are null are left out.
export function drawChart(svg, series, { yMax = null, format = (v) => String(v), yLabel = "" } = {}) {
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  const margin = { left: 44, right: 10, top: 20, bottom: 30 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const steps = Math.max(1, ...series.map((s) => s.values.length));
  const present = series.flatMap((s) => s.values.filter((v) => v !== null && Number.isFinite(v)));
  const top = yMax ?? (present.length ? niceCeiling(Math.max(1e-9, ...present)) : 1);
  const xOf = (step) => margin.left + (steps === 1 ? 0 : ((step - 1) / (steps - 1)) * plotWidth);
  const yOf = (v) => margin.top + plotHeight - (Math.min(v, top) / top) * plotHeight;
  const parts = [`<rect class="frame" x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}"/>`];
  for (const tick of ticks(0, top, 4)) {
    const y = yOf(tick).toFixed(1);
    parts.push(`<line class="gridline" x1="${margin.left}" x2="${width - margin.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${margin.left - 5}" y="${y}" text-anchor="end" dominant-baseline="middle">${format(tick)}</text>`);
  }
  for (const tick of ticks(1, steps, 5).filter((t) => Number.isInteger(t))) {
    const x = xOf(tick).toFixed(1);
    parts.push(`<line class="axis" x1="${x}" x2="${x}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${tick}</text>`);
  }
  parts.push(`<text class="axis-label" x="${width - margin.right}" y="${height - 2}" text-anchor="end">step</text>`);
  if (yLabel) parts.push(`<text class="axis-label" x="${margin.left}" y="${margin.top - 6}">${yLabel}</text>`);
  const stride = Math.ceil(steps / MAX_CHART_POINTS); // a long run drawn every stride-th step: never more points than pixels
  for (const { values, className } of series) {
    const shown = [];
    for (let k = 0; k < values.length; k += stride) shown.push(k);
    if (values.length && shown[shown.length - 1] !== values.length - 1) shown.push(values.length - 1); // the last step, always
    const points = shown
      .filter((k) => values[k] !== null && Number.isFinite(values[k]))
      .map((k) => `${xOf(k + 1).toFixed(1)},${yOf(values[k]).toFixed(1)}`);
    if (points.length) parts.push(`<polyline class="${className}" fill="none" points="${points.join(" ")}"/>`);
  }
  svg.innerHTML = parts.join("");
}

// The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value.
function niceCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= value * (1 - 1e-12));
}

// About `count` round ticks from low to high, both ends included when they are round.
function ticks(low, high, count) {
  if (high <= low) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= raw);
  const first = Math.ceil(low / step) * step;
  const out = [];
  for (let t = first; t <= high + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}
