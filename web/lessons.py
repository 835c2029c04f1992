"""The notebooks in notebooks/, executed now, as static HTML lesson pages.

Each notebook runs top to bottom in a Jupyter kernel (as
tests/docs/test_lesson_notebooks.py runs them), with notebooks/ as the
working directory, and is exported with nbconvert's plain "basic" template
(no scripts from elsewhere) into web/lesson.html, which renders its math
with KaTeX from vendor/.
"""

import html
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

from menu import with_menu

TEMPLATE = Path(__file__).resolve().parent / "lesson.html"
CELL_TIMEOUT = 120  # seconds; a lesson runs in well under a minute

NO_WIDGETS = 'import sys\nsys.modules["ipywidgets"] = None  # a static page runs no widgets'
"""Run first (and not shown): step_through and the progress bar then show plain HTML and text."""


def build_lessons(notebooks, out):
    """Write out/NAME.html for each notebook, out/index.html listing them, out/lesson.css; returns the names."""
    out.mkdir(parents=True)
    exporter = HTMLExporter(template_name="basic")
    listed = []
    for path in sorted(notebooks.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(NO_WIDGETS))
        NotebookClient(
            notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(notebooks)}}
        ).execute()
        del notebook.cells[0]
        _drop_progress_bars(notebook)
        body, _ = exporter.from_notebook_node(notebook)
        title = _title(notebook, path)
        (out / f"{path.stem}.html").write_text(_page(title, body, f"lessons/{path.stem}.html"))
        listed.append(f'<li><a href="{path.stem}.html">{html.escape(title)}</a></li>')
    index = f"<h1>The lessons</h1><p>Each ran top to bottom when this site was built.</p><ol>{''.join(listed)}</ol>"
    (out / "index.html").write_text(_page("The lessons", index, "lessons/index.html"))
    (out / "lesson.css").write_text(HtmlFormatter().get_style_defs(".highlight"))
    return listed


def _drop_progress_bars(notebook):
    """Remove stderr outputs (tqdm's text progress bar): a page shows the result, not the progress."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.outputs if output.get("name") != "stderr"]


def _title(notebook, path):
    """The notebook's first heading, else its file name."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _page(title, body, current):
    page = TEMPLATE.read_text().replace("{{title}}", html.escape(title)).replace("{{body}}", body)
    return with_menu(page, current, depth=1)
