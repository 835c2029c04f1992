"""Whether ops record the graph: switched off inside `with no_grad():`."""

from contextlib import contextmanager

enabled = True


@contextmanager
def no_grad():
    """Build no graph inside this block: results are plain leaves.

    Use it for updates of parameters and for evaluation, where no gradient
    is needed.  Blocks can be nested; the previous mode comes back on exit.
    """
    global enabled
    previous, enabled = enabled, False
    try:
        yield
    finally:
        enabled = previous
