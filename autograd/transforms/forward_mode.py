"""Forward mode: `jvp(f, primals, tangents)`, the derivative along one direction.

Forward mode carries, next to each node's value (its primal), a tangent:
the derivative of that node along the chosen direction of the inputs,

    tangent(node) = sum over children c of  d node / d c  *  tangent(c),

with the local derivatives d node / d c from the op table (a constant has no
tangent, and adds nothing: see `traces.tangent_of`).  One sweep in
evaluation order gives the output's value and its directional derivative;
no backward pass runs.  Forward mode costs one sweep per input direction,
reverse mode one pass per output: so forward wins for few inputs and many
outputs, reverse for many inputs and one output (a loss).
"""

from autograd.engine.walks import interior_nodes_parents_first
from autograd.views.traces import as_number, record, tangent_of


def jvp(f, primals, tangents):
    """(f(primals), the derivative of f at primals along `tangents`), as floats.

    `f` takes one Value per primal and returns a Value, or a list of Values
    (then both results are lists, one entry per output: one sweep serves
    every output).  With a basis tangent (1 at input i, 0 elsewhere) the
    derivative is d f / d x_i, the number `backward()` leaves in that
    input's grad.  The graph is recorded even inside `no_grad()`, as
    `torch.func.jvp` does.
    """
    tangents = [as_number(t, f"tangents[{i}]") for i, t in enumerate(tangents)]
    leaves, outputs = record(f, primals, several=True)
    if len(tangents) != len(leaves):
        raise ValueError(f"{len(leaves)} primals but {len(tangents)} tangents")
    tangent = dict(zip(leaves, tangents))
    walked = set()
    for output in outputs:
        for node in reversed(interior_nodes_parents_first(output, walked)):  # children first
            node_tangent = tangent_of(node, tangent, "jvp")
            if node_tangent is not None:
                tangent[node] = node_tangent
    values = [output.data for output in outputs]
    derivatives = [float(tangent.get(output, 0.0)) for output in outputs]
    if isinstance(outputs, tuple):  # f returned one Value
        return values[0], derivatives[0]
    return values, derivatives
