"""A backward pass either completes or changes no grad."""

import pytest

from autograd import Value
from autograd.engine.graph import all_nodes


def _grads(root):
    return [node.grad for node in all_nodes(root)]


def _failing_graph(error):
    """out = x * h + y, where h's own _backward adds into x and then raises `error`."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    h = Value(x.data, (x,), "copy", label="h")
    fail = [True]

    def _backward():
        x.grad += h.grad
        if fail[0]:
            raise error

    h._backward = _backward
    return x, y, h, x * h + y, fail


@pytest.mark.parametrize("error", [ValueError("a rule failed"), KeyboardInterrupt()])
def test_a_pass_that_raises_changes_no_grad(error):
    x, y, h, out, fail = _failing_graph(error)
    fail[0] = False
    out.backward()  # once, so every grad holds something
    fail[0] = True
    y.grad = None
    before = _grads(out)
    with pytest.raises(type(error)):
        out.backward()
    assert _grads(out) == before  # x had 2 + 2 added before the failure: taken back, y's None kept
    fail[0] = False
    out.backward()  # the retry counts each pass once
    assert (x.grad, y.grad, h.grad, out.grad) == (8.0, 1.0, 2.0, 1.0)


def test_after_an_interrupt_zero_grad_and_backward_give_one_pass():
    x, y, h, out, fail = _failing_graph(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        out.backward()
    out.zero_grad()
    fail[0] = False
    out.backward()
    assert (x.grad, y.grad, h.grad, out.grad) == (4.0, 1.0, 2.0, 1.0)


def test_a_rule_that_fails_in_the_op_table_changes_no_grad():
    x, w = Value(2.0, label="x"), Value(5.0, label="w")
    out = w * 3 + x.log()
    w.grad = 7.0
    x.data = 0.0  # changed after the forward: log's rule 1 / x divides by zero, after w got its 3
    with pytest.raises(ZeroDivisionError):
        out.backward()
    assert (w.grad, x.grad, out.grad) == (7.0, 0.0, 0.0)
