"""The chain rule, written out: what one child receives from one parent.

A node `out` made from children `a` (and `b`) passes each child

    child.grad += local derivative * out.grad

where the local derivative is the op's `local_grads` string from the op
table.  `chain_terms` writes that term twice, in symbols (the string with
`a`, `b`, `out` replaced by `<name>.data`) and in numbers, and evaluates it.
"""

import re
from dataclasses import dataclass

from . import formulas
from .notation import attribute, number
from .ops import OPS, substitute

_ATOM = re.compile(r"[\w.]+")


@dataclass(frozen=True)
class Term:
    """`child.grad += symbols = numbers = value`, for one use of `child`."""

    child: object
    symbols: str
    numbers: str
    value: float

    def equation(self, names):
        """`x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000`."""
        parts = [f"{attribute(names[self.child], 'grad')} += {self.symbols}"]
        if self.numbers:
            parts.append(self.numbers)
        parts.append(number(self.value))
        return " = ".join(parts)


def chain_terms(node, names):
    """One `Term` per child of `node` (one per use: `a + a` gives two); a table op's node only."""
    if not node._prev:
        return []
    op = OPS[node._op]
    data = formulas.variables(node)
    symbols = {"out": attribute(names[node], "data")}
    for variable, child in zip("ab", node._prev):
        symbols[variable] = attribute(names[child], "data")
    grad_symbol = attribute(names[node], "grad")
    return [
        _term(child, local, formulas.local_derivative(node, i), data, symbols, grad_symbol, node.grad)
        for i, (child, local) in enumerate(zip(node._prev, op.local_grads))
    ]


def _term(child, local, local_value, data, symbols, grad_symbol, grad):
    value = local_value * grad
    if local == "1":
        return Term(child, grad_symbol, "", value)
    if local == "-1":
        return Term(child, f"-{grad_symbol}", "", value)
    local_symbols = substitute(local, symbols)
    local_numbers = substitute(local, {name: number(x) for name, x in data.items()}, _bracket_negative)
    if not _ATOM.fullmatch(local):
        local_symbols, local_numbers = f"({local_symbols})", f"({local_numbers})"
    grad_number = number(grad) if grad >= 0 else f"({number(grad)})"
    return Term(child, f"{local_symbols} * {grad_symbol}", f"{local_numbers} * {grad_number}", value)


def _bracket_negative(text, match):
    """`(-2.0000)` inside a formula, but `-2.0000` alone or already in brackets."""
    whole = match.string
    alone = match.start() == 0 and match.end() == len(whole)
    in_brackets = whole[match.start() - 1 : match.start()] == "(" and whole[match.end() : match.end() + 1] == ")"
    if text.startswith("-") and not (alone or in_brackets):
        return f"({text})"
    return text
