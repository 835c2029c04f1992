"""The lessons that plot run where matplotlib is missing (JupyterLite's Pyodide has none), and still
show every figure, as SVG from nn.svg_plot: run here in a Jupyter kernel with matplotlib hidden."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # each notebook runs in a Jupyter kernel

ROOT = Path(__file__).resolve().parents[2]
HIDE_MATPLOTLIB = 'import sys\nsys.modules["matplotlib"] = sys.modules["matplotlib.pyplot"] = None  # as if not installed'


def executed_without_matplotlib(path):
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(HIDE_MATPLOTLIB))
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    del notebook.cells[0]
    return notebook


@pytest.mark.parametrize("name, figures", [("05_training_an_mlp", 2), ("06_vanishing_exploding", 2)])
def test_without_matplotlib_every_figure_is_svg_and_nothing_fails(name, figures):
    notebook = executed_without_matplotlib(ROOT / "notebooks" / f"{name}.ipynb")  # a failing cell raises here
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error" or output.get("name") == "stderr"]
    assert not [output for output in outputs if "image/png" in output.get("data", {})]
    plots = [output["data"]["image/svg+xml"] for output in outputs if "image/svg+xml" in output.get("data", {})]
    assert len(plots) >= figures
    for plot in plots:
        root = ElementTree.fromstring(plot)
        assert root.get("role") == "img" and root.get("aria-label").startswith(("A plot: “", "2 plots side by side."))
    plot_cells = [cell for cell in notebook.cells if cell.cell_type == "code" and "plt.show()" in cell.source]
    assert all(any("image/svg+xml" in output.get("data", {}) for output in cell.outputs) for cell in plot_cells)
