"""The graph walks: parents before children, nothing about the nodes changed."""

import math
import signal
import sys

import pytest

from autograd import Value, backward_steps, compile, draw_dot, grad_table
from autograd.engine import backward_rules, value
from autograd.engine import graph as backward_pass
from autograd.engine.graph import all_nodes
from autograd.engine.walks import interior_nodes_parents_first
from autograd.views.names import node_names
from autograd.engine.value import OPS


def test_parents_come_before_children_and_leaves_are_left_out():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    a = x * y
    b = a + x
    c = b * a  # a is used twice
    order = interior_nodes_parents_first(c)
    assert order == [c, b, a]
    assert interior_nodes_parents_first(x) == []


def test_a_walk_changes_no_grad_and_can_be_repeated():
    x = Value(0.5)
    y = (x * x).tanh() + x
    y.backward()
    grads = [n.grad for n in all_nodes(y)]
    first = interior_nodes_parents_first(y)
    assert interior_nodes_parents_first(y) == first
    assert [n.grad for n in all_nodes(y)] == grads


class Watched(Value):
    """A node that counts every write to its grad."""

    __slots__ = ("_grad", "writes", "_own_backward")

    def __init__(self, *args, **kwargs):
        self.writes = -1  # Value.__init__ sets grad once
        super().__init__(*args, **kwargs)

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad = value
        self.writes += 1


def test_drawing_naming_and_compiling_write_no_grad():
    x, y = Watched(0.5, label="x"), Watched(2.0, label="y")
    h = Watched(1.0, (x, y), "*", label="h")
    out = Watched(2.0, (h, h), "+", label="out")

    def h_backward():  # built by hand, so each node needs a backward of its own
        x.grad += y.data * h.grad
        y.grad += x.data * h.grad

    def out_backward():
        h.grad += 2 * out.grad  # out = h + h

    h._backward, out._backward = h_backward, out_backward
    nodes = [x, y, h, out]
    interior_nodes_parents_first(out)
    node_names(out)
    draw_dot(out)
    compile(x * y + x * y, [x, y])  # compile() takes only the op table's nodes: the same graph, by operators
    assert [node.writes for node in nodes] == [0, 0, 0, 0]
    x.grad = 7.0
    grad_table(out)  # runs one pass of its own, then puts every grad back
    assert [node.grad for node in nodes] == [7.0, 0.0, 0.0, 0.0]
    x.grad = 0.0
    out.backward()  # the fast walk of backward() may write
    assert out.grad == 1.0 and h.grad == 2.0 and x.grad == 4.0


def test_children_in_order_and_prev_as_micrograds_set():
    a, b = Value(1.0), Value(2.0)
    assert (a * b).children == (a, b) and a.exp().children == (a,) and a.children == ()
    assert (b * a).children == (b, a) and (a * a).children == (a, a) and (a * a)._prev == {a}
    made = Value(3.0, (a, b), "+")
    assert made.children == (a, b) and made._prev == {a, b} and made._op == "+"


PASS_CODE = {
    backward_pass.run_pass.__code__,
    backward_pass._enter.__code__,
    backward_pass._fill_grads.__code__,
    backward_pass._walk.__code__,
    value._run_table_rules.__code__,
    backward_rules.run_rules.__code__,
    *(op.backward.__code__ for op in OPS.values()),
}
"""The code of a backward pass: its registration as running, its walk, its rules, its commit, its leaving."""


def _opcode_events_delivered():
    """Whether this interpreter reports `opcode` trace events.  CPython 3.12.1
    and 3.13.0 report none when `f_trace_opcodes` is set from the call event
    (gh-114480); there the finest step a tracer sees is a line."""
    seen = []

    def trace_calls(frame, event, arg):
        if frame.f_code is not probe.__code__:
            return None
        frame.f_trace_opcodes = True
        return trace_events

    def trace_events(frame, event, arg):
        seen.append(event)
        return trace_events

    def probe():
        return len(seen)

    previous = sys.gettrace()
    sys.settrace(trace_calls)
    try:
        probe()
    finally:
        sys.settrace(previous)
    return "opcode" in seen


STEP = "opcode" if _opcode_events_delivered() else "line"
"""The trace event at which the Ctrl-C test interrupts: each bytecode where
the interpreter reports them, else each line."""


def _backward_interrupted_at(root, k, codes=PASS_CODE):
    """`root.backward()` with Ctrl-C arriving at the k-th `STEP` event in the code objects `codes`.

    Returns whether the pass was that long (so the interrupt happened).
    """
    count = 0

    def trace_calls(frame, event, arg):
        if frame.f_code not in codes:
            return None
        frame.f_trace_opcodes = True
        return trace_steps

    def trace_steps(frame, event, arg):
        nonlocal count
        if event == STEP:
            count += 1
            if count == k:
                raise KeyboardInterrupt
        return trace_steps

    previous = sys.gettrace()
    sys.settrace(trace_calls)
    try:
        root.backward()
    except KeyboardInterrupt:
        return True
    finally:
        sys.settrace(previous)
    return False


def test_ctrl_c_anywhere_in_a_pass_changes_no_grad():
    """Ctrl-C at every bytecode of a pass; on Python 3.12.1 and 3.13.0, which
    report no bytecode events (gh-114480), at every line of it instead: a
    coarser check, but the same promise."""
    x = Value(2.0, label="x")
    h = x * 3
    o = h * h + x  # do/dx = 18 x + 1 = 37
    nodes = all_nodes(o)
    o.backward()
    x.grad = 5.0
    before = [node.grad for node in nodes]
    o.backward()
    completed = [node.grad for node in nodes]  # x.grad 5 + 37
    k = 1
    while _backward_interrupted_at(o, k):
        after = [node.grad for node in nodes]
        assert after == before or after == completed, f"a pass half done after an interrupt at {STEP} {k}"
        assert all(type(node.grad) is float for node in nodes), f"a mark left after {STEP} {k}"
        assert not backward_pass._line, f"the pass left registered as running after {STEP} {k}"
        o.zero_grad()
        o.backward()
        assert (x.grad, h.grad, o.grad) == (37.0, 12.0, 1.0), f"wrong grads after {STEP} {k}"
        for node, grad in zip(nodes, before):
            node.grad = grad
        k += 1
    assert k > (150 if STEP == "opcode" else 100)  # the walk, the rules and the commit were each interrupted everywhere
    assert [node.grad for node in nodes] == completed


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers (signal.setitimer)")
def test_real_ctrl_c_in_a_loop_of_small_passes_leaves_none_in_line():
    """Interval-timer signals raise KeyboardInterrupt wherever the interpreter checks
    for them inside the engine, in a loop of small passes, as Ctrl-C would."""
    x = Value(2.0, label="x")
    out = (x * 3) * x

    def interrupt(signum, frame):
        if frame.f_globals.get("__name__", "").startswith("autograd."):  # not in this test's own lines
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    interrupted = 0
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.0003, 0.0003)
        for _ in range(3000):
            try:
                out.backward()
                assert not backward_pass._line
            except KeyboardInterrupt:
                interrupted += 1
                assert not backward_pass._line, "a pass left in line by a real interrupt"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, previous)
    assert interrupted > 0
    x.grad = 0.0
    out.backward()
    assert x.grad == 12.0


def test_a_grad_set_to_none_is_not_taken_for_visited():
    x = Value(2.0, label="x")
    h = x * 3
    o = h * h
    o.grad = h.grad = None  # PyTorch's way of clearing a grad
    o.backward()
    assert (x.grad, h.grad, o.grad) == (36.0, 12.0, 1.0)


def test_a_grad_left_at_0_by_a_backward_of_its_own_is_walked_by_the_next_pass():
    """Each pass marks visited nodes with a 0.0 of its own; one left behind
    by a `_backward` that passes nothing down must not look visited later."""
    x = Value(3.0, label="x")
    h = x * 2
    stop = Value(h.data, (h,), "stop")
    stop._backward = lambda: None  # passes nothing down: h.grad stays the pass's mark
    stop.backward()
    assert (h.grad, x.grad) == (0.0, 0.0)
    (h + stop).backward()
    assert (h.grad, x.grad) == (1.0, 2.0)


def test_a_node_built_by_hand_with_an_op_and_no_children_is_a_leaf_to_every_walk():
    const = Value(2.0, (), "const")
    const.backward()
    assert const.grad == 1.0  # a leaf root accumulates one
    x = Value(3.0, label="x")
    y = x * const
    y.backward()
    assert (x.grad, const.grad) == (2.0, 4.0)
    assert [step.node for step in backward_steps(y)] == [y]
    assert interior_nodes_parents_first(y) == [y]
    draw_dot(y)
    grad_table(y)


def test_where_floats_have_no_identity_a_pass_marks_with_an_object(monkeypatch):
    """PyPy's `is` compares floats by value: there the walk's mark is an object and the grads are zeroed after it."""
    monkeypatch.setattr(backward_pass, "FLOATS_HAVE_IDENTITY", False)
    x, w = Value(2.0), Value(-3.0)
    h = x * w
    out = h.tanh() + h
    for passes in (1, 2):
        out.backward()
        d_h = 1 - math.tanh(h.data) ** 2 + 1
        assert (out.grad, h.grad) == (1.0, d_h)
        assert (x.grad, w.grad) == (passes * d_h * -3.0, passes * d_h * 2.0)
