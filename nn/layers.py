"""`Neuron`, `Layer` and `MLP`: micrograd's networks, with a choice of init.

A neuron computes act(b + w0*x0 + w1*x1 + ...); a layer is neurons side by
side reading the same inputs; an MLP is layers one after another.  Calling
any of them on a list of numbers or Values builds the graph of the forward
pass, so `backward()` on a loss reaches every weight.
"""

import random

from autograd.engine.value import Value, weighted_sum

from .checks import whole_number
from .init import initial_weights
from .module import Module, load_model, numbered_parameters, save_model

ACTIVATIONS = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid, None: None}
"""Activation name -> the Value method that applies it (None: linear)."""
NEURON_KINDS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", None: "Linear"}  # micrograd's ReLUNeuron, torch.nn.ReLU

DEFAULT_INIT = "uniform"


def _activation(activation, nonlin=None):
    """The activation's name; micrograd's `nonlin` True / False (also passed as `activation`) is relu / linear."""
    if nonlin is not None:
        activation = nonlin
    if activation is True or activation is False:
        activation = "relu" if activation else None
    return _check_activation(activation)


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}")
    return activation


def weight_rng(seed):
    """Where initial weights come from: a private `random.Random(seed)`, or the global `random` for None."""
    return random if seed is None else random.Random(seed)


def _check_inputs(x, nin, owner):
    """An error naming `owner` (a Neuron or Layer, written out only then) unless x is a list of nin inputs."""
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{owner!r} takes a list of {nin} numbers or Values, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{owner!r} takes {nin} inputs, got {len(x)}")


class Neuron(Module):
    """out = act(b + sum_i w_i * x_i), act one of relu, tanh, sigmoid or None (linear).

    `init` names the scheme of `nn.init`; `fan_out` is the width of the neuron's layer (Xavier needs it).
    Weights are drawn from `rng`, else `weight_rng(seed)`: `seed=` leaves the global `random` alone,
    no seed draws from it, so `random.seed(1337)` works as in micrograd, and so does `nonlin=False`.
    """

    def __init__(self, nin, activation="relu", init=DEFAULT_INIT, seed=None, *, fan_out=1, rng=None, nonlin=None):
        self.nin = whole_number("nin", nin)
        self.activation = activation = _activation(activation, nonlin)
        weights = initial_weights(init, activation, nin, fan_out, rng if rng is not None else weight_rng(seed))
        self.w = [Value(w, label=f"w{i}") for i, w in enumerate(weights)]
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

    def parameters(self):  # micrograd's, as named_parameters() orders them, without building names
        return [*self.w, self.b]

    def __repr__(self):
        return f"Neuron({self.nin}, activation={self.activation!r})"

    def __str__(self):
        return f"{NEURON_KINDS[self.activation]}Neuron({self.nin})"


class Layer(Module):
    """`nout` neurons reading the same `nin` inputs: called, their outputs (one Value when `nout` is 1,
    as in micrograd); `forward(x)` always returns the list."""

    def __init__(self, nin, nout, activation="relu", init=DEFAULT_INIT, seed=None, *, rng=None, nonlin=None):
        self.nin = whole_number("nin", nin)
        self.nout = whole_number("nout", nout)
        self.activation = activation = _activation(activation, nonlin)
        rng = rng if rng is not None else weight_rng(seed)
        self.neurons = [Neuron(nin, activation, init, fan_out=nout, rng=rng) for _ in range(nout)]

    def forward(self, x):
        _check_inputs(x, self.nin, self)
        return [neuron(x) for neuron in self.neurons]

    def __call__(self, x):
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def named_parameters(self):
        return numbered_parameters("neurons", self.neurons)

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self):
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"

    def __str__(self):
        return f"Layer of [{', '.join(map(str, self.neurons))}]"


class MLP(Module):
    """`Layer`s of widths `nouts` after `nin` inputs: `activation` in the hidden layers, `out_activation`
    in the last (None: linear, so a binary classifier's one output is a logit or margin).
    `MLP(2, [16, 16, 1])` has 2*16+16 + 16*16+16 + 16*1+1 = 337 parameters; `init` and `seed` as in `Neuron`.
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

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def config(self):
        """The architecture as plain data: `MLP(**config)` rebuilds it."""
        return {
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "out_activation": self.out_activation,
        }

    def save(self, path):
        """Write `config()` and `state_dict()` to `path` as JSON, atomically (see `nn.module`)."""
        save_model(self, path)

    @classmethod
    def load(cls, path):
        """The MLP saved at `path`, a regular file of at most 64 MiB; a ValueError names the file and what is wrong."""
        return load_model(cls, path)

    def to_torch(self):
        """A float64 `torch.nn.Sequential` computing the same: per layer a `torch.nn.Linear` (weight row j:
        neuron j's weights; bias[j]: its bias), then its activation, if any.  Imports PyTorch only here."""
        try:
            import torch
        except ImportError:
            raise ImportError("to_torch needs PyTorch, which is not installed: pip install torch") from None
        modules = []
        for layer in self.layers:
            linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
                linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
            modules.append(linear)
            if layer.activation is not None:
                modules.append(getattr(torch.nn, NEURON_KINDS[layer.activation])())
        return torch.nn.Sequential(*modules)

    def __repr__(self):
        return f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, out_activation={self.out_activation!r})"

    def __str__(self):
        """`print(model)`: every layer and neuron, as micrograd prints them; the repr stays short."""
        return f"MLP of [{', '.join(map(str, self.layers))}]"
