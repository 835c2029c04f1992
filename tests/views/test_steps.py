"""backward_steps: the order, the partial state, the final grads and the text."""

import math

import pytest

from autograd import Value, backward_steps
from autograd.views.steps import terms as chain_terms
from autograd.engine.graph import all_nodes
from autograd.engine.walks import interior_nodes_parents_first
from autograd.views.names import node_names
from nn.demo import tanh_neuron as build_tanh_neuron

TANH_NEURON_STEPS = """\
step 1 of 5: o passes its grad 1.0000 to its children
n.grad += (1 - o.data**2) * o.grad = (1 - 0.7071**2) * 1.0000 = 0.5000
step 2 of 5: n passes its grad 0.5000 to its children
(x1*w1 + x2*w2).grad += n.grad = 0.5000
b.grad += n.grad = 0.5000
step 3 of 5: x1*w1 + x2*w2 passes its grad 0.5000 to its children
(x1*w1).grad += (x1*w1 + x2*w2).grad = 0.5000
(x2*w2).grad += (x1*w1 + x2*w2).grad = 0.5000
step 4 of 5: x2*w2 passes its grad 0.5000 to its children
x2.grad += w2.data * (x2*w2).grad = 1.0000 * 0.5000 = 0.5000
w2.grad += x2.data * (x2*w2).grad = 0.0000 * 0.5000 = 0.0000
step 5 of 5: x1*w1 passes its grad 0.5000 to its children
x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000
w1.grad += x1.data * (x1*w1).grad = 2.0000 * 0.5000 = 1.0000"""


def test_the_tanh_neuron_takes_five_steps_in_backward_order(tanh_neuron):
    o = tanh_neuron["o"]
    steps = list(backward_steps(o))
    assert [step.node for step in steps] == interior_nodes_parents_first(o)
    assert steps[0].node is o and steps[0].children == (tanh_neuron["n"],)
    assert [(step.count, step.total) for step in steps] == [(i, 5) for i in range(1, 6)]


def test_the_chain_rule_text_of_the_tanh_neuron(tanh_neuron):
    steps = list(backward_steps(tanh_neuron["o"]))
    assert "\n".join(f"{step.title}\n{step}" for step in steps) == TANH_NEURON_STEPS
    assert "\n".join(map(repr, steps)) == TANH_NEURON_STEPS  # what Jupyter echoes


def test_stepping_starts_from_zero_after_a_previous_backward(tanh_neuron):
    o, n, x1, b = tanh_neuron["o"], tanh_neuron["n"], tanh_neuron["x1"], tanh_neuron["b"]
    o.backward()  # a previous pass: every node holds a grad
    below_n = n.children[0]  # x1*w1 + x2*w2, not reached in step 1
    g = 1 - o.data**2  # 0.5 up to rounding
    assert below_n.grad == g and x1.grad == -3 * g and b.grad == g
    steps = backward_steps(o)
    first = next(steps)
    assert first.node is o and o.grad == 1.0
    assert n.grad == g  # recomputed, not added to the previous pass's
    assert below_n.grad == 0.0 and x1.grad == 0.0 and b.grad == 0.0  # every grad reset before step 1
    for _ in steps:
        pass
    assert x1.grad == -3 * g and b.grad == g  # the grads of one pass, not two


def test_the_generator_does_nothing_until_asked(tanh_neuron):
    backward_steps(tanh_neuron["o"])
    assert all(node.grad == 0.0 for node in all_nodes(tanh_neuron["o"]))


def _mixed_graph():
    """Every op, with a reused leaf and a reused interior node."""
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    h = (x * y + x).tanh()
    z = h * h - (y / (x + 2)) ** 2 + (x**y.abs()).log() + y.exp().sigmoid()
    z = z + (h.relu() + x.sin() * y.cos()) / (x * x + 1).sqrt() - (-h)
    return z, [x, y, h]


def test_all_steps_leave_exactly_the_grads_of_backward():
    stepped, stepped_nodes = _mixed_graph()
    for _ in backward_steps(stepped):
        pass
    reference, reference_nodes = _mixed_graph()
    reference.backward()
    assert [v.grad for v in all_nodes(stepped)] == [v.grad for v in all_nodes(reference)]
    assert [v.grad for v in stepped_nodes] == [v.grad for v in reference_nodes]


def test_the_terms_shown_add_up_to_each_grad():
    """The local-derivative strings, evaluated, agree with the generated rules."""
    z, _ = _mixed_graph()
    names = node_names(z)
    received = {}
    for step in backward_steps(z):
        for term in chain_terms(step.node, names):
            received[term.child] = received.get(term.child, 0.0) + term.value
    for node, total in received.items():
        assert math.isclose(node.grad, total, rel_tol=1e-12, abs_tol=1e-12), names[node]


def test_a_reused_leaf_shows_its_running_total():
    a = Value(3.0, label="a")
    y = a + a
    y.label = "y"
    (step,) = backward_steps(y)
    assert str(step) == "a.grad += y.grad = 1.0000\na.grad += y.grad = 1.0000, so a.grad = 2.0000"
    assert a.grad == 2.0


def _first_step_text(build):
    x = Value(-2.0, label="x")
    out = build(x)
    out.label = "out"
    return str(next(backward_steps(out)))


def test_negative_numbers_are_bracketed_inside_formulas_only():
    assert _first_step_text(Value.tanh) == (
        "x.grad += (1 - out.data**2) * out.grad = (1 - (-0.9640)**2) * 1.0000 = 0.0707"
    )
    assert _first_step_text(Value.exp) == "x.grad += out.data * out.grad = 0.1353 * 1.0000 = 0.1353"
    assert _first_step_text(lambda x: x * Value(3.0, label="k")) == (
        "x.grad += k.data * out.grad = 3.0000 * 1.0000 = 3.0000\n"
        "k.grad += x.data * out.grad = -2.0000 * 1.0000 = -2.0000"
    )
    assert _first_step_text(lambda x: -x) == "x.grad += -out.grad = -1.0000"
    assert _first_step_text(lambda x: Value(1.0, label="one") - x).splitlines()[1] == "x.grad += -out.grad = -1.0000"


def test_a_negative_grad_is_bracketed_after_the_local_derivative():
    x = Value(-2.0, label="x")
    p = x * Value(0.5, label="half")
    p.label = "p"
    r = -p.tanh()  # d r / d p = -(1 - tanh(-1)**2) = -0.42
    r.label = "r"
    *_, last = backward_steps(r)
    assert str(last).splitlines()[0] == "x.grad += half.data * p.grad = 0.5000 * (-0.4200) = -0.2100"


def test_unlabelled_nodes_get_the_same_names_every_time():
    def build():
        a, b = Value(2.0), Value(3.0)
        return (a * b + a).tanh()

    first = [str(step) for step in backward_steps(build())]
    second = [str(step) for step in backward_steps(build())]
    assert first == second
    assert first[0] == "v4.grad += (1 - v5.data**2) * v5.grad = (1 - 1.0000**2) * 1.0000 = 0.0000"


def test_a_leaf_root_takes_no_step_and_gets_grad_one():
    x = Value(4.0, label="x")
    assert list(backward_steps(x)) == [] and x.grad == 1.0


def test_names_of_the_tanh_neuron_follow_the_program():
    o, _ = build_tanh_neuron()
    assert list(node_names(o).values()) == ["x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "n", "o"]


def test_repeated_labels_and_taken_names_stay_unique():
    h1, h2 = Value(1.0, label="h"), Value(2.0, label="h")
    out = (h1 + h2) * Value(3.0, label="v1")
    assert sorted(node_names(out).values()) == ["h", "h#2", "v1", "v2", "v3"]


def test_a_name_shows_unprintable_characters_as_escapes_and_stays_unique():
    raw, typed = Value(1.0, label="a\x00\x1b[2J"), Value(2.0, label="a\\x00\\x1b[2J")
    assert list(node_names(raw * typed).values()) == ["a\\x00\\x1b[2J", "a\\x00\\x1b[2J#2", "v1"]


def test_a_second_stepper_on_the_same_graph_stops_the_first():
    x = Value(2.0, label="x")
    h = x * 3
    o = h * h + x
    first, second = backward_steps(o), backward_steps(o)
    next(first)
    next(second)
    with pytest.raises(RuntimeError, match="backward_steps stopped before step 2: .* start a new backward_steps"):
        next(first)
    for _ in second:
        pass
    assert (x.grad, h.grad, o.grad) == (37.0, 12.0, 1.0)  # one pass, not 1.5 of them


def test_a_backward_between_two_steps_stops_the_stepper():
    x = Value(2.0, label="x")
    o = (x * 3) * x
    steps = backward_steps(o)
    next(steps)
    o.backward()
    with pytest.raises(RuntimeError, match="changed this graph's grads"):
        next(steps)


def test_a_backward_of_its_own_that_sets_a_grad_to_none_is_named(grad_set_to_none):
    _, out = grad_set_to_none
    with pytest.raises(TypeError, match=r"^out\._backward\(\) set x\.grad to None: a _backward must add a number to each child's grad$"):
        list(backward_steps(out))
