"""The neighbourhood of one Value: the part of a large graph worth drawing around it.

    neighbourhood(o, n, depth=2)        # the Values within 2 edges of n, n included
    near = drawing_near(o, n)           # near.drawing: draw_dot of just those, n highlighted
    near.drawn, near.values             # 23 Values drawn of the graph's 986
    near.part                           # {"shown": 23, "total": 986, "whole": False}, for the page

A graph of a few hundred Values cannot be read whole on a screen (the
2-16-16-1 network's graph of one point's loss has 986).  The site draws
such a graph near the node a step works on, and says how many Values are
left out; `draw_dot(..., only=...)` marks each cut with a dashed box.

An edge joins a Value to each of its inputs (children); the distance
between two Values is the fewest edges between them, either way along
an edge: a Value's inputs and its users are both one edge away.
"""

from collections import namedtuple

from autograd.engine.walks import forward_order

from .draw import COMPACT_LAYOUT, draw_dot

DEPTH = 2
"""Edges from the chosen Value that a neighbourhood reaches by default."""

WHOLE_UP_TO = 300
"""A graph of at most this many Values is drawn whole; a larger one near a Value (`drawing_near`)."""

class Near(namedtuple("Near", "drawing drawn values")):
    """A drawing of a graph or of part of it: `drawing` (a draw_dot), the number of Values `drawn`,
    and the number of `values` in the whole graph."""

    @property
    def part(self):
        """What the page's GraphView is told (`show(svg, {part})`): None for a graph small enough
        to be drawn whole, else {"shown": drawn, "total": values, "whole": all drawn?}."""
        if self.values <= WHOLE_UP_TO:
            return None
        return {"shown": self.drawn, "total": self.values, "whole": self.drawn == self.values}


def neighbourhood(root, node, depth=DEPTH):
    """The set of Values of `root`'s graph within `depth` edges of `node` (`node` itself at 0).

    A breadth-first walk over the graph's edges both ways (inputs and users),
    a loop, stopped after `depth` rings.
    """
    if depth < 0 or depth != int(depth):
        raise ValueError(f"depth must be a whole number of edges, 0 or more, got {depth!r}")
    order = forward_order(root)
    neighbours = {}
    for user in order:
        for child in user.children:
            neighbours.setdefault(user, set()).add(child)
            neighbours.setdefault(child, set()).add(user)
    if node is not root and node not in neighbours:
        raise ValueError(f"{node!r} is not in the graph of {root!r}")
    reached, ring = {node}, [node]
    for _ in range(int(depth)):
        ring = {other for near in ring for other in neighbours.get(near, ()) if other not in reached}
        reached |= ring
    return reached


def drawing_near(root, node=None, depth=DEPTH, whole=None, **draw_options):
    """A `Near`: `root`'s graph drawn whole, or only the Values within `depth` edges of `node`.

    `node` (a step's node) is highlighted; None (before step 1, when done)
    highlights nothing and draws near `root`.  `whole=None` draws the whole
    graph when it has at most `WHOLE_UP_TO` Values, else the neighbourhood;
    True or False choose.  The layout is the stepping view's (`COMPACT_LAYOUT`).
    `draw_options` go to `draw_dot` (max_nodes, field_text, rankdir).
    """
    values = len(forward_order(root))
    if whole is None:
        whole = values <= WHOLE_UP_TO
    only = None if whole else neighbourhood(root, root if node is None else node, depth)
    drawing = draw_dot(root, highlight=node, only=only, **draw_options)
    drawing.graph_attr.update(COMPACT_LAYOUT)
    return Near(drawing, values if only is None else len(only), values)
