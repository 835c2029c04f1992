// GraphView: a Graphviz drawing kept readable.  Node text is drawn between
// MIN_TEXT_PX and MAX_TEXT_PX high on screen, whatever the graph's size; a
// drawing larger than its box pans and zooms inside it, by mouse (drag;
// Ctrl + wheel zooms), touch (drag; pinch zooms) and keyboard (the box is a
// focusable region: arrows move, + and - zoom, 0 fits).  After each show()
// the current node is brought into the box, and the box into the window.
// "Whole graph" zooms out to all of it (then text may be smaller than
// MIN_TEXT_PX, and the hint says so); "Readable size" comes back.
//
//   import { GraphView } from "./graphview.js";        // with graphview.css linked
//   const view = new GraphView(container, { label: "the graph of o", onPart: (whole) => ... });
//   view.show(svgText, { current: "v8" });            // current: the <title> of the node to keep in view, or null
//   view.show(svgText, { current, part: { shown: 10, total: 986, whole: false } });
//   view.show(svgText, { current, reveal: false });  // the node into the box, but the window left where it is
//   view.showWhole(); view.fit(); view.reveal(); view.clear();
//   view.destroy();                                   // when the page is left (unmount)
//
// A drawing of the same size as the one before (the same graph, another
// step) keeps the reader's zoom and place; another is fitted anew.
//
// `part` says the drawing is a part of a larger graph (the Values near the
// current one, from autograd/views/nearby.py): a line says "Showing 10 of
// 986 values" with a button "Show the whole graph", which calls
// onPart(true); after the page draws the whole, part.whole = true makes it
// "Show only the nearby values" (onPart(false)).  The page asks Python again
// and calls show() with the new drawing.

export const MIN_TEXT_PX = 10;
export const MAX_TEXT_PX = 20;
const FIT_TEXT_PX = 12; // the smallest text of a fitted view that shows a part (zooming out goes down to MIN_TEXT_PX)
const ZOOM_STEP = 1.25; // one press of + or -
const PAN_STEP = 60; // px, one press of an arrow (Shift: a box's width or height)
const MARGIN = 16; // px kept around the current node when it is scrolled into the box

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

function button(text, name, onClick) {
  const made = element("button", { type: "button", textContent: text, className: "graphview-button" });
  if (name) made.setAttribute("aria-label", name);
  made.addEventListener("click", () => made.getAttribute("aria-disabled") !== "true" && onClick());
  return made;
}

const clamp = (x, low, high) => Math.min(high, Math.max(low, x));
let views = 0; // GraphViews made on this page, for unique ids

export class GraphView {
  constructor(container, { label = "the graph's drawing", onPart = null } = {}) {
    const id = `graphview-${++views}`;
    this.onPart = onPart;
    this.svg = null;
    this.scale = 1;
    this.whole = false; // showing the whole drawing, text maybe below MIN_TEXT_PX
    this.zoomed = false; // the reader zoomed since the last show()
    this.hint = element("p", { className: "graphview-hint", id: `${id}-hint` });
    this.zoomOut = button("−", "Zoom out", () => this.zoomBy(1 / ZOOM_STEP));
    this.zoomIn = button("+", "Zoom in", () => this.zoomBy(ZOOM_STEP));
    this.wholeButton = button("Whole graph", null, () => (this.whole ? this.fit() : this.showWhole()));
    this.partText = element("span");
    this.partButton = button("", null, () => this.onPart?.(!this.partWhole));
    this.partLine = element("p", { className: "graphview-part", hidden: true }, this.partText, " ", this.partButton);
    this.viewport = element("div", { className: "graphview-viewport", tabIndex: 0 });
    this.viewport.setAttribute("role", "region");
    this.viewport.setAttribute("aria-label", label);
    this.viewport.setAttribute("aria-describedby", this.hint.id);
    const tools = element("div", { className: "graphview-tools" }, this.zoomOut, this.zoomIn, this.wholeButton, this.hint);
    this.root = element("div", { className: "graphview" }, this.partLine, tools, this.viewport);
    container.replaceChildren(this.root);
    this.listen();
    this.clear();
  }

  // Show Graphviz's SVG text; keep the node titled `current` in view (see the top of the file).
  show(svgText, { current = null, part = null, reveal = true } = {}) {
    const holder = document.createElement("div");
    holder.innerHTML = svgText;
    const svg = holder.querySelector("svg");
    if (!svg) throw new Error("GraphView.show needs SVG text, as Graphviz draws it");
    const viewBox = svg.viewBox.baseVal; // Graphviz's drawing units (points)
    const [width, height] = [this.width, this.height];
    this.width = viewBox?.width || parseFloat(svg.getAttribute("width")) || 100;
    this.height = viewBox?.height || parseFloat(svg.getAttribute("height")) || 100;
    // The same graph at another step (a drawing of the same size) keeps the reader's zoom and place.
    const kept = this.svg && this.width === width && this.height === height
      ? { scale: this.scale, whole: this.whole, zoomed: this.zoomed, left: this.viewport.scrollLeft, top: this.viewport.scrollTop }
      : null;
    if (!svg.getAttribute("viewBox")) svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
    svg.setAttribute("focusable", "false");
    Object.assign(svg.style, { maxWidth: "none", maxHeight: "none" }); // its size is the zoom: no page rule shrinks it
    this.svg = svg;
    this.viewport.replaceChildren(svg);
    this.current = current === null ? null
      : [...svg.querySelectorAll("g.node")].find((node) => node.querySelector("title")?.textContent === current) ?? null;
    this.current?.classList.add("current");
    this.showPart(part);
    this.measureText();
    if (kept) {
      Object.assign(this, { whole: kept.whole, zoomed: kept.zoomed });
      this.setScale(kept.scale);
      Object.assign(this.viewport, { scrollLeft: kept.left, scrollTop: kept.top });
    } else {
      this.zoomed = false;
      this.fit();
    }
    if (reveal) this.reveal();
    else this.revealInBox();
  }

  // The page is left: stop watching the box's size (the listeners go with its elements).
  destroy() {
    this.resizes.disconnect();
  }

  // No drawing (after an error, while a program runs).
  clear() {
    this.svg = this.current = null;
    this.viewport.replaceChildren();
    this.showPart(null);
    this.root.hidden = true;
  }

  // The readable view (key 0): all of the drawing if it fits with its text at MIN_TEXT_PX or
  // more (never larger than the text's drawn size); else a part, its text at FIT_TEXT_PX.
  fit() {
    this.whole = false;
    const all = this.fitScale();
    const comfortable = clamp(FIT_TEXT_PX / (this.smallestFont * this.pxPerUnit), this.minScale, this.naturalScale);
    this.setScale(all >= this.minScale ? Math.min(all, this.naturalScale) : comfortable);
  }

  // The whole drawing in the box; its text may then be smaller than MIN_TEXT_PX.
  showWhole() {
    this.whole = true;
    this.setScale(Math.min(this.fitScale(), this.naturalScale));
  }

  // Bring the current node into the box (if it is not there), then the view into the window.
  reveal() {
    if (!this.svg) return;
    this.revealInBox();
    const fits = this.root.getBoundingClientRect().height <= window.innerHeight;
    (fits ? this.root : this.viewport).scrollIntoView({ block: "nearest", inline: "nearest" });
    if (this.current) this.current.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // Scroll the box (only) to centre the current node, unless it is well inside already.
  revealInBox() {
    if (!this.current) return;
    const node = this.current.getBoundingClientRect();
    const box = this.viewport.getBoundingClientRect();
    const [width, height] = [this.viewport.clientWidth, this.viewport.clientHeight];
    const inside = node.left >= box.left + MARGIN && node.right <= box.left + width - MARGIN &&
      node.top >= box.top + MARGIN && node.bottom <= box.top + height - MARGIN;
    if (inside) return;
    this.viewport.scrollLeft += node.left + node.width / 2 - (box.left + width / 2);
    this.viewport.scrollTop += node.top + node.height / 2 - (box.top + height / 2);
  }

  zoomBy(factor, x = this.viewport.clientWidth / 2, y = this.viewport.clientHeight / 2) {
    this.zoomTo(this.scale * factor, x, y);
  }

  // Zoom to `scale` (kept readable) with the point (x, y) of the box staying where it is.
  zoomTo(scale, x, y) {
    if (!this.svg) return;
    const before = this.scale;
    this.whole = false;
    this.zoomed = true;
    const left = this.viewport.scrollLeft + x, top = this.viewport.scrollTop + y;
    this.setScale(clamp(scale, this.minScale, this.maxScale));
    const ratio = this.scale / before;
    this.viewport.scrollLeft = left * ratio - x;
    this.viewport.scrollTop = top * ratio - y;
  }

  // --- inside ------------------------------------------------------------------

  // Which scales keep node text between the limits.  At scale s, text of
  // font-size f is f * pxPerUnit * s px high (pxPerUnit: the drawing's own
  // transform, usually 1, measured on screen).
  measureText() {
    const texts = [...this.svg.querySelectorAll("g.node text")];
    const sizes = texts.map((text) => parseFloat(text.getAttribute("font-size")) || 14);
    this.smallestFont = sizes.length ? Math.min(...sizes) : 14;
    this.largestFont = sizes.length ? Math.max(...sizes) : 14;
    this.root.hidden = false;
    this.setScale(1);
    const matrix = texts[0]?.getScreenCTM();
    this.pxPerUnit = matrix ? Math.hypot(matrix.a, matrix.b) || 1 : 1;
    const per = this.pxPerUnit;
    this.minScale = (MIN_TEXT_PX / (this.smallestFont * per)) * 1.001;
    this.maxScale = Math.max(this.minScale, (MAX_TEXT_PX / (this.largestFont * per)) * 0.999);
    this.naturalScale = clamp(1 / per, this.minScale, this.maxScale); // text at its drawn size
  }

  // The scale at which the whole drawing fits the box (its width, and its greatest height).
  fitScale() {
    const width = this.viewport.clientWidth || this.root.clientWidth || window.innerWidth;
    const most = parseFloat(getComputedStyle(this.viewport).maxHeight) || window.innerHeight * 0.7;
    return Math.min(width / this.width, most / this.height);
  }

  setScale(scale) {
    this.scale = scale;
    this.svg.setAttribute("width", `${this.width * scale}`); // inline style: a page's `svg { width }` rule cannot win
    this.svg.setAttribute("height", `${this.height * scale}`);
    this.svg.style.width = `${this.width * scale}px`;
    this.svg.style.height = `${this.height * scale}px`;
    const small = this.smallestFont * this.pxPerUnit * scale < MIN_TEXT_PX - 0.01; // the whole graph, zoomed out
    this.wholeButton.textContent = this.whole ? "Readable size" : "Whole graph";
    this.root.classList.toggle("graphview-whole", this.whole);
    this.hint.textContent = small
      ? "The whole graph: its text is too small to read. Press Readable size, 0 or + to zoom back in."
      : "Move: drag, or arrow keys. Zoom: + and − keys, Ctrl + wheel, or pinch. 0: fit.";
    setEnabled(this.zoomIn, this.scale < this.maxScale * 0.999);
    setEnabled(this.zoomOut, this.whole ? false : this.scale > this.minScale * 1.001);
  }

  showPart(part) {
    const focused = this.partLine.contains(document.activeElement);
    this.partWhole = Boolean(part?.whole);
    const shown = part && (part.whole || part.shown < part.total);
    this.partLine.hidden = !shown;
    if (!shown) {
      if (focused) this.viewport.focus(); // focus is never lost
      return;
    }
    const count = (n) => n.toLocaleString("en");
    this.partText.textContent = part.whole
      ? `Showing all ${count(part.total)} values of the graph.`
      : `Showing ${count(part.shown)} of ${count(part.total)} values: those near the ${this.current ? "highlighted one" : "output"}.`;
    this.partButton.textContent = part.whole ? "Show only the nearby values" : "Show the whole graph";
    setEnabled(this.partButton, Boolean(this.onPart));
  }

  listen() {
    const box = this.viewport;
    box.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const step = (across) => (event.shiftKey ? (across ? box.clientWidth : box.clientHeight) * 0.8 : PAN_STEP);
      const moves = {
        ArrowLeft: () => box.scrollBy(-step(true), 0),
        ArrowRight: () => box.scrollBy(step(true), 0),
        ArrowUp: () => box.scrollBy(0, -step(false)),
        ArrowDown: () => box.scrollBy(0, step(false)),
        "+": () => this.zoomBy(ZOOM_STEP),
        "=": () => this.zoomBy(ZOOM_STEP),
        "-": () => this.zoomBy(1 / ZOOM_STEP),
        "_": () => this.zoomBy(1 / ZOOM_STEP),
        "0": () => this.fit(),
      };
      if (!(event.key in moves) || !this.svg) return;
      event.preventDefault();
      moves[event.key]();
    });
    // Ctrl (or ⌘) + wheel, and a trackpad's pinch, zoom at the pointer; the wheel alone scrolls.
    box.addEventListener("wheel", (event) => {
      if (!(event.ctrlKey || event.metaKey) || !this.svg) return;
      event.preventDefault();
      const at = box.getBoundingClientRect();
      this.zoomBy(Math.exp(-event.deltaY * 0.002), event.clientX - at.left, event.clientY - at.top);
    }, { passive: false });
    // A mouse drags the drawing (touch scrolls it natively).
    let drag = null;
    box.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "mouse" || event.button !== 0 || !this.svg) return;
      const at = box.getBoundingClientRect();
      const x = event.clientX - at.left - box.clientLeft, y = event.clientY - at.top - box.clientTop;
      if (x >= box.clientWidth || y >= box.clientHeight) return; // on a scroll bar: it scrolls by itself
      drag = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
      box.setPointerCapture(event.pointerId);
      box.classList.add("graphview-dragging");
    });
    box.addEventListener("pointermove", (event) => {
      if (!drag) return;
      box.scrollLeft = drag.left - (event.clientX - drag.x);
      box.scrollTop = drag.top - (event.clientY - drag.y);
    });
    const drop = () => {
      drag = null;
      box.classList.remove("graphview-dragging");
    };
    box.addEventListener("pointerup", drop);
    box.addEventListener("pointercancel", drop);
    // Two fingers pinch: zoom about their midpoint.
    let pinch = null;
    const spread = (touches) => Math.hypot(touches[0].clientX - touches[1].clientX, touches[0].clientY - touches[1].clientY);
    box.addEventListener("touchstart", (event) => {
      if (event.touches.length === 2 && this.svg) pinch = { distance: spread(event.touches), scale: this.scale };
    }, { passive: true });
    box.addEventListener("touchmove", (event) => {
      if (!pinch || event.touches.length !== 2) return;
      event.preventDefault();
      const at = box.getBoundingClientRect();
      const [a, b] = event.touches;
      const x = (a.clientX + b.clientX) / 2 - at.left, y = (a.clientY + b.clientY) / 2 - at.top;
      this.zoomTo(pinch.scale * (spread(event.touches) / pinch.distance), x, y);
    }, { passive: false });
    box.addEventListener("touchend", (event) => {
      if (event.touches.length < 2) pinch = null;
    });
    // A box that changes width (a phone turned, a window resized) fits again, unless the reader zoomed.
    let width = null;
    this.resizes = new ResizeObserver(() => {
      const now = this.root.clientWidth;
      if (now === width) return;
      width = now;
      if (!this.svg || this.zoomed) return;
      if (this.whole) this.showWhole();
      else this.fit();
      this.revealInBox();
    });
    this.resizes.observe(this.root);
  }
}

// A button that is never `disabled` (a focused disabled button loses the keyboard's focus).
function setEnabled(made, enabled) {
  made.setAttribute("aria-disabled", String(!enabled));
}
