"""NaN goes through the ops as in PyTorch.

Each expected value below is what torch 2.13 (float64) gives; the same cases
run against torch itself in test_torch_crosscheck.py where torch is installed.
"""

import math

import pytest

from autograd import Value

nan = math.nan

CASES = {
    # name: (f, inputs, expected output, expected grads)
    "relu(nan)": (lambda a: a.relu(), (nan,), nan, (1.0,)),
    "relu(0)": (lambda a: a.relu(), (0.0,), 0.0, (0.0,)),
    "abs(nan)": (lambda a: abs(a), (nan,), nan, (0.0,)),
    "abs(0)": (lambda a: abs(a), (0.0,), 0.0, (0.0,)),
    "nan ** b": (lambda a, b: a**b, (nan, 2.0), nan, (nan, nan)),
    "0 ** nan": (lambda a, b: a**b, (0.0, nan), nan, (nan, nan)),
    "0 ** 0": (lambda a, b: a**b, (0.0, 0.0), 1.0, (0.0, 0.0)),
    "0 ** 2": (lambda a, b: a**b, (0.0, 2.0), 0.0, (0.0, 0.0)),
    "1 ** nan": (lambda a, b: a**b, (1.0, nan), 1.0, (nan, 0.0)),
    "nan ** 0": (lambda a, b: a**b, (nan, 0.0), 1.0, (0.0, nan)),
    "2 ** nan": (lambda a, b: a**b, (2.0, nan), nan, (nan, nan)),
}


def same(x, y):
    return (math.isnan(x) and math.isnan(y)) or x == y


@pytest.mark.parametrize("name", CASES)
def test_nan_output_and_grads_as_in_pytorch(name):
    f, inputs, output, grads = CASES[name]
    values = [Value(x) for x in inputs]
    out = f(*values)
    out.backward()
    assert same(out.data, output), f"{name}: {out.data} instead of {output}"
    for value, grad in zip(values, grads):
        assert same(value.grad, grad), f"{name}: grad {value.grad} instead of {grad}"
