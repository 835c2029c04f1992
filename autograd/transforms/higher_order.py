"""Gradients as values: `grad(output, inputs)`, and `hessian(f, inputs)`.

`grad` runs reverse mode on the side, in its own table of adjoints, so no
node's `.grad` changes.  With `create_graph=True` every adjoint is built from
Values, with each local derivative evaluated on the graph's own nodes
(`formulas.local_derivative_graph`): the gradients are then nodes of a new
graph, the backward pass written out, which can be drawn, stepped through
and differentiated again.
"""

import math
from contextlib import nullcontext

from autograd.engine import formulas
from autograd.engine.walks import interior_nodes_parents_first
from autograd.engine.value import Value, as_value, enable_grad, no_grad
from autograd.views.traces import record


def grad(output, inputs, create_graph=False):
    """[d output / d x for x in inputs], one Value each; every `.grad` is left as it was.

    Without `create_graph` the Values are new leaves holding the numbers.
    With it they are built from the graph of `output`, so `grad` (or
    `backward()`) can be applied to them again; they are built even inside
    `no_grad()`, as in PyTorch.  An input that `output` does not depend on
    gets 0.0.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value output, got {type(output).__name__} {output!r}")
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad needs Values as inputs, got {type(x).__name__} at inputs[{i}]")
    with enable_grad() if create_graph else nullcontext():
        adjoint = _adjoints(output, create_graph)
    return [_as_value(adjoint.get(x, 0.0)) for x in inputs]


def _adjoints(output, create_graph):
    """d output / d node for every node below `output`: numbers, or with `create_graph` Values."""
    adjoint = {output: 1.0}
    for node in interior_nodes_parents_first(output):
        g = adjoint[node]
        operands = {"out": node, **dict(zip("ab", node.children))}
        for i, child in enumerate(node.children):
            if create_graph:
                local = formulas.local_derivative_graph(node, i, operands, "grad", _power)
            else:
                local = _local_number(node, i)
            term = _product(local, g)
            adjoint[child] = adjoint[child] + term if child in adjoint else term
    return adjoint


def _power(base, exponent):
    """`base ** exponent` as a node of a gradient graph.  `Value.__pow__` refuses a power whose
    own derivative is infinite (0.0 ** 0.5); a gradient graph needs only a finite value, and
    meets that infinity only if it is differentiated again (then `_local_number` names it)."""
    with no_grad():  # the checks of the value alone: 0.0 ** -1, overflow, a complex result
        node = base ** exponent
    node._a, node._b, node._op = base, as_value(exponent, "**"), "**"
    return node


def _local_number(node, index):
    """d node / d child number `index` as a float; an infinite one, met where a power of a gradient
    graph (built wherever its value is finite: 0.0 ** 0.5) is differentiated again, is refused by name."""
    try:
        return formulas.local_derivative(node, index, "grad")
    except (ZeroDivisionError, OverflowError):
        at = {name: repr(child.data) for name, child in zip("ab", node.children)}
        expression = formulas.substitute(formulas.checked_op(node, "grad").expression, at)
        raise ValueError(f"{expression} has an infinite derivative (d/d{'ab'[index]}), so grad cannot differentiate "
                         f"it there (a node of a gradient graph, from grad(..., create_graph=True)?)") from None


def _product(local, g):
    """local * g, without a node for a factor that is the number 1 (a `+`'s local derivative, the seed).

    A local derivative that is the number 0 (relu's below its kink: a branch
    of its formula) times a Value `g` of finite value is a constant, a new
    leaf: a node 0 * g would carry g's derivatives on where they are infinite
    (0.0 ** 0.5's, say), and PyTorch's masks stop them.  Times an infinite or
    NaN `g` it stays a node, NaN, as in `backward()`.
    """
    if _is_number(local, 1):
        return g
    if _is_number(g, 1):
        return local
    if _is_number(local, 0) and isinstance(g, Value) and math.isfinite(g.data):
        return Value(local * g.data)
    return local * g


def _is_number(x, number):
    """Whether `x` is the constant `number` (a Value never is: it is a function of the inputs)."""
    return not isinstance(x, Value) and x == number


def _as_value(x):
    return x if isinstance(x, Value) else Value(float(x))


def hessian(f, inputs):
    """The matrix of second derivatives d²f / dx_i dx_j of a scalar function, as lists of floats.

    `f` takes one Value per input and returns a Value; `inputs` are numbers
    (or Values, whose data is used).  Built on `grad(..., create_graph=True)`,
    whatever the caller's grad mode.
    """
    leaves, output = record(f, inputs, where="inputs")
    first = grad(output, leaves, create_graph=True)
    return [[d.data for d in grad(g, leaves)] for g in first]
