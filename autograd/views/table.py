"""`grad_table`: every node's grad next to the chain rule that makes it.

    print(grad_table(o))
    grad_table(o, expected={"x1": -1.5, "w1": 1.0})   # marks each hand value
    grad_table(o, expected={"x1": -3.0})["x1"].mistakes  # the slips that give -3.0 (mistakes.py)

d o / d node is the sum, over each use of the node, of local derivative *
the user's d o / d user; the last column writes that sum out.  The table
computes these derivatives afresh, in one backward pass from zero that it
undoes, so hand values are judged against the true derivative whatever
`.grad` holds (leaves add up the grads of several `backward()` calls).
"""

import html
from dataclasses import dataclass
from numbers import Real

from autograd.engine.floats import number
from autograd.engine.walks import forward_order
from autograd.engine.value import Value
from autograd.gradcheck import grads_put_back

from .mistakes import diagnose, typed_match
from .draw import NOT_COMPUTED_NOTE, grads_computed, op_symbol
from .names import attribute, node_names
from .steps import backward_steps

TOLERANCE = 1e-6
FORMULA_HEADER = "grad = sum over uses of local derivative * user's grad"
NUMBER_COLUMNS = ("data", "grad", "d out/d node")


@dataclass(frozen=True)
class Row:
    """One node: its name, op, data, grad, the true derivative, formula and, if given, the hand value
    with the `mistakes` that explain it when it is wrong (see `mistakes.diagnose`)."""

    name: str
    op: str
    data: float
    grad: float
    formula: str
    expected: float = None
    derivative: float = None
    mistakes: tuple = ()

    @property
    def matches(self):
        """True or False against the hand value; None when there is none."""
        if self.expected is None:
            return None
        return _within_tolerance(self.derivative, self.expected)

    @property
    def check(self):
        """`✓`, or `✗ true -1.5` with the derivative the engine found."""
        if self.expected is None:
            return ""
        return "✓" if self.matches else f"✗ true {self.derivative:.10g}"

    @property
    def grad_is_stale(self):
        """Whether `.grad` holds something other than the derivative (several passes added up)."""
        return self.grad != self.derivative


class GradTable:
    """The rows of `grad_table`, output first; text with `str()`, HTML in Jupyter."""

    def __init__(self, rows, note="", checked=False):
        self.rows = tuple(rows)
        self.note = note
        self.checked = checked
        self.shows_derivative = any(row.grad_is_stale for row in self.rows)

    def __getitem__(self, name):
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no node named {name!r}; the nodes are {', '.join(r.name for r in self.rows)}")

    @property
    def mismatches(self):
        """The rows whose hand value disagrees with the engine."""
        return [row for row in self.rows if row.matches is False]

    def _columns(self):
        """(header, cell of a row) for each column shown."""
        columns = [
            ("node", lambda row: row.name),
            ("op", lambda row: row.op),
            ("data", lambda row: number(row.data)),
            ("grad", lambda row: number(row.grad)),
        ]
        if self.shows_derivative:
            columns.append(("d out/d node", lambda row: number(row.derivative)))
        if self.checked:
            columns.append(("check", lambda row: row.check))
        return columns + [(FORMULA_HEADER, lambda row: row.formula)]

    def __str__(self):
        columns = self._columns()
        table = [[header for header, _ in columns]]
        table += [[cell(row) for _, cell in columns] for row in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(columns) - 1)]
        lines = [self.note] if self.note else []
        for line in table:
            padded = [
                text.rjust(width) if header in NUMBER_COLUMNS else text.ljust(width)
                for text, width, (header, _) in zip(line, widths, columns)
            ]
            lines.append("  ".join(padded + [line[-1]]).rstrip())
        for row, line_number in reversed(self._explained_rows(start=len(lines) - len(self.rows))):
            lines.insert(line_number + 1, f"{' ' * (widths[0] + 2)}↳ {row.mistakes[0].text}")
        return "\n".join(lines)

    def _explained_rows(self, start):
        """(row, its line number from `start`) for each row with a mistake found."""
        return [(row, start + i) for i, row in enumerate(self.rows) if row.mistakes]

    __repr__ = __str__

    def _repr_html_(self):
        columns = self._columns()
        head = "".join(f"<th>{html.escape(header)}</th>" for header, _ in columns)
        body = []
        for row in self.rows:
            cells = []
            for header, cell in columns:
                style = ' style="text-align:right;font-family:monospace"' if header in NUMBER_COLUMNS else ""
                text = html.escape(cell(row))
                if header == "check" and row.check:
                    style = f' style="color:{"#188038" if row.matches else "#c5221f"}"'
                if header == "check" and row.mistakes:
                    text += f"<br>{html.escape(f'↳ {row.mistakes[0].text}')}"  # under the ✗
                cells.append(f"<td{style}>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.note)}</caption>" if self.note else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def grad_table(root, expected=None):
    """A `GradTable` of every node below `root`, in the order backward finishes them.

    Each row shows the node's `.grad` and the chain rule of d root / d node,
    computed afresh (every grad is put back afterwards).  Where `.grad`
    differs from that derivative, a column shows both and the note says why.
    `expected` maps node names to hand-computed derivatives; each is marked
    ✓ when it is within 1e-6 of d root / d node or is it rounded to the
    decimals typed (4 or more), else ✗ with the true value
    and the single slips that give it, if any (`row.mistakes`, see `mistakes.py`).
    """
    if not isinstance(root, Value):
        raise TypeError(f"grad_table needs a Value, got {type(root).__name__} {root!r}")
    program_order = forward_order(root)
    names = node_names(root, program_order)
    expected = _checked_expected(expected or {}, names.values())
    derivatives, terms = _one_fresh_pass(root)

    hand_values = {node: expected[names[node]] for node in program_order if names[node] in expected}
    wrong = {node for node, value in hand_values.items() if not _within_tolerance(derivatives[node], value)}
    mistakes = diagnose(root, names, hand_values) if wrong else {}  # a right value gets none (below)

    rows = []
    for node in reversed(program_order):
        name = names[node]
        if node is root:
            formula = f"1 (the output: {attribute(name, 'grad')} = 1)"
        else:
            formula = _formula(terms[node])
        op = op_symbol(node) if node.children else "leaf"
        rows.append(Row(name, op, node.data, node.grad, formula, expected.get(name), derivatives[node], mistakes.get(node, ()) if node in wrong else ()))
    return GradTable(rows, _note(root, names, rows), checked=bool(expected))


def _within_tolerance(derivative, hand_value):
    """Whether a hand value is right: within 1e-6 of the derivative, or the derivative
    rounded to the decimals typed (4 or more: 0.7071 for 0.70710678, see `typed_match`)."""
    return abs(derivative - hand_value) <= TOLERANCE or typed_match(derivative, hand_value)


def _one_fresh_pass(root):
    """d root / d node for every node, and the chain-rule terms each received; every grad put back."""
    with grads_put_back(root) as nodes:
        terms = {node: [] for node in nodes}
        for step in backward_steps(root):
            for term in step.terms:
                terms[term.child].append(term)
        derivatives = {node: node.grad for node in nodes}
    return derivatives, terms


def _note(root, names, rows):
    """Why `.grad` and d root / d node differ, in plain words; "" when they agree."""
    if not grads_computed(root):
        return NOT_COMPUTED_NOTE + "; the d out/d node column shows what one pass gives"
    stale = [row.name for row in rows if row.grad_is_stale]
    if not stale:
        return ""
    out = names[root]
    return (
        f"grad differs from d out/d node (out = {out}) for {', '.join(stale)}: a leaf's grad adds up "
        f"every backward() that reached it until it is zeroed (as in PyTorch), or a backward() from "
        f"another output filled it. Call {out}.zero_grad() before {out}.backward() to see one pass."
    )


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
