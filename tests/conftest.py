import pytest


@pytest.fixture
def tanh_neuron():
    """The worked tanh neuron of the lesson texts, with its labelled nodes."""
    from nn.demo import tanh_neuron as build

    o, nodes = build()
    nodes["o"] = o
    return nodes

