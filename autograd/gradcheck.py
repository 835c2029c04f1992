"""`gradcheck`: compare `backward()` with central finite differences; and the
context that checks, views and transforms share: `grads_put_back`."""

from contextlib import contextmanager
from dataclasses import dataclass

from autograd.engine.graph import all_nodes
from autograd.engine.value import Value, _as_float, enable_grad, no_grad


@dataclass(frozen=True)
class GradRow:
    """One input: the gradient from `backward()` next to the numerical one."""

    name: str
    analytic: float
    numeric: float
    ok: bool

    @property
    def error(self):
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class GradcheckReport:
    """The rows of a gradient check; true when every input agrees."""

    rows: tuple
    atol: float
    rtol: float

    @property
    def ok(self):
        return all(row.ok for row in self.rows)

    def __bool__(self):
        return self.ok

    @property
    def failures(self):
        return [row for row in self.rows if not row.ok]

    def __str__(self):
        verdict = "gradcheck passed" if self.ok else f"gradcheck FAILED for {', '.join(r.name for r in self.failures)}"
        lines = [f"{verdict} (atol={self.atol:g}, rtol={self.rtol:g})"]
        lines.append(f"{'input':<12} {'backward()':>22} {'central difference':>22} {'|difference|':>12}")
        for row in self.rows:
            mark = "" if row.ok else "  <-- disagrees"
            lines.append(f"{row.name:<12} {row.analytic:>22.15g} {row.numeric:>22.15g} {row.error:>12.3g}{mark}")
        return "\n".join(lines)


def gradcheck(f, inputs, eps=1e-6, atol=1e-6, rtol=1e-5):
    """Check the gradients of `f(*inputs)` against central differences.

    `f` takes one Value per input and returns a Value.  The analytic
    gradient comes from `backward()` on fresh leaves; every grad in the
    graph is put back afterwards, so the caller's nodes, and the Values `f`
    uses from outside (a model's weights), keep their grads.  The numerical one is
    (f(x + eps) - f(x - eps)) / (2 eps), one input at a time, in float64.
    An input agrees when |analytic - numeric| <= atol + rtol * |numeric|.
    """
    points = [_point(x, i) for i, x in enumerate(inputs)]
    names = [_name(x, i) for i, x in enumerate(inputs)]

    leaves = [Value(x, label=name) for x, name in zip(points, names)]
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck needs f to return a Value, got {type(out).__name__}")
    with grads_put_back(out):
        out.backward()
        analytic = [leaf.grad for leaf in leaves]

    rows = []
    for i, grad in enumerate(analytic):
        numeric = (_evaluate(f, points, i, +eps) - _evaluate(f, points, i, -eps)) / (2 * eps)
        ok = abs(grad - numeric) <= atol + rtol * abs(numeric)
        rows.append(GradRow(names[i], grad, numeric, ok))
    return GradcheckReport(tuple(rows), atol, rtol)


def _point(x, i):
    """Input i as a float: a Value's data, or a number."""
    if isinstance(x, Value):
        return x.data
    try:
        return _as_float(x)
    except TypeError as error:
        raise TypeError(f"gradcheck inputs[{i}]: {error}") from None


def _evaluate(f, points, i, shift):
    """f at `points` with input i moved by `shift`, building no graph."""
    moved = list(points)
    moved[i] += shift
    with no_grad():
        return f(*[Value(x) for x in moved]).data


def _name(x, i):
    if isinstance(x, Value) and x.label:
        return x.label
    return f"inputs[{i}]"


@contextmanager
def grads_put_back(root):
    """Run the body with the nodes below `root`, then give each the grad it had before:
    for checks and views that run a backward pass of their own."""
    nodes = all_nodes(root)
    held = [node.grad for node in nodes]
    try:
        yield nodes
    finally:
        for node, grad in zip(nodes, held):
            node.grad = grad
