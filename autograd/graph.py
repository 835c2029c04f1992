"""Walks over a computation graph, always with loops (never recursion).

A graph can be a million nodes deep; a recursive walk would hit Python's
recursion limit long before that.
"""

from contextlib import contextmanager


def interior_nodes_parents_first(root, visited=None):
    """The nodes below `root` that have children, each before its children.

    This is the order in which backward rules run: a node passes its grad
    down only once every node that uses it has passed grad into it.  Leaves
    are left out, since they have nothing to pass on.

    It is a depth-first post-order (children first), reversed at the end:
    the loop is the recursive "visit the children, then emit the node" with
    an explicit stack.  A `None` on the stack means "the node under me has
    had all its children visited: emit it".  The walk only reads the graph;
    `backward()` walks with its own faster loop (`autograd.backward_pass`).
    Pass a set as `visited` to walk several roots in turn: nodes already in
    it are left out, and the walk adds the nodes it emits.
    """
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
            # Children pushed second one first, so the first is walked first;
            # only interior nodes (those with children) are walked.
            b, a = node._b, node._a
            if b is not None and b._a is not None and b not in visited:
                push(b)
            if a._a is not None and a not in visited:
                push(a)
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
        for child in (node._a, node._b):  # the slots themselves: `_prev` would build a tuple
            if child is not None and child not in seen:
                seen.add(child)
                order.append(child)
    return order


@contextmanager
def grads_put_back(root):
    """Run the body with the nodes below `root`, then give each the grad it had before.

    For views and checks that run a backward pass of their own (`grad_table`,
    `gradcheck`) and must leave the user's grads as they found them.
    """
    nodes = all_nodes(root)
    held = [node.grad for node in nodes]
    try:
        yield nodes
    finally:
        for node, grad in zip(nodes, held):
            node.grad = grad
