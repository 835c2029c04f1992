"""The `Value` node: one scalar, its gradient, and how it was made.

A node records its children (`_prev`, in order, one entry per use) and the
name of the op that made it (`_op`).  It keeps no closure of its own: the
backward rule of each op lives once, in the op table (`autograd.ops`), and
`backward()` calls those rules directly.  `v._backward` builds the familiar
no-argument closure from the rule when a student asks for it, so stepping by
hand still works:

    o.grad = 1.0; o._backward(); n._backward(); ...

Keeping no closure per node means a node holds no reference to itself, so a
graph is freed by reference counting the moment it is dropped and Python's
garbage collector has little to scan.

The arithmetic and activation methods (`__add__`, `tanh`, ...) are attached
to `Value` from the op table when `autograd.ops` is imported.
"""

import math
from numbers import Real

from . import grad_mode
from .graph import all_nodes, zeroed_interior_nodes_parents_first

BACKWARD_RULES = {}
"""Op name -> backward rule; filled by the op table (`autograd.ops`), read by `backward()`."""


def _as_float(data):
    """`data` as a float, or an error that names the offending type or size."""
    if not isinstance(data, Real):
        raise TypeError(f"Value needs a real number, got {type(data).__name__} {data!r}")
    try:
        return float(data)
    except OverflowError:
        raise OverflowError(f"{_size(data)} is too big for a float (the largest is about 1.8e308)") from None


def _size(number):
    """`an int of about 401 digits`: a number too big to print in full."""
    if isinstance(number, int):
        return f"an int of about {int(number.bit_length() * math.log10(2)) + 1} digits"
    return f"{type(number).__name__} {number!r}"


def _short(x):
    """A float rounded to 4 decimals for display, keeping tiny values visible."""
    rounded = round(x, 4)
    if rounded == 0.0 and x != 0.0:
        return f"{x:.4g}"
    return repr(rounded)


class Value:
    """A scalar that remembers how it was computed, so it can be differentiated.

    `data` is the value, `grad` is d(output)/d(this node) once `backward()`
    has run on some output.  `label` is a name for drawings and tables.
    """

    # Children sit in two slots, `_a` and `_b` (None when absent), not in a
    # tuple: one object less per node, which halves the garbage collector's
    # work while a graph is built.  `_prev` gives them as the tuple.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b")

    def __init__(self, data, label="", _children=(), _op=""):
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        if len(_children) > 2:
            raise ValueError(f"a node has at most two children, got {len(_children)}")
        if not grad_mode.enabled:
            _children, _op = (), ""
        if _children:
            self._a, self._b = (*_children, None)[:2]
        else:
            self._a = self._b = None
        self._op = _op

    @property
    def _prev(self):
        """The children in order, one entry per use: (), (a,) or (a, b)."""
        if self._b is not None:
            return (self._a, self._b)
        if self._a is not None:
            return (self._a,)
        return ()

    def __repr__(self):
        text = f"Value(data={_short(self.data)}, grad={_short(self.grad)}"
        if self.label:
            text += f", label={self.label!r}"
        return text + ")"

    @property
    def _backward(self):
        """This node's local backward step as a no-argument function.

        Calling it adds `local derivative * self.grad` into each child's
        `grad`, exactly what `backward()` does for this node.
        """
        if not self._op:
            return _leaf_backward
        rule = BACKWARD_RULES[self._op]
        node = self
        return lambda: rule(node)

    def backward(self):
        """Fill `grad` of every node this one depends on (reverse mode).

        Semantics follow PyTorch: this node's grad is seeded with 1.0, the
        grads of interior nodes are recomputed on every call, and leaves
        accumulate across calls until they are zeroed.  The graph is walked
        with a loop, so any depth works under the default recursion limit.
        """
        rules = BACKWARD_RULES
        order = start_backward(self)
        try:
            for node in order:
                rules[node._op](node)
        except TypeError:
            check_child_grads(node)
            raise

    def zero_grad(self):
        """Set the grad of this node and of every node below it to 0.0."""
        for node in all_nodes(self):
            node.grad = 0.0

    def detach(self):
        """A new leaf with the same data: gradients do not flow through it."""
        return Value(self.data, self.label)


def start_backward(root):
    """Set up a backward pass from `root`; return the nodes whose rules run.

    The grads of interior nodes go to 0.0 and `root.grad` is seeded with 1.0
    (a leaf root adds 1.0 to its grad, as leaves accumulate).  The nodes come
    parents first: the order in which their backward rules must run.
    """
    order = zeroed_interior_nodes_parents_first(root)
    if root._op:
        root.grad = 1.0
    elif root.grad is None:
        raise TypeError("grad of the root leaf is None; set it to 0.0 (or call zero_grad()) before backward()")
    else:
        root.grad += 1.0
    return order


def check_child_grads(node):
    """Raise a TypeError naming the child of `node` whose grad is None.

    A leaf's grad set to None (PyTorch's way of clearing it) cannot have
    grad added to it.  `backward_steps` checks before each step;
    `backward()` only once a rule has failed (a check per node would slow
    every pass), so there the leaves reached before that node already hold
    their new grads.
    """
    for child in node._prev:
        if child.grad is None:
            name = repr(child.label) if child.label else f"Value(data={child.data!r})"
            raise TypeError(
                f"grad of node {name} is None; set it to 0.0 (or call zero_grad()) before backward()"
            ) from None


_new = object.__new__


def result_node(data, a, b, op):
    """The node an op returns: like `Value(data, "", (a, b), op)`, faster.

    For the op table's forward functions only: `data` must already be a
    float, `a` a Value and `b` a Value or None (a function of one value),
    since nothing is checked here.  Skipping `__init__` and its checks
    makes a node about 20% faster (200 ns instead of 250 ns here).
    """
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    if grad_mode.enabled:
        node._a, node._b, node._op = a, b, op
    else:
        node._a, node._b, node._op = None, None, ""
    return node


def _leaf_backward():
    """A leaf has no children: its backward step does nothing."""
