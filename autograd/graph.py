"""Walks over a computation graph, always with loops (never recursion).

A graph can be a million nodes deep; a recursive walk would hit Python's
recursion limit long before that.
"""


def interior_nodes_parents_first(root):
    """The nodes below `root` that have children, each before its children.

    This is the order in which backward rules run: a node passes its grad
    down only once every node that uses it has passed grad into it.  Leaves
    are left out, since they have nothing to pass on.

    It is a depth-first post-order (children first), reversed at the end.
    """
    if not root._prev:
        return []
    order = []
    seen = {root}
    stack = [root]
    while stack:
        node = stack[-1]
        for child in node._prev:
            if child._prev and child not in seen:
                seen.add(child)
                stack.append(child)
                break
        else:
            stack.pop()
            order.append(node)
    order.reverse()
    return order


def all_nodes(root):
    """Every node below `root` (leaves too), each once, root first.

    The order is breadth-first in the order of `_prev`, so the same program
    always lists the same nodes in the same order.
    """
    order = [root]
    seen = {root}
    for node in order:
        for child in node._prev:
            if child not in seen:
                seen.add(child)
                order.append(child)
    return order
