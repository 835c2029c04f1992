// The stepping view of `step_through`: a drawing with the current node
// highlighted, the step's chain-rule lines in a <pre>, and a "Next step" button.

import { VIEWPORT, cell } from './jupyterlab.mjs';

const HIGHLIGHT_FILL = '#ffd966';  // autograd.draw.HIGHLIGHT_COLOR
const MAX_CLICKS = 200;            // a lesson graph has far fewer steps
const CLICK_TIMEOUT = 30_000;      // hang guard for one step to be redrawn

/** Index of the first cell whose output has a "Next step" button, or -1. */
export async function steppingCell(page) {
  return page.$$eval('.jp-NotebookPanel .jp-Cell', cells => cells.findIndex(c =>
    [...c.querySelectorAll('.jp-OutputArea-output button')].some(b => b.textContent.trim() === 'Next step')));
}

/** What the view shows now: step text, highlighted nodes and where things are. */
async function viewState(view) {
  return view.evaluate((root, fill) => {
    const box = el => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    let marked = [...root.querySelectorAll('svg g.node.current')];
    if (!marked.length) {
      marked = [...root.querySelectorAll('svg g.node')].filter(g =>
        [...g.querySelectorAll('[fill]')].some(s => s.getAttribute('fill').toLowerCase() === fill));
    }
    // The node's box (label, data, grad) first, then its op's oval.
    marked.sort((a, b) => b.querySelectorAll('text').length - a.querySelectorAll('text').length);
    const pre = root.querySelector('pre');
    const scroller = root.querySelector('svg')?.parentElement;
    const notebook = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
    const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Next step');
    return {
      text: pre ? pre.textContent : null,
      nodes: marked.map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' ')),
      nodeBoxes: marked.map(box),
      textBox: pre ? box(pre) : null,
      frames: [notebook && box(notebook), scroller && box(scroller)].filter(Boolean),
      disabled: button ? button.disabled : null,
    };
  }, HIGHLIGHT_FILL);
}

function outside(b, frames) {
  const visible = [{ left: 0, top: 0, right: VIEWPORT.width, bottom: VIEWPORT.height }, ...frames];
  return visible.some(f => b.left < f.left - 1 || b.top < f.top - 1 || b.right > f.right + 1 || b.bottom > f.bottom + 1);
}

/** What is wrong with the view after a click, given the state before it. */
function layoutProblems(before, after) {
  const problems = [];
  if (after.text === before.text) problems.push('the step text did not change');
  if (after.disabled) return problems;  // the last step: "backward is done", nothing highlighted
  if (!after.nodes.length) problems.push('no node is highlighted');
  else if (after.nodes.join('|') === before.nodes.join('|')) problems.push(`the highlighted node stayed ${after.nodes[0]}`);
  after.nodeBoxes.forEach((b, i) => {
    if (outside(b, after.frames)) problems.push(`the highlighted node "${after.nodes[i]}" is not fully on screen (${fmt(b)})`);
  });
  if (after.textBox && outside(after.textBox, after.frames)) problems.push(`the step text is not fully on screen (${fmt(after.textBox)})`);
  return problems;
}

const fmt = b => `left ${Math.round(b.left)}, top ${Math.round(b.top)}, right ${Math.round(b.right)}, bottom ${Math.round(b.bottom)}`;

/**
 * Click "Next step" of the view in cell `index` until it is disabled.
 * Each click brings the button into view first, as a person scrolls to it.
 * Returns [{click, node, text, problems}] (problems only when `check`).
 */
export async function clickToEnd(page, index, { check = false, screenshot = null } = {}) {
  const view = cell(page, index).locator('.jp-OutputArea-output').filter({ has: page.locator('button', { hasText: 'Next step' }) }).last();
  const button = view.locator('button', { hasText: 'Next step' });
  const clicks = [];
  let before = await viewState(view);
  for (let k = 1; !before.disabled; k++) {
    if (k > MAX_CLICKS) throw new Error(`"Next step" still enabled after ${MAX_CLICKS} clicks`);
    await button.scrollIntoViewIfNeeded();
    await button.click({ timeout: CLICK_TIMEOUT });
    await page.waitForFunction(([el, text]) => el.querySelector('pre')?.textContent !== text,
      [await view.elementHandle(), before.text], { timeout: CLICK_TIMEOUT }).catch(() => {});
    if ((await viewState(view)).text?.startsWith('backward is done')) {
      await button.waitFor({ state: 'attached' });
      await page.waitForFunction(el => el.disabled, await button.elementHandle(), { timeout: CLICK_TIMEOUT }).catch(() => {});
    }
    const after = await viewState(view);
    if (screenshot) await page.screenshot({ path: screenshot(k) });
    clicks.push({
      click: k,
      node: after.nodes[0] ?? null,
      text: after.text,
      problems: check ? layoutProblems(before, after) : [],
    });
    before = after;
  }
  return clicks;
}
