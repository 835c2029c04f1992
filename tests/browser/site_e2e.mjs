// The browser test: the built site (web/dist) in headless Chromium, with
// axe-core's accessibility rules (tests/browser/package.json) at desktop and phone size.
//   node tests/browser/site_e2e.mjs   (tests/browser/test_site.py runs it; SCREENSHOTS=dir saves pictures)
// Prints "ok - ..." or "not ok - ..." per check, then "N passed, N failed";
// exits 1 when a check fails.
import { axeViolations, openBrowser, openPage, serve } from "./site.mjs";

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
  const mark = (leaf) => text(page, `#handcheck .mark[data-leaf="${leaf}"]`);
  check("the hand check marks -1.5 for x1 ✓", (await mark("x1")) === "✓", await mark("x1"));
  check("the hand check marks 2.0 for w1 ✗", (await mark("w1")) === "✗", await mark("w1"));
  await next.click();
  await screenshot(page, "1-tanh-neuron-hand-check");
}

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const svgText = (page) => page.locator("#graph svg").textContent();
const count = (haystack, needle) => haystack.split(needle).length - 1;

async function noAxeViolations(page, where) {
  const violations = await axeViolations(page);
  check(`${where}: axe-core finds no violation`, violations.length === 0, JSON.stringify(violations).slice(0, 600));
}

// The hand-check panel: the minus sign and a decimal comma read, why "?" and
// the slip under a ✗ shown as text, the leaves' grads hidden on request; by
// keyboard, at desktop and phone size, with axe-core's rules.
async function checkingByHand(context, url) {
  const page = await openPage(context, url, "index.html");
  await page.setViewportSize(DESKTOP);
  const x1 = page.getByLabel("d o / d x1");
  const mark = (leaf) => text(page, `#handcheck .mark[data-leaf="${leaf}"]`);
  const note = (leaf) => page.locator(`#handcheck .note[data-leaf="${leaf}"]`);
  for (const typed of ["−1.5", "-1,5"]) {
    await x1.fill(typed);
    check(`x1 typed as ${typed} is marked ✓`, (await mark("x1")) === "✓", `${await mark("x1")} ${await note("x1").textContent()}`);
  }
  await x1.fill("-3");
  const slip = note("x1");
  check("x1 typed as -3 is marked ✗", (await mark("x1")) === "✗", await mark("x1"));
  check(
    "under the ✗, visible, the slip grad_table finds: local_left_out at n",
    (await slip.isVisible()) && (await slip.getAttribute("data-mistake")) === "local_left_out" &&
      (await slip.textContent()).startsWith("at n: o.grad passed down to n without multiplying by tanh's local derivative"),
    await slip.textContent(),
  );
  const said = await page.waitForFunction(() => document.getElementById("check-said").textContent, null, { timeout: 5000 }).then((h) => h.jsonValue());
  check("one polite live region says the result once typing pauses", said.startsWith("d o / d x1: wrong. at n:") &&
    (await page.locator("#stepper [aria-live], #stepper [role=status], #stepper output").count()) === 1, said);
  const w1 = page.getByLabel("d o / d w1");
  await w1.fill("1.2.3");
  const why = note("w1");
  check("an unreadable answer is marked ? with its reason shown as text",
    (await mark("w1")) === "?" && (await why.isVisible()) && (await why.textContent()) === "'1.2.3' is not a number: type a number such as -1.5, −1.5, -1,5 or -3/2"
      && (await w1.getAttribute("aria-invalid")) === "true",
    `${await mark("w1")} ${await why.textContent()}`);
  await noAxeViolations(page, "index.html with ✗, ? and their notes, 1366×768");

  // the toggle, by keyboard only: Tab from the page's start until it has focus, then Space
  const next = page.getByRole("button", { name: "Next step" });
  for (let i = 0; i < 6; i++) await next.click(); // backward done: every leaf's grad drawn
  const shown = await svgText(page);
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.evaluate(() => document.activeElement?.blur());
  let tabs = 0;
  while (tabs < 30 && !(await page.evaluate(() => document.activeElement?.id === "hide-leaf-grads"))) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  const toggleName = await page.getByRole("checkbox", { name: "Hide the leaves' grads in the drawing" }).count();
  check("the toggle is a labelled checkbox reached with Tab", toggleName === 1 && tabs < 30, `${tabs} tabs`);
  await page.keyboard.press("Space");
  const hidden = await svgText(page);
  check("Space hides the five leaves' grads in the drawing",
    count(hidden, "grad hidden") === 5 && !hidden.includes("-1.5000") && hidden.includes("grad 0.5000") && shown.includes("grad -1.5000"),
    hidden.slice(0, 300));
  await screenshot(page, "5-hand-check-desktop", false);
  await page.locator("#hide-leaf-grads").scrollIntoViewIfNeeded();
  await screenshot(page, "5-hand-check-desktop-full");
  await noAxeViolations(page, "index.html with the leaves' grads hidden, 1366×768");
  await page.getByRole("button", { name: "Restart" }).click();
  check("the leaves' grads stay hidden across steps", count(await svgText(page), "grad hidden") === 5);
  await page.locator("#hide-leaf-grads").focus();
  await page.keyboard.press("Space");
  await next.click();
  for (let i = 0; i < 5; i++) await next.click();
  const restored = await svgText(page);
  check("Space again shows them: the drawing is as before", restored === shown, restored.slice(0, 300));

  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  check("at 390×844 nothing is wider than the screen", overflow <= 0, `${overflow} px too wide`);
  check("at 390×844 the notes are visible", (await slip.isVisible()) && (await why.isVisible()));
  await noAxeViolations(page, "index.html, 390×844");
  await page.locator("#handcheck").scrollIntoViewIfNeeded();
  await screenshot(page, "5-hand-check-phone", false);
  await screenshot(page, "5-hand-check-phone-full");
  await page.setViewportSize({ width: 1280, height: 900 });
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
  await page.locator("#program").fill('a = Value(2.0, label="a")\nout = (a * a).tanh()\nout.label = "out"');
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByLabel("d out / d a").fill("−2,5");
  const note = await text(page, '#handcheck .note[data-leaf="a"]');
  check("its hand check reads −2,5 and says why it is wrong", (await text(page, '#handcheck .mark[data-leaf="a"]')) === "✗" && note.length > 0, note);
  await noAxeViolations(page, "expression.html with a hand check, 1280×900");
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
  for (const part of [stepThroughTheNeuron, checkingByHand, yourOwnExpression, watchANetworkLearn, theLessons]) {
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
