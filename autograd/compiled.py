"""`compile()`: record a graph once, replay it as straight-line float code.

The graph below `root` is written out as its evaluation trace (a Wengert
list): one line per node, children before parents, each line the op's
`expression` on plain floats.  The backward pass is the same list read
from the bottom up: for each node, one line per child that adds the op's
`local_grads` string times the node's adjoint `v_bar` = d(root)/d(v).
Both halves become one Python function, so calling it with new input
values computes the output and every input gradient without building a
single `Value`:

    f = compile(o, [x1, w1, b])
    print(f.source)              # v3 = v0 * v1 ... v0_bar = v1 * v3_bar
    out, grads = f(2.0, -3.0, 6.88)

Control flow is frozen at record time: the trace is the graph that was
built, so a Python `if` on a node's data is not re-decided on replay.
Data-dependent local derivatives inside an op (relu's `1.0 if a > 0 else
0.0`) are re-evaluated on every call, so one trace of an MLP step serves
every training step.

A node used once, as an operand of `+` (local derivative 1), shares its
parent's adjoint variable instead of copying it: on the MLP step that cuts
the source by 30% and a call by 17%.

NB: nodes that depend on no input (constants, data points) are baked in
as number literals with the value they had when recorded.  Compiled code
raises Python's own errors (ZeroDivisionError, the float functions' own
ValueError), not the eager engine's; a `**` that turns complex is not
caught.
"""

import builtins
import math
import time

from .graph import all_nodes, interior_nodes_parents_first
from .ops import NAMESPACE, OPS, chain_rule_term, substitute, uses_table_rule
from .value import Value


def compile(root, inputs, extras=()):
    """Record the graph below `root` as straight-line code over floats.

    `inputs` are the leaves the compiled function takes, in order; every
    other leaf is a constant.  Returns a `CompiledGraph`: call it with one
    float per input to get `(output, gradients)`, gradients in input order.
    With `extras` (nodes of the graph whose values you also want, such as
    a model's outputs next to its loss) it returns
    `(output, gradients, extra_values)`.
    """
    start = time.perf_counter()
    if not isinstance(root, Value):
        raise TypeError(f"compile needs a Value as its output (the root of a graph), got {type(root).__name__} {root!r}")
    inputs, extras = list(inputs), list(extras)
    _check_inputs(inputs)
    _check_extras(root, extras)
    source, labels = _source(root, inputs, extras)
    defined = {}
    builtins.exec(builtins.compile(source, "<compiled graph>", "exec"), NAMESPACE, defined)
    seconds = time.perf_counter() - start
    return CompiledGraph(defined["replay"], source, labels, seconds)


class CompiledGraph:
    """A recorded graph as one Python function over floats.

    `source` is the generated code; `compile_seconds` what generating and
    compiling it took.  Calling it with one float per input returns
    `(output, gradients)`, or `(output, gradients, extra_values)` when it
    was compiled with `extras`.
    """

    def __init__(self, function, source, labels, compile_seconds):
        self._function = function
        self.source = source
        self.input_labels = tuple(labels)
        self.compile_seconds = compile_seconds

    @property
    def n_inputs(self):
        return len(self.input_labels)

    def __call__(self, *values):
        if len(values) != len(self.input_labels):
            raise TypeError(
                f"this compiled graph takes {self.n_inputs} input values "
                f"({', '.join(self.input_labels)}), got {len(values)}"
            )
        return self._function(*values)

    def __repr__(self):
        lines = self.source.count("\n")
        return f"<CompiledGraph: {self.n_inputs} inputs, {lines} lines of source>"


def _check_inputs(inputs):
    seen = set()
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"compile needs Values as inputs, got {type(x).__name__} at inputs[{i}]")
        if x._op:
            raise ValueError(f"compile needs leaves as inputs; inputs[{i}] is the result of {x._op!r}")
        if id(x) in seen:
            raise ValueError(f"inputs[{i}] appears twice in the inputs")
        seen.add(id(x))


def _check_extras(root, extras):
    if not extras:
        return
    in_graph = {id(node) for node in all_nodes(root)}
    for i, node in enumerate(extras):
        if id(node) not in in_graph:
            raise ValueError(f"extras[{i}] is not a node of the graph below the output")


def _source(root, inputs, extras):
    """The generated function's source and the inputs' labels."""
    names = {id(x): f"v{i}" for i, x in enumerate(inputs)}
    labels = [x.label or f"inputs[{i}]" for i, x in enumerate(inputs)]
    parents_first = interior_nodes_parents_first(root)

    _check_table_ops(parents_first)
    forward = []
    for node in reversed(parents_first):
        op = OPS[node._op]
        children = node._prev
        if not any(id(child) in names for child in children):
            continue  # depends on no input: a constant
        if not op.expression:
            raise ValueError(f"op {op.name!r} has no float expression, so it cannot be compiled")
        names[id(node)] = name = f"v{len(names)}"
        operands = dict(zip("ab", (_operand(child, names) for child in children)))
        forward.append(f"    {name} = {substitute(op.expression, operands)}")

    backward, bars = _backward_lines(root, parents_first, names)
    grads = [bars.get(id(x), "0.0") for x in inputs]
    returned = [_operand(root, names), _tuple(grads)]
    if extras:
        returned.append(_tuple(_operand(node, names) for node in extras))

    arguments = ", ".join(names[id(x)] for x in inputs)
    header = [f"def replay({arguments}):"]
    # Labels are user text: only their repr goes into the source, and only in a comment.
    header += [f"    # {names[id(x)]}: label {_comment_text(x.label)}" for x in inputs if x.label]
    lines = header + ["    # forward: the evaluation trace"] + forward
    lines += ["    # backward: v_bar = d(output)/d(v), parents first"] + backward
    lines.append(f"    return {', '.join(returned)}")
    return "\n".join(lines) + "\n", labels


def _check_table_ops(nodes):
    """A ValueError for the first node whose backward is its own closure, which compile() cannot copy."""
    for node in nodes:
        if not uses_table_rule(node):
            name = f"the node {node.label!r}" if node.label else f"a node with data {node.data!r}"
            raise ValueError(
                f"compile() copies each op's formulas from the op table, but {name} (op {node._op!r}) "
                f"has a backward of its own (or an op the table does not know); build it from the "
                f"table's ops, or register its op with autograd.ops.register, to compile it"
            )


def _backward_lines(root, parents_first, names):
    """The adjoint lines, and each input-dependent node's adjoint variable."""
    if id(root) not in names:
        return [], {}
    uses = {}
    for node in parents_first:
        if id(node) in names:
            for child in node._prev:
                uses[id(child)] = uses.get(id(child), 0) + 1
    bars = {id(root): f"{names[id(root)]}_bar"}
    lines = [f"    {bars[id(root)]} = 1.0"]
    for node in parents_first:
        if id(node) not in names:
            continue
        op = OPS[node._op]
        variables = dict(zip("ab", (_operand(child, names) for child in node._prev)))
        variables["out"] = names[id(node)]
        g = bars[id(node)]
        for child, local in zip(node._prev, op.local_grads):
            if id(child) not in names:
                continue  # a constant needs no gradient
            if local == "1" and uses[id(child)] == 1:
                bars[id(child)] = g  # its only use passes g on unchanged: share the variable
                continue
            sign, term = chain_rule_term(substitute(local, variables), g)
            if id(child) in bars:
                lines.append(f"    {bars[id(child)]} {sign}= {term}")
            else:
                bars[id(child)] = bar = f"{names[id(child)]}_bar"
                lines.append(f"    {bar} = {'-' if sign == '-' else ''}{term}")
    return lines, bars


def _tuple(items):
    items = list(items)
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def _operand(node, names):
    """A node in the code: its variable, or its recorded value if constant."""
    if id(node) in names:
        return names[id(node)]
    return _literal(node.data)


def _literal(x):
    """A float as Python source: `1.5`, `(-2.0)`, `float('inf')` (a numpy float too)."""
    x = float(x)
    if not math.isfinite(x):
        return f"float('{x!r}')"
    return f"({x!r})" if x < 0 or repr(x).startswith("-") else repr(x)


def _comment_text(label):
    """The repr of `label` as a string: it holds no line break, so it cannot leave the comment line."""
    return repr(str(label))
