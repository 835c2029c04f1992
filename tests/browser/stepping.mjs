// The stepping views of `step_through`: a drawing with the current node
// highlighted, the step's chain-rule lines in a <pre>, and the buttons
// "Back", "Next step" and "Restart".  A cell may show more than one.

import { cell } from './jupyterlab.mjs';

const HIGHLIGHT_FILL = '#ffd966';  // autograd.views.draw.HIGHLIGHT_COLOR
const MAX_CLICKS = 200;            // a lesson graph has far fewer steps
const CLICK_TIMEOUT = 30_000;      // hang guard for one step to be redrawn
const POSITION_TEXT = /^(step \d+ of \d+:|no step run yet|backward is done)/;  // a stepper that steps

/** The stepping views shown in cell `index`, first to last (locators). */
export async function viewsIn(page, index) {
  const views = cell(page, index).locator('.jp-OutputArea-output')
    .filter({ has: page.locator('button', { hasText: 'Next step' }) });
  return Array.from({ length: await views.count() }, (_, n) => views.nth(n));
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
    const clip = root.querySelector('svg')?.parentElement;  // may scroll sideways
    // The notebook panel's visible rectangle: its scroller's box without scroll bars.
    const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
    const seen = scroller.getBoundingClientRect();
    const notebook = { left: seen.left, top: seen.top, right: seen.left + scroller.clientWidth, bottom: seen.top + scroller.clientHeight };
    const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Next step');
    const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    return {
      text: pre ? pre.textContent : null,
      nodes: marked.map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' ')),
      nodeBoxes: marked.map(box),
      textBox: pre ? box(pre) : null,
      buttonBox: button ? box(button) : null,
      notebook,
      frames: [screen, notebook],
      clip: clip ? box(clip) : screen,
      scrollTop: scroller.scrollTop,
      disabled: button ? button.disabled : null,
    };
  }, HIGHLIGHT_FILL);
}

function outside(b, frames) {
  return frames.some(f => b.left < f.left - 1 || b.top < f.top - 1 || b.right > f.right + 1 || b.bottom > f.bottom + 1);
}

const rounded = b => b && [b.left, b.top, b.right, b.bottom].map(Math.round);
const boxes = state => ({ notebook: rounded(state.notebook), text: rounded(state.textBox), node: rounded(state.nodeBoxes[0]) });

const fmt = b => `left ${Math.round(b.left)}, top ${Math.round(b.top)}, right ${Math.round(b.right)}, bottom ${Math.round(b.bottom)}`;

/** What is wrong with the view after a click, given the state before it. */
function clickProblems(before, after) {
  const problems = [];
  if (after.text === before.text) problems.push('the step text did not change');
  if (after.disabled) return problems.concat(offScreen(after));  // "backward is done", nothing highlighted
  if (!after.nodes.length) problems.push('no node is highlighted');
  else if (after.nodes.join('|') === before.nodes.join('|')) problems.push(`the highlighted node stayed ${after.nodes[0]}`);
  return problems.concat(offScreen(after));
}

/** The highlighted node or the step text not inside the notebook's visible rectangle (and the screen). */
function offScreen(state) {
  const problems = [];
  const where = `the notebook shows top ${Math.round(state.notebook.top)} to bottom ${Math.round(state.notebook.bottom)}`;
  state.nodeBoxes.forEach((b, i) => {
    if (outside(b, [...state.frames, state.clip])) problems.push(`the highlighted node "${state.nodes[i]}" is not fully on screen (${fmt(b)}; ${where})`);
  });
  if (!state.textBox) problems.push('the view shows no step text');
  else if (outside(state.textBox, state.frames)) problems.push(`the step text is not fully on screen (${fmt(state.textBox)}; ${where})`);
  return problems;
}

/** Wait until nothing moves: the notebook's scroll and the view's text stay put for several frames. */
async function settle(page, view) {
  await view.evaluate(root => new Promise(done => {
    const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
    const where = () => `${scroller.scrollTop}|${root.querySelector('pre')?.getBoundingClientRect().top}|${root.querySelector('pre')?.textContent}`;
    let last = where(), still = 0, frames = 0;
    const look = () => {
      const now = where();
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= 6 || ++frames > 120) done();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }));
}

/**
 * Scroll the notebook, as a person does, until the view's "Next step" button
 * sits at the `edge` ('top' or 'bottom') of the notebook's visible rectangle
 * (or as near as the notebook scrolls).  Repeated until nothing moves: cells
 * coming into view can change height (JupyterLab lays out off-screen cells
 * lazily), which moves the view.
 */
async function scrollButtonTo(page, view, edge) {
  for (let tries = 0; tries < 10; tries++) {
    const moved = await view.evaluate((root, edge) => {
      const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
      const seen = scroller.getBoundingClientRect();
      const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Next step');
      const b = button.getBoundingClientRect();
      const by = edge === 'top' ? b.top - seen.top : b.bottom - (seen.top + scroller.clientHeight);
      const before = scroller.scrollTop;
      scroller.scrollTop += by;
      return Math.abs(scroller.scrollTop - before) >= 1;
    }, edge);
    await settle(page, view);
    if (!moved) return;
  }
}

/**
 * Step the view `view` through to the end, as a student does after Run All,
 * and check that the step text and the highlighted node are on screen:
 *
 * - after Run All, scrolled up to the view until its "Next step" button is
 *   at the top of the notebook (Run All leaves the notebook at its end);
 * - after the first click, made with the button at the bottom of the
 *   notebook instead (a student reading down to it, the drawing below);
 * - after each later click, with no scrolling in between;
 * - and, at the end, after "Back" (see `backAndOn`).
 *
 * Returns [{click, node, text, boxes, problems}] (problems only when
 * `check`; boxes: the notebook's visible rectangle, the step text's and the
 * highlighted node's, as [left, top, right, bottom]);
 * click 0 is the view after Run All.  A view that does not step (its text
 * is a message, such as a node built by hand without its `_backward`) is
 * checked as shown and not clicked.
 */
export async function clickToEnd(page, view, { check = false, screenshot = null } = {}) {
  const button = view.locator('button', { hasText: 'Next step' });
  await button.scrollIntoViewIfNeeded();
  await scrollButtonTo(page, view, 'top');
  let before = await viewState(view);
  const clicks = [{ click: 0, node: before.nodes[0] ?? null, text: before.text, boxes: boxes(before), problems: check ? offScreen(before) : [] }];
  if (screenshot) await page.screenshot({ path: screenshot(0) });
  if (!POSITION_TEXT.test(before.text ?? '')) {
    clicks[0].problems = clicks[0].problems.filter(p => !p.startsWith('the highlighted node'));
    clicks[0].steps = false;
    return clicks;
  }
  for (let k = 1; !before.disabled; k++) {
    if (k > MAX_CLICKS) throw new Error(`"Next step" still enabled after ${MAX_CLICKS} clicks`);
    if (k === 1) await scrollButtonTo(page, view, 'bottom');
    await button.click({ timeout: CLICK_TIMEOUT });
    await page.waitForFunction(([el, text]) => el.querySelector('pre')?.textContent !== text,
      [await view.elementHandle(), before.text], { timeout: CLICK_TIMEOUT }).catch(() => {});
    if ((await viewState(view)).text?.startsWith('backward is done')) {
      await page.waitForFunction(el => el.disabled, await button.elementHandle(), { timeout: CLICK_TIMEOUT }).catch(() => {});
    }
    await settle(page, view);
    const after = await viewState(view);
    if (screenshot) await page.screenshot({ path: screenshot(k) });
    clicks.push({ click: k, node: after.nodes[0] ?? null, text: after.text, boxes: boxes(after), problems: check ? clickProblems(before, after) : [] });
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
  await settle(page, view);
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
  return { click: 'back', node: state.nodes[0] ?? null, text: state.text, boxes: boxes(state), problems };
}
