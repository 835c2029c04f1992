"""Grad mode per thread and task; backward() from several threads at once."""

import asyncio
import sys
import threading
from contextlib import contextmanager

import pytest

from autograd import Value, no_grad
from autograd.engine import graph as pass_lock
from autograd.engine.value import is_grad_enabled as is_enabled

GUARD = 30.0
"""Seconds before a test that waits on another thread gives up: a hang guard, not a timing."""


def _run_in_thread(function):
    """Run `function` in a new thread; return its result (or raise its error)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(GUARD)
    assert not thread.is_alive(), "the thread never finished"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _grad_of_square(x_data):
    x = Value(x_data)
    (x * x).backward()
    return x.grad


def test_no_grad_in_one_thread_leaves_other_threads_recording():
    with no_grad():
        assert not is_enabled()
        assert _run_in_thread(lambda: _grad_of_square(3.0)) == 6.0
        assert _run_in_thread(is_enabled)
    assert is_enabled()


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on():
    # Thread A enters, B enters, A leaves, B leaves: with one process-wide
    # switch, A's exit restored "on" and B's exit then restored A's "off".
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with no_grad():
            a_in.set()
            assert b_in.wait(GUARD)
        a_out.set()

    def b():
        assert a_in.wait(GUARD)
        with no_grad():
            b_in.set()
            assert a_out.wait(GUARD)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD)
    assert is_enabled()
    assert _grad_of_square(2.0) == 4.0
    assert _run_in_thread(lambda: _grad_of_square(2.0)) == 4.0


def test_grad_mode_belongs_to_each_asyncio_task():
    async def recording_inside_no_grad(started, other_done):
        with no_grad():
            started.set()
            await other_done.wait()
            return is_enabled()

    async def recording(started, done):
        await started.wait()
        x = Value(3.0)
        y = x * x
        y.backward()
        done.set()
        return x.grad

    async def main():
        started, done = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(recording_inside_no_grad(started, done), recording(started, done))

    assert asyncio.run(main()) == [False, 6.0]


def _graph(hold=None):
    """x -> w = hand-built copy of x (whose _backward may wait) -> out = w * w; d out/dx = 2x = 6."""
    x = Value(3.0, label="x")
    w = Value(x.data, (x,), "copy", label="w")

    def _backward():
        if hold is not None:
            hold()
        x.grad += w.grad

    w._backward = _backward
    return x, w * w


PASSES = 15


def test_passes_on_one_graph_from_four_threads_add_up():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to interleave the passes
    try:
        x = Value(0.5, label="x")
        out = x
        for _ in range(300):
            out = (out * 1.01).tanh() + x
        out.backward()
        one_pass = x.grad
        x.grad = 0.0
        errors = []

        def run():
            try:
                for _ in range(PASSES):
                    out.backward()
            except Exception as error:  # noqa: BLE001  (collected, then asserted on)
                errors.append(error)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GUARD)
    finally:
        sys.setswitchinterval(previous)
    assert errors == []
    expected = 0.0
    for _ in range(4 * PASSES):
        expected += one_pass
    assert x.grad == expected


@contextmanager
def _a_pass_held_inside():
    """A backward pass of `_graph()` in another thread, held inside the graph until the block ends.

    Yields the graph's (x, out); only the first pass over it is held.
    """
    inside, release = threading.Event(), threading.Event()
    calls = []

    def hold():
        calls.append(1)
        if len(calls) == 1:
            inside.set()
            assert release.wait(GUARD)

    x, out = _graph(hold)
    held = threading.Thread(target=out.backward)
    held.start()
    assert inside.wait(GUARD)
    try:
        yield x, out
    finally:
        release.set()
        held.join(GUARD)


def test_a_second_pass_on_the_same_graph_waits_for_the_first():
    with _a_pass_held_inside() as (x, out):
        second = threading.Thread(target=out.backward)
        second.start()
        while not pass_lock._waits_for.get(second.ident) and second.is_alive():
            second.join(0.01)  # until the second pass waits for its turn
        assert len(pass_lock._waits_for) == 1 and x.grad == 0.0
    second.join(GUARD)
    assert x.grad == 12.0  # two passes of 6


def test_passes_on_disjoint_graphs_do_not_wait_for_each_other():
    with _a_pass_held_inside() as (x, _):
        assert _run_in_thread(lambda: _grad_of_square(5.0)) == 10.0  # runs while the other pass is held
    assert x.grad == 6.0


def test_a_pass_that_calls_backward_on_its_own_graph_gets_an_error():
    x = Value(3.0, label="x")
    w = Value(x.data, (x,), "copy", label="w")
    out = w * w
    x.grad = 1.0

    def _backward():
        out.backward()  # the same graph, from inside its own pass

    w._backward = _backward
    with pytest.raises(RuntimeError, match="already running in this thread"):
        out.backward()
    assert x.grad == 1.0 and out.grad == 0.0  # nothing changed


def test_ctrl_c_anywhere_while_another_thread_runs_a_pass_leaves_nothing_registered():
    """With a pass running in another thread, a pass registers through the waiting path;
    Ctrl-C at any of its steps must not leave it registered (or every later pass would wait)."""
    from tests.engine.test_graph_walks import PASS_CODE, STEP, _backward_interrupted_at

    codes = PASS_CODE | {pass_lock._wait_for_turn.__code__, pass_lock._deadlock_ends_with.__code__}
    x = Value(2.0, label="x")
    out = (x * 3) * x
    with _a_pass_held_inside():
        k = 1
        while _backward_interrupted_at(out, k, codes):
            assert len(pass_lock._line) == 1, f"a pass left registered after Ctrl-C at {STEP} {k}"
            assert not pass_lock._waits_for
            x.grad = 0.0
            k += 1
        assert k > 20 and x.grad == 12.0  # the last, uninterrupted pass ran: d(3x*x)/dx = 6x
    assert not pass_lock._line


def test_passes_calling_backward_on_each_others_graphs_from_two_threads_do_not_hang():
    """Thread 1 backs up through a `_backward` that calls (x2*3).backward(), thread 2 the mirror
    image with x1: each would wait for the other's pass for ever.  One of them gets an error,
    its pass changes no grad, and the other completes."""
    x1, x2 = Value(1.0, label="x1"), Value(2.0, label="x2")
    both_inside = threading.Barrier(2, timeout=GUARD)

    def crossing(mine, other):
        node = Value(mine.data, (mine,), "copy")

        def _backward():
            both_inside.wait()  # both passes are running: each now needs the other's graph
            (other * 3).backward()
            mine.grad += node.grad

        node._backward = _backward
        return node * 2

    outs = [crossing(x1, x2), crossing(x2, x1)]
    errors = []

    def run(out):
        try:
            out.backward()
        except RuntimeError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=run, args=(out,), daemon=True) for out in outs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD)
    assert not any(thread.is_alive() for thread in threads), "the two passes hang"
    assert len(errors) == 1 and "wait for each other for ever" in errors[0]
    # The pass that completed added 2 into its own leaf and 3 into the other's; the failed one nothing.
    assert sorted([x1.grad, x2.grad]) == [2.0, 3.0]
    assert not pass_lock._line and not pass_lock._waits_for
