"""Argument checks shared by the `nn` modules, each raising a ValueError that names the argument."""


def whole_number(name, value, minimum=1):
    """`value` if it is an int >= `minimum` (True and False do not count)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return value
