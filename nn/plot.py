"""Pictures of a training run: the loss curve and the decision boundary.

Needs matplotlib (the optional `plot` extra).  Draws on a bare `Figure`,
which renders with the Agg backend and touches no global pyplot state, so
it works without a display.
"""

from autograd import no_grad


def has_matplotlib():
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def decision_grid(model, X, resolution=50, margin=0.5):
    """The model's score on a resolution x resolution grid around the points.

    Returns (xs, ys, scores) with scores[i][j] the output at (xs[j], ys[i]).
    """
    low_x, high_x = min(p[0] for p in X) - margin, max(p[0] for p in X) + margin
    low_y, high_y = min(p[1] for p in X) - margin, max(p[1] for p in X) + margin
    xs = [low_x + (high_x - low_x) * j / (resolution - 1) for j in range(resolution)]
    ys = [low_y + (high_y - low_y) * i / (resolution - 1) for i in range(resolution)]
    with no_grad():
        scores = [[model([x, y]).data for x in xs] for y in ys]
    return xs, ys, scores


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
