"""Plain floats: the functions the ops compute (each names itself and the value where
it is undefined; formulas call them by their `NAMESPACE` names), and `number`."""

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


def sin(x):
    """sin(x), for finite x (math's error is "math domain error")."""
    if math.isinf(x):
        raise ValueError(f"sin is only defined for finite numbers, got {x!r}")
    return math.sin(x)


def cos(x):
    """cos(x), for finite x."""
    if math.isinf(x):
        raise ValueError(f"cos is only defined for finite numbers, got {x!r}")
    return math.cos(x)

NAMESPACE = {f.__name__: f for f in (copysign, exp, log, sqrt, tanh, sigmoid, relu, sin, cos, abs)}
"""Name -> function, for every function an op's formulas may call: the
global namespace of all generated code (Python adds `__builtins__`)."""


def number(x, decimals=4, style="fixed"):
    """`x` for people, to `decimals` places, never "-0"; None (a cleared grad) as "None".
    "fixed": "-1.5000" (lessons, drawings, steps); "paper": "-1.5", "2" (Baydin
    et al.'s traces).  A Value's repr prints its numbers in full, as micrograd does."""
    if x is None:
        return "None"
    text = f"{x:.{decimals}f}"
    if style == "paper":
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text.lstrip("-0.") == "" and text.startswith("-") else text
