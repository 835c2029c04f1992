// Run a notebook in JupyterLab the ways a student does, and check what it shows.
//
//   node notebook_flows.mjs URL NOTEBOOK SCREENSHOT_DIR [--chromium PATH] [--flows a,b]
//
// Each flow opens the notebook afresh (new tab, new kernel), runs, and then
// checks that no output is an error and no hand-check table shows a ✗ (but
// one its cell asserts).  Flow b also steps through every stepping view at
// 1366x768 with the file browser open, checking the step text and the
// highlighted node are on screen after Run All and after each click.
// Prints a JSON result; exits 1 naming the flow, notebook, cell and problem.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as lab from './jupyterlab.mjs';
import { clickToEnd, viewsIn } from './stepping.mjs';

/** Cells a person might re-run to look again: they compute grads or build a table. */
const GRAD_CELL = /\.backward\(|backward_steps\(|step_through\(|grad_table\(|_trace\(/;
const STEPPING_CELL = /step_through\(/;

const FLOWS = {
  // Run All alone is not a flow of its own: b and e begin with it, and their outputs are checked.
  'b-next-to-end': async ({ page, cells, shot }) => {
    await lab.runAll(page);
    const browser = await lab.showFileBrowser(page);
    const clicks = [], problems = [];
    for (const { index, view, name } of await steppingViews(page, cells)) {
      const found = await clickToEnd(page, view, { check: true, screenshot: k => shot(`${name}-click-${k}`) });
      clicks.push(...found.map(c => ({ view: name, ...c })));
      problems.push(...found.flatMap(c => c.problems.map(what => ({ index, what: `${name}, ${clickName(c.click)}: ${what}` }))));
    }
    return { clicks, problems, fileBrowserWidth: browser.width };
  },
  'c-next-then-read-on': async ({ page, cells, shot }) => {
    await lab.runAll(page);
    const [{ index, view }] = await steppingViews(page, cells);
    await clickToEnd(page, view);
    await lab.select(page, index + 1);
    for (let i = index + 1; i < cells.length; i++) {
      await lab.runActive(page, 'Shift+Enter', i, { isCode: isCode(cells[i]), moves: true });
    }
    await shotTables(page, cells, index + 1, shot);
  },
  'd-rerun-twice': async ({ page, cells }) => {
    await lab.select(page, 0);
    for (let i = 0; i < cells.length; i++) {
      if (isCode(cells[i]) && GRAD_CELL.test(cells[i].source)) {
        await lab.runActive(page, 'Control+Enter', i, { isCode: true });
        await lab.runActive(page, 'Control+Enter', i, { isCode: true });
        if (i + 1 < cells.length) await lab.selectNext(page, i);
      } else {
        await lab.runActive(page, 'Shift+Enter', i, { isCode: isCode(cells[i]), moves: true });
      }
    }
  },
  'e-run-all-twice': async ({ page }) => {
    await lab.runAll(page);
    await lab.runAll(page);
  },
  // Not in CI's run-once test either: the way a student first meets the lesson.
  'f-read-down-with-next': async ({ page, cells, shot }) => {
    const stepping = steppingCells(cells);
    await lab.select(page, 0);
    for (let i = 0; i < cells.length; i++) {
      await lab.runActive(page, 'Shift+Enter', i, { isCode: isCode(cells[i]), moves: true });
      if (stepping.includes(i)) {
        for (const { view } of await steppingViews(page, cells, [i])) await clickToEnd(page, view);
        if (i + 1 < cells.length) await lab.select(page, i + 1);  // clicking the button made the stepping cell active
      }
    }
    await shotTables(page, cells, stepping[0] + 1, shot);
  },
};

const isCode = cell => cell.type === 'code' && cell.source.trim() !== '';

/** The indices of the cells that call `step_through(`. */
function steppingCells(cells) {
  const indices = cells.map((c, i) => i).filter(i => cells[i].type === 'code' && STEPPING_CELL.test(cells[i].source));
  if (!indices.length) throw new Error('no cell calls step_through(');
  return indices;
}

/**
 * Every stepping view of the cells `indices` (all stepping cells by default),
 * once each shows its "Next step" button: [{index, view, name}].
 */
async function steppingViews(page, cells, indices = steppingCells(cells)) {
  const views = [];
  for (const index of indices) {
    const button = lab.cell(page, index).locator('button', { hasText: 'Next step' });
    await button.first().waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error(`cell ${index} shows no "Next step" button (is ipywidgets installed in the kernel?)`);
    });
    const shown = await viewsIn(page, index);
    shown.forEach((view, n) => views.push({ index, view, name: `cell-${index}${shown.length > 1 ? `-view-${n + 1}` : ''}` }));
  }
  return views;
}

const clickName = click => (click === 0 ? 'after Run All' : click === 'back' ? 'after Back' : `click ${click}`);

/** A screenshot (`shot(name)` is its path) of each hand-check table from cell `from` on, scrolled into view. */
async function shotTables(page, cells, from, shot) {
  for (let i = from; i < cells.length; i++) {
    const table = lab.cell(page, i).locator('.jp-OutputArea-output table', { has: page.locator('th', { hasText: /^check$/ }) });
    if (await table.count()) {
      await table.first().scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))));
      await page.screenshot({ path: shot(`table-cell-${i}`) });
    }
  }
}

/** A ✗ the cell shows on purpose: its code asserts which rows mismatch, or a comment says "on purpose". */
function meantToMiss(cell, problem) {
  return problem.what.startsWith('hand-check table') && /\.mismatches\s*==|#.*on purpose/.test(cell?.source ?? '');
}

/** Code cells left without an execution count, as one problem. */
async function unrun(page, cells) {
  const prompts = await lab.prompts(page);
  const left = cells.map((c, i) => i).filter(i => isCode(cells[i]) && !/^\[\d+\]:$/.test(prompts[i]));
  if (!left.length) return [];
  const more = left.length > 1 ? ` and ${left.length - 1} more code cell(s) after it` : '';
  return [{ index: left[0], what: `was not run (prompt ${prompts[left[0]] || 'none'})${more}` }];
}

async function runFlow(context, options, name, cells) {
  const { url, notebook, screenshots } = options;
  fs.mkdirSync(screenshots, { recursive: true });
  const shot = suffix => path.join(screenshots, `${name}-${suffix}.png`);
  const start = Date.now();
  const entry = { flow: name, ok: false, problems: [] };
  let page;
  try {
    page = await lab.openNotebook(context, url, notebook);
    entry.dirty_on_open = await lab.isDirty(page, notebook);
    const found = (await FLOWS[name]({ page, cells, shot })) || {};
    if (found.clicks) entry.clicks = found.clicks.map(({ view, click, node, boxes, problems }) => ({ view, click, node, boxes, problems }));
    if (found.fileBrowserWidth !== undefined) entry.file_browser_width = found.fileBrowserWidth;
    const shown = (await lab.outputProblems(page)).filter(p => !meantToMiss(cells[p.index], p));
    entry.problems.push(...(found.problems || []), ...shown, ...await unrun(page, cells));
  } catch (error) {
    entry.problems.push({ what: `stopped: ${error.message.split('\n')[0]}` });
  } finally {
    if (page) {
      await page.screenshot({ path: shot('end') }).catch(() => {});
      await lab.shutDownSessions(page, url).catch(error => entry.problems.push({ what: error.message }));
      await lab.closeTab(page);
    }
  }
  entry.seconds = (Date.now() - start) / 1000;
  entry.ok = entry.problems.length === 0;
  return entry;
}

/** Opening the notebook must not mark it modified (checked in every flow). */
function openedClean(flows) {
  const dirty = flows.filter(f => f.dirty_on_open).map(f => f.flow);
  const what = `JupyterLab marks the notebook modified as soon as it is opened and its kernel has started `
    + `(in flows ${dirty.join(', ')}): its saved metadata differs from what JupyterLab writes`;
  return { flow: 'opened-unmodified', ok: !dirty.length, problems: dirty.length ? [{ what }] : [] };
}

function describe(notebook, cells, entry, problem) {
  if (problem.index === undefined) return `${entry.flow}, ${notebook}: ${problem.what}`;
  const first = cells[problem.index].source.split('\n')[0];
  return `${entry.flow}, ${notebook}, cell ${problem.index} (\`${first}\`): ${problem.what}`;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { chromium: { type: 'string', default: '/usr/bin/chromium' }, flows: { type: 'string' } },
  });
  if (positionals.length !== 3) {
    console.error('usage: node notebook_flows.mjs URL NOTEBOOK SCREENSHOT_DIR [--chromium PATH] [--flows a-run-all,...]');
    process.exit(2);
  }
  const [url, notebook, screenshots] = positionals;
  const names = values.flows ? values.flows.split(',') : Object.keys(FLOWS);
  const unknown = names.filter(n => !(n in FLOWS));
  if (unknown.length) throw new Error(`unknown flow(s) ${unknown.join(', ')}; the flows are ${Object.keys(FLOWS).join(', ')}`);

  const start = Date.now();
  const cells = await lab.savedCells(url, notebook);
  const { context, close } = await lab.launch(values.chromium);
  const flows = [];
  try {
    for (const name of names) flows.push(await runFlow(context, { url, notebook, screenshots }, name, cells));
  } finally {
    await close();
  }
  flows.push(openedClean(flows));
  const result = { notebook, ok: flows.every(f => f.ok), seconds: (Date.now() - start) / 1000, flows };
  console.log(JSON.stringify(result, null, 2));
  const messages = flows.flatMap(f => f.problems.map(p => describe(notebook, cells, f, p)));
  if (messages.length) {
    const summary = flows.map(f => `${f.flow} ${f.ok ? 'ok' : 'FAILED'}${f.seconds ? ` (${f.seconds} s)` : ''}`);
    console.error(`${summary.join(', ')}; ${result.seconds} s in all\n${messages.join('\n')}`);
    process.exit(1);
  }
}

main().catch(error => {
  console.error(`notebook_flows.mjs: ${error.stack || error}`);
  process.exit(2);
});
