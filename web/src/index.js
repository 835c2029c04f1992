// Page 1: the worked tanh neuron (nn.demo.tanh_neuron), stepped through.
import { oneLine, setStatus, startStepgrad } from "./runtime.js";
import { Stepper } from "./stepper.js";

try {
  const pyodide = await startStepgrad();
  const neuron = pyodide.pyimport("nn.demo").tanh_neuron();
  const stepper = new Stepper(pyodide, document.getElementById("stepper"));
  stepper.show(neuron.get(0));
  neuron.destroy();
  setStatus("ready");
} catch (error) {
  setStatus(`failed: ${oneLine(error)}`);
  throw error;
}
