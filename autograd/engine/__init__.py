"""The engine: `Value`, its ops and the backward pass.

    value.py           Value, its operators, grad mode, and each op's record
    ops.py             the op table: OPS, one Op record per op
    backward_rules.py  each op's backward rule, generated from the table
    formulas.py        the table's formulas in every form
    extend.py          ops of one's own: register, unregister
    floats.py          the float functions the ops compute; number formatting
    graph.py           walks over a graph, and the backward pass
    gc_pause.py        Python's cyclic garbage collector paused in a block
"""

from .value import OPS, MissingBackward, Value, enable_grad, no_grad

__all__ = ["Value", "MissingBackward", "no_grad", "enable_grad", "OPS"]
