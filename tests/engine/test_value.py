"""The `Value` API and the semantics of `backward()`.

The graph shapes that broke other engines (`a + a`, a reused interior node,
a deep chain, `backward()` twice) are in test_graph_shapes.py."""

import gc

import pytest

from autograd import OPS, Value, backward_steps, no_grad


def test_attributes_of_a_new_leaf():
    v = Value(3, label="v")
    assert v.data == 3.0 and type(v.data) is float
    assert v.grad == 0.0 and v.label == "v"
    assert v.children == () and v._op == ""
    v._backward()  # a leaf's step does nothing
    assert v.grad == 0.0


def test_children_are_ordered_one_per_use():
    a, b = Value(1.0), Value(2.0)
    assert (a + a).children == (a, a)
    assert (a - b).children == (a, b)
    assert (b - a).children == (b, a)
    assert (a * b)._op == "*" and (a + b)._op == "+"
    assert a.tanh()._op == "tanh" and a.tanh().children == (a,)


def test_repr():
    o = Value(0.7071067811865476, label="o")
    o.grad = 1.0
    assert repr(o) == "Value(data=0.7071067811865476, grad=1.0, label='o')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


@pytest.mark.parametrize(
    "expression, expected",
    [
        (lambda a: a + 2, 5.0),
        (lambda a: 2 + a, 5.0),
        (lambda a: a - 2, 1.0),
        (lambda a: 2 - a, -1.0),
        (lambda a: a * 2, 6.0),
        (lambda a: 2 * a, 6.0),
        (lambda a: a / 2, 1.5),
        (lambda a: 6 / a, 2.0),
        (lambda a: a**2, 9.0),
        (lambda a: 2**a, 8.0),
        (lambda a: -a, -3.0),
        (lambda a: abs(-a), 3.0),
    ],
)
def test_numbers_on_either_side(expression, expected):
    assert expression(Value(3.0)).data == expected


def test_value_exponent_differentiates_both_sides():
    a, b = Value(2.0), Value(3.0)
    c = a**b
    c.backward()
    assert c.data == 8.0
    assert abs(a.grad - 3 * 2.0**2) < 1e-12
    assert abs(b.grad - 8.0 * 0.6931471805599453) < 1e-12


def test_zero_grad():
    a = Value(2.0)
    c = a * a
    c.backward()
    c.zero_grad()
    assert a.grad == 0.0 and c.grad == 0.0


def test_a_leaf_grad_of_none_counts_as_zero():
    a, b = Value(1.0, label="a"), Value(1.0, label="b")
    loss = a * 10 + b * 10
    a.grad = None  # PyTorch's way of clearing a grad; PyTorch's next backward() starts it from 0
    loss.backward()
    assert (a.grad, b.grad) == (10.0, 10.0)
    loss.backward()  # the next pass adds to it: nothing is counted twice
    assert (a.grad, b.grad) == (20.0, 20.0)
    b.grad = None
    list(backward_steps(a * 2 + b))  # stepping starts every grad from 0.0, a None too
    assert b.grad == 1.0


def test_a_root_leaf_with_grad_none_counts_as_zero():
    x = Value(1.0)
    x.grad = None
    x.backward()
    assert x.grad == 1.0


def test_no_grad_builds_no_graph():
    a = Value(2.0)
    with no_grad():
        b = a * 3 + 1
        with no_grad():
            pass
        c = b.tanh()
    assert b.children == () and b._op == "" and c.children == ()
    assert (a * 3).children != ()  # back on after the block


def test_no_op_keeps_its_operands_under_no_grad():
    a, b = Value(0.5), Value(2.0)
    with no_grad():
        results = {name: op.forward(*(a, b)[: op.arity]) for name, op in OPS.items()}
    for name, result in results.items():
        assert (result.children, result._op) == ((), ""), f"{name} kept a graph under no_grad()"


def test_detach_cuts_the_graph():
    a = Value(2.0, label="a")
    d = (a * 3).detach()
    e = d * a
    e.backward()
    assert d.children == () and d.data == 6.0
    assert a.grad == 6.0  # only through the direct use


def test_a_graph_is_freed_without_the_garbage_collector():
    """No node refers to itself, so reference counting alone frees a graph."""
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = ((x * 2 + 1).tanh() ** 2).exp()
        y.backward()
        y._backward()  # a closure made on access must not stay behind
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_every_op_is_in_the_table_with_a_docstring():
    for name, op in OPS.items():
        assert op.forward.__doc__ and "derivative" in op.forward.__doc__.lower(), name
        assert len(op.local_grads) == op.arity in (1, 2)


def test_a_numpy_array_on_either_side_of_an_op_gives_the_same():
    import numpy as np

    x = Value(3.0)
    for op in (lambda a, b: a * b, lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a / b, lambda a, b: a**b):
        right, left = op(x, np.array(2.0)), op(np.array(2.0), x)
        assert type(right) is Value and type(left) is Value and type(right.data) is float
    assert (x * np.array(2.0)).data == (np.array(2.0) * x).data == 6.0
    assert [v.data for v in x * np.array([1.0, 2.0])] == [3.0, 6.0]  # each element, as numpy does


def test_numpy_numbers_become_plain_floats():
    import numpy as np

    x = Value(np.float64(1.5))
    assert type(x.data) is float
    for y in (x * np.float64(2.0), np.float64(2.0) * x, x + np.int64(1), x ** np.float32(2.0)):
        assert type(y) is Value and type(y.data) is float


def test_a_grad_of_none_shows_as_none():
    from autograd import draw_dot, grad_table

    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    x.grad = y.grad = None
    assert repr(x) == "Value(data=2.0, grad=None, label='x')"
    assert "grad None" in draw_dot(y).source
    table = grad_table(y)
    assert table["x"].grad is None and "None" in str(table)
    assert x.grad is None and y.grad is None  # the table's own pass put them back


def test_enable_grad_records_inside_no_grad_and_gives_the_mode_back():
    from autograd import enable_grad
    from autograd.engine.value import is_grad_enabled

    a = Value(2.0)
    with no_grad():
        with enable_grad():
            assert (a * 3)._op == "*" and (a * 3).children[0] is a
            assert is_grad_enabled()
        assert (a * 3)._op == "" and not is_grad_enabled()
    assert is_grad_enabled()
