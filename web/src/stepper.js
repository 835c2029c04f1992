// The stepping view of one graph: buttons, the step's chain-rule lines, the
// drawing with the current node highlighted, and the hand-check panel.  All
// numbers and text come from stepgrad's autograd.views.web (step_view,
// hand_check): the marks, why an answer is not read, and the slip that
// explains a wrong one are worked out in Python, the page only shows them.
import { plain, timed } from "./runtime.js";

// What a screen reader says for each mark (the marks themselves are hidden from it).
const SAID = { "✓": "right", "✗": "wrong", "?": "not read as a number", "": "" };
const ANNOUNCE_AFTER_MS = 800; // the live region speaks once typing pauses, not at every key

function button(label, onClick) {
  const element = document.createElement("button");
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

// Graphviz's SVG, scaled to the drawing area's width.
function fitted(svgText) {
  const holder = document.createElement("div");
  holder.innerHTML = svgText;
  const svg = holder.querySelector("svg");
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  return svg;
}

export class Stepper {
  // Builds the view inside `container`.
  constructor(pyodide, container) {
    this.pyodide = pyodide;
    this.views = pyodide.pyimport("autograd.views.web");
    this.root = null;
    this.position = 0;
    this.back = button("Back", () => this.moveTo(this.position - 1));
    this.next = button("Next step", () => this.moveTo(this.position + 1));
    this.restart = button("Restart", () => this.moveTo(0));
    const buttons = element("div", { className: "buttons" }, this.back, this.next, this.restart);
    this.step = element("pre", { id: "step" });
    this.graph = element("div", { id: "graph", tabIndex: 0 }); // focusable, to scroll it by keyboard on a phone
    this.graph.setAttribute("role", "region");
    this.graph.setAttribute("aria-label", "the graph's drawing");
    this.check = element("ul", { id: "handcheck" });
    this.hide = element("input", { type: "checkbox", id: "hide-leaf-grads" });
    this.hide.addEventListener("change", () => this.draw());
    this.said = element("p", { id: "check-said", className: "visually-hidden" });
    this.said.setAttribute("aria-live", "polite");
    const checkPanel = element("aside", { className: "check" });
    checkPanel.setAttribute("aria-labelledby", "check-heading");
    checkPanel.innerHTML = `<h2 id="check-heading">Check your hand values</h2>
      <p>Type d out / d leaf for each leaf, as −1.5, -1.5, -1,5 or -3/2. Each is checked against
      the whole backward pass, whatever step the drawing is at.</p>`;
    checkPanel.append(
      element("label", { className: "toggle" }, this.hide, " Hide the leaves' grads in the drawing"),
      this.check,
      this.said,
    );
    const controls = element("div", {}, buttons, this.step);
    container.replaceChildren(controls, checkPanel, this.graph);
  }

  // Show a new graph (a Value proxy), before step 1.
  show(root) {
    if (this.root) this.root.destroy();
    this.root = root;
    this.position = 0;
    this.draw();
    this.buildHandCheck();
  }

  moveTo(position) {
    this.position = position;
    timed("the step", () => this.draw());
  }

  draw() {
    const options = { svg: true, hide_leaf_grads: this.hide.checked };
    const view = plain(this.views.step_view.callKwargs(this.root, this.position, options));
    this.position = view.position;
    this.step.textContent = view.text;
    this.graph.replaceChildren(fitted(view.svg));
    this.back.disabled = view.position === 0;
    this.next.disabled = view.position > view.total;
    this.rootName = view.root_name;
  }

  // One row per leaf: its input, its mark (✓ ✗ ?), a word for screen readers,
  // and below them the note: why "?", or the slip that gives a ✗.
  buildHandCheck() {
    const leaves = plain(this.views.leaf_names(this.root));
    this.rows = new Map();
    this.check.replaceChildren();
    leaves.forEach((name, i) => {
      const input = element("input", { id: `answer-${i}`, autocomplete: "off", spellcheck: false });
      input.setAttribute("autocapitalize", "off");
      input.setAttribute("aria-describedby", `said-${i} note-${i}`);
      input.addEventListener("input", () => this.judge(name));
      const label = element("label", { htmlFor: input.id }, `d ${this.rootName} / d ${name} = `);
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
  judge(typedIn) {
    const answers = new Map([...this.rows].map(([name, row]) => [name, row.input.value]));
    const typed = this.pyodide.toPy(answers);
    const marks = plain(this.views.hand_check(this.root, typed));
    typed.destroy();
    for (const { name, mark, note, mistake } of marks) {
      const row = this.rows.get(name);
      row.mark.textContent = mark;
      row.mark.dataset.mark = mark;
      row.said.textContent = SAID[mark];
      row.note.textContent = note;
      row.note.dataset.mistake = mistake;
      row.input.setAttribute("aria-invalid", String(mark === "?"));
    }
    clearTimeout(this.announcing);
    const row = this.rows.get(typedIn);
    this.announcing = setTimeout(() => {
      const mark = row.mark.dataset.mark;
      this.said.textContent = mark ? `${row.label}: ${SAID[mark]}. ${row.note.textContent}`.trim() : "";
    }, ANNOUNCE_AFTER_MS);
  }
}
