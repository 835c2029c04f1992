"""The notebooks in notebooks/ run top to bottom, and are committed clean.

Each notebook asserts its own key numbers, so running it is the test.  They
run in a Jupyter kernel on this interpreter (checked: a cell appended here
prints the kernel's `sys.prefix`), with notebooks/ as the working directory,
as when a student opens them in Jupyter.  Beyond Run All, a live kernel is
driven cell by cell the way a student drives JupyterLab: every cell run
twice, and the stepping view clicked to its end before or after the cells
below it ran.  What lessons 01 and 08 show about wrong answers (grad_table's
diagnosis, check_backward's report) is checked against numbers worked out
here from the lessons' seeds.
"""

import contextlib
import html
import io
import json
import math
import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # each notebook runs in a Jupyter kernel

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds; a lesson runs in well under a minute


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


@pytest.fixture(scope="session")
def executed():
    """`executed(path)`: the notebook run once per session, with its outputs."""
    runs = {}

    def run(path):
        if path not in runs:
            runs[path] = _execute(path)
        return runs[path]

    return run


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, executed):
    notebook = executed(path)
    kernel_prefix = notebook.cells[-1].outputs[0]["text"].strip()
    assert kernel_prefix == sys.prefix, "the notebook ran on another Python than the tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        i for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None or "execution" in cell.metadata)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs, execution counts or timings; clear them before committing "
        f"(Jupyter: Edit > Clear Outputs of All Cells, or "
        f"`jupyter nbconvert --clear-output --inplace {path.relative_to(ROOT)}`)"
    )


def as_jupyter_saves(path):
    """The file's notebook as JupyterLab's server writes it: nbformat.write, as it stands."""
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    text = io.StringIO()
    nbformat.write(notebook, text, version=nbformat.NO_CONVERT)
    return text.getvalue().encode("utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opening_and_saving_in_jupyterlab_changes_nothing(path, executed):
    """The stored bytes are what JupyterLab saves, with the metadata a Python kernel sets.

    JupyterLab upgrades a notebook to nbformat 4.5 (every cell with an id) and,
    once the kernel starts, writes its kernelspec and language_info into the
    metadata; any of these missing or different marks the notebook modified.
    """
    assert path.read_bytes() == as_jupyter_saves(path), (
        f"{path.name} is not stored as JupyterLab saves it (indent 1, sorted keys, trailing newline)"
    )
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    ids = [cell.get("id") for cell in notebook.cells]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: cells without ids, or repeated ids"

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert notebook.metadata.kernelspec == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    # The kernel's language_info, except its Python version, which follows the machine's Python.
    kernel_info = dict(executed(path).metadata.language_info)
    stored_info = dict(notebook.metadata.language_info)
    assert set(stored_info) == set(kernel_info)
    kernel_info.pop("version"), stored_info.pop("version")
    assert stored_info == kernel_info


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_links_the_notebook(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"(notebooks/{path.name})" in readme, f"README.md does not link notebooks/{path.name}"


def _drawings(notebook):
    """Every SVG picture the notebook displayed, as a list of its boxes.

    A box is the tuple of text lines Graphviz drew in one node, HTML
    entities decoded: ("x1", "data 2.0000", "grad -1.5000").
    """
    svgs = [
        output["data"]["image/svg+xml"]
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if "image/svg+xml" in output.get("data", {})
    ]
    return [
        [
            tuple(html.unescape(text) for text in re.findall(r"<text[^>]*>(.*?)</text>", node, re.S))
            for node in re.findall(r'<g id="node\d+" class="node">(.*?)</g>', svg, re.S)
        ]
        for svg in svgs
    ]


TANH_NEURON = ROOT / "notebooks" / "01_tanh_neuron.ipynb"


def test_tanh_neuron_drawings_show_labels_data_and_grads(executed):
    before, after, *_ = _drawings(executed(TANH_NEURON))
    data = {"x1": "2.0000", "w1": "-3.0000", "x2": "0.0000", "w2": "1.0000",
            "b": "6.8814", "n": "0.8814", "o": "0.7071"}
    grads = {"x1": "-1.5000", "w1": "1.0000", "x2": "0.5000", "w2": "0.0000",
             "b": "0.5000", "n": "0.5000", "o": "1.0000"}
    for label, value in data.items():
        assert (label, f"data {value}", "grad 0.0000") in before, label
        assert (label, f"data {value}", f"grad {grads[label]}") in after, label
    ops = {box[0] for box in after if len(box) == 1}
    assert {"*", "+", "tanh"} <= ops


@pytest.mark.parametrize("name, figures", [("05_training_an_mlp", 2), ("06_vanishing_exploding", 2)])
def test_plots_are_drawn(name, figures, executed):
    """The figures render inline even on a headless machine (no display, any MPLBACKEND)."""
    notebook = executed(ROOT / "notebooks" / f"{name}.ipynb")
    images = [
        output for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if "image/png" in output.get("data", {})
    ]
    assert len(images) >= figures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_writes_nothing_to_stderr(path, executed):
    """No stream of progress lines: in Jupyter, `fit`'s bar is a widget (tqdm.auto)."""
    notebook = executed(path)
    stderr = [
        (i, output["text"][:200]) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
        for output in cell.outputs if output.output_type == "stream" and output.name == "stderr"
    ]
    assert not stderr, f"{path.name} wrote to stderr: {stderr[:3]}"


class LiveNotebook:
    """A notebook and its running kernel, driven cell by cell.

    `run(i)` runs code cell i as Shift+Enter does (a failing cell raises
    nbclient's CellExecutionError, with the traceback); `run_code(source)`
    runs a cell of our own after the notebook's cells and returns what it printed.
    """

    def __init__(self, client, notebook):
        self.client = client
        self.notebook = notebook
        self.code_cells = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]

    def run(self, *indices):
        for index in indices:
            self.client.execute_cell(self.notebook.cells[index], index)

    def run_all(self):
        self.run(*self.code_cells)

    def run_code(self, source):
        cell = nbformat.v4.new_code_cell(source)
        self.notebook.cells.append(cell)
        self.client.execute_cell(cell, len(self.notebook.cells) - 1)
        return "".join(o["text"] for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")

    def cells_after(self, index):
        return [i for i in self.code_cells if i > index]


@contextlib.contextmanager
def live(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel():
        yield LiveNotebook(client, notebook)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_can_be_run_again(path):
    """Run All, then each code cell twice in a row, top to bottom: no cell fails.

    A cell that calls backward() on a graph whose leaves already hold grads
    would double them (leaves accumulate), and its asserts would fail; so
    would a training cell that went on training the model it trained before.
    Running each cell twice in a row is what catches the second: Run All
    twice would rebuild the model in the cell above first.
    """
    with live(path) as notebook:
        notebook.run_all()
        for index in notebook.code_cells:
            notebook.run(index, index)


def _stepping_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and "step_through(" in cell.source]


STEPPING = [path for path in NOTEBOOKS if _stepping_cells(path)]

CLICK_TO_THE_END = """
from autograd.engine.graph import all_nodes
from autograd.views.notebook import StepThrough

views = [view for view in Out.values() if isinstance(view, StepThrough) and view.root is not None]
for view in [view for view in views if view.missing_backward]:  # a hand-built node without _backward
    view.next()  # Next shows the same words again: nothing to step through until it has one
    assert view.missing_backward and "_backward" in view.missing_backward and view.step is None
views = [view for view in views if not view.missing_backward]
for view in views:
    while not view.finished:
        view.next()  # what the Next button does
    # The view's last picture shows one backward pass: the grads a fresh backward() gives.
    nodes = list(all_nodes(view.root))
    shown = [node.grad for node in nodes]
    view.root.zero_grad()
    view.root.backward()
    wrong = [(node.label, g, node.grad) for node, g in zip(nodes, shown) if abs(node.grad - g) > 1e-12]
    assert not wrong, f"after the last step the graph holds {wrong} (label, shown, true)"
print(len(views))
"""


def test_there_is_a_stepping_view():
    assert STEPPING, "no notebook calls step_through; the stepping flows below test nothing"


@pytest.mark.parametrize("path", STEPPING, ids=lambda p: p.stem)
def test_stepping_view_clicked_to_the_end_before_or_after_the_cells_below(path):
    first_view = _stepping_cells(path)[0]
    with live(path) as notebook:
        # Run down to the stepping view, click Next to the end, then Shift+Enter down the rest.
        notebook.run(*[i for i in notebook.code_cells if i <= first_view])
        assert int(notebook.run_code(CLICK_TO_THE_END)) >= 1
        notebook.run(*notebook.cells_after(first_view))
        # Run All, click Next to the end, then run the stepping cell and those below it again.
        notebook.run_all()
        assert int(notebook.run_code(CLICK_TO_THE_END)) >= 1
        notebook.run(first_view, *notebook.cells_after(first_view))


# --- The hand-check lessons: each diagnosis shown, against numbers worked out here -----------
#
# The tanh neuron's grads by the chain rule, written out with `math` from the seeds (not with
# stepgrad), and each slip the lessons show made here by hand on those numbers.

X1, X2, W1, W2, B = 2.0, 0.0, -3.0, 1.0, 6.8813735870195432
N = X1 * W1 + X2 * W2 + B
O = math.tanh(N)
DO_DN = 1 - O**2  # tanh's local derivative, at its output
BY_HAND = {
    "n": DO_DN, "b": DO_DN, "x1*w1 + x2*w2": DO_DN, "x1*w1": DO_DN, "x2*w2": DO_DN,
    "x1": W1 * DO_DN, "w1": X1 * DO_DN, "x2": W2 * DO_DN, "w2": X2 * DO_DN,
}
SLIP_TEXT_AT_N = (
    "↳ at n: o.grad passed down to n without multiplying by tanh's local derivative 1 - o.data**2 = 0.5000"
)


def test_the_references_are_the_lessons_numbers():
    """The references below are the numbers the lessons quote: o = 0.7071, x1 -1.5, w1 1, x2 0.5, w2 0."""
    assert abs(O - 0.7071) < 1e-4 and abs(DO_DN - 0.5) < 1e-12
    for name, grad in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}.items():
        assert abs(BY_HAND[name] - grad) < 1e-12, name


def _shown_text(cell):
    """What a code cell showed, as text: its stdout and each result's text/plain."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "".join(parts)


def _row(table, name):
    """The line of node `name` in a grad_table's text (a name is followed by two spaces at least)."""
    rows = [line for line in table.splitlines() if line.startswith(f"{name}  ")]
    assert len(rows) == 1, f"{len(rows)} rows for {name!r} in\n{table}"
    return rows[0]


def _code_cell(notebook, snippet):
    """The index of the one code cell whose source holds `snippet`."""
    found = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and snippet in cell.source]
    assert len(found) == 1, f"{len(found)} code cells hold {snippet!r}"
    return found[0]


def test_tanh_neuron_shows_the_slip_behind_a_wrong_hand_value(executed):
    notebook = executed(TANH_NEURON)
    shown = _shown_text(notebook.cells[_code_cell(notebook, "forgot_tanh = ")])
    # tanh's local derivative left out: n gets o.grad = 1 unchanged, and every grad below n doubles,
    # except w2's, which is x2.data * (x2*w2).grad = 0 either way
    forgot_tanh = {name: grad / DO_DN for name, grad in BY_HAND.items()}
    wrong = [name for name, grad in forgot_tanh.items() if abs(grad - BY_HAND[name]) > 1e-9]
    assert sorted(wrong) == sorted(set(BY_HAND) - {"w2"})
    for name in wrong:
        assert f"✗ true {BY_HAND[name]:.10g}" in _row(shown, name), name
    assert "✓" in _row(shown, "w2")
    lines = shown.splitlines()
    explained = [lines[i - 1] for i, line in enumerate(lines) if line.strip().startswith("↳")]
    assert sorted(explained) == sorted(_row(shown, name) for name in wrong)  # one under each ✗, all the same slip
    assert all(line.strip() == SLIP_TEXT_AT_N for line in lines if line.strip().startswith("↳"))


YOUR_TURN = ROOT / "notebooks" / "08_your_turn.ipynb"


@pytest.fixture(scope="module")
def your_turn():
    """Lesson 08 run top to bottom in a live kernel, to look at what it showed and ask it more."""
    with live(YOUR_TURN) as notebook:
        notebook.run_all()
        yield notebook


def _ask(notebook, expression):
    """`expression` evaluated in the lesson's kernel, through JSON."""
    return json.loads(notebook.run_code(f"import json; print(json.dumps({expression}))"))


def test_your_turn_worksheet_and_its_answer_key(your_turn):
    notebook = your_turn.notebook
    sheet, filled_in = _drawings(notebook)
    blanks = {box[0]: box[2] for box in sheet if len(box) == 3 and "________" in box[2]}
    order = _ask(your_turn, "list(my_grads)")  # the exercise's dict lists the blanks in the sheet's order
    assert blanks == {name: f"grad ({k}) ________" for k, name in enumerate(order, 1)}
    assert set(order) == set(BY_HAND)
    assert ("o", f"data {O:.4f}", "grad 1.0000") in sheet  # the seed is given, not a blank
    answers = {box[0]: box[2] for box in filled_in if len(box) == 3}
    assert {name: answers[name] for name in order} == {
        name: f"grad ({k}) {BY_HAND[name]:.4f}" for k, name in enumerate(order, 1)
    }
    key = _shown_text(notebook.cells[_code_cell(notebook, "sheet.answer_key()")])
    rows = [line.split() for line in key.splitlines()[1:]]
    assert [(row[0], " ".join(row[1:-2]), float(row[-1])) for row in rows] == [
        (f"({k})", name, round(BY_HAND[name], 4)) for k, name in enumerate(order, 1)
    ]


def test_your_turn_check_of_the_students_numbers(your_turn):
    """Blank, it says what is left; filled in right, all ✓; with a slip, ✗ and the slip. It never raises."""
    notebook = your_turn.notebook
    fill, check = _code_cell(notebook, "my_grads = {"), _code_cell(notebook, "still_blank = ")
    shown = _shown_text(notebook.cells[check])
    assert shown == "still blank: x1, w1, x1*w1, x2, w2, x2*w2, x1*w1 + x2*w2, b, n\n"
    try:
        your_turn.run_code(f"my_grads = {json.dumps(BY_HAND)}")
        your_turn.run(check)
        table = _shown_text(notebook.cells[check])
        assert table.split()[:5] == ["node", "op", "data", "grad", "check"]
        assert "✗" not in table and table.count("✓") == len(BY_HAND)
        assert all("✓" in _row(table, name) for name in BY_HAND)

        # w1's grad as x1.data alone, not multiplied by (x1*w1).grad; the slip at n gives 2.0 too,
        # but it would have doubled x1's grad and the others, which the student got right: it comes later.
        your_turn.run_code(f"my_grads['w1'] = {X1 * 1.0!r}")
        your_turn.run(check)
        shown = _shown_text(notebook.cells[check])
        assert shown.count("✗") == 1 and SLIP_TEXT_AT_N not in shown
        assert "↳ at w1: w1 got *'s local derivative x1.data = 2.0000 alone, not multiplied by (x1*w1).grad" in shown
        # w1 multiplied by its own data, not by x1's.
        your_turn.run_code(f"my_grads['w1'] = {W1 * DO_DN!r}")
        your_turn.run(check)
        shown = _shown_text(notebook.cells[check])
        assert "↳ at w1: w1 multiplied by its own data w1.data = -3.0000 instead of the other factor's" in shown
    finally:
        your_turn.run(fill, check)  # the lesson as it ships, for the tests after this one


# Each single slip that makes x1's grad -3.0, made here on the numbers: (kind, node) -> the value it gives.
X1_SLIPS = {
    ("local_left_out", "n"): W1 * 1 * 1 * 1.0,  # n.grad = o.grad, then +, + and * as they are
    ("upstream_left_out", "x1*w1 + x2*w2"): W1 * 1 * 1.0,  # the sum's grad = +'s local 1 alone
    ("upstream_left_out", "x1*w1"): W1 * 1.0,  # x1*w1's grad = +'s local 1 alone
    ("upstream_left_out", "x1"): W1,  # x1's grad = *'s local w1 alone
    ("counted_twice", "x1"): 2 * W1 * DO_DN,  # two backward passes added up
}


def test_your_turn_diagnosis_of_the_wrong_hand_value(your_turn):
    notebook = your_turn.notebook
    attempt = _ask(your_turn, "attempt")
    assert attempt == {"x1": W1 * 1.0, "w2": BY_HAND["w2"]}  # -3.0: the slip at n; w2 right
    assert all(abs(value - attempt["x1"]) < 1e-12 for value in X1_SLIPS.values())

    table = _shown_text(notebook.cells[_code_cell(notebook, "attempt_table = ")])
    assert "✗ true -1.5" in _row(table, "x1") and "✓" in _row(table, "w2")
    assert SLIP_TEXT_AT_N in table and table.count("↳") == 1

    mistakes = _ask(your_turn, "[(m.kind, m.node) for m in attempt_table['x1'].mistakes]")
    assert [tuple(m) for m in mistakes] == list(X1_SLIPS)  # local_left_out at n first: the one the table shows
    listed = _shown_text(notebook.cells[_code_cell(notebook, "for mistake in attempt_table")]).splitlines()
    assert [(line.split()[0], line.split()[2].rstrip(":")) for line in listed] == [
        (kind, node.split()[0]) for kind, node in X1_SLIPS
    ]


# check_backward's cases, by the number of the op's inputs: (code, points), as practice.SHAPES and
# POINTS give them; and for each op the lesson writes, d f / d input in each case, right and with
# the lesson's slip, worked out here from calculus.
CASES = {
    1: (("fn(x)", "fn(x) * fn(x)", "y = fn(x); y * y", "fn(tanh(1.5 * x)) * 2 + 1"), ((0.4,), (1.1,), (1.7,))),
    2: (("fn(x, y)", "fn(x, x)", "z = fn(x, y); z * z", "fn(tanh(1.5 * x), exp(y)) * 2 + 1"),
        ((0.4, 1.1), (1.3, 0.6), (0.9, 1.7))),
}


def _tanh_grads(code, x, slip):
    t, dt = math.tanh(x), 1 - math.tanh(x) ** 2
    u = math.tanh(1.5 * x)
    grads = {  # (right, with `=` for `+=`): only x feeding two tanh nodes keeps one term of two
        "fn(x)": (dt, dt),
        "fn(x) * fn(x)": (2 * t * dt, t * dt),
        "y = fn(x); y * y": (2 * t * dt, 2 * t * dt),
        "fn(tanh(1.5 * x)) * 2 + 1": ((1 - math.tanh(u) ** 2) * 2 * (1 - u**2) * 1.5,) * 2,
    }
    return {"x": grads[code][slip]}


def _exp_grads(code, x, slip):
    e, u = math.exp(x), math.tanh(1.5 * x)
    grads = {  # (right, without * out.grad): the local derivative e**x added alone
        "fn(x)": (e, e),
        "fn(x) * fn(x)": (2 * e * e, 2 * e),
        "y = fn(x); y * y": (2 * e * e, e),
        "fn(tanh(1.5 * x)) * 2 + 1": (2 * math.exp(u) * (1 - u**2) * 1.5, math.exp(u) * (1 - u**2) * 1.5),
    }
    return {"x": grads[code][slip]}


def _div_grads(code, x, y, slip):
    sign = -1 if not slip else 1  # the slip: d (x/y) / dy = +x/y**2
    a, c = math.tanh(1.5 * x), math.exp(y)
    if code == "fn(x, x)":
        return {"x": 1 / x + sign * x / x**2}
    if code == "fn(x, y)":
        return {"x": 1 / y, "y": sign * x / y**2}
    if code == "z = fn(x, y); z * z":
        z = x / y
        return {"x": 2 * z / y, "y": 2 * z * sign * x / y**2}
    return {"x": 2 / c * (1 - a**2) * 1.5, "y": 2 * sign * a / c**2 * c}


BACKWARD_OPS = {  # the op's name in the lesson: (its inputs, forward, grads, the slip's name, its hint or None)
    "tanh": (1, math.tanh, _tanh_grads, "tanh_overwrites", "where it must add, `x.grad += ...`"),
    "exp": (1, math.exp, _exp_grads, "exp_without_out_grad", "multiply it by out.grad"),
    "div": (2, lambda x, y: x / y, _div_grads, "div_sign_lost", None),
}

FAILURE = re.compile(
    r"(?P<code>.+) \((?P<shape>[^()]+)\), at (?P<point>[^:]+): "
    r"(?P<name>\w+)\.grad is (?P<grad>\S+) from your _backward, (?P<numeric>\S+) by central differences"
)
"""One failure line of check_backward's report."""


def _close(shown, value):
    """A number printed with 6 significant digits against the reference."""
    return abs(float(shown) - value) <= 1e-6 + 1e-5 * abs(value)


@pytest.mark.parametrize("op", BACKWARD_OPS)
def test_your_turn_ops_written_right_pass(op, your_turn):
    arity, forward, grads, _, _ = BACKWARD_OPS[op]
    shown = _shown_text(your_turn.notebook.cells[_code_cell(your_turn.notebook, f"print(check_backward({op}))")])
    assert shown == f"check_backward({op}): ✓ all 12 cases agree with central differences\n"
    # And on our own: the op's forward and grads at a point, against calculus.
    point = (0.7, 1.9)[:arity]
    names = "xy"[:arity]
    your_turn.run_code(f"_xs = [Value(p) for p in {list(point)}]; _out = {op}(*_xs); _out.backward()")
    found = _ask(your_turn, "[_out.data] + [x.grad for x in _xs]")
    code = "fn(x)" if arity == 1 else "fn(x, y)"
    expected = [forward(*point)] + [grads(code, *point, slip=False)[name] for name in names]
    assert all(abs(f - e) < 1e-12 for f, e in zip(found, expected)), (found, expected)


@pytest.mark.parametrize("op", BACKWARD_OPS)
def test_your_turn_ops_with_a_slip_fail_where_the_slip_shows(op, your_turn):
    """Each failure shown is a case where the slip, made here by hand, changes a grad: with the
    slip's grad and the true one; and every such case is shown. The hint, where the lesson says one."""
    arity, _, grads, wrong, hint = BACKWARD_OPS[op]
    notebook = your_turn.notebook
    shown = _shown_text(notebook.cells[_code_cell(notebook, f"print(check_backward({wrong}))")])
    codes, points = CASES[arity]
    expected = {}
    for code in codes:
        for point in points:
            inputs = point[:1] if code == "fn(x, x)" else point
            at = ", ".join(f"{name}={value!r}" for name, value in zip("xy", inputs))
            right, slipped = grads(code, *point, slip=False), grads(code, *point, slip=True)
            expected.update({(code, at, name): (slipped[name], right[name])
                             for name in right if abs(slipped[name] - right[name]) > 1e-9})
    lines = shown.splitlines()
    cases = len({(code, at) for code, at, _ in expected})
    assert lines[0] == f"check_backward({wrong}): ✗ {cases} of 12 cases disagree with central differences"
    failures = [FAILURE.fullmatch(line) for line in lines[1:] if not line.startswith("  hint: ")]
    assert all(failures), lines
    assert {(f["code"], f["point"], f["name"]) for f in failures} == set(expected)
    for failure in failures:
        slipped, right = expected[failure["code"], failure["point"], failure["name"]]
        assert _close(failure["grad"], slipped) and _close(failure["numeric"], right), failure.group(0)
    hints = [line for line in lines[1:] if line.startswith("  hint: ")]
    if hint is None:
        assert not hints
    else:  # one hint under each run of failures it explains: here all, so once, at the end
        assert len(hints) == 1 and hint in hints[0] and lines[-1] == hints[0]
