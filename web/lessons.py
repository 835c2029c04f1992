"""The notebooks in notebooks/, executed now, as static HTML lesson pages.

Each notebook runs top to bottom in a Jupyter kernel (as
tests/docs/test_lesson_notebooks.py runs them), with notebooks/ as the
working directory, and is exported with nbconvert's plain "basic" template
(no scripts from elsewhere) into web/lesson.html, whose module
(web/src/lesson.js) renders the math with KaTeX from vendor/.  On the way
the page is made for a browser rather than for Jupyter:

- no prompt numbers ("In [2]:"); a heading's "¶" link shows on hover and focus only;
- a cell that steps through backward (`step_through(...)`) gets the live
  stepper in place of its frozen output: the page runs the notebook's code
  up to that cell in its own Python and steps through the same graph
  (`stepping_program`, lesson.js);
- every figure says what it shows: a graph drawing names its graph and
  lists its nodes (`drawing_description`), a matplotlib figure gives its
  titles, axes and key (`figure_description`, run inside the kernel);
- a table, a drawing or a line of math wider than a phone scrolls inside
  its own box, which lesson.js makes focusable and labels when it does.

    build_lessons(ROOT / "notebooks", dist / "lessons")     (build.py)
    lesson_body(executed(path))                             the HTML of one lesson
"""

import ast
import copy
import html
import inspect
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import quote

import nbformat
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

from menu import with_menu

TEMPLATE = Path(__file__).resolve().parent / "lesson.html"
CELL_TIMEOUT = 120  # seconds; a lesson runs in well under a minute
HIGHLIGHT_CSS = "highlight.css"
"""The code's colours, written beside the lessons (lesson.html links it)."""

CODE_BACKGROUND = "#f7f7f7"
"""The background of the lessons' code; every colour of its highlighting keeps `READABLE` contrast on it."""

READABLE = 4.5
"""The contrast ratio normal text needs (WCAG 2 AA), as axe-core checks it."""

NBCONVERT_NO_ALT = "No description has been provided for this image"
"""The alt text nbconvert gives an image that has none: not a description."""

SMALLEST_TEXT_PX = 10
"""A drawing's text is never shown smaller than this: a wider drawing scrolls in its box instead."""

LAB_LESSONS = "../lab/tree/index.html"
"""The lessons in JupyterLite (web/lab.py builds dist/lab), from a page in dist/lessons: its list of files."""

LAB_LESSON = "../lab/notebooks/index.html?path={name}"
"""One lesson opened in JupyterLite's notebook view, from a page in dist/lessons."""

LAB_RESET = "../lab-reset.html?lesson={name}"
"""The page that puts a lesson in the lab back as it was built (web/src/lab-reset.html)."""


def describe_figure(figure):
    """What a matplotlib `figure` shows, in words, for its alt text: each plot's title, axes and key.

    A second y axis (`twinx`) is told with the plot it shares.  Runs inside
    the lesson's kernel (its source is sent there, `SETUP`), so it uses only `re`.
    """

    def plain(text):  # TeX between $...$ as plain text: "$\\partial L$" -> "∂L", "$x_1$" -> "x1"
        def math(found):
            return re.sub(r"[\\{}_^]", "", found.group(1).replace("\\partial", "∂"))

        return re.sub(r"\$(.*?)\$", math, text)

    plots = {}  # the box each plot is drawn in -> what it shows
    for axes in figure.axes:
        parts = plots.setdefault(tuple(axes.get_position().bounds), [])
        if axes.get_title():
            parts.append(f"“{plain(axes.get_title())}”")
        if axes.get_xlabel() and axes.xaxis.get_visible():
            parts.append(f"Across: {plain(axes.get_xlabel())}")
        if axes.get_ylabel():
            side = "On the right" if axes.yaxis.get_label_position() == "right" else "Up"
            scale = " (log scale)" if axes.get_yscale() == "log" and "log" not in axes.get_ylabel() else ""
            parts.append(f"{side}: {plain(axes.get_ylabel())}{scale}")
        legend = axes.get_legend()
        if legend is not None:
            parts.append("Key: " + "; ".join(plain(text.get_text()) for text in legend.get_texts()))
    shown = [". ".join(parts) for parts in plots.values() if parts]
    if len(shown) == 1:
        return f"A plot: {shown[0]}."
    names = ["Left", "Right"] if len(shown) == 2 else [f"Plot {n}" for n in range(1, len(shown) + 1)]
    return f"{len(shown)} plots side by side. " + " ".join(f"{name}: {text}." for name, text in zip(names, shown))


SETUP = f"""\
import re
import sys
sys.modules["ipywidgets"] = None  # a static page runs no widgets: step_through shows plain HTML

{inspect.getsource(describe_figure)}

def _figures_described(info=None):
    # Each matplotlib figure shown from now on carries its `describe_figure` as its alt text.
    if "matplotlib.figure" not in sys.modules:
        return
    figure_class = sys.modules["matplotlib.figure"].Figure
    formatter = get_ipython().display_formatter.formatters["image/png"]
    try:
        draw = formatter.lookup_by_type(figure_class)
    except KeyError:
        return
    if getattr(draw, "describes", False):
        return
    def described(figure):
        png = draw(figure)
        return None if png is None else (png, {{"alt": describe_figure(figure)}})
    described.describes = True
    formatter.for_type(figure_class, described)

get_ipython().events.register("post_run_cell", _figures_described)
"""
"""Run first in each lesson's kernel (and not shown).  A notebook's `%matplotlib inline`
registers matplotlib's own PNG printer; after each cell the hook wraps it again if needed."""


def build_lessons(notebooks, out):
    """Write out/NAME.html for each notebook, out/index.html listing them, out/highlight.css; returns the names."""
    out.mkdir(parents=True)
    listed = []
    for path in sorted(notebooks.glob("*.ipynb")):
        notebook = executed(path)
        title = _title(notebook, path)
        body = with_lab_links(lesson_body(notebook, path.name), path.name)
        (out / f"{path.stem}.html").write_text(_page(title, body, f"lessons/{path.stem}.html"))
        listed.append(f'<li><a href="{path.stem}.html">{html.escape(title)}</a></li>')
    index = (
        f"<h1>The lessons</h1><p>Each ran top to bottom when this site was built.</p><ol>{''.join(listed)}</ol>"
        f'<p class="lab-links"><a href="{LAB_LESSONS}">Open the lessons in Jupyter, in your browser</a>: '
        "run them, change them, save your changes there (they stay in this browser).</p>"
    )
    (out / "index.html").write_text(_page("The lessons", index, "lessons/index.html"))
    (out / HIGHLIGHT_CSS).write_text(highlight_css())
    return listed


def executed(path):
    """The notebook at `path`, run top to bottom in a kernel in its folder (`SETUP` first, then removed)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    del notebook.cells[0]
    return notebook


def lesson_body(notebook, name="the notebook"):
    """The HTML of an executed notebook as a lesson page shows it (the page's <main>); `name` is for errors."""
    notebook = copy.deepcopy(notebook)
    _drop_progress_bars(notebook)
    _live_steppers(notebook, name)
    _drawings_inline(notebook)
    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    return _for_the_page(body, name)


# --- the notebook's cells, before they are exported --------------------------


def _drop_progress_bars(notebook):
    """Remove stderr outputs (tqdm's text progress bar): a page shows the result, not the progress."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.outputs if output.get("name") != "stderr"]


def stepping_call(source):
    """The graph a cell steps through, when its last statement is `step_through(graph, ...)`: the
    source of `graph` (as written in the cell), else None."""
    try:
        last = ast.parse(source).body[-1]
    except (SyntaxError, IndexError):  # a cell of IPython magics, or an empty one
        return None
    call = getattr(last, "value", None)
    if not (isinstance(last, ast.Expr) and isinstance(call, ast.Call) and call.args):
        return None
    if not (isinstance(call.func, ast.Name) and call.func.id == "step_through"):
        return None
    return ast.get_source_segment(source, call.args[0])


def stepping_program(cells, index, result="out"):
    """The program that builds the graph the code cell `cells[index]` steps through, for the
    page's Python (autograd.views.web.run_program): every code cell before it, in order, then
    that cell with its `step_through(graph, ...)` made `result = graph`.  IPython's own lines
    (`%magic`, `!command`) are left out: Python alone runs it."""
    parts = []
    for cell in cells[:index]:
        if cell.cell_type == "code":
            parts.append(_python_only(cell.source))
    source = cells[index].source
    graph = stepping_call(source)
    if graph is None:
        raise ValueError(f"cell {index} does not end with step_through(...): {source!r}")
    last = ast.parse(source).body[-1]
    lines = source.splitlines()
    parts.append("\n".join(lines[: last.lineno - 1] + [f"{result} = {graph}"]))
    return "\n\n".join(part for part in parts if part.strip()) + "\n"


def _python_only(source):
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


STEPPER_NOTE = (
    "Live: stepgrad runs this cell's code here, in your browser, and steps through the backward pass "
    "of <code>{graph}</code> one node at a time. <b>Next step</b>, <b>Back</b> and <b>Restart</b> move it; "
    "in Jupyter, running the cell again does."
)


def _live_steppers(notebook, name):
    """Each `step_through` cell's frozen output replaced by the place of the live stepper (lesson.js)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or stepping_call(cell.source) is None:
            continue
        graph = stepping_call(cell.source)
        program = stepping_program(notebook.cells, index)
        placeholder = (
            f'<div class="live-stepper" data-graph="{html.escape(graph)}" data-program="{html.escape(program)}">'
            f'<p class="live-note">{STEPPER_NOTE.format(graph=html.escape(graph))}</p></div>'
        )
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": placeholder})]


def _drawings_inline(notebook):
    """Each SVG drawing (Graphviz's) put in the page itself, not as an <img>: its text is then
    found by the browser's search, and it can keep its text readable (`_drawing_html`)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            if "image/svg+xml" in data:
                drawing = _drawing_html(data["image/svg+xml"], _shown_expression(cell.source))
                output["data"] = {"text/html": drawing}


def _shown_expression(source):
    """The source of a cell's last expression (what Jupyter shows), else ""."""
    try:
        last = ast.parse(source).body[-1]
    except (SyntaxError, IndexError):
        return ""
    return ast.get_source_segment(source, last.value) if isinstance(last, ast.Expr) else ""


SVG = "{http://www.w3.org/2000/svg}"
POINTS_TO_PX = 96 / 72


def drawing_description(svg_text, shown=""):
    """What a Graphviz drawing shows, in words: which graph, and its nodes.

    A graph of Values (draw_dot, a worksheet) lists each Value's label, data
    and grad, and counts the ops; any other graph lists its nodes and its
    edges with their labels.  `shown` is the code that showed it (the
    cell's last expression), `draw_dot(o, rankdir="TB")`.
    """
    root = ElementTree.fromstring(svg_text)
    nodes, edges = [], []
    for group in root.iter(f"{SVG}g"):
        texts = [_blanks_said(text.text or "") for text in group.iter(f"{SVG}text")]
        if group.get("class") == "node":
            nodes.append(texts)
        elif group.get("class") == "edge":
            title = group.find(f"{SVG}title").text.replace("->", " → ")
            edges.append(f"{title} ({', '.join(texts)})" if texts else title)
    subject = _subject(shown)
    values = [texts for texts in nodes if any(text.startswith("data ") for text in texts)]
    if values:
        ops = [texts[0] for texts in nodes if texts not in values and texts]
        listed = "; ".join(f"{texts[0]}: {', '.join(texts[1:])}" for texts in values)
        return f"{subject}: {len(values)} Values made by {len(ops)} ops ({', '.join(ops)}). {listed}."
    names = ", ".join(" ".join(texts) for texts in nodes)
    return f"{subject}: {len(nodes)} nodes ({names}) and {len(edges)} edges: {'; '.join(edges)}."


def _subject(shown):
    """`The graph of o, drawn by draw_dot` for `draw_dot(o, ...)`; `The drawing shown by sheet` otherwise."""
    try:
        call = ast.parse(shown, mode="eval").body
    except SyntaxError:
        call = None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "draw_dot" and call.args:
        return f"The graph of {ast.unparse(call.args[0])}, drawn by draw_dot"
    return f"The drawing shown by {shown}" if shown else "A drawing"


def _blanks_said(text):
    """A worksheet's blank `________` as the word "blank", which a screen reader can say."""
    return re.sub(r"_{3,}", "blank", text).strip()


def _drawing_html(svg_text, shown):
    """The drawing as an inline <svg role="img"> named by `drawing_description`, in a box that
    scrolls (lesson.js) when the drawing, shown with its text at least `SMALLEST_TEXT_PX`, is wider."""
    soup = BeautifulSoup(svg_text[svg_text.index("<svg") :], "html.parser")  # without its <?xml?> and DOCTYPE
    svg = soup.find("svg")
    width = _px(svg.get("width"))
    font = max((float(text.get("font-size", 14)) for text in svg.find_all("text")), default=14) * POINTS_TO_PX
    for element in soup.find_all(id=True):  # Graphviz's ids (graph0, node1) repeat in every drawing
        del element["id"]
    for name in ("width", "height"):
        del svg[name]
    svg["role"] = "img"
    svg["aria-label"] = drawing_description(svg_text, shown)
    svg["class"] = "drawing"
    readable = width * min(1, SMALLEST_TEXT_PX / font)
    svg["style"] = f"width: 100%; max-width: {width:.0f}px; min-width: {readable:.0f}px"
    label = _subject(shown)
    return f'<div class="scrolls drawing-box" data-label="{html.escape(label[0].lower() + label[1:])}">{svg}</div>'


def _px(length):
    """A Graphviz length, "461pt", in CSS pixels."""
    number = float(re.match(r"[\d.]+", length).group())
    return number * POINTS_TO_PX if length.endswith("pt") else number


# --- the exported HTML ---------------------------------------------------------


def lab_links(name):
    """The links from the lesson page of the notebook `name` to that notebook in the lab, and to
    the page that resets it there (the name as a URL's query: `quote` keeps it one value)."""
    value = quote(name, safe="")
    return (
        '<p class="lab-links">'
        f'<a href="{html.escape(LAB_LESSON.format(name=value))}">Open this lesson in Jupyter, in your browser</a>'
        f' <span aria-hidden="true">·</span> <a href="{html.escape(LAB_RESET.format(name=value))}">Reset this lesson in the lab</a>'
        "</p>"
    )


def with_lab_links(body, name):
    """A lesson's HTML (`lesson_body`) with `lab_links` under its first heading (else first)."""
    soup = BeautifulSoup(body, "html.parser")
    links = BeautifulSoup(lab_links(name), "html.parser")
    heading = soup.find("h1")
    if heading is None:
        soup.insert(0, links)
    else:
        (heading.find_parent(class_="heading") or heading).insert_after(links)
    return str(soup)


def _for_the_page(body, name):
    """nbconvert's HTML made for the page: "¶" links beside their headings, wide tables in boxes that scroll,
    every image with its alt text (else a ValueError naming the lesson and the image)."""
    soup = BeautifulSoup(body, "html.parser")
    for link in soup.select("a.anchor-link"):  # moved after its heading, so the heading's name is its own words
        heading = link.parent
        link.extract()
        link["aria-label"] = f"link to this section: {heading.get_text(' ', strip=True)}"
        heading.wrap(soup.new_tag("div", attrs={"class": "heading"})).append(link)
    for table in soup.find_all("table"):  # an output's tables scroll with their output, a markdown table alone
        holder = table.find_parent(class_="output_subarea") or table.wrap(soup.new_tag("div"))
        if "scrolls" not in holder.get("class", []):
            holder["class"] = holder.get("class", []) + ["scrolls"]
            holder["data-label"] = _table_label(holder)
    _told_apart(soup.select(".scrolls[data-label]"))
    for image in soup.find_all("img"):
        if image.get("alt", NBCONVERT_NO_ALT) == NBCONVERT_NO_ALT:
            raise ValueError(f"{name}: an image has no alt text (what does it show?): {str(image)[:120]}")
    return str(soup)


def _told_apart(boxes):
    """Number the boxes whose labels repeat ("the table of node, op, … (2)"): each region's name is its own."""
    seen = {}
    for box in boxes:
        label = box["data-label"]
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            box["data-label"] = f"{label} ({seen[label]})"


def _table_label(holder):
    """`the table "Forward primal trace"`, or for a table without a caption its column heads."""
    captions = [caption.get_text(" ", strip=True) for caption in holder.find_all("caption")]
    if captions:
        return "the table " + " and ".join(f"“{caption}”" for caption in captions)
    heads = [head.get_text(" ", strip=True) for head in holder.find("table").find_all("th")]
    return "the table of " + ", ".join(heads[:4]) + (", …" if len(heads) > 4 else "")


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


# --- the code's colours ---------------------------------------------------------


def highlight_css():
    """Pygments' default colours for `.highlight`, each darkened where needed to keep `READABLE`
    contrast on `CODE_BACKGROUND` (its #AA22FF for `in`, `and`, `not` is 4.0:1)."""
    css = HtmlFormatter().get_style_defs(".highlight")
    css = re.sub(r"(?<![-\w])color: (#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b)", lambda m: f"color: {readable_color(m.group(1))}", css)
    return f".highlight, .lesson pre {{ background: {CODE_BACKGROUND}; }}\n{css}\n"


def readable_color(color, background=CODE_BACKGROUND):
    """`color` ("#aa22ff" or "#a2f"), darkened in steps until its contrast on `background` is at least `READABLE`."""
    if len(color) == 4:
        color = "#" + "".join(digit * 2 for digit in color[1:])
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    while contrast(rgb, background) < READABLE:
        rgb = [int(channel * 0.95) for channel in rgb]
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def contrast(rgb, background):
    """WCAG 2's contrast ratio of the colour `rgb` (three 0-255 numbers) on `background` ("#f7f7f7")."""

    def luminance(channels):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    back = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    light, dark = sorted((luminance(rgb), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
