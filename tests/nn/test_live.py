"""nn.live: the training page's Python, sessions kept by key and answered as plain JSON data."""

import json

import pytest

from nn import live
from nn.session import TrainingSession


@pytest.fixture(autouse=True)
def no_sessions_left():
    yield
    live.SESSIONS.clear()


def as_json(answer):
    """The answer after a trip through JSON: what the page receives, unchanged if it is plain data."""
    return json.loads(json.dumps(answer, allow_nan=False))


def test_create_answers_the_whole_view_as_plain_data():
    view = live.create("t", {"dataset": "xor", "hidden": "3", "test": "0.2", "points": "50"}, grid=5)
    assert as_json(view) == view
    assert view["settings"] == TrainingSession.from_settings(view["settings"]).settings()
    assert (len(view["points"]), len(view["test_points"])) == (40, 10)
    assert len(view["labels"]) == 40 and set(view["labels"]) == {0, 1}
    assert len(view["grid"]) == 5 and all(len(row) == 5 for row in view["grid"])
    assert view["steps"] == 0 and view["history"]["loss"] == []
    assert view["parameters"] == 3 * 3 + 4
    x_min, x_max, y_min, y_max = view["bounds"]
    assert all(x_min < x < x_max and y_min < y < y_max for x, y in view["points"] + view["test_points"])


@pytest.mark.parametrize(
    "field, typed, quoted",
    [("hidden", "4,,4", "hidden '4,,4': a width is missing"), ("hidden", "abc", "hidden 'abc': 'abc' is not a whole number"),
     ("lr", "", "lr '': is empty"), ("dataset", "moon", "dataset 'moon': unknown data set"),
     ("hidden", "1e9", "hidden '1e9'"), ("points", "5000", "points '5000'")],
)
def test_an_unusable_setting_comes_back_as_data_quoting_it_and_nothing_is_kept(field, typed, quoted):
    live.create("t", {"hidden": "2"})
    answer = live.create("t", {field: typed})
    assert answer == {"error": {"key": field, "text": typed, "message": answer["error"]["message"]}}
    assert answer["error"]["message"].startswith(quoted) and "\n" not in answer["error"]["message"]
    assert "t" not in live.SESSIONS  # the old session is gone: it stops training
    with pytest.raises(LookupError, match="no training session is kept as 't'"):
        live.train("t")


def test_train_runs_the_steps_asked_and_answers_only_the_new_ones():
    live.create("t", {"hidden": "4", "test": "0.25"}, grid=4, compiled=False)  # no call ends early to compile
    first = live.train("t", steps=3)
    second = live.train("t", steps=2, grid=False)
    assert as_json(second) == second
    assert (first["steps"], second["steps"]) == (3, 5)
    assert len(first["history"]["loss"]) == 3 and len(second["history"]["test_accuracy"]) == 2
    assert second["grid"] is None and len(first["grid"]) == 4
    whole = live.view("t")["history"]
    assert whole["loss"] == first["history"]["loss"] + second["history"]["loss"]
    assert all(loss is not None for loss in whole["test_loss"])


def test_a_time_budget_stops_a_call_early_but_runs_one_step():
    live.create("t", {"hidden": "8", "activation": "tanh"}, compiled=False)
    assert live.train("t", steps=1000, budget_ms=0)["steps"] == 1


def test_the_step_that_compiles_comes_first_in_its_call_and_is_announced():
    view = live.create("t", {"hidden": "4"})
    assert view["compiling_next"] is False  # the first step runs eager
    first = live.train("t", steps=10)
    assert first["steps"] == 1 and first["compiling_next"] is True
    second = live.train("t", steps=10)
    assert second["steps"] == 11 and second["compiling_next"] is False
    live.add_point("t", 0.0, 0.0, 1)  # a whole batch of a new length: eager once, then recorded
    assert live.train("t", steps=10)["compiling_next"] is True
    assert live.create("t", {"hidden": "4"}, compiled=False)["compiling_next"] is False
    assert live.train("t", steps=3)["compiling_next"] is False


def test_steps_taken_eager_never_stop_to_compile():
    live.create("t", {"hidden": "4"})
    answer = live.train("t", steps=3, eager=True)
    assert answer["steps"] == 3 and answer["compiling_next"] is False


def test_an_added_point_is_trained_on_and_can_be_drawn():
    live.create("t", {"points": "20"})
    added = live.add_point("t", 0.25, -0.5, 1)
    assert added == {"index": 20, "point": [0.25, -0.5], "label": 1, "compiling_next": False}
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        live.add_point("t", 0.0, 0.0, 3)
    assert len(live.view("t")["points"]) == 21
    assert live.point_graph("t", 20)["label"] == 1


def test_points_stop_at_the_cap():
    live.create("t", {"points": "2000", "hidden": "1", "test": "0.5"})
    with pytest.raises(ValueError, match="2,000 points already"):
        live.add_point("t", 0.0, 0.0, 0)
    assert len(live.view("t")["points"]) == 1000


def test_a_points_graph_names_each_parameter_by_layer_and_neuron():
    live.create("t", {"hidden": "3,2"}, compiled=False)
    live.train("t", steps=2)
    graph = live.point_graph("t", 4)
    assert graph["step"] == 2 and graph["values"] > 20 and graph["title"].startswith("Point 4 (class ")
    svg = graph["svg"]
    for name in ("L1.N3.w1", "L2.N2.w2", "L3.N1.b", "x0", "loss of point 4"):
        assert name in svg, name
    assert f"<title>{graph['current']}</title>" in svg and 'class="node current"' in svg
    assert "w0#" not in svg
    assert "L1.N1.w0" in live.point_graph("t", 4, format="dot")["dot"]


def test_a_large_points_graph_is_drawn_near_its_loss_and_whole_on_request():
    live.create("t", {"hidden": "16,16"})
    near = live.point_graph("t", 0, format="dot")
    assert (near["values"], near["part"]) == (986, {"shown": 37, "total": 986, "whole": False})
    assert "L3.N1.w15" in near["dot"] and "L1.N1.w0" not in near["dot"]
    whole = live.point_graph("t", 0, whole=True, format="dot")
    assert whole["part"] == {"shown": 986, "total": 986, "whole": True} and "L1.N1.w0" in whole["dot"]
    live.create("t", {"hidden": "32,32", "batch": "10"})
    assert live.point_graph("t", 0, format="dot")["part"]["whole"] is False
    with pytest.raises(ValueError, match=r"point 0's graph has [\d,]+ Values, more than the 1,200 drawn whole here: choose smaller"):
        live.point_graph("t", 0, whole=True)
    with pytest.raises(IndexError, match="no point 100: there are 100"):
        live.point_graph("t", 100)


def test_a_small_points_graph_is_drawn_whole():
    live.create("t", {"hidden": "3"})
    graph = live.point_graph("t", 0, format="dot")
    assert graph["part"] is None and graph["values"] == 43
    assert live.point_graph("t", 0, whole=False, format="dot")["part"] == {"shown": 31, "total": 43, "whole": False}


def test_reset_starts_again_and_settings_read_back():
    view = live.create("t", {"dataset": "spiral", "hidden": "5", "lr": "0.3", "batch": "10", "seed": "7"})
    live.train("t", steps=4)
    again = live.reset("t")
    assert again["steps"] == 0 and again["grid"] == view["grid"] and again["points"] == view["points"]
    assert live.settings("t") == view["settings"] and view["settings"]["batch"] == "10"
    live.forget("t")
    live.forget("t")
    assert "t" not in live.SESSIONS
