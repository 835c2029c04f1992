"""The op table: everything stepgrad knows about each operation, in one place.

Each op is one `Op` entry, registered right under its forward function:

- `name`: the string stored in a result's `_op` ("+", "*", "tanh", ...);
- `forward`: builds the result node (it becomes the `Value` method(s) listed
  in `methods`); bad input raises an error that names the op and the value;
- `local_grads`: the local derivative d(out)/d(child) of each child, written
  as a Python expression in `a`, `b` (the children's data) and `out` (the
  result's data).  This string is the only place the derivative is written:
  the backward rule is generated from it, the step-through view prints it,
  and `compile()` copies it into straight-line code;
- `symbol`: what the drawing shows in the op's node;
- `expression`: the forward on plain floats, a Python expression in `a`,
  `b` ("a * b", "tanh(a)"), which `compile()` copies into straight-line
  code.

Both kinds of formula may call the functions in `NAMESPACE` (a few from
`math`, and every function of one value, such as `tanh`): the backward
rules, the step-through view and `compile()` all evaluate them there, and
`register` refuses a formula that uses any other name.

The backward rules are generated from `local_grads` into the module
`autograd/backward_rules.py`, checked in so that tracebacks, debuggers and
`inspect.getsource` show their lines (`python -m autograd.generate_rules`
writes it again; a test fails when it is stale).  The rule of `*` reads

    def mul_backward(node):
        a_node, b_node = node._a, node._b
        a, b = a_node.data, b_node.data
        g = node.grad
        a_node.grad += b * g
        b_node.grad += a * g

so it keeps no closure inside the node.  `backward()` calls it once per
node, or runs its lines in its own loop for `+` and `*` (see
`autograd.generate_rules`).
"""

import ast
import linecache
import re
from dataclasses import dataclass, field
from numbers import Real

from . import grad_mode
from . import backward_rules, float_functions
from .float_functions import NAMESPACE
from .value import BACKWARD_RULES, CHILD_COUNTS, Value, _new, _recording, own_backward, result_node


@dataclass(frozen=True)
class Op:
    """One operation: its forward, its local derivatives and how to show it."""

    name: str
    forward: object
    local_grads: tuple
    symbol: str
    methods: tuple = ()
    reflected: tuple = ()
    backward: object = field(default=None, compare=False)
    backward_source: str = field(default="", compare=False)
    expression: str = field(default="", compare=False)

    @property
    def arity(self):
        return len(self.local_grads)


OPS = {}
"""Every op by its `_op` name."""


_CHILDREN = ("a", "b")
_GENERATED_TEXT = open(backward_rules.__file__, encoding="utf-8").read()
_VARIABLES = re.compile(r"\b(a|b|out)\b")


def substitute(expression, replacements, bracket=None):
    """`expression` with each of `a`, `b`, `out` replaced by `replacements[name]`.

    substitute("b * g", {"b": "x.data"}) == "x.data * g".  `bracket(text,
    match)`, if given, may wrap each replacement (in brackets, say).
    """

    def replace(match):
        text = replacements[match.group(1)]
        return bracket(text, match) if bracket else text

    return _VARIABLES.sub(replace, expression)


def rule_name(forward):
    """The name of the generated backward rule of the op whose forward is `forward`: `mul_backward`."""
    return f"{forward.__name__.strip('_')}_backward"


def _backward_source(function_name, local_grads):
    """Python source of the backward rule for the given local derivatives."""
    children = _CHILDREN[: len(local_grads)]
    nodes = [f"{child}_node" for child in children]
    used = " ".join(local_grads)
    slots = ", ".join(f"node._{child}" for child in children)
    lines = [f"def {function_name}(node):", f"    {', '.join(nodes)} = {slots}"]
    datas = [child for child in children if _mentions(used, child)]
    if datas:
        lines.append(f"    {', '.join(datas)} = {', '.join(f'{d}_node.data' for d in datas)}")
    if _mentions(used, "out"):
        lines.append("    out = node.data")
    lines.append("    g = node.grad")
    for node_name, local in zip(nodes, local_grads):
        sign, term = chain_rule_term(local, "g")
        lines.append(f"    {node_name}.grad {sign}= {term}")
    return "\n".join(lines) + "\n"


def _backward_rule(function_name, source):
    """The rule `source` defines: from `backward_rules.py` when it holds that very text.

    An op registered later (or a stale module) gets its rule compiled here,
    with its source put where tracebacks and `inspect` look for it.
    """
    if source in _GENERATED_TEXT:
        return getattr(backward_rules, function_name)
    filename = f"<backward rule {function_name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    defined = {}
    exec(compile(source, filename, "exec"), NAMESPACE, defined)
    return defined[function_name]


def chain_rule_term(local, g):
    """(sign, term) such that `child_grad {sign}= {term}` adds `local * g`.

    chain_rule_term("b", "g") == ("+", "b * g"); a local derivative of 1
    or -1 needs no product: ("+", "g"), ("-", "g").
    """
    if local == "1":
        return "+", g
    if local == "-1":
        return "-", g
    if _is_atom(local):
        return "+", f"{local} * {g}"
    return "+", f"({local}) * {g}"


def _is_atom(expression):
    """A name or a number such as `b`, `0.5`, `(-2.0)`: no parentheses needed."""
    try:
        float(expression.strip("()"))
        return True
    except ValueError:
        return expression.isidentifier()


def _mentions(expression, name):
    """Whether `name` appears as a whole word in `expression`."""
    return re.search(rf"\b{name}\b", expression) is not None


def register(name, forward, local_grads, symbol=None, methods=(), reflected=(), expression=""):
    """Add an op to the table, generate its backward rule, attach its methods."""
    variables = {*_CHILDREN[: len(local_grads)], "out"}
    formulas = [*local_grads, expression] if expression else local_grads
    for formula in formulas:
        _check_names(name, formula, variables)
    function_name = rule_name(forward)
    source = _backward_source(function_name, local_grads)
    op = Op(
        name=name,
        forward=forward,
        local_grads=tuple(local_grads),
        symbol=symbol or name,
        methods=tuple(methods),
        reflected=tuple(reflected),
        backward=_backward_rule(function_name, source),
        backward_source=source,
        expression=expression,
    )
    OPS[name] = op
    BACKWARD_RULES[name] = op.backward
    CHILD_COUNTS[name] = op.arity
    for method in methods:
        setattr(Value, method, forward)
    for method in reflected:
        setattr(Value, method, _reflect(forward, method, name))
    return op


def uses_table_rule(node):
    """Whether `node`'s backward step is its op's rule in this table (not a `_backward` of its own)."""
    op = OPS.get(node._op)
    return own_backward(node) is None and op is not None and op.arity == len(node._prev)


def _check_names(op_name, formula, variables):
    """A ValueError unless `formula` names only `variables` and functions in NAMESPACE."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as error:
        raise ValueError(f"op {op_name!r}: {formula!r} is not a Python expression ({error.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in variables and node.id not in NAMESPACE:
            functions = ", ".join(sorted(name for name in NAMESPACE if not name.startswith("_")))
            raise ValueError(
                f"op {op_name!r}: {formula!r} uses the name {node.id!r}; a formula may use "
                f"{', '.join(sorted(variables))} and the functions in ops.NAMESPACE ({functions})"
            )


def _reflect(forward, method, op_name):
    def reflected(self, other):
        return forward(as_value(other, op_name, reflected=True), self)

    reflected.__name__ = method
    reflected.__doc__ = f"`other {forward.__name__} self` with a number on the left."
    return reflected


# --- turning operands into nodes, and errors that name the value -----------


def as_value(x, op, reflected=False):
    """`x` as a node: Values pass through, numbers become leaves (of float data).

    `op` is the symbol of the op `x` is an operand of; `reflected` says that
    `x` stands on the left (`2 * v`), so an error names the operands in order.
    A numpy array (anything with `__array_ufunc__`) gives NotImplemented,
    for the op to return: Python then asks the array, which applies the op
    to each element, so `v * np.array(2.0)` is what `np.array(2.0) * v` is.
    """
    if isinstance(x, Value):
        return x
    # float and int first: isinstance(x, Real) asks the ABC machinery (~350 ns).
    if isinstance(x, (float, int)) or isinstance(x, Real):
        try:
            return Value(x)
        except OverflowError as error:
            raise OverflowError(f"operand of {op}: {error}") from None
    if hasattr(type(x), "__array_ufunc__") and not reflected:
        return NotImplemented
    other = f"a {type(x).__name__}"
    operands = f"{other} and a Value" if reflected else f"a Value and {other}"
    raise TypeError(f"unsupported operand for {op}: {operands} ({x!r}); use a number or a Value")


def describe(node):
    """`-1.0 (label 'x')`: a node's data and, if it has one, its label."""
    if node.label:
        return f"{node.data!r} (label {node.label!r})"
    return repr(node.data)


# --- arithmetic -------------------------------------------------------------


def add(a, b):
    """a + b.  Local derivatives: d/da = 1, d/db = 1."""
    if type(b) is not Value:
        b = as_value(b, "+")
        if b is NotImplemented:
            return b
    # result_node(a.data + b.data, a, b, "+"), written out here as in mul(): a weighted
    # sum is a chain of + and *, so the call would cost every network a few
    # percent of its training step (see benchmarks/README.md).
    node = _new(Value)
    node.data = a.data + b.data
    node.grad = 0.0
    node.label = ""
    if _recording():
        node._a, node._b, node._op = a, b, "+"
    else:
        node._a = node._b = None
        node._op = ""
    return node


register("+", add, ("1", "1"), methods=("__add__",), reflected=("__radd__",), expression="a + b")


def sub(a, b):
    """a - b.  Local derivatives: d/da = 1, d/db = -1."""
    if type(b) is not Value:
        b = as_value(b, "-")
        if b is NotImplemented:
            return b
    return result_node(a.data - b.data, a, b, "-")


register("-", sub, ("1", "-1"), methods=("__sub__",), reflected=("__rsub__",), expression="a - b")


def mul(a, b):
    """a * b.  Local derivatives: d/da = b, d/db = a."""
    if type(b) is not Value:
        b = as_value(b, "*")
        if b is NotImplemented:
            return b
    # result_node(a.data * b.data, a, b, "*"), written out here as in add(): a weighted
    # sum is a chain of + and *, so the call would cost every network a few
    # percent of its training step (see benchmarks/README.md).
    node = _new(Value)
    node.data = a.data * b.data
    node.grad = 0.0
    node.label = ""
    if _recording():
        node._a, node._b, node._op = a, b, "*"
    else:
        node._a = node._b = None
        node._op = ""
    return node


register("*", mul, ("b", "a"), methods=("__mul__",), reflected=("__rmul__",), expression="a * b")


def div(a, b):
    """a / b.  Local derivatives: d/da = 1/b, d/db = -a/b**2 = -out/b."""
    if type(b) is not Value:
        b = as_value(b, "/")
        if b is NotImplemented:
            return b
    if b.data == 0.0:
        raise ZeroDivisionError(f"division by zero: {describe(a)} / {describe(b)}")
    return result_node(a.data / b.data, a, b, "/")


register("/", div, ("1 / b", "-out / b"), methods=("__truediv__",), reflected=("__rtruediv__",), expression="a / b")


def power(a, b):
    """a ** b.  Local derivatives: d/da = b * a**(b-1), d/db = a**b * ln(a).

    As in PyTorch: d/da is 0 where b == 0, and NaN in, NaN out (`a != a`
    holds only for a NaN a).  At a == 0, d/db is 0 (NaN for a NaN b); a
    negative base only comes with a number exponent, whose d/db is 0.

    The exponent may be a number or a Value.  A Value exponent needs a base
    >= 0, since ln(a) is not real for a < 0.  A power whose derivative
    overflows is refused here, so backward() never raises.
    """
    exponent_is_value = isinstance(b, Value)
    b = as_value(b, "**")
    if b is NotImplemented:
        return b
    x, p = a.data, b.data
    if exponent_is_value and x < 0.0:
        raise ValueError(
            f"a ** b with a Value exponent needs a base >= 0 (d/db = a**b * ln(a)), "
            f"got base {describe(a)}; use a number exponent for a negative base"
        )
    if x == 0.0 and p < 0.0:
        raise ZeroDivisionError(f"0 ** {p!r} is a division by zero (base {describe(a)})")
    if x == 0.0 and 0.0 < p < 1.0 and grad_mode.is_enabled():
        raise ValueError(
            f"0.0 ** {p!r} has an infinite derivative (base {describe(a)}); it is refused while "
            f"gradients are recorded, and allowed inside `with no_grad():`"
        )
    try:
        data = x**p
    except OverflowError:
        raise OverflowError(f"{x!r} ** {p!r} overflows a float (base {describe(a)})") from None
    if type(data) is complex:
        raise ValueError(
            f"{x!r} ** {p!r} is not a real number: a negative base needs a whole-number exponent "
            f"(base {describe(a)})"
        )
    if p and grad_mode.is_enabled():
        _check_power_derivative(x, p, a)
    return result_node(data, a, b, "**")


def _check_power_derivative(x, p, a):
    """Refuse x ** p now if backward() could not compute d/da = p * x**(p-1).

    x ** (p-1) = x**p / x overflows when x is tiny and p < 0 (1e-154 ** -2
    is 1e308, but 1e-154 ** -3 is too big for a float).  Checked here, in
    the forward, so that backward() never stops halfway with grads half added.
    """
    try:
        x ** (p - 1)
    except OverflowError:
        raise OverflowError(
            f"{x!r} ** {p!r}: its derivative {p!r} * {x!r} ** {p - 1!r} overflows a float, "
            f"so backward() could not run (base {describe(a)})"
        ) from None


register(
    "**",
    power,
    ("b * a ** (b - 1) if b else 0.0", "out * log(a) if a > 0 or a != a else (out if b != b else 0.0)"),
    methods=("__pow__",),
    reflected=("__rpow__",),
    expression="a ** b",
)


def neg(a):
    """-a.  Local derivative: d/da = -1."""
    return result_node(-a.data, a, None, "neg")


register("neg", neg, ("-1",), symbol="-", methods=("__neg__",), expression="-a")


def weighted_sum(b, ws, xs):
    """b + w0*x0 + w1*x1 + ..., added in that order: a neuron's sum.

    The graph is the one `b + w0 * x0 + w1 * x1 + ...` builds, node for
    node: a `*` node for each product and a `+` node for each sum.  It is
    made in one loop, without Python's operator dispatch and a call per
    node, the larger part of a network's forward pass (the figures are in
    benchmarks/README.md).  Operands that are not all Values (a number, a
    numpy array), and everything under `no_grad()`, go through `+` and `*`
    as written.
    """
    if not _recording():
        return _sum_with_operators(b, ws, xs)
    act = b
    for w, x in zip(ws, xs):
        if type(w) is not Value or type(x) is not Value or type(act) is not Value:
            act = act + w * x
            continue
        # result_node(w.data * x.data, w, x, "*") and then the "+", written out.
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


def _sum_with_operators(b, ws, xs):
    """b + w0*x0 + w1*x1 + ..., through `+` and `*`."""
    act = b
    for w, x in zip(ws, xs):
        act = act + w * x
    return act


# --- functions of one value --------------------------------------------------


def _unary(name, float_fn, local_grad, doc, methods=()):
    """Register a function of one value; `float_fn` raises on bad input."""

    def forward(a):
        try:
            data = float_fn(a.data)
        except (ArithmeticError, ValueError) as error:
            label = f" (label {a.label!r})" if a.label else ""
            raise type(error)(f"{error}{label}") from None
        return result_node(data, a, None, name)

    forward.__name__ = name
    forward.__qualname__ = f"Value.{name}"
    forward.__doc__ = doc
    NAMESPACE[name] = float_fn
    return register(name, forward, (local_grad,), methods=(name, *methods), expression=f"{name}(a)")


_unary("exp", float_functions.exp, "out", "e**a.  Local derivative: d/da = e**a = out.")
_unary("log", float_functions.log, "1 / a", "Natural log, a > 0.  Local derivative: d/da = 1/a.")
_unary("tanh", float_functions.tanh, "1 - out**2", "tanh(a).  Local derivative: d/da = 1 - tanh(a)**2 = 1 - out**2.")
_unary(
    "sigmoid",
    float_functions.sigmoid,
    "out * (1 - out)",
    "1 / (1 + e**-a).  Local derivative: d/da = sigmoid(a) * (1 - sigmoid(a)) = out * (1 - out).",
)
_unary(
    "relu",
    float_functions.relu,
    "0.0 if a <= 0 else 1.0",
    "max(a, 0), NaN for NaN.  Local derivative: d/da = 0 if a <= 0 else 1 (1 at NaN, as in PyTorch).",
)
_unary("sin", float_functions.sin, "cos(a)", "sin(a).  Local derivative: d/da = cos(a).")
_unary("cos", float_functions.cos, "-sin(a)", "cos(a).  Local derivative: d/da = -sin(a).")
_unary(
    "sqrt",
    float_functions.sqrt,
    "0.5 / out",
    "sqrt(a), a > 0 (a >= 0 under no_grad()).  Local derivative: d/da = 1 / (2 sqrt(a)) = 0.5 / out.",
)
_unary(
    "abs",
    float_functions.abs,
    "1.0 if a > 0 else -1.0 if a < 0 else 0.0",
    "|a|.  Local derivative: d/da = sign(a) (0 at 0 and at NaN, as in PyTorch).",
    methods=("__abs__",),
)

BUILT_IN_OPS = tuple(OPS)
"""The names of the ops stepgrad defines, in the order of `backward_rules.py`."""
