"""Forward mode: `jvp(f, primals, tangents)`, the derivative along one direction.

Forward mode carries, next to each node's value (its primal), a tangent:
the derivative of that node along the chosen direction of the inputs,

    tangent(node) = sum over children c of  d node / d c  *  tangent(c),

with the local derivatives d node / d c from the op table.  One sweep in
evaluation order gives the output's value and its directional derivative;
no backward pass runs.  Forward mode costs one sweep per input direction,
reverse mode one pass per output: so forward wins for few inputs and many
outputs, reverse for many inputs and one output (a loss).
"""

from . import formulas
from .notation import forward_order
from .trace import _number, record


def jvp(f, primals, tangents):
    """(f(primals), the derivative of f at primals along `tangents`), both floats.

    `f` takes one Value per primal and returns a Value.  With a basis tangent
    (1 at input i, 0 elsewhere) the result is d f / d x_i, the same number
    `backward()` leaves in that input's grad.
    """
    tangents = [_number(t, f"tangents[{i}]") for i, t in enumerate(tangents)]
    leaves, output = record(f, primals)
    if len(tangents) != len(leaves):
        raise ValueError(f"{len(leaves)} primals but {len(tangents)} tangents")
    tangent = dict(zip(leaves, tangents))
    for node in forward_order(output):  # children before parents
        if node._prev:
            tangent[node] = sum(
                formulas.local_derivative(node, i, "jvp") * tangent.get(child, 0.0)
                for i, child in enumerate(node._prev)
            )
    return output.data, float(tangent.get(output, 0.0))
