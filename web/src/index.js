// Page 1: the worked tanh neuron (nn.demo.tanh_neuron), stepped through.
// Its graph is kept in the page's Python as "tanh" (nn.pages.show_tanh).
import { python } from "./runtime.js";
import { page } from "./site.js";
import { Stepper } from "./stepper.js";

const KEY = "tanh";

page({
  async mount(main) {
    const stepper = new Stepper(main.querySelector("#stepper"), KEY);
    const show = async () => stepper.show(await python.call("nn.pages", "show_tanh", { key: KEY }));
    const stopListening = python.onRestart(show); // Python was restarted: the kept graph is gone
    await show();
    return () => {
      stopListening();
      stepper.destroy();
    };
  },
});
