// The stepping view of one graph: buttons, the step's chain-rule lines, the
// drawing with the current node highlighted, and the hand-check panel.  All
// numbers and text come from stepgrad's autograd.views.web (step_view, hand_check).
import { plain, timed } from "./runtime.js";

function button(label, onClick) {
  const element = document.createElement("button");
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
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
    const buttons = document.createElement("div");
    buttons.className = "buttons";
    buttons.append(this.back, this.next, this.restart);
    this.step = Object.assign(document.createElement("pre"), { id: "step" });
    this.graph = Object.assign(document.createElement("div"), { id: "graph" });
    this.check = Object.assign(document.createElement("table"), { id: "handcheck" });
    const checkPanel = document.createElement("aside");
    checkPanel.innerHTML = "<h2>Check your hand values</h2><p>Type d out / d leaf for each leaf.</p>";
    checkPanel.append(this.check);
    const controls = document.createElement("div");
    controls.append(buttons, this.step);
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
    const view = plain(this.views.step_view(this.root, this.position, true));
    this.position = view.position;
    this.step.textContent = view.text;
    this.graph.replaceChildren(fitted(view.svg));
    this.back.disabled = view.position === 0;
    this.next.disabled = view.position > view.total;
    this.rootName = view.root_name;
  }

  buildHandCheck() {
    const leaves = plain(this.views.leaf_names(this.root));
    this.check.replaceChildren();
    this.inputs = new Map();
    this.marks = new Map();
    for (const name of leaves) {
      const row = this.check.insertRow();
      const label = document.createElement("label");
      label.textContent = `d ${this.rootName} / d ${name} = `;
      const input = document.createElement("input");
      input.inputMode = "decimal";
      input.addEventListener("input", () => this.judge());
      label.append(input);
      const mark = document.createElement("output");
      mark.className = "mark";
      mark.dataset.leaf = name;
      row.insertCell().append(label);
      row.insertCell().append(mark);
      this.inputs.set(name, input);
      this.marks.set(name, mark);
    }
  }

  judge() {
    const answers = new Map([...this.inputs].map(([name, input]) => [name, input.value]));
    const typed = this.pyodide.toPy(answers);
    const marks = plain(this.views.hand_check(this.root, typed));
    typed.destroy();
    for (const { name, mark, note } of marks) {
      const output = this.marks.get(name);
      output.textContent = mark;
      output.title = note;
      output.dataset.mark = mark;
    }
  }
}
