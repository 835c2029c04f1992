"""`step_through`: watch backward fill the graph, one step per call or click.

In Jupyter,

    step_through(o)      # run the cell again for the next step

shows the step's chain-rule lines above the graph, with the node of the
current step highlighted.  With ipywidgets installed (`pip install
stepgrad[jupyter]`) the buttons "Back", "Next step" and "Restart" move the
same picture.  IPython and ipywidgets are imported only when something is
displayed.

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

from .draw import INSTALL_HINT, GraphvizNotInstalled, step_drawing
from .steps import backward_steps, start_from_zero

NOT_STARTED = "no step run yet"
DONE = "backward is done: every grad is filled in"

LIVE_STEPPERS = 4
"""How many steppers keep their graph; an older one lets its graph go (its view says so)."""

_STEPPERS = OrderedDict()
"""id(root) -> its StepThrough, newest last; at most LIVE_STEPPERS of them."""

DRAWING_HEIGHT = "70vh"
"""The tallest a drawing is shown: it is scaled to fit the output area's width and this height."""


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

    def html(self):
        """The step's text above the graph, as inline SVG scaled to fit."""
        text = f'<pre class="stepgrad-step">{html.escape(self.text())}</pre>'
        if self.root is None:
            return text
        drawing = step_drawing(self.root, self.step, **self._draw_options)
        try:
            picture = _fitted(drawing.pipe(format="svg", encoding="utf-8"))
        except GraphvizNotInstalled:
            picture = f"<p>{html.escape(INSTALL_HINT)}</p>"
        return f'<div class="stepgrad-view">{text}{picture}</div>'

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
        back.on_click(lambda _: self.back())
        forward.on_click(lambda _: self.next())
        again.on_click(lambda _: self.restart())

        def refresh():
            picture.value = self.html()
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
    """Graphviz's SVG scaled to the output area's width and at most DRAWING_HEIGHT tall."""
    svg = svg[svg.find("<svg") :]
    tag_end = svg.find(">")
    tag = re.sub(r'\s(width|height)="[^"]*"', "", svg[:tag_end])
    style = f' style="width:100%;height:auto;max-height:{DRAWING_HEIGHT}"'
    return tag + style + svg[tag_end:]
