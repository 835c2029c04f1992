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
        while pass_lock.waiting == 0 and second.is_alive():
            second.join(0.01)  # until the second pass waits for its turn
        assert pass_lock.waiting == 1 and x.grad == 0.0
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
