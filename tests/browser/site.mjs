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

// The built site; STEPGRAD_DIST=folder serves another build (one made apart from web/dist).
export const DIST = process.env.STEPGRAD_DIST || new URL("../../web/dist/", import.meta.url).pathname;

const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// Serve `dist` as the README says; resolves to { url, stop, requests }, where `requests`
// lists what the server was asked for, as { path, status }, from its log.
export function serve(python = process.env.PYTHON || "python3", dist = DIST) {
  const server = spawn(python, ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", dist], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const requests = [];
  return new Promise((resolve, reject) => {
    let said = "";
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error(`http.server exited (${code}): ${said}`)));
    server.stdout.on("data", (chunk) => {
      said += chunk;
      const port = said.match(/port (\d+)/);
      if (port) resolve({ url: `http://127.0.0.1:${port[1]}/`, stop: () => server.kill(), requests });
    });
    let log = "";
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const lines = log.split("\n");
      log = lines.pop();
      for (const line of lines) {
        const asked = line.match(/"GET (\S+) HTTP\/[\d.]+" (\d+)/);
        if (asked) requests.push({ path: asked[1], status: Number(asked[2]) });
      }
    });
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
  const record = { offsite: [], served: 0, errors: [], failed: [], workers: [] };
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
  context.on("response", (response) => response.status() >= 400 && record.failed.push(`${response.status()} ${response.url()}`));
  const watch = (page) => {
    page.on("pageerror", (error) => record.errors.push(String(error)));
    page.on("worker", (worker) => record.workers.push(worker.url()));
  };
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
  await settled(page, 90_000);
  return page;
}

// Waits until the page's Python is idle and the page ready: #status reads "ready" (or "failed: ...").
export async function settled(page, timeout = 30_000) {
  await page.waitForFunction(() => /^(ready|failed)/.test(document.getElementById("status")?.textContent || ""), null, { timeout });
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

// The longest gap between animation frames on the page's thread over the next `ms` ms, in ms.
export const longestFrameGap = (page, ms) =>
  page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        let last = performance.now();
        let longest = 0;
        const end = last + ms;
        const frame = (now) => {
          longest = Math.max(longest, now - last);
          last = now;
          if (now < end) requestAnimationFrame(frame);
          else resolve(longest);
        };
        requestAnimationFrame(frame);
      }),
    ms,
  );
