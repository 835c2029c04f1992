// The lab's measured goals (issue 21), each the median of RUNS fresh browser profiles:
//   node web/tests/measure_lab.mjs        (after python web/build.py; STEPGRAD_DIST=folder for another build)
// Each run, cold (a fresh profile): lesson 01 opened in the lab's notebook view, Run All as
// soon as its kernel is ready, to the first cell's output on screen (ms since the navigation
// began, with the times of the notebook shown and the kernel ready); then a click on Next
// step (step_through's widget) to the step text and the highlighted node changed.
import { cpus, loadavg } from "node:os";
import { openBrowser, serve } from "../../tests/browser/site.mjs";
import { exposeTheLab, labUrl, runAll, timedClick } from "../../tests/browser/lab.mjs";

const RUNS = Number(process.env.RUNS || 3);
const GOALS = [
  ["lesson 01 opened cold, Run All, to the first output", "firstOutputMs", 10_000],
  ["Next step click to the new step and highlight", "nextStepMs", 100],
];
const median = (values) => {
  const known = values.filter(Number.isFinite).sort((a, b) => a - b);
  return known.length ? known[Math.floor((known.length - 1) / 2)] : NaN;
};

async function measureOnce(url) {
  const browser = await openBrowser();
  const run = {};
  try {
    await exposeTheLab(browser.context);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const start = Date.now();
    await page.goto(labUrl(url, "01_tanh_neuron.ipynb"));
    await page.waitForFunction(() => window.jupyterapp?.shell?.currentWidget?.content?.model?.cells?.length > 0, null, { timeout: 60_000, polling: 20 });
    run.shownMs = Date.now() - start;
    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === "idle", null, { timeout: 120_000, polling: 20 });
    run.kernelMs = Date.now() - start;
    const running = runAll(page);
    await page.waitForFunction(() => document.querySelector(".jp-Notebook .jp-OutputArea-output"), null, { timeout: 120_000, polling: 20 });
    run.firstOutputMs = Date.now() - start;
    await running;
    run.runAllMs = Date.now() - start;
    const next = page.locator(".jupyter-widgets button", { hasText: "Next step" }).first();
    await next.scrollIntoViewIfNeeded();
    run.nextStepMs = await timedClick(page);
  } finally {
    await browser.close();
  }
  return run;
}

const load = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
const loadBefore = load();
const server = await serve();
const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    runs.push(await measureOnce(server.url));
    console.log(`run ${i + 1}: ${JSON.stringify(runs.at(-1), (key, value) => (typeof value === "number" ? Math.round(value) : value))}`);
  }
} finally {
  server.stop();
}
console.log(`\nthe machine: ${loadBefore} before, ${load()} after (times grow with it)`);
console.log(`\n| what (median of ${RUNS} fresh profiles) | measured | goal | met |\n|---|---|---|---|`);
let unmet = 0;
for (const [what, key, goal] of GOALS) {
  const value = median(runs.map((run) => run[key]));
  const met = Number.isFinite(value) ? (value <= goal ? "yes" : "no") : "not measured";
  if (met === "no") unmet++;
  console.log(`| ${what} | ${Number.isFinite(value) ? Math.round(value) + " ms" : "n/a"} | ≤ ${goal} ms | ${met} |`);
}
for (const key of ["shownMs", "kernelMs", "runAllMs"]) console.log(`${key}: median ${Math.round(median(runs.map((run) => run[key])))} ms`);
process.exitCode = unmet ? 1 : 0;
