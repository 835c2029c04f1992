"""The op cases the tests share: each op with its inputs, its reference, its NaN cases.

UNARY and BINARY hold, for each op of the table, how to call it and a
hypothesis strategy per operand, kept away from kinks (relu and abs at 0)
and from overflow.  REFERENCE_UNARY and REFERENCE_BINARY give each op's
forward written from `math` directly, not from stepgrad's own float
functions.  NAN_CASES give what torch 2.13 (float64) returns where a NaN
or a 0 meets an op.  `cube` is an op written the lecture's way: a node
built by hand with its own `_backward`.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value


def reals(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(limit):
    return reals(-limit, limit).filter(lambda x: abs(x) > 1e-3)


UNARY = {
    "neg": (lambda a: -a, reals(-10, 10)),
    "exp": (lambda a: a.exp(), reals(-20, 20)),
    "log": (lambda a: a.log(), reals(1e-2, 1e3)),
    "tanh": (lambda a: a.tanh(), reals(-5, 5)),
    "sigmoid": (lambda a: a.sigmoid(), reals(-10, 10)),
    "relu": (lambda a: a.relu(), away_from_zero(10)),
    "sin": (lambda a: a.sin(), reals(-10, 10)),
    "cos": (lambda a: a.cos(), reals(-10, 10)),
    "sqrt": (lambda a: a.sqrt(), reals(1e-2, 1e3)),
    "abs": (lambda a: abs(a), away_from_zero(10)),
}
"""op name -> (how to call it on a Value, its inputs)"""

BINARY = {
    "+": (lambda a, b: a + b, reals(-10, 10), reals(-10, 10)),
    "-": (lambda a, b: a - b, reals(-10, 10), reals(-10, 10)),
    "*": (lambda a, b: a * b, reals(-10, 10), reals(-10, 10)),
    "/": (lambda a, b: a / b, reals(-10, 10), reals(-10, 10).filter(lambda b: abs(b) > 0.1)),
    "**": (lambda a, b: a**b, reals(0.1, 5), reals(-3, 3)),
}
"""op name -> (how to call it on two Values, its first inputs, its second inputs)"""

REFERENCE_UNARY = {
    "neg": lambda x: -x,
    "exp": math.exp,
    "log": math.log,
    "tanh": lambda x: (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1),
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    "relu": lambda x: max(x, 0.0),
    "sin": math.sin,
    "cos": math.cos,
    "sqrt": lambda x: x**0.5,
    "abs": math.fabs,
}

REFERENCE_BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": math.pow,
}

nan = math.nan

NAN_CASES = {
    # name: (f, inputs, expected output, expected grads), as torch 2.13 gives them in float64
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
    """Equal, counting two NaNs as the same."""
    return (math.isnan(x) and math.isnan(y)) or x == y


def cube(a):
    """a**3 as a lecture-style op: a node built by hand with its own `_backward`."""
    out = Value(a.data**3, (a,), "cube")

    def _backward():
        a.grad += 3 * a.data**2 * out.grad

    out._backward = _backward
    return out


def check_on_draws(name, check, examples=60):
    """Run `check(f, *operands)` on hypothesis draws of op `name`'s operands (`f` as in UNARY, BINARY)."""
    f, *operands = UNARY[name] if name in UNARY else BINARY[name]
    run = (lambda a: check(f, a)) if len(operands) == 1 else (lambda a, b: check(f, a, b))
    settings(max_examples=examples, deadline=None)(given(*operands)(run))()
