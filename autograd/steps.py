"""Backward, one node at a time: `backward_steps(root)`.

    for step in backward_steps(o):
        print(step)

Each step runs one node's backward rule, in the order `backward()` uses,
and its text is the chain rule with symbols and numbers, one line per child:

    x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000
"""

from dataclasses import dataclass

from .chain_rule import chain_terms
from .notation import attribute, forward_order, node_names, number
from .ops import OPS
from .value import check_child_grads, start_backward


@dataclass(frozen=True, repr=False)
class Step:
    """One backward rule run: `node` passed its grad to `children`.

    `count` runs from 1 up to `total`; `title` reads "step 1 of 5: o passes
    its grad 1.0000 to its children"; `lines` are the chain-rule lines, with
    the numbers as they were at this step.
    """

    node: object
    children: tuple
    count: int
    total: int
    title: str
    lines: tuple

    def __str__(self):
        return "\n".join(self.lines)

    def __repr__(self):
        return f"{self.title}\n{self}"


def backward_steps(root):
    """Run `root.backward()` one node at a time, yielding a `Step` after each.

    Before the first step the grads are set up as `backward()` does: the
    grads of all interior nodes are reset to 0, leaves keep theirs, and
    `root.grad` is seeded with 1 (a leaf root adds 1).  Running the generator
    to its end leaves exactly the grads of `backward()`; stopping early
    leaves the nodes not reached yet with nothing more: interior ones at 0,
    leaves with the grads they had.
    """
    order = start_backward(root)
    names = node_names(root, forward_order(root, order))  # names read no grads
    for count, node in enumerate(order, start=1):
        title = (
            f"step {count} of {len(order)}: {names[node]} passes its grad "
            f"{number(node.grad)} to its children"
        )
        check_child_grads(node)
        lines = _chain_rule_lines(node, names)
        OPS[node._op].backward(node)
        yield Step(node, node._prev, count, len(order), title, tuple(lines))


def _chain_rule_lines(node, names):
    """The lines of one step; a child that already holds grad shows its new total."""
    lines = []
    totals = {}
    for term in chain_terms(node, names):
        before = totals.get(term.child, term.child.grad)
        totals[term.child] = before + term.value
        line = term.equation(names)
        if before != 0.0:
            line += f", so {attribute(names[term.child], 'grad')} = {number(totals[term.child])}"
        lines.append(line)
    return lines
