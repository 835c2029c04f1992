"""`worksheet`: a graph to print with numbered blanks, and its answer key.

    sheet = worksheet(o)                   # grads left blank: "grad (1) ________"
    sheet.render("sheet", format="pdf")    # or inline in Jupyter, like draw_dot
    key = sheet.answer_key()               # the table (text, HTML) and key.drawing

The answers are the grads of one backward pass from zero (every grad 0.0,
then `backward()`), whatever the graph's grads were before; they are put
back afterwards.  What a student is given and what is left blank:

- a hidden "grad" is a blank at every node but the root, whose grad 1.0 is
  the seed of the pass, not something to work out;
- a hidden "data" is a blank at every node with children, never at a leaf:
  the leaves are the inputs the forward pass starts from.

Blanks are numbered 1, 2, ... in the drawing's node order (`forward_order`),
data before grad at each node, so the same program gives the same sheet.
"""

import html
from dataclasses import dataclass

from autograd.engine.floats import number
from autograd.engine.graph import Node
from autograd.engine.walks import forward_order
from autograd.gradcheck import grads_put_back

from .draw import draw_dot, shown_number
from .names import node_names

FIELDS = ("data", "grad")
BLANK_LINE = "________"
"""What a blank shows after its number: room to write a number such as -1.5000 by hand."""


@dataclass(frozen=True)
class Blank:
    """One numbered blank: the node's name, the field left blank and its answer."""

    number: int
    name: str
    field: str
    value: float


class AnswerKey:
    """A worksheet's answers: `rows` (Blanks), as text (`str`) and HTML, and `drawing`,
    the sheet with every blank filled in (same layout)."""

    def __init__(self, rows, drawing):
        self.rows = rows
        self.drawing = drawing

    def __str__(self):
        lines = [f"{'blank':>5}  {'node':<16} {'field':<5} {'answer':>12}"]
        lines += [f"{f'({row.number})':>5}  {row.name:<16} {row.field:<5} {number(row.value):>12}" for row in self.rows]
        return "\n".join(lines)

    __repr__ = __str__

    def html(self):
        """The table as an HTML <table>, names escaped."""
        head = "<tr><th>blank</th><th>node</th><th>field</th><th>answer</th></tr>"
        body = "".join(
            f"<tr><td>({row.number})</td><td>{html.escape(row.name)}</td><td>{row.field}</td>"
            f"<td>{number(row.value)}</td></tr>"
            for row in self.rows
        )
        return f'<table class="answer-key">{head}{body}</table>'

    _repr_html_ = html


class Worksheet:
    """The blank sheet: renders as `draw_dot`'s drawing does (`source`, `pipe`, `render`,
    inline in Jupyter); `blanks` lists its blanks, `answer_key()` fills them in."""

    def __init__(self, drawing, key):
        self.drawing = drawing
        self.blanks = key.rows
        self._key = key

    @property
    def source(self):
        return self.drawing.source

    def pipe(self, *args, **kwargs):
        return self.drawing.pipe(*args, **kwargs)

    def render(self, *args, **kwargs):
        return self.drawing.render(*args, **kwargs)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        return self.drawing._repr_mimebundle_(include, exclude, **kwargs)

    def answer_key(self):
        """The answers: a table of blank number, node, field and value, and the filled-in drawing."""
        return self._key


def worksheet(root, hide=("grad",), **draw_options):
    """`root`'s graph drawn with the fields in `hide` ("grad", "data" or both) as numbered
    blanks, as a `Worksheet`; `draw_options` go to `draw_dot` (rankdir, format, max_nodes).

    The user's grads are unchanged afterwards.  A backward pass that fails
    raises as `backward()` does, and no sheet is made.
    """
    if not isinstance(root, Node):
        raise TypeError(f"worksheet needs a Value to draw, got {type(root).__name__} {root!r}")
    hidden = _hidden_fields(hide)
    with grads_put_back(root):
        root.zero_grad()
        root.backward()
        order = forward_order(root)
        names = node_names(root, order)
        blanks = {}
        for node in order:
            for field in FIELDS:
                if field in hidden and _can_be_blank(node, root, field):
                    blanks[node, field] = Blank(len(blanks) + 1, names[node], field, getattr(node, field))

        sheet = draw_dot(root, field_text=_filled_in(blanks, answers=False), **draw_options)
        answers = draw_dot(root, field_text=_filled_in(blanks, answers=True), **draw_options)
    return Worksheet(sheet, AnswerKey(tuple(blanks.values()), answers))


def _filled_in(blanks, answers):
    """`draw_dot`'s `field_text`: each blank as "(1) ________", or with `answers` as "(1) -1.5000"."""

    def field_text(node, field):
        blank = blanks.get((node, field))
        if blank is None:
            return shown_number(node, field)
        return f"({blank.number}) {number(blank.value) if answers else BLANK_LINE}"

    return field_text


def _can_be_blank(node, root, field):
    """Whether `field` of `node` may be a blank: not the root's grad (the seed), not a leaf's data (an input)."""
    if field == "grad":
        return node is not root
    return bool(node.children)


def _hidden_fields(hide):
    """`hide` as a set of field names: "grad", "data", or an iterable of them (at least one)."""
    fields = {hide} if isinstance(hide, str) else set(hide)
    unknown = fields - set(FIELDS)
    if unknown or not fields:
        raise ValueError(f'hide takes "grad", "data" or both, got {hide!r}')
    return fields
