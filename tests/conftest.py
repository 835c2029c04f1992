import pytest

from autograd import Value


@pytest.fixture
def tanh_neuron():
    """The worked tanh neuron of the lesson texts, with its labelled nodes."""
    from nn.demo import tanh_neuron as build

    o, nodes = build()
    nodes["o"] = o
    return nodes


def close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(b))


@pytest.fixture
def leaf():
    return lambda x, label="": Value(x, label)
