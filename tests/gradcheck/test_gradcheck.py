"""The gradient checker is itself checked: a wrong derivative must fail."""

import pytest

from autograd import OPS, Value, gradcheck, no_grad
from autograd.engine import extend as op_table
from autograd.engine.value import is_grad_enabled


def test_a_right_gradient_passes_and_the_report_says_so():
    report = gradcheck(lambda x, y: x * y + x.tanh(), [Value(0.5, label="x"), 2.0])
    assert report.ok and bool(report)
    assert [row.name for row in report.rows] == ["x", "inputs[1]"]
    assert "passed" in str(report)


def test_the_callers_nodes_keep_their_grads():
    x = Value(0.5, label="x")
    x.grad = 7.0
    gradcheck(lambda v: v * v, [x])
    assert x.grad == 7.0


def test_values_f_uses_from_outside_keep_their_grads():
    w = Value(3.0, label="w")  # a weight that f captures, not an input
    w.grad = 0.25
    report = gradcheck(lambda v: v * w, [Value(2.0)])
    assert report.rows[0].analytic == 3.0
    assert w.grad == 0.25


def test_inside_no_grad_the_check_still_builds_its_graph():
    with no_grad():
        report = gradcheck(lambda x: x.sin() * x, [1.0])
        assert not is_grad_enabled()  # still no_grad after the check
    assert report.ok
    assert report.rows[0].analytic == pytest.approx(1.3817732906760363, abs=1e-15)  # cos(1) + sin(1)


def test_an_input_that_is_not_a_number_is_named():
    with pytest.raises(TypeError, match=r"inputs\[0\].*str '3'"):
        gradcheck(lambda v: v * v, ["3"])


@pytest.fixture
def wrong_tanh():
    """tanh with a deliberately wrong local derivative: 1 - out instead of 1 - out**2."""
    original = OPS["tanh"]
    op_table.register("tanh", original.forward, ("1 - out",), methods=("tanh",))
    yield
    OPS["tanh"] = original


def test_a_wrong_derivative_fails_and_is_named(wrong_tanh):
    report = gradcheck(lambda x, y: x.tanh() * y, [Value(0.5, label="x"), Value(3.0, label="y")])
    assert not report.ok
    assert [row.name for row in report.failures] == ["x"]
    row = report.failures[0]
    # Analytic 3 * (1 - tanh(0.5)), numeric 3 * (1 - tanh(0.5)**2).
    assert row.error > 0.1
    assert "FAILED for x" in str(report) and "disagrees" in str(report)


def test_gradcheck_needs_a_value_back():
    with pytest.raises(TypeError, match="float"):
        gradcheck(lambda x: 1.0, [1.0])


@pytest.fixture
def wrong_mul():
    """* with a deliberately wrong local derivative for b: b instead of a (its rule is written into backward's loop)."""
    original = OPS["*"]
    op_table.register("*", original.forward, ("b", "b"), methods=("__mul__",))
    yield
    OPS["*"] = original


def test_a_wrong_derivative_of_an_inlined_op_fails_too(wrong_mul):
    report = gradcheck(lambda x, y: x * y, [Value(0.5, label="x"), Value(3.0, label="y")])
    assert [row.name for row in report.failures] == ["y"]
