"""`step_through`: watch backward fill the graph, one step per call or click.

In Jupyter,

    step_through(o)      # run the cell again for the next step

shows the step's chain-rule lines above the graph, with the node of the
current step highlighted.  With ipywidgets installed (`pip install
stepgrad[jupyter]`) the buttons "Back", "Next step" and "Restart" move the
same picture.  IPython and ipywidgets are imported only when something is
displayed.

The drawing is scaled to leave room on one screen for the buttons and the
text above it, and after each click the notebook scrolls, the least it
can, so that the step's text and highlighted node are in sight (the whole
view when it fits, as it does at 1366x768).  A view shown by running a cell
never scrolls the notebook, so Run All does not jump back to it; only a
drawing too large for its box scrolls inside the box to its highlighted node.

What is shown is a function of the step number alone: every move reruns
the first k steps of one backward pass from zero (`step_at`), so
cells run in between (a `backward()`, a `zero_grad()`) cannot make it show
wrong numbers.  The graph's grads are left as they are after those k steps.
"""

import html
import re
from collections import OrderedDict

from autograd.engine.ops import MissingBackward
from autograd.engine.walks import interior_nodes_parents_first

from .draw import GraphvizNotInstalled, step_drawing
from .steps import backward_steps, start_from_zero

NOT_STARTED = "no step run yet"
DONE = "backward is done: every grad is filled in"

LIVE_STEPPERS = 4
"""How many steppers keep their graph; an older one lets its graph go (its view says so)."""

_STEPPERS = OrderedDict()
"""id(root) -> its StepThrough, newest last; at most LIVE_STEPPERS of them."""

VIEW_HEIGHT = "100vh - 190px"
"""The tallest the step text and drawing are shown together (CSS): the screen less JupyterLab's
bars (121 px at 1366x768) and the buttons, so that the whole view fits on one screen.  The
text takes what it needs; the drawing's box gets the rest and scrolls if the drawing is taller."""

DRAWING_HEIGHT = "min(70vh, 100vh - 250px)"
"""The height a drawing is scaled to fit (CSS), besides the output area's width: VIEW_HEIGHT
less three and a half lines of step text, so that the box of a lesson's drawing never scrolls."""

SMALLEST_SCALE = 0.75
"""The drawing is never scaled below this (CSS px per Graphviz point: 14 pt labels stay 10.5 px
tall); a drawing larger than that scrolls inside its box."""

SHOW_NODE = """
const view = this.closest('.stepgrad-view');
const least = (from, to, low, high) => (from < low ? from - low : Math.max(0, to - high));
const drawing = view.querySelector('.stepgrad-drawing'), node = view.querySelector('.current');
if (drawing && node) {
  const seen = drawing.getBoundingClientRect(), box = node.getBoundingClientRect();
  drawing.scrollTop += least(box.top, box.bottom, seen.top, seen.top + drawing.clientHeight);
  drawing.scrollLeft += least(box.left, box.right, seen.left, seen.left + drawing.clientWidth);
}
"""
"""Run in the browser on each new view: scroll the drawing's box (when the drawing is larger
than it) the least that shows the highlighted node.  The notebook itself does not move."""

FOLLOW_CLICK = """
let scroller = view.parentElement;
while (scroller && !(scroller.scrollHeight > scroller.clientHeight
                     && /auto|scroll/.test(getComputedStyle(scroller).overflowY))) {
  scroller = scroller.parentElement;
}
scroller = scroller || document.scrollingElement;
const top = scroller === document.scrollingElement ? 0 : scroller.getBoundingClientRect().top;
const bottom = top + scroller.clientHeight;
const span = elements => {
  const boxes = elements.map(element => element.getBoundingClientRect());
  return [Math.min(...boxes.map(box => box.top)), Math.max(...boxes.map(box => box.bottom))];
};
const text = view.querySelector('.stepgrad-step');
const wanted = [[view.closest('.widget-vbox') || view], [text, ...view.querySelectorAll('.current')], [text]];
const [from, to] = wanted.map(span).find(([from, to]) => to - from <= bottom - top) || span([text]);
scroller.scrollTop += least(from, Math.min(to, from + bottom - top), top, bottom);
"""
"""Run after SHOW_NODE when the view follows a click: scroll the notebook the least that shows
the whole view (buttons, text, drawing), or else the step text and highlighted node, or else the
text's top."""

FOLLOW_IMAGE = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
"""A 1x1 transparent GIF: its `load` event runs the scripts above once the new view is laid out
(a widget's HTML runs no <script>)."""


def step_through(root, restart=False, **draw_options):
    """The next backward step of `root`, as a `StepThrough` that shows itself.

    The first call shows step 1; each further call with the same root shows
    one more; after the last one a call shows that backward is done, and the
    call after that starts over.  `restart=True` starts over at once.
    `draw_options` go to `draw_dot` (e.g. rankdir).
    """
    stepper = _STEPPERS.pop(id(root), None)
    if restart or stepper is None or stepper.finished:
        stepper = StepThrough(root, **draw_options)
    _STEPPERS[id(root)] = stepper
    while len(_STEPPERS) > LIVE_STEPPERS:
        _STEPPERS.popitem(last=False)[1].release()
    stepper.next()
    return stepper


class StepThrough:
    """One backward pass of `root` as numbered steps, with live views.

    `position` is how far the pass has gone: 0 before step 1, k after step
    k, `total + 1` once backward is done.  `next()`, `back()` and
    `restart()` move it and redraw every view shown.  `step` is the `Step`
    at the position (None before step 1).
    """

    def __init__(self, root, **draw_options):
        self.root = root
        self.total = len(interior_nodes_parents_first(root))
        self.position = 0
        self.step = None
        self.missing_backward = None  # the error's text while a node built by hand has no `_backward`
        self._draw_options = draw_options
        self._views = []

    @property
    def finished(self):
        """Whether every step has run and the view says backward is done."""
        return self.position > self.total

    def next(self):
        """One step on; returns the Step, or None once backward is done."""
        return self._move_to(self.position + 1)

    __call__ = next

    def back(self):
        """One step back: the pass is rerun from zero up to the step before."""
        return self._move_to(self.position - 1)

    def restart(self):
        """Back to step 1."""
        return self._move_to(1)

    def _move_to(self, position):
        if self.root is None:
            return None
        self.missing_backward = None
        try:
            self.position, _, self.step = step_at(self.root, position, self.total)
        except MissingBackward as error:  # shown as the step's text: what to write, not a traceback
            self.missing_backward, self.step = str(error), None
        for refresh in self._views:
            refresh()
        return self.step

    def release(self):
        """Let go of the graph (a newer stepper took its place); the views say so."""
        self.root = None
        self.step = None
        for refresh in self._views:
            refresh()

    def text(self):
        """The step's title and chain-rule lines, or where the pass stands."""
        if self.root is None:
            return "this view let go of its graph for a newer one: run the cell again to step through it"
        if self.missing_backward:
            return self.missing_backward
        return position_text(self.step, self.position, self.total)

    def __repr__(self):
        return self.text()

    def html(self, follow=False):
        """The step's text above the graph, as inline SVG scaled to fit.

        `follow=True` (after a click) also scrolls the notebook to it (FOLLOW_CLICK).
        """
        text = f'<pre class="stepgrad-step" style="white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;flex:none">{html.escape(self.text())}</pre>'
        if self.root is None:
            return text
        drawing = step_drawing(self.root, self.step, **self._draw_options)
        try:
            picture = _fitted(drawing.pipe(format="svg", encoding="utf-8"))
        except GraphvizNotInstalled as error:  # no `dot`; in a browser, Graphviz still loading
            picture = f"<p>{html.escape(str(error))}</p>"
        script = SHOW_NODE + (FOLLOW_CLICK if follow else "")
        scroll = f'<img hidden alt="" src="{FOLLOW_IMAGE}" onload="{html.escape(script)}">'
        style = f"display:flex;flex-direction:column;max-height:calc({VIEW_HEIGHT})"
        return f'<div class="stepgrad-view" style="{style}">{text}{picture}{scroll}</div>'

    def _ipython_display_(self):
        """Show a live view: with Back / Next step / Restart buttons when ipywidgets is installed."""
        from IPython.display import HTML, display

        try:
            import ipywidgets
        except ImportError:
            handle = display(HTML(self.html()), display_id=True)
            self._views = [lambda: handle.update(HTML(self.html()))]
            return
        picture = ipywidgets.HTML(self.html())
        back = ipywidgets.Button(description="Back")
        forward = ipywidgets.Button(description="Next step")
        again = ipywidgets.Button(description="Restart")
        clicked = False  # whether the refresh under way follows a click of these buttons

        def on_click(move):
            def handler(_):
                nonlocal clicked
                clicked = True
                try:
                    move()
                finally:
                    clicked = False

            return handler

        back.on_click(on_click(self.back))
        forward.on_click(on_click(self.next))
        again.on_click(on_click(self.restart))

        def refresh():
            picture.value = self.html(follow=clicked)
            released = self.root is None
            back.disabled = released or self.position <= 1
            forward.disabled = released or self.finished
            again.disabled = released

        refresh()
        self._views = [refresh]  # the newest display is the one on screen
        display(ipywidgets.VBox([ipywidgets.HBox([back, forward, again]), picture]))


def step_at(root, position, total=None):
    """(position, total, step) after running the first `position` steps of a fresh pass.

    `position` runs from 0 (before step 1) to total + 1 (backward done) and is
    clamped to that range; `step` is None before step 1 and once done.  The
    graph's grads are left as they are after those steps: what is shown is a
    function of the step number alone, so cells run in between cannot make it wrong.
    """
    if total is None:
        total = len(interior_nodes_parents_first(root))
    position = max(0, min(int(position), total + 1))
    step = None
    if position > 0:
        for step in backward_steps(root):
            if step.count == position:
                break
    else:
        start_from_zero(root)
    return position, total, step if position <= total else None


def position_text(step, position, total):
    """What a stepper says at `position`: the Step's title and lines, or where the pass stands."""
    if position > total:
        return DONE
    return NOT_STARTED if step is None else repr(step)


def _fitted(svg):
    """Graphviz's SVG scaled to fit the output area's width and DRAWING_HEIGHT, but never below
    SMALLEST_SCALE, in a box that scrolls when the drawing is larger than the room it gets."""
    svg = svg[svg.find("<svg") :]
    tag_end = svg.find(">")
    tag = re.sub(r'\s(width|height)="[^"]*"', "", svg[:tag_end])
    view_box = re.search(r'viewBox="\S+ \S+ (\S+) (\S+)"', tag)
    width, height = map(float, view_box.groups()) if view_box else (400.0, 300.0)  # Graphviz writes one
    smallest = width * SMALLEST_SCALE
    fitted = f"min(100%, {width / height:.4f} * {DRAWING_HEIGHT})"
    tag += f' style="display:block;margin:0 auto;height:auto;width:max({smallest:.0f}px, {fitted})"'
    box = 'style="overflow:auto;flex:0 1 auto;min-height:min(120px, 20vh)"'
    return f'<div class="stepgrad-drawing" {box}>{tag}{svg[tag_end:]}</div>'
