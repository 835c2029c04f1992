"""Every op against a central difference, over hypothesis-drawn inputs.

The ops, their inputs (kept away from kinks and overflow) and how to call
them are the shared table of tests/helpers/ops.py.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import OPS, Value, gradcheck
from tests.helpers.ops import BINARY, UNARY, check_on_draws, reals

TOLERANCE = dict(atol=1e-8, rtol=1e-8)


def test_the_tables_cover_every_op():
    assert set(UNARY) | set(BINARY) == set(OPS)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_against_central_difference(name):
    def check(f, x):
        report = gradcheck(f, [x], **TOLERANCE)
        assert report.ok, str(report)

    check_on_draws(name, check)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_op_against_central_difference(name):
    def check(f, x, y):
        report = gradcheck(f, [x, y], **TOLERANCE)
        assert report.ok, str(report)

    check_on_draws(name, check)


@given(reals(-5, 5).filter(lambda x: abs(x) > 0.05), st.integers(-3, 4))
@settings(max_examples=60, deadline=None)
def test_power_with_a_number_exponent_and_a_negative_base(x, n):
    a = Value(x)
    y = a**n
    y.backward()
    assert abs(y.data - x**n) <= 1e-12 * max(1.0, abs(x**n))
    expected = n * x ** (n - 1) if n else 0.0
    assert abs(a.grad - expected) <= 1e-9 * max(1.0, abs(expected))


def test_relu_and_abs_at_their_kink_take_the_usual_choice():
    for op in (Value.relu, abs):
        x = Value(0.0)
        op(x).backward()
        assert x.grad == 0.0


def test_composite_function_against_central_difference():
    def f(x, y, z):
        return ((x * y).tanh() + (z**2).log() - x / (y.exp() + 1)).sigmoid() * y.sin()

    report = gradcheck(f, [0.3, -1.2, 2.5], **TOLERANCE)
    assert report.ok, str(report)

