// The site's measured goals (issue 20), each the median of RUNS fresh browser
// profiles, printed as a table:
//   node web/tests/measure.mjs            (after python web/build.py; STEPGRAD_DIST=folder for another build)
//
// Times are the page's own (performance.now(), #status's data-ms: when it last
// changed, in ms since the visit began); bytes are what `python -m http.server`
// sent, file sizes summed over its 200 answers (a 304 sends none).  Each run:
// open index.html cold -> ready; a menu click to the expression page -> ready;
// back to the tanh page; reload (warm) -> ready; `while True: pass` on the
// expression page, the longest gap between frames while it runs, then Stop
// -> the message; the training page with 16,16 hidden layers, the longest
// frame gap while it trains (when the training page mounts; "n/a" if not).
import { statSync } from "node:fs";
import { join } from "node:path";
import { DIST, longestFrameGap, openBrowser, openPage, settled } from "../../tests/browser/site.mjs";
import { measureRuns, reportGoals } from "./goals.mjs";

const GOALS = [
  ["cold load to ready", "coldMs", 4000, "ms"],
  ["change of page once loaded, to ready", "changeMs", 300, "ms"],
  ["warm reload, to ready", "warmMs", 1500, "ms"],
  ["cold download", "coldBytes", 16 * 1024 * 1024, "bytes"],
  ["`while True: pass` stopped by Stop", "stopMs", 1000, "ms"],
  ["longest frame gap while `while True: pass` runs", "runawayGapMs", 50, "ms"],
  ["frame delay while training 16,16", "trainGapMs", 50, "ms"],
];

// Bytes the server sent for `requests` (its log lines since the run began).
function bytesSent(requests) {
  let total = 0;
  for (const { path, status } of requests) {
    if (status !== 200) continue;
    let file = join(DIST, decodeURIComponent(path.split("?")[0]));
    if (file.endsWith("/")) file += "index.html";
    try {
      total += statSync(file).size;
    } catch {
      // a path the server answered from elsewhere (a directory listing): not counted
    }
  }
  return total;
}

const statusMs = (page) => page.locator("#status").getAttribute("data-ms").then(Number);

// Clicks the menu link `name` and resolves to the ms from the click to #status reading ready.
async function changeTo(page, name) {
  await page.getByRole("link", { name }).click();
  await page.waitForFunction((name) => document.querySelector('nav a[aria-current="page"]')?.textContent === name, name);
  await settled(page);
  return page.evaluate(() => Number(document.getElementById("status").dataset.ms) - performance.getEntriesByName("page change").at(-1).startTime);
}

async function measureOnce(server) {
  const browser = await openBrowser();
  const run = {};
  try {
    const asked = server.requests.length;
    const page = await openPage(browser.context, server.url, "index.html");
    run.coldMs = await statusMs(page);
    run.loadTimes = await page.evaluate(async () => (await import("./runtime.js")).python.loadTimes);
    run.changeMs = await changeTo(page, "Your own expression");
    run.changeBackMs = await changeTo(page, "Step through the tanh neuron");
    // the first visit keeps Python's snapshot (python-worker.js) while the student reads; wait for it
    await page.waitForFunction(async () => (await (await caches.open("stepgrad-python-snapshots")).keys()).length > 0, null, { timeout: 20_000, polling: 200 });
    await page.waitForFunction(async () => Boolean(await caches.match("pyodide/pyodide.asm.wasm")), null, { timeout: 20_000, polling: 200 }); // sw.js keeps it
    run.coldBytes = bytesSent(server.requests.slice(asked));
    await page.reload();
    await settled(page);
    run.warmMs = await statusMs(page);

    await changeTo(page, "Your own expression");
    await page.locator("#program").fill("while True: pass");
    await page.locator("#run").click();
    await page.waitForFunction(() => document.getElementById("status").textContent === "running");
    run.runawayGapMs = await longestFrameGap(page, 1000);
    const stopAt = await page.evaluate(() => performance.now());
    await page.locator("#stop").click();
    await page.waitForFunction(() => /stopped/.test(document.getElementById("output").textContent));
    run.stopMs = (await page.evaluate(() => performance.now())) - stopAt;
    await settled(page);

    run.trainGapMs = await trainingFrameGap(page).catch((error) => {
      run.trainNote = String(error.message).split("\n")[0];
      return NaN;
    });
  } finally {
    await browser.close();
  }
  return run;
}

// The training page (C's), 16,16 hidden layers, trained for 2 s: the longest frame gap meanwhile.
async function trainingFrameGap(page) {
  await changeTo(page, "Watch a network learn");
  await page.locator("#hidden").fill("16,16");
  await page.locator("#hidden").press("Enter");
  await settled(page);
  const train = page.getByRole("button", { name: /^Train$/ });
  await train.click({ timeout: 5000 });
  await page.waitForTimeout(300);
  const gap = await longestFrameGap(page, 2000);
  await page.getByRole("button", { name: /^Pause$/ }).click({ timeout: 5000 });
  return gap;
}

const runs = await measureRuns(measureOnce);
const unmet = reportGoals(runs, GOALS);
const notes = runs.map((run) => run.trainNote).filter(Boolean);
if (notes.length) console.log(`\ntraining not measured: ${notes[0]}`);
process.exitCode = unmet ? 1 : 0;
