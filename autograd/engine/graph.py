"""The `Node`, walks over a graph (loops: a graph can be far deeper than Python's
recursion limit), and the walk that matters most, the backward pass."""

import threading
from contextlib import contextmanager


class Node:
    """A node: `data`, `grad`, `label`, its op's name `_op`, and its children in two slots,
    `_a` and `_b` (None when absent: one object less than a tuple).  `Value` adds arithmetic."""

    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")

    @property
    def _prev(self):
        """The children in order, one entry per use: (), (a,) or (a, b)."""
        if self._b is not None:
            return (self._a, self._b)
        return () if self._a is None else (self._a,)


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


def all_nodes(root):
    """Every node below `root` (leaves too), each once: breadth-first from the root, in child order."""
    order = [root]
    seen = {root}
    for node in order:
        for child in (node._a, node._b):
            if child is not None and child not in seen:
                seen.add(child)
                order.append(child)
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


# --- the backward pass ---------------------------------------------------------

FLOATS_HAVE_IDENTITY = float(0) is not float(0)  # CPython, Pyodide: yes; PyPy: no, the mark is an object


def run_pass(root, run_rules):
    """One backward pass from `root`: all of it, or (if anything raises) no grad changed.

    1. Walk the graph once, noting every grad and setting it to 0.0.
    2. Seed root.grad = 1.0; `run_rules(order)` runs the rules, parents first.
    3. A leaf's grad becomes what it held + this pass's (leaves accumulate, as
       in PyTorch; None counts as 0.0); an interior node keeps this pass's.
    """
    with _claimed(root):
        order, leaves, leaf_grads, held = [], [], [], {}
        mark = float(0) if FLOATS_HAVE_IDENTITY else object()
        walked = False
        try:
            _walk(root, mark, order, leaves, leaf_grads, held)
            walked = True
            if mark != 0.0:  # an object, not a float: zero the marked grads
                for node in (*order, *leaves):
                    node.grad = 0.0
            root.grad = 1.0
            run_rules(order)
            for leaf, grad in zip(leaves, leaf_grads):
                if grad:  # a leaf that held 0.0 or None keeps this pass's grad
                    leaf.grad += grad
        except BaseException:
            _put_back(root, zip(leaves, leaf_grads), held, walked, mark)
            raise


def _walk(root, mark, order, leaves, leaf_grads, held):
    """Fill `order` (interior nodes, parents first), `leaves`, `leaf_grads` and `held`."""
    # `held`: each interior grad that is not 0.0.
    # The walk of interior_nodes_parents_first, faster: a visited node's grad
    # becomes `mark`, a 0.0 of this pass's own, so `grad is mark` replaces a
    # visited set and every grad already reads 0.0 when the rules start.  A grad
    # is noted before it is marked, so it can always be put back.
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
        if node._a is not None:  # interior (a node built by hand may have an op and no children)
            if grad or grad is None:
                held[node] = grad
            node.grad = visited
            push(node)
            push(None)
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
    # Every node the pass reached gets its grad from before the pass.
    for node in all_nodes(root):
        if node._a is not None and (walked or node.grad is mark):
            node.grad = held.get(node, 0.0)
    for leaf, grad in leaves:
        leaf.grad = grad


class _Pass:  # a running backward pass: its root, its thread, and (once asked) its nodes as a set

    def __init__(self, root):
        self.root, self.thread, self._nodes = root, threading.get_ident(), None

    def nodes(self):
        if self._nodes is None:
            self._nodes = set(all_nodes(self.root))
        return self._nodes


_running = []  # the passes running now
_turns = threading.Condition()  # guards _running; notified whenever a pass ends
waiting = 0  # how many passes wait for an overlapping pass to end (read by tests)


@contextmanager
def _claimed(root):
    """Run the body as the only running pass over any node below `root`: wait while a pass
    in another thread shares a node with it (disjoint graphs run side by side)."""
    # Alone, this costs two lock acquisitions.  NB: a pass interrupted while it
    # leaves the registry may stay registered.
    me = _Pass(root)
    with _turns:
        alone = not _running
        if alone:
            _running.append(me)
    if not alone:
        _wait_for_turn(me)
    try:
        yield
    finally:
        with _turns:
            _running.remove(me)
            _turns.notify_all()


def _wait_for_turn(me):
    """Register `me` once no running pass shares a node with its graph."""
    global waiting
    mine = me.nodes()  # outside the lock: passes change grads, never a graph's shape
    with _turns:
        while True:
            clash = next((other for other in _running if not other.nodes().isdisjoint(mine)), None)
            if clash is None:
                _running.append(me)
                return
            if clash.thread == me.thread:
                raise RuntimeError(
                    "backward() was called on a graph whose backward pass is already running in this "
                    "thread (from a _backward of its own?); a pass cannot wait for itself"
                )
            waiting += 1
            try:
                _turns.wait()
            finally:
                waiting -= 1
