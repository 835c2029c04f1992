"""The stepping view and the hand check as plain data, for any front end.

    step_view(o, 3)        # after step 3: {"text": ..., "dot": ..., "current": "v8", ...}
    hand_check(o, {"x1": "-1.5", "w1": "2"})   # [{"name": "x1", "mark": "✓"}, ...]
    out = run_program('x = Value(2.0, label="x")\nout = x * x + 1')

A web page (or a test) calls these and draws what they return; Jupyter's
`step_through` shows the same text and the same drawing.  Like
`step_through`, a view is a function of the step number alone: it reruns
the first k steps of one backward pass from zero (`notebook.step_at`).
"""

import math
import traceback
from numbers import Real

from autograd.engine.walks import forward_order
from autograd.engine.value import Value

from .draw import dot_ids, step_drawing
from .names import node_names
from .notebook import DONE, NOT_STARTED, position_text, step_at  # noqa: F401  (DONE, NOT_STARTED: for the pages)
from .table import grad_table


def step_view(root, position, svg=False, **draw_options):
    """The stepping view of `root` after `position` steps, as a dict of plain data.

    `position` runs from 0 (before step 1) to total + 1 (backward done) and
    is clamped to that range.  The graph's grads are left as they are after
    those steps.  Keys: "position", "total", "text" (the step's title and
    chain-rule lines, as `backward_steps` prints them), "lines", "dot" (the
    drawing's DOT source, the current node filled), "current" (that node's
    DOT id, which SVG shows as the group's title; None before step 1 and
    when done), "current_name", "root_name", and with `svg=True` "svg", rendered by
    `draw_dot`'s pipe (the page's Graphviz under Pyodide).
    """
    position, total, step = step_at(root, position)
    node = step.node if step is not None else None
    drawing = step_drawing(root, step, **draw_options)
    order = forward_order(root)
    names = node_names(root, order)
    view = {
        "position": position,
        "total": total,
        "text": position_text(step, position, total),
        "lines": list(step.lines) if node is not None else [],
        "dot": drawing.source,
        "current": dot_ids(order)[node] if node is not None else None,
        "current_name": names[node] if node is not None else None,
        "root_name": names[root],
    }
    if svg:
        view["svg"] = drawing.pipe(format="svg", encoding="utf-8")
    return view


def leaf_names(root):
    """The names of the leaves below `root` (inputs and weights), in program order."""
    order = forward_order(root)
    names = node_names(root, order)
    return [names[node] for node in order if not node.children]


def hand_check(root, answers):
    """Each leaf's typed answer for d root / d leaf, judged as `grad_table` judges it.

    `answers` maps leaf names to what the student typed (text or a number).
    Returns one dict per leaf, in program order: "name", "answer" (as
    typed), "mark" ("✓", "✗", "" when nothing was typed, or "?" when it is
    not a number) and "note" (why "?").  The true derivative is not given
    away: a ✗ only says to try again.
    """
    parsed, notes = {}, {}
    for name in leaf_names(root):
        text = str(answers.get(name, "")).strip()
        if not text:
            continue
        number = _number(text)
        if number is None:
            notes[name] = f"{text!r} is not a number"
        else:
            parsed[name] = number
    table = grad_table(root, expected=parsed)
    checked = []
    for name in leaf_names(root):
        mark = ""
        if name in parsed:
            mark = "✓" if table[name].matches else "✗"
        elif name in notes:
            mark = "?"
        checked.append({"name": name, "answer": str(answers.get(name, "")), "mark": mark, "note": notes.get(name, "")})
    return checked


def _number(text):
    """`text` as a float (`-1.5`, `1e-3`, `1/2`), or None."""
    if isinstance(text, Real):
        return float(text)
    numerator, slash, denominator = text.partition("/")
    try:
        if slash:
            return float(numerator) / float(denominator)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


# --- a student's own program ------------------------------------------------
# The text is run as the program it is, with `Value` and `math` at hand; it is
# never pasted into other code.  Any error becomes a one-line `ProgramError`.

FILENAME = "<your program>"
RESULT = "out"


class ProgramError(Exception):
    """The student's program failed; the message is one line saying where and why."""


def run_program(source, result=RESULT):
    """Run `source` and return the Value it leaves in the variable `result` ("out")."""
    namespace = {"Value": Value, "math": math, "__name__": "__main__"}
    try:
        code = compile(source, FILENAME, "exec")
        exec(code, namespace)
    except SyntaxError as error:
        raise ProgramError(f"line {error.lineno}: SyntaxError: {error.msg}") from None
    except Exception as error:
        message = " ".join(str(error).splitlines())
        raise ProgramError(f"{_where(error)}{type(error).__name__}: {message}") from None
    if result not in namespace:
        raise ProgramError(f"the program sets no `{result}`: end it with a line `{result} = ...`")
    out = namespace[result]
    if not isinstance(out, Value):
        raise ProgramError(f"`{result}` is {type(out).__name__} {out!r}, not a Value: build it from Values")
    return out


def _where(error):
    """`line N: ` for the deepest line of the student's program in the traceback, else ""."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == FILENAME]
    return f"line {lines[-1]}: " if lines else ""
