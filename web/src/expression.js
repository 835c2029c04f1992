// Page 2: the student's own program, run in the page's Python with a time
// limit and a Stop button; its `out` is kept as "program" and stepped through.
// What it prints, and the one line saying why it failed, show under it (#output).
// The program is kept in the page's address (?program=...) and in localStorage.
import { DEFAULT_TIMEOUT_MS, python } from "./runtime.js";
import { page } from "./site.js";
import { listen, setEnabled, Stepper } from "./stepper.js";

const KEY = "program";
const STORED = "stepgrad.program";
const TIME_LIMIT_HINT = `does a loop never end? A program here may run for ${DEFAULT_TIMEOUT_MS / 1000} s`;

// The program to start with: the address's, else the one this browser kept, else the page's example.
function startingProgram(example) {
  const fromAddress = new URLSearchParams(location.search).get("program");
  if (fromAddress !== null) return fromAddress;
  try {
    return localStorage.getItem(STORED) ?? example;
  } catch {
    return example; // storage refused (a private window's settings)
  }
}

function keep(source) {
  const url = new URL(location.href);
  url.searchParams.set("program", source);
  history.replaceState(history.state, "", url);
  try {
    localStorage.setItem(STORED, source);
  } catch {
    // not kept in this browser; the address still has it
  }
}

page({
  async mount(main) {
    const $ = (id) => main.querySelector(`#${id}`);
    const [program, run, stop, printed, error] = ["program", "run", "stop", "printed", "error"].map($);
    const stepper = new Stepper($("stepper"), KEY);
    let running = false;
    program.value = startingProgram(program.value);

    const setRunning = (on) => {
      running = on;
      setEnabled(run, !on);
      setEnabled(stop, on);
      run.textContent = on ? "Running…" : "Run";
    };

    const runProgram = async () => {
      if (running) return;
      const source = program.value;
      keep(source);
      setRunning(true);
      stepper.clear();
      printed.textContent = error.textContent = "";
      const onPrint = (line) => printed.append(`${line}\n`);
      try {
        stepper.show(await python.call("autograd.views.web", "show_program", { key: KEY, source }, { onPrint }));
      } catch (failure) {
        error.textContent = !failure.stopped
          ? failure.message
          : `Your program was ${failure.message}${failure.reason === "timeout" ? `: ${TIME_LIMIT_HINT}` : ""}.`;
      } finally {
        setRunning(false);
      }
    };

    const unlisten = [
      listen(run, "click", () => run.getAttribute("aria-disabled") !== "true" && runProgram()),
      listen(stop, "click", () => running && python.stop()),
      listen(program, "keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          runProgram();
        }
      }),
      // Python was restarted (Stop, a time limit): a graph shown before is gone from it; run the program again.
      python.onRestart(() => stepper.view && !running && runProgram()),
    ];
    setRunning(false);
    await runProgram();
    return () => {
      unlisten.forEach((off) => off());
      stepper.destroy();
      if (running) python.stop();
    };
  },
});
