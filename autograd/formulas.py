"""An op's local-derivative formula, evaluated on floats or on Values.

Each op's `local_grads` (see `autograd.ops`) is a Python expression in `a`,
`b` (the children) and `out` (the result).  Evaluated on floats it gives
the number the chain rule multiplies by; evaluated on Values it builds a
graph of the derivative itself, which can be differentiated again.

On Values the formula is read node by node (`ast`), with two rules that keep
it differentiable:
- the condition of `X if test else Y` is decided on the floats: the branch
  taken is what PyTorch picks at a kink (relu and abs at 0, `**` with b = 0);
- a function with no Value method (`copysign`) is piecewise constant, so it
  is evaluated on the floats and its result is a constant.
NB: in `a ** e` with a negative base, the exponent is taken as a constant
(its own derivative would need ln of a negative number).
"""

import ast
import operator
from functools import lru_cache

from .float_functions import NAMESPACE
from .ops import OPS, uses_table_rule
from .value import Value

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


@lru_cache(maxsize=None)
def _compiled(formula):
    return compile(formula, f"<local derivative {formula!r}>", "eval")


@lru_cache(maxsize=None)
def _parsed(formula):
    return ast.parse(formula, mode="eval").body


def table_op(node, purpose):
    """The op table's entry for `node`, or a ValueError naming what needs it."""
    if not uses_table_rule(node):
        name = f"the node {node.label!r}" if node.label else f"a node with data {node.data!r}"
        raise ValueError(
            f"{purpose} reads each op's derivative from the op table, but {name} (op {node._op!r}) "
            f"has a backward of its own; build it from the table's ops to use {purpose}"
        )
    return OPS[node._op]


def variables(node):
    """`a`, `b` and `out` of `node` as floats: what its formulas are evaluated at."""
    values = {"out": node.data}
    for name, child in zip("ab", node._prev):
        values[name] = child.data
    return values


def local_derivative(node, index, purpose="this"):
    """d node / d (its child number `index`) as a float, from the op table's formula."""
    formula = table_op(node, purpose).local_grads[index]
    return float(eval(_compiled(formula), NAMESPACE, variables(node)))  # the table's own formula


def local_derivative_graph(node, index, operands, purpose="this"):
    """d node / d child as a Value (or a float, where it is constant).

    `operands` maps `a`, `b`, `out` to the Values (or floats) that stand for
    them; the result is differentiable through every Value among them.
    """
    formula = table_op(node, purpose).local_grads[index]
    return _evaluate(_parsed(formula), operands, variables(node))


def _data(x):
    return x.data if isinstance(x, Value) else x


def _evaluate(tree, operands, floats):
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.Name):
        return operands[tree.id]
    if isinstance(tree, ast.IfExp):
        test = eval(compile(ast.Expression(tree.test), "<condition>", "eval"), NAMESPACE, dict(floats))
        return _evaluate(tree.body if test else tree.orelse, operands, floats)
    if isinstance(tree, ast.BinOp) and type(tree.op) in _BINARY:
        left, right = _evaluate(tree.left, operands, floats), _evaluate(tree.right, operands, floats)
        if isinstance(tree.op, ast.Pow) and isinstance(right, Value) and _data(left) < 0:
            right = right.data  # see NB above
        return _BINARY[type(tree.op)](left, right)
    if isinstance(tree, ast.UnaryOp) and type(tree.op) in _UNARY:
        return _UNARY[type(tree.op)](_evaluate(tree.operand, operands, floats))
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
        name = tree.func.id
        arguments = [_evaluate(argument, operands, floats) for argument in tree.args]
        if len(arguments) == 1 and isinstance(arguments[0], Value) and hasattr(Value, name):
            return getattr(arguments[0], name)()
        plain = [argument.data if isinstance(argument, Value) else argument for argument in arguments]
        return NAMESPACE[name](*plain)  # constant, or a function of constants
    raise ValueError(f"cannot differentiate the formula part {ast.unparse(tree)!r}")
