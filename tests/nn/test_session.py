"""TrainingSession: the live training behind the web page "Watch a network learn"."""

import math

import pytest

from autograd.engine.graph import all_nodes
from nn.plot import float_score
from nn.data import make_circles, make_xor
from nn.session import SettingError, TrainingSession


def test_twenty_steps_on_moons_lower_the_loss():
    session = TrainingSession("moons", hidden=(4, 4))
    first = session.step()
    for _ in range(19):
        last = session.step()
    assert (first["step"], last["step"]) == (1, 20)
    assert last["loss"] < first["loss"]
    assert session.history.loss[0] == first["loss"] and len(session.history) == 20


def test_the_learning_rate_falls_to_a_tenth_and_stays():
    session = TrainingSession(lr=0.5)
    assert [session.learning_rate(k) for k in (0, 50)] == [0.5, pytest.approx(0.275)]
    assert session.learning_rate(100) == session.learning_rate(1000) == pytest.approx(0.05)


def test_float_score_is_the_graphs_output():
    session = TrainingSession("circles", hidden=(3, 5))
    for _ in range(3):
        session.step()
    for point in ([0.3, -0.2], [-1.5, 2.0], [0.0, 0.0]):
        assert float_score(session.model, point) == session.model(point).data


def test_decision_grid_runs_from_the_lower_left_corner():
    session = TrainingSession(hidden=(2,))
    grid = session.decision_grid((-1.0, 1.0, -2.0, 2.0), 3)
    assert len(grid) == 3 and all(len(row) == 3 for row in grid)
    assert grid[0][0] == float_score(session.model, [-1.0, -2.0])
    assert grid[2][1] == float_score(session.model, [0.0, 2.0])


def test_an_added_point_joins_the_training_data():
    session = TrainingSession(n_samples=10)
    index = session.add_point(2.5, -1.0, 1)
    assert (index, session.X[index], session.y[index]) == (10, [2.5, -1.0], 1)
    assert session.bounds(margin=0.0)[1] == 2.5
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        session.add_point(0.0, 0.0, 2)


def test_a_points_graph_runs_through_its_loss_with_its_grads():
    session = TrainingSession(hidden=(4, 4))
    session.step()
    loss = session.point_graph(3)
    weight = session.model.layers[0].neurons[0].w[0]
    assert weight in all_nodes(loss) and loss.grad == 1.0
    before = weight.data
    weight.data += 1e-6
    bumped = session.point_graph(3).data
    weight.data = before
    assert session.point_graph(3).data == loss.data
    assert weight.grad == pytest.approx((bumped - loss.data) / 1e-6, abs=1e-4)


def test_a_16_16_network_draws_with_every_parameter_named_by_layer_and_neuron():
    session = TrainingSession(hidden=(16, 16))
    loss = session.point_graph(0)
    nodes = all_nodes(loss)
    assert len(nodes) == 986  # 342 leaves (337 parameters, x0, x1, 3 constants), 306 *, 304 +, 33 relu, one -
    labels = {node.label for node in nodes}
    assert {"L1.N1.w0", "L1.N16.w1", "L1.N3.b", "L2.N1.w3", "L2.N16.w15", "L3.N1.w15", "L3.N1.b", "x0", "x1"} <= labels
    assert session.model.layers[1].neurons[0].w[3].label == "L2.N1.w3"
    with pytest.raises(IndexError, match="no point 100"):
        session.point_graph(100)


@pytest.mark.parametrize(
    "point, message",
    [
        ((math.inf, 0.0, 1), "x is inf, not a finite number"),
        (("0.3", "nan", 0), "x is '0.3', not a finite number"),
        ((0.3, math.nan, 0), "y is nan, not a finite number"),
        ((0.3, 0.2, 2), "label must be 0 or 1, got 2"),
    ],
)
def test_a_bad_point_is_refused_and_the_data_stay_as_they_were(point, message):
    # inf or nan once joined the data, and after one step every parameter was non-finite for good
    session = TrainingSession(n_samples=10)
    X, y = [list(p) for p in session.X], list(session.y)
    with pytest.raises(ValueError) as error:
        session.add_point(*point)
    assert str(error.value) == message
    assert (session.X, session.y) == (X, y)
    session.step()
    assert all(math.isfinite(p.data) for p in session.model.parameters())


@pytest.mark.parametrize(
    "lr, error, message",
    [
        (math.nan, ValueError, "lr must be a finite number > 0, got nan"),
        (-1, ValueError, "lr must be a finite number > 0, got -1"),
        (0.0, ValueError, "lr must be a finite number > 0, got 0.0"),
        ("1", TypeError, "lr must be a number, got str '1'"),
    ],
)
def test_a_bad_learning_rate_is_refused(lr, error, message):
    with pytest.raises(error) as raised:
        TrainingSession(lr=lr)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "bounds, n, message",
    [
        ((-1.0, 1.0, -1.0, 1.0), 1, "n (the grid's points per side) must be a whole number >= 2, got 1"),
        ((-1.0, 1.0, -1.0, 1.0), 2.5, "n (the grid's points per side) must be a whole number >= 2, got 2.5"),
        ((-1.0, math.inf, -1.0, 1.0), 3, "x_max is inf, not a finite number"),
        ((-1.0, 1.0, "a", 1.0), 3, "y_min is 'a', not a finite number"),
    ],
)
def test_a_bad_grid_is_refused_with_its_reason(bounds, n, message):
    # n = 1 once divided by zero
    with pytest.raises(ValueError) as error:
        TrainingSession(hidden=(2,)).decision_grid(bounds, n)
    assert str(error.value) == message


# --- the page's settings --------------------------------------------------------

XOR = {"dataset": "xor", "hidden": "8,8", "lr": "0.1", "activation": "tanh", "batch": "10",
       "noise": "0.1", "test": "0.3", "points": "200", "seed": "0"}


def test_settings_read_back_into_the_same_session():
    session = TrainingSession.from_settings(XOR)
    assert session.settings() == XOR
    again = TrainingSession.from_settings(session.settings())
    assert (again.X, again.y, again.X_test, again.y_test) == (session.X, session.y, session.X_test, session.y_test)
    assert again.model.state_dict() == session.model.state_dict()
    assert [again.step() for _ in range(5)] == [session.step() for _ in range(5)]


def test_a_session_made_in_python_gives_its_settings_too():
    session = TrainingSession("circles", hidden=(), lr=0.25, activation=None, n_samples=30, seed=4)
    settings = session.settings()
    assert settings == {"dataset": "circles", "hidden": "", "activation": "linear", "lr": "0.25", "batch": "all",
                        "noise": "0.05", "test": "0.0", "points": "30", "seed": "4"}
    assert TrainingSession.from_settings(settings).X == session.X == make_circles(30, seed=4)[0]


def test_settings_texts_may_have_spaces_and_keys_may_be_left_out():
    session = TrainingSession.from_settings({"hidden": " 4 , 3 ", "lr": " 0.5", "batch": " all "})
    assert (session.hidden, session.lr, session.batch_size, session.data) == ((4, 3), 0.5, None, "moons")


def _snapshot(session):
    return (session.model.state_dict(), [list(p) for p in session.X], list(session.y), list(session.history.loss), session.settings())


@pytest.mark.parametrize(
    "key, text, problem",
    [
        ("hidden", "abc", "'abc' is not a whole number"),
        ("hidden", "8,abc", "'abc' is not a whole number"),
        ("hidden", "4,,4", "a width is missing between two commas"),
        ("hidden", "1e9", "'1e9' is not a whole number"),
        ("hidden", "-3", "'-3' is not a whole number"),
        ("hidden", "8,0", "must be a whole number >= 1, got 0"),
        ("hidden", "65", "must be from 1 to 64, got 65"),
        ("hidden", "1,1,1,1,1", "5 hidden layers, more than 4"),
        ("lr", "abc", "is not a number"),
        ("lr", "", "is empty"),
        ("lr", "0", "must be a finite number > 0"),
        ("lr", "nan", "must be a finite number > 0"),
        ("lr", "-inf", "must be a finite number > 0"),
        ("activation", "softmax", "unknown activation 'softmax'"),
        ("dataset", "iris", "unknown data set 'iris'"),
        ("batch", "0", "must be a whole number >= 1"),
        ("batch", "ten", "is not a whole number"),
        ("noise", "1e9", "must be from 0.0 to 1.0"),
        ("noise", "-0.1", "must be from 0.0 to 1.0"),
        ("test", "0.95", "must be from 0.0 to 0.9"),
        ("points", "2001", "must be from 2 to 2,000, got 2001"),
        ("points", "1e3", "is not a whole number"),
        ("points", "1", "must be a whole number >= 2"),
        ("seed", "-1", "is not a whole number"),
        ("seed", "99999999999999999999", "must be from 0 to 2,147,483,647"),
        ("colour", "red", "is not a setting"),
    ],
)
def test_each_bad_text_is_quoted_and_changes_nothing(key, text, problem):
    session = TrainingSession.from_settings(XOR)
    session.step()
    before = _snapshot(session)
    with pytest.raises(SettingError) as error:
        TrainingSession.from_settings({**XOR, key: text})
    assert isinstance(error.value, ValueError) and (error.value.key, error.value.text) == (key, text)
    assert str(error.value).startswith(f"{key} {text!r}: ") and problem in str(error.value)
    assert _snapshot(session) == before


@pytest.mark.parametrize(
    "key, good, bad",
    [("hidden", "1,1,1,1", "1,1,1,1,1"), ("hidden", "64", "65"), ("points", "2000", "2001")],
)
def test_the_limits_hold_at_the_boundary(key, good, bad):
    settings = {"hidden": "4", key: good}
    TrainingSession.from_settings(settings)
    with pytest.raises(SettingError, match=f"^{key} '{bad}': "):
        TrainingSession.from_settings({**settings, key: bad})


def test_a_step_too_large_to_build_names_the_batch_to_choose():
    TrainingSession.from_settings({"hidden": "64,64,64,64", "batch": "26"})
    with pytest.raises(SettingError) as error:
        TrainingSession.from_settings({"hidden": "64,64,64,64", "batch": " 27"})
    assert str(error.value).startswith("batch ' 27': a step on 27 points through 12,737 weights and biases")
    assert str(error.value).endswith("choose a batch of at most 26 points, or smaller hidden layers")
    with pytest.raises(SettingError, match="^batch 'all': a step on 100 points"):
        TrainingSession.from_settings({"hidden": "64,64,64,64"})


def test_reset_starts_again_from_the_same_first_step():
    session = TrainingSession.from_settings(XOR)
    first = session.step()
    for _ in range(4):
        session.step()
    session.reset()
    assert len(session.history) == len(session.test_history) == 0
    assert session.step() == first


def test_the_test_loss_is_measured_on_the_held_out_points_only():
    session = TrainingSession.from_settings(XOR)
    X, y = make_xor(200, noise=0.1, seed=0)
    assert session.X + session.X_test == X and session.y + session.y_test == y
    assert (len(session.X), len(session.X_test)) == (140, 60)
    for _ in range(3):
        weights = [p.data for p in session.model.parameters()]
        expected = {}
        for name, points, labels in (("", session.X, session.y), ("test_", session.X_test, session.y_test)):
            scores = [session.model(x).data for x in points]
            signs = [1.0 if label == 1 else -1.0 for label in labels]
            hinge = sum(max(0.0, 1.0 - s * t) for s, t in zip(scores, signs)) / len(points)
            expected[name + "loss"] = hinge + 1e-4 * sum(w * w for w in weights)
            expected[name + "accuracy"] = sum((s > 0) == (t > 0) for s, t in zip(scores, signs)) / len(points)
        result = session.step()
        for key, value in expected.items():
            assert result[key] == pytest.approx(value, rel=1e-12)


def test_minibatches_come_from_the_seed():
    runs = [TrainingSession.from_settings(XOR) for _ in range(2)]
    assert [runs[0].step() for _ in range(5)] == [runs[1].step() for _ in range(5)]
    session = TrainingSession.from_settings({**XOR, "batch": "140"})  # all the training points: full batch
    assert session.step()["loss"] == TrainingSession.from_settings({**XOR, "batch": "all"}).step()["loss"]


@pytest.mark.parametrize("batch", ["all", "10"])
def test_compiled_and_eager_steps_give_the_same_numbers(batch):
    settings = {**XOR, "batch": batch, "hidden": "16,16"}
    eager = TrainingSession.from_settings(settings, compiled=False)
    compiled = TrainingSession.from_settings(settings)
    assert compiled.compiled and not eager.compiled
    assert [compiled.step() for _ in range(6)] == [eager.step() for _ in range(6)]
    assert compiled.model.state_dict() == eager.model.state_dict()


def test_tanh_learns_xor():
    session = TrainingSession.from_settings({**XOR, "lr": "0.3", "batch": "all"})
    first = session.step()
    for _ in range(99):
        last = session.step()
    # measured over seeds 0-2: the loss falls from about 1 to 0.11-0.13, accuracy 0.96
    assert last["loss"] < 0.3 * first["loss"]
    assert last["accuracy"] >= 0.9 and last["test_accuracy"] >= 0.85


def test_a_linear_classifier_cannot_learn_xor():
    session = TrainingSession.from_settings({**XOR, "hidden": "", "lr": "0.3", "batch": "all"})
    for _ in range(100):
        last = session.step()
    assert len(session.model.layers) == 1 and last["accuracy"] < 0.75


def test_next_step_compiles_says_which_step_records():
    session = TrainingSession(hidden=(3,), batch_size=10)
    said = []
    for _ in range(4):
        said.append(session.next_step_compiles)
        session.step()
    assert said == [False, True, False, False]
    assert TrainingSession(compiled=False, hidden=(3,)).next_step_compiles is False
    eager_first = TrainingSession(hidden=(3,))
    eager_first.step(eager=True)
    eager_first.step(eager=True)
    assert eager_first.next_step_compiles is False  # steps taken eager are not seen by the recorder
    eager_first.step()
    assert eager_first.next_step_compiles is True


def test_an_eager_step_gives_the_compiled_steps_numbers():
    compiled, eager = TrainingSession(hidden=(4, 4)), TrainingSession(hidden=(4, 4))
    for _ in range(4):
        assert compiled.step() == eager.step(eager=True)
    assert [p.data for p in compiled.model.parameters()] == [p.data for p in eager.model.parameters()]


def test_a_point_past_the_caps_is_refused_and_changes_nothing():
    session = TrainingSession(n_samples=2000, hidden=(1,))
    with pytest.raises(ValueError, match="2,000 points already"):
        session.add_point(0.0, 0.0, 1)
    assert len(session.X) == 2000
    big = TrainingSession(n_samples=989, hidden=(16, 16))  # 337 weights and biases: 989 points a step is the most
    with pytest.raises(SettingError, match="a step on 990 points .* more than 1,000,000"):
        big.add_point(0.0, 0.0, 1)
    assert len(big.X) == 989
