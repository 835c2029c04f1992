// GraphView (web/src/graphview.js) alone in headless Chromium, on its own test page
// (tests/browser/fixtures/graphview.html) with drawings from one Value up to a
// 986-Value network, written by tests/browser/fixtures/graphview_svgs.py.
//   node tests/browser/graphview.mjs   (tests/browser/test_graphview.py runs it; SCREENSHOTS=dir saves pictures)
// Needs no built site: the page and web/src are served from the checkout by the
// browser's own routing (every other request is refused).  Prints "ok - ..." or
// "not ok - ..." per check, then "N passed, N failed"; exits 1 when a check fails.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";
import { axeViolations, chromiumPath } from "./site.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const ORIGIN = "http://graphview.test";
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };
const SERVED = ["/web/src/", "/tests/browser/fixtures/"]; // from the checkout; /drawings/ from the temporary folder

const results = [];
function check(name, ok, detail = "") {
  results.push(ok);
  console.log(`${ok ? "ok" : "not ok"} - ${name}${ok || !detail ? "" : `: ${detail}`}`);
}
const round = (x) => Math.round(x * 100) / 100;

// On screen: the smallest and largest node text (font-size times the drawing's scale on
// screen), each text's box height as a cross-check, and where the current node is.
function measure() {
  const texts = [...document.querySelectorAll("#graph g.node text")];
  const sizes = texts.map((text) => {
    const matrix = text.getScreenCTM();
    return parseFloat(text.getAttribute("font-size")) * Math.hypot(matrix.a, matrix.b);
  });
  const heights = texts.map((text) => text.getBoundingClientRect().height);
  const box = document.querySelector(".graphview-viewport");
  const frame = box.getBoundingClientRect();
  const inner = { left: frame.left + box.clientLeft, top: frame.top + box.clientTop };
  const current = document.querySelector("#graph g.current")?.getBoundingClientRect() ?? null;
  const within = (r, left, top, right, bottom) => r.left >= left - 0.5 && r.top >= top - 0.5 && r.right <= right + 0.5 && r.bottom <= bottom + 0.5;
  const svg = document.querySelector("#graph svg").getBoundingClientRect();
  return {
    texts: texts.length,
    smallest: Math.min(...sizes),
    largest: Math.max(...sizes),
    tallestBox: Math.max(...heights),
    lowestBox: Math.min(...heights),
    current: current !== null,
    inBox: current && within(current, inner.left, inner.top, inner.left + box.clientWidth, inner.top + box.clientHeight),
    inWindow: current && within(current, 0, 0, window.innerWidth, window.innerHeight),
    sideways: document.scrollingElement.scrollWidth - window.innerWidth,
    scrollLeft: box.scrollLeft,
    scrollTop: box.scrollTop,
    svgWidth: svg.width,
    svgHeight: svg.height,
    boxWidth: box.clientWidth,
    boxHeight: box.clientHeight,
    boxMostHeight: parseFloat(getComputedStyle(box).maxHeight),
    hint: document.querySelector(".graphview-hint").textContent,
    hintVisible: document.querySelector(".graphview-hint").getBoundingClientRect().height > 0,
  };
}

const readable = (m) => m.smallest >= 10 - 0.01 && m.largest <= 20 + 0.01;
const sizes = (m) => `text ${round(m.smallest)}–${round(m.largest)} px (boxes ${round(m.lowestBox)}–${round(m.tallestBox)} px) over ${m.texts} texts`;

async function screenshot(page, name) {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png` });
}

async function noAxeViolations(page, where) {
  const violations = await axeViolations(page);
  check(`${where}: axe-core finds no violation`, violations.length === 0, JSON.stringify(violations).slice(0, 600));
}

async function show(page, name, options = {}) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(([name, options]) => window.showDrawing(name, options), [name, options]);
  return page.evaluate(measure);
}

// Every drawing, at one size: text within 10–20 px, the current node inside the box and the window.
async function everyDrawingReadable(page, size) {
  const where = `${size.width}×${size.height}`;
  await page.setViewportSize(size);
  for (const name of ["one", "abc", "neuron", "chain-first", "chain-middle", "chain-last", "network-near", "network-whole"]) {
    const m = await show(page, name);
    check(`${where} ${name}: node text between 10 and 20 px`, readable(m) && m.lowestBox >= 9, sizes(m));
    check(`${where} ${name}: the current node is inside the view and the window`, m.current && m.inBox && m.inWindow, JSON.stringify(m).slice(0, 300));
    check(`${where} ${name}: nothing scrolls sideways`, m.sideways <= 0, `${m.sideways} px`);
    const atTen = 10 / m.smallest; // the drawing's size, relative to now, with its smallest text at 10 px
    const fitsAtTen = m.svgWidth * atTen <= m.boxWidth + 1 && m.svgHeight * atTen <= m.boxMostHeight + 1;
    const whole = m.svgWidth <= m.boxWidth + 1 && m.svgHeight <= m.boxMostHeight + 1;
    check(`${where} ${name}: fitted whole when it fits with 10 px text (${fitsAtTen}), else a part at 12 px text`,
      fitsAtTen ? whole : m.smallest >= 11.99, `${round(m.svgWidth)}×${round(m.svgHeight)} in ${m.boxWidth}×${m.boxMostHeight}, ${sizes(m)}`);
    if (name === "chain-middle" || name === "network-near") await screenshot(page, `${size === PHONE ? "phone" : "desktop"}-${name}`);
  }
}

// The keyboard alone: Tab reaches the named region, arrows move, + and - zoom within the limits, 0 fits.
async function byKeyboard(page) {
  await page.setViewportSize(DESKTOP);
  await show(page, "chain-first");
  await page.evaluate(() => document.activeElement?.blur());
  let tabs = 0;
  while (tabs < 10 && !(await page.evaluate(() => document.activeElement?.classList.contains("graphview-viewport")))) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  const region = page.getByRole("region", { name: "the graph of the test drawing" });
  check("Tab reaches the drawing, a region named 'the graph of the test drawing'", tabs < 10 && (await region.count()) === 1 &&
    (await page.evaluate(() => document.activeElement.getAttribute("aria-label"))) === "the graph of the test drawing", `${tabs} tabs`);
  const start = await page.evaluate(measure);
  check("a hint saying how to move and zoom is visible", start.hintVisible && /arrow keys/.test(start.hint) && /\+ and − keys/.test(start.hint), start.hint);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  const moved = await page.evaluate(measure);
  check("ArrowRight and ArrowDown move the drawing", moved.scrollLeft > start.scrollLeft && moved.scrollTop >= start.scrollTop,
    `${start.scrollLeft},${start.scrollTop} -> ${moved.scrollLeft},${moved.scrollTop}`);
  await page.keyboard.press("+");
  const bigger = await page.evaluate(measure);
  check("+ makes the text larger", bigger.smallest > moved.smallest * 1.1, `${round(moved.smallest)} -> ${round(bigger.smallest)}`);
  for (let i = 0; i < 8; i++) await page.keyboard.press("+");
  const largest = await page.evaluate(measure);
  check("pressing + many times stops at 20 px text", readable(largest) && largest.largest > 19, sizes(largest));
  for (let i = 0; i < 12; i++) await page.keyboard.press("-");
  const smallest = await page.evaluate(measure);
  check("pressing - many times stops at 10 px text", readable(smallest) && smallest.smallest < 10.5, sizes(smallest));
  await page.keyboard.press("+");
  const zoomedIn = await page.evaluate(measure);
  await page.evaluate(() => window.showDrawing("chain-last"));
  const nextStep = await page.evaluate(measure);
  check("the same graph at another step keeps the reader's zoom, and shows its current node",
    Math.abs(nextStep.smallest - zoomedIn.smallest) < 0.01 && nextStep.inBox, `${round(zoomedIn.smallest)} -> ${round(nextStep.smallest)} px`);
  await page.keyboard.press("0");
  const fitted = await page.evaluate(measure);
  check("0 fits: back to the readable view; the chain does not fit whole, so its text is 12 px or more",
    readable(fitted) && fitted.smallest >= 11.99 && (await page.evaluate(() => !window.view.whole)), sizes(fitted));
  check("focus stayed on the drawing throughout", await page.evaluate(() => document.activeElement.classList.contains("graphview-viewport")));
  await screenshot(page, "desktop-keyboard-focus");
  await noAxeViolations(page, "1366×768, the drawing focused by keyboard");
}

// The mouse: a drag moves the drawing, Ctrl + wheel zooms (within the limits).
async function byMouse(page) {
  await page.setViewportSize(DESKTOP);
  await show(page, "network-whole");
  const box = await page.locator(".graphview-viewport").boundingBox();
  const before = await page.evaluate(measure);
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 150, y - 80, { steps: 5 });
  await page.mouse.up();
  const dragged = await page.evaluate(measure);
  check("a mouse drag moves the drawing with the pointer", Math.abs(dragged.scrollLeft - before.scrollLeft - 150) <= 2 && Math.abs(dragged.scrollTop - before.scrollTop - 80) <= 2,
    `${before.scrollLeft},${before.scrollTop} -> ${dragged.scrollLeft},${dragged.scrollTop}`);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
  await page.waitForTimeout(100);
  const zoomed = await page.evaluate(measure);
  check("Ctrl + wheel zooms in, within 20 px", zoomed.smallest > dragged.smallest * 1.1 && readable(zoomed), `${round(dragged.smallest)} -> ${sizes(zoomed)}`);
  await page.keyboard.down("Control");
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 400);
  await page.keyboard.up("Control");
  await page.waitForTimeout(100);
  const out = await page.evaluate(measure);
  check("Ctrl + wheel zooms out, not below 10 px", readable(out) && out.smallest < zoomed.smallest, sizes(out));
}

// Touch, through the browser's own input (CDP): one finger moves the drawing, two pinch it.
async function byTouch(page, context) {
  await page.setViewportSize(PHONE);
  await show(page, "network-whole");
  const cdp = await context.newCDPSession(page);
  const box = await page.locator(".graphview-viewport").boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const touch = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([px, py], id) => ({ x: px, y: py, id })) });
  const before = await page.evaluate(measure);
  await touch("touchStart", [[x, y]]);
  for (let i = 1; i <= 6; i++) await touch("touchMove", [[x - i * 20, y - i * 10]]);
  await touch("touchEnd", []);
  await page.waitForTimeout(300);
  const swiped = await page.evaluate(measure);
  check("one finger moves the drawing", swiped.scrollLeft > before.scrollLeft + 40 && swiped.sideways <= 0,
    `${before.scrollLeft},${before.scrollTop} -> ${swiped.scrollLeft},${swiped.scrollTop}`);
  await touch("touchStart", [[x - 30, y], [x + 30, y]]);
  for (let i = 1; i <= 6; i++) await touch("touchMove", [[x - 30 - i * 10, y], [x + 30 + i * 10, y]]);
  await touch("touchEnd", []);
  await page.waitForTimeout(100);
  const pinched = await page.evaluate(measure);
  check("two fingers spread zoom in, within 20 px", pinched.smallest > swiped.smallest * 1.3 && readable(pinched), `${round(swiped.smallest)} -> ${sizes(pinched)}`);
  await touch("touchStart", [[x - 100, y], [x + 100, y]]);
  for (let i = 1; i <= 8; i++) await touch("touchMove", [[x - 100 + i * 11, y], [x + 100 - i * 11, y]]);
  await touch("touchEnd", []);
  await page.waitForTimeout(100);
  const closed = await page.evaluate(measure);
  check("two fingers pinched together zoom out, not below 10 px", closed.smallest < pinched.smallest && readable(closed), sizes(closed));
  check("after touch, the page still does not scroll sideways", closed.sideways <= 0, `${closed.sideways} px`);
  await cdp.detach();
}

// "Whole graph" shows all of the drawing (text may then be under 10 px, and the hint says so); "Readable size" comes back.
// axe-core runs on the chain's drawing (421 texts): on the network's (3,595) it takes 15-25 s.
async function wholeAndBack(page, size, name, axe) {
  const where = `${size.width}×${size.height} ${name}`;
  await page.setViewportSize(size);
  await show(page, name);
  await page.getByRole("button", { name: "Whole graph" }).focus();
  await page.keyboard.press("Enter");
  const all = await page.evaluate(measure);
  check(`${where}: Whole graph fits all of the drawing in the view`, all.svgWidth <= all.boxWidth + 1 && all.svgHeight <= all.boxMostHeight + 1,
    `${round(all.svgWidth)}×${round(all.svgHeight)} in ${all.boxWidth}×${all.boxMostHeight}`);
  check(`${where}: and says its text is too small to read`, all.smallest < 10 && /too small to read/.test(all.hint) && all.hintVisible, `${sizes(all)}; ${all.hint}`);
  await screenshot(page, `${size === PHONE ? "phone" : "desktop"}-whole-${name}`);
  if (axe) await noAxeViolations(page, `${where}, the whole graph`);
  const back = page.getByRole("button", { name: "Readable size" });
  check(`${where}: the same button, focused, now reads Readable size`, (await back.count()) === 1 && (await back.evaluate((b) => b === document.activeElement)));
  await page.keyboard.press("Enter");
  const readableAgain = await page.evaluate(measure);
  check(`${where}: Readable size brings text back to 10–20 px`, readable(readableAgain), sizes(readableAgain));
}

// A part of a large graph: "Showing 49 of 984 values" and a button for the whole, which the page answers; focus stays.
async function partOfALargeGraph(page) {
  await page.setViewportSize(DESKTOP);
  const { part } = await page.evaluate(() => window.showDrawing("network-near"));
  const line = page.locator(".graphview-part");
  const said = await line.textContent();
  check("a part of a large graph says how many values it shows of how many",
    (await line.isVisible()) && said.includes(`Showing ${part.shown} of ${part.total.toLocaleString("en")} values`), said);
  await noAxeViolations(page, "1366×768, part of a large graph");
  await page.evaluate(() => document.activeElement?.blur());
  let tabs = 0;
  while (tabs < 5 && (await page.evaluate(() => document.activeElement?.textContent)) !== "Show the whole graph") {
    await page.keyboard.press("Tab");
    tabs++;
  }
  check("Tab reaches Show the whole graph", tabs < 5, `${tabs} tabs`);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".graphview-part").textContent.includes("Showing all"));
  const asked = await page.evaluate(() => window.parts);
  const m = await page.evaluate(measure);
  check("Show the whole graph asks the page for it (onPart(true)), and the whole is shown readable", asked.join() === "true" && m.texts > 2000 && readable(m), `${asked} ${sizes(m)}`);
  check("focus stays on the button, which now offers the nearby values",
    await page.evaluate(() => document.activeElement?.textContent === "Show only the nearby values"));
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".graphview-part").textContent.includes("near the highlighted one"));
  check("and back: onPart(false), the part drawn again", (await page.evaluate(() => window.parts.join())) === "true,false");
  await page.evaluate(() => window.showDrawing("neuron"));
  check("a whole small graph has no part line, and focus moves to the drawing, not lost",
    (await line.isHidden()) && (await page.evaluate(() => document.activeElement?.classList.contains("graphview-viewport"))));
}

async function phoneChecks(page) {
  await page.setViewportSize(PHONE);
  await show(page, "network-near");
  await noAxeViolations(page, "390×844, part of a large graph");
  const m = await page.evaluate(measure);
  check("390×844: the view is no wider than the screen and scrolls inside itself", m.sideways <= 0 && m.boxWidth <= PHONE.width && m.svgWidth > m.boxWidth,
    `${m.boxWidth} px box, ${round(m.svgWidth)} px drawing, ${m.sideways} px sideways`);
  const quiet = await show(page, "chain-middle", { reveal: false });
  check("show(..., { reveal: false }) leaves the window where it is, the node still inside the view",
    (await page.evaluate(() => window.scrollY)) === 0 && quiet.inBox && !quiet.inWindow);
}

const started = Date.now();
const drawings = mkdtempSync(join(tmpdir(), "stepgrad-graphview-"));
execFileSync(process.env.PYTHON || "python3", [join(ROOT, "tests/browser/fixtures/graphview_svgs.py"), drawings], { cwd: ROOT, stdio: "inherit" });
const profile = mkdtempSync(join(tmpdir(), "stepgrad-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath(),
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: DESKTOP,
  hasTouch: true,
});
const errors = [];
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  const path = decodeURIComponent(url.pathname);
  let file = null;
  if (url.origin === ORIGIN && path.startsWith("/drawings/") && !path.includes("..")) file = join(drawings, path.slice("/drawings/".length));
  else if (url.origin === ORIGIN && SERVED.some((prefix) => path.startsWith(prefix)) && !path.includes("..")) file = join(ROOT, path);
  if (file === null) return route.abort();
  try {
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] || "application/octet-stream", body: readFileSync(file) });
  } catch {
    return route.fulfill({ status: 404, body: "" });
  }
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${ORIGIN}/tests/browser/fixtures/graphview.html`);
  await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 20_000 });
  const parts = {
    "every drawing at 1366×768": () => everyDrawingReadable(page, DESKTOP),
    "every drawing at 390×844": () => everyDrawingReadable(page, PHONE),
    "the keyboard": () => byKeyboard(page),
    "the mouse": () => byMouse(page),
    "touch": () => byTouch(page, context),
    "the whole graph at 1366×768": () => wholeAndBack(page, DESKTOP, "network-whole", false),
    "the whole graph at 390×844": () => wholeAndBack(page, PHONE, "chain-middle", true),
    "part of a large graph": () => partOfALargeGraph(page),
    "the phone": () => phoneChecks(page),
  };
  for (const [name, part] of Object.entries(parts)) {
    const began = Date.now();
    try {
      await part();
    } catch (error) {
      check(`${name}: ran to the end`, false, String(error).split("\n")[0]);
    }
    if (process.env.TIMES) console.error(`${name}: ${Date.now() - began} ms`);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(drawings, { recursive: true, force: true });
}
check("no JavaScript error on the page", errors.length === 0, errors.join(" | "));
const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
