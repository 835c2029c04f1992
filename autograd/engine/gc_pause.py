"""`cyclic_gc_paused()`: Python's cyclic garbage collector off inside a block.

A graph makes no reference cycles (a node keeps no closure, see
`autograd.engine.value`), so reference counting frees it the moment it is
dropped; yet the collector, started by every few hundred new objects,
walks the nodes again and again, and every other live object with them.
Training steps (`nn.fit`) and `compile()`, which makes a tuple and a
string or two per node, run with it paused, and a training loop of one's
own can do the same (the GC-on and GC-off rows of `benchmarks/README.md`
show what it costs).
"""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector inside the block (as it was before, after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
