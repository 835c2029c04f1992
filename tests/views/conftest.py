"""Fixtures shared by the view tests."""

import pytest

from autograd import Value


@pytest.fixture
def grad_set_to_none():
    """`x` and a hand-built `out` whose own `_backward` sets `x.grad` to None, as a slip can."""
    x = Value(2.0, label="x")
    out = Value(3.0, (x,), "own", label="out")

    def _backward():
        x.grad = None

    out._backward = _backward
    return x, out
