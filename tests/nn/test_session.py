"""TrainingSession: the live training behind the web page "Watch a network learn"."""

import math

import pytest

from autograd.engine.graph import all_nodes
from nn.plot import float_score
from nn.session import TrainingSession


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


def test_a_graph_too_large_to_draw_is_refused_with_the_fix():
    session = TrainingSession(hidden=(16, 16))
    with pytest.raises(ValueError, match=r"more than 400: .* choose smaller hidden layers"):
        session.point_graph(0)
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
