// The browser test: the built site (web/dist) in headless Chromium.
//   node tests/browser/site_e2e.mjs   (tests/browser/test_site.py runs it; SCREENSHOTS=dir saves pictures)
// Prints "ok - ..." or "not ok - ..." per check, then "N passed, N failed";
// exits 1 when a check fails.
import { openBrowser, openPage, serve } from "./site.mjs";

const results = [];
function check(name, ok, detail = "") {
  results.push(ok);
  console.log(`${ok ? "ok" : "not ok"} - ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const text = (page, selector) => page.locator(selector).first().textContent();
const currentNode = (page) => page.evaluate(() => document.querySelector("#graph g.current title")?.textContent ?? null);
const screenshot = async (page, name, fullPage = true) => {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png`, fullPage });
};

async function stepThroughTheNeuron(context, url) {
  const page = await openPage(context, url, "index.html");
  check("index.html: #status reaches ready", (await text(page, "#status")) === "ready", await text(page, "#status"));
  check("index.html: the graph is SVG inside #graph", (await page.locator("#graph svg").count()) === 1);
  const next = page.getByRole("button", { name: "Next step" });
  const highlighted = [];
  for (let i = 0; i < 5; i++) {
    await next.click();
    highlighted.push(await currentNode(page));
  }
  check("five Next steps highlight five different nodes", new Set(highlighted).size === 5 && !highlighted.includes(null), highlighted.join(" "));
  const fifth = await text(page, "#step");
  check("the fifth step's text ends at x1.grad = -1.5000", /x1\.grad \+= .* = -1\.5000$/m.test(fifth), fifth);
  await screenshot(page, "1-tanh-neuron-step-5");
  await page.getByRole("button", { name: "Back" }).click();
  const back = await text(page, "#step");
  check("Back undoes a step", (await currentNode(page)) === highlighted[3] && back.startsWith("step 4 of 5") && !back.includes("x1.grad"), back);
  await page.getByRole("button", { name: "Restart" }).click();
  check("Restart goes back to before step 1", (await currentNode(page)) === null && (await text(page, "#step")) === "no step run yet");
  await page.getByLabel("d o / d x1").fill("-1.5");
  await page.getByLabel("d o / d w1").fill("2.0");
  const mark = (leaf) => text(page, `#handcheck output[data-leaf="${leaf}"]`);
  check("the hand check marks -1.5 for x1 ✓", (await mark("x1")) === "✓", await mark("x1"));
  check("the hand check marks 2.0 for w1 ✗", (await mark("w1")) === "✗", await mark("w1"));
  await next.click();
  await screenshot(page, "1-tanh-neuron-hand-check");
}

async function yourOwnExpression(context, url) {
  const page = await openPage(context, url, "expression.html");
  check("expression.html: #status reaches ready", (await text(page, "#status")) === "ready", await text(page, "#status"));
  await page.locator("#program").fill('p = Value(3.0, label="p")\nq = Value(-0.5, label="q")\nout = (p * q).exp()\nout.label = "mine"');
  await page.getByRole("button", { name: "Run" }).click();
  const drawn = await page.locator("#graph svg").textContent();
  check("a typed expression draws", drawn.includes("mine") && drawn.includes("data 0.2231"), drawn.slice(0, 200));
  await page.getByRole("button", { name: "Next step" }).click();
  check("and steps", (await text(page, "#step")).startsWith("step 1 of 2: mine passes its grad 1.0000"));
  await screenshot(page, "2-expression");
  await page.locator("#program").fill("x = Value(1.0)\nout = x * y");
  await page.getByRole("button", { name: "Run" }).click();
  const error = await text(page, "#error");
  check("a Python error shows as one readable line", error === "line 2: NameError: name 'y' is not defined", error);
}

async function watchANetworkLearn(context, url) {
  const page = await openPage(context, url, "train.html");
  check("train.html: #status reaches ready", (await text(page, "#status")) === "ready", await text(page, "#status"));
  const oneStep = page.getByRole("button", { name: "One step" });
  await oneStep.click();
  const first = Number(await text(page, "#loss"));
  for (let i = 1; i < 20; i++) await oneStep.click();
  const twentieth = Number(await text(page, "#loss"));
  const steps = await text(page, "#steps");
  check("20 training steps on moons lower #loss", steps === "20" && twentieth < first, `step ${steps}: ${first} -> ${twentieth}`);
  check("#accuracy shows a percentage", /^\d+\.\d%$/.test(await text(page, "#accuracy")));
  const box = await page.locator("#plane").boundingBox();
  const [x, y] = (await page.locator("#plane").getAttribute("data-point0")).split(",").map(Number);
  await page.mouse.click(box.x + x, box.y + y);
  const graph = (await page.locator("#graph svg").textContent()) ?? "";
  check("a click on a point draws its graph through the loss", graph.includes("loss of point 0"), graph.slice(0, 120));
  await screenshot(page, "3-train");
}

async function theLessons(context, url) {
  const page = await context.newPage();
  await page.goto(url + "lessons/01_tanh_neuron.html");
  await page.waitForSelector(".katex", { timeout: 30_000 }).catch(() => null);
  check("a lesson renders its math with KaTeX", (await page.locator(".katex").count()) > 0);
  check("and shows its drawings", (await page.locator("svg .node").count()) > 0);
  check("and links to the pages", (await page.locator('nav a[href="../train.html"]').count()) === 1);
  await screenshot(page, "4-lesson-top", false);
  await page.locator("svg .node").first().scrollIntoViewIfNeeded();
  await screenshot(page, "4-lesson-drawing", false);
  await page.close();
}

const server = await serve();
const browser = await openBrowser();
try {
  for (const part of [stepThroughTheNeuron, yourOwnExpression, watchANetworkLearn, theLessons]) {
    try {
      await part(browser.context, server.url);
    } catch (error) {
      check(`${part.name} ran to the end`, false, String(error).split("\n")[0]);
    }
  }
} finally {
  await browser.close();
  server.stop();
}
check("no request left 127.0.0.1", browser.record.offsite.length === 0, browser.record.offsite.join(" "));
check("no JavaScript error in any page", browser.record.errors.length === 0, browser.record.errors.join(" | "));
const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
