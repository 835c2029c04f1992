"""Training: micrograd's moons recipe reaches its accuracy; fit's options work.

The runs on 100 moons are the slow tests of the suite (a 100-step
full-batch run of MLP(2, [16, 16, 1]) takes about 9 s on this engine), so
the default run is trained once per module and shared.
"""

import ast
import io
import re
import sys

import pytest

from autograd import Value, no_grad
from nn import MLP, History, evaluate, fit
from nn.data import make_circles, make_moons
from nn.losses import binary_cross_entropy, cross_entropy
from nn.optim import SGD, Adam
from nn.recipe import train_classifier
from nn.train import accuracy, loss_text, predict


@pytest.fixture(scope="module")
def moons_run():
    """The demo's run: MLP(2, [16, 16, 1]), default init, seed 0, 100 steps."""
    return train_classifier("moons", hidden=(16, 16), steps=100, seed=0, progress=False)


@pytest.mark.slow
def test_default_recipe_reaches_99_percent_on_moons(moons_run):
    assert moons_run.accuracy >= 0.99
    assert len(moons_run.history) == 100
    assert moons_run.history.loss[-1] < 0.1 * moons_run.history.loss[0]


@pytest.mark.slow
def test_final_scores_are_an_evaluation_of_the_trained_model(moons_run):
    assert evaluate(moons_run.model, moons_run.X, moons_run.y) == (moons_run.loss, moons_run.accuracy)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_seed_reaches_96_percent_on_moons(seed):
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=seed)
    fit(model, X, y, steps=100, progress=False)
    assert evaluate(model, X, y)[1] >= 0.96


def test_fit_with_adam_and_cross_entropy_on_circles():
    # two outputs, one per class: the model's list of logits goes to cross_entropy
    X, y = make_circles(40, seed=1)
    model = MLP(2, [8, 2], seed=0)
    history = fit(model, X, y, loss=cross_entropy, optimizer=Adam(model.parameters(), lr=0.05), steps=60, progress=False)
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.accuracy[-1] >= 0.9


def test_fit_with_binary_cross_entropy_and_minibatches():
    X, y = make_moons(60, seed=2)
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    loss_before, _ = evaluate(model, X, y, loss=binary_cross_entropy)
    history = fit(model, X, y, loss=binary_cross_entropy, optimizer=SGD(model.parameters(), lr=0.5, momentum=0.5),
                  steps=80, batch_size=20, progress=False)
    assert len(history) == 80
    loss_after, _ = evaluate(model, X, y, loss=binary_cross_entropy)
    assert loss_after < 0.7 * loss_before


def test_minibatches_are_reproducible():
    X, y = make_moons(30, seed=0)
    runs = []
    for _ in range(2):
        model = MLP(2, [4, 1], seed=0)
        runs.append(fit(model, X, y, steps=5, batch_size=7, progress=False, seed=9).loss)
    assert runs[0] == runs[1]


class Terminal(io.StringIO):
    """What tqdm sees as stderr on a terminal."""

    def isatty(self):
        return True


def bar_losses(text):
    """The loss of each frame of a text progress bar, in order."""
    return re.findall(r"loss=([^,\]]+)", text)


def test_progress_bar_shows_on_a_terminal_and_hides_when_asked(monkeypatch):
    X, y = make_moons(10, seed=0)
    monkeypatch.setattr(sys, "stderr", Terminal())
    fit(MLP(2, [2, 1], seed=0), X, y, steps=3, progress=True)
    assert "training" in sys.stderr.getvalue() and "3/3" in sys.stderr.getvalue()
    monkeypatch.setattr(sys, "stderr", Terminal())
    fit(MLP(2, [2, 1], seed=0), X, y, steps=3, progress=False)
    assert sys.stderr.getvalue() == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    # a log file, a pipe or CI's output kept every frame: about 200 carriage-return frames for 100 steps
    X, y = make_moons(10, seed=0)
    fit(MLP(2, [2, 1], seed=0), X, y, steps=3, progress=True)
    assert capsys.readouterr() == ("", "")


def test_the_bars_last_loss_is_the_trained_models(monkeypatch):
    X, y = make_moons(20, seed=0)
    model = MLP(2, [4, 1], seed=0)
    monkeypatch.setattr(sys, "stderr", Terminal())
    history = fit(model, X, y, steps=5)
    loss, accuracy_after = evaluate(model, X, y)
    shown = sys.stderr.getvalue()
    assert loss_text(history.loss[-1]) != loss_text(loss)  # the last step's loss was measured before its update
    last_frame = shown.split("\r")[-1]
    assert "5/5" in last_frame and last_frame.endswith(f"accuracy={accuracy_after:.0%}, loss={loss_text(loss)}]\n")


@pytest.mark.slow
def test_an_executed_notebook_stores_the_finished_bar(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    training = "from nn import MLP, evaluate, fit\nfrom nn.data import make_moons\n"
    training += "X, y = make_moons(20, seed=0)\nmodel = MLP(2, [4, 1], seed=0)\nhistory = fit(model, X, y, steps=5)"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(training), nbformat.v4.new_code_cell("print(evaluate(model, X, y))"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    stored = "".join(output.get("data", {}).get("text/plain", "") for output in notebook.cells[0].outputs)
    loss, _ = ast.literal_eval(notebook.cells[1].outputs[0]["text"])
    assert "5/5" in stored and "0/5" not in stored, stored
    assert bar_losses(stored)[-1] == loss_text(loss)


@pytest.mark.parametrize("compiled", [False, True])
def test_fit_under_no_grad_is_refused_and_changes_nothing(compiled):
    # it once trained nothing, silently; compiled, it said "extras[0] is not a node"
    X, y = make_moons(10, seed=0)
    model = MLP(2, [2, 1], seed=0)
    before = model.state_dict()
    with no_grad(), pytest.raises(RuntimeError) as error:
        fit(model, X, y, steps=3, progress=False, compiled=compiled)
    assert str(error.value) == (
        "fit: no_grad() is on, so no graph would be built and nothing would learn; call fit outside `with no_grad():`"
    )
    assert model.state_dict() == before and all(p.grad == 0.0 for p in model.parameters())


def test_history_records_each_step():
    history = History()
    history.record(0.5, 0.75)
    history.record(0.25, 1.0)
    assert (history.loss, history.accuracy, len(history)) == ([0.5, 0.25], [0.75, 1.0], 2)


def test_predict_and_accuracy():
    assert [predict(s) for s in (2.0, -0.1, 0.0)] == [1, 0, 0]
    assert predict([0.1, 3.0, -2.0]) == 1
    assert accuracy([0.3, -0.2, 0.5, -1.0], [1, 0, 0, -1]) == 0.75
    assert accuracy([[1.0, 0.0], [0.0, 1.0]], [0, 0]) == 0.5


@pytest.mark.slow
def test_trained_model_survives_a_round_trip(moons_run, tmp_path):
    path = tmp_path / "moons.json"
    moons_run.model.save(path)
    loaded = MLP.load(path)
    assert evaluate(loaded, moons_run.X, moons_run.y) == (moons_run.loss, moons_run.accuracy)


@pytest.mark.slow
def test_training_plot_is_written(moons_run, tmp_path):
    pytest.importorskip("matplotlib")
    from nn.plot import decision_grid, save_training_plot

    xs, ys, scores = decision_grid(moons_run.model, moons_run.X, resolution=5)
    assert len(xs) == len(ys) == 5 and len(scores) == 5 and all(len(row) == 5 for row in scores)
    assert scores[2][1] == moons_run.model([xs[1], ys[2]]).data
    path = tmp_path / "moons.png"
    save_training_plot(moons_run, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"X": [[0.0, 0.0]], "y": []}, "fit: 1 inputs but 0 labels"),
        ({"X": [], "y": []}, "fit: no training data"),
        ({"steps": 0}, "steps must be a whole number >= 1, got 0"),
        ({"batch_size": 0}, r"batch_size \(when not None\) must be a whole number >= 1, got 0"),
    ],
)
def test_bad_fit_arguments_say_what_is_wrong(kwargs, message):
    arguments = {"X": [[0.0, 1.0], [1.0, 0.0]], "y": [0, 1], "steps": 1, "progress": False} | kwargs
    with pytest.raises(ValueError, match=message):
        fit(MLP(2, [1], seed=0), **arguments)


def test_outputs_of_fit_step_are_numbers():
    from nn.train import eager_step

    model = MLP(2, [3, 2], seed=0)
    loss, outputs = eager_step(model, [[1.0, 0.0]], [1], cross_entropy)
    assert isinstance(loss, float) and all(isinstance(v, float) for v in outputs[0])
    assert any(p.grad != 0.0 for p in model.parameters())
    assert not isinstance(loss, Value)


@pytest.mark.parametrize("enabled_before", [True, False])
def test_fit_pauses_the_cyclic_gc_and_restores_it(enabled_before):
    import gc

    from nn.losses import mse

    seen = []

    def loss(outputs, targets):
        seen.append(gc.isenabled())
        return mse(outputs, targets)

    (gc.enable if enabled_before else gc.disable)()
    try:
        fit(MLP(2, [2, 1], seed=0), [[0.0, 1.0]], [1.0], loss=loss, steps=2, progress=False)
        assert seen == [False, False]
        assert gc.isenabled() == enabled_before
    finally:
        gc.enable()


def test_a_run_whose_loss_rose_a_little_is_not_called_diverged():
    """The recipe's rule is the command's: not finite, or over 10 times the first loss."""
    run = train_classifier(steps=1, progress=False)
    first = run.history.loss[0]
    for loss, diverged in [(first * 1.01, False), (first * 10, False), (first * 10.5, True), (float("nan"), True)]:
        run.loss = loss
        assert run.diverged is diverged, loss


def test_a_decision_grid_of_one_point_is_refused():
    from nn.plot import decision_grid

    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match="resolution must be a whole number >= 2, got 1"):
        decision_grid(model, [[0.0, 0.0], [1.0, 1.0]], resolution=1)


def test_in_pyodide_the_progress_bar_starts_no_monitor_thread(monkeypatch):
    # Pyodide (JupyterLite) cannot start threads: tqdm's monitor thread would print a warning in the lesson.
    import importlib

    import nn.progress

    monkeypatch.setattr(nn.progress.tqdm, "monitor_interval", nn.progress.tqdm.monitor_interval)  # put back after
    monkeypatch.setattr(sys, "platform", "emscripten")
    importlib.reload(nn.progress)
    assert nn.progress.tqdm.monitor_interval == 0
