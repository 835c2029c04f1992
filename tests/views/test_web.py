"""What the web pages ask of stepgrad, under CPython: drawing in a page,
the stepping view and hand check as plain data, a student's program."""

import json
import math
import shutil
import subprocess
import sys
import types

import pytest

from autograd import Value
from autograd.views.page_graphviz import DOT_TO_SVG
from autograd.views.draw import GraphvizNotInstalled, draw_dot
from autograd.views.web import ProgramError, run_program
from autograd.views.table import grad_table
from autograd.views.web import DONE, HIDDEN, NOT_STARTED, hand_check, leaf_names, named_leaves, step_view
from autograd.views import draw, page_graphviz, web
from nn.pages import show_tanh


@pytest.fixture
def in_page(monkeypatch):
    """Python as under Pyodide: platform emscripten, a `js` module, and no programs to run."""
    page = types.SimpleNamespace(sources=[])
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setitem(sys.modules, "js", page)
    monkeypatch.setattr(page_graphviz, "_loading", None)  # no Graphviz of its own loaded yet (test_page_graphviz.py)
    monkeypatch.setattr(draw, "page_svg", page_graphviz.page_svg)  # as `import autograd` does under Pyodide

    def no_processes(*args, **kwargs):
        raise OSError(138, "emscripten does not support processes")

    monkeypatch.setattr(subprocess, "Popen", no_processes)
    monkeypatch.setattr(subprocess, "run", no_processes)
    return page


def test_in_a_page_svg_comes_from_the_pages_graphviz(tanh_neuron, in_page):
    def dot_to_svg(source):
        in_page.sources.append(source)
        return "<svg>drawn by the page</svg>"

    setattr(in_page, DOT_TO_SVG, dot_to_svg)
    drawing = draw_dot(tanh_neuron["o"])
    assert drawing.pipe(format="svg", encoding="utf-8") == "<svg>drawn by the page</svg>"
    assert drawing.pipe(format="svg") == b"<svg>drawn by the page</svg>"
    assert in_page.sources == [drawing.source, drawing.source]
    assert drawing._repr_mimebundle_()["image/svg+xml"] == "<svg>drawn by the page</svg>"


def test_in_a_page_without_graphviz_the_error_says_what_the_page_must_define(tanh_neuron, in_page):
    with pytest.raises(GraphvizNotInstalled, match=DOT_TO_SVG):
        draw_dot(tanh_neuron["o"]).pipe(format="svg")
    with pytest.raises(GraphvizNotInstalled, match="cannot write picture files"):
        draw_dot(tanh_neuron["o"]).render("neuron")


def test_step_view_moves_the_highlight_through_the_steps(tanh_neuron):
    o = tanh_neuron["o"]
    first = step_view(o, 0)
    assert (first["position"], first["total"], first["current"], first["text"]) == (0, 5, None, NOT_STARTED)
    assert first["root_name"] == "o"
    views = [step_view(o, k) for k in range(1, 6)]
    assert len({view["current"] for view in views}) == 5
    assert [view["current_name"] for view in views] == ["o", "n", "x1*w1 + x2*w2", "x2*w2", "x1*w1"]
    for view in views:
        current = next(line for line in view["dot"].splitlines() if line.strip().startswith(view["current"] + " "))
        assert "class=current" in current
        assert view["text"] == "\n".join([view["text"].splitlines()[0], *view["lines"]])
    assert "x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000" in views[-1]["lines"]
    assert tanh_neuron["x1"].grad == pytest.approx(-1.5)


def test_step_view_is_clamped_and_says_when_backward_is_done(tanh_neuron):
    o = tanh_neuron["o"]
    done = step_view(o, 99)
    assert (done["position"], done["text"], done["current"]) == (6, DONE, None)
    assert "class=current" not in done["dot"]
    assert step_view(o, -3)["position"] == 0
    assert step_view(o, 3)["current_name"] == "x1*w1 + x2*w2" and tanh_neuron["x1"].grad == 0.0


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_step_view_svg_marks_the_current_group(tanh_neuron):
    view = step_view(tanh_neuron["o"], 2, svg=True)
    assert f'class="node current"' in view["svg"] and f"<title>{view['current']}</title>" in view["svg"]


def test_hand_check_marks_each_leaf_as_grad_table_does(tanh_neuron):
    o = tanh_neuron["o"]
    assert leaf_names(o) == ["x1", "w1", "x2", "w2", "b"]
    marks = hand_check(o, {"x1": "-1.5", "w1": "2.0", "x2": " 1/2 ", "w2": "zero", "b": ""})
    assert [(row["name"], row["mark"]) for row in marks] == [("x1", "✓"), ("w1", "✗"), ("x2", "✓"), ("w2", "?"), ("b", "")]
    assert marks[3]["note"] == "'zero' is not a number: type a number such as -1.5, −1.5, -1,5 or -3/2"
    assert hand_check(o, {"w1": 1.0})[1]["mark"] == "✓"


@pytest.mark.parametrize("typed", ["−1.5", "-1,5", "−1,5", " -1.50 ", "-3/2", "−3/2", "-1.5e0", "\uff0d1.5"])
def test_hand_check_reads_the_minus_sign_and_a_decimal_comma(tanh_neuron, typed):
    assert hand_check(tanh_neuron["o"], {"x1": typed})[0]["mark"] == "✓"


@pytest.mark.parametrize(
    "typed, note",
    [
        ("abc", "'abc' is not a number: type a number such as -1.5, −1.5, -1,5 or -3/2"),
        ("1,2,3", "'1,2,3' is not a number: type a number such as -1.5, −1.5, -1,5 or -3/2"),
        ("-1,000.5", "'-1,000.5' has both a comma and a point: use one of them as the decimal mark"),
        ("3/0", "'3/0' divides by zero"),
        ("nan", "'nan' is not a finite number: type a number such as -1.5, −1.5, -1,5 or -3/2"),
        ("−inf", "'−inf' is not a finite number: type a number such as -1.5, −1.5, -1,5 or -3/2"),
    ],
)
def test_hand_check_says_why_it_cannot_read_an_answer(tanh_neuron, typed, note):
    [x1] = [row for row in hand_check(tanh_neuron["o"], {"x1": typed}) if row["name"] == "x1"]
    assert (x1["mark"], x1["note"], x1["mistake"]) == ("?", note, "")


def test_a_wrong_answer_carries_the_slip_that_grad_table_finds(tanh_neuron):
    o = tanh_neuron["o"]
    x1, w1 = hand_check(o, {"x1": "−3", "w1": "4"})[:2]
    assert (x1["mark"], x1["mistake"]) == ("✗", "local_left_out")
    assert x1["note"] == grad_table(o, expected={"x1": -3.0})["x1"].mistakes[0].text
    assert x1["note"].startswith("at n: o.grad passed down to n without multiplying by tanh's local derivative")
    assert (w1["mark"], w1["mistake"]) == ("✗", "")
    assert w1["note"] == "no single slip in the chain rule gives this value: work d o / d w1 through again"
    assert all(row["note"] == "" for row in hand_check(o, {"x1": "-1.5"}))


def test_step_view_can_hide_the_leaves_grads(tanh_neuron):
    o = tanh_neuron["o"]
    hidden, shown = step_view(o, 6, hide_leaf_grads=True)["dot"], step_view(o, 6)["dot"]
    assert hidden.count(f"grad {HIDDEN} ") == len(leaf_names(o)) and "grad -1.5000" not in hidden
    assert f"grad {HIDDEN}" not in shown and "{ x1 | data 2.0000 | grad -1.5000 }" in shown
    assert "{ n | data 0.8814 | grad 0.5000 }" in hidden  # interior grads stay


def test_hand_check_judges_the_true_derivative_not_what_grad_holds(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    o.backward()  # x1.grad now holds -3.0, two passes added up
    assert hand_check(o, {"x1": "-3.0"})[0]["mark"] == "✗"
    assert hand_check(o, {"x1": "-1.5"})[0]["mark"] == "✓"


def test_a_program_gives_its_out():
    out = run_program('x = Value(2.0, label="x")\ny = Value(3.0, label="y")\nout = x * y + math.sin(0)')
    assert isinstance(out, Value) and out.data == 6.0
    assert step_view(out, 1)["total"] == 2  # x * y, then + 0.0


UNSHOWABLE_ERROR = """
class Odd(Exception):
    def __str__(self):
        raise ValueError("no")
raise Odd()
"""


@pytest.mark.parametrize(
    "source, message",
    [
        ("x = Value(1.0)\nout = x * y", "line 2: NameError: name 'y' is not defined"),
        ("out = (", "line 1: SyntaxError: '(' was never closed"),
        ("x = Value(1.0)", "the program sets no `out`: end it with a line `out = ...`"),
        ("out = 3", "`out` is int 3, not a Value: build it from Values"),
        ("x = Value(0.0)\n\nout = x.log()", "line 3: ValueError: log is only defined for positive numbers, got 0.0"),
        # nothing a program raises escapes as anything else, exit() and Ctrl-C included
        ("x = 1\nexit()", "line 2: SystemExit: the program called exit(); a program here runs to its last line, which sets `out`"),
        ("raise SystemExit(3)", "line 1: SystemExit: the program called exit(); a program here runs to its last line, which sets `out`"),
        ("raise KeyboardInterrupt", "line 1: KeyboardInterrupt: the program was interrupted"),
        ("class Stop(BaseException):\n    pass\nraise Stop", "line 3: Stop"),
        ("raise ValueError('red \\x1b[31m\\x00')", "line 1: ValueError: red \\x1b[31m\\x00"),
        (UNSHOWABLE_ERROR, "line 5: an exception that raised another when it was shown"),
        ("x = 1\ny = 2\x00\nout = Value(1.0)", "line 2: the program holds a NUL character (\\x00), which Python cannot read: delete it"),
        ("x = 1\nexec('y = (')", "line 2: SyntaxError: '(' was never closed (line 1 of the text given to exec, eval or compile)"),
        ("if True:\nx = 1", "line 2: IndentationError: expected an indented block after 'if' statement on line 1"),
        ("class Shown:\n    def __repr__(self):\n        raise SystemExit\nout = Shown()", "`out` is Shown, not a Value: build it from Values"),
        ("out = 'x' * 10**6", "`out` is str 'xxxxxxxxxxxx...xxxxxxxxxxxxx', not a Value: build it from Values"),
        ("class Fake:\n    __class__ = Value\n    __repr__ = lambda self: 'Fake()'\nout = Fake()", "`out` is Fake Fake(), not a Value: build it from Values"),
    ],
)
def test_a_failing_program_says_where_and_why_in_one_line(source, message):
    with pytest.raises(ProgramError) as error:
        run_program(source)
    assert str(error.value) == message


def test_a_label_is_data_never_code():
    out = run_program('a = Value(1.0, label="x\\nimport os; os._exit(3)")\nout = a * 2')
    assert "import os" in step_view(out, 1)["dot"]  # drawn as text, and the tests are still running


def test_a_program_too_deep_to_compile_says_so():
    with pytest.raises(ProgramError, match=r"^the program is nested too deeply to compile: \w+Error|^line 1: SyntaxError"):
        run_program("out = " + "-" * 200_000 + "1")  # MemoryError under CPython 3.11


ENGINE_CHANGES = [
    "Value.__add__ = lambda *a: 0",
    "Value.tanh = lambda self: 'broken'",
    "del Value.__mul__",
    "Value.data = 5",
    "Value.__init__ = None",
    "math.exp = None",
    "Value.shiny = 1",
    "class Shown:\n    def __repr__(self):\n        Value.__add__ = None\n        return 'shown'\nout = Shown()",
]

FRESH_PROCESS = """
import contextlib, json, sys
from autograd.views.web import ProgramError, run_program
results = []
for change in json.loads(sys.argv[1]):
    with contextlib.suppress(ProgramError):
        run_program(change)
    out = run_program("x = Value(0.5)\\nout = (x + 1) * x.tanh() + x.exp()\\nout.label = str(hasattr(Value, 'shiny'))")
    out.backward()
    results.append([out.data, out.label, out._op])
print(json.dumps(results))
"""


def test_each_program_starts_from_the_engine_as_it_was():
    """`Value.__add__ = ...` in one program must not break the next; run in a fresh process,
    so that a failure here cannot break the other tests."""
    done = subprocess.run([sys.executable, "-c", FRESH_PROCESS, json.dumps(ENGINE_CHANGES)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    expected = [1.5 * math.tanh(0.5) + math.exp(0.5), "False", "+"]
    assert json.loads(done.stdout) == [expected] * len(ENGINE_CHANGES)


# --- the pages' graphs, kept in Python between the page's calls ---------------

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot for the SVG")


@pytest.fixture
def kept(monkeypatch):
    """An empty `GRAPHS`, as in a page's fresh Python."""
    monkeypatch.setattr(web, "GRAPHS", {})
    return web.GRAPHS


@needs_dot
def test_a_page_steps_through_a_graph_kept_by_key(kept):
    shown = show_tanh("tanh")
    assert (shown["position"], shown["total"], shown["leaves"], shown["root_name"]) == (0, 5, ["x1", "w1", "x2", "w2", "b"], "o")
    assert shown["svg"].lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE")) and "</svg>" in shown["svg"]
    assert web.step_view_of("tanh", 3)["current_name"] == "x1*w1 + x2*w2"
    assert [row["mark"] for row in web.hand_check_of("tanh", {"x1": "−1,5", "w1": "2"})][:2] == ["✓", "✗"]
    json.dumps(shown)  # plain data, as the page's worker sends it
    web.forget("tanh")
    with pytest.raises(LookupError, match="no graph is kept as 'tanh'"):
        web.step_view_of("tanh", 1)


@needs_dot
def test_the_hand_check_of_a_program_lists_only_its_named_leaves(kept):
    shown = web.show_program("program", 'a = Value(2.0, label="a")\nb = Value(3.0)\nout = (a * b + 1) * 3')
    assert shown["leaves"] == ["a"] and named_leaves(kept["program"]) == ["a"]
    assert leaf_names(kept["program"]) == ["a", "v1", "v3", "v5"]  # b and the constants 1 and 3 are leaves too
    assert [(row["name"], row["mark"]) for row in web.hand_check_of("program", {"a": "9"})] == [("a", "✓")]
    assert shown["root_name"] == "out"  # an unlabelled `out` is called what the program calls it


@needs_dot
def test_a_failing_program_drops_the_graph_kept_before(kept):
    web.show_program("program", 'a = Value(2.0, label="a")\nout = a * a')
    with pytest.raises(ProgramError, match="NameError"):
        web.show_program("program", "out = y")
    assert "program" not in kept


def test_a_graph_too_large_says_what_to_change_in_the_program_not_max_nodes(kept):
    source = 'x = Value(1.0, label="x")\nout = x\nfor i in range(600):\n    out = out * 1.0'
    with pytest.raises(ProgramError) as refused:
        web.show_program("program", source)
    assert str(refused.value) == (
        "`out` is a graph of 1,201 Values, more than the 500 this page draws: "
        "make the program build a smaller one (fewer terms, or fewer rounds of a loop)"
    )
    assert "max_nodes" not in str(refused.value) and "program" not in kept


@needs_dot
def test_a_large_graph_is_drawn_near_the_step_unless_the_whole_is_asked_for(kept):
    source = 'x = Value(0.5, label="x")\nout = x\nfor i in range(200):\n    out = out * 1.0'  # 401 Values
    shown = web.show_program("program", source)
    assert shown["values"] == 401 and shown["drawn"] < 401
    near = web.step_view_of("program", 5)
    assert near["drawn"] < 401 and f"<title>{near['current']}</title>" in near["svg"]
    assert web.step_view_of("program", 5, whole=True)["drawn"] == 401
