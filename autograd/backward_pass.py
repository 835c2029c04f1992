"""One backward pass: all of it, or no grad changed.

    run_pass(root, run_rules)

1. Walk the graph below `root` once, noting every node's grad (`held`),
   and set every grad to 0.0 (the walk's own mark, see `_walk`).
2. Seed `root.grad = 1.0` and let `run_rules(order)` run the backward
   rules, parents first: each adds local derivative * grad into its children.
3. Commit: a leaf's grad becomes held + what this pass gave it (leaves
   accumulate across passes, as in PyTorch, and a held `None` counts as
   0.0); an interior node keeps what this pass gave it.

If anything raises before the commit ends (a rule, a `_backward` of its
own, a KeyboardInterrupt), every grad the pass reached is put back to its
held value, `None` included, and the error goes on: a failed pass changes
no grad, so a retry counts nothing twice.  An interrupt that lands inside
that putting-back can leave some grads at 0.0 or half-added; `zero_grad()`
then gives a clean graph again.  A grad the walk marked and no rule added
into stays the mark, which reads 0.0 and which no later pass mistakes for
its own.

The pass runs inside `pass_lock.claimed(root)`: passes in other threads over
graphs that share a node with this one wait until it ends.
"""

from .graph import all_nodes
from .pass_lock import claimed

FLOATS_HAVE_IDENTITY = float(0) is not float(0)
"""Whether two floats of equal value are two objects, as in CPython and
Pyodide; PyPy's `is` compares floats by value, so a pass there marks
visited nodes with an object and zeroes their grads after the walk."""


def run_pass(root, run_rules):
    """Backward from `root`, with `run_rules(order)` running the rules (see the module doc)."""
    with claimed(root):
        order, leaves, leaf_grads, held = [], [], [], {}
        # The walk's mark: a float of this pass's own, so every grad it
        # marks already reads 0.0, where the pass starts from.
        mark = float(0) if FLOATS_HAVE_IDENTITY else object()
        walked = False
        try:
            _walk(root, mark, order, leaves, leaf_grads, held)
            walked = True
            if mark != 0.0:  # an object, not a float: set the marked grads to 0.0
                for node in order:
                    node.grad = 0.0
                for leaf in leaves:
                    leaf.grad = 0.0
            root.grad = 1.0
            run_rules(order)
            for leaf, grad in zip(leaves, leaf_grads):
                if grad:  # a leaf that held 0.0 or None keeps this pass's grad
                    leaf.grad += grad
        except BaseException:
            _put_back(root, zip(leaves, leaf_grads), held, walked, mark)
            raise


def _walk(root, mark, order, leaves, leaf_grads, held):
    """Walk the graph below `root` once, filling the four collections.

    `order` gets the interior nodes, each before its children; `leaves` the
    leaves and `leaf_grads` their grads; `held` the grad of each interior
    node whose grad is not 0.0.

    `order` is a depth-first post-order (children first), reversed at the
    end: the recursive "visit the children, then emit the node" with an
    explicit stack, where a `None` on the stack means "the node under me
    has had all its children visited: emit it".  Each visited node's grad
    becomes `mark`: a float 0.0 of the pass's own, so `grad is mark` tells a
    visited node from any other (one whose grad a user set to None too) more
    cheaply than a set would, and every grad already reads 0.0 when the
    rules start.  A grad is noted before it is marked, so it can always be
    put back.  A fresh graph's interior grads are all 0.0, so `held` stays
    empty and costs nothing.

    NB: `is` between floats needs floats with an identity of their own, as
    in CPython and Pyodide; elsewhere `mark` is an object (see
    `FLOATS_HAVE_IDENTITY`).
    """
    stack = [root]
    push, pop = stack.append, stack.pop  # bound once: the loop runs once per edge
    emit, leaf, leaf_grad = order.append, leaves.append, leaf_grads.append
    visited = mark
    while stack:
        node = pop()
        if node is None:
            emit(pop())
            continue
        grad = node.grad
        if grad is visited:
            continue
        if node._a is not None:  # an interior node (one built by hand may have an op and no children)
            if grad or grad is None:
                held[node] = grad
            node.grad = visited
            push(node)
            push(None)
            # Children pushed second one first, so the first is walked first.
            b, a = node._b, node._a
            if b is not None and b.grad is not visited:
                push(b)
            if a.grad is not visited:
                push(a)
        else:
            leaf(node)
            leaf_grad(grad)
            node.grad = visited
    order.reverse()


def _put_back(root, leaves, held, walked, mark):
    """Give every node the pass reached its grad from before the pass; `leaves` gives (leaf, grad) pairs."""
    for node in all_nodes(root):
        if node._a is not None and (walked or node.grad is mark):
            node.grad = held.get(node, 0.0)
    for leaf, grad in leaves:
        leaf.grad = grad
