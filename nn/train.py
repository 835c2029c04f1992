"""`fit`: train a model on (X, y) with a progress bar, and `evaluate` it.

By default `fit` follows micrograd's moons recipe: the hinge loss with an
L2 term of 1e-4, and SGD whose learning rate falls linearly from 1.0 to 0.1
over the run.
"""

import random
from dataclasses import dataclass, field
from functools import partial

from tqdm.auto import tqdm  # the widget bar in Jupyter, text on a terminal

from autograd import Value, compile, no_grad
from autograd.engine.gc_pause import cyclic_gc_paused
from autograd.engine.graph import all_nodes

from .checks import whole_number
from .losses import hinge, target_numbers
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
    training step with `autograd.compile` and replays it as plain float
    code (`CompiledStep`), full batch or minibatches, many times faster:
    the same numbers to the last bit for the losses whose targets enter as
    numbers (hinge, mse, binary_cross_entropy), to within rounding for
    cross_entropy, whose minibatches mostly run eager (see `CompiledStep`).
    """
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} labels")
    if not X:
        raise ValueError("fit: no training data")
    whole_number("fit: steps", steps)
    if batch_size is not None:
        whole_number("fit: batch_size (when not None)", batch_size)
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
            bar.set_postfix(loss=loss_text(loss_value), accuracy=f"{history.accuracy[-1]:.0%}")
    bar.close()
    return history


def loss_text(loss):
    """A loss for people: 4 decimals, or 4 significant digits and an
    exponent from 1e6 on (a diverged run's 1e170 is not 170 digits)."""
    return f"{loss:.4f}" if abs(loss) < 1e6 else f"{loss:.4g}"


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
    """`eager_step`, recorded with `autograd.compile` and replayed on every batch.

    The compiled function's inputs are the model's parameters, and its data
    leaves (arguments without gradients) are the batch's points and, when
    the loss lets them enter its graph as numbers (`nn.losses.target_numbers`:
    hinge, mse, binary_cross_entropy), its targets: one recording serves
    every batch of the same size.  A loss whose targets choose the graph's
    shape (cross_entropy's class index picks a logit) needs a recording per
    distinct tuple of targets, the targets built in as constants.

    A batch is recorded the second time its key (batch size and, if built
    in, targets) comes up; the first time it runs eager.  So full-batch
    training compiles once, after its first step, and random minibatches
    of class indices, which seldom come back, run eager instead of
    compiling nearly every step.  The `max_recordings` used last are kept.

    relu's branch and the other local derivatives are decided anew on each
    call.  NB: a Python-level choice made while recording (an `if` on a
    node's data) stays as recorded: `nn.losses.maximum`, under
    cross_entropy, folds the logits in the order that was largest-first at
    recording, so a replay agrees with eager to within rounding, and
    logits that move very far from the recorded ones can overflow it.
    """

    def __init__(self, max_recordings=32):
        self.max_recordings = max_recordings
        self.recordings = {}  # key -> _Recording, the one used last at the end
        self.seen_once = {}  # keys run eager once, the newest at the end

    def __call__(self, model, X, y, loss):
        targets_as_data = target_numbers(loss)
        key = (len(X), None if targets_as_data else _frozen(y))
        recording = self.recordings.pop(key, None)
        if recording is None:
            if key not in self.seen_once:
                _remember(self.seen_once, key, None, 4 * self.max_recordings)
                return eager_step(model, X, y, loss)
            del self.seen_once[key]
            recording = _Recording(model, X, y, loss, targets_as_data)
        _remember(self.recordings, key, recording, self.max_recordings)
        return recording.replay(X, y)


def _remember(table, key, value, size):
    """table[key] = value as the newest entry, the oldest let go beyond `size`."""
    table[key] = value
    if len(table) > size:
        del table[next(iter(table))]


def _frozen(targets):
    """The targets as a key: lists, tuples and numpy arrays become tuples, all the way down."""
    if getattr(targets, "ndim", 0):  # a numpy array
        targets = targets.tolist()
    if isinstance(targets, (list, tuple)):
        return tuple(_frozen(t) for t in targets)
    return targets


class _Recording:
    """One compiled step: the parameters as inputs, the points (and targets) as data."""

    def __init__(self, model, X, y, loss, targets_as_data):
        self.parameters = model.parameters()
        self.targets_as_data = targets_as_data
        rows = [[Value(v) for v in x] for x in X]
        targets = [Value(t) for t in targets_as_data(y)] if targets_as_data else list(y)
        outputs = [model(row) for row in rows]
        self.widths = [len(out) if isinstance(out, list) else None for out in outputs]
        flat = [v for out in outputs for v in (out if isinstance(out, list) else [out])]
        root = loss(outputs, targets)
        data = [v for row in rows for v in row] + (targets if targets_as_data else [])
        # A point's coordinate that no part of the model reads is not in the graph: leave it out.
        in_graph = set(all_nodes(root))
        self.used = [i for i, leaf in enumerate(data) if leaf in in_graph]
        self.compiled = compile(root, self.parameters, extras=flat, data=[data[i] for i in self.used])

    def replay(self, X, y):
        """(loss, outputs) of the step on the batch (X, y), its gradients added into the parameters."""
        data = [float(v) for x in X for v in x] + (self.targets_as_data(y) if self.targets_as_data else [])
        parameters = self.parameters
        loss_value, grads, flat = self.compiled(*(p.data for p in parameters), *(data[i] for i in self.used))
        for p, g in zip(parameters, grads):
            p.grad += g
        values = iter(flat)
        outputs = [next(values) if width is None else [next(values) for _ in range(width)] for width in self.widths]
        return loss_value, outputs


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
