"""Graphviz (WebAssembly) loaded by stepgrad itself, in a Pyodide that no page gave one.

A web page that runs stepgrad defines `globalThis.stepgradDotToSvg` (draw.py,
"inside a web page").  A Jupyter kernel in the browser (JupyterLite's Pyodide
kernel) runs in a worker that stepgrad does not write, so nobody defines it
there; this module loads Graphviz into that worker instead.

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

Loading takes a moment: a fetch and a WebAssembly compile.  draw.py starts it
when `autograd` is imported in a kernel, so it is done by the time a drawing
is shown, or a button ("Next step") is clicked.  A cell shown before that
waits for it where Pyodide can block on a Promise (`pyodide.ffi.can_run_sync()`:
JavaScript Promise Integration, as in Chromium); where it cannot, as in a
widget's callback, the drawing says in one line that Graphviz is loading
(and a drawing a cell showed is replaced by the picture once it has loaded: draw.py).

Only draw.py imports this module, and only under Pyodide (sys.platform
"emscripten"): `js` and `pyodide` are imported only when a function is called.
"""

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
