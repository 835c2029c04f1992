"""The `Node`, and the walk that matters most, the backward pass (loops, not recursion:
a graph can be far deeper than Python's recursion limit).  Other walks: walks.py."""

import threading
import time
from functools import cached_property


class Node:
    """A node: `data`, `grad`, `label`, its op's name `_op`, and its children in two slots,
    `_a` and `_b` (None when absent: one object less than a tuple).  `Value` adds arithmetic."""

    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")

    @property
    def children(self):
        """The children in order, one entry per use: (), (a,) or (a, b)."""
        if self._b is not None:
            return (self._a, self._b)
        return () if self._a is None else (self._a,)

    @property
    def _prev(self):
        """The children as a new set, as micrograd keeps them (`a + a` has one); `children` keeps the order."""
        return set(self.children)


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


# --- the backward pass ---------------------------------------------------------

FLOATS_HAVE_IDENTITY = float(0) is not float(0)  # CPython, Pyodide: yes; PyPy: no, the mark is an object


def run_pass(root, run_rules):
    """One backward pass from `root`: all of it, or (if anything raises) no grad changed.

    1. Walk the graph once, noting every grad and setting it to 0.0.
    2. Seed root.grad = 1.0; `run_rules(order)` runs the rules, parents first.
    3. A leaf's grad becomes what it held + this pass's (leaves accumulate, as
       in PyTorch; None counts as 0.0); an interior node keeps this pass's.
    """
    me = _Pass(root)
    try:  # Ctrl-C at any step of this, the pass's first or last included, leaves it out of line
        _enter(me)
        _fill_grads(root, run_rules)
        _line.pop(me)  # leaving the line is one step
    except BaseException:
        _line.pop(me, None)  # `me` may never have got in line
        raise


def _fill_grads(root, run_rules):
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
    # The walk of walks.interior_nodes_parents_first, faster: a visited node's grad
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


# --- passes in several threads ------------------------------------------------------
# A pass runs alone over its nodes: it waits while a pass ahead of it in line, in another
# thread, shares a node with it; disjoint graphs run side by side.  No lock is ever held:
# joining and leaving the line are single steps, so Ctrl-C at any step leaves nothing behind.


class _Pass:  # a backward pass: its root, its thread, and (once asked) its nodes as a set

    def __init__(self, root):
        self.root, self.thread = root, threading.get_ident()

    @cached_property
    def nodes(self):
        return set(all_nodes(self.root))


_line = {}  # the passes running or waiting, as keys, in the order they came (a dict keeps it)
_waits_for = {}  # a thread whose pass waits -> (that pass, the pass ahead it waits for)


def _enter(me):
    _line[me] = None  # one step: in line behind every pass already there
    if len(_line) > 1:
        _wait_for_turn(me)


def _wait_for_turn(me):
    """Wait while a pass ahead of `me` shares a node with it.  Ahead in the same thread,
    or waiting (through others) for `me`'s thread, it would never end: an error."""
    mine = me.nodes
    try:
        while True:
            line = list(_line)
            ahead = line[: line.index(me)]
            clash = next((other for other in ahead if not other.nodes.isdisjoint(mine)), None)
            if clash is None:
                break
            if clash.thread == me.thread:
                raise RuntimeError(_OWN_PASS)
            if _deadlock_ends_with(me, clash, line):
                raise RuntimeError(_DEADLOCK)
            _waits_for[me.thread] = (me, clash)
            time.sleep(0.0005)
        _waits_for.pop(me.thread, None)
    except BaseException:
        _waits_for.pop(me.thread, None)
        raise


def _deadlock_ends_with(me, clash, line):
    """Whether `clash`'s thread waits, through others, for `me`'s thread, and `me` came
    last in line of the passes in that circle (so exactly one of them gives up)."""
    circle, awaited = [me], [clash]
    while awaited[-1].thread != me.thread:
        waiting = _waits_for.get(awaited[-1].thread)
        if waiting is None or len(circle) > len(line):
            return False
        circle.append(waiting[0])
        awaited.append(waiting[1])
    # Read without a lock, the circle holds only if every awaited pass is still in line now.
    if not all(other in _line for other in awaited):
        return False
    line = list(_line)
    return max(circle, key=lambda waiter: line.index(waiter) if waiter in line else -1) is me


_OWN_PASS = ("backward() was called on a graph whose backward pass is already running in this "
             "thread (from a _backward of its own?); a pass cannot wait for itself")
_DEADLOCK = ("backward() was called (from a _backward of its own?) on a graph whose pass in another "
             "thread waits for this thread's pass to end: the two would wait for each other for ever")
