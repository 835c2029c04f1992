"""Training: micrograd's moons recipe reaches its accuracy; fit's options work.

The runs on 100 moons are the slow tests of the suite (a 100-step
full-batch run of MLP(2, [16, 16, 1]) takes about 9 s on this engine), so
the default run is trained once per module and shared.
"""

import pytest

from autograd import Value
from nn import MLP, History, evaluate, fit
from nn.data import make_circles, make_moons
from nn.losses import binary_cross_entropy, cross_entropy
from nn.optim import SGD, Adam
from nn.recipe import train_classifier
from nn.train import accuracy, predict


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


def test_progress_bar_shows_and_hides(capsys):
    X, y = make_moons(10, seed=0)
    fit(MLP(2, [2, 1], seed=0), X, y, steps=3, progress=True)
    shown = capsys.readouterr().err
    assert "training" in shown and "3/3" in shown
    fit(MLP(2, [2, 1], seed=0), X, y, steps=3, progress=False)
    assert capsys.readouterr() == ("", "")


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
