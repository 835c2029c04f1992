"""The tape floor: reverse mode in plain Python with no object per node.

A node is an integer handle, its index in four parallel lists:

    values[h]          the node's float
    ops[h]             LEAF, ADD, MUL or RELU
    lhs[h], rhs[h]     the handles of its operands (0 for a leaf)

Handles are given out in creation order, so every node's operands have
smaller handles than the node: a sweep from the newest handle down to 0 is
a valid backward order, with no graph walk.  `backward(root)` is that
sweep; it gives back a list of grads indexed by handle.

Each node costs one call (`add(a, b)`, as `a + b` is one call in an eager
engine), a float and an int, neither of which the collector tracks; no
Value, no tuple, no closure.  It is the floor an eager engine that builds
this same graph can hope to reach in pure Python.

The model code below is `workloads.py` written again for handles, since
integers cannot overload `+` and `*`: the same float operations in the same
order (a neuron's sum starts from its bias, `sum()` starts from 0, a float
constant becomes a leaf), so its losses and grads equal stepgrad's bit for
bit.  Constants are leaves and get a grad too, as in every engine here.

NB: three layouts were timed on the MLP step: these parallel lists indexed
by handle; one list of `(op, a, b, out)` tuples; parallel lists of `op, a,
b, out` for the op nodes only.  The parallel lists by handle were the
fastest with the default GC, the case that counts (a tuple per node is one
more object for the collector to traverse); the tuples were a little
faster with the GC off.  The times are in `benchmarks/README.md`.
"""

LEAF, ADD, MUL, RELU = 0, 1, 2, 3


class Tape:
    """Every node made since the tape was made, in creation order."""

    __slots__ = ("values", "ops", "lhs", "rhs")

    def __init__(self):
        self.values, self.ops, self.lhs, self.rhs = [], [], [], []

    def recorders(self):
        """The functions that add a node and give back its handle: leaf(x), add(a, b), mul(a, b), relu(a)."""
        values = self.values
        value, op, left, right = values.append, self.ops.append, self.lhs.append, self.rhs.append

        def leaf(x):
            value(x)
            op(LEAF)
            left(0)
            right(0)
            return len(values) - 1

        def add(a, b):
            value(values[a] + values[b])
            op(ADD)
            left(a)
            right(b)
            return len(values) - 1

        def mul(a, b):
            value(values[a] * values[b])
            op(MUL)
            left(a)
            right(b)
            return len(values) - 1

        def relu(a):
            x = values[a]
            value(x if x > 0.0 else 0.0)
            op(RELU)
            left(a)
            right(a)
            return len(values) - 1

        return leaf, add, mul, relu

    def backward(self, root):
        """d root / d node for every node, as a list indexed by handle; `root` is the newest node.

        add: both operands get the grad; mul: each gets the other's value
        times the grad; relu: the operand gets the grad where the output is
        positive.
        """
        values = self.values
        if root != len(values) - 1:
            raise ValueError(f"backward sweeps from the newest node, {len(values) - 1}, not from {root}")
        grads = [0.0] * len(values)
        grads[root] = 1.0
        newest_first = zip(range(root, -1, -1), reversed(self.ops), reversed(self.lhs), reversed(self.rhs))
        for out, op, a, b in newest_first:
            if op == MUL:
                g = grads[out]
                grads[a] += values[b] * g
                grads[b] += values[a] * g
            elif op == ADD:
                g = grads[out]
                grads[a] += g
                grads[b] += g
            elif op == RELU and values[out] > 0.0:
                grads[a] += grads[out]
        return grads


# --- workloads.py for handles ----------------------------------------------------


def parameter_layers(shape):
    """Layers of (weight handles, bias handle) for the parameters at handles 0, 1, ...

    The order is `nn.MLP.parameters()`'s: each neuron's weights, then its bias.
    """
    handles = iter(range(sum((n_in + 1) * n_out for n_in, n_out in zip(shape, shape[1:]))))
    return [
        [([next(handles) for _ in range(n_in)], next(handles)) for _ in range(n_out)]
        for n_in, n_out in zip(shape, shape[1:])
    ]


def mlp(layers, x, add, mul, relu):
    """`workloads.mlp`: relu hidden layers, a linear output; the output's handle."""
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        acts = []
        for ws, b in layer:
            acc = b
            for w, xi in zip(ws, x):
                acc = add(acc, mul(w, xi))
            acts.append(acc)
        x = acts if i == last else [relu(a) for a in acts]
    return x[0]


def mlp_loss(tape, model, parameters, points, labels, alpha=1e-4):
    """`workloads.mlp_loss` on a fresh tape whose first leaves are `parameters`; the loss's handle.

    `model(x, add, mul, relu)` is the network's output for one point x (two handles).
    """
    leaf, add, mul, relu = tape.recorders()
    for p in parameters:
        leaf(p)
    inputs = [[leaf(a), leaf(b)] for a, b in points]
    scores = [model(x, add, mul, relu) for x in inputs]
    losses = [relu(add(mul(score, leaf(-y)), leaf(1.0))) for y, score in zip(labels, scores)]
    data_loss = mul(_sum(losses, add, leaf), leaf(1.0 / len(losses)))
    squares = (mul(p, p) for p in range(len(parameters)))  # made one by one as the sum runs, as in sum(p * p ...)
    reg_loss = mul(_sum(squares, add, leaf), leaf(alpha))
    return add(data_loss, reg_loss)


def _sum(handles, add, leaf):
    """Python's `sum(nodes)`: 0 + the first is the first node plus a leaf 0.0, then the rest in turn."""
    handles = iter(handles)
    total = add(next(handles), leaf(0.0))
    for h in handles:
        total = add(total, h)
    return total


def chain_output(tape, x, depth):
    """`workloads.chain_output`: y = y * 1.0001 + 0.5, `depth` times, from handle x."""
    leaf, add, mul, _ = tape.recorders()
    y = x
    for _ in range(depth):
        y = add(mul(y, leaf(1.0001)), leaf(0.5))
    return y


def wide_output(tape, ws, xs, b):
    """`workloads.wide_output`: relu(b + w0 * x0 + w1 * x1 + ...), handles in, a handle out."""
    _, add, mul, relu = tape.recorders()
    acc = b
    for w, x in zip(ws, xs):
        acc = add(acc, mul(w, x))
    return relu(acc)
