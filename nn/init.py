"""Initial weights: micrograd's uniform draw, Xavier (Glorot) and He (Kaiming).

A neuron's weights are drawn from `rng` given the layer's fan-in (inputs per
neuron) and fan-out (neurons in the layer); biases start at 0.0.

- "uniform": U(-1, 1), as micrograd does (the default);
- "xavier":  U(-a, a), a = sqrt(6 / (fan_in + fan_out)): variance 2 / (fan_in + fan_out),
             which keeps tanh and sigmoid out of saturation (Glorot and Bengio, 2010);
- "he":      N(0, 2 / fan_in), making up for ReLU zeroing half its inputs (He et al., 2015);
- "auto":    He for ReLU neurons, Xavier for tanh, sigmoid and linear ones.
"""

import math

SCHEMES = ("auto", "uniform", "xavier", "he")


def initial_weights(init, activation, fan_in, fan_out, rng):
    """The `fan_in` weights of a neuron with `activation`, drawn under the scheme `init`."""
    if init not in SCHEMES:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(map(repr, SCHEMES))}")
    if init == "auto":
        init = "he" if activation == "relu" else "xavier"
    if init == "he":
        return [rng.gauss(0.0, math.sqrt(2.0 / fan_in)) for _ in range(fan_in)]
    bound = 1.0 if init == "uniform" else math.sqrt(6.0 / (fan_in + fan_out))
    return [rng.uniform(-bound, bound) for _ in range(fan_in)]
