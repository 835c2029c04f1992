"""The evaluation trace of a function, as the tables of Baydin et al. (2018).

    print(forward_trace(f, (2, 5), (1, 0)))    # table 2: primals and tangents
    print(reverse_trace(f, (2, 5)))            # table 3: adjoints

The trace lists the inputs as v₋₁, v₀ (for two inputs: v_{i-n}) and every
intermediate result as v₁, v₂, ... in evaluation order: each node as soon as
its children are known (level by level), ties in program order.  Numbers
are printed as in the paper, by `number(x, 3, "paper")` (autograd/engine/floats.py):
at most three decimals, no trailing zeros (0.693, 10, 5.5).  The local derivatives
come from the op table, through `autograd.engine.formulas`.
"""

import html
import unicodedata
from dataclasses import dataclass

from autograd.engine.floats import number
from autograd.engine.formulas import checked_op, local_derivative, substitute
from autograd.engine.walks import forward_order
from autograd.engine.value import Value
from autograd.engine.value import enable_grad

_SUBSCRIPT = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")
_DOT, _BAR = "\u0307", "\u0304"


def dotted(name):
    """The tangent's name: v₁ -> v̇₁."""
    return name[:1] + _DOT + name[1:]


def barred(name):
    """The adjoint's name: v₁ -> v̄₁."""
    return name[:1] + _BAR + name[1:]


@dataclass(frozen=True)
class TraceLine:
    """One line of a trace: `name = formula = numbers`, and its value."""

    name: str
    formula: str
    numbers: str
    value: float

    def text(self):
        parts = [self.name, self.formula] + ([self.numbers] if self.numbers else [])
        return " = ".join(parts)


class Trace:
    """A trace's columns of rows; text with `str()`, an HTML table in Jupyter."""

    def __init__(self, title, headers, columns):
        self.title = title
        self.headers = headers
        self.columns = columns  # one list of TraceLines per pair of headers

    @property
    def rows(self):
        return list(zip(*self.columns)) if len(self.columns) > 1 else self.columns[0]

    def _cells(self):
        return [
            [cell for row in line for cell in (row.text(), number(row.value, 3, "paper"))]
            for line in zip(*self.columns)
        ]

    def __str__(self):
        table = [list(self.headers)] + self._cells()
        widths = [max(_width(line[i]) for line in table) for i in range(len(self.headers))]
        lines = [self.title]
        for line in table:
            cells = [_pad(cell, w, right=i % 2) for i, (cell, w) in enumerate(zip(line, widths))]
            lines.append("   ".join(cells).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td style="text-align:{"right" if i % 2 else "left"};font-family:monospace">{html.escape(c)}</td>'
                for i, c in enumerate(line)
            )
            + "</tr>"
            for line in self._cells()
        )
        return f"<table><caption>{html.escape(self.title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _width(text):
    """Columns `text` takes on screen: combining marks (dots, bars) take none."""
    return sum(not unicodedata.combining(ch) for ch in text)


def _pad(text, width, right):
    space = " " * (width - _width(text))
    return space + text if right else text + space


def record(f, primals, several=False, where="primals"):
    """Call `f` on one fresh leaf per primal (labelled x1, x2, ...): (leaves, output).

    A primal is a number, or a Value whose data is taken.  With `several`, `f` may return a list of Values; the outputs then come
    as that list, or as a 1-tuple when `f` returned a single Value.  The graph is recorded even inside `no_grad()`.
    """
    leaves = [Value(as_number(x, f"{where}[{i}]"), label=f"x{i + 1}") for i, x in enumerate(primals)]
    with enable_grad():
        output = f(*leaves)
    if several and isinstance(output, (list, tuple)):
        outputs = list(output)
    else:
        outputs = (output,)
    for i, out in enumerate(outputs):
        if not isinstance(out, Value):
            raise TypeError(f"f must return a Value, got {type(out).__name__} {out!r}")
    return leaves, outputs if several else output


def as_number(x, where):
    """`x` as a float (a Value gives its data), or a TypeError naming `where` it came from."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "__float__"):
        raise TypeError(f"{where} must be a number, got {type(x).__name__} {x!r}")
    return float(x)


def tangent_of(node, tangent, purpose):
    """The tangent of `node`: the sum over its children c that have one of d node / d c × tangent(c).

    None when no child has one: the node is a constant (it depends on no
    input).  A constant adds no term, even where d node / d c is infinite
    (0 × inf would be NaN): in PyTorch's forward mode too, a constant carries
    no tangent at all.  `tangent` maps nodes to their tangents.
    """
    terms = [local_derivative(node, i, purpose) * tangent[c] for i, c in enumerate(node.children) if c in tangent]
    return sum(terms) if terms else None


def evaluation_order(output, inputs):
    """The inputs, then every intermediate node as soon as its children are known."""
    program = forward_order(output)
    position = {node: i for i, node in enumerate(program)}
    level = {}
    for node in program:
        level[node] = 1 + max(level[child] for child in node.children) if node.children else 0
    interior = sorted((node for node in program if node.children), key=lambda node: (level[node], position[node]))
    return list(inputs) + interior


def trace_names(order, inputs):
    """v₋₁, v₀ for the inputs (v_{i-n}), then v₁, v₂, ... for the intermediates."""
    n = len(inputs)
    names = {x: f"v{str(i - n + 1)}".translate(_SUBSCRIPT) for i, x in enumerate(inputs)}
    for k, node in enumerate((node for node in order if node.children), start=1):
        names[node] = f"v{k}".translate(_SUBSCRIPT)
    return names


def _operand(node, names, numbers):
    """How a child appears in a formula: its name, or its value (in brackets if negative)."""
    if numbers or node not in names:
        text = number(node.data, 3, "paper")
        return f"({text})" if text.startswith("-") else text
    return names[node]


def _primal(node, names):
    """`log(v₋₁)` and `log(2)`: the op's float expression in names and in numbers."""
    expression = checked_op(node, "a trace").expression.replace("log(", "ln(").replace(" * ", " × ")
    symbols = substitute(expression, {v: _operand(c, names, False) for v, c in zip("ab", node.children)})
    numbers = substitute(expression, {v: _operand(c, names, True) for v, c in zip("ab", node.children)})
    return symbols, numbers


def _local(node, index, names, numbers):
    """The local derivative's formula with the children's (and the node's) names or numbers."""
    local = checked_op(node, "a trace").local_grads[index]
    text = {v: _operand(c, names, numbers) for v, c in zip("ab", node.children)}
    text["out"] = number(node.data, 3, "paper") if numbers else names[node]
    return local, substitute(local, text)


def _scaled(factor, local, local_text):
    """`factor × local`, written as the paper does: v̇₄, -v̇₃, v̇₋₁ / v₋₁, v̇₀ × cos(v₀)."""
    if local == "1":
        return factor
    if local == "-1":
        return f"-{factor}"
    if local.startswith("1 / "):
        return f"{factor} / {local_text[4:]}"
    if " " in local_text or local_text.startswith("-"):
        local_text = f"({local_text})"
    return f"{factor} × {local_text}"


def _sum(terms):
    """Terms joined by + and -: `v̇₄ - v̇₃`."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def forward_trace(f, primals, tangents):
    """The forward-mode evaluation trace of `f` at `primals` in direction `tangents` (table 2).

    Each row: v = its op on its children, with the value; v̇ = the sum over
    children of v̇_child × d v / d child, with the value.  The last row is
    the output y and its tangent ẏ, the directional derivative.
    """
    leaves, output = record(f, primals)
    tangents = [as_number(t, f"tangents[{i}]") for i, t in enumerate(tangents)]
    if len(tangents) != len(leaves):
        raise ValueError(f"{len(leaves)} primals but {len(tangents)} tangents")
    order = evaluation_order(output, leaves)
    names = trace_names(order, leaves)
    tangent = dict(zip(leaves, tangents))
    primal_rows, tangent_rows = [], []
    for node in order:
        name = names[node]
        if not node.children:
            primal_rows.append(TraceLine(name, node.label, "", node.data))
            tangent_rows.append(TraceLine(dotted(name), dotted(node.label), "", tangent[node]))
            continue
        symbols, numbers = _primal(node, names)
        primal_rows.append(TraceLine(name, symbols, numbers, node.data))
        symbol_terms, number_terms = [], []
        for i, child in enumerate(node.children):
            local, local_symbols = _local(node, i, names, numbers=False)
            _, local_numbers = _local(node, i, names, numbers=True)
            child_tangent = tangent.get(child, 0.0)
            child_name = dotted(names[child]) if child in names else "0"
            symbol_terms.append(_scaled(child_name, local, local_symbols))
            number_terms.append(_scaled(number(child_tangent, 3, "paper"), local, local_numbers))
        total = tangent_of(node, tangent, "a trace")
        if total is not None:
            tangent[node] = total
        tangent_rows.append(TraceLine(dotted(name), _sum(symbol_terms), _sum(number_terms), 0.0 if total is None else total))
    out_name = names.get(output, number(output.data, 3, "paper"))
    primal_rows.append(TraceLine("y", out_name, "", output.data))
    tangent_rows.append(TraceLine("ẏ", dotted(out_name) if output in names else "0", "", tangent.get(output, 0.0)))
    headers = ("forward primal trace", "value", "forward tangent trace", "tangent")
    return Trace("Forward-mode evaluation trace", headers, [primal_rows, tangent_rows])


def reverse_trace(f, primals):
    """The reverse-mode adjoint trace of `f` at `primals` (table 3).

    Seeded with ȳ = 1, each intermediate node, last first, hands each child
    v̄_child += v̄ × d v / d child; the last rows give each input's adjoint x̄.
    """
    leaves, output = record(f, primals)
    order = evaluation_order(output, leaves)
    names = trace_names(order, leaves)
    adjoint = {output: 1.0}
    rows = [TraceLine(barred(names[output]), "ȳ", "", 1.0)] if output in names else []  # not, for a constant
    for node in reversed(order):
        if not node.children:
            continue
        for i, child in enumerate(node.children):
            if child not in names:
                continue  # a constant
            local, local_symbols = _local(node, i, names, numbers=False)
            term = _scaled(barred(names[node]), local, local_symbols)
            partial = f"∂{names[node]}/∂{names[child]}"
            value = adjoint[node] * local_derivative(node, i, "a trace")
            child_bar = barred(names[child])
            if child in adjoint:
                adjoint[child] += value
                rows.append(TraceLine(child_bar, f"{child_bar} + {barred(names[node])} {partial}", f"{child_bar} + {term}", adjoint[child]))
            else:
                adjoint[child] = value
                rows.append(TraceLine(child_bar, f"{barred(names[node])} {partial}", term, value))
    for leaf in leaves:
        formula = barred(names[leaf]) if leaf in adjoint else "0"  # 0: y does not depend on it
        rows.append(TraceLine(barred(leaf.label), formula, "", adjoint.get(leaf, 0.0)))
    return Trace("Reverse-mode adjoint trace", ("reverse adjoint trace", "value"), [rows])
