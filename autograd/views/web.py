"""The stepping view and the hand check as plain data, for any front end.

    step_view(o, 3)        # after step 3: {"text": ..., "dot": ..., "current": "v8", ...}
    step_view(o, 6, hide_leaf_grads=True)      # the leaves' grads drawn as "hidden"
    hand_check(o, {"x1": "−1.5", "w1": "-1,0"})  # [{"name": "x1", "mark": "✓", ...}, {..., "mark": "✗", "note": "at n: ..."}, ...]
    out = run_program('x = Value(2.0, label="x")\nout = x * x + 1')

A web page (or a test) calls these and draws what they return; Jupyter's
`step_through` shows the same text and the same drawing.  Like
`step_through`, a view is a function of the step number alone: it reruns
the first k steps of one backward pass from zero (`notebook.step_at`).

The site's pages run this Python in a Web Worker (web/src/runtime.js) and
get only plain data back, so the graph a page steps through stays here,
in `GRAPHS`, under a key the page chooses:

    show_program("program", source)        # runs it; its graph kept as "program"; the view before step 1
    step_view_of("program", 3, hide_leaf_grads=True)
    hand_check_of("program", {"a": "-1,5"})
"""

import math
import reprlib
import sys
import traceback
from contextlib import contextmanager
from numbers import Real

from autograd.engine.graph import Node
from autograd.engine.walks import forward_order
from autograd.engine.value import Value

from .draw import dot_ids, shown_number
from .nearby import drawing_near
from .names import node_names, visible
from .notebook import DONE, NOT_STARTED, position_text, step_at  # noqa: F401  (DONE, NOT_STARTED: for the pages)
from .table import grad_table


HIDDEN = "hidden"
"""What the drawing shows for a leaf's grad while the student hides them (`hide_leaf_grads`)."""


def step_view(root, position, svg=False, hide_leaf_grads=False, whole=True, **draw_options):
    """The stepping view of `root` after `position` steps, as a dict of plain data.

    `position` runs from 0 (before step 1) to total + 1 (backward done) and
    is clamped to that range.  The graph's grads are left as they are after
    those steps.  Keys: "position", "total", "text" (the step's title and
    chain-rule lines, as `backward_steps` prints them), "lines", "dot" (the
    drawing's DOT source, the current node filled), "current" (that node's
    DOT id, which SVG shows as the group's title; None before step 1 and
    when done), "current_name", "root_name", and with `svg=True` "svg", rendered by
    `draw_dot`'s pipe (the page's Graphviz under Pyodide).  With
    `hide_leaf_grads` each leaf's grad is drawn as `HIDDEN`, so that a
    student checks their hand values before reading the answers.
    `whole=False` draws only the Values near the step's node, `None` does so
    when the graph is large (`nearby.drawing_near`); "drawn" and "values"
    say how many Values are drawn, of how many.
    """
    if hide_leaf_grads:
        draw_options["field_text"] = _leaf_grads_hidden
    position, total, step = step_at(root, position)
    node = step.node if step is not None else None
    near = drawing_near(root, node, whole=whole, **draw_options)
    drawing = near.drawing
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
        "drawn": near.drawn,
        "values": near.values,
    }
    if svg:
        view["svg"] = drawing.pipe(format="svg", encoding="utf-8")
    return view


def leaf_names(root):
    """The names of the leaves below `root` (inputs and weights), in program order."""
    order = forward_order(root)
    names = node_names(root, order)
    return [names[node] for node in order if not node.children]


def named_leaves(root):
    """The names of the leaves below `root` that have a label, in program order: what a student
    named (`Value(2.0, label="a")`) and can check by hand, not every constant of the program."""
    order = forward_order(root)
    names = node_names(root, order)
    return [names[node] for node in order if not node.children and node.label]


def hand_check(root, answers, leaves=None):
    """Each leaf's typed answer for d root / d leaf, judged as `grad_table` judges it.

    `leaves` are the names of the leaves to judge (default: every leaf, `leaf_names`).
    `answers` maps leaf names to what the student typed (text or a number;
    see `read_number` for what is read).  Returns one dict per leaf, in
    program order: "name", "answer" (as typed), "mark" ("✓", "✗", "" when
    nothing was typed, or "?" when it is not a number), "note" (for "?" why
    it is not read; for "✗" the slip that gives the typed value, the text of
    `grad_table(root, expected=...)[name].mistakes[0]`, or that no single slip
    gives it) and "mistake" (that slip's kind, else "").  The true
    derivative is not given away, except by a slip that names it (`counted_twice`).
    """
    leaves = leaf_names(root) if leaves is None else leaves
    parsed, notes = {}, {}
    for name in leaves:
        text = answers.get(name, "")
        if isinstance(text, str) and not text.strip():
            continue
        value, reason = read_number(text)
        if value is None:
            notes[name] = reason
        else:
            parsed[name] = value
    table = grad_table(root, expected=parsed)
    out = table.rows[0].name  # the output's row comes first
    checked = []
    for name in leaves:
        mark, note, mistake = "", notes.get(name, ""), ""
        if name in parsed:
            row = table[name]
            mark = "✓" if row.matches else "✗"
            if row.mistakes:
                note, mistake = row.mistakes[0].text, row.mistakes[0].kind
            elif not row.matches:
                note = f"no single slip in the chain rule gives this value: work d {out} / d {name} through again"
        elif name in notes:
            mark = "?"
        checked.append({"name": name, "answer": str(answers.get(name, "")), "mark": mark, "note": note, "mistake": mistake})
    return checked


MINUS_SIGNS = "\u2212\u2012\u2013\ufe63\uff0d"
"""Read as "-": the minus sign (−, which the pages print), the figure and en dashes, small and full-width hyphen-minus."""
FORMATS = "type a number such as -1.5, −1.5, -1,5 or -3/2"


def read_number(typed):
    """(the float a student typed, "") or (None, why it is not read).

    Read: `-1.5`, `−1.5` (the minus sign), `-1,5` (a decimal comma), `1e-3`,
    `-3/2`; a number as it is.  Not read: text that is none of these, a
    comma and a point both (`1,000.5`: which is the decimal mark?), a
    division by zero, and nan or infinity, which no derivative here is."""
    if isinstance(typed, Real):
        value, text = float(typed), repr(typed)
    else:
        text = str(typed).strip()
        shown = reprlib.repr(text)
        plain = text.translate({ord(sign): "-" for sign in MINUS_SIGNS})
        if "," in plain and "." in plain:
            return None, f"{shown} has both a comma and a point: use one of them as the decimal mark"
        numerator, slash, denominator = plain.replace(",", ".").partition("/")
        try:
            value = float(numerator) / float(denominator) if slash else float(numerator)
        except ZeroDivisionError:
            return None, f"{shown} divides by zero"
        except ValueError:
            return None, f"{shown} is not a number: {FORMATS}"
    if not math.isfinite(value):
        return None, f"{reprlib.repr(text)} is not a finite number: {FORMATS}"
    return value, ""


def _leaf_grads_hidden(node, field):
    """`draw_dot`'s field_text: every number as usual, but a leaf's grad written `HIDDEN`."""
    return HIDDEN if field == "grad" and not node.children else shown_number(node, field)


# --- a student's own program ------------------------------------------------
# The text is run as the program it is, with `Value` and `math` at hand; it is
# never pasted into other code.  Whatever it raises becomes a one-line
# `ProgramError`, and what it changes in `Value` or `math` is put back after it.

FILENAME = "<your program>"
RESULT = "out"
STOPPED = {
    SystemExit: "the program called exit(); a program here runs to its last line, which sets `out`",
    KeyboardInterrupt: "the program was interrupted",
}
"""What a program that stopped early is told, by the exception that stopped it."""
UNSHOWABLE = "an exception that raised another when it was shown"
_ABSENT = object()


class ProgramError(Exception):
    """The student's program failed; the message is one line saying where and why."""


def run_program(source, result=RESULT):
    """Run `source` and return the Value it leaves in the variable `result` ("out").

    Anything the program raises, `exit()` and Ctrl-C included, becomes a
    `ProgramError` with a one-line message.  Each program starts from the
    engine the page loaded: what it sets or deletes in `Value` (in its base
    class `Node` and the classes built on it) and in `math` is put back when
    it ends.  This is not a sandbox: a program that imports stepgrad's
    modules and changes them changes the page's Python until it is reloaded.
    """
    code = _compiled(source)
    namespace = {"Value": Value, "math": math, "__name__": "__main__"}
    with _put_back_afterwards(math, *_engine_classes()):
        try:
            exec(code, namespace)
        except BaseException as error:  # exit() and Ctrl-C too: nothing the program raises escapes
            raise ProgramError(f"{_where(sys.exc_info()[2])}{_described(error)}") from None
        return _result(namespace, result)  # inside: showing a wrong `out` may run the program's code


def _compiled(source):
    """`source` compiled as the program, or a ProgramError saying where it cannot be read."""
    if "\0" in source:
        line = source.count("\n", 0, source.index("\0")) + 1
        raise ProgramError(f"line {line}: the program holds a NUL character (\\x00), which Python cannot read: delete it")
    try:
        return compile(source, FILENAME, "exec")
    except SyntaxError as error:  # IndentationError and TabError too
        where = f"line {error.lineno}: " if error.lineno else ""
        raise ProgramError(f"{where}{type(error).__name__}: {error.msg}") from None
    except Exception as error:  # RecursionError, MemoryError
        raise ProgramError(f"the program is nested too deeply to compile: {_described(error)}") from None


def _where(trace):
    """`line N: ` for the deepest line of the student's program in the traceback `trace`, else ""."""
    lines = [frame.lineno for frame in traceback.extract_tb(trace) if frame.filename == FILENAME and frame.lineno]
    return f"line {lines[-1]}: " if lines else ""


def _described(error):
    """`NameError: name 'y' is not defined` on one line, however the exception behaves when shown."""
    kind = type(error)  # not error.__class__, which a class can fake
    try:
        for stopper, text in STOPPED.items():
            if issubclass(kind, stopper):
                return f"{stopper.__name__}: {text}"
        message = _one_line(str(error))
        if issubclass(kind, SyntaxError) and error.lineno:  # from exec, eval or compile in the program
            message = f"{_one_line(error.msg)} (line {error.lineno} of the text given to exec, eval or compile)"
        name = _one_line(kind.__name__)
    except BaseException:  # its __str__ raised in turn
        return UNSHOWABLE
    return f"{name}: {message}" if message else name


def _one_line(text):
    """`text` (a str, or a str subclass) as a plain str on one line, its control characters escaped."""
    return visible(" ".join(str.splitlines(text)))


def _result(namespace, result):
    """The Value the program left in `result`, or a ProgramError saying what is there instead."""
    if result not in namespace:
        raise ProgramError(f"the program sets no `{result}`: end it with a line `{result} = ...`")
    out = namespace[result]
    if not issubclass(type(out), Value):  # not isinstance, which believes a faked __class__
        raise ProgramError(f"`{result}` is {_shown(out)}, not a Value: build it from Values")
    return out


def _shown(value):
    """`int 3`: the type of `value` and its repr, shortened; only the type when the repr fails."""
    name = _one_line(type(value).__name__)
    try:
        return f"{name} {_one_line(reprlib.repr(value))}"
    except BaseException:
        return name


def _engine_classes():
    """`Node` and every class built on it (`Value`, ...): what a program reaches through `Value`."""
    classes = [Node]
    for cls in classes:
        classes.extend(sub for sub in cls.__subclasses__() if sub not in classes)
    return classes


@contextmanager
def _put_back_afterwards(*owners):
    """Run a block, then give each of `owners` (classes, modules) back the attributes it had before."""
    saved = [(owner, dict(vars(owner))) for owner in owners]
    try:
        yield
    finally:
        for owner, attributes in saved:
            for name in vars(owner).keys() - attributes.keys():
                delattr(owner, name)
            for name, value in attributes.items():
                if vars(owner).get(name, _ABSENT) is not value:
                    setattr(owner, name, value)


# --- the pages' graphs, kept between calls --------------------------------
# A page calls these through runtime.js and gets plain data back; the graph
# itself stays here.  When the page's Python is restarted (Stop, a time
# limit) `GRAPHS` is empty again and the page shows its graph anew.

GRAPHS = {}
"""The graph each page steps through, by the key the page chose ("tanh", "program")."""

PAGE_MAX_NODES = 500
"""The largest graph a page draws, in Values (`draw_dot`'s max_nodes)."""


def keep(key, root):
    """Keep `root`'s graph as `key` (replacing what was kept there); returns `view_of(key)`."""
    GRAPHS[key] = root
    return view_of(key)


def view_of(key, hide_leaf_grads=False):
    """The kept graph before step 1, as `step_view_of` gives it, and "leaves": the named leaves
    the hand check asks for (`named_leaves`)."""
    return {**step_view_of(key, 0, hide_leaf_grads), "leaves": named_leaves(_kept(key))}


def show_program(key, source):
    """Run the student's `source` (`run_program`), keep its `out` as `key`, and return `view_of(key)`.

    Whatever was kept as `key` is dropped first, so that after an error the
    page shows no stale graph.  A graph too large to draw is a ProgramError
    saying what to change in the program.  An `out` without a label is
    labelled "out".
    """
    GRAPHS.pop(key, None)
    root = run_program(source)
    if not root.label:
        root.label = RESULT  # the views call it what the program calls it, not `v7`
    size = len(forward_order(root))
    if size > PAGE_MAX_NODES:
        raise ProgramError(
            f"`{RESULT}` is a graph of {size:,} Values, more than the {PAGE_MAX_NODES:,} this page draws: "
            f"make the program build a smaller one (fewer terms, or fewer rounds of a loop)"
        )
    return keep(key, root)


def step_view_of(key, position, hide_leaf_grads=False, whole=None):
    """`step_view` of the graph kept as `key`, with its SVG; a large graph drawn near the step's
    node unless `whole` (the page's "Show the whole graph")."""
    return step_view(_kept(key), position, svg=True, hide_leaf_grads=hide_leaf_grads, whole=whole, max_nodes=PAGE_MAX_NODES)


def hand_check_of(key, answers):
    """`hand_check` of the graph kept as `key`, for its named leaves only."""
    root = _kept(key)
    return hand_check(root, answers, leaves=named_leaves(root))


def forget(key):
    """Drop the graph kept as `key`, if any (a page that is left)."""
    GRAPHS.pop(key, None)


def _kept(key):
    try:
        return GRAPHS[key]
    except KeyError:
        raise LookupError(f"no graph is kept as {key!r}: show one first") from None
