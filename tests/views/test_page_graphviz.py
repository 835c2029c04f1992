"""Drawing in a Pyodide kernel that no page gave a Graphviz (JupyterLite), under CPython.

Pyodide's `js`, `pyodide_js`, `pyodide.code` and `pyodide.ffi` are faked: the
JavaScript that would import the Graphviz module (page_graphviz.LOAD) is
replaced by an object whose load the test finishes or fails by hand, and
`can_run_sync()` says whether a draw may wait for it (a cell under JSPI) or
not (a widget's callback).  The last test runs the real thing in Node.js.
"""

import html
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import urljoin

import graphviz
import pytest
from graphviz.jupyter_integration import JupyterIntegration

from autograd import step_through
from autograd.views import draw as draw_module
from autograd.views import page_graphviz
from autograd.views.draw import GraphvizNotInstalled, draw_dot
from autograd.views.page_graphviz import DOT_TO_SVG, GRAPHVIZ_LOADING, GraphvizLoading

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://example.org/course/"


class Promise:
    """A JavaScript Promise as Python sees it: `then(callback)`; `settle()` calls the callbacks."""

    def __init__(self):
        self.callbacks = []

    def then(self, callback):
        self.callbacks.append(callback)

    def settle(self):
        for callback in self.callbacks:
            callback(None)


class Loading:
    """What page_graphviz.LOAD's JavaScript returns: the state of one import of the module."""

    def __init__(self, url, kernel):
        self.url, self.state, self.graphviz, self.error = url, "loading", None, ""
        self.done = Promise()
        self.kernel = kernel

    def finish(self):
        self.state, self.graphviz = "loaded", types.SimpleNamespace(dot=self.kernel.dot_to_svg)
        self.done.settle()

    def fail(self, error):
        self.state, self.error = "failed", error
        self.done.settle()


class Kernel:
    """A fake Pyodide kernel's worker; `loads` lists every Loading started."""

    def __init__(self):
        self.loads, self.waits, self.drawn = [], [], []
        self.can_wait = True

    def run_js(self, code):
        assert code == page_graphviz.LOAD
        return self.start

    def start(self, url):
        self.loads.append(Loading(url, self))
        return self.loads[-1]

    def run_sync(self, promise):
        self.waits.append(promise)
        [loading] = [one for one in self.loads if one.done is promise]
        loading.finish()

    def dot_to_svg(self, source):
        self.drawn.append(source)
        return f"<svg>drawn in the kernel: {len(self.drawn)}</svg>"


@pytest.fixture
def kernel(monkeypatch, graphviz_display_put_back):
    """Python as in JupyterLite's Pyodide kernel: no page function, Pyodide's modules, no programs to run."""
    fake = Kernel()
    page = types.SimpleNamespace(URL=types.SimpleNamespace(new=lambda url, base: types.SimpleNamespace(href=urljoin(base, url))))
    config = types.SimpleNamespace(indexURL=SITE + "pyodide/")
    pyodide = types.ModuleType("pyodide")
    code = types.SimpleNamespace(run_js=fake.run_js)
    ffi = types.SimpleNamespace(can_run_sync=lambda: fake.can_wait, run_sync=fake.run_sync, create_once_callable=lambda call: call)
    monkeypatch.setattr(sys, "platform", "emscripten")
    for name, module in [("js", page), ("pyodide_js", types.SimpleNamespace(_api=types.SimpleNamespace(config=config))),
                         ("pyodide", pyodide), ("pyodide.code", code), ("pyodide.ffi", ffi)]:
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(page_graphviz, "_loading", None)
    monkeypatch.setattr(draw_module, "page_svg", page_graphviz.page_svg)  # as `import autograd` does under Pyodide

    def no_processes(*args, **kwargs):
        raise OSError(138, "emscripten does not support processes")

    monkeypatch.setattr(subprocess, "Popen", no_processes)
    fake.page, fake.config = page, config
    return fake


@pytest.fixture
def graphviz_display_put_back():
    """graphviz's display as it was, after a test made it draw as under Pyodide (prepare_for_page)."""
    shown = JupyterIntegration._repr_mimebundle_
    yield
    JupyterIntegration._repr_mimebundle_ = shown
    if "_ipython_display_" in vars(JupyterIntegration):
        del JupyterIntegration._ipython_display_


class Displayed:
    """IPython.display.display as a kernel runs it: what it showed, and each update by display id."""

    def __init__(self):
        self.shown = []  # [bundle, then each update of it]

    def display(self, bundle, raw=False, display_id=None):
        assert raw
        self.shown.append([bundle])
        return types.SimpleNamespace(update=lambda new, raw=False: self.shown[-1].append(new)) if display_id else None


def in_ipython(monkeypatch):
    """A running IPython shell, as the kernel has (only `get_ipython` is asked)."""
    shell, displayed = object(), Displayed()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setitem(sys.modules, "IPython.display", types.SimpleNamespace(display=displayed.display))
    return displayed


def test_without_a_page_function_graphviz_is_loaded_from_the_sites_vendor_folder(tanh_neuron, kernel):
    drawing = draw_dot(tanh_neuron["o"])
    assert drawing.pipe(format="svg", encoding="utf-8") == "<svg>drawn in the kernel: 1</svg>"
    [loading] = kernel.loads
    assert loading.url == SITE + "vendor/graphviz.js"  # the CONTRACT: ../vendor/graphviz.js of indexURL
    assert kernel.waits == [loading.done]  # a cell could wait (JSPI), so the first draw waited
    assert kernel.drawn == [drawing.source]
    assert drawing.pipe(format="svg") == b"<svg>drawn in the kernel: 2</svg>"
    assert drawing._repr_mimebundle_() == {"image/svg+xml": "<svg>drawn in the kernel: 3</svg>"}
    assert len(kernel.loads) == 1 and len(kernel.waits) == 1  # loaded once, waited for once


def test_in_node_the_index_path_is_read_as_a_file_url(kernel):
    kernel.config.indexURL = "/srv/site/pyodide/"
    assert page_graphviz.module_url() == "file:///srv/site/vendor/graphviz.js"


def test_importing_autograd_in_a_kernel_starts_the_load_and_a_click_draws_without_waiting(tanh_neuron, kernel, monkeypatch):
    in_ipython(monkeypatch)
    page_graphviz.prepare_for_page()  # what `import autograd` runs under Pyodide
    [loading] = kernel.loads
    kernel.can_wait = False  # a widget's callback: run_sync is not possible
    loading.finish()  # done by the time the button is clicked
    view = step_through(tanh_neuron["o"]).html(follow=True)
    assert "drawn in the kernel" in view and kernel.waits == []


def test_while_graphviz_loads_a_draw_that_cannot_wait_says_so_in_one_line(tanh_neuron, kernel, monkeypatch):
    in_ipython(monkeypatch)
    page_graphviz.prepare_for_page()
    kernel.can_wait = False
    drawing = draw_dot(tanh_neuron["o"])
    with pytest.raises(GraphvizLoading) as raised:
        drawing.pipe(format="svg")
    assert str(raised.value) == GRAPHVIZ_LOADING and "\n" not in GRAPHVIZ_LOADING
    assert isinstance(raised.value, GraphvizNotInstalled)  # caught wherever "cannot draw" is
    assert drawing._repr_mimebundle_() == {"text/plain": GRAPHVIZ_LOADING}  # shown as a line, not a traceback
    stepper = step_through(tanh_neuron["o"])
    assert html.escape(GRAPHVIZ_LOADING) in stepper.html() and "<svg" not in stepper.html()
    kernel.loads[0].finish()  # the load ends between two clicks
    assert "drawn in the kernel" in stepper.html()
    assert len(kernel.loads) == 1 and kernel.waits == []


def test_a_drawing_a_cell_shows_while_graphviz_loads_is_drawn_once_it_has_loaded(tanh_neuron, kernel, monkeypatch):
    """A browser without JSPI cannot wait in the cell: the line saying so is replaced by the picture."""
    displayed = in_ipython(monkeypatch)
    page_graphviz.prepare_for_page()
    kernel.can_wait = False
    drawing = draw_dot(tanh_neuron["o"])
    drawing._ipython_display_()  # as IPython shows a cell's result
    assert displayed.shown == [[{"text/plain": GRAPHVIZ_LOADING}]]
    kernel.loads[0].finish()  # the load ends after the cell
    assert displayed.shown == [[{"text/plain": GRAPHVIZ_LOADING}, {"image/svg+xml": "<svg>drawn in the kernel: 1</svg>"}]]
    graphviz.Digraph()._ipython_display_()  # once loaded: drawn at once, with no display id to update
    assert displayed.shown[1] == [{"image/svg+xml": "<svg>drawn in the kernel: 2</svg>"}]


def test_a_module_that_does_not_load_is_named_in_one_line(tanh_neuron, kernel):
    kernel.can_wait = False
    drawing = draw_dot(tanh_neuron["o"])
    with pytest.raises(GraphvizLoading):
        drawing.pipe(format="svg")
    kernel.loads[0].fail("Failed to fetch dynamically imported module: " + SITE + "vendor/graphviz.js")
    with pytest.raises(GraphvizNotInstalled) as raised:
        drawing.pipe(format="svg")
    message = str(raised.value)
    assert not isinstance(raised.value, GraphvizLoading) and "\n" not in message
    assert DOT_TO_SVG in message and message.endswith(f"{SITE}vendor/graphviz.js: Failed to fetch dynamically imported module: {SITE}vendor/graphviz.js")
    assert drawing._repr_mimebundle_() == {"text/plain": message}
    assert html.escape(message) in step_through(tanh_neuron["o"]).html()


def test_the_pages_own_function_is_used_and_nothing_is_loaded(tanh_neuron, kernel, monkeypatch):
    in_ipython(monkeypatch)
    setattr(kernel.page, DOT_TO_SVG, lambda source: "<svg>drawn by the page</svg>")
    page_graphviz.prepare_for_page()
    assert draw_dot(tanh_neuron["o"]).pipe(format="svg") == b"<svg>drawn by the page</svg>"
    assert kernel.loads == []


def test_outside_a_kernel_import_starts_no_load(kernel):
    """The site's worker imports stepgrad before it defines its function, and keeps a snapshot of
    Python's memory then, which must hold no JavaScript object: no IPython there, so no load."""
    page_graphviz.prepare_for_page()
    assert kernel.loads == []


def test_every_graphviz_object_is_shown_through_it(kernel):
    page_graphviz.prepare_for_page()
    network = graphviz.Digraph()
    network.edge("x1", "h1", label="w1 = 1.76")
    assert network._repr_mimebundle_() == {"image/svg+xml": "<svg>drawn in the kernel: 1</svg>"}
    assert graphviz.Source("graph { a -- b }")._repr_mimebundle_()["image/svg+xml"].startswith("<svg>")
    assert kernel.drawn == [network.source, "graph { a -- b }\n"]
    assert network._repr_mimebundle_(include=["image/png"]) == {}
    kernel.can_wait = False
    kernel.loads[0].state = "loading"
    assert graphviz.Graph()._repr_mimebundle_() == {"text/plain": GRAPHVIZ_LOADING}


def test_a_format_other_than_svg_is_refused_in_one_line(tanh_neuron, kernel):
    with pytest.raises(GraphvizNotInstalled, match="SVG only, not 'png'"):
        draw_dot(tanh_neuron["o"]).pipe(format="png")
    assert kernel.loads == []


def test_a_webassembly_python_without_pyodide_says_what_the_page_must_define(tanh_neuron, kernel, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyodide.code", None)
    with pytest.raises(GraphvizNotInstalled, match=DOT_TO_SVG) as raised:
        draw_dot(tanh_neuron["o"]).pipe(format="svg")
    assert "vendor/graphviz.js: ModuleNotFoundError" in str(raised.value)


def test_on_cpython_nothing_of_it_is_imported_or_changed():
    code = (
        "import sys, autograd, graphviz.jupyter_integration as j\n"
        "print(json.dumps([m in sys.modules for m in ('js', 'pyodide', 'pyodide_js', 'autograd.views.page_graphviz')]),"
        " j.JupyterIntegration._repr_mimebundle_.__module__, hasattr(j.JupyterIntegration, '_ipython_display_'))"
    )
    result = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["[false,", "false,", "false,", "false]", "graphviz.jupyter_integration", "False"]


NODE_SCRIPT = Path(__file__).with_name("page_graphviz.mjs")
NODE_PACKAGES = [ROOT / "web/node_modules/pyodide/pyodide.mjs", ROOT / "web/node_modules/@hpcc-js/wasm-graphviz/dist/index.js"]


@pytest.mark.slow
def test_in_real_pyodide_draw_dot_loads_graphviz_and_draws_svg():
    """Node.js runs Pyodide (web/node_modules) with stepgrad's folders mounted: see page_graphviz.mjs."""
    from tests.browser.tools import require

    missing = [] if shutil.which("node") else ["node (Node.js)"]
    missing += [f"{path.relative_to(ROOT)} (npm ci in web)" for path in NODE_PACKAGES if not path.is_file()]
    require(missing)
    graphviz_package = os.path.dirname(graphviz.__file__)
    run = subprocess.run(["node", str(NODE_SCRIPT), str(ROOT), graphviz_package], capture_output=True, text=True, timeout=120)
    failed = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert run.returncode == 0 and not failed and "passed" in run.stdout, run.stdout + run.stderr[-2000:]
    assert json.loads(run.stdout.splitlines()[-2])["took"]["first_draw"] < 5000
