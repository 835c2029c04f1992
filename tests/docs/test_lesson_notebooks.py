"""The notebooks in notebooks/ run top to bottom, and are committed clean.

Each notebook asserts its own key numbers, so running it is the test.  They
run in a Jupyter kernel on this interpreter (checked: a cell appended here
prints the kernel's `sys.prefix`), with notebooks/ as the working directory,
as when a student opens them in Jupyter.  Beyond Run All, a live kernel is
driven cell by cell the way a student drives JupyterLab: every cell run
twice, and the stepping view clicked to its end before or after the cells
below it ran.
"""

import contextlib
import html
import io
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
