"""A formula typed as text, built into a graph of Values without running the text as code.

    root = build_expression("o = tanh(x1*w1 + x2*w2 + b)", parse_values("x1=2,x2=0,w1=-3,w2=1,b=6.88"))

The text is read by Python's `ast` parser and only these parts are accepted:
names, numbers, `+ - * / **`, a unary `-`, and calls of one argument to the
ops in `FUNCTIONS`; an optional leading `name =` labels the output.  Each
name is a leaf labelled with that name (a name used twice is one leaf);
each op's result is labelled with its text as typed (`x1*w1`), so every
view names it the way the formula wrote it.  Anything else, and every
problem with the values, is an `ExpressionError` with a one-line message.
"""

import ast
import math

from autograd.engine.value import Value

FUNCTIONS = ("tanh", "exp", "log", "relu", "sigmoid", "sin", "cos", "sqrt", "abs")
"""The ops a formula may call, each a method of Value of the same name."""

MAX_CHARS = 500
MAX_DEPTH = 50
"""A longer formula, or one nested deeper, is refused: a worksheet that size is unreadable."""

OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


class ExpressionError(ValueError):
    """A formula or its values that cannot be built; the message says what and where, in one line."""


def parse_values(text):
    """"x1=2,w1=-3" as {"x1": 2.0, "w1": -3.0}: names with finite numbers, each name once."""
    values = {}
    for part in text.split(","):
        name, equals, number_text = (piece.strip() for piece in part.partition("="))
        if not equals or not name.isidentifier():
            raise ExpressionError(f"--values: expected name=number pairs separated by commas, such as x1=2,w1=-3; got {part.strip()!r}")
        if name in values:
            raise ExpressionError(f"--values: {name} is given twice")
        values[name] = _finite(number_text, f"--values: {name}")
    return values


def build_expression(text, values):
    """The Value that `text` computes from `values` (name -> number), labelled as described above.

    Every name of the formula needs a value, and every value a name of the
    formula (a name given but not used is most likely a typo).
    """
    target, tree = _parse(text)
    builder = _Builder(text, values)
    root = builder.build(tree)
    if not isinstance(root, Value):
        raise ExpressionError(f"{text.strip()!r} has no names: give it at least one, such as x * 2")
    unused = sorted(set(values) - set(builder.leaves))
    if unused:
        raise ExpressionError(f"--values gives {', '.join(unused)}, which the formula does not use")
    if target and root.children:  # `o = x` keeps the leaf's own name
        root.label = target
    return root


def _parse(text):
    """(the output's name or "", the formula's ast) of `text`, one statement long."""
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"the formula has {len(text)} characters, more than {MAX_CHARS}: write a smaller one")
    try:
        module = ast.parse(text.strip())
    except SyntaxError as error:
        raise ExpressionError(f"cannot read the formula {text.strip()!r}: {error.msg}") from None
    statements = module.body
    if len(statements) != 1:
        raise ExpressionError(f"expected one formula, such as o = tanh(x*w + b); got {len(statements)} statements")
    statement = statements[0]
    if _depth(statement) > MAX_DEPTH:
        raise ExpressionError(f"the formula is nested more than {MAX_DEPTH} deep: write a smaller one")
    if isinstance(statement, ast.Expr):
        return "", statement.value
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    raise ExpressionError("expected a formula, optionally after one name and =, such as o = tanh(x*w + b)")


def _depth(tree):
    """How deep the parts of an ast nest (a loop, not recursion: the tree may be deep)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(part))
    return deepest


class _Builder:
    """Builds the graph of one formula: `build(tree)` for each part, `leaves` by name."""

    def __init__(self, text, values):
        self.text = text.strip()
        self.values = values
        self.leaves = {}

    def build(self, tree):
        """The Value (or, for numbers alone, the float) of an ast part; an op's result labelled with its text."""
        if isinstance(tree, ast.Name):
            return self._leaf(tree.id)
        if isinstance(tree, ast.Constant) and type(tree.value) in (int, float):
            return _finite(self._segment(tree), "a number in the formula")
        if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub):
            return self._computed(tree, lambda: -self.build(tree.operand))
        if isinstance(tree, ast.BinOp) and type(tree.op) in OPERATORS:
            combine = OPERATORS[type(tree.op)]
            return self._computed(tree, lambda: combine(self.build(tree.left), self.build(tree.right)))
        if isinstance(tree, ast.Call):
            name = self._function(tree)
            return self._computed(tree, lambda: getattr(_as_value(self.build(tree.args[0])), name)())
        raise ExpressionError(f"{self._segment(tree)!r} is not allowed: use names, numbers, + - * / **, and {', '.join(FUNCTIONS)}")

    def _leaf(self, name):
        if name not in self.values:
            raise ExpressionError(f"{name} has no value: give it one in --values, such as {name}=1")
        if name not in self.leaves:
            self.leaves[name] = Value(self.values[name], label=name)
        return self.leaves[name]

    def _function(self, call):
        """The op a call names, once it is one of FUNCTIONS with one argument."""
        name = call.func.id if isinstance(call.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise ExpressionError(f"{self._segment(call.func)!r} is not an op here: the ops are {', '.join(FUNCTIONS)}")
        if len(call.args) != 1 or call.keywords:
            raise ExpressionError(f"{name} takes one argument, as in {name}(x); got {self._segment(call)!r}")
        return name

    def _computed(self, tree, compute):
        """`compute()`, the op's result labelled with its text; the op's own error as an ExpressionError."""
        try:
            result = compute()
        except ExpressionError:
            raise
        except (ArithmeticError, ValueError) as error:
            raise ExpressionError(f"cannot compute {self._segment(tree)!r}: {_reason(error)}") from None
        if not math.isfinite(result.data if isinstance(result, Value) else result):
            raise ExpressionError(f"cannot compute {self._segment(tree)!r}: it is not a finite number")
        if isinstance(result, Value):
            result.label = self._segment(tree)
        return result

    def _segment(self, tree):
        """The text of one ast part as typed."""
        return ast.get_source_segment(self.text, tree) or ast.unparse(tree)


def _reason(error):
    """An op's error in one line; a float overflow's `(34, 'Numerical result out of range')` as its words."""
    if isinstance(error, OverflowError) and len(error.args) == 2:
        return "the result is too large for a float"
    return " ".join(str(error).split())


def _as_value(x):
    """A number made a Value, so that tanh(2) works as tanh(x) does."""
    return x if isinstance(x, Value) else Value(x)


def _finite(text, what):
    """`text` as a finite float, else an ExpressionError naming `what`."""
    try:
        value = float(text)
    except ValueError:
        raise ExpressionError(f"{what} needs a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ExpressionError(f"{what} needs a finite number, got {text!r}")
    return value
