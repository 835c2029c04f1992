"""`Module`: the base of every model, as in PyTorch and micrograd.

A module owns parameters (leaf `Value`s the optimizer changes) and maybe
sub-modules.  Subclasses list them in `named_parameters()`; everything else
here is built on that one method.
"""

from collections.abc import Mapping

from .checks import finite_number


class Module:
    """Something with trainable parameters."""

    def named_parameters(self):
        """(dotted name, parameter) pairs, in a fixed order.  Override this."""
        return []

    def parameters(self):
        """Every parameter, in the order of `named_parameters()`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set every parameter's grad to 0.0 (grads accumulate until then)."""
        zero_grads(self.parameters())

    def state_dict(self):
        """{dotted name: number} for every parameter, in the order of `named_parameters()`."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state, strict=True):
        """Set each parameter to the number `state` holds under its name: the inverse of `state_dict()`.

        With `strict`, `state` must name exactly this module's parameters; without it, the names
        that match are loaded.  Returns the (missing, unexpected) lists of names, as PyTorch does.
        A name that does not match (when strict) or a number that is not finite is a ValueError
        naming it, and then no parameter changes.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict takes a dict of name -> number (as state_dict() gives), got {type(state).__name__}")
        named = dict(self.named_parameters())
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if strict and (missing or unexpected):
            raise ValueError(
                f"the state dict does not match {self!r} ({len(state)} given, {len(named)} expected; "
                f"missing {first_names(missing)}, unexpected {first_names(unexpected)})"
            )
        numbers = {name: finite_number(f"parameter {name}", state[name]) for name in named if name in state}
        for name, number in numbers.items():
            named[name].data = number
        return missing, unexpected

    def __repr__(self):
        return f"{type(self).__name__}({len(self.parameters())} parameters)"


def zero_grads(parameters):
    """Set each parameter's grad to 0.0."""
    for p in parameters:
        p.grad = 0.0


def numbered_parameters(name, modules):
    """The named parameters of a list of sub-modules, as `name.i.<their name>`."""
    return [
        (f"{name}.{i}.{inner}", p)
        for i, module in enumerate(modules)
        for inner, p in module.named_parameters()
    ]


def first_names(names, n=3):
    """The first `n` of `names` for a message: "a, b, c and 2 more", or "none"."""
    if not names:
        return "none"
    shown = ", ".join(map(str, names[:n]))
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")
