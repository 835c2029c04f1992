"""Walks over a graph in the orders the tools show it: parents first (the order the
backward rules run in) and the program's order.  Loops, not recursion: a graph can be
far deeper than Python's recursion limit.  The backward pass has a faster walk of its
own (graph.py)."""


def interior_nodes_parents_first(root, visited=None):
    """The nodes below `root` that have children, each before its children: the
    order backward rules run in.  Nodes in the set `visited` are left out, and
    the walk adds those it emits (to walk several roots in turn)."""
    # A depth-first post-order, reversed: "visit the children, then emit the node"
    # with an explicit stack, where a None means "emit the node under me".
    order = []
    visited = set() if visited is None else visited
    stack = [root] if root._a is not None and root not in visited else []
    push, pop, mark = stack.append, stack.pop, visited.add  # bound once: the loop runs once per edge
    while stack:
        node = pop()
        if node is None:
            order.append(pop())
        elif node not in visited:
            mark(node)
            push(node)
            push(None)
            # The second child pushed first, so the first is walked first; leaves are left out.
            b, a = node._b, node._a
            if b is not None and b._a is not None and b not in visited:
                push(b)
            if a._a is not None and a not in visited:
                push(a)
    order.reverse()
    return order


def forward_order(root, parents_first=None):
    """Every node below `root` in the order of the program: each leaf right before its
    first user.  For the tanh neuron: x1, w1, x1*w1, x2, w2, x2*w2, x1*w1 + x2*w2, b, n, o."""
    if parents_first is None:
        parents_first = interior_nodes_parents_first(root)
    order, seen = [], set()
    for node in reversed(parents_first):
        for child in (node._a, node._b):
            if child is not None and child._a is None and child not in seen:
                seen.add(child)
                order.append(child)
        order.append(node)
    return order or [root]
