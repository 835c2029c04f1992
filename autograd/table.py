"""`grad_table`: every node's grad next to the chain rule that made it.

    print(grad_table(o))
    grad_table(o, expected={"x1": -1.5, "w1": 1.0})   # marks each hand value

A node's grad is the sum, over each use of the node, of
local derivative * the user's grad; the last column writes that sum out.
"""

import html
from dataclasses import dataclass
from numbers import Real

from .chain_rule import chain_terms
from .notation import NOT_COMPUTED_NOTE, attribute, forward_order, grads_computed, node_names, number
from .ops import OPS
from .value import Value

TOLERANCE = 1e-6
HEADERS = ("node", "op", "data", "grad", "check", "grad = sum over uses of local derivative * user's grad")


@dataclass(frozen=True)
class Row:
    """One node: its name, op, data, grad, formula and, if given, the hand value."""

    name: str
    op: str
    data: float
    grad: float
    formula: str
    expected: float = None

    @property
    def matches(self):
        """True or False against the hand value; None when there is none."""
        if self.expected is None:
            return None
        return abs(self.grad - self.expected) <= TOLERANCE

    @property
    def check(self):
        """`✓`, or `✗ true -1.5` with the grad the engine found."""
        if self.expected is None:
            return ""
        return "✓" if self.matches else f"✗ true {self.grad:.10g}"

    def cells(self, with_check):
        cells = [self.name, self.op, number(self.data), number(self.grad)]
        if with_check:
            cells.append(self.check)
        return cells + [self.formula]


class GradTable:
    """The rows of `grad_table`, output first; text with `str()`, HTML in Jupyter."""

    def __init__(self, rows, note="", checked=False):
        self.rows = tuple(rows)
        self.note = note
        self.checked = checked

    def __getitem__(self, name):
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no node named {name!r}; the nodes are {', '.join(r.name for r in self.rows)}")

    @property
    def mismatches(self):
        """The rows whose hand value disagrees with the engine."""
        return [row for row in self.rows if row.matches is False]

    def _headers(self):
        return [h for h in HEADERS if self.checked or h != "check"]

    def __str__(self):
        table = [self._headers()] + [row.cells(self.checked) for row in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(table[0]) - 1)]
        lines = [self.note] if self.note else []
        for line in table:
            padded = [cell.rjust(w) if i in (2, 3) else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))]
            lines.append("  ".join(padded + [line[-1]]).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._headers())
        body = []
        for row in self.rows:
            cells = []
            for i, cell in enumerate(row.cells(self.checked)):
                style = ' style="text-align:right;font-family:monospace"' if i in (2, 3) else ""
                if self.checked and i == 4 and cell:
                    style = f' style="color:{"green" if row.matches else "red"}"'
                cells.append(f"<td{style}>{html.escape(cell)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.note)}</caption>" if self.note else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def grad_table(root, expected=None):
    """A `GradTable` of every node below `root`, in the order backward finishes them.

    `expected` maps node names to hand-computed grads; each is marked ✓ when
    it is within 1e-6 of the engine's grad, else ✗ with the engine's value.
    """
    if not isinstance(root, Value):
        raise TypeError(f"grad_table needs a Value, got {type(root).__name__} {root!r}")
    program_order = forward_order(root)
    names = node_names(root, program_order)
    order = program_order[::-1]
    expected = _checked_expected(expected or {}, names.values())

    terms = {node: [] for node in order}
    for node in order:
        for term in chain_terms(node, names):
            terms[term.child].append(term)

    rows = []
    for node in order:
        name = names[node]
        if node is root:
            formula = f"1 (the output: {attribute(name, 'grad')} = 1)"
        else:
            formula = _formula(terms[node])
        op = OPS[node._op].symbol if node._prev else "leaf"
        rows.append(Row(name, op, node.data, node.grad, formula, expected.get(name)))
    note = "" if grads_computed(root) else NOT_COMPUTED_NOTE
    return GradTable(rows, note, checked=bool(expected))


def _formula(terms):
    """`w1.data * (x1*w1).grad = -3.0000 * 0.5000`: the sum over every use."""
    symbols = " + ".join(term.symbols for term in terms)
    if all(not term.numbers for term in terms) and len(terms) == 1:
        return symbols
    numbers = " + ".join(term.numbers or number(term.value) for term in terms)
    return f"{symbols} = {numbers}"


def _checked_expected(expected, names):
    known = set(names)
    unknown = [name for name in expected if name not in known]
    if unknown:
        raise KeyError(
            f"expected names nodes that are not in the graph: {', '.join(map(repr, unknown))}; "
            f"the nodes are {', '.join(sorted(known))}"
        )
    for name, value in expected.items():
        if not isinstance(value, Real):
            raise TypeError(f"expected[{name!r}] must be a number, got {type(value).__name__} {value!r}")
    return {name: float(value) for name, value in expected.items()}
