"""Every op's forward against an independent reference function, over hypothesis draws.

The derivative tests divide differences of the forward, so a forward that
is wrong by a constant factor can pass them; these tests pin the values.
The references (tests/helpers/ops.py) are written from `math` directly,
not from stepgrad's own float functions.
"""

import math

import pytest

from autograd import OPS, Value
from tests.helpers.ops import REFERENCE_BINARY, REFERENCE_UNARY, check_on_draws


def test_every_op_has_a_reference():
    assert set(REFERENCE_UNARY) | set(REFERENCE_BINARY) == set(OPS)


@pytest.mark.parametrize("name", sorted(REFERENCE_UNARY))
def test_unary_forward_matches_its_reference(name):
    def check(f, x):
        assert f(Value(x)).data == pytest.approx(REFERENCE_UNARY[name](x), rel=1e-13, abs=1e-15)

    check_on_draws(name, check)


@pytest.mark.parametrize("name", sorted(REFERENCE_BINARY))
def test_binary_forward_matches_its_reference(name):
    def check(f, a, b):
        expected = REFERENCE_BINARY[name](a, b)
        assert f(Value(a), Value(b)).data == pytest.approx(expected, rel=1e-13, abs=1e-15)
        assert f(Value(a), b).data == pytest.approx(expected, rel=1e-13, abs=1e-15)  # a number operand

    check_on_draws(name, check)


def test_sigmoid_matches_its_textbook_form():
    for x in (-3.0, -0.5, 0.0, 0.7, 4.0):
        assert abs(Value(x).sigmoid().data - 1 / (1 + math.exp(-x))) < 1e-15
