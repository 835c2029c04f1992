"""`fit`: train a model on (X, y) with a progress bar, and `evaluate` it.

By default `fit` follows micrograd's moons recipe: the hinge loss with an
L2 term of 1e-4, and SGD whose learning rate falls linearly from 1.0 to 0.1
over the run.
"""

import gc
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from tqdm.auto import tqdm  # the widget bar in Jupyter, text on a terminal

from autograd import Value, compile, no_grad

from .checks import whole_number
from .losses import hinge
from .optim import SGD

DEFAULT_L2 = 1e-4


@dataclass
class History:
    """The loss and the accuracy of each training step's batch, step by step.

    Both are measured on the forward pass of the step, before its update.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)

    def record(self, loss, accuracy):
        self.loss.append(loss)
        self.accuracy.append(accuracy)

    def __len__(self):
        return len(self.loss)


def default_loss(model):
    """micrograd's loss: hinge plus 1e-4 times the sum of squared parameters."""
    return partial(hinge, l2=DEFAULT_L2, parameters=model.parameters())


def default_optimizer(model, steps, lr=1.0):
    """SGD with micrograd's schedule: lr_k = lr * (1 - 0.9 k / steps)."""
    return SGD(model.parameters(), lr=lambda k: lr * (1.0 - 0.9 * k / steps))


def fit(model, X, y, loss=None, optimizer=None, steps=100, batch_size=None, progress=True, seed=0, compiled=False):
    """Train `model` for `steps` steps and return the `History`.

    `loss(outputs, targets)` returns a Value (default: `default_loss`);
    `optimizer` has `zero_grad()` and `step()` (default: `default_optimizer`).
    With `batch_size` None every step uses all of X (full batch); otherwise
    each step draws `batch_size` distinct samples with `random.Random(seed)`.
    `progress=False` hides the tqdm bar.  `compiled=True` records the
    training step once with `autograd.compile` and replays it as plain float
    code (`CompiledStep`): the same numbers, many times faster; it needs
    full-batch training.
    """
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} labels")
    if not X:
        raise ValueError("fit: no training data")
    whole_number("fit: steps", steps)
    if batch_size is not None:
        whole_number("fit: batch_size (when not None)", batch_size)
    if compiled and batch_size is not None and batch_size < len(X):
        raise ValueError(
            "fit: compiled=True needs full-batch training (batch_size=None): "
            "the compiled step has the batch's data built in"
        )
    loss = loss or default_loss(model)
    optimizer = optimizer or default_optimizer(model, steps)
    batches = _batches(X, y, batch_size, random.Random(seed))
    train_step = CompiledStep() if compiled else eager_step

    history = History()
    bar = tqdm(range(steps), desc="training", unit="step", disable=not progress)
    with cyclic_gc_paused():
        for _ in bar:
            X_batch, y_batch = next(batches)
            optimizer.zero_grad()
            loss_value, outputs = train_step(model, X_batch, y_batch, loss)
            optimizer.step()
            history.record(loss_value, accuracy(outputs, y_batch))
            bar.set_postfix(loss=f"{loss_value:.4f}", accuracy=f"{history.accuracy[-1]:.0%}")
    bar.close()
    return history


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector inside the block.

    A training step makes some 70,000 nodes and no reference cycles (each
    graph is freed by reference counting as soon as it is dropped), yet the
    collector would walk them, and every other live object, many times a
    step.  Measured on MLP(2, [16, 16, 1]) and 100 moons, pausing it makes
    `fit` 1.5 times faster, and 2.5 times with PyTorch imported.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def eager_step(model, X, y, loss):
    """Forward pass, loss and backward pass on one batch, through the graph.

    Fills the parameters' grads; returns the loss and the model's outputs as
    plain numbers (a list of numbers per sample for multi-output models).
    """
    outputs = [model(x) for x in X]
    loss_value = loss(outputs, y)
    loss_value.backward()
    return loss_value.data, [_numbers(out) for out in outputs]


class CompiledStep:
    """`eager_step`, recorded once with `autograd.compile` and then replayed.

    The compiled function's inputs are the model's parameters; the batch's
    points and targets are built in as constants.  That is what full-batch
    training needs (the same batch every step), and it is the only choice
    for targets, which losses read as plain numbers (hinge's sign of y).
    One recording serves every step: relu's branch and the other local
    derivatives are decided anew on each call.  NB: a Python-level choice
    made while recording (an `if` on a node's data) stays as recorded; the
    losses in `nn.losses` make none (their overflow shifts are relu nodes).
    """

    def __init__(self):
        self.replay = None
        self.parameters = None

    def __call__(self, model, X, y, loss):
        if self.replay is None:
            self._record(model, X, y, loss)
        parameters = self.parameters
        loss_value, grads, flat = self.replay(*(p.data for p in parameters))
        for p, g in zip(parameters, grads):
            p.grad += g
        values = iter(flat)
        outputs = [next(values) if width is None else [next(values) for _ in range(width)] for width in self.widths]
        return loss_value, outputs

    def _record(self, model, X, y, loss):
        self.parameters = parameters = model.parameters()
        outputs = [model(x) for x in X]
        self.widths = [len(out) if isinstance(out, list) else None for out in outputs]
        flat = [v for out in outputs for v in (out if isinstance(out, list) else [out])]
        self.replay = compile(loss(outputs, y), parameters, extras=flat)


def evaluate(model, X, y, loss=None):
    """(loss, accuracy) of `model` on all of (X, y), building no graph."""
    loss = loss or default_loss(model)
    with no_grad():
        outputs = [model(x) for x in X]
        loss_value = loss(outputs, list(y))
    return loss_value.data, accuracy([_numbers(out) for out in outputs], y)


def predict(output):
    """The class an output stands for: 1 if a single score is > 0, else 0;
    for a list of class scores, the index of the largest."""
    if isinstance(output, (list, tuple)):
        return max(range(len(output)), key=output.__getitem__)
    return 1 if output > 0 else 0


def accuracy(outputs, targets):
    """The fraction of outputs whose `predict` class matches the target.

    A binary target counts as class 1 when > 0, so 0/1 and -1/+1 labels both work.
    """
    hits = 0
    for out, target in zip(outputs, targets):
        expected = target if isinstance(out, (list, tuple)) else int(target > 0)
        hits += predict(out) == expected
    return hits / len(targets)


def _numbers(output):
    if isinstance(output, Value):
        return output.data
    return [v.data for v in output]


def _batches(X, y, batch_size, rng):
    """Endless (X, y) batches: all of it, or `batch_size` random samples each."""
    if batch_size is None or batch_size >= len(X):
        while True:
            yield X, y
    indices = range(len(X))
    while True:
        chosen = rng.sample(indices, batch_size)
        yield [X[i] for i in chosen], [y[i] for i in chosen]
