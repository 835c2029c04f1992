"""Gradients as values: `grad(output, inputs)`, and `hessian(f, inputs)`.

`grad` runs reverse mode on the side, in its own table of adjoints, so no
node's `.grad` changes.  With `create_graph=True` every adjoint is built from
Values, with each local derivative evaluated on the graph's own nodes
(`formulas.local_derivative_graph`): the gradients are then nodes of a new
graph, the backward pass written out, which can be drawn, stepped through
and differentiated again.
"""

from autograd.engine import formulas
from autograd.engine.walks import interior_nodes_parents_first
from autograd.engine.value import Value
from autograd.views.traces import record


def grad(output, inputs, create_graph=False):
    """[d output / d x for x in inputs], one Value each; every `.grad` is left as it was.

    Without `create_graph` the Values are new leaves holding the numbers.
    With it they are built from the graph of `output`, so `grad` (or
    `backward()`) can be applied to them again.  An input that `output`
    does not depend on gets 0.0.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value output, got {type(output).__name__} {output!r}")
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad needs Values as inputs, got {type(x).__name__} at inputs[{i}]")
    adjoint = {output: 1.0}
    for node in interior_nodes_parents_first(output):
        g = adjoint[node]
        operands = {"out": node, **dict(zip("ab", node.children))}
        for i, child in enumerate(node.children):
            if create_graph:
                local = formulas.local_derivative_graph(node, i, operands, "grad")
            else:
                local = formulas.local_derivative(node, i, "grad")
            term = _product(local, g)
            adjoint[child] = adjoint[child] + term if child in adjoint else term
    return [_as_value(adjoint.get(x, 0.0)) for x in inputs]


def _product(local, g):
    """local * g, without a node for a factor that is the number 1 (a `+`'s local derivative, the seed)."""
    if not isinstance(local, Value) and local == 1:
        return g
    if not isinstance(g, Value) and g == 1:
        return local
    return local * g


def _as_value(x):
    return x if isinstance(x, Value) else Value(float(x))


def hessian(f, inputs):
    """The matrix of second derivatives d²f / dx_i dx_j of a scalar function, as lists of floats.

    `f` takes one Value per input and returns a Value; `inputs` are numbers
    (or Values, whose data is used).  Built on `grad(..., create_graph=True)`.
    """
    leaves, output = record(f, inputs, where="inputs")
    first = grad(output, leaves, create_graph=True)
    return [[d.data for d in grad(g, leaves)] for g in first]
