// The lessons of the built site (web/dist/lessons, made by web/lessons.py) in
// headless Chromium, at a desktop's size (1366×768) and a phone's (390×844):
// axe-core finds nothing, nothing is wider than the screen, no prompt numbers,
// no "¶" shown until pointed at or focused, every figure named; the live
// stepper steps by mouse and by keyboard, focus is never lost.
//   node tests/browser/lessons.mjs   (tests/browser/test_lessons_site.py runs it; SCREENSHOTS=dir saves pictures)
// Prints "ok - ..." or "not ok - ..." per check, then "N passed, N failed"; exits 1 when a check fails.
import { readdirSync } from "node:fs";
import { axeViolations, DIST, openBrowser, serve, settled } from "./site.mjs";

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const LESSONS = ["index.html", ...readdirSync(`${DIST}/lessons`).filter((name) => /^\d.*\.html$/.test(name)).sort()];

const results = [];
function check(name, ok, detail = "") {
  results.push(ok);
  console.log(`${ok ? "ok" : "not ok"} - ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

const screenshot = async (page, name) => {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png`, fullPage: false });
};
const text = (page, selector) => page.locator(selector).first().textContent();
const settle = async (action, page) => {
  await action;
  await settled(page);
};
const focused = (page) =>
  page.evaluate(() => {
    const at = document.activeElement;
    return at && at !== document.body ? `${at.tagName.toLowerCase()}${at.id ? "#" + at.id : ""} ${at.textContent.trim().slice(0, 30)}` : null;
  });

// A lesson is ready when its math is rendered and, if it steps, its Python is idle.
async function ready(page) {
  await page.waitForFunction(() => !document.querySelector("main").textContent.includes("$$"), null, { timeout: 30_000 });
  if (await page.locator("#status").count()) await settled(page, 120_000);
}

// What every lesson must be at the size it is shown now.
async function lessonChecks(page, name, size) {
  const where = `${name} at ${size.width}×${size.height}`;
  const facts = await page.evaluate(() => {
    const main = document.querySelector("main");
    const clipped = (el) => {
      for (let up = el.parentElement; up && up !== main; up = up.parentElement) if (getComputedStyle(up).overflowX !== "visible") return true;
      return false;
    };
    const wide = [...main.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && !clipped(el))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} ${Math.round(el.getBoundingClientRect().right)}px`);
    const anchors = [...document.querySelectorAll(".anchor-link")];
    return {
      overflow: document.documentElement.scrollWidth - innerWidth,
      wide: wide.slice(0, 3),
      prompts: (main.innerText.match(/\b(In|Out) ?\[\d*\]:/g) || []).length,
      anchors: anchors.length,
      anchorsShown: anchors.filter((a) => getComputedStyle(a).opacity !== "0").length,
      images: [...main.querySelectorAll("img")].map((img) => img.alt),
      drawings: [...main.querySelectorAll("svg.drawing")].map((svg) => svg.getAttribute("role") === "img" && svg.getAttribute("aria-label")),
      unlabelledScrolls: [...main.querySelectorAll(".scrolls, .katex-display")]
        .filter((box) => box.scrollWidth > box.clientWidth + 1 && !(box.tabIndex === 0 && box.getAttribute("aria-label")))
        .map((box) => box.className),
    };
  });
  check(`${where}: nothing scrolls sideways`, facts.overflow <= 0 && facts.wide.length === 0, `${facts.overflow}px too wide: ${facts.wide.join(", ")}`);
  check(`${where}: no prompt numbers`, facts.prompts === 0, `${facts.prompts} prompts`);
  if (name !== "index.html") check(`${where}: no "¶" shown while nothing points at it`, facts.anchors > 0 && facts.anchorsShown === 0, `${facts.anchorsShown} of ${facts.anchors}`);
  const badAlt = facts.images.filter((alt) => !alt || alt.startsWith("No description"));
  check(`${where}: every image says what it shows`, badAlt.length === 0, badAlt.join(" | "));
  check(`${where}: every drawing is an image named by what it shows`, facts.drawings.every((label) => label && /Values|nodes/.test(label)));
  check(`${where}: every box that scrolls sideways takes focus and has a name`, facts.unlabelledScrolls.length === 0, facts.unlabelledScrolls.join(", "));
  const violations = await axeViolations(page);
  check(`${where}: axe-core finds no violations`, violations.length === 0, JSON.stringify(violations).slice(0, 600));
  if (process.env.TIMES) console.log(`# ${where} checked at ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const STEPPING = ["01_tanh_neuron.html", "08_your_turn.html"]; // checked by lessonOneSteps and lessonEightSteps

// `page` checked at a desktop's size, then at a phone's, ending at the phone's.
async function atBothSizes(page, name) {
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(100); // the boxes that scroll are marked after a resize (ResizeObserver)
  await lessonChecks(page, name, DESKTOP);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  await lessonChecks(page, name, PHONE);
}

// Each lesson that does not step, loaded once.
async function everyLesson(context, url) {
  const page = await context.newPage();
  for (const name of LESSONS.filter((name) => !STEPPING.includes(name))) {
    await page.goto(`${url}lessons/${name}`);
    await ready(page);
    await atBothSizes(page, name);
  }
  await page.close();
}

// Lesson 01: its stepping cell is the live stepper, by mouse and by keyboard.
async function lessonOneSteps(context, url) {
  const page = await context.newPage();
  await page.setViewportSize(DESKTOP);
  await page.goto(`${url}lessons/01_tanh_neuron.html`);
  await ready(page);
  await atBothSizes(page, "01_tanh_neuron.html");
  await page.setViewportSize(DESKTOP);
  check("01: the stepping cell holds the live stepper, with its drawing", (await page.locator(".live-stepper #graph svg").count()) === 1);
  check("01: the frozen step_through output is gone", (await page.locator(".stepgrad-view").count()) === 0);
  const buttons = await page.locator(".live-stepper button").allTextContents();
  check("01: the buttons its note names are there: Back, Next step, Restart", ["Back", "Next step", "Restart"].every((name) => buttons.includes(name)), buttons.join(", "));
  await screenshot(page, "lesson-01-top-1366");
  const next = page.getByRole("button", { name: "Next step" });
  await next.scrollIntoViewIfNeeded();
  for (let i = 0; i < 2; i++) await settle(next.click(), page);
  check("01: two Next steps by mouse reach step 2 of 5", (await text(page, "#step")).startsWith("step 2 of 5"), await text(page, "#step"));
  await next.focus();
  for (let i = 0; i < 4; i++) await settle(page.keyboard.press("Enter"), page);
  const done = await text(page, "#step");
  check("01: Enter on Next step steps to the end", /backward is done/.test(done), done);
  check("01: focus stays on Next step at the last step", (await focused(page))?.startsWith("button Next step"), await focused(page));
  check("01: a highlighted node was drawn on the way", (await page.locator("#graph svg").count()) === 1);
  await settle(page.getByLabel("d o / d x1").fill("-1.5"), page);
  check("01: the hand check marks -1.5 for x1 ✓", (await text(page, '#handcheck .mark[data-leaf="x1"]')) === "✓");
  await page.locator(".live-stepper").scrollIntoViewIfNeeded();
  await screenshot(page, "lesson-01-stepper-1366");
  const violations = await axeViolations(page);
  check("01 after steps and a hand value: axe-core finds no violations", violations.length === 0, JSON.stringify(violations).slice(0, 600));
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  await page.locator(".live-stepper").scrollIntoViewIfNeeded();
  await screenshot(page, "lesson-01-stepper-390");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  check("01 after steps at 390×844: nothing scrolls sideways", overflow <= 0, `${overflow}px`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "lesson-01-top-390");

  // by keyboard only: Tab from the page's start reaches a "¶" (shown while focused), then Next step
  await page.setViewportSize(DESKTOP);
  await page.evaluate(() => document.activeElement?.blur());
  let anchorShown = false;
  let reached = false;
  for (let tabs = 0; tabs < 60 && !reached; tabs++) {
    await page.keyboard.press("Tab");
    const state = await page.evaluate(() => ({
      anchor: document.activeElement?.matches(".anchor-link") && getComputedStyle(document.activeElement).opacity === "1",
      next: document.activeElement?.textContent === "Next step",
    }));
    anchorShown ||= state.anchor;
    reached = state.next;
  }
  check("01 by keyboard: a focused ¶ link is shown", anchorShown);
  check("01 by keyboard: Tab reaches Next step", reached);

  // Python restarted (as after a time limit): the graph it kept is gone, and the stepper shows it anew
  await page.evaluate(async () => (await import(new URL("../runtime.js", location.href).href)).python.restart());
  await settled(page, 120_000);
  await settle(next.click(), page);
  check("01 after Python restarts: the stepper steps again", (await text(page, "#step")).startsWith("step 1 of 5"), await text(page, "#step"));
  await page.close();
}

// Lesson 08: two stepping cells; the second takes the live stepper by keyboard, and its
// node without a _backward is said in the step, as step_through says it.
async function lessonEightSteps(context, url) {
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  await page.goto(`${url}lessons/08_your_turn.html`);
  await ready(page);
  await atBothSizes(page, "08_your_turn.html");
  check("08: two stepping cells, the first one live", (await page.locator(".live-stepper").count()) === 2 && (await page.locator(".live-stepper").first().locator("#graph").count()) === 1);
  const open = page.getByRole("button", { name: "Step through forgot * 2 here" });
  await open.focus();
  await settle(page.keyboard.press("Enter"), page);
  check("08: the second stepping cell now holds the live stepper", (await page.locator(".live-stepper").nth(1).locator("#graph svg").count()) === 1);
  check("08: and the first one a button to take it back", await page.getByRole("button", { name: "Step through z here" }).isVisible());
  check("08: focus went on to the stepper's Next step", (await focused(page))?.startsWith("button Next step"), await focused(page));
  await settle(page.keyboard.press("Enter"), page);
  const said = await text(page, "#step");
  check("08: the step says the node has no _backward of its own", said.includes("no _backward of its own"), said);
  await page.locator(".live-stepper").nth(1).scrollIntoViewIfNeeded();
  await screenshot(page, "lesson-08-stepper-390");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  check("08 after a step at 390×844: nothing scrolls sideways", overflow <= 0, `${overflow}px`);
  let violations = await axeViolations(page);
  check("08 after a step, 390×844: axe-core finds no violations", violations.length === 0, JSON.stringify(violations).slice(0, 600));
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "lesson-08-top-390");
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(100);
  await screenshot(page, "lesson-08-top-1366");
  await page.locator(".drawing-box").first().scrollIntoViewIfNeeded();
  await screenshot(page, "lesson-08-worksheet-1366");
  violations = await axeViolations(page);
  check("08 after a step, 1366×768: axe-core finds no violations", violations.length === 0, JSON.stringify(violations).slice(0, 600));
  await page.close();
}

// Inside the site a lesson is mounted, not loaded (site.js): from the list of lessons to 01, whose
// math is rendered and whose stepper steps; then by the menu to the list again and on to 08.
async function lessonsMountedInPlace(context, url) {
  const page = await context.newPage();
  await page.setViewportSize(DESKTOP);
  await page.goto(`${url}lessons/index.html`);
  await page.evaluate(() => (window.notReloaded = true));
  await settle(page.getByRole("link", { name: "The tanh neuron, by hand and by machine" }).click(), page);
  await ready(page);
  const kept = await page.evaluate(() => window.notReloaded === true);
  check("the list's link to 01 mounts it in place: no reload", kept && page.url().endsWith("01_tanh_neuron.html"));
  check("01 mounted: its math is rendered", (await page.locator("main .katex").count()) > 10);
  check("01 mounted: its stepper shows its graph", (await page.locator(".live-stepper #graph svg").count()) === 1);
  await settle(page.getByRole("button", { name: "Next step" }).click(), page);
  check("01 mounted: Next step steps", (await text(page, "#step")).startsWith("step 1 of 5"), await text(page, "#step"));
  await page.getByRole("link", { name: "The lessons" }).click();
  await page.waitForURL(/lessons\/index\.html$/);
  await settle(page.getByRole("link", { name: /^Your turn/ }).click(), page);
  await ready(page);
  check("then 08, mounted in place too, with its stepper", (await page.evaluate(() => window.notReloaded === true)) && (await page.locator(".live-stepper #graph svg").count()) === 1);
  const violations = await axeViolations(page);
  check("08 mounted in place: axe-core finds no violations", violations.length === 0, JSON.stringify(violations).slice(0, 600));
  await page.close();
}

const started = Date.now();
const server = await serve();
const { context, record, close } = await openBrowser();
try {
  for (const part of [everyLesson, lessonOneSteps, lessonEightSteps, lessonsMountedInPlace]) {
    const partStarted = Date.now();
    try {
      await part(context, server.url);
    } catch (error) {
      check(`${part.name} ran to its end`, false, String(error).slice(0, 400));
    }
    console.log(`# ${part.name}: ${((Date.now() - partStarted) / 1000).toFixed(1)} s`);
  }
  check("no script error on any lesson", record.errors.length === 0, record.errors.join(" | "));
  check("nothing fetched from off the site", record.offsite.length === 0, record.offsite.join(" "));
} finally {
  await close();
  server.stop();
}
const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
