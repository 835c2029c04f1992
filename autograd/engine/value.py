"""`Value`: a number that remembers how it was made, its operators, and each op's
record (at the end), whose local derivatives generate the op's backward rule.
A node keeps no closure: `v._backward` builds micrograd's step when asked.  A
node built by hand, as in the lecture, needs its own (backward() says so):

    out = Value(t, (x,), "tanh")
    def _backward(): x.grad += (1 - t**2) * out.grad
    out._backward = _backward
"""

import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from numbers import Rational, Real

from . import backward_rules, floats
from .graph import Node, all_nodes, run_pass
from .ops import OPS, MissingBackward, Op, own_backward, rule_name, table_op

_grad_mode = ContextVar("stepgrad_grad_enabled", default=True)
is_grad_enabled = _grad_mode.get  # whether ops record the graph, in this thread and asyncio task


def no_grad():
    """Build no graph inside this block (for updates and evaluation); per thread and task, nestable."""
    return _grad_mode_set_to(False)


def enable_grad():
    """Build the graph inside this block, even within `no_grad()` (PyTorch's `enable_grad`): for the
    checks and transforms that differentiate what they build, whatever the caller's grad mode."""
    return _grad_mode_set_to(True)


@contextmanager
def _grad_mode_set_to(enabled):
    token = _grad_mode.set(enabled)
    try:
        yield
    finally:
        _grad_mode.reset(token)


class _HandBuilt:
    seen = False  # any node given children or a `_backward` by hand? until then backward() checks nothing


class Value(Node):
    """A scalar whose `grad` is d(output)/d(this node) once `backward()` ran on an output."""

    __slots__ = ()

    def __new__(cls, data=0.0, _children=(), _op="", label=""):
        # Value(t, (x,), "tanh"), built by hand with an op, is a HandBuiltValue:
        # it has a slot for a `_backward` of its own.
        return object.__new__(HandBuiltValue if cls is Value and _op else cls)

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        children = _checked_children(_children, _op, label)
        if not is_grad_enabled():
            children, _op = (), ""
        if children:
            _HandBuilt.seen = True
            self._a, self._b = (*children, None)[:2]
        else:
            self._a = self._b = None
        self._op = _op

    def __repr__(self):
        text = f"Value(data={self.data!r}, grad={self.grad!r}"  # in full, as micrograd prints them
        return text + (f", label={self.label!r})" if self.label else ")")

    # --- arithmetic ------------------------------------------------------------

    def __add__(self, other):
        """a + b.  Local derivatives: d/da = 1, d/db = 1."""
        if type(other) is not Value:
            other = as_value(other, "+")
            if other is NotImplemented:
                return other
        # result_node(...) written out for + and *, the most common nodes by far.
        node = _new(Value)
        node.data = self.data + other.data
        node.grad = 0.0
        node.label = ""
        if is_grad_enabled():
            node._a, node._b, node._op = self, other, "+"
        else:
            node._a, node._b, node._op = None, None, ""
        return node

    def __mul__(self, other):
        """a * b.  Local derivatives: d/da = b, d/db = a."""
        if type(other) is not Value:
            other = as_value(other, "*")
            if other is NotImplemented:
                return other
        node = _new(Value)
        node.data = self.data * other.data
        node.grad = 0.0
        node.label = ""
        if is_grad_enabled():
            node._a, node._b, node._op = self, other, "*"
        else:
            node._a, node._b, node._op = None, None, ""
        return node

    def __sub__(self, other):
        """a - b.  Local derivatives: d/da = 1, d/db = -1."""
        other = other if type(other) is Value else as_value(other, "-")
        return other if other is NotImplemented else result_node(self.data - other.data, self, other, "-")

    def __truediv__(self, other):
        """a / b.  Local derivatives: d/da = 1/b, d/db = -a/b**2 = -out/b."""
        other = other if type(other) is Value else as_value(other, "/")
        if other is NotImplemented:
            return other
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {describe(self)} / {describe(other)}")
        return result_node(self.data / other.data, self, other, "/")

    def __pow__(self, other):
        """a ** b.  Local derivatives: d/da = b * a**(b-1), d/db = a**b * ln(a) = out * ln(a).

        As in PyTorch, d/da is 0 where b == 0, and d/db is 0 at a == 0.  A Value
        exponent needs a >= 0.  A power whose derivative would overflow is refused.
        """
        exponent_is_value = isinstance(other, Value)
        other = as_value(other, "**")
        if other is NotImplemented:
            return other
        x, p, base = self.data, other.data, f"(base {describe(self)})"
        if exponent_is_value and x < 0.0:
            raise ValueError(f"a ** b with a Value exponent needs a base >= 0 (d/db = a**b * ln(a)), "
                             f"got {base[1:-1]}; use a number exponent for a negative base")
        if x == 0.0 and p < 0.0:
            raise ZeroDivisionError(f"0 ** {p!r} is a division by zero {base}")
        if x == 0.0 and 0.0 < p < 1.0 and is_grad_enabled():
            raise ValueError(_infinite_derivative(f"0.0 ** {p!r}", f" {base}"))
        try:
            data = x**p
        except OverflowError:
            raise OverflowError(f"{x!r} ** {p!r} overflows a float {base}") from None
        try:
            if p and is_grad_enabled():
                x ** (p - 1)  # d/da = p * x**(p-1), refused now rather than halfway through backward()
        except OverflowError:
            raise OverflowError(f"{x!r} ** {p!r}: its derivative {p!r} * {x!r} ** {p - 1!r} overflows a float, "
                                f"so backward() could not run {base}") from None
        if type(data) is complex or (x == -math.inf and math.isfinite(p) and p != round(p)):  # Python: (-inf)**0.5 = inf
            raise ValueError(f"{x!r} ** {p!r} is not a real number: a negative base needs a whole-number exponent {base}")
        return result_node(data, self, other, "**")

    def __neg__(self):
        """-a.  Local derivative: d/da = -1."""
        return result_node(-self.data, self, None, "neg")

    def __radd__(self, other):
        return as_value(other, "+", reflected=True) + self

    def __rmul__(self, other):
        return as_value(other, "*", reflected=True) * self

    def __rsub__(self, other):
        return as_value(other, "-", reflected=True) - self

    def __rtruediv__(self, other):
        return as_value(other, "/", reflected=True) / self

    def __rpow__(self, other):
        return as_value(other, "**", reflected=True) ** self

    # --- functions of one value --------------------------------------------------

    def exp(self):
        """e**a.  Local derivative: d/da = e**a = out."""
        return _apply(self, "exp", floats.exp)

    def log(self):
        """ln(a), a > 0.  Local derivative: d/da = 1/a."""
        return _apply(self, "log", floats.log)

    def tanh(self):
        """tanh(a).  Local derivative: d/da = 1 - tanh(a)**2 = 1 - out**2."""
        return _apply(self, "tanh", floats.tanh)

    def sigmoid(self):
        """1 / (1 + e**-a).  Local derivative: d/da = out * (1 - out)."""
        return _apply(self, "sigmoid", floats.sigmoid)

    def relu(self):
        """max(a, 0), NaN for NaN.  Local derivative: d/da = 0 if a <= 0 else 1 (1 at NaN, as in PyTorch)."""
        return _apply(self, "relu", floats.relu)

    def sin(self):
        """sin(a).  Local derivative: d/da = cos(a)."""
        return _apply(self, "sin", floats.sin)

    def cos(self):
        """cos(a).  Local derivative: d/da = -sin(a)."""
        return _apply(self, "cos", floats.cos)

    def sqrt(self):
        """sqrt(a), a > 0 (a >= 0 under no_grad()).  Local derivative: d/da = 1 / (2 sqrt(a)) = 0.5 / out."""
        if self.data == 0.0 and is_grad_enabled():
            raise ValueError(_infinite_derivative("sqrt(0.0)", f" (label {self.label!r})" if self.label else ""))
        return _apply(self, "sqrt", floats.sqrt)

    def abs(self):
        """|a|.  Local derivative: d/da = sign(a) (0 at 0 and at NaN, as in PyTorch)."""
        return _apply(self, "abs", floats.abs)

    __abs__ = abs

    # --- backward ----------------------------------------------------------------

    def backward(self):
        """Fill `grad` of every node this one depends on, as PyTorch does: this node's
        grad is 1.0, interior grads are recomputed, leaves accumulate until zeroed
        (None counts as 0.0); a pass that raises changes no grad (see `graph.run_pass`)."""
        run_pass(self, _run_own_or_table_steps if _HandBuilt.seen else _run_table_rules)

    @property
    def _backward(self):
        """This node's backward step: adds local derivative * self.grad into each child's grad."""
        return local_backward(self)

    @_backward.setter
    def _backward(self, function):
        if function is not None and not callable(function):
            raise TypeError(f"_backward must be a function of no arguments that adds into the children's grads, "
                            f"got {type(function).__name__} {function!r}")
        try:
            self._own_backward = function
        except AttributeError:
            raise AttributeError("only a node built by hand with an op, Value(data, children, op), takes a _backward of its own; "
                                 "this node is a leaf, or was made by one of stepgrad's ops, whose backward the op table knows") from None
        _HandBuilt.seen = True

    @property
    def __dict__(self):
        """micrograd's fields of this node as a new dict, for `vars(v)` (a node keeps no dict of its own)."""
        return {"data": self.data, "grad": self.grad, "_backward": self._backward, "_prev": self._prev,
                "_op": self._op, "label": self.label}

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


_new = object.__new__


def result_node(data, a, b, op):
    """`Value(data, (a, b), op)` without the checks: `data` a float, `b` a Value or None."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    if is_grad_enabled():
        node._a, node._b, node._op = a, b, op
    else:
        node._a, node._b, node._op = None, None, ""
    return node


def _apply(a, op, float_function):  # the node of a function of one value; an error names the label too
    try:
        data = float_function(a.data)
    except (ArithmeticError, ValueError) as error:
        raise type(error)(f"{error}{f' (label {a.label!r})' if a.label else ''}") from None
    return result_node(data, a, None, op)


def weighted_sum(b, ws, xs):
    """b + w0*x0 + w1*x1 + ..., a neuron's sum: the nodes `+` and `*` build, made in one loop."""
    if not is_grad_enabled():
        return sum((w * x for w, x in zip(ws, xs)), b)  # b + w0*x0 + w1*x1 + ..., in that order
    act = b
    for w, x in zip(ws, xs):
        if type(w) is not Value or type(x) is not Value or type(act) is not Value:
            act = act + w * x
            continue
        product = _new(Value)
        product.data = w.data * x.data
        product.grad = 0.0
        product.label = ""
        product._a, product._b, product._op = w, x, "*"
        total = _new(Value)
        total.data = act.data + product.data
        total.grad = 0.0
        total.label = ""
        total._a, total._b, total._op = act, product, "+"
        act = total
    return act


# --- operands, and errors that name the value -------------------------------------


def as_value(x, op, reflected=False):
    """`x` as a node (a number becomes a leaf) for the op `op`, on the left if `reflected`.
    A numpy array gives NotImplemented: Python then asks the array, which maps the op."""
    if isinstance(x, Value):
        return x
    if isinstance(x, (float, int)) or isinstance(x, Real):  # float and int first: the ABC check is slow
        try:
            return Value(x)
        except OverflowError as error:
            raise OverflowError(f"operand of {op}: {error}") from None
    if hasattr(type(x), "__array_ufunc__") and not reflected:
        return NotImplemented
    operands = f"a {type(x).__name__} and a Value" if reflected else f"a Value and a {type(x).__name__}"
    raise TypeError(f"unsupported operand for {op}: {operands} ({x!r}); use a number or a Value")


def describe(node):
    """`-1.0 (label 'x')`: a node's data and, if it has one, its label."""
    return f"{node.data!r} (label {node.label!r})" if node.label else repr(node.data)


def _infinite_derivative(what, where):
    return f"{what} has an infinite derivative{where}; it is refused while gradients are recorded, and allowed inside `with no_grad():`"


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
        if isinstance(data, Rational):  # "an int of about 401 digits": too big to print in full
            digits = int((data.numerator.bit_length() - data.denominator.bit_length() + 1) * math.log10(2)) + 1
            size = f"{'an int' if isinstance(data, int) else f'a {type(data).__name__}'} of about {digits} digits"
        else:
            size = f"{type(data).__name__} {_short_repr(data)}"
        raise OverflowError(f"{size} is too big for a float (the largest is about 1.8e308)") from None


def _short_repr(x, limit=60):
    text = repr(x)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def _checked_children(children, op, label):
    """`children` as a tuple of at most two Values, or an error that says what to write."""
    if isinstance(children, str):
        raise TypeError(f"the second argument of Value is its children (a tuple of Values), got the string "
                        f"{children!r}; to name the node write label={children!r}")
    if isinstance(children, Value):
        raise TypeError("the children of a node go in a tuple: write (a,) or (a, b), not a")
    try:
        children = tuple(children)
    except TypeError:
        raise TypeError(f"the children of a node must be a tuple of Values, got {type(children).__name__} {children!r}") from None
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"the children of a node must be Values, got {type(child).__name__} {child!r}")
    if len(children) > 2:
        raise ValueError(f"a node has at most two children, got {len(children)}; build it from nodes "
                         f"of one or two children (a + b + c is (a + b) + c)")
    if not isinstance(op, str):
        raise TypeError(f"_op is the op's name, a string, got {type(op).__name__} {op!r}")
    if children and not op:
        raise ValueError("a node with children needs the name of its op, as in Value(a.data + b.data, (a, b), '+')")
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
    return children


# --- each node's backward step ------------------------------------------------------


def local_backward(node):
    """`node`'s backward step, a function of no arguments: its own, else (made by an op) its op's rule."""
    own = own_backward(node)
    if own is not None:
        return own
    if not node._op:
        return lambda: None  # a leaf has no children: its step does nothing
    op = table_op(node)
    if op is None or type(node) is not Value:  # built by hand: the table's rule may not be its data's
        raise MissingBackward(_missing_backward_message(node))
    return lambda: op.backward(node)


def _missing_backward_message(node):
    """The line to write for `node`, built by hand without a `_backward`: a table op's in the children's names."""
    name = f"node {node.label!r}" if node.label else f"the node Value(data={node.data!r})"
    op, names = OPS.get(node._op), _child_names(node)
    if op is None or op.arity != len(names):
        problem = ", which stepgrad's op table does not know" if op is None else f" with {len(names)} children, but the op table's {node._op!r} takes {op.arity}"
        grads, own = ["a.grad += (d out / d a) * out.grad"], f"Here a is its child; the table's ops are {', '.join(map(repr, OPS))}"
    else:
        problem, grads = " (built by hand)", [f"{x}.grad += {_named(local, names, '.data', True)} * out.grad" for x, local in zip(names, op.local_grads)]
        own = f"{names[0]}.{op.name}()" if getattr(Value, op.name, None) is op.forward else _named(op.expression, names)
        own += " builds the same node with stepgrad's own rule"
    return (f"{name} has the op {node._op!r}{problem}, and no _backward of its own: before backward(), write "
            f"def _backward(): {'; '.join(grads)}, then out._backward = _backward (out is the node). {own}.")


def _named(formula, names, suffix="", bracket=False):
    """`formula` with `a`, `b`, `out` written as the children's `names` and `out`, + `suffix`; in brackets if asked and needed."""
    text = re.sub(r"\b(a|b|out)\b", lambda m: dict(zip("ab", names)).get(m[1], "out") + suffix, formula)
    return f"({text})" if bracket and " " in text else text


def _child_names(node):
    """The children's names in code: their labels if these are names that tell them apart, else a and b."""
    children, labels = node.children, [child.label for child in node.children]
    named = len(set(labels)) == len(set(map(id, children))) and all(x.isidentifier() and x != "out" for x in labels)
    return labels if named else ["ab"[children.index(child)] for child in children]


def _run_table_rules(order):
    """Run the op table's rule of each node in `order` (those of + and * written into `run_rules`)."""
    if all(OPS[name].backward is rule for name, rule in backward_rules.INLINED.items()):
        return backward_rules.run_rules(order, OPS)
    for node in order:
        OPS[node._op].backward(node)


def _run_own_or_table_steps(order):
    """Each node's own `_backward` or its op's rule, all looked up before any runs."""
    for step in [local_backward(node) for node in order]:
        step()


# --- the op table: one record per op (see ops.py) -------------------------------------


def _built_in(name, forward, local_grads, expression, symbol=None):
    rule = getattr(backward_rules, rule_name(forward), _stale_rules)
    return Op(name, forward, local_grads, expression, symbol or name, rule)


def _stale_rules(node):
    raise MissingBackward(f"backward_rules.py has no rule for {node._op!r}: run python -m autograd.engine.extend")


OPS.update(
    (op.name, op)
    for op in (
        _built_in("+", Value.__add__, ("1", "1"), "a + b"),
        _built_in("-", Value.__sub__, ("1", "-1"), "a - b"),
        _built_in("*", Value.__mul__, ("b", "a"), "a * b"),
        _built_in("/", Value.__truediv__, ("1 / b", "-out / b"), "a / b"),
        _built_in("**", Value.__pow__, ("b * a ** (b - 1) if b else 0.0",
                                        "out * log(a) if a > 0 or a != a else (out if b != b else 0.0)"), "a ** b"),
        _built_in("neg", Value.__neg__, ("-1",), "-a", symbol="-"),
        _built_in("exp", Value.exp, ("out",), "exp(a)"),
        _built_in("log", Value.log, ("1 / a",), "log(a)"),
        _built_in("tanh", Value.tanh, ("1 - out**2",), "tanh(a)"),
        _built_in("sigmoid", Value.sigmoid, ("out * (1 - out)",), "sigmoid(a)"),
        _built_in("relu", Value.relu, ("0.0 if a <= 0 else 1.0",), "relu(a)"),
        _built_in("sin", Value.sin, ("cos(a)",), "sin(a)"),
        _built_in("cos", Value.cos, ("-sin(a)",), "cos(a)"),
        _built_in("sqrt", Value.sqrt, ("0.5 / out",), "sqrt(a)"),
        _built_in("abs", Value.abs, ("1.0 if a > 0 else -1.0 if a < 0 else 0.0",), "abs(a)"),
    )
)

BUILT_IN_OPS = tuple(OPS)  # in the order of backward_rules.py
