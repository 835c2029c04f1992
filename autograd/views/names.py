"""What people call the nodes of a graph, in every view: `x1`, `v3`, `(x1*w1).grad`.

The drawing, the steps and the tables all name nodes with `node_names`, so
`v3` in a picture is `v3` in the chain-rule lines too.  A name shows every
character of its label: one that would print as nothing or act on the screen
(a control character, a lone surrogate, a bidi mark) is written as its escape.
"""

import re

from autograd.engine.walks import forward_order

_BARE_NAME = re.compile(r"[\w#']+")


def node_names(root, order=None):
    """A unique name for every node below `root`, the same in every view and run: its label
    (`#2`, `#3` for a label used again), else `v1`, `v2`, ... in program order."""
    order = forward_order(root) if order is None else order
    labels = {node: visible(str(node.label)) for node in order if node.label}
    taken = set(labels.values())
    names, used, counter = {}, set(), 0
    for node in order:
        if node in labels:
            name, repeat = labels[node], 1
            while name in used:
                repeat += 1
                name = f"{labels[node]}#{repeat}"
        else:
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            name = f"v{counter}"
        used.add(name)
        names[node] = name
    return names


def visible(text):
    """`text` with each character that `str.isprintable` rejects written as `repr` writes it:
    `a\\x00b`, `\\n`, `\\u202e`.  Such text is safe in DOT, SVG, HTML and a terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def attribute(name, field):
    """`x1.grad`, or `(x1*w1).grad` when the name is not a single word."""
    return f"{name}.{field}" if _BARE_NAME.fullmatch(name) else f"({name}).{field}"
