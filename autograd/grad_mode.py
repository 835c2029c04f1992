"""Whether ops record the graph: switched off inside `with no_grad():`.

The mode belongs to the running thread and asyncio task (a `ContextVar`),
as PyTorch's grad mode belongs to its thread: a `no_grad()` block in one
thread leaves graphs built in every other thread recorded.  A new thread
starts with recording on; an asyncio task starts with the mode of the code
that created it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_recording = ContextVar("stepgrad_grad_enabled", default=True)

is_enabled = _recording.get
"""is_enabled() -> bool: whether ops record the graph here (this thread, this task)."""


@contextmanager
def no_grad():
    """Build no graph inside this block: results are plain leaves.

    Use it for updates of parameters and for evaluation, where no gradient
    is needed.  Blocks can be nested; the previous mode comes back on exit.
    """
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)
