// The lessons in JupyterLite (web/dist/lab, web/lab.py) in headless Chromium, served by
// `python -m http.server` like the rest of the site, one browser, the lessons in sequence:
//   - lesson 01 opened as the site links it (lab/notebooks/index.html?path=...): Run All gives
//     no error output, shows the worked numbers (0.7071, -1.5) and a draw_dot drawing (an SVG
//     with the graph's labels); "Next step" clicked to the end changes the step text and the
//     highlighted node each time;
//   - every other lesson: Run All gives no error output;
//   - a cell edited and saved, then "Reset this lesson in the lab" (lab-reset.html, by
//     keyboard, axe-core, 1366×768 and 390×844) brings the lesson back as built;
//   - the site's lesson pages link to their lesson in the lab and to its reset;
//   - no request leaves 127.0.0.1 (every request URL is recorded).
//   node tests/browser/lab.mjs     (tests/browser/test_lab.py runs it)
// SCREENSHOTS=dir saves pictures; STEPGRAD_LAB_BREAK=02_sigmoid_network.ipynb serves that lesson
// with a cell that raises appended (the test must then fail: it checks that it notices).
// The lab's jupyter-lite.json is served to this browser with exposeAppInBrowser: "true", so
// that the test reaches JupyterLab's commands and models (window.jupyterapp); nothing else changes.
// Prints "ok - ..." or "not ok - ..." per check, then "N passed, N failed"; exits 1 when a check fails.
import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { axeViolations, DIST, openBrowser, serve } from "./site.mjs";

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const LESSONS = readdirSync(`${DIST}/lab/files`).filter((name) => /^\d\d_\w+\.ipynb$/.test(name)).sort();
const FIRST = "01_tanh_neuron.ipynb";
const BREAK = process.env.STEPGRAD_LAB_BREAK || "";
const RUN_TIMEOUT = 240_000; // ms for one lesson's Run All (a fresh kernel loads Pyodide first)

const results = [];
function check(name, ok, detail = "") {
  results.push(ok);
  console.log(`${ok ? "ok" : "not ok"} - ${name}${ok || !detail ? "" : `: ${detail}`}`);
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const screenshot = async (page, name) => {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png` });
};

// The lab's settings as this browser gets them: the app exposed as window.jupyterapp; and with
// STEPGRAD_LAB_BREAK, that lesson's file with a raising cell at its end.
export async function exposeTheLab(context) {
  await context.route(/\/lab\/jupyter-lite\.json$/, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json["jupyter-config-data"].exposeAppInBrowser = "true";
    await route.fulfill({ response, json });
  });
  if (!BREAK) return;
  await context.route(new RegExp(`/lab/files/${BREAK.replace(/\W/g, "\\$&")}$`), async (route) => {
    const response = await route.fetch();
    const notebook = await response.json();
    notebook.cells.push({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: 'raise RuntimeError("STEPGRAD_LAB_BREAK: a cell that raises")' });
    await route.fulfill({ response, json: notebook });
  });
}

export const labUrl = (url, lesson) => `${url}lab/notebooks/index.html?path=${encodeURIComponent(lesson)}`;

// Opens `lesson` in the notebook view; resolves to times (ms since the navigation began) of
// the app, the notebook shown, its kernel idle.
export async function openLesson(page, url, lesson) {
  const start = Date.now();
  await page.goto(labUrl(url, lesson));
  await page.waitForFunction(() => window.jupyterapp?.shell?.currentWidget?.content?.model?.cells?.length > 0, null, { timeout: 60_000, polling: 50 });
  const shown = Date.now() - start;
  return { start, shown };
}

// Run All in the lesson shown: resolves once every code cell ran, or the run stopped at an
// error, and the kernel is idle ("done"), or to why not.  (The command's own promise is not
// waited for: in JupyterLite it did not settle here.)
export async function runAll(page, timeout = RUN_TIMEOUT) {
  // a Run All sent before the kernel is ready is dropped by JupyterLite: wait for it first
  await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === "idle", null, { timeout, polling: 50 });
  await page.evaluate(() => {
    window.jupyterapp.commands.execute("notebook:run-all-cells").catch((error) => (window.stepgradRunFailed = String(error)));
  });
  await page.waitForFunction(
    () => {
      if (window.stepgradRunFailed) return true;
      const widget = window.jupyterapp.shell.currentWidget;
      if (widget.sessionContext.session?.kernel?.status !== "idle") return false;
      const code = widget.content.model.toJSON().cells.filter((cell) => cell.cell_type === "code" && String(cell.source).trim());
      const failed = code.some((cell) => cell.outputs.some((output) => output.output_type === "error"));
      return failed || code.every((cell) => cell.execution_count != null);
    },
    null,
    { timeout, polling: 200 },
  );
  return page.evaluate(() => (window.stepgradRunFailed ? `failed: ${window.stepgradRunFailed}` : "done"));
}

// The lesson's cells as the notebook model holds them now (nbformat JSON).
const cellsNow = (page) => page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.toJSON().cells);

// Every error output and every stderr traceback of `cells`, as "cell N: ..." lines.
export function errorOutputs(cells) {
  const found = [];
  cells.forEach((cell, index) => {
    for (const output of cell.outputs || []) {
      const text = [].concat(output.text || []).join("");
      if (output.output_type === "error") found.push(`cell ${index}: ${output.ename}: ${output.evalue}`);
      else if (output.name === "stderr" && /Traceback|Error:/.test(text)) found.push(`cell ${index}: stderr ${text.slice(0, 200)}`);
    }
  });
  return found;
}

const unrun = (cells) => cells.filter((cell) => cell.cell_type === "code" && String(cell.source).trim() && cell.execution_count == null).length;

// All the text the outputs show (text/plain, text/html, streams), for the worked numbers.
const outputText = (cells) =>
  cells
    .flatMap((cell) => cell.outputs || [])
    .map((output) => [].concat(output.text || [], output.data?.["text/plain"] || [], output.data?.["text/html"] || []).join(""))
    .join("\n");

// The step text and the highlighted node of the lesson's stepper (step_through's widget).
const stepperState = (page) =>
  page.evaluate(() => {
    const view = [...document.querySelectorAll(".stepgrad-view")].at(-1);
    if (!view) return null;
    const current = view.querySelector("svg .current");
    return {
      text: view.querySelector(".stepgrad-step")?.textContent || "",
      node: current ? current.querySelector("title")?.textContent || current.textContent.trim() : "",
    };
  });

async function lessonOne(context, url, times) {
  const page = context.pages()[0] || (await context.newPage());
  await page.setViewportSize(DESKTOP);
  const { start, shown } = await openLesson(page, url, FIRST);
  const run = await runAll(page);
  times[FIRST] = Date.now() - start;
  console.log(`# ${FIRST}: notebook shown after ${seconds(shown)}, Run All done after ${seconds(times[FIRST])}`);
  const cells = await cellsNow(page);
  check(`${FIRST}: Run All ran to the end`, run === "done" && unrun(cells) === 0, `${run}, ${unrun(cells)} code cells not run`);
  const errors = errorOutputs(cells);
  check(`${FIRST}: no error output, no traceback`, errors.length === 0, errors.join(" | "));
  const text = outputText(cells);
  check(`${FIRST}: the worked numbers appear (0.7071, -1.5)`, text.includes("0.7071") && text.includes("-1.5"));
  // draw_dot's output: an SVG (image/svg+xml) in the notebook, its nodes' texts as its labels
  const drawing = cells
    .filter((cell) => /draw_dot\(/.test([].concat(cell.source).join("")))
    .flatMap((cell) => cell.outputs || [])
    .map((output) => [].concat(output.data?.["image/svg+xml"] || []).join(""))
    .filter((svg) => svg.includes("<svg"))
    .map((svg) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((found) => found[1].trim()))[0] ?? null;
  const labels = ["x1", "x2", "w1", "w2", "b", "n", "o"];
  check(`${FIRST}: draw_dot shows an SVG drawing with the graph's labels`, drawing !== null && labels.every((label) => drawing.some((text) => text.startsWith(label))),
    drawing ? `labels ${drawing.join(", ").slice(0, 200)}` : "no draw_dot cell has an image/svg+xml output");
  await page.locator(".stepgrad-view").first().scrollIntoViewIfNeeded().catch(() => {});
  await screenshot(page, "lab-01-run-all-1366");

  // Next step, clicked until the pass is done: each click changes the step text and the highlighted node
  const next = page.locator(".jupyter-widgets button", { hasText: "Next step" }).first();
  let steps = 0;
  const changes = [];
  const clickMs = [];
  if ((await next.count()) === 1) {
    await next.scrollIntoViewIfNeeded();
    for (; steps < 20 && (await next.isEnabled()); steps++) {
      const before = await stepperState(page);
      const ms = await timedClick(page);
      const after = await stepperState(page);
      clickMs.push(ms);
      changes.push({ text: after.text !== before.text, node: after.node !== before.node || (!after.node && /done/.test(after.text)), after });
      if (steps === 0) await screenshot(page, "lab-01-next-step-1366");
    }
  }
  check(`${FIRST}: step_through shows its Next step button`, (await next.count()) === 1);
  check(`${FIRST}: Next step steps to the end`, steps > 0 && /done/i.test(changes.at(-1)?.after.text || ""), changes.at(-1)?.after.text.slice(0, 120));
  check(`${FIRST}: each Next step changes the step text`, changes.length > 0 && changes.every((c) => c.text), JSON.stringify(changes.map((c) => c.text)));
  check(`${FIRST}: each Next step moves the highlighted node`, changes.length > 0 && changes.every((c) => c.node), JSON.stringify(changes.map((c) => c.after.node)));
  if (clickMs.length) console.log(`# ${FIRST}: Next step to the new step shown: ${clickMs.map((ms) => Math.round(ms)).join(", ")} ms`);
  await screenshot(page, "lab-01-done-1366");
  return page;
}

// Clicks Next step (in the page, so that the time is the page's own) and resolves to the ms
// until both the step text and the highlighted node have changed (or the text says done).
export function timedClick(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const view = () => [...document.querySelectorAll(".stepgrad-view")].at(-1);
        const state = () => {
          const v = view();
          const current = v?.querySelector("svg .current");
          return [v?.querySelector(".stepgrad-step")?.textContent, current?.querySelector("title")?.textContent];
        };
        const [text, node] = state();
        const button = [...document.querySelectorAll(".jupyter-widgets button")].find((b) => b.textContent === "Next step");
        const area = button.closest(".jp-OutputArea") || document.body;
        const started = performance.now();
        const done = () => {
          const [t, n] = state();
          return t !== text && (n !== node || /done/.test(t));
        };
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            clearTimeout(timer);
            resolve(performance.now() - started);
          }
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error("Next step: nothing changed in 10 s"));
        }, 10_000);
        observer.observe(area, { subtree: true, childList: true, characterData: true, attributes: true });
        button.click();
      }),
  );
}

// Lessons 02-08, two at a time: each kernel starts in its own worker, one core each (all eight
// one after the other took 117 s here, this 100 s).  Lesson 01 is checked alone first, so that its
// tab has set up JupyterLite's service worker (two tabs opening the lab at once in a new
// profile stalled one of them).
async function otherLessons(page, url, times) {
  const waiting = LESSONS.filter((name) => name !== FIRST);
  const second = await page.context().newPage();
  await second.setViewportSize(DESKTOP);
  await Promise.all([page, second].map(async (tab) => {
    for (let lesson = waiting.shift(); lesson; lesson = waiting.shift()) await runLesson(tab, url, lesson, times);
  }));
  await second.close();
}

async function runLesson(page, url, lesson, times) {
  try {
    const { start } = await openLesson(page, url, lesson);
    const run = await runAll(page);
    times[lesson] = Date.now() - start;
    const cells = await cellsNow(page);
    const errors = errorOutputs(cells);
    check(`${lesson}: Run All, no error output`, run === "done" && errors.length === 0 && unrun(cells) === 0,
      `${run}; ${unrun(cells)} code cells not run; ${errors.join(" | ")}`.slice(0, 600));
    console.log(`# ${lesson}: ${seconds(times[lesson])}`);
  } catch (error) {
    check(`${lesson}: Run All, no error output`, false, String(error).split("\n")[0]);
  }
}

// The record JupyterLite keeps of `lesson` in this browser (null if none): its "files" store.
export const storedCopy = (page, lesson) =>
  page.evaluate(
    async ({ lesson }) => {
      const config = await (await fetch(new URL("/lab/jupyter-lite.json", location.href))).json();
      const name = config["jupyter-config-data"].contentsStorageName;
      if (!(await indexedDB.databases()).some((db) => db.name === name)) return null;
      const db = await new Promise((resolve, reject) => Object.assign(indexedDB.open(name), { onsuccess: (e) => resolve(e.target.result), onerror: reject }));
      try {
        if (!db.objectStoreNames.contains("files")) return null;
        return await new Promise((resolve, reject) =>
          Object.assign(db.transaction("files").objectStore("files").get(lesson), { onsuccess: (e) => resolve(e.target.result ?? null), onerror: reject }),
        );
      } finally {
        db.close();
      }
    },
    { lesson },
  );

// A cell edited by keyboard and saved, then the lesson reset from the site's reset page.
async function editSaveReset(page, url) {
  const lesson = FIRST;
  const built = JSON.parse(readFileSync(`${DIST}/lab/files/${lesson}`, "utf8"));
  const firstCode = built.cells.findIndex((cell) => cell.cell_type === "code");
  const original = [].concat(built.cells[firstCode].source).join("");
  await page.setViewportSize(DESKTOP);
  await openLesson(page, url, lesson);
  const editor = page.locator(".jp-Notebook .jp-Cell").nth(firstCode).locator(".cm-content");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n# edited by the test");
  await page.keyboard.press("Control+s");
  await page.waitForFunction(() => !window.jupyterapp.shell.currentWidget.context.model.dirty, null, { timeout: 20_000 });
  const stored = await storedCopy(page, lesson);
  const storedSource = stored && [].concat(stored.content.cells[firstCode].source).join("");
  check("an edited and saved lesson is kept in the lab's storage, under its name", storedSource?.endsWith("# edited by the test"), String(storedSource).slice(-80));
  await page.goto(labUrl(url, lesson));
  const whole = (count) => page.waitForFunction((count) => window.jupyterapp?.shell?.currentWidget?.content?.model?.cells?.length === count, count, { timeout: 60_000 });
  await whole(built.cells.length);
  const reopened = await cellsNow(page);
  check("reopened, the lesson shows the edit", [].concat(reopened[firstCode].source).join("").endsWith("# edited by the test"));

  // from the lesson page of the site: its link to the reset page
  await page.goto(`${url}lessons/${lesson.replace(".ipynb", ".html")}`);
  const resetLink = page.getByRole("link", { name: "Reset this lesson in the lab" });
  check("the lesson page links to its reset", (await resetLink.getAttribute("href")) === `../lab-reset.html?lesson=${encodeURIComponent(lesson)}`, await resetLink.getAttribute("href"));
  await resetLink.click();
  await page.waitForSelector("#reset-lesson", { timeout: 30_000 });
  check("the reset page names the lesson", (await page.locator("#reset code").first().textContent()) === lesson);
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    const where = `the reset page at ${size.width}×${size.height}`;
    const violations = await axeViolations(page);
    check(`${where}: axe-core finds no violations`, violations.length === 0, JSON.stringify(violations).slice(0, 600));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    check(`${where}: nothing scrolls sideways`, overflow <= 0, `${overflow}px`);
    await screenshot(page, `lab-reset-${size.width}`);
  }
  // by keyboard: Tab from the page's start to the button, Enter
  await page.evaluate(() => document.activeElement?.blur());
  let reached = false;
  for (let tabs = 0; tabs < 20 && !reached; tabs++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "reset-lesson");
  }
  check("the reset page: Tab reaches its button", reached);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/lab\/notebooks\/index\.html\?path=/, { timeout: 30_000 });
  await page.setViewportSize(DESKTOP);
  await whole(built.cells.length);
  const cells = await cellsNow(page);
  check("after the reset the lesson opens as built", [].concat(cells[firstCode].source).join("") === original, [].concat(cells[firstCode].source).join("").slice(-80));
  check("after the reset no copy of the lesson is stored", (await storedCopy(page, lesson)) === null);

  // a name that is not a lesson is refused, and the page lists the lessons instead
  await page.goto(`${url}lab-reset.html?lesson=${encodeURIComponent("../../x<script>.ipynb")}`);
  await page.waitForSelector("#reset-status", { timeout: 30_000 });
  const refused = await page.evaluate(() => ({ button: Boolean(document.querySelector("#reset-lesson")), links: document.querySelectorAll("#reset li a").length, scripts: document.querySelectorAll("main script").length }));
  check("the reset page refuses a name that is not a lesson, and lists the lessons", !refused.button && refused.links === LESSONS.length && refused.scripts === 0, JSON.stringify(refused));
}

// Every lesson page of the site links to that lesson in the lab; the list of lessons to the lab.
function siteLinks() {
  const wrong = [];
  for (const lesson of LESSONS) {
    const html = readFileSync(`${DIST}/lessons/${lesson.replace(".ipynb", ".html")}`, "utf8");
    if (!html.includes(`href="../lab/notebooks/index.html?path=${encodeURIComponent(lesson)}"`)) wrong.push(lesson);
  }
  check("each lesson page links to its lesson in the lab", wrong.length === 0, wrong.join(", "));
  check("the list of lessons links to the lab", readFileSync(`${DIST}/lessons/index.html`, "utf8").includes('href="../lab/tree/index.html"'));
}

async function main() {
  const started = Date.now();
  const server = await serve();
  const { context, record, close } = await openBrowser();
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const times = {};
  try {
    await exposeTheLab(context);
    siteLinks();
    let page = null;
    for (const part of [
      async () => (page = await lessonOne(context, server.url, times)),
      async () => otherLessons(page, server.url, times),
      async () => editSaveReset(page, server.url),
    ]) {
      try {
        await part();
      } catch (error) {
        check(`part ${results.length} ran to its end`, false, String(error).slice(0, 400));
      }
    }
    const away = requests.filter((href) => !/^(data|blob):/.test(href) && new URL(href).hostname !== "127.0.0.1");
    check(`no request leaves 127.0.0.1 (${requests.length} requests)`, away.length === 0 && record.offsite.length === 0, [...away, ...record.offsite].slice(0, 10).join(" "));
    check("no script error in the lab", record.errors.length === 0, record.errors.join(" | ").slice(0, 600));
  } finally {
    await close();
    server.stop();
  }
  console.log(`# seconds per lesson (open, fresh kernel, Run All): ${Object.entries(times).map(([name, ms]) => `${name.slice(0, 2)} ${(ms / 1000).toFixed(1)}`).join(", ")}`);
  const failed = results.filter((ok) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
