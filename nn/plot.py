"""Pictures of a training run: the loss curve and the decision boundary.

`decision_grid` computes the model's score over the plane, the numbers
behind a decision boundary: `save_training_plot` draws them, and so does the
web page "Watch a network learn" (through `nn.session`).  Only
`save_training_plot` needs matplotlib (the optional `plot` extra); it draws
on a bare `Figure`, which renders with the Agg backend and touches no
global pyplot state, so it works without a display.
"""

from autograd import no_grad
from autograd.engine.floats import relu, sigmoid, tanh

from .checks import whole_number
from .layers import MLP

FLOAT_ACTIVATIONS = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, None: lambda a: a}


def has_matplotlib():
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def bounds_around(X, margin=0.5):
    """(x_min, x_max, y_min, y_max) around the points X, `margin` wider on each side."""
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    return (min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin)


def decision_grid(model, X, resolution=50, margin=0.5):
    """The model's score on a resolution x resolution grid evenly over `bounds_around(X, margin)`.

    Returns (xs, ys, scores) with scores[i][j] the output at (xs[j], ys[i]):
    rows run from the lowest y up.  No graph is kept: an `MLP` is scored with
    plain floats (`float_score`, the same numbers), any other model under `no_grad()`.
    """
    resolution = whole_number("resolution", resolution, 2)  # a grid has two ends
    low_x, high_x, low_y, high_y = bounds_around(X, margin)
    xs = [low_x + (high_x - low_x) * j / (resolution - 1) for j in range(resolution)]
    ys = [low_y + (high_y - low_y) * i / (resolution - 1) for i in range(resolution)]
    if type(model) is MLP:  # a subclass may compute something else
        return xs, ys, [[float_score(model, [x, y]) for x in xs] for y in ys]
    with no_grad():
        return xs, ys, [[model([x, y]).data for x in xs] for y in ys]


def float_score(model, point):
    """`model(point).data` for an `MLP`, computed with plain floats: no graph, many times faster."""
    x = point
    for layer in model.layers:
        activation = FLOAT_ACTIVATIONS[layer.activation]
        x = [activation(_weighted_sum(n, x)) for n in layer.neurons]
    return x[0]


def _weighted_sum(neuron, x):
    """b + w0*x0 + w1*x1 + ..., added left to right as `Neuron.__call__` adds (not with
    `sum()`, which from Python 3.12 on compensates rounding and so may differ in the last bit)."""
    total = neuron.b.data
    for w, xi in zip(neuron.w, x):
        total = total + w.data * xi
    return total


def save_training_plot(run, path):
    """Save `run`'s loss curve and decision boundary side by side as a PNG."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.2), layout="constrained")
    loss_axes, boundary_axes = figure.subplots(1, 2)

    steps = range(1, len(run.history) + 1)
    loss_axes.plot(steps, run.history.loss, color="tab:blue")
    loss_axes.set_yscale("log")
    loss_axes.set_xlabel("step")
    loss_axes.set_ylabel("loss (log scale)", color="tab:blue")
    loss_axes.set_title(f"training: final loss {run.loss:.4f}")
    accuracy_axes = loss_axes.twinx()
    accuracy_axes.plot(steps, run.history.accuracy, color="tab:orange")
    accuracy_axes.set_ylim(0.0, 1.05)
    accuracy_axes.set_ylabel("accuracy", color="tab:orange")

    xs, ys, scores = decision_grid(run.model, run.X)
    boundary_axes.contourf(xs, ys, scores, levels=[-1e300, 0.0, 1e300], colors=["#c6dbef", "#fdd0a2"])
    boundary_axes.contour(xs, ys, scores, levels=[0.0], colors="k", linewidths=1)
    colors = ["tab:blue" if label == 0 else "tab:orange" for label in run.y]
    boundary_axes.scatter([p[0] for p in run.X], [p[1] for p in run.X], c=colors, s=18, edgecolors="k", linewidths=0.5)
    boundary_axes.set_title(f"decision boundary: accuracy {run.accuracy:.0%}")
    boundary_axes.set_aspect("equal")
    figure.savefig(path, dpi=100)
