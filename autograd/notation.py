"""How stepgrad writes a graph for people: node names and numbers.

The drawing, the step-through and the hand-check table all name nodes with
`node_names`, so `v3` in a picture is `v3` in the chain-rule lines too.
"""

import re

from .graph import interior_nodes_parents_first
from .ops import OPS

_BARE_NAME = re.compile(r"[\w#']+")


def forward_order(root, parents_first=None):
    """Every node below `root`, each after its children: the order of the program.

    Interior nodes come in reverse backward order; each leaf comes right
    before the first node that uses it.  For the tanh neuron this is
    x1, w1, x1*w1, x2, w2, x2*w2, x1*w1 + x2*w2, b, n, o.
    Pass `parents_first=interior_nodes_parents_first(root)` if you have it.
    """
    if parents_first is None:
        parents_first = interior_nodes_parents_first(root)
    order = []
    seen = set()
    for node in reversed(parents_first):
        for child in node._prev:
            if child._a is None and child not in seen:  # a leaf (a node built by hand may have an op and no children)
                seen.add(child)
                order.append(child)
        order.append(node)
    if not order:
        order.append(root)
    return order


def node_names(root, order=None):
    """A unique name for every node below `root`, in `forward_order`.

    A labelled node is called by its label; a label used again gets `#2`,
    `#3`, ... in program order.  Unlabelled nodes are `v1`, `v2`, ... in
    program order, skipping names that labels already take.  The names
    depend only on the graph, so the same program always gets the same ones.
    Pass `order=forward_order(root)` if you have it already.
    """
    if order is None:
        order = forward_order(root)
    taken = {str(node.label) for node in order if node.label}
    names = {}
    used = set()
    counter = 0
    for node in order:
        if node.label:
            name = str(node.label)
            repeat = 1
            while name in used:
                repeat += 1
                name = f"{node.label}#{repeat}"
        else:
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            name = f"v{counter}"
        used.add(name)
        names[node] = name
    return names


def op_symbol(node):
    """What drawings and tables show for `node`'s op: the table's symbol, else its `_op` as given."""
    op = OPS.get(node._op)
    return op.symbol if op is not None else node._op


def attribute(name, field):
    """`x1.grad`, or `(x1*w1).grad` when the name is not a single word."""
    if _BARE_NAME.fullmatch(name):
        return f"{name}.{field}"
    return f"({name}).{field}"


def number(x):
    """`x` with 4 decimals, as in the lesson texts; never `-0.0000`; a grad cleared to None as `None`."""
    if x is None:
        return "None"
    text = f"{x:.4f}"
    return "0.0000" if text == "-0.0000" else text


def grads_computed(root):
    """Whether backward has run from `root` (or from something above it).

    `backward()` and `backward_steps()` set the root's grad to 1 before
    anything else, so a root grad of 0 (or None) means the grads shown are
    not the root's: a fresh graph, or stale grads left in shared leaves.
    """
    return root.grad is not None and root.grad != 0.0


NOT_COMPUTED_NOTE = "grads not computed yet: call backward() on the output first"
