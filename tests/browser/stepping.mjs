// The stepping view of `step_through`: a drawing with the current node
// highlighted, the step's chain-rule lines in a <pre>, and the buttons
// "Back", "Next step" and "Restart".

import { cell } from './jupyterlab.mjs';

const HIGHLIGHT_FILL = '#ffd966';  // autograd.views.draw.HIGHLIGHT_COLOR
const MAX_CLICKS = 200;            // a lesson graph has far fewer steps
const CLICK_TIMEOUT = 30_000;      // hang guard for one step to be redrawn

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
    const clip = root.querySelector('svg')?.parentElement;  // may scroll sideways
    const notebook = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
    const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Next step');
    const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    return root.__stepgradState = {
      text: pre ? pre.textContent : null,
      nodes: marked.map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' ')),
      nodeBoxes: marked.map(box),
      textBox: pre ? box(pre) : null,
      buttonBox: button ? box(button) : null,
      frames: [screen, notebook && box(notebook)].filter(Boolean),
      clip: clip ? box(clip) : screen,
      disabled: button ? button.disabled : null,
    };
  }, HIGHLIGHT_FILL);
}

function outside(b, frames) {
  return frames.some(f => b.left < f.left - 1 || b.top < f.top - 1 || b.right > f.right + 1 || b.bottom > f.bottom + 1);
}

const fmt = b => `left ${Math.round(b.left)}, top ${Math.round(b.top)}, right ${Math.round(b.right)}, bottom ${Math.round(b.bottom)}`;

/** What is wrong with the view after a click, given the state before it. */
function clickProblems(before, after) {
  const problems = [];
  if (after.text === before.text) problems.push('the step text did not change');
  if (after.disabled) return problems;  // the last step: "backward is done", nothing highlighted
  if (!after.nodes.length) problems.push('no node is highlighted');
  else if (after.nodes.join('|') === before.nodes.join('|')) problems.push(`the highlighted node stayed ${after.nodes[0]}`);
  return problems.concat(offScreen(after));
}

/** The highlighted node, the step text or the button not on screen. */
function offScreen(state) {
  const problems = [];
  state.nodeBoxes.forEach((b, i) => {
    if (outside(b, [...state.frames, state.clip])) problems.push(`the highlighted node "${state.nodes[i]}" is not fully on screen (${fmt(b)})`);
  });
  if (state.textBox && outside(state.textBox, state.frames)) problems.push(`the step text is not fully on screen (${fmt(state.textBox)})`);
  if (state.buttonBox && outside(state.buttonBox, state.frames)) problems.push(`the "Next step" button is not fully on screen (${fmt(state.buttonBox)})`);
  return problems;
}

/**
 * Scroll the notebook the least that shows the button, the highlighted node
 * and the step text together, as a person does; returns the pixels scrolled,
 * or a problem when they do not fit on one screen.
 */
async function showTogether(view) {
  return view.evaluate(root => {
    const state = root.__stepgradState;
    const boxes = [state.buttonBox, state.textBox, ...state.nodeBoxes].filter(Boolean);
    const top = Math.min(...boxes.map(b => b.top));
    const bottom = Math.max(...boxes.map(b => b.bottom));
    const frame = { top: Math.max(...state.frames.map(f => f.top)), bottom: Math.min(...state.frames.map(f => f.bottom)) };
    if (bottom - top > frame.bottom - frame.top) {
      return { problem: `the "Next step" button, the highlighted node and the step text need ${Math.round(bottom - top)} px `
        + `of height, the notebook shows ${Math.round(frame.bottom - frame.top)} px` };
    }
    const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
    const by = top < frame.top ? top - frame.top : Math.max(0, bottom - frame.bottom);
    scroller.scrollTop += by;
    return { scrolled: Math.round(by) };
  });
}

/** Wait for two painted frames, so that layout and scrolling are done. */
async function settle(page) {
  await page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/**
 * `showTogether` until nothing moves: cells coming into view can change
 * height (JupyterLab lays out off-screen cells lazily), which moves the view.
 */
async function scrollToView(page, view) {
  let result;
  for (let tries = 0; tries < 10; tries++) {
    await settle(page);
    await viewState(view);
    result = await showTogether(view);
    if (result.problem || result.scrolled === 0) return result;
  }
  return { problem: 'the stepping view keeps moving while the notebook is scrolled to it' };
}

/**
 * Click "Next step" of the view in cell `index` until it is disabled.
 * First the view is scrolled to as a person does (button, highlighted node
 * and step text on screen); after that each click must keep the highlighted
 * node and the step text on screen without scrolling.  Returns
 * [{click, node, text, problems}] (problems only when `check`); click 0 is
 * the view as first shown.
 */
export async function clickToEnd(page, index, { check = false, screenshot = null } = {}) {
  const view = cell(page, index).locator('.jp-OutputArea-output').filter({ has: page.locator('button', { hasText: 'Next step' }) }).last();
  const button = view.locator('button', { hasText: 'Next step' });
  await button.scrollIntoViewIfNeeded();
  const first = await scrollToView(page, view);
  let before = await viewState(view);
  const clicks = [{ click: 0, node: before.nodes[0] ?? null, text: before.text, problems: first.problem && check ? [first.problem] : [] }];
  if (screenshot) await page.screenshot({ path: screenshot(0) });
  for (let k = 1; !before.disabled; k++) {
    if (k > MAX_CLICKS) throw new Error(`"Next step" still enabled after ${MAX_CLICKS} clicks`);
    await button.click({ timeout: CLICK_TIMEOUT });
    await page.waitForFunction(([el, text]) => el.querySelector('pre')?.textContent !== text,
      [await view.elementHandle(), before.text], { timeout: CLICK_TIMEOUT }).catch(() => {});
    if ((await viewState(view)).text?.startsWith('backward is done')) {
      await page.waitForFunction(el => el.disabled, await button.elementHandle(), { timeout: CLICK_TIMEOUT }).catch(() => {});
    }
    const after = await viewState(view);
    if (screenshot) await page.screenshot({ path: screenshot(k) });
    const problems = check ? clickProblems(before, after) : [];
    if (problems.length) await scrollToView(page, view);  // for the next click
    clicks.push({ click: k, node: after.nodes[0] ?? null, text: after.text, problems });
    before = after;
  }
  if (check && clicks.length > 2) clicks.push(await backAndOn(page, view, button, clicks, screenshot));
  return clicks;
}

/**
 * At the end, click "Back" once, as a student checking the last step
 * again: the view must show that step again (same text, same highlighted
 * node, on screen) with "Next step" enabled; then "Next step" leads to the
 * end once more.
 */
async function backAndOn(page, view, next, clicks, screenshot) {
  const last = clicks[clicks.length - 2];  // the last step, before "backward is done"
  await view.locator('button', { hasText: 'Back' }).click({ timeout: CLICK_TIMEOUT });
  await page.waitForFunction(([el, text]) => el.querySelector('pre')?.textContent === text,
    [await view.elementHandle(), last.text], { timeout: CLICK_TIMEOUT }).catch(() => {});
  const state = await viewState(view);
  if (screenshot) await page.screenshot({ path: screenshot('back') });
  const problems = [];
  if (state.text !== last.text) problems.push(`Back did not show "${last.text.split('\n')[0]}" again`);
  if (state.nodes[0] !== last.node) problems.push(`after Back the highlighted node is ${state.nodes[0] ?? 'none'}, not ${last.node}`);
  if (state.disabled) problems.push('after Back, "Next step" is still disabled');
  problems.push(...offScreen(state));
  await next.click({ timeout: CLICK_TIMEOUT });
  await page.waitForFunction(el => el.disabled, await next.elementHandle(), { timeout: CLICK_TIMEOUT })
    .catch(() => problems.push('"Next step" after Back did not lead to the end again'));
  return { click: 'back', node: state.nodes[0] ?? null, text: state.text, problems };
}
