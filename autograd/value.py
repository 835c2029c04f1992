"""The `Value` node: one scalar, its gradient, and how it was made.

A node records its children (`_prev`, in order, one entry per use) and the
name of the op that made it (`_op`).  Nodes made by stepgrad's own ops keep
no closure: the backward rule of each op lives once, in the op table
(`autograd.ops`), and `backward()` calls those rules directly.  `v._backward`
builds the familiar no-argument closure from the rule when a student asks
for it, so stepping by hand still works:

    o.grad = 1.0; o._backward(); n._backward(); ...

A node built by hand, as in the lecture, may carry its own backward step:

    out = Value(t, (x,), "tanh")
    def _backward():
        x.grad += (1 - t**2) * out.grad
    out._backward = _backward

Keeping no closure per node means a node holds no reference to itself, so a
graph is freed by reference counting the moment it is dropped and Python's
garbage collector has little to scan.

The arithmetic and activation methods (`__add__`, `tanh`, ...) are attached
to `Value` from the op table when `autograd.ops` is imported.
"""

import math
from numbers import Rational, Real

from . import grad_mode
from .backward_pass import run_pass
from .backward_rules import INLINED, run_rules
from .graph import all_nodes

BACKWARD_RULES = {}
"""Op name -> backward rule; filled by the op table (`autograd.ops`), read by `backward()`."""

CHILD_COUNTS = {}
"""Op name -> how many children its backward rule reads; filled by the op table."""


class MissingBackward(RuntimeError):
    """A node built by hand whose backward step stepgrad cannot know."""


class _HandBuilt:
    """Whether any node has been given children or a `_backward` by hand.

    Until one has, every node comes from the op table and `backward()`
    takes its fast path: one table lookup per node, no other check.
    """

    seen = False


def _as_float(data):
    """`data` as a float, or an error that names the offending type or size."""
    if not isinstance(data, Real):
        kind = type(data)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}.{kind.__name__}"
        hint = " (it is not a number type: convert it with float(x))" if hasattr(kind, "__float__") and not hasattr(kind, "__len__") else ""
        raise TypeError(f"Value needs a real number, got {name} {_short_repr(data)}{hint}")
    try:
        return float(data)
    except OverflowError:
        raise OverflowError(f"{_size(data)} is too big for a float (the largest is about 1.8e308)") from None


def _size(number):
    """`an int of about 401 digits`: a number too big to print in full."""
    if isinstance(number, Rational):
        bits = number.numerator.bit_length() - (number.denominator.bit_length() - 1)
        digits = int(bits * math.log10(2)) + 1
        return f"{'an int' if isinstance(number, int) else f'a {type(number).__name__}'} of about {digits} digits"
    return f"{type(number).__name__} {_short_repr(number)}"


def _short_repr(x, limit=60):
    """repr(x), cut to about `limit` characters."""
    text = repr(x)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def _short(x):
    """A float rounded to 4 decimals for display, keeping tiny values visible; None as None."""
    if x is None:
        return "None"
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

    def __new__(cls, data=0.0, _children=(), _op="", label=""):
        # A node built by hand with an op, Value(t, (x,), "tanh"), is a
        # HandBuiltValue: it has a slot for a `_backward` of its own, which
        # the op table's nodes do without.
        if cls is Value and _op:
            cls = HandBuiltValue
        return object.__new__(cls)

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        children = _checked_children(_children, _op, label)
        if not _recording():
            children, _op = (), ""
        if children:
            _HandBuilt.seen = True
            self._a, self._b = (*children, None)[:2]
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
        `grad`, exactly what `backward()` does for this node.  Assign a
        function of no arguments to give a hand-built node its own step.
        """
        return local_backward(self)

    @_backward.setter
    def _backward(self, function):
        if function is not None and not callable(function):
            raise TypeError(
                f"_backward must be a function of no arguments that adds into the children's grads, "
                f"got {type(function).__name__} {function!r}"
            )
        try:
            self._own_backward = function
        except AttributeError:
            raise AttributeError(
                "only a node built by hand with an op, Value(data, children, op), takes a _backward of its "
                "own; this node is a leaf, or was made by one of stepgrad's ops, whose backward the op table knows"
            ) from None
        _HandBuilt.seen = True

    def backward(self):
        """Fill `grad` of every node this one depends on (reverse mode).

        Semantics follow PyTorch: this node's grad is seeded with 1.0, the
        grads of interior nodes are recomputed on every call, and leaves
        accumulate across calls until they are zeroed (a leaf grad of None
        counts as 0.0).  A pass that raises changes no grad.  The graph is
        walked with a loop, so any depth works under the default recursion
        limit.  See `autograd.backward_pass` for the details, and
        `autograd.pass_lock` for passes in several threads.
        """
        run_pass(self, _run_own_or_table_steps if _HandBuilt.seen else _run_table_rules)

    def zero_grad(self):
        """Set the grad of this node and of every node below it to 0.0."""
        for node in all_nodes(self):
            node.grad = 0.0

    def detach(self):
        """A new leaf with the same data: gradients do not flow through it."""
        return Value(self.data, label=self.label)


class HandBuiltValue(Value):
    """A node built by hand, `Value(data, children, op)`, which may carry its own `_backward`."""

    __slots__ = ("_own_backward",)


def _checked_children(children, op, label):
    """`children` as a tuple of at most two Values, or an error that says what to write."""
    if isinstance(children, str):
        raise TypeError(
            f"the second argument of Value is its children (a tuple of Values), got the string "
            f"{children!r}; to name the node write label={children!r}"
        )
    if isinstance(children, Value):
        raise TypeError("the children of a node go in a tuple: write (a,) or (a, b), not a")
    try:
        children = tuple(children)
    except TypeError:
        raise TypeError(
            f"the children of a node must be a tuple of Values, got {type(children).__name__} {children!r}"
        ) from None
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"the children of a node must be Values, got {type(child).__name__} {child!r}")
    if len(children) > 2:
        raise ValueError(
            f"a node has at most two children, got {len(children)}; build it from nodes "
            f"of one or two children (a + b + c is (a + b) + c)"
        )
    if not isinstance(op, str):
        raise TypeError(f"_op is the op's name, a string, got {type(op).__name__} {op!r}")
    if children and not op:
        raise ValueError("a node with children needs the name of its op, as in Value(a.data + b.data, (a, b), '+')")
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
    return children


def own_backward(node):
    """The `_backward` function assigned to `node` by hand, or None."""
    return getattr(node, "_own_backward", None)


def local_backward(node):
    """The no-argument function that runs `node`'s backward step.

    A node's own `_backward` if it was given one; else the op table's rule
    for its `_op`.  A MissingBackward error says what to do when there is
    neither.
    """
    own = own_backward(node)
    if own is not None:
        return own
    if not node._op:
        return _leaf_backward
    rule = BACKWARD_RULES.get(node._op)
    if rule is None or CHILD_COUNTS[node._op] != len(node._prev):
        raise MissingBackward(_missing_backward_message(node, rule is None))
    return lambda: rule(node)


def _missing_backward_message(node, unknown_op):
    name = f"node {node.label!r}" if node.label else f"the node Value(data={node.data!r})"
    if unknown_op:
        problem = f"{name} has the op {node._op!r}, which stepgrad's op table does not know"
    else:
        problem = (
            f"{name} has the op {node._op!r} with {len(node._prev)} children, but the op table's "
            f"{node._op!r} takes {CHILD_COUNTS[node._op]}"
        )
    known = ", ".join(repr(op) for op in BACKWARD_RULES)
    return (
        f"{problem}, and no backward of its own. Give it one before backward(): "
        f"def _backward(): a.grad += (d out / d a) * out.grad, then out._backward = _backward "
        f"(a is its child, out the node). The table's ops are {known}."
    )


def _run_table_rules(order):
    """Run the op table's rule of each node in `order`.

    `run_rules` has the rules of `+` and `*` written into its loop; when
    one of them was registered anew (a test giving an op a wrong rule, say),
    every rule is called from the table instead.
    """
    rules = BACKWARD_RULES
    if all(rules[op] is rule for op, rule in INLINED.items()):
        run_rules(order, rules)
        return
    for node in order:
        rules[node._op](node)


def _run_own_or_table_steps(order):
    """Run each node's own `_backward`, or its op's rule; every one looked up before any runs.

    A node with no backward stops the pass before any step ran, and the
    pass (see `autograd.backward_pass`) puts every grad back.
    """
    steps = [local_backward(node) for node in order]
    for step in steps:
        step()


_new = object.__new__
_recording = grad_mode.is_enabled  # a global name: one lookup per node on the hot path


def result_node(data, a, b, op):
    """The node an op returns: like `Value(data, (a, b), op)`, faster.

    For the op table's forward functions only: `data` must already be a
    float, `a` a Value and `b` a Value or None (a function of one value),
    since nothing is checked here.  Skipping `__init__` and its checks
    makes a node faster.  `ops.add`, `ops.mul` and `ops.weighted_sum` write
    these lines out themselves (a call per node is a share of every
    network's forward pass): a slot added to `Value` is set there too, and
    the tests that compare their graphs with the operators' (and under
    `no_grad()`) catch a copy that differs.
    """
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    if _recording():
        node._a, node._b, node._op = a, b, op
    else:
        node._a, node._b, node._op = None, None, ""
    return node


def _leaf_backward():
    """A leaf has no children: its backward step does nothing."""
