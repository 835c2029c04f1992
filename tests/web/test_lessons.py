"""web/lessons.py: a notebook made a lesson page.  No prompt numbers, "¶" links
beside their headings, the live stepper in place of each step_through
output (and the program it runs builds the same graph), every figure
described, wide boxes marked, and code colours readable on their grey."""

import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from autograd import Value, backward_steps, draw_dot
from autograd.views.web import run_program

ROOT = Path(__file__).resolve().parents[2]
# web/ is not a package: lessons.py is imported as build.py imports it, from its folder, which is
# then taken off the path again (its build.py would hide PyPA's `build`, which tests/docs uses).
sys.path.insert(0, str(ROOT / "web"))
try:
    import lessons
finally:
    sys.path.remove(str(ROOT / "web"))


def neuron_source():
    return (
        'x = Value(2.0, label="x")\n'
        'w = Value(-3.0, label="w")\n'
        'n = x * w; n.label = "n"\n'
        'o = n.tanh(); o.label = "o"\n'
    )


def code(source, outputs=(), count=None):
    cell = nbformat.v4.new_code_cell(source, outputs=list(outputs))
    cell.execution_count = count
    return cell


def svg_output(svg):
    return nbformat.v4.new_output("execute_result", data={"image/svg+xml": svg, "text/plain": "<graphviz>"}, execution_count=3)


@pytest.fixture
def executed_notebook():
    """A small notebook as `lessons.executed` leaves it: outputs and execution counts."""
    namespace = {"Value": Value}
    exec(neuron_source(), namespace)
    svg = draw_dot(namespace["o"]).pipe(format="svg").decode()
    table = "<table><thead><tr><th>node</th><th>grad</th></tr></thead><tbody><tr><td>o</td><td>1</td></tr></tbody></table>"
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# The neuron\n\nSome $x$ text.\n\n## Build it"),
            code("%matplotlib inline\nfrom autograd import Value, draw_dot, step_through", count=2),
            code(neuron_source(), [nbformat.v4.new_output("stream", name="stdout", text="built\n")], count=3),
            code('draw_dot(o, rankdir="TB")', [svg_output(svg)], count=4),
            code("from autograd import grad_table\ngrad_table(o)", [nbformat.v4.new_output("execute_result", data={"text/html": table}, execution_count=5)], count=5),
            code('step_through(o, rankdir="TB")', [
                nbformat.v4.new_output("display_data", data={"text/html": '<div class="stepgrad-view">step 1 of 2 ... run the cell again</div>'})
            ], count=6),
        ]
    )


def soup_of(notebook):
    return BeautifulSoup(lessons.lesson_body(notebook), "html.parser")


def test_no_prompt_numbers(executed_notebook):
    body = lessons.lesson_body(executed_notebook)
    assert "In&nbsp;[" not in body and "Out[" not in body
    assert not BeautifulSoup(body, "html.parser").select(".prompt")


def test_each_pilcrow_sits_beside_its_heading_with_a_name(executed_notebook):
    soup = soup_of(executed_notebook)
    links = soup.select("a.anchor-link")
    assert len(links) == 2
    for link in links:
        heading = link.find_previous_sibling(re.compile("^h[1-6]$"))
        assert link.parent["class"] == ["heading"] and heading is not None
        assert "¶" not in heading.get_text()  # the heading's own words are its name
        assert link["aria-label"] == f"link to this section: {heading.get_text()}"
        assert link["href"] == f"#{heading['id']}"


def test_a_stepping_cell_gets_the_live_stepper_instead_of_its_frozen_output(executed_notebook):
    soup = soup_of(executed_notebook)
    assert not soup.select(".stepgrad-view") and "run the cell again\n" not in soup.get_text()
    (place,) = soup.select(".live-stepper")
    assert place["data-graph"] == "o"
    assert "Next step" in place.get_text() and "Back" in place.get_text() and "Restart" in place.get_text()
    program = place["data-program"]
    assert "%matplotlib" not in program and program.rstrip().endswith("out = o")
    assert run_program(program).label == "o"


def test_a_graph_drawing_is_inline_and_says_which_graph_and_its_nodes(executed_notebook):
    soup = soup_of(executed_notebook)
    assert not soup.find("img")
    (svg,) = soup.select("svg.drawing")
    assert svg["role"] == "img"
    label = svg["aria-label"]
    assert label.startswith("The graph of o, drawn by draw_dot: 4 Values made by 2 ops (*, tanh).")
    assert "x: data 2.0000, grad 0.0000" in label and "o: data " in label
    assert not svg.find_all(id=True)  # Graphviz's ids would repeat from drawing to drawing
    assert svg.find_parent(class_="scrolls")["data-label"] == "the graph of o, drawn by draw_dot"


def test_text_smaller_than_the_floor_makes_a_drawing_scroll_instead(executed_notebook):
    svg = soup_of(executed_notebook).select_one("svg.drawing")
    widths = dict(re.findall(r"([-\w]+): (\d+)px", svg["style"]))
    natural, smallest = int(widths["max-width"]), int(widths["min-width"])
    assert smallest == round(natural * lessons.SMALLEST_TEXT_PX / (14 * lessons.POINTS_TO_PX))


def test_a_table_scrolls_in_a_box_named_by_its_columns(executed_notebook):
    (box,) = soup_of(executed_notebook).select(".output_subarea.scrolls")
    assert box.find("table") and box["data-label"] == "the table of node, grad"


def test_a_markdown_table_scrolls_in_a_box_of_its_own(executed_notebook):
    executed_notebook.cells.append(nbformat.v4.new_markdown_cell("| op | rule |\n|---|---|\n| * | swap |"))
    (box,) = soup_of(executed_notebook).select("div.scrolls:not(.output_subarea, .drawing-box)")
    assert box.find("table") and box["data-label"] == "the table of op, rule"


def test_repeated_box_names_are_told_apart(executed_notebook):
    again = copy.deepcopy(executed_notebook.cells[3])  # the same drawing twice
    again.id = "drawn-again"
    executed_notebook.cells.append(again)
    labels = [box["data-label"] for box in soup_of(executed_notebook).select(".drawing-box")]
    assert labels == ["the graph of o, drawn by draw_dot", "the graph of o, drawn by draw_dot (2)"]


def test_an_image_without_alt_text_stops_the_build(executed_notebook):
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    executed_notebook.cells.append(code("plt.show()", [png]))
    with pytest.raises(ValueError, match="lesson 9: an image has no alt text"):
        lessons.lesson_body(executed_notebook, "lesson 9")
    png["metadata"] = {"image/png": {"alt": "A plot: “loss”."}}
    assert soup_of(executed_notebook).find("img")["alt"] == "A plot: “loss”."


def test_stepping_call_reads_the_graph_from_the_last_statement():
    assert lessons.stepping_call('z = x * 2\nstep_through(z, rankdir="TB")') == "z"
    assert lessons.stepping_call("step_through(forgot * 2)") == "forgot * 2"
    assert lessons.stepping_call("step_through(z)\nprint(1)") is None
    assert lessons.stepping_call("draw_dot(z)") is None
    assert lessons.stepping_call("%matplotlib inline") is None
    assert lessons.stepping_call("") is None


@pytest.mark.parametrize("name", sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb")))
def test_every_stepping_cell_of_the_lessons_makes_a_program_of_the_same_graph(name, monkeypatch):
    """The page runs the program in its Python: it must build the graph the notebook steps through,
    which is what step_through is given when the notebook's cells run."""
    import autograd

    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    stepped = []
    monkeypatch.setattr(autograd, "step_through", lambda graph, **options: stepped.append(graph))
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and lessons.stepping_call(cell.source):
            out = run_program(lessons.stepping_program(notebook.cells, index))
            exec("\n".join(c.source for c in notebook.cells[: index + 1] if c.cell_type == "code"), {"display": print})
            expected = stepped.pop()
            assert out is not expected
            assert (out.data, out.label, out._op, len(out.children)) == (expected.data, expected.label, expected._op, len(expected.children))


def test_lesson_01_steps_through_the_neuron_of_five_steps():
    notebook = nbformat.read(ROOT / "notebooks" / "01_tanh_neuron.ipynb", as_version=4)
    (index,) = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and lessons.stepping_call(cell.source)]
    out = run_program(lessons.stepping_program(notebook.cells, index))
    assert out.label == "o" and len(list(backward_steps(out))) == 5


def test_drawing_description_of_a_graph_that_is_not_of_values():
    import graphviz

    network = graphviz.Digraph()
    network.edge("x1", "h1", label="w1 = 1.76")
    network.edge("h1", "y")
    said = lessons.drawing_description(network.pipe(format="svg").decode(), "network")
    assert said == "The drawing shown by network: 3 nodes (x1, h1, y) and 2 edges: x1 → h1 (w1 = 1.76); h1 → y."


def test_a_worksheet_blank_is_said_as_blank():
    assert lessons._blanks_said("grad (3) ________") == "grad (3) blank"


def test_describe_figure_tells_titles_axes_keys_and_a_second_axis():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2)
    left.plot([1, 2], [3, 1], label="$\\partial L$ at $x_1$")
    left.set_yscale("log")
    left.set(title="loss", xlabel="step", ylabel="loss")
    left.legend()
    left.twinx().set_ylabel("accuracy")
    right.set_title("make_moons(100)")
    said = lessons.describe_figure(figure)
    plt.close(figure)
    assert said == (
        "2 plots side by side. Left: “loss”. Across: step. Up: loss (log scale). Key: ∂ L at x1. "
        "On the right: accuracy. Right: “make_moons(100)”."
    )


def test_every_colour_of_the_code_is_readable_on_its_grey():
    css = lessons.highlight_css()
    colours = re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]+)", css)
    assert len(colours) > 20 and f"background: {lessons.CODE_BACKGROUND}" in css
    assert all(len(colour) == 7 for colour in colours), colours  # pygments' short "#A2F" is written out too
    for colour in colours:
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        assert lessons.contrast(rgb, lessons.CODE_BACKGROUND) >= lessons.READABLE, colour


def test_readable_colour_darkens_only_what_needs_it():
    assert lessons.contrast([0, 0, 0], "#ffffff") == pytest.approx(21)
    assert lessons.contrast([0xAA, 0x22, 0xFF], "#f7f7f7") < 4.5  # pygments' colour for `in`, `and`, `not`
    darker = lessons.readable_color("#aa22ff")
    assert darker != "#aa22ff" and lessons.contrast([int(darker[i : i + 2], 16) for i in (1, 3, 5)], "#f7f7f7") >= 4.5
    assert lessons.readable_color("#000000") == "#000000"
    assert lessons.readable_color("#A2F") == darker  # the short form pygments writes


def test_the_page_links_its_styles_and_its_module():
    page = lessons._page("A <title>", "<p>body</p>", "lessons/01.html")
    assert "<title>A &lt;title&gt; · stepgrad</title>" in page
    for link in ('href="../lesson.css"', f'href="{lessons.HIGHLIGHT_CSS}"', '<script type="module" src="../lesson.js">'):
        assert link in page
    assert '<nav class="menu">' in page and "<p>body</p>" in page


@pytest.mark.slow  # a Jupyter kernel
def test_a_figure_shown_in_the_kernel_carries_its_description(tmp_path):
    pytest.importorskip("matplotlib")
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt"),
            nbformat.v4.new_code_cell('fig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_title("a line")\nplt.show()'),
        ]
    )
    path = tmp_path / "figure.ipynb"
    nbformat.write(notebook, path)
    (output,) = lessons.executed(path).cells[1].outputs
    assert output["metadata"]["image/png"]["alt"] == "A plot: “a line”."
    assert "image/png" in output["data"]
