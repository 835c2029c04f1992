"""The worked examples of the lesson texts, checked to the last digit."""

import math

from autograd import Value


def test_tanh_neuron_forward_and_grads(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    assert abs(o.data - 0.7071067811865476) < 1e-12
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5}
    for name, grad in expected.items():
        assert abs(tanh_neuron[name].grad - grad) < 1e-12, name


def test_tanh_neuron_by_hand_stepping(tanh_neuron):
    """The lecture's way: seed o.grad, then call each node's _backward."""
    o, n = tanh_neuron["o"], tanh_neuron["n"]
    o.grad = 1.0
    o._backward()
    assert abs(n.grad - (1 - o.data**2)) < 1e-15
    n._backward()
    sum_node, b = n.children  # in order; `_prev` is a set, as in micrograd
    assert b is tanh_neuron["b"] and abs(b.grad - 0.5) < 1e-12
    sum_node._backward()
    for product in sum_node._prev:
        product._backward()
    assert abs(tanh_neuron["x1"].grad - (-1.5)) < 1e-12
    assert abs(tanh_neuron["w1"].grad - 1.0) < 1e-12


def test_tanh_written_from_exp_gives_the_same_grads():
    def neuron(tanh):
        x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
        b = Value(6.8813735870195432)
        o = tanh(x1 * w1 + x2 * w2 + b)
        o.backward()
        return o.data, [v.grad for v in (x1, x2, w1, w2, b)]

    def tanh_from_exp(n):
        e = (2 * n).exp()
        return (e - 1) / (e + 1)

    data, grads = neuron(Value.tanh)
    data2, grads2 = neuron(tanh_from_exp)
    assert abs(data - data2) < 1e-12
    assert all(abs(g - h) < 1e-12 for g, h in zip(grads, grads2))


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_sigmoid_2_2_1_network():
    """Seed 002: h1 = 0.797, h2 = 0.441, y = 0.741 (0.7416 unrounded)."""
    x1, x2 = Value(0.888, label="x1"), Value(-0.49, label="x2")
    w = [Value(v, label=f"w{i + 1}") for i, v in enumerate([1.76, 0.4, 0.97, 2.24, 1.86, -0.97])]
    b1, b2, b3 = Value(0.0), Value(0.0), Value(0.0)
    h1 = (x1 * w[0] + x2 * w[1] + b1).sigmoid()
    h2 = (x1 * w[2] + x2 * w[3] + b2).sigmoid()
    y = (h1 * w[4] + h2 * w[5] + b3).sigmoid()
    assert round(h1.data, 3) == 0.797
    assert round(h2.data, 3) == 0.441
    assert round(y.data, 4) == 0.7416
    # The seed's 0.741 is 0.7416... cut (not rounded) to three decimals;
    # feeding its rounded h1, h2 forward gives 0.7417, so that is not it.
    assert math.floor(y.data * 1000) / 1000 == 0.741
    assert round(_sigmoid(0.797 * 1.86 + 0.441 * -0.97), 4) == 0.7417

    y.backward()
    # Hand-derived: dy/da3 = y(1 - y); dy/dw5 = dy/da3 * h1;
    # dy/dw1 = dy/da3 * w5 * h1(1 - h1) * x1.
    dy_da3 = y.data * (1 - y.data)
    assert abs(w[4].grad - dy_da3 * h1.data) < 1e-12
    assert abs(w[5].grad - dy_da3 * h2.data) < 1e-12
    assert abs(b3.grad - dy_da3) < 1e-12
    dy_da1 = dy_da3 * 1.86 * h1.data * (1 - h1.data)
    assert abs(w[0].grad - dy_da1 * 0.888) < 1e-12
    assert abs(w[1].grad - dy_da1 * -0.49) < 1e-12
    dy_da2 = dy_da3 * -0.97 * h2.data * (1 - h2.data)
    assert abs(x1.grad - (dy_da1 * 1.76 + dy_da2 * 0.97)) < 1e-12


def test_evaluation_trace_example():
    """Baydin et al. 2018: f = ln(x1) + x1*x2 - sin(x2) at (2, 5)."""
    x1, x2 = Value(2.0), Value(5.0)
    y = x1.log() + x1 * x2 - x2.sin()
    y.backward()
    assert round(y.data, 3) == 11.652
    assert abs(x1.grad - 5.5) < 1e-12  # 1/x1 + x2
    assert abs(x2.grad - (2.0 - math.cos(5.0))) < 1e-12  # x1 - cos(x2)
    assert round(x2.grad, 3) == 1.716
