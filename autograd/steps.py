"""Backward, one node at a time: `backward_steps(root)`.

    for step in backward_steps(o):
        print(step)

Each step runs one node's backward step, in the order `backward()` uses,
and its text is the chain rule with symbols and numbers, one line per child:

    x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000

A node with a backward of its own (`out._backward = ...`) has no formula in
the op table, so its lines show each child's grad before and after.
"""

from dataclasses import dataclass

from .chain_rule import Term, chain_terms
from .graph import all_nodes, interior_nodes_parents_first
from .notation import attribute, forward_order, node_names, number
from .ops import uses_table_rule
from .value import local_backward


@dataclass(frozen=True, repr=False)
class Step:
    """One node's backward step: `node` passed its grad to `children`.

    `count` runs from 1 up to `total`; `title` reads "step 1 of 5: o passes
    its grad 1.0000 to its children"; `terms` are what each use of a child
    received, and `lines` the chain-rule lines, with the numbers as they
    were at this step.
    """

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
    """One backward pass of `root`, from zero, yielding a `Step` after each node.

    Before the first step every grad in the graph, leaves too, is set to
    0.0 and `root.grad` to 1.0, so the steps show the grads of one pass
    whatever ran before: after the last step each grad is d root / d node.
    (`backward()` differs: leaves add the new pass to what they hold.)
    Stopping early leaves the nodes not reached yet at 0.0.  Every node's
    backward step is looked up before any grad changes.

    A stepper works on the graph's own grads, so it stops with a
    RuntimeError when they changed under it between two steps: a second
    `backward_steps` (or a `backward()`, or an assignment to `.grad`) on
    the same graph makes the first stepper stop at its next step.
    """
    parents_first = interior_nodes_parents_first(root)
    runs = [local_backward(node) for node in parents_first]
    names = node_names(root, forward_order(root, parents_first))
    _start_from_zero(root)
    left = {node: node.grad for node in names}  # the grad object this stepper last left in each node
    total = len(parents_first)
    for count, (node, run) in enumerate(zip(parents_first, runs), start=1):
        _check_unchanged(node, left, names, count)
        title = f"step {count} of {total}: {names[node]} passes its grad {number(node.grad)} to its children"
        if uses_table_rule(node):
            terms = chain_terms(node, names)
            lines = _chain_rule_lines(terms, names)
            run()
        else:
            terms, lines = _run_own_backward(node, run, names)
        for child in node._prev:
            left[child] = child.grad
        yield Step(node, node._prev, count, total, title, tuple(lines), tuple(terms))


def _check_unchanged(node, left, names, count):
    """A RuntimeError if the grad of `node` or a child is not the one this stepper left there."""
    for each in (node, *node._prev):
        if each.grad is not left[each]:
            grad = attribute(names[each], "grad")
            now = f"{grad} is {each.grad!r}, not {left[each]!r}" if each.grad != left[each] else f"{grad} was written again"
            raise RuntimeError(
                f"backward_steps stopped before step {count}: {now}. Another backward_steps, a backward() "
                f"or an assignment to .grad changed this graph's grads since this stepper's last step; "
                f"start a new backward_steps(root) to step through again."
            )


def _chain_rule_lines(terms, names):
    """The lines of one step; a child that already holds grad shows its new total."""
    lines = []
    totals = {}
    for term in terms:
        before = totals.get(term.child, term.child.grad)
        totals[term.child] = before + term.value
        line = term.equation(names)
        if before != 0.0:
            line += f", so {attribute(names[term.child], 'grad')} = {number(totals[term.child])}"
        lines.append(line)
    return lines


def _run_own_backward(node, run, names):
    """Run a hand-written `_backward`; its terms and lines show each child's grad before and after."""
    children = list(dict.fromkeys(node._prev))  # a child used twice gets one line
    before = [child.grad for child in children]
    run()
    source = f"{attribute(names[node], '_backward')}() (op {node._op!r}, its own)"
    terms, lines = [], []
    for child, old in zip(children, before):
        grad = attribute(names[child], "grad")
        terms.append(Term(child, source, number(child.grad - old), child.grad - old))
        lines.append(f"{grad}: {number(old)} -> {number(child.grad)}, added by {source}")
    return terms, lines


def backward_to_step(root, count):
    """Run the first `count` steps of a fresh pass (see `backward_steps`); the last Step, or None."""
    step = None
    if count > 0:
        for step in backward_steps(root):
            if step.count == count:
                break
    else:
        _start_from_zero(root)
    return step


def _start_from_zero(root):
    """Every grad below `root` to 0.0, then the root's to 1.0: the state before step 1."""
    for node in all_nodes(root):
        node.grad = 0.0
    root.grad = 1.0
