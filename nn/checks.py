"""Argument checks shared by the `nn` modules, each raising an error that names the argument.

Each returns a plain `int` or `float`, so a numpy scalar never reaches a parameter,
a saved file or compiled code.  `whole_number` and `finite_number` (which checks
data, a saved weight) raise a ValueError for anything wrong; the others a
TypeError for what is not a number, a ValueError for a number out of range.
"""

import math
from numbers import Integral, Real


def whole_number(name, value, minimum=1):
    """`value` as an int if it is a whole number >= `minimum` (any `numbers.Integral`; True and False do not count)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def real_number(name, value):
    """`value` as a float if it is a real number (True and False do not count)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def positive_number(name, value):
    """`value` as a float if it is a finite number > 0."""
    number = real_number(name, value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def fraction_below_one(name, value):
    """`value` as a float if it is a number in [0, 1)."""
    number = real_number(name, value)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def finite_number(name, value):
    """`value` as a float if it is a finite real number (True and False do not count)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} is {value!r}, not a finite number")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{name} is a whole number too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} is {number!r}, not a finite number")
    return number
