// What the site's browser test (site_e2e.mjs) and its measurements
// (site_measure.mjs) share: the built site served by
// `python -m http.server` on 127.0.0.1, and Debian's Chromium driven by
// playwright-core with a fresh profile, every request off 127.0.0.1 refused.
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const DIST = new URL("../../web/dist/", import.meta.url).pathname;

const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// Serve DIST as the README says; resolves to { url, stop }.
export function serve(python = process.env.PYTHON || "python3") {
  const server = spawn(python, ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", DIST], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let said = "";
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error(`http.server exited (${code}): ${said}`)));
    server.stdout.on("data", (chunk) => {
      said += chunk;
      const port = said.match(/port (\d+)/);
      if (port) resolve({ url: `http://127.0.0.1:${port[1]}/`, stop: () => server.kill() });
    });
    server.stderr.on("data", () => {}); // the request log
  });
}

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
}

// A browser with a fresh profile; `offsite` collects every request not to
// 127.0.0.1 (each one is refused), `served` adds up the bytes received.
export async function openBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "stepgrad-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const record = { offsite: [], served: 0, errors: [] };
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    record.offsite.push(url.href);
    return route.abort();
  });
  context.on("requestfinished", async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (sizes) record.served += sizes.responseBodySize;
  });
  const watch = (page) => page.on("pageerror", (error) => record.errors.push(String(error)));
  context.pages().forEach(watch);
  context.on("page", watch);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, record, close };
}

// Open `path` of the site and wait until #status reads "ready" (or fails).
export async function openPage(context, url, path) {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(url + path);
  await page.waitForFunction(
    () => /^(ready|failed)/.test(document.getElementById("status")?.textContent || ""),
    null,
    { timeout: 90_000 },
  );
  return page;
}

// axe-core's accessibility rules run in `page`; resolves to its violations
// as { id, impact, help, targets } (none is what a page must have).
export async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript() });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, targets: nodes.map((node) => node.target.join(" ")) }));
}

function axeScript() {
  try {
    return createRequire(import.meta.url).resolve("axe-core/axe.min.js");
  } catch {
    throw new Error("axe-core is not installed: it is pinned in tests/browser/package.json; run `npm ci` in tests/browser");
  }
}
