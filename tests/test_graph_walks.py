"""The graph walks: parents before children, nothing about the nodes changed."""

from autograd import Value
from autograd.graph import all_nodes, interior_nodes_parents_first


def test_parents_come_before_children_and_leaves_are_left_out():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    a = x * y
    b = a + x
    c = b * a  # a is used twice
    order = interior_nodes_parents_first(c)
    assert order == [c, b, a]
    assert interior_nodes_parents_first(x) == []


def test_a_walk_changes_no_grad_and_can_be_repeated():
    x = Value(0.5)
    y = (x * x).tanh() + x
    y.backward()
    grads = [n.grad for n in all_nodes(y)]
    first = interior_nodes_parents_first(y)
    assert interior_nodes_parents_first(y) == first
    assert [n.grad for n in all_nodes(y)] == grads


def test_children_live_in_prev_as_a_tuple():
    a, b = Value(1.0), Value(2.0)
    assert (a * b)._prev == (a, b) and a.exp()._prev == (a,) and a._prev == ()
    made = Value(3.0, "", (a, b), "+")
    assert made._prev == (a, b) and made._op == "+"


class Interrupt(Exception):
    pass


class Exploding:
    """A child whose `_op` raises, as if the walk were interrupted there."""

    grad = 0.0

    @property
    def _op(self):
        raise Interrupt


def test_an_interrupted_backward_leaves_no_node_marked():
    x = Value(0.5)
    deep = ((x * 2).exp() + 1).tanh()
    inner = deep._prev[0]
    top = deep * x
    inner._b = Exploding()  # the walk gets halfway, then is interrupted
    try:
        top.backward()
    except Interrupt:
        pass
    else:
        raise AssertionError("the walk should have been interrupted")
    assert all(node.grad is not None for node in (top, deep, inner, x))
    inner._b = Value(1.0)
    top.backward()
    assert abs(x.grad - (deep.data + 0.5 * (1 - deep.data**2) * 2 * (x * 2).exp().data)) < 1e-12
