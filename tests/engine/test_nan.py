"""NaN goes through the ops as in PyTorch.

Each expected value of NAN_CASES (tests/helpers/ops.py) is what torch 2.13
(float64) gives; the same cases run against torch itself in
test_torch_crosscheck.py where torch is installed.
"""

import pytest

from autograd import Value
from tests.helpers.ops import NAN_CASES, same


@pytest.mark.parametrize("name", NAN_CASES)
def test_nan_output_and_grads_as_in_pytorch(name):
    f, inputs, output, grads = NAN_CASES[name]
    values = [Value(x) for x in inputs]
    out = f(*values)
    out.backward()
    assert same(out.data, output), f"{name}: {out.data} instead of {output}"
    for value, grad in zip(values, grads):
        assert same(value.grad, grad), f"{name}: grad {value.grad} instead of {grad}"
