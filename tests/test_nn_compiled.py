"""fit(..., compiled=True): the recorded step trains exactly like the eager one."""

import pytest

from nn import MLP, fit
from nn.data import make_moons
from nn.losses import binary_cross_entropy, cross_entropy
from nn.optim import SGD


def train(compiled, **kwargs):
    X, y = make_moons(30, noise=0.1, seed=1)
    model = MLP(2, [8, 8, 1], seed=0)
    history = fit(model, X, y, steps=15, progress=False, compiled=compiled, **kwargs)
    return model, history


def test_compiled_training_matches_eager_training():
    eager_model, eager = train(False)
    fast_model, fast = train(True)
    assert len(fast) == len(eager) == 15
    for a, b in zip(fast.loss, eager.loss):
        assert abs(a - b) <= 1e-12 * max(1.0, abs(b))
    assert fast.accuracy == eager.accuracy
    for p, q in zip(fast_model.parameters(), eager_model.parameters()):
        assert abs(p.data - q.data) <= 1e-12 and abs(p.grad - q.grad) <= 1e-12


def test_compiled_training_of_a_multi_output_model():
    X = [[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1], [0.0, 0.4]]
    y = [0, 2, 1, 2]
    runs = []
    for compiled in (False, True):
        model = MLP(2, [6, 3], seed=3)
        runs.append(fit(model, X, y, loss=cross_entropy, steps=8, progress=False, compiled=compiled))
    eager, fast = runs
    assert all(abs(a - b) <= 1e-12 for a, b in zip(fast.loss, eager.loss))
    assert fast.accuracy == eager.accuracy


def test_compiled_needs_the_full_batch():
    with pytest.raises(ValueError, match="full-batch"):
        train(True, batch_size=5)


def one_neuron_per_class(biases):
    """MLP(1, [len(biases)]) with zero weights: its logits are the biases."""
    model = MLP(1, [len(biases)], seed=0)
    for neuron, b in zip(model.layers[0].neurons, biases):
        neuron.w[0].data = 0.0
        neuron.b.data = b
    return model


@pytest.mark.parametrize(
    "loss, biases, X, y",
    [
        # The logit starts at -1 and jumps past +1000 after one step.
        (binary_cross_entropy, [-1.0], [[1.0], [-1.0]], [1, 1]),
        # Class 0 is the largest logit when recorded; class 1 overtakes it by over 1000.
        (cross_entropy, [1.0, -1.0], [[1.0]], [1]),
    ],
)
def test_compiled_losses_survive_logits_that_move_far_from_the_recording(loss, biases, X, y):
    runs = []
    for compiled in (False, True):
        model = one_neuron_per_class(biases)
        optimizer = SGD(model.parameters(), lr=2000.0)
        history = fit(model, X, y, loss=loss, optimizer=optimizer, steps=3, progress=False, compiled=compiled)
        runs.append((history.loss, [p.data for p in model.parameters()]))
    (eager_loss, eager_params), (fast_loss, fast_params) = runs
    assert max(abs(p) for p in eager_params) > 1000
    assert fast_loss == eager_loss
    assert fast_params == eager_params
