"""Bad input: a clear error that names the problem, and nothing changed, in the forward or in backward()."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import OPS, Value, no_grad
from tests.helpers.errors import raises_naming


@pytest.fixture
def graph():
    """A small graph after backward, so we can see nothing moves."""
    x = Value(-1.0, label="x")
    zero = Value(0.0, label="zero")
    big = Value(1000.0, label="big")
    out = x * zero + big.tanh()
    out.backward()
    nodes = [x, zero, big, out]
    snapshot = [(n.data, n.grad) for n in nodes]
    return x, zero, big, nodes, snapshot


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (lambda x, zero, big: x.log(), ValueError, ["log", "positive", "-1.0", "'x'"]),
        (lambda x, zero, big: zero.log(), ValueError, ["log", "0.0"]),
        (lambda x, zero, big: zero**-1, ZeroDivisionError, ["0", "-1"]),
        (lambda x, zero, big: zero / zero, ZeroDivisionError, ["division by zero", "'zero'"]),
        (lambda x, zero, big: 1 / zero, ZeroDivisionError, ["division by zero"]),
        (lambda x, zero, big: big.exp(), OverflowError, ["exp", "1000.0", "'big'"]),
        (lambda x, zero, big: x.sqrt(), ValueError, ["sqrt", "-1.0"]),
        (lambda x, zero, big: x**0.5, ValueError, ["not a real number"]),
        (lambda x, zero, big: (x * math.inf) ** 0.5, ValueError, ["-inf ** 0.5", "not a real number"]),  # torch: nan
        (lambda x, zero, big: zero.sqrt(), ValueError, ["sqrt(0.0)", "infinite derivative", "no_grad"]),
        (lambda x, zero, big: zero**0.5, ValueError, ["0.0 ** 0.5", "infinite derivative", "no_grad"]),
        (lambda x, zero, big: x ** Value(2.0), ValueError, ["base", "'x'"]),
        (lambda x, zero, big: big**big, OverflowError, ["overflow"]),
        # backward() of `a ** -2 + a` at a = 1e-154 would overflow in d/da = -2 * a**-3 after adding
        # some grads; the forward refuses it, so a graph holding it never gets a half backward.
        (
            lambda x, zero, big: ((zero + 1e-154) ** -2 + zero).backward(),
            OverflowError,
            ["derivative", "-2.0 * 1e-154 ** -3.0", "backward() could not run"],
        ),
    ],
)
def test_domain_errors_name_the_op_and_value(graph, bad, error, words):
    x, zero, big, nodes, snapshot = graph
    raises_naming(lambda: bad(x, zero, big), error, words)
    assert [(n.data, n.grad) for n in nodes] == snapshot


@pytest.mark.parametrize("bad", ["abc", None, [1.0], 1j])
def test_value_of_a_non_number_is_a_type_error(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


@pytest.mark.parametrize(
    "bad",
    [lambda v: v + "x", lambda v: v * "x", lambda v: "x" * v, lambda v: v - None, lambda v: v / [1], lambda v: v ** "2"],
)
def test_ops_with_a_non_number_name_its_type(bad):
    with pytest.raises(TypeError) as raised:
        bad(Value(1.0))
    assert "Value" in str(raised.value)


def test_reflected_op_with_a_non_number():
    with pytest.raises(TypeError, match="str"):
        "x" - Value(1.0)


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (lambda: Value(math.inf).sin(), ValueError, ["sin", "finite", "inf"]),
        (lambda: Value(-math.inf, label="q").cos(), ValueError, ["cos", "-inf", "'q'"]),
        (lambda: "a" + Value(1.0), TypeError, ["operand for +:", "a str and a Value"]),
        (lambda: Value(1.0) + "a", TypeError, ["operand for +:", "a Value and a str"]),
        (lambda: [1] * Value(2.0), TypeError, ["operand for *:", "a list and a Value"]),
        (lambda: Value(10**400), OverflowError, ["401 digits", "too big for a float"]),
        (lambda: Value(2.0) ** 10**400, OverflowError, ["operand of **", "401 digits"]),
    ],
)
def test_messages_name_the_op_and_the_value_in_order(bad, error, words):
    raises_naming(bad, error, words)


def test_tanh_and_sigmoid_are_finite_at_extremes():
    for x in (-1000.0, -50.0, 50.0, 1000.0):
        t, s = Value(x).tanh(), Value(x).sigmoid()
        assert math.isfinite(t.data) and math.isfinite(s.data)
        assert t.data == math.copysign(1.0, x)
        assert 0.0 <= s.data <= 1.0
        t.backward()
        s.backward()
        assert math.isfinite(t.children[0].grad) and math.isfinite(s.children[0].grad)
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


EXTREMES = [0.0, -0.0, 5e-324, -5e-324, 1e-154, -1e-154, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, -3.0,
            1e154, -1e154, 1.7e308, -1.7e308, math.inf, -math.inf, math.nan]


def _backward_if_accepted(name, a, b):
    """Run op `name` on leaves a (and b); if the forward accepts them, backward must not raise."""
    op = OPS[name]
    children = [Value(a), Value(b)][: op.arity]
    try:
        out = op.forward(*children)
    except (ArithmeticError, ValueError):
        return  # refused with a clear error; nothing was added anywhere
    (out + children[0]).backward()  # the leaf gets grad from two uses, as in `a ** -2 + a`


def test_backward_never_raises_at_extreme_values():
    """Every error is raised by the forward, so no backward stops with grads half added."""
    for name in OPS:
        for a in EXTREMES:
            for b in EXTREMES:
                _backward_if_accepted(name, a, b)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(OPS)), a=st.floats(), b=st.floats())
def test_backward_never_raises_when_the_forward_was_accepted(name, a, b):
    _backward_if_accepted(name, a, b)


def test_an_infinite_derivative_is_no_error_under_no_grad():
    """sqrt(0) and 0 ** 0.5 are refused only because backward() would need d/da = inf."""
    with no_grad():
        assert Value(0.0).sqrt().data == 0.0
        assert (Value(0.0) ** 0.5).data == 0.0


def test_a_huge_fraction_is_named_by_its_size_not_printed():
    from fractions import Fraction

    with pytest.raises(OverflowError) as raised:
        Value(Fraction(10**400, 3))
    message = str(raised.value)
    assert "a Fraction of about 400 digits is too big for a float" in message and len(message) < 100


def test_a_numpy_bool_is_named_as_such():
    import numpy as np

    with pytest.raises(TypeError, match=r"got numpy\.bool np\.True_ \(it is not a number type: convert it"):
        Value(np.bool_(True))
