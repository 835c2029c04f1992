// Driving JupyterLab 4 in Chromium as a person does: menus, clicks, keys.
// Cells are found by their index in the notebook (the DOM lists every cell
// in order: JupyterLab's default windowing keeps them all attached).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const VIEWPORT = { width: 1366, height: 768 };
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// Hang guards only: a lesson cell runs in well under a minute.
const CELL_TIMEOUT = 120_000;
const POLL = 250;

/** Chromium (Debian's, never a downloaded one) with a fresh profile. */
export async function launch(executablePath) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stepgrad-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, args: CHROMIUM_ARGS, headless: true, viewport: VIEWPORT,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** The notebook's cells as saved on the server: [{type, source}]. */
export async function savedCells(baseUrl, name) {
  const response = await fetch(new URL(`api/contents/${encodeURIComponent(name)}?content=1`, baseUrl));
  if (!response.ok) throw new Error(`cannot read ${name} from the server: HTTP ${response.status}`);
  const { content } = await response.json();
  return content.cells.map(cell => ({
    type: cell.cell_type,
    source: Array.isArray(cell.source) ? cell.source.join('') : cell.source,
  }));
}

/** Shut down every kernel session, so the next open starts a fresh kernel. */
export async function shutDownSessions(page, baseUrl) {
  const failed = await page.evaluate(async base => {
    const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '';
    const headers = { 'X-XSRFToken': decodeURIComponent(xsrf) };
    const sessions = await (await fetch(new URL('api/sessions', base), { headers })).json();
    const failed = [];
    for (const session of sessions) {
      const response = await fetch(new URL(`api/sessions/${session.id}`, base), { method: 'DELETE', headers });
      if (!response.ok) failed.push(`${session.path}: HTTP ${response.status}`);
    }
    return failed;
  }, baseUrl);
  if (failed.length) throw new Error(`could not shut down the kernel of ${failed.join(', ')}`);
}

/** Open `name` in a new browser tab; returns once its kernel is started and idle. */
export async function openNotebook(context, baseUrl, name) {
  const page = await context.newPage();
  await page.goto(new URL(`lab/tree/${encodeURIComponent(name)}?reset`, baseUrl).href);
  await page.waitForFunction(() => {
    const name = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName')?.textContent.trim();
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    return name && name !== 'No Kernel' && status === 'idle';
  }, null, { timeout: CELL_TIMEOUT, polling: POLL });
  return page;
}

/**
 * Open the file browser in the left side bar if it is closed (JupyterLab
 * starts with it open), as most students keep it; returns its box.
 */
export async function showFileBrowser(page) {
  const browser = page.locator('#filebrowser');
  if (!await browser.isVisible()) await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="filebrowser"]').click();
  await browser.waitFor({ state: 'visible', timeout: CELL_TIMEOUT });
  return browser.boundingBox();
}

/** Close the tab without saving (the kernel is shut down separately). */
export async function closeTab(page) {
  await page.close({ runBeforeUnload: false });
}

/** Whether the notebook's tab carries JupyterLab's "modified" mark. */
export async function isDirty(page, name) {
  const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: name });
  return (await tab.getAttribute('class')).includes('jp-mod-dirty');
}

/** The input prompts, one per cell: "[3]:", "[*]:", "[ ]:" or "" (markdown). */
export async function prompts(page) {
  return page.$$eval('.jp-NotebookPanel .jp-Cell', cells =>
    cells.map(cell => cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? ''));
}

export function cell(page, index) {
  return page.locator('.jp-NotebookPanel .jp-Cell').nth(index);
}

/**
 * Wait until the cells run since `before` (a `prompts()` list) are done:
 * some prompt changed, none is "[*]:", and the kernel is idle, twice in a row.
 * `index` limits the wait to that cell.
 */
export async function waitRun(page, before, index = null) {
  await page.waitForFunction(({ before, index }) => {
    const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')];
    const now = cells.map(c => c.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '');
    const watched = index === null ? now.map((_, i) => i) : [index];
    const changed = watched.some(i => now[i] !== before[i]);
    const running = watched.some(i => now[i] === '[*]:');
    const idle = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle';
    const done = changed && !running && idle;
    const settled = done && window.__stepgradDone === now.join('|');
    window.__stepgradDone = done ? now.join('|') : null;
    return settled;
  }, { before, index }, { timeout: CELL_TIMEOUT, polling: POLL });
}

/** Run > Run All Cells, through the menu bar, and wait until it is done. */
export async function runAll(page) {
  const before = await prompts(page);
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  await waitRun(page, before);
}

/** Select cell `index` in command mode, by clicking beside it (its prompt). */
export async function select(page, index) {
  await cell(page, index).locator('.jp-InputPrompt').first().click();
  await page.keyboard.press('Escape');
  await waitActive(page, index);
}

/**
 * Press `keys` (Shift+Enter, Control+Enter) on the active cell `index`, wait
 * for it to run if it is code, and for the next cell to be active if `moves`.
 */
export async function runActive(page, keys, index, { isCode, moves }) {
  const before = await prompts(page);
  await page.keyboard.press(keys);
  if (isCode) await waitRun(page, before, index);
  if (moves) await waitActive(page, index + 1);
}

/** Select the cell below the active one (command mode, arrow key). */
export async function selectNext(page, index) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await waitActive(page, index + 1);
}

async function waitActive(page, index) {
  await page.waitForFunction(i =>
    document.querySelectorAll('.jp-NotebookPanel .jp-Cell')[i]?.classList.contains('jp-mod-active'),
  index, { timeout: CELL_TIMEOUT });
}

/** Problems in the outputs: error outputs and hand-check tables with a ✗. */
export async function outputProblems(page) {
  return page.$$eval('.jp-NotebookPanel .jp-Cell', cells => cells.flatMap((cell, index) => {
    const problems = [];
    for (const output of cell.querySelectorAll('.jp-OutputArea-output')) {
      const text = output.textContent;
      const stderr = output.dataset.mimeType === 'application/vnd.jupyter.stderr';
      if (/Traceback|\w*Error\b/.test(text) && (stderr || /Traceback|\w+Error:/.test(text))) {
        const lines = text.trim().split('\n').map(l => l.trim()).filter(Boolean);
        const last = lines.filter(l => /\w*Error\b/.test(l)).pop() || lines.pop();
        const arrow = lines.filter(l => /^-*>\s*\d+/.test(l)).pop();  // the failing line
        problems.push({ index, what: `error output: ${last}${arrow ? ` at ${arrow}` : ''}` });
      }
    }
    for (const table of cell.querySelectorAll('.jp-OutputArea-output table')) {
      const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
      const check = headers.indexOf('check');
      if (check < 0) continue;
      for (const row of table.querySelectorAll('tbody tr')) {
        const cells = [...row.querySelectorAll('td')].map(td => td.textContent.trim());
        if (cells[check]?.startsWith('✗')) {
          problems.push({ index, what: `hand-check table row ${cells[0]}: grad ${cells[3]}, marked "${cells[check]}"` });
        }
      }
    }
    return problems;
  }));
}
