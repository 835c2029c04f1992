"""Plain floats: the functions stepgrad's ops compute, and how it writes a number.

Each function takes and returns a float and raises an error that names the
function and the value where it is not defined.  Every formula in the op
table, forward or derivative, calls them by the names in `NAMESPACE`.
"""

import builtins
import math

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
    """The square root, for x >= 0."""
    if x < 0.0:
        raise ValueError(f"sqrt is only defined for numbers >= 0, got {x!r}")
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

NAMESPACE = {f.__name__: f for f in (copysign, exp, log, sqrt, tanh, sigmoid, relu, sin, cos, abs)}
"""Name -> function, for every function an op's formulas may call: the
global namespace of all generated code (Python adds `__builtins__`)."""


def number(x, decimals=4, style="fixed"):
    """`x` written for people, rounded to `decimals` places; None (a cleared grad) as "None".

    - "fixed": every place, "-1.5000", as the lesson texts, drawings and steps print;
    - "short": the shortest repr of the rounded float, "-1.5", "2.0" (a Value's
      repr); a tiny x that rounds to 0 keeps 4 significant digits, "1e-05";
    - "paper": no trailing zeros, "-1.5", "2", as Baydin et al.'s trace tables print.
    No style writes "-0".
    """
    if x is None:
        return "None"
    if style == "short":
        rounded = round(x, decimals)
        return f"{x:.4g}" if rounded == 0.0 and x != 0.0 else repr(rounded)
    text = f"{x:.{decimals}f}"
    if style == "paper":
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text.lstrip("-0.") == "" and text.startswith("-") else text
