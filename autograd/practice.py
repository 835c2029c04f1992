"""`check_backward(fn)`: a student's own op, its `_backward` checked in the shapes where backward goes wrong.

The student writes an op the lecture's way, a node built by hand with its own step:

    def cube(x):
        out = Value(x.data**3, (x,), "cube")
        def _backward():
            x.grad += 3 * x.data**2 * out.grad
        out._backward = _backward
        return out

    check_backward(cube)        # a report: .ok, and each failed case with a hint

Each case puts `fn` in a shape (`SHAPES`) at a fixed point: alone; a child
used twice (`fn(x, x)`, `fn(x) * fn(x)`), where `=` for `+=` loses a term;
its output used twice; deep in a chain, where a missing `* out.grad` shows.
Each input's grad from `backward()` is compared with central differences
(`gradcheck`).  A hint comes from running the same shape again with the op
replaced by a model of one slip (`=` for `+=`, or no `* out.grad`), whose
local derivatives are central differences of `fn`: when the model gives the
student's grad, the slip is named.  A wrong `_backward` is reported, never
raised; so is an exception in the student's code, with its line.
"""

import html
import inspect
import os
import traceback
from dataclasses import dataclass

from autograd.engine.value import Value, enable_grad, no_grad
from autograd.gradcheck import gradcheck

EPS, ATOL, RTOL = 1e-6, 1e-6, 1e-5  # gradcheck's: step of the central differences, and when two grads agree

# (what the shape is, its code, the shape as a function of fn and the inputs), by the number of fn's inputs
SHAPES = {
    1: (
        ("alone", "fn(x)", lambda fn, x: fn(x)),
        ("x is the child of two nodes of your op", "fn(x) * fn(x)", lambda fn, x: fn(x) * fn(x)),
        ("your op's output used twice", "y = fn(x); y * y", lambda fn, x: (y := fn(x)) * y),
        ("your op deep inside a chain", "fn(tanh(1.5 * x)) * 2 + 1", lambda fn, x: fn((x * 1.5).tanh()) * 2 + 1),
    ),
    2: (
        ("alone", "fn(x, y)", lambda fn, x, y: fn(x, y)),
        ("one child used twice", "fn(x, x)", lambda fn, x: fn(x, x)),
        ("your op's output used twice", "z = fn(x, y); z * z", lambda fn, x, y: (z := fn(x, y)) * z),
        ("your op deep inside a chain", "fn(tanh(1.5 * x), exp(y)) * 2 + 1",
         lambda fn, x, y: fn((x * 1.5).tanh(), y.exp()) * 2 + 1),
    ),
}
POINTS = {1: ((0.4,), (1.1,), (1.7,)), 2: ((0.4, 1.1), (1.3, 0.6), (0.9, 1.7))}  # positive: log, sqrt and / work too

SLIPS = {
    "=": "{x}.grad holds one use's term only: your _backward seems to write `{x}.grad = ...` where it "
         "must add, `{x}.grad += ...`; a child used twice collects a term from each use",
    "no out.grad": "{x}.grad is the local derivative without the grad from above: multiply it by out.grad, "
                   "`{x}.grad += (local derivative) * out.grad`; without it the op is right only as the output",
}
"""Each slip a hint names: its model's name and the hint's text."""


@dataclass(frozen=True)
class Failure:
    """One input of one case that went wrong: the `grad` your backward gave next to the `numeric` one,
    and a `hint`; or, when your code raised, the `error` (with its line) and no grads."""

    shape: str
    code: str
    point: str
    name: str = ""
    grad: float = None
    numeric: float = None
    hint: str = ""
    error: str = ""

    def lines(self, hint=True):
        """The failure as text: where, what, and (if `hint`) the hint."""
        where = f"{self.code} ({self.shape}), at {self.point}"
        if self.error:
            return [f"{where}: your code raised {self.error}"]
        found = [f"{where}: {self.name}.grad is {self.grad:.6g} from your _backward, {self.numeric:.6g} by central differences"]
        return found + ([f"  hint: {self.hint}"] if self.hint and hint else [])


@dataclass(frozen=True)
class BackwardReport:
    """What `check_backward` found: `ok` when every case agrees with central differences, else the `failures`."""

    op: str
    cases: int
    failures: tuple

    @property
    def ok(self):
        return not self.failures

    def __bool__(self):
        return self.ok

    def lines(self):
        """The verdict, then each failure's lines; a hint once, under the last failure it explains of a run of them."""
        if self.ok:
            return [f"check_backward({self.op}): ✓ all {self.cases} cases agree with central differences"]
        cases = len({(failure.code, failure.point) for failure in self.failures})
        verdict = f"check_backward({self.op}): ✗ {cases} of {self.cases} cases disagree with central differences"
        lines, errors, repeated = [verdict], set(), 0
        for failure, after in zip(self.failures, [*self.failures[1:], None]):
            repeated += failure.error in errors  # an error raised in every case is shown once
            same_hint_next = after is not None and after.hint == failure.hint
            lines += [] if failure.error in errors else failure.lines(hint=not same_hint_next)
            errors.add(failure.error or None)
        return lines + ([f"(the same error in {repeated} more cases)"] if repeated else [])

    def __str__(self):
        return "\n".join(self.lines())

    __repr__ = __str__  # evaluated at a prompt, the report reads as text

    def _repr_html_(self):
        """The same lines as the text, for Jupyter."""
        return f'<pre class="stepgrad-check-backward">{html.escape(str(self))}</pre>'


def check_backward(fn, points=None):
    """Check the `_backward` of the op `fn` (one or two Values in, a Value built by hand out).

    Each shape of `SHAPES` at each point of `points` (tuples of one or two
    numbers, default `POINTS`): the inputs' grads from `backward()` against
    central differences.  Returns a `BackwardReport`; a wrong `_backward`,
    or one that raises, is in the report, not raised.
    """
    arity = _arity(fn)
    failures, cases = [], 0
    for shape, code, build in SHAPES[arity]:
        for point in points or POINTS[arity]:
            cases += 1
            point = tuple(point) if isinstance(point, (tuple, list)) else (point,)  # 0.5 for (0.5,)
            inputs = point[: len(inspect.signature(build).parameters) - 1]  # fn(x, x) takes x alone
            failures += _check_case(fn, shape, code, build, [Value(p, label=n) for p, n in zip(inputs, "xy")])
    return BackwardReport(getattr(fn, "__name__", repr(fn)), cases, tuple(failures))


def _arity(fn):
    """How many Values `fn` takes: 1 or 2, or a TypeError that says what check_backward needs."""
    try:
        count = sum(p.default is p.empty and p.kind is not p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        count = None
    if count not in (1, 2):
        raise TypeError(f"check_backward needs an op of one or two Values, fn(x) or fn(a, b); got {fn!r}")
    return count


def _check_case(fn, shape, code, build, inputs):
    """The failures of one shape at one point: each input whose grad disagrees, or the error raised."""
    point = ", ".join(f"{x.label}={x.data!r}" for x in inputs)
    try:
        report = gradcheck(lambda *xs: build(fn, *xs), inputs, eps=EPS, atol=ATOL, rtol=RTOL)
    except Exception as error:  # noqa: BLE001 -- the student's code: reported with its line, not raised
        return [Failure(shape, code, point, error=_with_line(error))]
    if report.ok:
        return []
    slips = {slip: _grads_with_slip(fn, build, inputs, slip) for slip in SLIPS}
    failures = []
    for i, row in enumerate(report.rows):
        if not row.ok:
            named = [slip for slip, found in slips.items() if any(_agree(row.analytic, grads[i]) for grads in found)]
            hint = SLIPS[named[0]].format(x=row.name) if named else ""
            failures.append(Failure(shape, code, point, row.name, row.analytic, row.numeric, hint))
    return failures


def _agree(grad, expected):
    return abs(grad - expected) <= ATOL + RTOL * abs(expected)


def _grads_with_slip(fn, build, inputs, slip):
    """The inputs' grads when `fn`'s backward makes `slip`: one list for each order of the
    children it may write them in (`=` on a then b leaves b's term, on b then a, a's)."""
    found = []
    for order in ((0, 1), (1, 0)) if slip == "=" else ((0, 1),):
        leaves = [Value(x.data, label=x.label) for x in inputs]
        try:
            with enable_grad():
                out = build(_slip_model(fn, slip, order), *leaves)
            out.backward()
        except (ArithmeticError, ValueError):
            continue  # fn has no central difference here: no hint
        found.append([leaf.grad for leaf in leaves])
    return found


def _slip_model(fn, slip, order):
    """`fn` with a backward that makes `slip`: each child (in `order`) gets local derivative
    (a central difference of fn) * out.grad, assigned with `=`, or added without `* out.grad`."""

    def model(*args):
        data = [arg.data for arg in args]
        with no_grad():
            value = fn(*map(Value, data)).data
        out = Value(value, args, "slip model")

        def _backward():
            for i in (i for i in order if i < len(args)):
                term = _partial(fn, data, i) * (1.0 if slip == "no out.grad" else out.grad)
                args[i].grad = term if slip == "=" else args[i].grad + term

        out._backward = _backward
        return out

    return model


def _partial(fn, data, i):
    """d fn / d (its input i) at `data`, by central differences."""
    moved = [list(data), list(data)]
    moved[0][i] += EPS
    moved[1][i] -= EPS
    with no_grad():
        high, low = (fn(*map(Value, values)).data for values in moved)
    return (high - low) / (2 * EPS)


_STEPGRAD = os.path.dirname(os.path.abspath(__file__))  # the autograd package: every frame below it is stepgrad's


def _with_line(error):
    """`error` in one line, with the last line of the student's own code it passed through."""
    text = f"{type(error).__name__}: {error}"
    theirs = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.startswith(_STEPGRAD)]
    if theirs:
        frame = theirs[-1]
        text += f" (line {frame.lineno} of {frame.filename}: {frame.line})"
    return text
