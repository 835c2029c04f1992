"""`Module`: the base of every model, as in PyTorch and micrograd.

A module owns parameters (leaf `Value`s the optimizer changes) and maybe
sub-modules.  Subclasses list them in `named_parameters()`; everything else
here is built on that one method.
"""


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
