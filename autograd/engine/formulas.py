"""An op's formulas, turned into each form stepgrad needs.

Each `Op` (see `ops.OPS`) carries its forward on floats (`expression`,
in `a` and `b`) and its local derivatives (`local_grads`, in `a`, `b` and
`out`) as Python expressions.  This module is the one that reads them:

- `rule_source`: the backward rule's Python source (see `extend`);
- `local_derivative`: its value on a node's floats;
- `local_derivative_graph`: its graph on Values, to differentiate again;
- `substitute`, `term_source`, `template`: its text with names, numbers or
  format fields in place of `a`, `b`, `out` (steps, traces, `compile()`).

Every formula is evaluated in `floats.NAMESPACE`.
"""

import ast
import operator
import re
from functools import lru_cache

from .floats import NAMESPACE
from .ops import table_op

_VARIABLES = re.compile(r"\b(a|b|out)\b")
_ATOM = re.compile(r"[\w.]+")  # a name or a number: no brackets needed


def substitute(formula, replacements, bracket=None):
    """`formula` with each of `a`, `b`, `out` replaced by `replacements[name]`.

    substitute("b * g", {"b": "x.data"}) == "x.data * g"; `bracket(text, match)`
    may wrap each replacement.
    """

    def replace(match):
        text = replacements[match.group(1)]
        return bracket(text, match) if bracket else text

    return _VARIABLES.sub(replace, formula)


def mentions(formula, name):
    """Whether `formula` reads the variable `name` (`a`, `b` or `out`)."""
    return name in _VARIABLES.findall(formula)


def term_source(local, grad, text=None):
    """(sign, term) such that `child.grad {sign}= {term}` adds `local * grad`:
    ("+", "b * g"), ("+", "(1 / b) * g"); a local derivative of 1 or -1 needs
    no product: ("-", "g").  `text` writes `local` otherwise (with names, say)."""
    if local in ("1", "-1"):
        return ("-" if local == "-1" else "+"), grad
    text = local if text is None else text
    return "+", f"{text} * {grad}" if _ATOM.fullmatch(local) else f"({text}) * {grad}"


def template(formula):
    """`formula` as a format string: `b * g` -> `{b} * g`, braces escaped."""
    escaped = formula.replace("{", "{{").replace("}", "}}")
    return substitute(escaped, {"a": "{a}", "b": "{b}", "out": "{out}"})


# --- values ------------------------------------------------------------------


@lru_cache(maxsize=None)
def _compiled(formula):
    return compile(formula, f"<local derivative {formula!r}>", "eval")


def checked_op(node, purpose):
    """The op table's record of `node`, or a ValueError naming what needs it."""
    op = table_op(node)
    if op is None:
        name = f"the node {node.label!r}" if node.label else f"a node with data {node.data!r}"
        raise ValueError(
            f"{purpose} reads each op's derivative from the op table, but {name} (op {node._op!r}) "
            f"has a backward of its own; build it from the table's ops to use {purpose}"
        )
    return op


def variables(node):
    """`a`, `b` and `out` of `node` as floats: what its formulas are evaluated at."""
    return {"out": node.data, **{name: child.data for name, child in zip("ab", node.children)}}


def local_derivative(node, index, purpose="this"):
    """d node / d (its child number `index`) as a float."""
    formula = checked_op(node, purpose).local_grads[index]
    return float(eval(_compiled(formula), NAMESPACE, variables(node)))  # the table's own formula


def local_derivative_graph(node, index, operands, purpose="this", power=operator.pow):
    """d node / d child as a Value (or a float where it is constant).

    `operands` maps `a`, `b`, `out` to the Values (or floats) standing for
    them.  The formula is read node by node: the test of `X if test else Y` is
    decided on the floats (the branch PyTorch picks at a kink), and a function
    with no Value method (`copysign`) is piecewise constant, so a constant.
    `power(base, exponent)` builds a power of a Value (`grad` passes one that
    takes 0.0 ** 0.5, whose own derivative is infinite: its value is finite).
    NB: in `a ** e` with a negative base, the exponent is taken as a constant.
    """
    formula = checked_op(node, purpose).local_grads[index]
    return _evaluate(ast.parse(formula, mode="eval").body, operands, variables(node), power)


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _evaluate(tree, operands, floats_at, power):
    """The formula part `tree` with Values from `operands`; tests decided on `floats_at`."""
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.Name):
        return operands[tree.id]
    if isinstance(tree, ast.IfExp):
        test = eval(compile(ast.Expression(tree.test), "<condition>", "eval"), NAMESPACE, dict(floats_at))
        return _evaluate(tree.body if test else tree.orelse, operands, floats_at, power)
    if isinstance(tree, ast.BinOp) and type(tree.op) in _BINARY:
        left, right = _evaluate(tree.left, operands, floats_at, power), _evaluate(tree.right, operands, floats_at, power)
        if isinstance(tree.op, ast.Pow) and not isinstance(right, NUMBER) and _data(left) < 0:
            right = right.data  # see NB
        if isinstance(tree.op, ast.Pow) and not isinstance(left, NUMBER):
            return power(left, right)
        return _BINARY[type(tree.op)](left, right)
    if isinstance(tree, ast.UnaryOp) and type(tree.op) in _UNARY:
        return _UNARY[type(tree.op)](_evaluate(tree.operand, operands, floats_at, power))
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
        arguments = [_evaluate(argument, operands, floats_at, power) for argument in tree.args]
        if len(arguments) == 1 and not isinstance(arguments[0], NUMBER) and hasattr(type(arguments[0]), tree.func.id):
            return getattr(arguments[0], tree.func.id)()
        return NAMESPACE[tree.func.id](*map(_data, arguments))  # constant, or a function of constants
    raise ValueError(f"cannot differentiate the formula part {ast.unparse(tree)!r}")


NUMBER = (int, float)  # an operand of a derivative graph is a node or one of these


def _data(x):
    return x if isinstance(x, NUMBER) else x.data


# --- the backward rules ------------------------------------------------------


def rule_source(name, local_grads):
    """The Python source of the backward rule `name` for these local derivatives."""
    children = "ab"[: len(local_grads)]
    nodes = [f"{child}_node" for child in children]
    first, values = [*nodes], [f"node._{child}" for child in children]
    if any(mentions(local, "out") for local in local_grads):
        first.append("out"), values.append("node.data")
    lines = [f"def {name}(node):", f"    {', '.join(first + ['g'])} = {', '.join(values + ['node.grad'])}"]
    read = [child for child in children if any(mentions(local, child) for local in local_grads)]
    if read:
        lines.append(f"    {', '.join(read)} = {', '.join(f'{c}_node.data' for c in read)}")
    for node_name, local in zip(nodes, local_grads):
        sign, term = term_source(local, "g")
        lines.append(f"    {node_name}.grad {sign}= {term}")
    return "\n".join(lines) + "\n"
