"""Backward passes in several threads: overlapping graphs take turns.

A backward pass writes the grad of every node it reaches, so two passes
over graphs that share a node (the same graph, or two losses that share a
leaf) must not run at the same time: one would reset grads that the other
is adding into.  `claimed(root)` lets a pass start when no running pass
shares a node with its graph, and otherwise waits until they have ended.
The result is the sum of the passes run one after the other.

Passes over disjoint graphs do not wait for each other: there is no global
lock around `backward()`.  Under the GIL they take turns on the CPU anyway,
but a pass that blocks (a hand-written `_backward` waiting on I/O) holds up
no pass of another graph, and a free-threaded Python can run them at once.

The common case costs two lock acquisitions per pass: with no other pass
running, nothing is compared.  Only when another pass runs are the two
graphs' nodes collected and compared.

NB: a pass interrupted (Ctrl-C) while it leaves this registry may stay
registered; a later pass over the same graph in another thread would then
wait for ever.  In the same thread it gets an error instead.
"""

import threading
from contextlib import contextmanager

from .graph import all_nodes

_running = []
"""The passes now running, each a `_Pass`."""

_turns = threading.Condition()
"""Guards `_running`; notified whenever a pass ends."""

waiting = 0
"""How many passes wait for an overlapping pass to end (read by tests)."""


class _Pass:
    """A running backward pass: its root, its thread, and (once asked) its nodes."""

    __slots__ = ("root", "thread", "_nodes")

    def __init__(self, root):
        self.root = root
        self.thread = threading.get_ident()
        self._nodes = None

    def nodes(self):
        """Every node of the pass's graph, leaves too, as a set (computed once)."""
        if self._nodes is None:
            self._nodes = set(all_nodes(self.root))
        return self._nodes


@contextmanager
def claimed(root):
    """Run the body as the only running pass over any node below `root`.

    Waits while a pass in another thread shares a node with this graph; a
    RuntimeError if that pass runs in this thread (a `_backward` of its own
    that calls `backward()` on its own graph), since waiting would never end.
    """
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
    mine = me.nodes()  # read outside the lock: passes change grads, never the graph's shape
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
