"""nearby: the Values near one, against a breadth-first walk written here; drawing just those."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, draw_dot
from autograd.engine.walks import forward_order
from autograd.views.draw import dot_ids, step_drawing
from autograd.views.notebook import step_at
from autograd.views.nearby import WHOLE_UP_TO, drawing_near, neighbourhood
from tests.helpers.random_programs import points, programs, run


def distances_from(root, start):
    """Each Value's distance in edges from `start`, by a plain BFS over an edge list (no walk of nearby.py)."""
    edges = []
    stack, seen = [root], {id(root)}
    while stack:
        node = stack.pop()
        for child in node.children:
            edges.append((node, child))
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    distance, frontier = {id(start): 0}, [start]
    while frontier:
        following = []
        for node in frontier:
            for a, b in edges:
                for here, there in ((a, b), (b, a)):
                    if here is node and id(there) not in distance:
                        distance[id(there)] = distance[id(node)] + 1
                        following.append(there)
        frontier = following
    return distance


@settings(max_examples=60, deadline=None)
@given(programs(max_length=12), points, st.data(), st.integers(0, 4))
def test_neighbourhood_is_every_value_within_depth_edges(program, point, data, depth):
    root = run(program, [Value(x) for x in point])
    order = forward_order(root)
    start = data.draw(st.sampled_from(order))
    distance = distances_from(root, start)
    expected = {id(node) for node in order if distance.get(id(node), depth + 1) <= depth}
    assert {id(node) for node in neighbourhood(root, start, depth)} == expected


def chain(length):
    """x, then `length` multiplications: x * 1.01 * 1.01 ...: a path of Values with a constant beside each step."""
    out = x = Value(1.0, label="x")
    for _ in range(length):
        out = out * 1.01
    return x, out


def test_depth_zero_is_the_node_and_one_adds_its_inputs_and_users():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    d = c + a
    e = d.tanh()
    assert neighbourhood(e, c, 0) == {c}
    assert neighbourhood(e, c, 1) == {a, b, c, d}
    assert neighbourhood(e, c, 2) == {a, b, c, d, e}
    assert neighbourhood(e, e, 1) == {d, e}


def test_a_value_outside_the_graph_or_a_bad_depth_is_refused():
    x, out = chain(3)
    stranger = Value(5.0, label="stranger")
    with pytest.raises(ValueError, match="not in the graph of"):
        neighbourhood(out, stranger)
    with pytest.raises(ValueError, match="depth must be a whole number of edges, 0 or more, got -1"):
        neighbourhood(out, x, -1)


def test_a_large_graph_is_drawn_near_the_node_and_says_what_is_left_out():
    x, out = chain(200)  # 401 Values
    middle = forward_order(out)[200]
    near = drawing_near(out, middle)
    assert (near.drawn, near.values) == (len(neighbourhood(out, middle)), 401)
    assert near.drawn < 10
    source = near.drawing.source
    ids = dot_ids(forward_order(out))
    assert f"{ids[middle]} [label=" in source and "class=current" in source
    assert source.count("shape=record") == near.drawn
    assert "1 more input" in source and "used by 1 more" in source  # the chain goes on at both ends
    assert ids[out] + " [label=" not in source


def test_a_small_graph_is_drawn_whole_unless_asked_and_a_large_one_whole_when_asked():
    x, out = chain(10)
    whole = drawing_near(out, x)
    assert whole.drawn == whole.values == 21 <= WHOLE_UP_TO
    assert whole.drawing.source.count("shape=record") == 21
    assert "more input" not in whole.drawing.source and "used by" not in whole.drawing.source
    assert drawing_near(out, x, whole=False).drawn == len(neighbourhood(out, x))
    x, big = chain(200)
    assert drawing_near(big, None, whole=True, max_nodes=1000).drawn == 401


def test_before_a_step_the_root_is_the_centre_and_nothing_is_highlighted():
    x, out = chain(200)
    near = drawing_near(out, None)
    assert near.drawn == len(neighbourhood(out, out)) == 5
    assert "class=current" not in near.drawing.source


def test_draw_dot_only_refuses_a_value_outside_the_graph_and_counts_max_nodes_on_the_part():
    x, out = chain(300)  # 601 Values: too many whole at the default max_nodes=500
    with pytest.raises(ValueError, match="the graph has 601 Values"):
        draw_dot(out)
    part = neighbourhood(out, x, 3)
    assert draw_dot(out, only=part).source.count("shape=record") == len(part)
    with pytest.raises(ValueError, match=r"the part to draw \(only\) has 6 Values, more than max_nodes=5"):
        draw_dot(out, only=part, max_nodes=5)
    with pytest.raises(ValueError, match="only: .* is not in the graph being drawn"):
        draw_dot(out, only=[Value(1.0)])


def test_a_partial_drawing_renders_to_svg_with_whole_graph_ids():
    x, out = chain(200)
    middle = forward_order(out)[100]
    svg = drawing_near(out, middle).drawing.pipe(format="svg", encoding="utf-8")
    assert f"<title>{dot_ids(forward_order(out))[middle]}</title>" in svg
    assert "node current" in svg


def test_a_small_graph_near_a_step_is_the_stepping_views_drawing_and_tells_the_page_no_part(tanh_neuron):
    o = tanh_neuron["o"]
    for position in range(7):
        _, _, step = step_at(o, position)
        near = drawing_near(o, step.node if step is not None else None)
        assert near.drawing.source == step_drawing(o, step).source
        assert near.part is None


def test_a_large_graph_tells_the_page_which_part_it_shows():
    x, out = chain(200)
    assert drawing_near(out, x).part == {"shown": 4, "total": 401, "whole": False}
    assert drawing_near(out, x, whole=True, max_nodes=401).part == {"shown": 401, "total": 401, "whole": True}
