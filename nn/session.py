"""`TrainingSession`: a network learning a 2-D data set one step at a time.

    session = TrainingSession("moons", hidden=(8, 8))
    session.step()                      # {"step": 1, "loss": 0.93, "accuracy": 0.55, "test_loss": None, ...}
    session.decision_grid(bounds, 30)   # the network's score over the plane
    session.point_graph(0)              # point 0's loss as a graph, with grads

Made for a live view (the web page "Watch a network learn"), which builds a
session from the texts typed in its fields and shares them in its URL:

    session = TrainingSession.from_settings({"dataset": "xor", "hidden": "8,8", "lr": "0.1"})
    TrainingSession.from_settings(session.settings())   # the same session again

Each step is one step of micrograd's recipe (hinge loss + 1e-4 L2, SGD with
the learning rate falling from `lr` to `lr / 10` over 100 steps, then
staying there) on all the training points or on a minibatch drawn from
`random.Random(seed)`.  A share of the points (`test_fraction`) is held
out, never trained on; its loss and accuracy are reported beside the
training points'.  Points can be added to the training data while it learns.
"""

import inspect
import random

from autograd import Value, no_grad
from autograd.engine.gc_pause import cyclic_gc_paused

from .checks import finite_number, positive_number, whole_number
from .data import DATASETS
from .layers import MLP
from .losses import hinge
from .optim import SGD
from .plot import bounds_around, decision_grid, float_score
from .train import CompiledStep, History, accuracy, default_loss, eager_step

DECAY_STEPS = 100
MAX_HIDDEN_LAYERS = 4
MAX_WIDTH = 64  # neurons in one hidden layer
MAX_POINTS = 2000
MAX_NOISE = 1.0
MAX_TEST_FRACTION = 0.9
MAX_SEED = 2**31 - 1
MAX_STEP_VALUES = 1_000_000  # Values one step builds: about 100 MB, and a second a step here
VALUES_PER_PARAMETER = 3  # per point: a weight's leaf, its product and its sum (4 layers of 64: 38,088 for 12,737)
ACTIVATION_NAMES = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "linear": None}
"""An activation's name in the settings -> `MLP`'s `activation` (None: linear)."""


class TrainingSession:
    """MLP(2, [*hidden, 1], activation) and its data, trained one `step()` at a time.

    `X`, `y` are the training points ([x, y] lists) and their 0/1 labels;
    `X_test`, `y_test` the held-out points, the last `round(test_fraction *
    n_samples)` of the data set's shuffled points (at least one point is
    left to train on).  `batch_size` None, or any number >= the training
    points, trains on all of them each step.  `noise` None takes the data
    set's default (`nn.data`).  `compiled` replays each step recorded with
    `autograd.compile` (`nn.train.CompiledStep`): the same numbers as eager
    to the last bit, and faster; False builds the graph every step.

    Every argument is checked before anything is built, against the limits
    above (at most 4 hidden layers of at most 64 neurons, at most 2,000
    points, a step building at most `MAX_STEP_VALUES` Values: points added
    later may pass it); an error names it.  `history` and `test_history`
    hold, step by step, the loss and accuracy of the training points and of
    the held-out points, both with the weights before the step's update.
    """

    def __init__(self, data="moons", hidden=(8, 8), n_samples=100, lr=1.0, seed=0, *,
                 activation="relu", batch_size=None, noise=None, test_fraction=0.0, compiled=True):
        self.data = _check_data(data, "data")
        self.hidden = _check_hidden(hidden, "hidden")
        self.n_samples = _check_points(n_samples, "n_samples")
        self.lr = _check_lr(lr, "lr")
        self.seed = _check_seed(seed, "seed")
        self.activation = _check_activation(activation, "activation")
        self.batch_size = _check_batch_size(batch_size, "batch_size")
        self.noise = _default_noise(data) if noise is None else _check_noise(noise, "noise")
        self.test_fraction = _check_test_fraction(test_fraction, "test_fraction")
        self.compiled = bool(compiled)
        n_train = self.n_samples - min(round(self.test_fraction * self.n_samples), self.n_samples - 1)
        _check_step_size(self.hidden, self.batch_size, n_train)

        X, y = DATASETS[data](n_samples=self.n_samples, noise=self.noise, seed=self.seed)
        self.X, self.y = X[:n_train], y[:n_train]
        self.X_test, self.y_test = X[n_train:], y[n_train:]
        self.reset()

    @classmethod
    def from_settings(cls, texts, compiled=True):
        """A session from the texts typed on the page: a dict with some of the keys of `settings()`.

        A missing key takes the constructor's default.  A text that is not a
        usable setting raises a `SettingError` (a ValueError) whose message
        begins with the key and the text as typed, `hidden '4,,4': ...`,
        before anything is built.
        """
        arguments = {}
        for key, text in texts.items():
            if key not in SETTINGS:
                raise SettingError(key, text, f"is not a setting; the settings are {', '.join(SETTINGS)}")
            if not isinstance(text, str):
                raise SettingError(key, text, f"is a {type(text).__name__}; each setting is the text typed")
            argument, parse, check = SETTINGS[key]
            quoted = f"{key} {text!r}"
            try:
                arguments[argument] = check(parse(text.strip()), quoted)
            except (TypeError, ValueError) as error:
                raise SettingError(key, text, str(error).removeprefix(quoted).lstrip(":")) from None
        try:
            return cls(**arguments, compiled=compiled)
        except SettingError as error:  # the settings checked together (`_check_step_size`): quote what was typed
            raise SettingError(error.key, texts.get(error.key, error.text), error.problem) from None

    def settings(self):
        """Every setting as the text `from_settings` reads back into this very session (data, weights, batches).

        Keys: dataset, hidden ("8,8"; "" for no hidden layer), activation
        (relu, tanh, sigmoid or linear), lr, batch ("all" or a number),
        noise, test (the held-out fraction), points, seed.  Numbers are
        written as `repr` writes them, which reads back as the same float.
        """
        return {
            "dataset": self.data,
            "hidden": ",".join(map(str, self.hidden)),
            "activation": next(name for name, value in ACTIVATION_NAMES.items() if value == self.activation),
            "lr": repr(self.lr),
            "batch": "all" if self.batch_size is None else str(self.batch_size),
            "noise": repr(self.noise),
            "test": repr(self.test_fraction),
            "points": str(self.n_samples),
            "seed": str(self.seed),
        }

    def reset(self):
        """Start learning again on the same points: fresh weights from the seed, minibatches from
        the start of their draw, histories cleared.  Points added with `add_point` stay;
        `from_settings(settings())` makes the data anew.  Parameters are labelled by `parameter_label`.
        """
        self.model = MLP(2, [*self.hidden, 1], activation=self.activation, seed=self.seed)
        for name, parameter in self.model.named_parameters():
            parameter.label = parameter_label(name)
        self.optimizer = SGD(self.model.parameters(), lr=self.learning_rate)
        self.loss = default_loss(self.model)
        self.train_step = CompiledStep(max_recordings=1) if self.compiled else eager_step  # one batch size at a time
        self.batch_rng = random.Random(self.seed)
        self.replays_by_batch_length = {}  # steps through `train_step` on batches of each length, for `next_step_compiles`
        self.history = History()
        self.test_history = History()

    def learning_rate(self, k):
        """micrograd's schedule lr * (1 - 0.9 k / 100), held at lr / 10 from step 100 on."""
        return self.lr * max(0.1, 1.0 - 0.9 * k / DECAY_STEPS)

    @property
    def steps(self):
        return len(self.history)

    @property
    def next_step_compiles(self):
        """Whether the next `step()` records its graph with `autograd.compile`: a pause (about a
        second for 16,16 layers) before the steps that replay it run many times faster.

        `CompiledStep` runs a batch of a length it has not seen eager, and
        records it the second time: so the second step after `reset()`, and
        the second after a point is added to a whole batch (steps run with
        `eager=True` do not count).
        """
        return self.compiled and self.replays_by_batch_length.get(self._batch_length(), 0) == 1

    def _batch_length(self):
        return len(self.X) if self.batch_size is None else min(self.batch_size, len(self.X))

    def step(self, eager=False):
        """One training step on a batch of the training points.

        `eager` builds this step's graph as it goes even in a compiled
        session, the same numbers without a recording's pause: for a step
        taken on its own, where recording it would not pay.

        Returns {"step", "loss", "accuracy", "test_loss", "test_accuracy"}:
        the loss (hinge + the L2 term, as trained) and the accuracy of all
        the training points, then of the held-out points (None when there
        are none), all with the weights before the step's update.
        """
        whole = self.batch_size is None or self.batch_size >= len(self.X)
        if whole:
            X, y = self.X, self.y
        else:
            chosen = self.batch_rng.sample(range(len(self.X)), self.batch_size)
            X, y = [self.X[i] for i in chosen], [self.y[i] for i in chosen]
            loss, hits = self._measure(self.X, self.y)
        test_loss, test_hits = self._measure(self.X_test, self.y_test) if self.X_test else (None, None)
        self.optimizer.zero_grad()
        with cyclic_gc_paused():
            batch_loss, outputs = (eager_step if eager else self.train_step)(self.model, X, y, self.loss)
        if whole:
            loss, hits = batch_loss, accuracy(outputs, y)
        if not eager:
            self.replays_by_batch_length[len(X)] = self.replays_by_batch_length.get(len(X), 0) + 1
        self.optimizer.step()
        self.history.record(loss, hits)
        self.test_history.record(test_loss, test_hits)
        return {"step": self.steps, "loss": loss, "accuracy": hits, "test_loss": test_loss, "test_accuracy": test_hits}

    def _measure(self, X, y):
        """(loss, accuracy) of the model now on (X, y), from `float_score`: the graph's numbers, without the graph."""
        scores = [float_score(self.model, x) for x in X]
        with no_grad():
            loss = self.loss([Value(s) for s in scores], y).data
        return loss, accuracy(scores, y)

    def add_point(self, x, y, label):
        """Add the point (x, y) of class `label` (0 or 1) to the training data; returns its index in `X`.

        Refused, changing nothing, past `MAX_POINTS` points in all, or when a
        step on the training points would then build more than `MAX_STEP_VALUES`.
        """
        point = [finite_number("x", x), finite_number("y", y)]
        if label not in (0, 1):
            raise ValueError(f"label must be 0 or 1, got {label!r}")
        if len(self.X) + len(self.X_test) >= MAX_POINTS:
            raise ValueError(f"there are {MAX_POINTS:,} points already, the most a session holds: start a new one to add others")
        _check_step_size(self.hidden, self.batch_size, len(self.X) + 1)
        self.X.append(point)
        self.y.append(label)
        return len(self.X) - 1

    def bounds(self, margin=0.5):
        """(x_min, x_max, y_min, y_max) around the training and held-out points, `margin` wider on each side."""
        return bounds_around(self.X + self.X_test, margin)

    def decision_grid(self, bounds, n):
        """The network's score at n x n points evenly over `bounds`: rows from y_min up, x_min to x_max.

        The scores of `nn.plot.decision_grid` over the box with these corners;
        a score > 0 means class 1.
        """
        names = ("x_min", "x_max", "y_min", "y_max")
        x_min, x_max, y_min, y_max = (finite_number(name, value) for name, value in zip(names, bounds))
        whole_number("n (the grid's points per side)", n, minimum=2)
        return decision_grid(self.model, [[x_min, y_min], [x_max, y_max]], n, margin=0.0)[2]

    def point_graph(self, index):
        """Training point `index`'s hinge loss through the network now, backward done: a Value to draw.

        Its grads are d loss_i / d node for this one point; the parameters'
        grads then hold them too (the next `step()` zeroes them first).  The
        point's coordinates are leaves labelled x0 and x1, the parameters
        labelled as `parameter_label` says (L1.N3.w0).  Any size is returned
        (2-16-16-1: 986 Values; 4 layers of 64: about 38,000), for the page
        to show whole or a part at a time.
        """
        if not 0 <= index < len(self.X):
            raise IndexError(f"no point {index}: there are {len(self.X)}")
        point = [Value(coordinate, label=f"x{i}") for i, coordinate in enumerate(self.X[index])]
        loss = hinge([self.model(point)], [self.y[index]])
        loss.label = f"loss of point {index}"
        self.model.zero_grad()
        loss.backward()
        return loss


class SettingError(ValueError):
    """A setting `from_settings` cannot use: the message begins with its `key` and the `text` typed."""

    def __init__(self, key, text, problem):
        self.key, self.text, self.problem = key, text, problem.strip()
        super().__init__(f"{key} {text!r}: {self.problem}")


def parameter_label(name):
    """A parameter's name in `MLP.named_parameters()`, written short with layers and neurons counted from 1.

    "layers.0.neurons.2.w.1" -> "L1.N3.w1": the first hidden layer's third
    neuron, its weight on input 1 (inputs are counted from 0, as x0 and x1
    and the weights w0, w1 are); "layers.1.neurons.0.b" -> "L2.N1.b".
    """
    _, layer, _, neuron, *own = name.split(".")
    return f"L{int(layer) + 1}.N{int(neuron) + 1}.{''.join(own)}"


# --- the checks, each `check(value, name)`: the value, or an error that starts with `name` ----------


def _check_data(data, name):
    if data not in DATASETS:
        raise ValueError(f"{name}: unknown data set {data!r}; choose one of {', '.join(DATASETS)}")
    return data


def _check_hidden(hidden, name):
    """A list of at most 4 widths, each a whole number from 1 to 64, as a tuple."""
    if not isinstance(hidden, (list, tuple)):
        raise ValueError(f"{name}: the hidden layers' widths must be a list, got {hidden!r}")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"{name}: {len(hidden)} hidden layers, more than {MAX_HIDDEN_LAYERS}")
    return tuple(_check_range(whole_number(f"{name}: each width", n), f"{name}: a layer's width", 1, MAX_WIDTH) for n in hidden)


def _check_points(n, name):
    return _check_range(whole_number(name, n, minimum=2), name, 2, MAX_POINTS)


def _check_lr(lr, name):
    return positive_number(name, lr)


def _check_seed(seed, name):
    return _check_range(whole_number(name, seed, minimum=0), name, 0, MAX_SEED)


def _check_activation(activation, name):
    if activation not in ACTIVATION_NAMES.values():
        raise ValueError(f"{name}: unknown activation {activation!r}; choose relu, tanh, sigmoid or linear (None)")
    return activation


def _check_batch_size(batch_size, name):
    """None (all the training points) or a whole number from 1 to 2,000."""
    return None if batch_size is None else _check_range(whole_number(name, batch_size), name, 1, MAX_POINTS)


def _check_noise(noise, name):
    return _check_range(finite_number(name, noise), name, 0.0, MAX_NOISE)


def _check_test_fraction(fraction, name):
    return _check_range(finite_number(name, fraction), name, 0.0, MAX_TEST_FRACTION)


def _check_step_size(hidden, batch_size, n_train):
    """A `SettingError` for the batch unless a step builds at most `MAX_STEP_VALUES` Values."""
    parameters = sum((n_in + 1) * n_out for n_in, n_out in zip([2, *hidden], [*hidden, 1]))
    batch = n_train if batch_size is None else min(batch_size, n_train)
    values = VALUES_PER_PARAMETER * parameters * batch
    if values > MAX_STEP_VALUES:
        raise SettingError(
            "batch", "all" if batch_size is None else str(batch_size),
            f"a step on {batch:,} points through {parameters:,} weights and biases would build about {values:,} "
            f"Values, more than {MAX_STEP_VALUES:,}: choose a batch of at most "
            f"{MAX_STEP_VALUES // (VALUES_PER_PARAMETER * parameters):,} points, or smaller hidden layers",
        )


def _check_range(number, name, low, high):
    if not low <= number <= high:
        raise ValueError(f"{name} must be from {low:,} to {high:,}, got {number!r}")
    return number


def _default_noise(data):
    """The noise a data set's maker draws with when given none: its own default."""
    return inspect.signature(DATASETS[data]).parameters["noise"].default


# --- the texts typed on the page, each `parse(text)` (spaces around removed): a value, else a ValueError -----


def _whole(text):
    """The whole number written in digits ("200")."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError("is not a whole number: type digits, like 200" if text else "is empty: type a whole number, like 200")
    return int(text[:13])  # more digits are beyond every limit (and int() refuses over 4,300)


def _number(text):
    """The number written ("0.1", "1e-3")."""
    try:
        return float(text)
    except ValueError:
        raise ValueError("is not a number: type one like 0.1" if text else "is empty: type a number, like 0.1") from None


def _widths(text):
    """"8,8" -> [8, 8]; "" -> [] (no hidden layer: a linear classifier)."""
    if not text:
        return []
    widths = [width.strip() for width in text.split(",")]
    if "" in widths:
        raise ValueError("a width is missing between two commas: type widths like 8,8")
    for width in widths:
        if not (width.isascii() and width.isdigit()):
            raise ValueError(f"{width!r} is not a whole number: type widths like 8,8")
    return [int(width[:13]) for width in widths]


SETTINGS = {
    "dataset": ("data", str, _check_data),
    "hidden": ("hidden", _widths, _check_hidden),
    "activation": ("activation", lambda text: ACTIVATION_NAMES.get(text, text), _check_activation),
    "lr": ("lr", _number, _check_lr),
    "batch": ("batch_size", lambda text: None if text == "all" else _whole(text), _check_batch_size),
    "noise": ("noise", _number, _check_noise),
    "test": ("test_fraction", _number, _check_test_fraction),
    "points": ("n_samples", _whole, _check_points),
    "seed": ("seed", _whole, _check_seed),
}
"""A key of `settings()` -> (the constructor's argument, the parser of its text, the argument's check)."""
