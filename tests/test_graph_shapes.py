"""Graph shapes that broke other engines."""

import sys

from autograd import Value


def test_million_deep_chain_under_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    # d/dx (x * c**n) = c**n
    assert abs(x.grad - 1.0000001**1_000_000) < 1e-9 * x.grad
    del y  # freeing a million-deep chain must not crash either


def test_diamond_sums_both_paths():
    x = Value(3.0)
    left, right = x * 2, x * 5
    top = left * right  # 10 x^2
    top.backward()
    assert x.grad == 60.0


def test_shared_subgraph_is_visited_once_per_backward():
    x = Value(0.5)
    h = x.tanh()
    outs = [h * k for k in range(1, 6)]
    total = outs[0] + outs[1] + outs[2] + outs[3] + outs[4]
    total.backward()
    # d/dx 15 tanh(x) = 15 (1 - tanh^2)
    assert abs(x.grad - 15 * (1 - h.data**2)) < 1e-12
