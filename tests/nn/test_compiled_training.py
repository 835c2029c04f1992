"""fit(..., compiled=True): the recorded step trains exactly like the eager one."""

import struct

import pytest

from autograd import Value
from nn import MLP, fit
from nn.data import make_moons
from nn.losses import binary_cross_entropy, cross_entropy, hinge, mse, target_numbers
from nn.optim import SGD
from nn.train import CompiledStep, default_loss, eager_step


def train(compiled, **kwargs):
    X, y = make_moons(30, noise=0.1, seed=1)
    model = MLP(2, [8, 8, 1], seed=0)
    history = fit(model, X, y, steps=15, progress=False, compiled=compiled, **kwargs)
    return model, history


def test_compiled_training_matches_eager_training():
    eager_model, eager = train(False)
    fast_model, fast = train(True)
    assert len(fast) == len(eager) == 15
    assert bits(fast.loss) == bits(eager.loss)
    assert fast.accuracy == eager.accuracy
    for p, q in zip(fast_model.parameters(), eager_model.parameters()):
        assert bits([p.data, p.grad]) == bits([q.data, q.grad])


def test_compiled_training_of_a_multi_output_model():
    X = [[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1], [0.0, 0.4]]
    y = [0, 2, 1, 2]
    runs = []
    for compiled in (False, True):
        model = MLP(2, [6, 3], seed=3)
        runs.append(fit(model, X, y, loss=cross_entropy, steps=8, progress=False, compiled=compiled))
    eager, fast = runs
    assert bits(fast.loss) == bits(eager.loss)
    assert fast.accuracy == eager.accuracy


def bits(xs):
    return [struct.pack("<d", x) for x in xs]


def three_classes(n=24):
    """Moons points with a class in 0, 1, 2 by how far right the point lies."""
    X, _ = make_moons(n, noise=0.1, seed=2)
    return X, [min(2, max(0, int((x0 + 1.0) * 1.1))) for x0, _ in X]


def moons_01(n=30):
    return make_moons(n, noise=0.1, seed=1)


@pytest.mark.parametrize(
    "loss, sizes, data",
    [
        (None, [8, 8, 1], moons_01),  # fit's default: hinge + L2, targets as data
        (mse, [6, 1], moons_01),  # targets as data
        (binary_cross_entropy, [6, 1], moons_01),  # targets as data
        (cross_entropy, [6, 3], three_classes),  # a recording per tuple of class indices
    ],
)
def test_minibatch_compiled_training_equals_eager_training_bit_for_bit(loss, sizes, data):
    X, y = data()
    runs = []
    for compiled in (False, True):
        model = MLP(2, sizes, seed=4)
        history = fit(model, X, y, loss=loss, steps=12, batch_size=4, progress=False, seed=7, compiled=compiled)
        runs.append((history, model.parameters()))
    (eager, eager_params), (fast, fast_params) = runs
    assert bits(fast.loss) == bits(eager.loss)
    assert fast.accuracy == eager.accuracy
    assert bits(p.data for p in fast_params) == bits(p.data for p in eager_params)
    assert bits(p.grad for p in fast_params) == bits(p.grad for p in eager_params)
    assert len(set(eager.loss)) == len(eager.loss)  # the batches differ from step to step


def test_one_recording_serves_every_batch_when_targets_are_data():
    X, y = moons_01()
    step, eager_model, model = CompiledStep(), MLP(2, [5, 1], seed=1), MLP(2, [5, 1], seed=1)
    loss = default_loss(model)
    for start in (0, 5, 10, 15):  # new points and new labels each time
        batch = X[start : start + 5], y[start : start + 5]
        fast_loss, fast_outputs = step(model, *batch, loss)
        eager_loss, eager_outputs = eager_step(eager_model, *batch, default_loss(eager_model))
        assert bits([fast_loss, *fast_outputs]) == bits([eager_loss, *eager_outputs])
        assert bits(p.grad for p in model.parameters()) == bits(p.grad for p in eager_model.parameters())
    assert len(step.recordings) == 1


def test_a_batch_is_recorded_the_second_time_its_key_comes_up():
    X, y = three_classes()
    step, model = CompiledStep(max_recordings=2), MLP(2, [3], seed=1)
    step(model, X[:2], [0, 1], cross_entropy)  # first time: eager
    assert list(step.recordings) == []
    step(model, X[2:4], [0, 1], cross_entropy)  # other points, the same classes: recorded now
    assert recorded(step) == [(2, (0, 1))]
    for batch in ((X[:2], [1, 1]), (X[:2], [1, 1]), (X[:3], [0, 1, 2]), (X[:3], [0, 1, 2])):
        step(model, *batch, cross_entropy)
    # the third recording pushes out the one used longest ago
    assert recorded(step) == [(2, (1, 1)), (3, (0, 1, 2))]


def recorded(step):
    """(batch size, targets) of each recording, the one used last at the end."""
    return [(len(row_lengths), targets) for _, _, row_lengths, targets in step.recordings]


def test_full_batch_training_with_list_targets_and_a_loss_of_ones_own_compiles():
    """Targets that are lists (several outputs) key the recording as tuples."""
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]
    y = [[a + b, a - b] for a, b in X]

    def squared_error(outputs, targets):
        return sum(((o - t) ** 2 for out, ts in zip(outputs, targets) for o, t in zip(out, ts)), 0.0)

    runs = []
    for compiled in (False, True):
        model = MLP(2, [4, 2], seed=2)
        optimizer = SGD(model.parameters(), lr=0.01)
        history = fit(model, X, y, loss=squared_error, optimizer=optimizer, steps=4, progress=False, compiled=compiled)
        runs.append((bits(history.loss), bits(p.data for p in model.parameters())))
    assert runs[0] == runs[1]


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


@pytest.mark.parametrize("loss, labels", [(hinge, [1, 0, 1]), (mse, [0.5, -2.0, 1.0]), (binary_cross_entropy, [1, 0, 0.25])])
def test_targets_as_leaves_build_the_graph_the_numbers_build(loss, labels):
    """`loss.target_numbers` as Value leaves: the same loss and gradients as the targets themselves."""
    results = []
    for as_leaves in (False, True):
        scores = [Value(s) for s in (0.3, -1.2, 2.5)]
        targets = [Value(t) for t in target_numbers(loss)(labels)] if as_leaves else labels
        out = loss(scores, targets)
        out.backward()
        results.append(bits([out.data, *(s.grad for s in scores)]))
    assert results[0] == results[1]


def test_which_losses_take_their_targets_as_data():
    model = MLP(2, [1], seed=0)
    assert target_numbers(default_loss(model))([2, 0, -1]) == [1.0, -1.0, -1.0]
    assert target_numbers(cross_entropy) is None
    with pytest.raises(ValueError, match=r"must hold the sign \+1.0 or -1.0, got Value\(data=0.0"):
        hinge([Value(1.0)], [Value(0.0)])


def scaled_error(scale, unit):
    """A loss of one's own around two Values it closes over; its targets are built in."""

    def loss(outputs, targets):
        return sum(((scale * o * unit - t) ** 2 for o, t in zip(outputs, targets)), Value(0.0))

    return loss


def hinge_with_l2_on(scale, unit):
    """hinge, whose targets are data, plus an L2 term on the two Values."""

    def loss(scores, targets):
        return hinge(scores, targets) + 0.1 * (scale * unit) ** 2

    loss.target_numbers = hinge.target_numbers
    return loss


@pytest.mark.parametrize("make_loss, batch_size", [(scaled_error, None), (hinge_with_l2_on, 4)])
def test_a_value_the_loss_closes_over_is_trained_as_the_eager_step_trains_it(make_loss, batch_size):
    """A learnable `scale` inside a loss: read anew and given its gradient on every replay."""
    X, y = moons_01(12)
    runs = []
    for compiled in (False, True):
        model, scale, unit = MLP(2, [4, 1], seed=0), Value(1.0, label="scale"), Value(1.0)
        loss = make_loss(scale, unit)
        optimizer = SGD(model.parameters() + [scale], lr=0.05)
        history = fit(model, X, y, loss=loss, optimizer=optimizer, steps=6, batch_size=batch_size, seed=3,
                      progress=False, compiled=compiled)
        parameters = bits(p.data for p in model.parameters())
        runs.append((bits(history.loss), bits([scale.data, scale.grad, unit.grad]), parameters))
    assert runs[1] == runs[0]
    assert runs[0][1] != bits([1.0, 0.0, 0.0])  # scale was trained, and `unit` got its gradient too


def test_a_node_computed_before_the_step_is_refused_by_name():
    """Eager reuses such a node's old data; a replay would recompute it: refused, not replayed wrongly."""
    X, y = moons_01(6)
    model, a = MLP(2, [3, 1], seed=0), Value(2.0)
    double = a * 2.0
    double.label = "double"

    def loss(outputs, targets):
        return sum(((double * o - t) ** 2 for o, t in zip(outputs, targets)), Value(0.0))

    with pytest.raises(ValueError, match=r"'double'.*made before the step"):
        fit(model, X, y, loss=loss, steps=3, progress=False, compiled=True)


def test_a_row_of_another_length_raises_as_the_eager_step_does():
    X, y = moons_01(4)
    step, model = CompiledStep(), MLP(2, [3, 1], seed=0)
    loss = default_loss(model)
    step(model, X, y, loss)
    step(model, X, y, loss)  # recorded now
    assert len(step.recordings) == 1
    bad = X[:3] + [[0.1, 0.2, 0.3]]
    with pytest.raises(ValueError) as eager_error:
        eager_step(model, bad, y, loss)
    with pytest.raises(ValueError) as compiled_error:
        step(model, bad, y, loss)
    assert str(compiled_error.value) == str(eager_error.value)


def test_a_replaced_weight_or_another_model_is_recorded_anew():
    X, y = moons_01(4)
    step, model, twin = CompiledStep(), MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=0)
    for _ in range(2):  # eager, then recorded
        step(model, X, y, mse)
        eager_step(twin, X, y, mse)
    for m in (model, twin):
        m.zero_grad()
        m.layers[0].neurons[0].w[0] = Value(2.5)  # a weight replaced by a new Value
    assert bits(step(model, X, y, mse)[1]) == bits(eager_step(twin, X, y, mse)[1])
    assert bits(p.grad for p in model.parameters()) == bits(p.grad for p in twin.parameters())
    other, other_twin = MLP(2, [3, 1], seed=5), MLP(2, [3, 1], seed=5)  # the same step, another model
    for _ in range(3):
        assert bits(step(other, X, y, mse)[1]) == bits(eager_step(other_twin, X, y, mse)[1])
        assert bits(p.grad for p in other.parameters()) == bits(p.grad for p in other_twin.parameters())


def test_points_given_as_values_train_as_the_eager_step_trains_them():
    """micrograd's habit: X = [[Value(a), Value(b)], ...]."""
    X, y = moons_01(10)
    runs = []
    for compiled in (False, True):
        model = MLP(2, [4, 1], seed=0)
        points = [[Value(a), Value(b)] for a, b in X]
        history = fit(model, points, y, steps=4, batch_size=None, progress=False, compiled=compiled)
        runs.append((bits(history.loss), bits(p.data for p in model.parameters())))
    assert runs[1] == runs[0]
