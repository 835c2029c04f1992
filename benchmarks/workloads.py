"""The benchmark's workloads, written once and run on every engine.

An engine is a small adapter: how to make a leaf, apply relu, run
backward and update parameters.  The model code itself (`mlp_loss`,
`chain`, `wide`) is shared, so every engine computes the very same
floating-point operations in the same order.
"""

import random

from nn.data import make_moons

SHAPE = (2, 16, 16, 1)
"""MLP(2, [16, 16, 1]) as in micrograd's demo: relu hidden layers, linear out."""


# --- data and initial weights, the same for every engine ---------------------


def hinge_moons(n, seed=1337):
    """`n` points of `nn.data.make_moons` (noise 0.1), labels -1 and +1 for the hinge loss."""
    X, y = make_moons(n, noise=0.1, seed=seed)
    return [tuple(point) for point in X], [2.0 * label - 1.0 for label in y]


def initial_weights(shape=SHAPE, seed=0):
    """Layers of (weights, bias) as floats: weights uniform in [-1, 1], bias 0."""
    rng = random.Random(seed)
    return [
        [([rng.uniform(-1.0, 1.0) for _ in range(n_in)], 0.0) for _ in range(n_out)]
        for n_in, n_out in zip(shape, shape[1:])
    ]


# --- the shared model code ------------------------------------------------------


def mlp(layers, x, relu):
    """The MLP's output for one point; `layers` holds (weights, bias) per neuron."""
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        acts = [sum((w * xi for w, xi in zip(ws, x)), b) for ws, b in layer]
        x = acts if i == last else [relu(a) for a in acts]
    return x[0]


def mlp_loss(model, parameters, points, labels, leaf, relu, alpha=1e-4):
    """micrograd demo's loss: mean hinge loss + alpha * sum of squared parameters.

    `model(x)` is the network's output for one point x (a list of two leaves).
    """
    inputs = [[leaf(a), leaf(b)] for a, b in points]
    scores = [model(x) for x in inputs]
    losses = [relu(1 + -y * score) for y, score in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in parameters)
    return data_loss + reg_loss


def chain_output(x, depth):
    """y = y * 1.0001 + 0.5, `depth` times, starting from x."""
    y = x
    for _ in range(depth):
        y = y * 1.0001 + 0.5
    return y


def wide_output(ws, xs, b, relu):
    """One relu neuron with len(ws) inputs."""
    return relu(sum((w * x for w, x in zip(ws, xs)), b))
