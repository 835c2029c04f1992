"""Backward, one node at a time: `backward_steps(root)`, and all the text of a step.

Each step runs one node's backward step, in the order `backward()` uses.
Its lines are the chain rule, `child.grad += local derivative * out.grad`,
one per use of a child, the op table's formula written with the nodes'
names and with their numbers:

    x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000

A node with a `_backward` of its own has no formula in the table: its lines
show each child's grad before and after.
"""

from dataclasses import dataclass
from numbers import Real

from autograd.engine.floats import number
from autograd.engine.formulas import local_derivative, substitute, term_source, variables
from autograd.engine.walks import forward_order, interior_nodes_parents_first
from autograd.engine.ops import table_op

from .names import attribute, node_names

@dataclass(frozen=True)
class Term:
    """What one use of `child` received: `child.grad += symbols = numbers = value`."""

    child: object
    symbols: str
    numbers: str
    value: float

    def equation(self, names):
        """`x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000`."""
        parts = [f"{attribute(names[self.child], 'grad')} += {self.symbols}", self.numbers, number(self.value)]
        return " = ".join(part for part in parts if part)


def terms(node, names):
    """One `Term` per use of a child of `node` (`a + a` gives two); a table op's node only."""
    op = table_op(node)
    data = variables(node)
    symbols = {"out": attribute(names[node], "data")}
    symbols.update((variable, attribute(names[child], "data")) for variable, child in zip("ab", node.children))
    grad_symbol = attribute(names[node], "grad")
    grad_number = number(node.grad) if node.grad >= 0 else f"({number(node.grad)})"
    numbers = {name: number(x) for name, x in data.items()}
    found = []
    for i, (child, local) in enumerate(zip(node.children, op.local_grads)):
        sign, in_symbols = term_source(local, grad_symbol, substitute(local, symbols))
        in_numbers = term_source(local, grad_number, substitute(local, numbers, _bracket_negative))[1]
        passed_on = local in ("1", "-1")  # the grad itself, with its sign: no numbers to show
        found.append(Term(child, "-" * (sign == "-") + in_symbols, "" if passed_on else in_numbers, local_derivative(node, i) * node.grad))
    return found


def _bracket_negative(text, match):
    """`(-2.0000)` inside a formula, but `-2.0000` alone or already in brackets."""
    whole = match.string
    alone = match.start() == 0 and match.end() == len(whole)
    in_brackets = whole[match.start() - 1 : match.start()] == "(" and whole[match.end() : match.end() + 1] == ")"
    return f"({text})" if text.startswith("-") and not (alone or in_brackets) else text


@dataclass(frozen=True, repr=False)
class Step:
    """One node's backward step, `count` of `total`: `title` ("step 1 of 5: o passes its
    grad 1.0000 to its children"), `lines` (the chain rule) and the `terms` received."""

    node: object
    children: tuple
    count: int
    total: int
    title: str
    lines: tuple
    terms: tuple = ()

    def __str__(self):
        return "\n".join(self.lines)

    def __repr__(self):
        return f"{self.title}\n{self}"


def backward_steps(root):
    """One backward pass of `root`, yielding a `Step` after each node.

    It starts from zero: every grad to 0.0, then root.grad to 1.0 (unlike
    `backward()`, whose leaves accumulate).  It works on the graph's own grads,
    so it stops with a RuntimeError when they changed under it between steps.
    """
    parents_first = interior_nodes_parents_first(root)
    runs = [node._backward for node in parents_first]  # each looked up before any runs
    names = node_names(root, forward_order(root, parents_first))
    start_from_zero(root)
    left = {node: node.grad for node in names}  # the grad object this stepper last left in each node
    total = len(parents_first)
    for count, (node, run) in enumerate(zip(parents_first, runs), start=1):
        _check_unchanged(node, left, names, count)
        title = f"step {count} of {total}: {names[node]} passes its grad {number(node.grad)} to its children"
        if table_op(node) is not None:
            found = terms(node, names)
            lines = _chain_rule_lines(found, names)
            run()
        else:
            found, lines = _run_own_backward(node, run, names)
        for child in node.children:
            left[child] = child.grad
        yield Step(node, node.children, count, total, title, tuple(lines), tuple(found))


def _check_unchanged(node, left, names, count):
    """A RuntimeError if the grad of `node` or a child is not the one this stepper left there."""
    for each in (node, *node.children):
        if each.grad is not left[each]:
            grad = attribute(names[each], "grad")
            now = f"{grad} is {each.grad!r}, not {left[each]!r}" if each.grad != left[each] else f"{grad} was written again"
            raise RuntimeError(
                f"backward_steps stopped before step {count}: {now}. Another backward_steps, a backward() "
                f"or an assignment to .grad changed this graph's grads since this stepper's last step; "
                f"start a new backward_steps(root) to step through again."
            )


def _chain_rule_lines(found, names):
    """The lines of one step; a child that already holds grad shows its new total."""
    lines, totals = [], {}
    for term in found:
        before = totals.get(term.child, term.child.grad)
        totals[term.child] = before + term.value
        line = term.equation(names)
        if before != 0.0:
            line += f", so {attribute(names[term.child], 'grad')} = {number(totals[term.child])}"
        lines.append(line)
    return lines


def _run_own_backward(node, run, names):
    """Run a hand-written `_backward`; its terms and lines show each child's grad before and after."""
    children = list(dict.fromkeys(node.children))  # a child used twice gets one line
    before = [child.grad for child in children]
    run()
    own = attribute(names[node], "_backward")
    for child in children:
        if not isinstance(child.grad, Real):
            grad = attribute(names[child], "grad")
            raise TypeError(f"{own}() set {grad} to {child.grad!r}: a _backward must add a number to each child's grad")
    source = f"{own}() (op {node._op!r}, its own)"
    found, lines = [], []
    for child, old in zip(children, before):
        found.append(Term(child, source, number(child.grad - old), child.grad - old))
        lines.append(f"{attribute(names[child], 'grad')}: {number(old)} -> {number(child.grad)}, added by {source}")
    return found, lines


def start_from_zero(root):
    """Every grad below `root` to 0.0, then the root's to 1.0: the state before step 1."""
    for node in forward_order(root):  # every node below root, once
        node.grad = 0.0
    root.grad = 1.0
