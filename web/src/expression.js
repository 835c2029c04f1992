// Page 2: the student's own program; its `out` is stepped through.
import { oneLine, setStatus, startStepgrad } from "./runtime.js";
import { Stepper } from "./stepper.js";

const program = document.getElementById("program");
const run = document.getElementById("run");
const error = document.getElementById("error");

try {
  const pyodide = await startStepgrad();
  const { run_program } = pyodide.pyimport("autograd.views.web");
  const stepper = new Stepper(pyodide, document.getElementById("stepper"));
  const runProgram = () => {
    error.textContent = "";
    try {
      stepper.show(run_program(program.value)); // the text is passed as data, run as the student's program
    } catch (failure) {
      error.textContent = oneLine(failure);
    }
  };
  run.addEventListener("click", runProgram);
  run.disabled = false;
  runProgram();
  setStatus("ready");
} catch (failure) {
  setStatus(`failed: ${oneLine(failure)}`);
  throw failure;
}
