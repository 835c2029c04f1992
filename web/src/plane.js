// Drawing for the training page: the plane (decision boundary and points) on
// a canvas, and the loss and accuracy curves as SVG polylines.
const CLASS_COLORS = ["#1f77b4", "#ff7f0e"];
const REGION_COLORS = ["rgba(31,119,180,0.25)", "rgba(255,127,14,0.25)"];

export class Plane {
  constructor(canvas, bounds) {
    this.canvas = canvas;
    this.bounds = bounds; // [x_min, x_max, y_min, y_max]
  }

  toPixel([x, y]) {
    const [x0, x1, y0, y1] = this.bounds;
    return [((x - x0) / (x1 - x0)) * this.canvas.width, ((y1 - y) / (y1 - y0)) * this.canvas.height];
  }

  toData(px, py) {
    const [x0, x1, y0, y1] = this.bounds;
    return [x0 + (px / this.canvas.width) * (x1 - x0), y1 - (py / this.canvas.height) * (y1 - y0)];
  }

  // The index of the point within `radius` pixels of (px, py), or -1.
  pointAt(points, px, py, radius = 7) {
    let best = -1;
    let bestDistance = radius;
    points.forEach((point, index) => {
      const [x, y] = this.toPixel(point);
      const distance = Math.hypot(x - px, y - py);
      if (distance <= bestDistance) [best, bestDistance] = [index, distance];
    });
    return best;
  }

  // grid: n rows of n scores, from the bottom row up; a score > 0 is class 1.
  draw(grid, points, labels, selected) {
    const context = this.canvas.getContext("2d");
    const n = grid.length;
    const width = this.canvas.width / (n - 1);
    const height = this.canvas.height / (n - 1);
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    grid.forEach((row, j) =>
      row.forEach((score, i) => {
        context.fillStyle = REGION_COLORS[score > 0 ? 1 : 0];
        context.fillRect((i - 0.5) * width, this.canvas.height - (j + 0.5) * height, width, height);
      }),
    );
    points.forEach((point, index) => {
      const [x, y] = this.toPixel(point);
      context.beginPath();
      context.arc(x, y, index === selected ? 7 : 4, 0, 2 * Math.PI);
      context.fillStyle = CLASS_COLORS[labels[index]];
      context.fill();
      context.lineWidth = index === selected ? 3 : 1;
      context.strokeStyle = "#222";
      context.stroke();
    });
    // A hook for tests: where point 0 is drawn, in canvas pixels.
    this.canvas.dataset.point0 = points.length ? this.toPixel(points[0]).map(Math.round).join(",") : "";
  }
}

// Loss (scaled to its largest value) and accuracy (0 to 1) against the step.
export function drawCurves(svg, losses, accuracies) {
  const width = 400;
  const height = 200;
  const steps = Math.max(losses.length - 1, 1);
  const top = Math.max(...losses, 1e-9);
  const line = (values, scale, className) => {
    const points = values.map((v, k) => `${((k / steps) * width).toFixed(1)},${(height - (v / scale) * (height - 4) - 2).toFixed(1)}`);
    return `<polyline class="${className}" fill="none" points="${points.join(" ")}"/>`;
  };
  svg.innerHTML = `<rect width="${width}" height="${height}" class="frame"/>` +
    line(losses, top, "loss-line") + line(accuracies, 1, "accuracy-line");
}
