"""Drawing under Pyodide (a web page), where the `dot` program cannot run.

`import autograd` calls `prepare_for_page()` when sys.platform is "emscripten"
(autograd/__init__.py); nothing else imports this module, and outside Pyodide
it is never imported.  It sets draw.py's `page_svg`, so a `draw_dot` drawing
gets its SVG from Graphviz compiled to WebAssembly, and shows every graphviz
object (Digraph, Graph, Source) in Jupyter through it.

Which Graphviz:
- a web page that runs stepgrad (the site's worker) defines
      globalThis.stepgradDotToSvg = (dot) => graphviz.dot(dot);   // DOT text -> SVG text
  and that is used;
- a Jupyter kernel in the browser (JupyterLite's Pyodide kernel) runs in a
  worker that stepgrad does not write, so nobody defines it there; stepgrad
  loads Graphviz into that worker itself (the second half of this file).

CONTRACT with the site's build (web/build.py): the ES module of npm's
@hpcc-js/wasm-graphviz (its dist/index.js, with the WebAssembly inside) is
served at

    new URL("../vendor/graphviz.js", indexURL)

where indexURL is the folder Pyodide was loaded from.  The kernel runs the
site's pyodide/, so that is the site's vendor/graphviz.js.

    start_loading()      begin importing the module, once, without waiting
    loaded_graphviz()    the module's Graphviz once loaded (`.dot(source)` gives SVG text),
                         waiting for it when Pyodide can; None while it loads
    when_loaded(call)    call `call()` once the load is over (a drawing shown meanwhile is redrawn)

Loading takes a moment: a fetch and a WebAssembly compile.  It starts when
`autograd` is imported in a kernel, so it is done by the time a drawing is
shown, or a button ("Next step") is clicked.  A cell shown before that waits
for it where Pyodide can block on a Promise (`pyodide.ffi.can_run_sync()`:
JavaScript Promise Integration, as in Chromium); where it cannot, as in a
widget's callback, the drawing says in one line that Graphviz is loading
(and a drawing a cell showed is replaced by the picture once it has loaded).
`js` and `pyodide` are imported only when a function is called.
"""

import sys

from . import draw
from .draw import GraphvizNotInstalled

# --- which Graphviz, and showing through it --------------------------------------

DOT_TO_SVG = "stepgradDotToSvg"
"""The name of the page's JavaScript function that turns DOT text into SVG text."""

NO_PAGE_GRAPHVIZ = (
    f"stepgrad runs in a web page (Pyodide), where the `dot` program cannot run, and the page "
    f"defines no `globalThis.{DOT_TO_SVG}(dot)` to turn DOT into SVG; define it with Graphviz "
    f"compiled to WebAssembly (npm @hpcc-js/wasm-graphviz) before drawing (the DOT text is in `.source`)"
)

GRAPHVIZ_LOADING = (
    "Graphviz, which draws the picture in this browser, is still loading: "
    "run the cell again (or click again) in a moment to see it (the DOT text is in `.source`)"
)


class GraphvizLoading(GraphvizNotInstalled):
    """Under Pyodide, Graphviz is still loading and this Python cannot wait for it here; the next try draws."""

    def __init__(self, message=GRAPHVIZ_LOADING):
        super().__init__(message)


def page_svg(source):
    """SVG text for DOT `source`: from the page's `stepgradDotToSvg`, else from the Graphviz
    stepgrad loads itself (below).  Raises `GraphvizLoading` while that still loads,
    `GraphvizNotInstalled` if it cannot be loaded."""
    import js  # noqa: F401  Pyodide's view of the page's global scope

    dot_to_svg = getattr(js, DOT_TO_SVG, None)
    if dot_to_svg is not None:
        return str(dot_to_svg(source))
    try:
        loaded = loaded_graphviz()
    except LoadFailed as error:
        raise GraphvizNotInstalled(f"{NO_PAGE_GRAPHVIZ}; nor could stepgrad load it from {error}") from None
    if loaded is None:
        raise GraphvizLoading()
    return str(loaded.dot(source))


def _shown_in_page(self, include=None, exclude=None, **_):
    """graphviz's Jupyter display under Pyodide: SVG from `page_svg`, or the one line saying why not."""
    include = set(include) if include is not None else {"image/svg+xml"}
    if "image/svg+xml" not in include - set(exclude or ()):
        return {}
    try:
        return {"image/svg+xml": page_svg(self.source)}
    except GraphvizNotInstalled as error:
        return {"text/plain": str(error)}


def _displayed_in_page(self):
    """IPython's display of a graphviz object under Pyodide: `_shown_in_page`'s bundle, and where
    that says Graphviz is still loading, the line is replaced by the picture once it has loaded
    (a browser without JSPI cannot wait in the cell, but the load ends a moment later)."""
    from IPython.display import display

    bundle = self._repr_mimebundle_()
    if bundle.get("text/plain") != GRAPHVIZ_LOADING:
        display(bundle, raw=True)
        return
    shown = display(bundle, raw=True, display_id=True)
    when_loaded(lambda: shown.update(self._repr_mimebundle_(), raw=True))


def show_graphviz_in_page():
    """Under Pyodide, show every graphviz object (Digraph, Graph, Source; a `GraphDrawing`) in
    Jupyter through `page_svg`, since its own display would run `dot`."""
    import graphviz.jupyter_integration

    graphviz.jupyter_integration.JupyterIntegration._repr_mimebundle_ = _shown_in_page
    graphviz.jupyter_integration.JupyterIntegration._ipython_display_ = _displayed_in_page


def in_a_kernel():
    """Whether an IPython shell runs this Python (a Jupyter kernel); IPython is not imported to tell."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def prepare_for_page():
    """At `import autograd` under Pyodide: draw.py's drawings get their SVG from `page_svg`,
    graphviz's display is made to draw (`show_graphviz_in_page`), and in a Jupyter kernel
    without the page's function, Graphviz starts loading, to be ready when drawn.

    The site's worker imports stepgrad before it defines `stepgradDotToSvg`, and keeps a snapshot
    of Python's memory then, which must hold no JavaScript object: it runs no IPython, so no loading starts.
    """
    draw.page_svg = page_svg
    show_graphviz_in_page()
    try:
        import js
    except ImportError:  # a WebAssembly Python other than Pyodide: drawing says why, when asked
        return
    if getattr(js, DOT_TO_SVG, None) is None and in_a_kernel():
        start_loading()


# --- Graphviz loaded by stepgrad itself (a kernel with no page function) -------------

MODULE = "../vendor/graphviz.js"
"""Where the Graphviz module is, relative to Pyodide's indexURL (the CONTRACT above)."""

LOAD = """
(url) => {
  const loading = { url, state: "loading", graphviz: null, error: "" };
  loading.done = import(url)
    .then((module) => module.Graphviz.load())
    .then((graphviz) => Object.assign(loading, { state: "loaded", graphviz }),
          (error) => Object.assign(loading, { state: "failed", error: String(error?.message ?? error).split("\\n")[0] }));
  return loading;
}
"""
"""JavaScript: start importing the module at `url`.  The object it returns has `state` "loading",
then "loaded" with its `graphviz`, or "failed" with the `error`'s first line, once `done` resolves
(`done` never rejects, so nothing is left unhandled)."""

_loading = None
"""The JavaScript object of LOAD, once started; a `LoadFailed` if it could not even start."""


class LoadFailed(Exception):
    """Graphviz could not be loaded here; the message says from where and why, in one line."""


def module_url():
    """The URL of the Graphviz module: MODULE resolved against Pyodide's indexURL.

    In Node.js, indexURL is a file path, which is read as a file: URL.
    """
    import pyodide_js
    from js import URL

    index = str(pyodide_js._api.config.indexURL)
    if "://" not in index:
        index = "file://" + index
    return str(URL.new(MODULE, index).href)


def start_loading(url=None):
    """Begin importing the Graphviz module from `url` (default `module_url()`), unless already begun.

    Returns at once.  A failure to start is kept and raised by `loaded_graphviz`.
    """
    global _loading
    if _loading is not None:
        return
    try:
        from pyodide.code import run_js

        url = url or module_url()
        _loading = run_js(LOAD)(url)
    except Exception as error:  # no Pyodide to load with (another WebAssembly Python), a bad indexURL
        _loading = LoadFailed(f"{url or MODULE}: {type(error).__name__}: {_first_line(error)}")


def loaded_graphviz(wait=True):
    """The loaded module's Graphviz object, or None while it is still loading.

    Starts loading if not yet begun.  With `wait`, blocks until the load is
    done when Pyodide can (`can_run_sync()`).  Raises `LoadFailed` if the
    module could not be loaded.
    """
    start_loading()
    if isinstance(_loading, LoadFailed):
        raise _loading
    if _loading.state == "loading" and wait:
        from pyodide.ffi import can_run_sync, run_sync

        if can_run_sync():
            try:
                run_sync(_loading.done)
            except Exception:  # could not block after all: still loading, as without JSPI
                pass
    if _loading.state == "failed":
        raise LoadFailed(f"{_loading.url}: {_loading.error}")
    return _loading.graphviz if _loading.state == "loaded" else None


def when_loaded(call):
    """Call `call()` (no arguments) once the load begun is over, loaded or failed, from JavaScript's
    event loop: after the cell that asked has finished.  What it raises is dropped."""

    def over(*_):
        try:
            call()
        except Exception:
            pass

    from pyodide.ffi import create_once_callable

    start_loading()
    if isinstance(_loading, LoadFailed) or _loading.state != "loading":
        over()
    else:
        _loading.done.then(create_once_callable(over))


def _first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""
