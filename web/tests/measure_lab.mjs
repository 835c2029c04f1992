// The lab's measured goals (issue 21), each the median of RUNS fresh browser profiles:
//   node web/tests/measure_lab.mjs        (after python web/build.py; STEPGRAD_DIST=folder for another build)
// Each run, cold (a fresh profile): lesson 01 opened in the lab's notebook view, Run All as
// soon as its kernel is ready, to the first cell's output on screen (ms since the navigation
// began, with the times of the notebook shown and the kernel ready); then a click on Next
// step (step_through's widget) to the step text and the highlighted node changed.
import { openBrowser } from "../../tests/browser/site.mjs";
import { measureRuns, median, reportGoals } from "./goals.mjs";
import { exposeTheLab, labUrl, runAll, timedClick } from "../../tests/browser/lab.mjs";

const GOALS = [
  ["lesson 01 opened cold, Run All, to the first output", "firstOutputMs", 10_000],
  ["Next step click to the new step and highlight", "nextStepMs", 100],
];

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

const runs = await measureRuns((server) => measureOnce(server.url));
const unmet = reportGoals(runs, GOALS);
for (const key of ["shownMs", "kernelMs", "runAllMs"]) console.log(`${key}: median ${Math.round(median(runs.map((run) => run[key])))} ms`);
process.exitCode = unmet ? 1 : 0;
