"""`Neuron`, `Layer` and `MLP`: micrograd's networks, with a choice of init.

A neuron computes act(b + w0*x0 + w1*x1 + ...); a layer is neurons side by
side reading the same inputs; an MLP is layers one after another.  Calling
any of them on a list of numbers or Values builds the graph of the forward
pass, so `backward()` on a loss reaches every weight.
"""

import random

from autograd import Value
from autograd.engine.value import weighted_sum

from . import serialize
from .checks import whole_number
from .init import draw_weight, scheme_for
from .module import Module, numbered_parameters

ACTIVATIONS = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid, None: None}
"""Activation name -> the Value method that applies it (None: linear)."""

DEFAULT_INIT = "uniform"
"""micrograd's U(-1, 1): measured best for MLP(2, [16, 16, 1]) on moons (benchmarks/README.md)."""


def _activation(activation, nonlin=None):
    """The activation's name; micrograd's `nonlin` True / False (also passed as `activation`) is relu / linear."""
    if nonlin is not None:
        activation = nonlin
    if activation is True or activation is False:
        activation = "relu" if activation else None
    return _check_activation(activation)


def weight_rng(seed):
    """Where initial weights come from: a private `random.Random(seed)`, or the global `random` for None."""
    return random if seed is None else random.Random(seed)


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        names = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; choose one of {names}")
    return activation


def _check_inputs(x, nin, owner):
    """An error naming `owner` (a Neuron or Layer, written out only then) unless x is a list of nin inputs."""
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{owner!r} takes a list of {nin} numbers or Values, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{owner!r} takes {nin} inputs, got {len(x)}")


class Neuron(Module):
    """out = act(b + sum_i w_i * x_i), with act one of relu, tanh, sigmoid or None.

    `init` picks how the weights are drawn (see `nn.init`); `fan_out` is the
    width of the layer the neuron sits in, which Xavier needs.  Draws come
    from `rng`, else from a private `random.Random(seed)`, so `seed=` makes a
    neuron reproducible without touching the global RNG; with neither they
    come from the global `random`, so `random.seed(1337)` works as in micrograd.
    micrograd's `Neuron(nin, nonlin=False)` (a linear neuron) works too.
    """

    def __init__(self, nin, activation="relu", init=DEFAULT_INIT, seed=None, *, fan_out=1, rng=None, nonlin=None):
        self.nin = whole_number("nin", nin)
        self.activation = activation = _activation(activation, nonlin)
        rng = rng if rng is not None else weight_rng(seed)
        scheme = scheme_for(init, activation)
        self.w = [Value(draw_weight(scheme, nin, fan_out, rng), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.0, label="b")

    def __call__(self, x):
        _check_inputs(x, self.nin, self)
        act = weighted_sum(self.b, self.w, x)
        apply = ACTIVATIONS[self.activation]
        return apply(act) if apply else act

    @property
    def nonlin(self):
        """Whether the neuron applies an activation (micrograd's name)."""
        return self.activation is not None

    def named_parameters(self):
        return [(f"w.{i}", wi) for i, wi in enumerate(self.w)] + [("b", self.b)]

    def __repr__(self):
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons reading the same `nin` inputs; returns their outputs.

    Calling a layer returns a list, or a single Value when `nout` is 1, as
    in micrograd.  `forward(x)` always returns the list.  micrograd's
    `Layer(nin, nout, nonlin=False)` works too.
    """

    def __init__(self, nin, nout, activation="relu", init=DEFAULT_INIT, seed=None, *, rng=None, nonlin=None):
        self.nin = whole_number("nin", nin)
        self.nout = whole_number("nout", nout)
        self.activation = activation = _activation(activation, nonlin)
        rng = rng if rng is not None else weight_rng(seed)
        self.neurons = [Neuron(nin, activation, init, fan_out=nout, rng=rng) for _ in range(nout)]

    def forward(self, x):
        """The list of the neurons' outputs for inputs `x`."""
        _check_inputs(x, self.nin, self)
        return [neuron(x) for neuron in self.neurons]

    def __call__(self, x):
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def named_parameters(self):
        return numbered_parameters("neurons", self.neurons)

    def __repr__(self):
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: `Layer`s of widths `nouts` after `nin` inputs.

    Hidden layers use `activation`, the last layer `out_activation` (None:
    linear, so a binary classifier's single output is a logit or margin).
    `MLP(2, [16, 16, 1])` has 2*16+16 + 16*16+16 + 16*1+1 = 337 parameters.

    `init` chooses the initial weights: "uniform" (the default), "xavier",
    "he" or "auto" (see `nn.init`).  `seed=` makes them reproducible as in
    `Neuron`, leaving the global `random` alone.
    """

    def __init__(self, nin, nouts, activation="relu", out_activation=None, init=DEFAULT_INIT, seed=None):
        if not isinstance(nouts, (list, tuple)) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer widths, got {nouts!r}")
        self.nin = whole_number("nin", nin)
        self.nouts = [whole_number("each layer width", n) for n in nouts]
        self.activation = _check_activation(activation)
        self.out_activation = _check_activation(out_activation)
        rng = weight_rng(seed)
        sizes = [nin] + self.nouts
        last = len(self.nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], out_activation if i == last else activation, init, rng=rng)
            for i in range(len(self.nouts))
        ]

    def __call__(self, x):
        """The network's output: one Value if the last layer has one neuron, else a list."""
        for layer in self.layers:
            x = layer.forward(x)
        return x[0] if len(x) == 1 else x

    def named_parameters(self):
        return numbered_parameters("layers", self.layers)

    def config(self):
        """The architecture as plain data: enough to rebuild an MLP of this shape."""
        return {
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "out_activation": self.out_activation,
        }

    def save(self, path):
        """Write `config()` and `state_dict()` to `path` as JSON, atomically (see `nn.serialize`)."""
        serialize.save(self, path)

    @classmethod
    def load(cls, path):
        """The MLP saved at `path`; a ValueError names the file and what is wrong."""
        return serialize.load(cls, path)

    def to_torch(self):
        """An equivalent float64 `torch.nn.Sequential` with the same weights."""
        return serialize.to_torch(self)

    def __repr__(self):
        return f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, out_activation={self.out_activation!r})"
