"""Ops of one's own (autograd/engine/extend.py): a formula with an unknown
name is refused, and a new op gets the same derivative everywhere."""

import math

import pytest

from autograd import OPS, Value, backward_steps, compile
from autograd.engine import extend as op_table
from autograd.engine.value import result_node


def _double(a):
    return result_node(2.0 * a.data, a, None, "double")


@pytest.mark.parametrize(
    "local_grads, unknown",
    [(("hypot(a, 1.0)",), "hypot"), (("b",), "b"), (("2.0 * pi",), "pi")],
)
def test_register_refuses_a_formula_with_an_unknown_name(local_grads, unknown):
    with pytest.raises(ValueError, match=f"'double'.*uses the name '{unknown}'"):
        op_table.register("double", _double, local_grads)
    assert "double" not in OPS


@pytest.fixture
def cube_root():
    """A new function of one value whose derivative calls another op's float function."""
    op = op_table.register_function("cbrt", lambda x: math.copysign(abs(x) ** (1 / 3), x), "1 / (3 * sqrt(a) ** (4 / 3))",
                         "a ** (1/3) for a > 0.  Local derivative: 1 / (3 a**(2/3)).")
    yield op
    op_table.unregister("cbrt")
    assert "cbrt" not in OPS and not hasattr(Value, "cbrt") and "cbrt" not in op_table.NAMESPACE


def test_a_new_op_gets_the_same_derivative_everywhere(cube_root):
    """backward(), the step-through and compile() evaluate the formula in one namespace."""
    x = Value(8.0, label="x")
    y = x.cbrt()
    expected = 1 / (3 * 8.0 ** (2 / 3))  # 1/12
    step = next(backward_steps(y))
    assert f"= {expected:.4f}" in str(step) and x.grad == pytest.approx(expected)
    x.grad = 0.0
    y.backward()
    assert x.grad == pytest.approx(expected)
    assert compile(y, [x])(8.0)[1][0] == pytest.approx(expected)
