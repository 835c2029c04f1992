"""check_backward: a student's own op checked in the shapes where backward goes wrong.

Each op is written here the lecture's way, a node built by hand with its own
`_backward`, right or with one slip applied by this file's own code (not the
library's).  The expected numbers are derived by hand.
"""

import html
import inspect
import math

import pytest

from autograd import Value
from autograd.practice import check_backward


def hand_op(forward, local_grads, slip=None):
    """An op of one or two Values as the lecture writes it, with `slip`: None (right),
    "=" (assigns each child's grad in order, a then b), "no out.grad" (adds the local derivative alone)."""

    def op(*children):
        data = [child.data for child in children]
        out = Value(forward(*data), children, "hand")

        def _backward():
            for child, local in zip(children, local_grads(*data, out.data)):
                term = local if slip == "no out.grad" else local * out.grad
                if slip == "=":
                    child.grad = term
                else:
                    child.grad += term

        out._backward = _backward
        return out

    arity = len(inspect.signature(forward).parameters)
    return (lambda x: op(x)) if arity == 1 else (lambda a, b: op(a, b))


OPS = {  # name: (forward, right local derivatives, a wrong formula)
    "cube": (lambda x: x**3, lambda x, out: (3 * x**2,), lambda x, out: (3 * x,)),
    "tanh": (math.tanh, lambda x, out: (1 - out**2,), lambda x, out: (1 - x**2,)),  # wrong: at the input
    "mul": (lambda a, b: a * b, lambda a, b, out: (b, a), lambda a, b, out: (a, b)),  # wrong: factors swapped
    "div": (lambda a, b: a / b, lambda a, b, out: (1 / b, -a / b**2), lambda a, b, out: (1 / b, a / b**2)),
}


def failed_codes(report):
    return {failure.code for failure in report.failures}


@pytest.mark.parametrize("name", OPS)
def test_the_right_backward_passes(name):
    forward, local_grads, _ = OPS[name]
    report = check_backward(hand_op(forward, local_grads))
    assert report.ok and report.cases == 12 and not report.failures
    assert "✓ all 12 cases agree" in str(report)


@pytest.mark.parametrize("name", OPS)
def test_assigning_for_adding_is_caught_where_a_child_is_used_twice_and_named(name):
    forward, local_grads, _ = OPS[name]
    report = check_backward(hand_op(forward, local_grads, slip="="))
    assert not report.ok
    assert failed_codes(report) == ({"fn(x) * fn(x)"} if name in ("cube", "tanh") else {"fn(x, x)"})
    assert all("`x.grad += ...`" in failure.hint for failure in report.failures)


@pytest.mark.parametrize("name", OPS)
def test_a_missing_out_grad_is_caught_where_out_grad_is_not_1_and_named(name):
    forward, local_grads, _ = OPS[name]
    report = check_backward(hand_op(forward, local_grads, slip="no out.grad"))
    assert not report.ok and not failed_codes(report) & {"fn(x)", "fn(x, y)"}  # alone, out.grad is 1: right
    assert any("deep inside a chain" in failure.shape for failure in report.failures)
    assert all("* out.grad" in failure.hint for failure in report.failures)


@pytest.mark.parametrize("name", OPS)
def test_a_wrong_formula_is_caught_alone_with_no_hint(name):
    forward, _, wrong = OPS[name]
    report = check_backward(hand_op(forward, wrong))
    assert not report.ok and failed_codes(report) & {"fn(x)", "fn(x, y)"}
    assert all(failure.hint == "" for failure in report.failures)


def test_the_grads_shown_are_the_students_and_the_central_differences():
    # cube with "=": fn(x) * fn(x) = x**6, d/dx = 6 x**5; each cube node assigns 3 x**2 * x**3 = 3 x**5
    report = check_backward(hand_op(*OPS["cube"][:2], slip="="))
    first = report.failures[0]
    assert (first.code, first.point, first.name) == ("fn(x) * fn(x)", "x=0.4", "x")
    assert first.grad == pytest.approx(3 * 0.4**5, rel=1e-12)
    assert first.numeric == pytest.approx(6 * 0.4**5, rel=1e-6)
    # mul without * out.grad, in fn(tanh(1.5 x), exp(y)) * 2 + 1: out.grad is 2, so x.grad is half the right one
    report = check_backward(hand_op(*OPS["mul"][:2], slip="no out.grad"))
    chain = [f for f in report.failures if f.code.startswith("fn(tanh") and f.point == "x=0.4, y=1.1" and f.name == "x"][0]
    right = 2 * math.exp(1.1) * 1.5 * (1 - math.tanh(0.6) ** 2)
    assert chain.numeric == pytest.approx(right, rel=1e-6) and chain.grad == pytest.approx(right / 2, rel=1e-12)


def test_an_exception_in_the_students_backward_is_reported_with_its_line():
    def cube(x):
        out = Value(x.data**3, (x,), "cube")

        def _backward():
            x.grad += 3 * x.data**2 * out.grad / 0  # the slip

        out._backward = _backward
        return out

    line = inspect.getsourcelines(cube)[1] + 4
    report = check_backward(cube)  # does not raise
    assert not report.ok and len(report.failures) == 12
    assert report.failures[0].error == (
        f"ZeroDivisionError: float division by zero (line {line} of {__file__}: "
        "x.grad += 3 * x.data**2 * out.grad / 0  # the slip)"
    )
    assert str(report).count("ZeroDivisionError") == 1 and "(the same error in 11 more cases)" in str(report)


def test_a_forgotten_backward_is_reported_with_what_to_write():
    report = check_backward(lambda x: Value(math.tanh(x.data), (x,), "tanh"))
    assert not report.ok
    assert "MissingBackward" in report.failures[0].error and "x.tanh()" in report.failures[0].error


def test_the_text_and_the_html_show_the_same():
    report = check_backward(hand_op(*OPS["div"][:2], slip="="))
    page = report._repr_html_()
    for line in str(report).splitlines():
        assert html.escape(line) in page


def test_an_op_of_three_values_is_refused():
    with pytest.raises(TypeError, match="one or two Values"):
        check_backward(lambda a, b, c: a)
