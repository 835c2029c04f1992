"""`compile()`: record a graph once, replay it as straight-line float code.

The graph below `root` is written out as its evaluation trace (a Wengert
list), each node the op's `expression` on plain floats, children before
parents.  The backward pass is the same list read from the bottom up: the
adjoint of each node, v_bar = d(root)/d(v), is the sum over its uses of
the op's `local_grads` string times the user's adjoint.  Both halves become
one Python function, so calling it with new values computes the output and
every input gradient without building a single `Value`:

    f = compile(o, [x1, w1, b])
    print(f.source)
    out, grads = f(2.0, -3.0, 6.88)

The code is fused (see `code_writer`): a node used once gets no
variable of its own when no derivative reads its value, so a neuron's
weighted sum is one line, and each adjoint is written once as the sum of
its terms.  The additions run in the order `backward()` runs them, so the
numbers are the eager engine's to the last bit (a NaN may carry the other
sign bit: NaN is NaN either way).

Leaves that are not inputs come in two kinds.  `data` leaves (a batch's
points, its targets) are arguments too, after the inputs, but get no
gradient: one compile serves every batch of the same shape.  Every other
leaf is a constant, baked in as a number literal with the value it had
when recorded.

Control flow is frozen at record time: the trace is the graph that was
built, so a Python `if` on a node's data (or on a plain number, such as a
class index choosing a logit) is not re-decided on replay.  Data-dependent
local derivatives inside an op (relu's `0.0 if a <= 0 else 1.0`) are
re-evaluated on every call, so one trace of an MLP step serves every
training step.

NB: compiled code raises Python's own errors (ZeroDivisionError, the float
functions' own ValueError), not the eager engine's; a `**` that turns
complex is not caught.
"""

import builtins
import time

from autograd.engine.floats import NAMESPACE
from autograd.engine.gc_pause import cyclic_gc_paused
from autograd.engine.graph import Node, all_nodes
from autograd.engine.walks import interior_nodes_parents_first
from autograd.engine.ops import OPS, own_backward

from .code_writer import replay_source


def compile(root, inputs, extras=(), data=()):
    """Record the graph below `root` as straight-line code over floats.

    `inputs` are the leaves whose gradients you want, in order; `data` are
    leaves whose values change from call to call but need no gradient (a
    batch's input rows and targets).  Every other leaf is a constant.
    Returns a `CompiledGraph` `f`: `f(*input_values, *data_values)` gives
    `(output, gradients)`, one gradient per input in input order.  With
    `extras` (nodes whose values you also want, such as a model's outputs
    next to its loss) it gives `(output, gradients, extra_values)`.

    d(output)/d(input) is computed with the same float operations, in the
    same order, as `output.backward()` on a graph built at those values:
    the numbers are equal bit for bit (NaN's sign bit aside), as long as
    the graph built at the new values would have the same shape (see the
    module's doc).  Only nodes made by the op table's ops are compiled: a
    node built by hand, `Value(data, children, op)`, is refused, since its
    data (and any `_backward` of its own) is not the table's formula.
    """
    start = time.perf_counter()
    if not isinstance(root, Node):
        raise TypeError(f"compile needs a Value as its output (the root of a graph), got {type(root).__name__} {root!r}")
    for name, nodes in (("inputs", inputs), ("extras", extras), ("data", data)):
        if isinstance(nodes, Node):
            raise TypeError(f"compile takes {name} as a list of Values: write [{nodes.label or 'x'}], not a lone Value")
    inputs, extras, data = list(inputs), list(extras), list(data)
    _check_leaves(inputs, "inputs")
    _check_leaves(data, "data")
    _check_data_and_extras(root, inputs, data, extras)
    with cyclic_gc_paused():  # writing the code makes many objects and no cycles
        parents_first = interior_nodes_parents_first(root)
        _check_table_ops(parents_first)
        source = replay_source(root, parents_first, inputs, data, extras)
        defined = {}
        builtins.exec(builtins.compile(source, "<compiled graph>", "exec"), NAMESPACE, defined)
    seconds = time.perf_counter() - start
    return CompiledGraph(defined["replay"], source, _labels(inputs, "inputs"), seconds, _labels(data, "data"))


class CompiledGraph:
    """A recorded graph as one Python function over floats.

    `source` is the generated code; `compile_seconds` what generating and
    compiling it took.  Calling it with one float per input, then one per
    data leaf, returns `(output, gradients)`, or `(output, gradients,
    extra_values)` when it was compiled with `extras`.
    """

    def __init__(self, function, source, labels, compile_seconds, data_labels=()):
        self._function = function
        self.source = source
        self.input_labels = tuple(labels)
        self.data_labels = tuple(data_labels)
        self.compile_seconds = compile_seconds

    @property
    def n_inputs(self):
        return len(self.input_labels)

    @property
    def n_data(self):
        return len(self.data_labels)

    def __call__(self, *values):
        if len(values) != self.n_inputs + self.n_data:
            raise TypeError(f"this compiled graph takes {self._arguments()}, got {len(values)} values")
        return self._function(*values)

    def _arguments(self):
        text = f"{self.n_inputs} input values ({_short_list(self.input_labels)})"
        if self.n_data:
            text += f" then {self.n_data} data values ({_short_list(self.data_labels)})"
        return text

    def __repr__(self):
        lines = self.source.count("\n")
        data = f", {self.n_data} data" if self.n_data else ""
        return f"<CompiledGraph: {self.n_inputs} inputs{data}, {lines} lines of source>"


def _short_list(labels, shown=6):
    """`x, y, z` or `w0, w1, ..., b (337 in all)`: labels for an error message."""
    if len(labels) <= shown:
        return ", ".join(labels)
    return f"{', '.join(labels[: shown - 1])}, ..., {labels[-1]}: {len(labels)} in all"


def _labels(leaves, kind):
    return [leaf.label or f"{kind}[{i}]" for i, leaf in enumerate(leaves)]


def _check_leaves(leaves, kind):
    """A clear error unless `leaves` (compile's `inputs` or `data`) are distinct leaves."""
    seen = set()
    for i, x in enumerate(leaves):
        if not isinstance(x, Node):
            raise TypeError(f"compile needs Values as {kind}, got {type(x).__name__} at {kind}[{i}]")
        if x._op:
            raise ValueError(f"compile needs leaves as {kind}; {kind}[{i}] is the result of {x._op!r}")
        if id(x) in seen:
            raise ValueError(f"{kind}[{i}] appears twice in the {kind}")
        seen.add(id(x))


def _check_data_and_extras(root, inputs, data, extras):
    """A ValueError for a data leaf that is an input or not in the graph, or an extra not in the graph."""
    if not data and not extras:
        return
    in_graph = {id(node) for node in all_nodes(root)}
    is_input = {id(x) for x in inputs}
    for i, leaf in enumerate(data):
        name = f"data[{i}]" + (f" (label {leaf.label!r})" if leaf.label else "")
        if id(leaf) in is_input:
            raise ValueError(f"{name} is also one of the inputs; a leaf is an input (with a gradient) or data, not both")
        if id(leaf) not in in_graph:
            raise ValueError(
                f"{name} is not a leaf of the graph below the output: a number read by plain Python "
                f"(say, to choose which node to use) is not in the graph and cannot be data"
            )
    for i, node in enumerate(extras):
        if id(node) not in in_graph:
            raise ValueError(f"extras[{i}] is not a node of the graph below the output")


def _check_table_ops(nodes):
    """A ValueError for the first node compile() cannot copy from the op table.

    stepgrad's ops (and ops added with `extend.register`) make plain `Value`
    nodes; a node built by hand, `Value(data, children, op)`, holds data
    and maybe a `_backward` that are the user's, not the table's formulas,
    so a replay would not reproduce it: it is refused, as is an op the
    table does not know.
    """
    for node in nodes:
        made_by_an_op = type(node).__mro__[1] is Node  # a Value; not a HandBuiltValue or one's own subclass of it
        if made_by_an_op and node._op in OPS:
            continue  # made by an op of the table
        name = f"the node {node.label!r}" if node.label else f"a node with data {node.data!r}"
        if made_by_an_op:
            problem = "has an op the table does not know"
        elif own_backward(node) is not None:
            problem = "has a backward of its own"
        else:
            problem = "was built by hand, Value(data, children, op), so its data is not the table's formula"
        raise ValueError(
            f"compile() copies each op's formulas from the op table, but {name} (op {node._op!r}) {problem}; "
            f"build it from the table's ops (a + b, x.tanh()), or register its op with "
            f"autograd.engine.extend.register, to compile it"
        )
