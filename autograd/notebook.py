"""`step_through`: watch backward fill the graph, one step per call or click.

In Jupyter,

    step_through(o)      # run the cell again for the next step

shows the graph with the node of the current step highlighted and its
chain-rule lines below.  With ipywidgets installed (`pip install
stepgrad[jupyter]`) a "Next step" button advances the same picture.
IPython and ipywidgets are imported only when something is displayed.
"""

import html

from .draw import GraphvizNotInstalled, INSTALL_HINT, draw_dot
from .steps import backward_steps

_STEPPING = {}
"""id(root) -> its StepThrough, while it has steps left (it keeps root alive)."""


def step_through(root, restart=False, **draw_options):
    """The next backward step of `root`, as a `StepThrough` that shows itself.

    The first call seeds the grads and runs step 1; each further call with
    the same root runs one more step; after the last one a call shows that
    backward is done, and the call after that starts over.  `restart=True`
    starts over at once.  `draw_options` go to `draw_dot` (e.g. rankdir).
    """
    stepper = _STEPPING.get(id(root))
    if restart or stepper is None:
        stepper = StepThrough(root, **draw_options)
        _STEPPING[id(root)] = stepper
    stepper.next()
    if stepper.finished:
        _STEPPING.pop(id(root), None)
    return stepper


class StepThrough:
    """Backward of `root` as a sequence of steps, with a live view.

    It starts by zeroing every grad of the graph, so the numbers shown are
    those of one backward pass, even where leaves held grads from before.
    `next()` runs one step and updates every view of it already shown;
    `step` is the current `Step` (None before the first and after the last).
    """

    def __init__(self, root, **draw_options):
        root.zero_grad()
        self.root = root
        self.step = None
        self.finished = False
        self._steps = backward_steps(root)
        self._draw_options = draw_options
        self._views = []

    def next(self):
        """Run one step and refresh the views; returns the Step, or None at the end."""
        if not self.finished:
            self.step = next(self._steps, None)
            self.finished = self.step is None
        for refresh in self._views:
            refresh()
        return self.step

    __call__ = next

    def text(self):
        """The step's title and chain-rule lines, or that backward is done."""
        if self.step is not None:
            return repr(self.step)
        if self.finished:
            return "backward is done: every grad is filled in"
        return "no step run yet"

    def __repr__(self):
        return self.text()

    def html(self):
        """The graph as inline SVG, with the step's text below it."""
        highlight = self.step.node if self.step is not None else None
        drawing = draw_dot(self.root, highlight=highlight, **self._draw_options)
        try:
            picture = drawing.pipe(format="svg", encoding="utf-8")
            picture = picture[picture.find("<svg") :]
        except GraphvizNotInstalled:
            picture = f"<p>{html.escape(INSTALL_HINT)}</p>"
        return f'<div style="overflow-x:auto">{picture}<pre>{html.escape(self.text())}</pre></div>'

    def _ipython_display_(self):
        """Show a live view: with a Next button when ipywidgets is installed."""
        from IPython.display import HTML, display

        try:
            import ipywidgets
        except ImportError:
            handle = display(HTML(self.html()), display_id=True)
            self._views.append(lambda: handle.update(HTML(self.html())))
            return
        picture = ipywidgets.HTML(self.html())
        button = ipywidgets.Button(description="Next step", disabled=self.finished)
        button.on_click(lambda _: self.next())

        def refresh():
            picture.value = self.html()
            button.disabled = self.finished

        self._views.append(refresh)
        display(ipywidgets.VBox([picture, button]))
