"""Lessons 2 and 3's tables of a tape: the evaluation trace (Wengert list) as the program ran it.

A program that computes with `Value`s writes, one line per op, a list of
intermediate variables: v₁ = ln(v₋₁), v₂ = v₋₁ * v₀, ...  That list is the
*evaluation trace*.  Reverse mode reads it backwards: each line hands its
adjoint v_bar (= dy/dv) to the variables it used, times the local
derivative the op table gives:

    v_bar[child] += v_bar[node] * d node / d child

`primal_table(tape)` tabulates the primal values; `adjoint_table(tape)`
runs that backward walk one node at a time with each node's `_backward()`
and tabulates every update.  The tape is the list of nodes in the order the
program made them (inputs first), which is a valid order for reverse mode
read backwards.

This module is the lessons' own, next to the notebooks; it is not part of
stepgrad.  Its tables take a tape of Values the lesson built by hand.  The
library's `autograd.forward_trace(f, primals, tangents)` and
`autograd.reverse_trace(f, primals)` (autograd/views/traces.py) take a
function instead and print Baydin et al.'s tables 2 and 3 (lesson 7).
"""

import html
import unicodedata

from autograd.engine import formulas
from autograd.engine.formulas import substitute
from autograd.engine.value import OPS


def bar(name):
    """The adjoint's name: v1 -> v̄1 (a combining macron on the first letter)."""
    return name[:1] + "\u0304" + name[1:]


def expression(node):
    """How `node` was computed from its children, e.g. 'v₋₁ * v₀' or 'sin(v₀)'."""
    if not node.children:
        return "input"
    names = {letter: _name(child) for letter, child in zip("ab", node.children)}
    return substitute(OPS[node._op].expression, names)


def local_formula(node, child_index):
    """d node / d child as (formula in the children's names, its value).

    The formula is the op table's `local_grads` string with `a`, `b` and
    `out` replaced by the names of the children and of the node.
    """
    formula = OPS[node._op].local_grads[child_index]
    names = {"out": _name(node), **{letter: _name(child) for letter, child in zip("ab", node.children)}}
    return substitute(formula, names), formulas.local_derivative(node, child_index)


def primal_table(tape, adjoints=False):
    """The primal trace: one row (variable, how it is computed, value) per node.

    With `adjoints=True`, a last column holds each node's grad, its adjoint
    dy/dv once reverse mode has run.
    """
    headers = ("variable", "computed as", "value") + (("adjoint",) if adjoints else ())
    rows = [
        (_name(v), expression(v), f"{v.data:.4f}") + ((f"{v.grad:.4f}",) if adjoints else ())
        for v in tape
    ]
    title = "Evaluation trace: primal values and adjoints" if adjoints else "Forward primal trace"
    return Table(headers, rows, title=title)


def adjoint_table(tape):
    """Run reverse mode over `tape` by hand and tabulate every adjoint update.

    Seeds the last node's grad with 1, zeroes the others, then calls
    `_backward()` on each node from last to first.  Each row is one
    update `child_bar += node_bar * local derivative`, with the adjoint's
    running total after that update.  A node that uses a child twice
    (y = x * x) makes two rows for it, the second adding to the first; the
    last total of each child is the engine's `grad` once `_backward()` ran.
    """
    for v in tape:
        v.grad = 0.0
    tape[-1].grad = 1.0
    rows = [(bar(_name(tape[-1])), "seed", "", "1.0000")]
    for node in reversed(tape):
        if not node.children:
            continue
        running = {id(child): child.grad for child in node.children}
        node._backward()
        for i, child in enumerate(node.children):
            formula, value = local_formula(node, i)
            if " " in formula:
                formula = f"({formula})"
            update = f"{bar(_name(node))} \u00d7 {formula}"
            product = node.grad * value
            running[id(child)] += product
            numbers = f"{node.grad:.4f} \u00d7 {value:.4f} = {product:.4f}"
            rows.append((bar(_name(child)) + " +=", update, numbers, f"{running[id(child)]:.4f}"))
    return Table(("adjoint", "update", "numbers", "adjoint now"), rows, title="Reverse adjoint trace")


def _name(node):
    return node.label or f"{node.data:g}"


class Table:
    """Rows of text shown as an HTML table in Jupyter and aligned text elsewhere."""

    def __init__(self, headers, rows, title=""):
        self.headers, self.rows, self.title = tuple(headers), [tuple(r) for r in rows], title

    def __str__(self):
        lines = [self.headers, *self.rows]
        widths = [max(_width(line[i]) for line in lines) for i in range(len(self.headers))]
        text = [self.title] if self.title else []
        for k, line in enumerate(lines):
            text.append("  ".join(_pad(cell, w) for cell, w in zip(line, widths)).rstrip())
            if k == 0:
                text.append("  ".join("-" * w for w in widths))
        return "\n".join(text)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(_html_cell(c) for c in row) + "</tr>"
            for row in self.rows
        )
        caption = f"<caption style='text-align:left'><b>{html.escape(self.title)}</b></caption>" if self.title else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def side_by_side(*tables):
    """Several tables next to each other (HTML in Jupyter, one after the other as text)."""
    return _SideBySide(tables)


class _SideBySide:
    def __init__(self, tables):
        self.tables = tables

    def __repr__(self):
        return "\n\n".join(str(t) for t in self.tables)

    def _repr_html_(self):
        cells = "".join(f"<div style='margin-right:2em'>{t._repr_html_()}</div>" for t in self.tables)
        return f"<div style='display:flex;align-items:flex-start'>{cells}</div>"


def _html_cell(text):
    align = "right" if _is_number(text) else "left"
    content = f"<code>{html.escape(text)}</code>" if text else ""
    return f"<td style='text-align:{align}'>{content}</td>"


def _width(text):
    """Columns `text` takes on screen: combining marks (the macron) take none."""
    return sum(not unicodedata.combining(ch) for ch in text)


def _pad(text, width):
    """Numbers to the right, words to the left."""
    space = " " * (width - _width(text))
    return space + text if _is_number(text) else text + space


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
