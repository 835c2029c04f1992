"""The op table: one `Op` record per op, looked up by all that reads an op's formulas.
`value.py` writes stepgrad's own records; `extend.register` adds more."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Op:
    """One op: its `forward` (the Value method that computes it; `expression`, the
    same on floats in `a`, `b`), `local_grads` (d out / d child, in `a`, `b`,
    `out`), `symbol` (drawn in its node) and `backward` (its generated rule)."""

    name: str
    forward: object
    local_grads: tuple
    expression: str
    symbol: str
    backward: object

    @property
    def arity(self):
        return len(self.local_grads)


OPS = {}  # every op by its `_op` name


class MissingBackward(RuntimeError):
    """A node built by hand without a `_backward` of its own, or with an op the table does not know."""


def rule_name(forward):
    """The name of an op's generated rule: `mul_backward` for `__mul__`."""
    return f"{forward.__name__.strip('_')}_backward"


def own_backward(node):
    """The `_backward` function assigned to `node` by hand, or None."""
    return getattr(node, "_own_backward", None)


def table_op(node):
    """The op table's record for `node` when its table rule is its backward step, else None."""
    op = OPS.get(node._op)
    return op if op is not None and own_backward(node) is None and op.arity == len(node.children) else None

