// Measurements for the report: cold load to "ready" (median of 5 runs, each
// in a fresh profile), bytes served, and the time of one step click and of
// one training step as the pages measure them (#timing's data-ms).
//   node tests/browser/site_measure.mjs
import { openBrowser, openPage, serve } from "./site.mjs";

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function clickTimes(page, name, times) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    await page.getByRole("button", { name }).click();
    ms.push(Number(await page.locator("#timing").getAttribute("data-ms")));
  }
  return ms;
}

const server = await serve();
const loads = [];
try {
  for (let run = 0; run < 5; run++) {
    const browser = await openBrowser();
    const page = await openPage(browser.context, server.url, "index.html");
    const ready = Number(await page.locator("#status").getAttribute("data-ms"));
    const served = browser.record.served;
    const marks = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)])),
    );
    const stepMs = await clickTimes(page, "Next step", 5);
    const train = await openPage(browser.context, server.url, "train.html");
    const trainMs = await clickTimes(train, "One step", 10);
    await browser.close();
    loads.push({ ready, served, marks, stepMs: median(stepMs), trainMs: median(trainMs) });
    console.log(JSON.stringify(loads.at(-1)));
  }
} finally {
  server.stop();
}
console.log(JSON.stringify({
  readyMedianMs: median(loads.map((l) => l.ready)),
  indexServedBytes: loads[0].served,
  stepClickMedianMs: median(loads.map((l) => l.stepMs)),
  trainingStepMedianMs: median(loads.map((l) => l.trainMs)),
}));
