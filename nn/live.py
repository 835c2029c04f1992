"""The training page's Python: `TrainingSession`s kept between calls, answered as plain data.

The page "Watch a network learn" (web/src/train.js) runs Python in a Web
Worker (web/src/runtime.js): each call is `function(**kwargs)` with JSON
data in and JSON data out, so the session itself stays here, in
`SESSIONS`, under a key the page chooses:

    create("train", {"dataset": "xor", "hidden": "8,8", "lr": "0.1"})   # the view: points, grid, history
    create("train", {"hidden": "4,,4"})     # {"error": {"key": "hidden", "text": "4,,4", "message": "hidden '4,,4': ..."}}
    train("train", steps=50, budget_ms=30)  # as many steps as fit in 30 ms (at least one), and the new grid
    add_point("train", 0.5, -0.2, 1)        # {"index": 101, "point": [0.5, -0.2], "label": 1, ...}
    point_graph("train", 3)                 # point 3's loss through the network: SVG, parameters named L1.N3.w0
    point_graph("train", 3, whole=True)     # a large graph whole (by default only the part near the loss)
    reset("train"); settings("train"); forget("train")

A setting the page cannot use comes back as data, not as an exception, so
that the page can mark the very field: nothing is kept under the key then,
and the page clears what it showed.  Every other failure (no session kept
as the key, a bad index) raises, and the page shows its one line.  After
the worker is restarted `SESSIONS` is empty: the page calls `create` again
with the settings in its URL.
"""

import time

from autograd.engine.walks import forward_order

from .checks import whole_number
from .session import SettingError, TrainingSession

SESSIONS = {}
"""The session each page trains, by the key the page chose."""

GRID = 32
"""The decision boundary's samples per side (32 x 32 scores), unless the page asks for another."""

MAX_GRID = 100
MAX_GRAPH_VALUES = 1_200
"""The largest point graph drawn whole, in Values: 16,16 hidden layers make 986; 4 layers of 64 about 38,000."""

POINT_GRAPH_DEPTH = 9
"""Edges from the loss that a large point graph is drawn to: the output neuron and a few of its inputs."""

COMPILED = True
"""Whether sessions replay steps recorded with `autograd.compile` (measured faster in Pyodide too)."""


def create(key, settings, grid=GRID, compiled=COMPILED):
    """A new session from the texts typed in the page's fields (`TrainingSession.from_settings`), kept as `key`.

    Whatever was kept as `key` is dropped first.  Returns `view(key)`, or,
    when a setting is unusable, {"error": {"key", "text", "message"}}: the
    setting's key, the text as typed and the one-line message quoting it.
    """
    SESSIONS.pop(key, None)
    grid = _grid_size(grid)
    try:
        session = TrainingSession.from_settings(settings, compiled=compiled)
    except SettingError as error:
        return {"error": {"key": error.key, "text": error.text, "message": str(error)}}
    SESSIONS[key] = _Kept(session, session.bounds(), grid)
    return view(key)


def view(key):
    """Everything the page draws for the session kept as `key`, as plain data.

    Keys: "settings" (`TrainingSession.settings()`: the texts for the
    fields and the URL), "bounds" ([x_min, x_max, y_min, y_max] of the
    plane, fixed when the session was made), "points" and "labels" (the
    training points, [x, y] lists and 0/1), "test_points", "test_labels"
    (the held-out ones), "history" (`_history`: every step so far),
    "steps", "grid" (`_grid`), "compiling_next" (whether the next step
    records its graph, a pause of about a second) and "parameters".
    """
    kept = _kept(key)
    session = kept.session
    return {
        "settings": session.settings(),
        "bounds": list(kept.bounds),
        "points": [list(point) for point in session.X],
        "labels": list(session.y),
        "test_points": [list(point) for point in session.X_test],
        "test_labels": list(session.y_test),
        "history": _history(session, 0),
        "steps": session.steps,
        "grid": _grid(kept),
        "compiling_next": session.next_step_compiles,
        "parameters": len(session.model.parameters()),
    }


def train(key, steps=1, budget_ms=None, grid=True, eager=False):
    """Train the session kept as `key` for up to `steps` steps; returns what changed.

    With `budget_ms`, steps stop once that many milliseconds have passed
    (at least one step runs), so that a page which calls again and again
    learns as fast as Python allows and can still pause between calls.
    A step that records its graph (`compiling_next`) is run first in a
    call, never after others, so the page can say "compiling…" before it.
    `eager` runs the steps without recording (`TrainingSession.step`): for
    a step taken on its own, which would not repay a recording's pause.
    Returns {"steps" (the session's count now), "history" (the steps run
    by this call, `_history`), "grid" (with `grid`, else None),
    "compiling_next", "ms" (time spent stepping), "grid_ms" (and scoring the grid)}.
    """
    kept = _kept(key)
    session = kept.session
    steps = whole_number("steps", steps, minimum=1)
    first = session.steps
    start = time.perf_counter()
    while True:
        session.step(eager=eager)
        ms = 1000 * (time.perf_counter() - start)
        done = session.steps - first
        if done >= steps or (budget_ms is not None and ms >= budget_ms) or (session.next_step_compiles and not eager):
            break
    drawn = time.perf_counter()
    scores = _grid(kept) if grid else None
    return {
        "steps": session.steps,
        "history": _history(session, first),
        "grid": scores,
        "compiling_next": session.next_step_compiles,
        "ms": ms,
        "grid_ms": 1000 * (time.perf_counter() - drawn),
    }


def add_point(key, x, y, label):
    """Add (x, y) of class `label` to the training points of the session kept as `key` (`TrainingSession.add_point`).

    Returns {"index", "point", "label", "compiling_next"}: the point's index
    among the training points (for `point_graph`) and the point as kept.
    """
    session = _kept(key).session
    index = session.add_point(x, y, label)
    return {"index": index, "point": list(session.X[index]), "label": session.y[index],
            "compiling_next": session.next_step_compiles}


def point_graph(key, index, whole=None, format="svg"):
    """Training point `index`'s loss through the network now, drawn (`TrainingSession.point_graph`).

    A graph of up to `autograd.views.nearby.WHOLE_UP_TO` Values is drawn
    whole; a larger one (986 for 16,16 layers) only near the loss, the
    Values within `POINT_GRAPH_DEPTH` edges of it (`drawing_near`), unless
    `whole` is True; `whole=False` draws the part even for a small graph.
    A whole drawing of more than `MAX_GRAPH_VALUES` is refused, saying how
    to get a smaller one.  Returns {"index", "label" (its class), "step",
    "values" (the graph's Values), "part" (for GraphView.show: None when
    drawn whole and small, else {"shown", "total", "whole"}), "current"
    (the loss's node id, the <title> of its group in the SVG), "title" (a
    sentence naming the point), and "svg" or, with format="dot", "dot"}.
    The loss is highlighted; the parameters are named by layer and neuron
    (L1.N3.w0), the point's coordinates x0, x1.
    """
    from autograd.views.draw import dot_ids  # the drawing, only when one is asked for
    from autograd.views.nearby import drawing_near

    if format not in ("svg", "dot"):
        raise ValueError(f"format must be 'svg' or 'dot', got {format!r}")
    session = _kept(key).session
    loss = session.point_graph(whole_number("index", index, minimum=0))
    order = forward_order(loss)
    if whole and len(order) > MAX_GRAPH_VALUES:
        raise ValueError(
            f"point {index}'s graph has {len(order):,} Values, more than the {MAX_GRAPH_VALUES:,} drawn whole here: "
            f"choose smaller hidden layers (16,16 make 986) to see a point's whole graph"
        )
    near = drawing_near(loss, loss, depth=POINT_GRAPH_DEPTH, whole=whole, max_nodes=MAX_GRAPH_VALUES)
    answer = {
        "index": index,
        "label": session.y[index],
        "step": session.steps,
        "values": near.values,
        "part": near.part if near.drawn == near.values else {"shown": near.drawn, "total": near.values, "whole": False},
        "current": dot_ids(order)[loss],
        "title": f"Point {index} (class {session.y[index]}): its loss through the network after step {session.steps}",
    }
    if format == "svg":
        answer["svg"] = near.drawing.pipe(format="svg", encoding="utf-8")
    else:
        answer["dot"] = near.drawing.source
    return answer


def reset(key):
    """Start the session kept as `key` learning again (`TrainingSession.reset`: added points stay); returns `view(key)`."""
    _kept(key).session.reset()
    return view(key)


def settings(key):
    """The settings of the session kept as `key`, as the texts `create` reads back into the same session."""
    return _kept(key).session.settings()


def forget(key):
    """Drop the session kept as `key`, if any (a page that is left)."""
    SESSIONS.pop(key, None)


class _Kept:
    """A session with what the page's drawing of it needs: the plane's bounds and the grid's size."""

    def __init__(self, session, bounds, grid):
        self.session, self.bounds, self.grid = session, bounds, grid


def _kept(key):
    try:
        return SESSIONS[key]
    except KeyError:
        raise LookupError(f"no training session is kept as {key!r}: create one first") from None


def _grid_size(grid):
    n = whole_number("grid", grid, minimum=2)
    if n > MAX_GRID:
        raise ValueError(f"grid must be at most {MAX_GRID} points per side, got {n}")
    return n


def _grid(kept):
    """The network's score at kept.grid x kept.grid points over the plane: rows from the bottom up (> 0: class 1)."""
    return kept.session.decision_grid(kept.bounds, kept.grid)


def _history(session, first):
    """The steps after the first `first`, as columns: "loss", "accuracy", "test_loss", "test_accuracy"
    (the last two None at each step when no point is held out)."""
    return {
        "loss": session.history.loss[first:],
        "accuracy": session.history.accuracy[first:],
        "test_loss": session.test_history.loss[first:],
        "test_accuracy": session.test_history.accuracy[first:],
    }
