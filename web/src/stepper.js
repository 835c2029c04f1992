// The stepping view of one graph: buttons, the step's chain-rule lines, the
// drawing with the current node highlighted, and the hand-check panel.  The
// graph lives in the page's Python (the worker), kept under `key` by
// autograd.views.web; every number and text comes from there (step_view_of,
// hand_check_of): the marks, why an answer is not read, and the slip that
// explains a wrong one are worked out in Python, the page only shows them.
import { GraphView } from "./graphview.js";
import { python, timed } from "./runtime.js";

const VIEWS = "autograd.views.web";
// What a screen reader says for each mark (the marks themselves are hidden from it).
const SAID = { "✓": "right", "✗": "wrong", "?": "not read as a number", "": "" };
const ANNOUNCE_AFTER_MS = 800; // the live region speaks once typing pauses, not at every key

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

// A button that is never `disabled` (a focused button that is disabled loses the keyboard's
// focus): it is aria-disabled instead, and then ignores clicks.
function button(label, onClick) {
  const made = element("button", { type: "button", textContent: label });
  made.addEventListener("click", () => made.getAttribute("aria-disabled") !== "true" && onClick());
  return made;
}

export function setEnabled(button, enabled) {
  button.setAttribute("aria-disabled", String(!enabled));
}

export class Stepper {
  // Builds the view inside `container`, for the graph the page keeps in Python as `key`.
  constructor(container, key) {
    this.key = key;
    this.view = null; // the last step view shown, null while there is no graph
    this.rows = new Map();
    this.back = button("Back", () => this.moveTo(this.view.position - 1));
    this.next = button("Next step", () => this.moveTo(this.view.position + 1));
    this.restart = button("Restart", () => this.moveTo(0));
    const buttons = element("div", { className: "buttons" }, this.back, this.next, this.restart);
    this.step = element("pre", { id: "step" });
    this.graph = element("div", { id: "graph" });
    this.drawing = new GraphView(this.graph, { label: "the graph's drawing", onPart: (whole) => this.moveTo(this.view.position, whole) });
    this.whole = null; // the reader's choice: the whole graph (true), the part near the current node (false), or as its size says (null)
    this.check = element("ul", { id: "handcheck" });
    this.hide = element("input", { type: "checkbox", id: "hide-leaf-grads" });
    this.hide.addEventListener("change", () => this.view && this.moveTo(this.view.position));
    this.said = element("p", { id: "check-said", className: "visually-hidden" });
    this.said.setAttribute("aria-live", "polite");
    this.checkPanel = element("aside", { className: "check" });
    this.checkPanel.setAttribute("aria-labelledby", "check-heading");
    this.checkPanel.innerHTML = `<h2 id="check-heading">Check your hand values</h2>
      <p>Type d out / d leaf for each leaf, as −1.5, -1.5, -1,5 or -3/2. Each is checked against
      the whole backward pass, whatever step the drawing is at.</p>`;
    this.noLeaves = element("p", { className: "no-leaves", hidden: true },
      "No leaf has a label: give one a name, as in Value(2.0, label=\"a\"), to check its gradient by hand.");
    this.checkPanel.append(
      element("label", { className: "toggle" }, this.hide, " Hide the leaves' grads in the drawing"),
      this.noLeaves,
      this.check,
      this.said,
    );
    this.controls = element("div", {}, buttons, this.step);
    container.replaceChildren(this.controls, this.checkPanel, this.graph);
    this.stopListening = listen(document, "stepgrad:busy", () => this.enable());
    this.clear();
  }

  // Show a graph Python has just kept: `shown` is view_of's answer (a step view and its named "leaves").
  show(shown) {
    this.draw(shown);
    this.buildHandCheck(shown.leaves, shown.root_name);
  }

  // No graph: no drawing, no step, no hand check (after an error, or while a program runs).
  clear() {
    this.view = null;
    this.step.textContent = "";
    this.drawing.clear();
    this.whole = null;
    this.check.replaceChildren();
    this.rows = new Map();
    this.noLeaves.hidden = true;
    this.said.textContent = "";
    this.checkPanel.hidden = true;
    this.controls.hidden = true;
    this.enable();
  }

  // `whole`: true draws the whole graph, false the part near the step's node (GraphView's button).
  async moveTo(position, whole = this.whole) {
    this.whole = whole;
    const options = { key: this.key, position, hide_leaf_grads: this.hide.checked, whole };
    this.draw(await timed("the step", () => python.call(VIEWS, "step_view_of", options)));
  }

  draw(view) {
    this.view = view;
    this.controls.hidden = false;
    this.step.textContent = view.text;
    const part = view.drawn < view.values || this.whole ? { shown: view.drawn, total: view.values, whole: view.drawn === view.values } : null;
    this.drawing.show(view.svg, { current: view.current, part }); // brings the current node into view
    this.revealStep();
    this.enable();
  }

  // The step's text into view too, when it and the current node fit in the window together.
  revealStep() {
    const step = this.step.getBoundingClientRect();
    const node = this.graph.querySelector(".current")?.getBoundingClientRect();
    const top = Math.min(step.top, node?.top ?? step.top);
    const bottom = Math.max(step.bottom, node?.bottom ?? step.bottom);
    if (step.top < 0 && bottom - top <= window.innerHeight) window.scrollBy(0, top - 8);
  }

  // Back and Next step are off at either end, and all three while Python works.
  enable() {
    const idle = document.body.dataset.busy !== "true";
    const at = this.view?.position;
    setEnabled(this.back, idle && this.view !== null && at > 0);
    setEnabled(this.next, idle && this.view !== null && at <= this.view.total);
    setEnabled(this.restart, idle && this.view !== null);
  }

  // One row per named leaf: its input, its mark (✓ ✗ ?), a word for screen readers,
  // and below them the note: why "?", or the slip that gives a ✗.
  buildHandCheck(leaves, rootName) {
    this.rows = new Map();
    this.check.replaceChildren();
    this.checkPanel.hidden = false;
    this.noLeaves.hidden = leaves.length > 0;
    leaves.forEach((name, i) => {
      const input = element("input", { id: `answer-${i}`, autocomplete: "off", spellcheck: false });
      input.setAttribute("autocapitalize", "off");
      input.setAttribute("aria-describedby", `said-${i} note-${i}`);
      input.addEventListener("input", () => this.judge(name));
      const label = element("label", { htmlFor: input.id }, `d ${rootName} / d ${name} = `);
      const mark = element("span", { className: "mark" });
      mark.setAttribute("aria-hidden", "true");
      const said = element("span", { id: `said-${i}`, className: "visually-hidden" });
      const note = element("p", { id: `note-${i}`, className: "note" });
      for (const part of [mark, note]) part.dataset.leaf = name;
      this.check.append(element("li", {}, label, input, mark, said, note));
      this.rows.set(name, { label: label.textContent.replace(/ = $/, ""), input, mark, said, note });
    });
    this.said.textContent = "";
  }

  // Mark every answer; the live region then says the one just typed, once typing pauses.
  async judge(typedIn) {
    const rows = this.rows;
    const answers = Object.fromEntries([...rows].map(([name, row]) => [name, row.input.value]));
    const marks = await python.call(VIEWS, "hand_check_of", { key: this.key, answers });
    if (rows !== this.rows) return; // a new graph came while Python judged
    for (const { name, mark, note, mistake } of marks) {
      const row = rows.get(name);
      row.mark.textContent = mark;
      row.mark.dataset.mark = mark;
      row.said.textContent = SAID[mark];
      row.note.textContent = note;
      row.note.dataset.mistake = mistake;
      row.input.setAttribute("aria-invalid", String(mark === "?"));
    }
    clearTimeout(this.announcing);
    const row = rows.get(typedIn);
    this.announcing = setTimeout(() => {
      const mark = row.mark.dataset.mark;
      this.said.textContent = mark ? `${row.label}: ${SAID[mark]}. ${row.note.textContent}`.trim() : "";
    }, ANNOUNCE_AFTER_MS);
  }

  // The page is left: stop listening.
  destroy() {
    clearTimeout(this.announcing);
    this.stopListening();
  }
}

// `target.addEventListener(type, handler)`; returns the function that removes it.
export function listen(target, type, handler) {
  target.addEventListener(type, handler);
  return () => target.removeEventListener(type, handler);
}
