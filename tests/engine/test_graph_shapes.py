"""Graph shapes that broke other engines: `a + a`, a reused interior node,
a chain far deeper than the recursion limit, `backward()` called twice."""

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


def test_backward_twice_accumulates_in_leaves_only():
    x = Value(1.0)
    y = x * 2
    L = y * 3
    L.backward()
    L.backward()
    assert x.grad == 12.0  # leaves accumulate
    assert y.grad == 3.0  # interior nodes are recomputed
    assert L.grad == 1.0


def test_backward_on_a_leaf_accumulates_one():
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_repeated_use():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_reused_interior_node():
    a = Value(2.0)
    b = a * 3  # used by two parents
    c = b * b + b
    c.backward()
    # c = 9a^2 + 3a, dc/da = 18a + 3
    assert a.grad == 39.0
    assert b.grad == 2 * 6.0 + 1
