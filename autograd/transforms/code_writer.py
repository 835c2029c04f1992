"""The source `compile()` runs: a graph written out as one fused function.

The forward half is the evaluation trace with single-use nodes folded in:
a node used once, whose value no local derivative reads, gets no variable
of its own; its expression is written inside its parent's.  A neuron
`b + w0*x0 + w1*x1 + ...` becomes one line instead of one line per node.
Python evaluates the fused line with the very same float operations in
the same order, so every value is the eager engine's to the last bit
(NaN's sign bit aside: which NaN an operation passes on is the machine's
choice, and no test of a number can tell them apart).

The backward half writes each adjoint `vK_bar` = d(output)/d(node K) once,
as the ordered sum of its terms (local derivative * parent's adjoint),
in the order `backward()` adds them into `node.grad`: parents first (the
order of `autograd.engine.walks.interior_nodes_parents_first`), a parent's first
child before its second.  An adjoint that is one term passed on unchanged
(through `+`, `-` or `neg`) is no variable of its own: its parent's adjoint
stands in for it, with its sign.

`backward()` starts every grad from 0.0; so does each input's gradient
here (`0.0 + t1 + t2`).  An interior adjoint starts from its first term
instead, which saves an addition: `0.0 + t` and `t` differ only when t is
-0.0.  An adjoint enters later terms only as a factor (local * adjoint),
so such a difference only flips the sign of a zero term, and a sum that
starts from 0.0 cannot see it: 0.0 + (+-0.0) is 0.0, and x + (+-0.0) is x.

NB: Python's compiler recurses once per level of nesting and refuses
deep expressions.  No written line nests deeper than `MAX_DEPTH` nodes:
a longer fused chain gets a variable every `MAX_DEPTH` nodes, and a longer
sum of adjoint terms is continued on the next line (`x = x + t51 + ...`),
which adds in the same order.
"""

import ast
from functools import lru_cache

from autograd.engine.formulas import mentions, template, term_source
from autograd.engine.ops import OPS

MAX_DEPTH = 50
"""The most nodes folded into one expression, and the most terms on one line of a sum."""

HEADER = """\
    # Fused form: a node used once, whose value no derivative reads, has no
    # variable of its own; its expression is written inside its parent's.
    # vK_bar = d(output)/d(node K) is written once, as the sum of its terms in
    # the order backward() adds them; a node whose one term is passed on
    # through +, - or neg shares its parent's adjoint.
"""
"""The comment at the top of every replay function, after the arguments' comments."""


# How tightly an expression binds (Python's precedence), weakest first.
_ANY, _SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(6)
_BINARY = {ast.Add: _SUM, ast.Sub: _SUM, ast.Mult: _PRODUCT, ast.Div: _PRODUCT, ast.Pow: _POWER}


def replay_source(root, parents_first, inputs, data, extras):
    """The Python source of `def replay(*inputs, *data)`, returning (output, input gradients[, extras])."""
    writer = _Writer(root, parents_first, inputs, data, extras)
    writer.forward()
    writer.backward()
    return writer.source()


class _Writer:
    """Writes one graph's replay function, forward then backward.

    Nodes are dictionary keys by identity, as in `autograd.engine.graph`.
    """

    def __init__(self, root, parents_first, inputs, data, extras):
        self.root, self.parents_first = root, parents_first
        self.inputs, self.data, self.extras = inputs, data, extras
        leaves = [*inputs, *data]
        self.number = {leaf: k for k, leaf in enumerate(leaves)}  # node -> K, for every node computed on each call
        self.text = {leaf: f"v{k}" for k, leaf in enumerate(leaves)}  # node -> the variable holding its value
        self.plans = {}  # op name -> _Plan
        self.lines = []
        self._read_the_graph()

    def plan(self, op_name):
        plan = self.plans.get(op_name)
        if plan is None:
            plan = self.plans[op_name] = _plan(OPS[op_name].expression, OPS[op_name].local_grads, op_name)
        return plan

    def _read_the_graph(self):
        """Which nodes are computed on each call (`live`), which need a gradient, which keep a variable.

        A node keeps a variable when it is the root or an extra, is used more
        than once, or a local derivative reads its value; every other live
        node is used once and is folded into its parent's expression.
        """
        number, plan = self.number, self.plan
        self.live = live = []  # children first
        self.needs_grad = needs = set(self.inputs)
        keep = {self.root, *self.extras}
        uses = {}
        for node in reversed(self.parents_first):
            a, b = node._a, node._b
            if a not in number and b not in number:
                continue  # depends on no argument: a constant
            number[node] = len(number)
            live.append(node)
            p = plan(node._op)
            a_needs, b_needs = a in needs, b in needs
            if a_needs or b_needs:
                needs.add(node)
                keep_a, keep_b, keep_out = p.reads[a_needs, b_needs]
                if keep_out:
                    keep.add(node)
            else:
                keep_a = keep_b = False
            if keep_a or not p.foldable_a:
                keep.add(a)
            if b is not None and (keep_b or not p.foldable_b):
                keep.add(b)
            uses[a] = uses.get(a, 0) + 1
            if b is not None:
                uses[b] = uses.get(b, 0) + 1
        keep.update(node for node, count in uses.items() if count > 1)
        self.keep = keep

    # --- forward --------------------------------------------------------------

    def forward(self):
        """One line per node that keeps a variable; the others inside their parent's line."""
        lines, text, keep, plans = self.lines, self.text, self.keep, self.plans
        lines.append("    # forward")
        folded = {}  # node -> (expression, how tightly it binds, depth), for a node written into its parent
        for node in self.live:
            p = plans[node._op]  # each live node's op was planned when the graph was read
            depth = 1
            a, b = node._a, node._b
            if a in folded:
                expression, binds, child_depth = folded.pop(a)
                a_text = expression if binds >= p.needs_a else f"({expression})"
                depth = child_depth + 1
            else:
                a_text = text[a] if a in text else literal(a.data)
            if b is None:
                expression = p.format.format(a=a_text)
            else:
                if b in folded:
                    expression, binds, child_depth = folded.pop(b)
                    b_text = expression if binds >= p.needs_b else f"({expression})"
                    depth = max(depth, child_depth + 1)
                else:
                    b_text = text[b] if b in text else literal(b.data)
                expression = p.format.format(a=a_text, b=b_text)
            if node in keep or depth >= MAX_DEPTH:
                name = text[node] = f"v{self.number[node]}"
                lines.append(f"    {name} = {expression}")
            else:
                folded[node] = (expression, p.binds, depth)

    def operand(self, node):
        """A node's value in the code: its variable, or its recorded value if it is a constant."""
        text = self.text.get(node)
        if text is not None:
            return text
        if node in self.number:
            raise AssertionError("compile(): a folded node's value was read; it should have kept a variable")
        return literal(node.data)

    # --- backward -------------------------------------------------------------

    def backward(self):
        """Each adjoint once, as the ordered sum of its terms; inputs' gradients last."""
        self.lines.append("    # backward: vK_bar = d(output)/d(node K), parents first")
        root, needs, operand, plans = self.root, self.needs_grad, self.operand, self.plans
        terms = {}  # node -> [(negated, term, passed_on)], in the order backward() adds them
        self.bar = bar = {root: (False, "1.0")}  # node -> (negated, variable): its adjoint is +-variable
        for node in self.parents_first:
            if node not in needs:
                continue
            if node is root:
                negated, g = bar[node]
            else:
                own = terms.pop(node)
                if len(own) == 1 and own[0][2]:  # one term passed on unchanged: the parent's adjoint stands in
                    negated, g, _ = own[0]
                    bar[node] = negated, g
                else:
                    negated, g = self._write_adjoint(node, own, start="")
            p = plans[node._op]
            a, b = node._a, node._b
            a_needs, b_needs = a in needs, b in needs
            read_a, read_b, read_out = p.reads[a_needs, b_needs]
            values = {"g": g}
            if read_a:
                values["a"] = operand(a)
            if read_b:
                values["b"] = operand(b)
            if read_out:
                values["out"] = operand(node)
            for child, wanted, (sign, term, passed_on) in zip((a, b), (a_needs, b_needs), p.terms):
                if wanted:
                    entry = (negated != (sign == "-"), g if passed_on else term.format_map(values), passed_on)
                    if child in terms:
                        terms[child].append(entry)
                    else:
                        terms[child] = [entry]
        for x in self.inputs:
            if x is root:
                bar[x] = (False, "1.0")
            elif x in terms:
                self._write_adjoint(x, terms.pop(x), start="0.0")

    def _write_adjoint(self, node, terms, start):
        """Write `node`'s adjoint as `start` plus its `terms`, in order; (False, its variable)."""
        name = f"v{self.number[node]}_bar"
        for i in range(0, len(terms), MAX_DEPTH):
            first = start if i == 0 else name
            self.lines.append(f"    {name} = {_signed_sum(first, terms[i : i + MAX_DEPTH])}")
        self.bar[node] = result = (False, name)
        return result

    def source(self):
        arguments = ", ".join(f"v{k}" for k in range(len(self.inputs) + len(self.data)))
        header = [f"def replay({arguments}):"]
        header += _argument_comments(self.inputs, 0, "inputs", "whose gradients are returned")
        header += _argument_comments(self.data, len(self.inputs), "data", "which get no gradient")
        grads = [_signed(*self.bar[x]) if x in self.bar else "0.0" for x in self.inputs]
        returned = [self.operand(self.root), _tuple(grads)]
        if self.extras:
            returned.append(_tuple(self.operand(node) for node in self.extras))
        lines = header + [HEADER.rstrip("\n")] + self.lines + [f"    return {', '.join(returned)}"]
        return "\n".join(lines) + "\n"


def _signed(negated, text):
    """`text`, or `(0.0 - text)`: backward()'s `grad -= t` from 0.0, which keeps a NaN's sign where `-t` would flip it."""
    return f"(0.0 - {text})" if negated else text


def _signed_sum(start, terms):
    """`start + t1 - t2 ...`, or `t1 - t2 ...` when start is empty (a first negative term as -t1)."""
    parts = [start] if start else []
    for negated, term, _ in terms:
        if parts:
            parts.append(f"{'-' if negated else '+'} {term}")
        else:
            parts.append(_signed(negated, term))
    return " ".join(parts)


def _argument_comments(leaves, first, kind, what):
    """A comment naming the arguments `leaves` stand for, and one per labelled leaf."""
    if not leaves:
        return []
    last = first + len(leaves) - 1
    names = f"v{first}" if last == first else f"v{first}, v{last}" if last == first + 1 else f"v{first}..v{last}"
    lines = [f"    # {names}: {kind}, {what}"]
    # Labels are user text: only their escaped text goes into the source, and only in a comment.
    for i, leaf in enumerate(leaves):
        text = _comment_text(leaf.label)
        if text:
            lines.append(f"    # v{first + i}: label {text}")
    return lines


def _comment_text(label):
    """A non-empty string label as a quoted, escaped literal, else "".

    The label is copied to a plain `str` and escaped by `str`'s own repr,
    whatever its class overrides: the text holds no line break (\n, \r,
    \u2028, NUL and the like are escaped), so it cannot leave the comment.
    A label that is not a string is left out.
    """
    if not isinstance(label, str) or not str.__len__(label):
        return ""
    return str.__repr__(str.__str__(label))


def _tuple(items):
    items = list(items)
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def literal(x):
    """A float as Python source: `1.5`, `(-2.0)`, `float('inf')` (a numpy float too)."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return f"float('{x!r}')"
    return f"({x!r})" if x < 0 or repr(x).startswith("-") else repr(x)


# --- each op's formulas as format strings, read once per op -----------------------


class _Plan:
    """How one op is written: its forward as a format string, its backward terms, what they read.

    `format`: the op's expression with `{a}`, `{b}` fields; `binds`: how
    tightly it binds; `needs_a`, `needs_b`: how tightly a child folded in at
    a or b must bind to need no brackets; `foldable_a`, `foldable_b`: whether
    a child may be folded in there (the expression names it once).
    `terms`: per child, (sign, format, passed_on) such that
    `grad {sign}= format.format(g=..., a=..., b=..., out=...)` is backward()'s
    step, `passed_on` when the local derivative is 1 or -1.
    `reads[a_needs_grad, b_needs_grad]`: whether the terms those children
    need read a, b and out.
    """

    def __init__(self, expression, local_grads):
        self.format = template(expression)
        tree = ast.parse(expression, mode="eval").body
        self.binds = _binding(tree)
        needs = {"a": _ATOM, "b": _ATOM}
        counts = {"a": 0, "b": 0}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                if isinstance(child, ast.Name) and child.id in counts:
                    counts[child.id] += 1
                    needs[child.id] = _needed_binding(parent, child)
        self.needs_a, self.needs_b = needs["a"], needs["b"]
        self.foldable_a, self.foldable_b = counts["a"] == 1, counts["b"] == 1
        self.terms = []
        for local in local_grads:
            sign, term = term_source(local, "{g}", template(local))
            self.terms.append((sign, term, local in ("1", "-1")))
        mentioned = [{name for name in ("a", "b", "out") if mentions(local, name)} for local in local_grads]
        self.reads = {}
        for wanted in ((False, False), (True, False), (False, True), (True, True)):
            read = set().union(*(names for names, needed in zip(mentioned, wanted) if needed))
            self.reads[wanted] = ("a" in read, "b" in read, "out" in read)


@lru_cache(maxsize=None)
def _cached_plan(expression, local_grads):
    return _Plan(expression, local_grads)


def _plan(expression, local_grads, op_name):
    if not expression:
        raise ValueError(f"op {op_name!r} has no float expression, so it cannot be compiled")
    return _cached_plan(expression, tuple(local_grads))


def _binding(tree):
    """How tightly the expression `tree` binds."""
    if isinstance(tree, ast.BinOp):
        return _BINARY.get(type(tree.op), _ANY)
    if isinstance(tree, ast.UnaryOp):
        return _UNARY
    if isinstance(tree, (ast.Name, ast.Call, ast.Constant)):
        return _ATOM
    return _ANY


def _needed_binding(parent, child):
    """How tightly an expression standing at `child` inside `parent` must bind to need no brackets."""
    if isinstance(parent, ast.Call) and child in parent.args:
        return _ANY
    if isinstance(parent, ast.UnaryOp):
        return _UNARY
    if isinstance(parent, ast.BinOp) and type(parent.op) in _BINARY:
        binds = _BINARY[type(parent.op)]
        if binds == _POWER:
            return _ATOM if child is parent.left else _UNARY  # (-x) ** 2; 2 ** -x
        return binds if child is parent.left else binds + 1  # a - b + c is (a - b) + c
    return _ATOM
