"""`fit`: train a model on (X, y) with a progress bar (`nn.progress`), and `evaluate` it.

By default `fit` follows micrograd's moons recipe: the hinge loss with an
L2 term of 1e-4, and SGD whose learning rate falls linearly from 1.0 to 0.1
over the run.
"""

import math
import random
from dataclasses import dataclass, field
from functools import partial

from autograd import Value, compile, no_grad
from autograd.engine.gc_pause import cyclic_gc_paused
from autograd.engine.graph import all_nodes
from autograd.engine.value import describe, is_grad_enabled

from .checks import whole_number
from .losses import hinge, target_numbers
from .optim import SGD
from .progress import ProgressBar, loss_text

DEFAULT_L2 = 1e-4
DIVERGED_FACTOR = 10


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
    The progress bar (`nn.progress`) shows each step's loss and accuracy on a
    terminal or in a notebook, never in a log file, and ends on the trained
    model's `evaluate(model, X, y, loss)`; `progress=False` hides it.
    Training needs the graph: under `no_grad()` fit raises a RuntimeError.
    `compiled=True` records the training step with `autograd.compile` and
    replays it as plain float code (`CompiledStep`), full batch or minibatches, many times faster:
    the same numbers to the last bit for the losses whose targets enter as
    numbers (hinge, mse, binary_cross_entropy), to within rounding for
    cross_entropy, whose minibatches mostly run eager (see `CompiledStep`).
    """
    if not is_grad_enabled():
        raise RuntimeError(
            "fit: no_grad() is on, so no graph would be built and nothing would learn; call fit outside `with no_grad():`"
        )
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
    bar = ProgressBar(steps, show=progress)
    with cyclic_gc_paused():
        for _ in range(steps):
            X_batch, y_batch = next(batches)
            optimizer.zero_grad()
            loss_value, outputs = train_step(model, X_batch, y_batch, loss)
            optimizer.step()
            history.record(loss_value, accuracy(outputs, y_batch))
            bar.step(loss_value, history.accuracy[-1])
    trained = evaluate(model, X, y, loss) if bar.shown else ()  # the bar's last frame: the trained model's scores
    bar.finish(*trained)
    return history


def diverged(loss_before, loss_after):
    """Whether training diverged: its loss ended not finite, or over `DIVERGED_FACTOR` (10) times
    the loss before training.  Early losses are noisy: a loss a little higher after a step or two is not divergence."""
    return not math.isfinite(loss_after) or loss_after > DIVERGED_FACTOR * loss_before


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

    A batch is recorded the second time its key (the model, the loss, the
    length of each point and, if built in, the targets) comes up; the first
    time it runs eager, which raises what eager raises.  So full-batch
    training compiles once, after its first step, and random minibatches
    of class indices, which seldom come back, run eager instead of
    compiling nearly every step.  The `max_recordings` used last are kept.
    Each call checks that the model still has the recorded parameters: a
    weight replaced by a new Value makes the key new again.

    Leaves that the model or the loss keep from call to call (a learnable
    `scale` inside a loss of one's own) are inputs too: read anew and given
    their gradient on every call, as `backward()` gives it.  Points given
    as Values (micrograd's `X = [[Value(a), Value(b)], ...]`) are read by
    their data; unlike eager, the replay adds no gradient into them.

    relu's branch and the other local derivatives are decided anew on each
    call.  NB: a Python-level choice made while recording (an `if` on a
    node's data, a plain number the loss reads) stays as recorded:
    `nn.losses.maximum`, under cross_entropy, folds the logits in the order
    that was largest-first at recording, so a replay agrees with eager to
    within rounding, and logits that move very far from the recorded ones
    can overflow it.
    """

    def __init__(self, max_recordings=32):
        self.max_recordings = max_recordings
        self.recordings = {}  # key -> _Recording, the one used last at the end
        self.seen_once = {}  # keys run eager once, the newest at the end

    def __call__(self, model, X, y, loss):
        targets_as_data = target_numbers(loss)
        key = (id(model), id(loss), tuple(map(len, X)), len(y) if targets_as_data else _frozen(y))
        recording = self.recordings.pop(key, None)
        if recording is not None and not recording.has_parameters_of(model):
            recording = None  # a weight was replaced: the key is new again
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
    """One compiled step: the parameters and the kept leaves as inputs, the points (and targets) as data.

    The step is built twice: a leaf both builds hold is kept from call to
    call (a parameter, a `scale` the loss closes over) and is an input; a
    leaf each build makes anew (the 1 of `1 - s*y`) is a constant.
    """

    def __init__(self, model, X, y, loss, targets_as_data):
        self.model = model  # held, so that the id in the recording's key stays this model's
        self.parameters = model.parameters()
        self.parameter_ids = list(map(id, self.parameters))
        self.targets_as_data = targets_as_data
        rows = [[Value(_number(v)) for v in x] for x in X]
        targets = [Value(t) for t in targets_as_data(y)] if targets_as_data else list(y)
        data = [v for row in rows for v in row] + (targets if targets_as_data else [])
        first_build = set(all_nodes(_build(model, rows, targets, loss)[1]))
        outputs, root = _build(model, rows, targets, loss)
        nodes = all_nodes(root)
        self.inputs = self.parameters + _kept_leaves(nodes, first_build, {*self.parameters, *data})
        self.widths = [len(out) if isinstance(out, list) else None for out in outputs]
        flat = [v for out in outputs for v in (out if isinstance(out, list) else [out])]
        # A point's coordinate that no part of the model reads is not in the graph: leave it out.
        in_graph = set(nodes)
        self.used = [i for i, leaf in enumerate(data) if leaf in in_graph]
        self.compiled = compile(root, self.inputs, extras=flat, data=[data[i] for i in self.used])

    def has_parameters_of(self, model):
        """Whether `model.parameters()` are still the very Values recorded."""
        return list(map(id, model.parameters())) == self.parameter_ids

    def replay(self, X, y):
        """(loss, outputs) of the step on the batch (X, y), its gradients added into the inputs."""
        data = [_number(v) for x in X for v in x] + (self.targets_as_data(y) if self.targets_as_data else [])
        inputs = self.inputs
        loss_value, grads, flat = self.compiled(*(p.data for p in inputs), *(data[i] for i in self.used))
        for p, g in zip(inputs, grads):
            p.grad += g
        values = iter(flat)
        outputs = [next(values) if width is None else [next(values) for _ in range(width)] for width in self.widths]
        return loss_value, outputs


def _build(model, rows, targets, loss):
    """The step's graph: (the model's outputs on `rows`, the loss)."""
    outputs = [model(row) for row in rows]
    return outputs, loss(outputs, targets)


def _kept_leaves(nodes, first_build, known):
    """The leaves among `nodes` that `first_build` holds too, other than `known`.

    A kept interior node (made before the step) is refused: eager reuses its
    old data, where a replay would compute it anew from its leaves.
    """
    kept = []
    for node in nodes:
        if node in first_build and node not in known:
            if node._op:
                raise ValueError(
                    f"fit(compiled=True) cannot replay a step that uses the node {describe(node)} (op {node._op!r}), "
                    f"made before the step: eager reuses its old data, a replay would compute it anew; compute it "
                    f"inside the loss or the model, or train with compiled=False"
                )
            kept.append(node)
    return kept


def _number(coordinate):
    """A point's coordinate as a float; a Value (micrograd's habit) by its data."""
    return coordinate.data if isinstance(coordinate, Value) else float(coordinate)


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
