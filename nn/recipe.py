"""The training recipe behind `stepgrad demo` and `stepgrad train`.

micrograd's moons recipe: an MLP with ReLU hidden layers and one linear
output, the hinge loss plus 1e-4 L2, full-batch SGD with the learning rate
falling linearly from `lr` to `lr / 10`.
"""

from dataclasses import dataclass

from .data import DATASETS
from .layers import DEFAULT_INIT, MLP
from .train import History, default_optimizer, diverged, evaluate, fit


@dataclass
class TrainingRun:
    """A trained model, its data, its history and its final scores."""

    model: MLP
    X: list
    y: list
    history: History
    loss: float
    accuracy: float

    @property
    def diverged(self):
        """Whether training diverged: the final loss is not finite, or over
        `DIVERGED_FACTOR` (10) times the untrained model's (the first step's)."""
        return diverged(self.history.loss[0], self.loss)


def train_classifier(
    data="moons", hidden=(16, 16), steps=100, lr=1.0, n_samples=100, seed=0, progress=True, init=DEFAULT_INIT
):
    """Train MLP(2, [*hidden, 1]) on `n_samples` points of the named data set.

    `seed` seeds both the data set and the initial weights.
    """
    if data not in DATASETS:
        raise ValueError(f"unknown data set {data!r}; choose one of {', '.join(DATASETS)}")
    X, y = DATASETS[data](n_samples=n_samples, seed=seed)
    model = MLP(2, [*hidden, 1], init=init, seed=seed)
    optimizer = default_optimizer(model, steps, lr)
    history = fit(model, X, y, optimizer=optimizer, steps=steps, progress=progress)
    loss, accuracy = evaluate(model, X, y)
    return TrainingRun(model, X, y, history, loss, accuracy)
