"""The functions of one float that stepgrad's ops compute, with clear errors.

Each takes and returns a float and raises an error that names the function
and the value where it is not defined.  The op table (`autograd.ops`)
builds each function of one Value on one of these, and every formula in the
table, forward or derivative, calls them by these names (`NAMESPACE`).
"""

import builtins
import math

from . import grad_mode

abs = builtins.abs
copysign = math.copysign
tanh = math.tanh


def exp(x):
    """e**x; an OverflowError past exp(709.78), the largest float."""
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp overflows a float for {x!r} (the largest is exp(709.78))") from None


def log(x):
    """The natural log, for x > 0."""
    if x <= 0.0:
        raise ValueError(f"log is only defined for positive numbers, got {x!r}")
    return math.log(x)


def sqrt(x):
    """The square root, for x >= 0; sqrt(0) only under no_grad(), as its derivative is infinite."""
    if x < 0.0:
        raise ValueError(f"sqrt is only defined for numbers >= 0, got {x!r}")
    if x == 0.0 and grad_mode.is_enabled():
        raise ValueError(
            "sqrt(0.0) has an infinite derivative; it is refused while gradients are recorded, "
            "and allowed inside `with no_grad():`"
        )
    return math.sqrt(x)


def sigmoid(x):
    """1 / (1 + e**-x), computed without ever calling exp on a positive number (no overflow)."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def relu(x):
    """max(x, 0); NaN stays NaN (as in PyTorch)."""
    return 0.0 if x <= 0.0 else x


def _finite_only(name, float_fn):
    """`float_fn` with a clear error for an infinite input (math's is "math domain error")."""

    def checked(x):
        if math.isinf(x):
            raise ValueError(f"{name} is only defined for finite numbers, got {x!r}")
        return float_fn(x)

    checked.__name__ = name
    checked.__doc__ = f"{name}(x), for finite x."
    return checked


sin = _finite_only("sin", math.sin)
cos = _finite_only("cos", math.cos)

NAMESPACE = {
    "copysign": copysign,
    "exp": exp,
    "log": log,
    "sqrt": sqrt,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "sin": sin,
    "cos": cos,
    "abs": abs,
}
"""Name -> function, for every function an op's formulas may call.

It is the global namespace of all generated code (Python adds `__builtins__`).
"""
