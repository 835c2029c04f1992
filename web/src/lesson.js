// A lesson page (web/lessons.py made it from a notebook): its math rendered
// with KaTeX (loaded by the page, from this site), each box that scrolls
// sideways made focusable and labelled while it does, and in place of each
// cell that steps through backward, the live stepper (stepper.js) on the
// graph that cell builds.
//
// The lesson's HTML marks what this module works on:
//   .scrolls[data-label]                         a table or drawing box that may scroll sideways
//   .live-stepper[data-graph][data-program]      a stepping cell: the code that builds its graph
//                                                (the notebook's cells up to it, lessons.stepping_program)
// One stepper is live at a time (its elements have the ids the site's tests
// know: #step, #graph, #status); another stepping cell has a button that
// moves it there.  Python (runtime.js) is loaded only by a lesson that steps.
import { page } from "./site.js";

const KEY = "lesson"; // the graph the live stepper shows, kept in the page's Python under this key
const VIEWS = "autograd.views.web";
const PROGRAM_TIMEOUT_MS = 20_000; // the cells before a stepping one run in well under a second

page({
  async mount(main) {
    renderMath(main);
    const stopWatching = labelScrollingBoxes(main);
    const places = [...main.querySelectorAll(".live-stepper")];
    const stopStepping = places.length ? await liveSteppers(places) : () => {};
    return () => {
      stopWatching();
      stopStepping();
    };
  },
});

function renderMath(main) {
  globalThis.renderMathInElement(main, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
    ],
    ignoredClasses: ["highlight", "output_text", "live-stepper", "drawing-box"],
    throwOnError: false,
  });
}

// A box that scrolls sideways (a wide table, drawing or formula) can be scrolled by keyboard:
// while it is wider than its room it takes focus and is a region named by its data-label.
function labelScrollingBoxes(main) {
  const boxes = [...main.querySelectorAll(".scrolls, .katex-display")];
  main.querySelectorAll(".katex-display").forEach((formula, i) => (formula.dataset.label = `formula ${i + 1}`)); // regions' names differ
  const mark = () => {
    for (const box of boxes) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", `${box.dataset.label}, scrolls sideways`);
      } else {
        for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
      }
    }
  };
  const observer = new ResizeObserver(mark); // called once at the start, then on every change of size
  for (const box of boxes) observer.observe(box);
  return () => observer.disconnect();
}

// The live stepper in the first stepping cell, a button in each other one; returns the unmount.
async function liveSteppers(places) {
  const status = element("p", { className: "status" }, "Python: ", element("span", { id: "status" }, "loading…"));
  const [{ python }, { Stepper }] = await Promise.all([import("./runtime.js"), import("./stepper.js")]);

  // A failure (a node with no _backward, say) is shown as the step's text, as step_through shows it.
  class LessonStepper extends Stepper {
    async moveTo(position) {
      try {
        await super.moveTo(position);
      } catch (error) {
        this.failed(error);
      }
    }

    async judge(typedIn) {
      try {
        await super.judge(typedIn);
      } catch (error) {
        this.failed(error);
      }
    }

    failed(error) {
      if (!error.stopped) this.step.textContent = error.message; // a stop: onRestart shows the graph anew
    }
  }

  let live = null; // { place, stepper }
  const opened = places.map((place) => {
    const graph = place.dataset.graph;
    const open = element("button", { type: "button", className: "open-stepper" }, "Step through ", element("code", {}, graph), " here");
    const failure = element("p", { className: "live-failure" }); // the program's error, if it fails (it should not)
    const holder = element("section", { className: "stepper" });
    holder.setAttribute("aria-label", `stepping through the backward pass of ${graph}`);
    place.append(open, failure, holder);
    open.addEventListener("click", () => show(place, true));
    return { place, open, failure, holder };
  });

  // The live stepper on `place`'s graph; `focus`: the reader pressed its button, which stays
  // (and keeps the focus) until the stepper is drawn, then hands the focus to Next step.
  // The graph is the one the cells up to `place` build, run in the page's Python (show_program).
  async function show(place, focus) {
    const { open, failure, holder } = opened.find((one) => one.place === place);
    if (live?.place !== place) {
      if (live) close(live);
      open.before(status);
      live = { place, stepper: new LessonStepper(holder, KEY) };
      open.hidden = !focus; // shown by the page itself (at the start, or anew after a restart): no button
    }
    const { stepper } = live;
    try {
      stepper.show(await python.call(VIEWS, "show_program", { key: KEY, source: place.dataset.program }, { timeout: PROGRAM_TIMEOUT_MS }));
      failure.textContent = "";
    } catch (error) {
      if (live?.stepper === stepper && !error.stopped) failure.textContent = error.message; // a stop: onRestart shows it anew
      return;
    }
    if (live?.stepper !== stepper) return; // the reader moved it elsewhere meanwhile
    if (focus) stepper.next.focus();
    open.hidden = true;
  }

  function close({ place, stepper }) {
    const { open, failure, holder } = opened.find((one) => one.place === place);
    stepper.destroy();
    holder.replaceChildren();
    failure.textContent = "";
    open.hidden = false;
  }

  const stopListening = python.onRestart(() => live && show(live.place, false)); // the kept graph is gone
  await show(places[0], false);
  return () => {
    stopListening();
    if (live) close(live);
    python.call(VIEWS, "forget", { key: KEY }).catch(() => {});
  };
}

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}
