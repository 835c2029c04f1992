"""Initial weights: micrograd's uniform draw, Xavier (Glorot) and He (Kaiming).

Each scheme draws one weight from `rng`, a private `random.Random`, given the
layer's fan-in (inputs per neuron) and fan-out (neurons in the layer):

- "uniform": U(-1, 1), as micrograd does (the default: measured best, see benchmarks/README.md);
- "xavier":  U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), so the variance
             2 / (fan_in + fan_out) keeps tanh and sigmoid layers out of
             saturation (Glorot and Bengio, 2010);
- "he":      N(0, 2 / fan_in), which makes up for ReLU zeroing half of its
             inputs (He et al., 2015);
- "auto":    He for ReLU neurons, Xavier for tanh, sigmoid and linear ones.

Biases start at 0.0 in every scheme.
"""

import math

SCHEMES = ("auto", "uniform", "xavier", "he")


def scheme_for(init, activation):
    """The concrete scheme `init` means for a neuron with `activation`."""
    if init not in SCHEMES:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(map(repr, SCHEMES))}")
    if init == "auto":
        return "he" if activation == "relu" else "xavier"
    return init


def draw_weight(scheme, fan_in, fan_out, rng):
    """One initial weight under `scheme` (not "auto": resolve it first)."""
    if scheme == "uniform":
        return rng.uniform(-1.0, 1.0)
    if scheme == "xavier":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound)
    if scheme == "he":
        return rng.gauss(0.0, math.sqrt(2.0 / fan_in))
    raise ValueError(f"unknown init scheme {scheme!r}")
