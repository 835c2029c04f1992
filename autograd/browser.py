"""Drawing inside a web page: under Pyodide the page's Graphviz makes the SVG.

Pyodide (CPython compiled to WebAssembly) cannot start programs, so
graphviz's call to `dot` fails there with `OSError: [Errno 138]`.  A page
that runs stepgrad defines a JavaScript function

    globalThis.stepgradDotToSvg = (dot) => graphviz.dot(dot);   // DOT text -> SVG text

(with Graphviz compiled to WebAssembly), and `draw_dot(...).pipe("svg")`
hands the DOT source to it instead of running `dot`.
"""

import sys

DOT_TO_SVG = "stepgradDotToSvg"
"""The name of the page's JavaScript function that turns DOT text into SVG text."""

NO_PAGE_GRAPHVIZ = (
    f"stepgrad runs in a web page (Pyodide), where the `dot` program cannot run, and the page "
    f"defines no `globalThis.{DOT_TO_SVG}(dot)` to turn DOT into SVG; define it with Graphviz "
    f"compiled to WebAssembly (npm @hpcc-js/wasm-graphviz) before drawing (the DOT text is in `.source`)"
)


def in_browser():
    """Whether this Python runs in a web page under Pyodide."""
    return sys.platform == "emscripten"


def page_svg(source):
    """SVG text for DOT `source` from the page's `stepgradDotToSvg`, or None when the page has none."""
    import js  # Pyodide's view of the page's global scope

    dot_to_svg = getattr(js, DOT_TO_SVG, None)
    if dot_to_svg is None:
        return None
    return str(dot_to_svg(source))
