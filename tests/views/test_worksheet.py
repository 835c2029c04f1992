"""worksheet: numbered blanks that hide their numbers, the answer key, and formulas read from text."""

import html
import re
from collections import Counter
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings

from autograd import Value, draw_dot
from autograd.engine.floats import number
from autograd.engine.walks import forward_order
from autograd.gradcheck import grads_put_back
from autograd.views.names import node_names
from autograd.views.expression import MAX_DEPTH, ExpressionError, build_expression, parse_values
from autograd.views.worksheet import worksheet
from tests.helpers.random_programs import points, programs, run

NUMBER = re.compile(r"-?\d+\.\d{4}")
NEURON = "o = tanh(x1*w1 + x2*w2 + b)"
NEURON_VALUES = "x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432"


def svg_texts(svg):
    """The text a reader sees in an SVG: every <text> element's content."""
    return [element.text or "" for element in ElementTree.fromstring(svg.encode()).iter() if element.tag.endswith("text")]


def drawn_numbers(texts):
    """Every number written to 4 places in `texts`, counted."""
    return Counter(match for text in texts for match in NUMBER.findall(text))


def shown_numbers(root, sheet):
    """The numbers the sheet should show, counted: every field that is not a blank, after one pass from zero."""
    names = node_names(root)
    blanks = {(blank.name, blank.field) for blank in sheet.blanks}
    with grads_put_back(root):
        root.zero_grad()
        root.backward()
        return Counter(
            number(getattr(node, field)) for node in forward_order(root) for field in ("data", "grad")
            if (names[node], field) not in blanks
        )


@pytest.mark.parametrize("hide", [("grad",), ("data",), ("data", "grad")])
def test_the_sheet_svg_shows_no_hidden_number_and_the_key_shows_every_one(tanh_neuron, hide):
    o = tanh_neuron["o"]
    sheet = worksheet(o, hide=hide)
    raw = sheet.pipe(format="svg", encoding="utf-8")
    texts, svg = svg_texts(raw), html.unescape(raw)  # Graphviz writes - as &#45;
    shown = shown_numbers(o, sheet)
    assert drawn_numbers(texts) == shown  # nothing drawn but the given fields
    hidden = {number(blank.value) for blank in sheet.blanks}
    assert hidden - set(shown)  # some hidden numbers are given nowhere else: the check below has work to do
    for value in hidden - set(shown):  # a hidden number that is not also given elsewhere (0.0000, 1.0000)
        assert value not in svg
    key_texts = svg_texts(sheet.answer_key().drawing.pipe(format="svg", encoding="utf-8"))
    for blank in sheet.blanks:
        assert any(f"{blank.field} ({blank.number}) {number(blank.value)}" in text for text in key_texts)
    blank_texts = [text.strip() for text in texts if "(" in text]  # a record's field is one <text> in the SVG
    assert blank_texts == [f"{blank.field} ({blank.number}) ________" for blank in sheet.blanks]


def test_grads_are_blank_except_the_roots_seed_and_data_only_below_the_inputs(tanh_neuron):
    o = tanh_neuron["o"]
    grads = worksheet(o).blanks
    assert [blank.name for blank in grads] == ["x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "n"]
    assert {blank.field for blank in grads} == {"grad"} and "o" not in [blank.name for blank in grads]
    data = worksheet(o, hide="data").blanks
    assert [blank.name for blank in data] == ["x1*w1", "x2*w2", "x1*w1 + x2*w2", "n", "o"]
    both = worksheet(o, hide=("data", "grad")).blanks
    assert [blank.number for blank in both] == list(range(1, 15))
    assert [(b.name, b.field) for b in both[:4]] == [("x1", "grad"), ("w1", "grad"), ("x1*w1", "data"), ("x1*w1", "grad")]


def test_the_answers_are_one_pass_from_zero_and_the_users_grads_are_put_back(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    o.backward()  # leaves accumulate: x1.grad is -3.0 now
    before = [node.grad for node in forward_order(o)]
    key = {(blank.name, blank.field): blank.value for blank in worksheet(o).blanks}
    assert key["x1", "grad"] == pytest.approx(-1.5) and key["w1", "grad"] == pytest.approx(1.0)
    assert key["b", "grad"] == pytest.approx(0.5)
    assert [node.grad for node in forward_order(o)] == before


def test_the_answer_key_is_a_table_in_text_and_html_with_names_escaped():
    x = Value(3.0, label="<x>")
    sheet = worksheet(x * x)
    key = sheet.answer_key()
    assert str(key).splitlines() == [
        "blank  node             field       answer",
        "  (1)  <x>              grad        6.0000",
    ]
    assert "<td>&lt;x&gt;</td><td>grad</td><td>6.0000</td>" in key.html() and "<x>" not in key.html()
    assert key._repr_html_() == key.html()


def test_the_same_program_draws_the_same_sheet_and_the_key_has_its_layout(tanh_neuron):
    o = tanh_neuron["o"]
    first, second = worksheet(o, hide=("data", "grad")), worksheet(o, hide=("data", "grad"))
    assert first.source == second.source
    key = first.answer_key().drawing.source
    assert re.sub(r"\((\d+)\) [-\d.]+", r"(\1) ________", key) == first.source  # only the blanks differ
    assert draw_dot(o).source != first.source


def test_the_sheet_renders_as_draw_dots_drawing_does(tanh_neuron, tmp_path):
    sheet = worksheet(tanh_neuron["o"])
    bundle = sheet._repr_mimebundle_()
    assert "(1) ________" in bundle["image/svg+xml"]
    written = sheet.render(tmp_path / "sheet", format="svg")
    assert "(9) ________" in open(written, encoding="utf-8").read()


@given(programs(), points)
@settings(max_examples=40, deadline=None)
def test_on_random_programs_only_given_numbers_are_drawn(program, point):
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    root = run(program, inputs)
    sheet = worksheet(root, hide=("data", "grad"))
    drawn = drawn_numbers(line.split("label=", 1)[1] for line in sheet.drawing.body if "shape=record" in line)
    assert drawn == shown_numbers(root, sheet)


@pytest.mark.parametrize("hide", ["size", (), ("grad", "label")])
def test_hide_takes_grad_data_or_both(tanh_neuron, hide):
    with pytest.raises(ValueError, match='hide takes "grad", "data" or both'):
        worksheet(tanh_neuron["o"], hide=hide)


def test_a_worksheet_needs_a_value():
    with pytest.raises(TypeError, match="worksheet needs a Value to draw, got float"):
        worksheet(1.5)


# --- formulas read from text ---------------------------------------------------------


def test_the_neurons_formula_builds_the_neuron_with_names_from_its_text(tanh_neuron):
    o = build_expression(NEURON, parse_values(NEURON_VALUES))
    assert o.label == "o" and o.data == pytest.approx(tanh_neuron["o"].data)
    labels = [node.label for node in forward_order(o)]
    assert labels == ["x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "x1*w1 + x2*w2 + b", "o"]
    key = {(b.name, b.field): b.value for b in worksheet(o).blanks}
    assert key["x1", "grad"] == pytest.approx(-1.5)


def test_a_name_used_twice_is_one_leaf_and_every_op_is_accepted():
    formula = "x*x - x/2 + x**2 + -x + tanh(exp(log(sqrt(abs(sin(cos(sigmoid(relu(x))))))))) + 2**x"
    y = build_expression("y = " + formula, {"x": 3.0})
    leaves = [node for node in forward_order(y) if not node.children and node.label == "x"]
    assert len(leaves) == 1
    x = Value(3.0)
    by_hand = x*x - x/2 + x**2 + -x + abs(x.relu().sigmoid().cos().sin()).sqrt().log().exp().tanh() + 2**x
    y.backward()
    by_hand.backward()
    assert (y.data, leaves[0].grad) == (by_hand.data, x.grad)


@pytest.mark.parametrize(
    "text, values, message",
    [
        ("__import__('os').system('touch hacked')", "x=1", "is not an op here"),
        ("x.tanh()", "x=1", "'x.tanh' is not an op here"),
        ("foo(x)", "x=1", "'foo' is not an op here: the ops are tanh, exp, log"),
        ("tanh(x, x)", "x=1", "tanh takes one argument"),
        ("x[0]", "x=1", "'x[0]' is not allowed: use names, numbers, + - * / **"),
        ("'text'", "x=1", "is not allowed"),
        ("True * x", "x=1", "'True' is not allowed"),
        ("lambda: x", "x=1", "is not allowed"),
        ("x +", "x=1", "cannot read the formula 'x +'"),
        ("o = x; y = x", "x=1", "expected one formula"),
        ("o.a = x", "x=1", "expected a formula, optionally after one name and ="),
        ("x + z", "x=1", "z has no value: give it one in --values, such as z=1"),
        ("x", "x=1,y=2", "--values gives y, which the formula does not use"),
        ("2 + 3", "", "has no names"),
        ("log(x)", "x=-1", "cannot compute 'log(x)': log is only defined for positive numbers"),
        ("x / y", "x=1,y=0", "cannot compute 'x / y': division by zero"),
        ("x * 2**10000", "x=1", "cannot compute '2**10000': the result is too large for a float"),
        ("x + 1e400", "x=1", "needs a finite number, got '1e400'"),
        ("-" * (MAX_DEPTH + 5) + "x", "x=1", f"nested more than {MAX_DEPTH} deep"),
        ("x" + "+x" * 300, "x=1", "more than 500"),
        ("x", "x=abc", "--values: x needs a number, got 'abc'"),
        ("x", "x=inf", "--values: x needs a finite number"),
        ("x", "x", "--values: expected name=number pairs"),
        ("x", "x=1,x=2", "--values: x is given twice"),
        ("x", "1x=2", "--values: expected name=number pairs"),
    ],
)
def test_a_bad_formula_or_value_is_one_line_naming_the_problem(text, values, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExpressionError) as error:
        build_expression(text, parse_values(values) if values else {})
    assert message in str(error.value) and "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == []  # nothing ran
