"""grad_table's mistake diagnosis: each slip, made by an implementation of the chain rule
written here (its own graph walk and its own local derivatives, from calculus, not the
op table), gives a wrong value that the table explains with that slip at that node."""

import math

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import Value, grad_table
from autograd.views.mistakes import typed_match
from autograd.views.names import node_names
from tests.helpers.random_programs import points, programs, run

# d out / d child for each op, from calculus: (a, b, out) -> one derivative per child.
LOCAL = {
    "+": lambda a, b, out: (1.0, 1.0),
    "-": lambda a, b, out: (1.0, -1.0),
    "*": lambda a, b, out: (b, a),
    "/": lambda a, b, out: (1 / b, -a / b**2),
    "**": lambda a, b, out: (b * a ** (b - 1) if b else 0.0, out * math.log(a) if a > 0 else 0.0),
    "neg": lambda a, b, out: (-1.0,),
    "exp": lambda a, b, out: (math.exp(a),),
    "log": lambda a, b, out: (1 / a,),
    "tanh": lambda a, b, out: (1 - math.tanh(a) ** 2,),
    "sigmoid": lambda a, b, out: (math.exp(-a) / (1 + math.exp(-a)) ** 2,),
    "relu": lambda a, b, out: (1.0 if a > 0 else 0.0,),
    "sin": lambda a, b, out: (math.cos(a),),
    "cos": lambda a, b, out: (-math.sin(a),),
    "sqrt": lambda a, b, out: (0.5 / math.sqrt(a),),
    "abs": lambda a, b, out: (math.copysign(1.0, a) if a else 0.0,),
}

# The derivative of an activation taken at the wrong point: f'(output) where f'(input) is
# right, written the way a student slips (1 - n**2 for tanh's 1 - o**2).
WRONG_POINT = {
    "tanh": lambda n, o: 1 - n**2,
    "sigmoid": lambda n, o: n * (1 - n),
    "exp": lambda n, o: n,
    "log": lambda n, o: 1 / o,
    "sin": lambda n, o: math.cos(o),
    "cos": lambda n, o: -math.sin(o),
    "sqrt": lambda n, o: 0.5 / n,
}


def parents_first(root):
    """Every node, each before its children (a depth-first post-order, reversed)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
    return order[::-1]


def uses(root):
    """(user, index, child) for each use of a child."""
    return [(user, i, child) for user in parents_first(root) for i, child in enumerate(user.children)]


def chain_rule(root, term=None):
    """{node: d root / d node}; `term(user, index, child, local, user_grad)` may replace a use's term (None: the true one)."""
    grads = {root: 1.0}
    for user in parents_first(root):
        if not user.children:
            continue
        a, b = user.children[0].data, user.children[-1].data
        locals_ = LOCAL[user._op](a, b, user.data)
        for index, child in enumerate(user.children):
            true_term = locals_[index] * grads[user]
            wrong = term(user, index, child, locals_[index], grads[user]) if term else None
            grads[child] = grads.get(child, 0.0) + (true_term if wrong is None else wrong)
    return grads


def slipped(root, kind, at):
    """{node: grad} with the slip `kind` made at the use `at` = (user, index, child), or None where it does not apply."""
    user, index, child = at

    def at_use(wrong_term):
        return chain_rule(root, lambda u, i, c, local, g: wrong_term(local, g) if (u, i) == (user, index) else None)

    if kind == "local_left_out":
        return at_use(lambda local, g: g)
    if kind == "upstream_left_out":
        return at_use(lambda local, g: local)
    if kind == "sign_flipped":
        return at_use(lambda local, g: -local * g)
    if kind == "wrong_point" and user._op in WRONG_POINT:
        return at_use(lambda local, g: WRONG_POINT[user._op](child.data, user.data) * g)
    if kind == "factor_swapped" and user._op == "*":
        return at_use(lambda local, g: child.data * g)
    if kind == "overwritten" and sum(c is child for _, _, c in uses(root)) > 1:
        return chain_rule(root, lambda u, i, c, local, g: 0.0 if c is child and (u, i) != (user, index) else None)
    if kind == "counted_twice" and not child.children and index == 0:
        true = chain_rule(root)
        return {**true, child: 2 * true[child]}
    return None


TERM_KINDS = ("local_left_out", "upstream_left_out", "sign_flipped", "wrong_point", "factor_swapped", "overwritten", "counted_twice")


def differs(wrong, true):
    """A hand value the table marks wrong and does not take for a rounding of the true one."""
    return math.isfinite(wrong) and abs(wrong - true) > 1e-4 * max(1.0, abs(true))


def check_every_slip(root, kinds=TERM_KINDS):
    """Each slip, at each use, is found at the use's child for every node it makes wrong;
    the nodes it leaves right, given as hand values too, get ✓ and no mistake.  Returns how many slips it checked."""
    names = node_names(root)
    true = chain_rule(root)
    checked = 0
    for kind in kinds:
        for at in uses(root):
            grads = slipped(root, kind, at)
            if grads is None:
                continue
            hand = {node: grads.get(node, 0.0) for node in true}
            wrong = [node for node in true if differs(hand[node], true[node])]
            if not wrong or not all(math.isfinite(value) for value in hand.values()):
                continue
            right = [node for node in true if hand[node] == pytest.approx(true[node], rel=1e-9, abs=1e-12)]
            table = grad_table(root, expected={names[node]: hand[node] for node in wrong + right})
            for node in wrong:
                found = {(m.kind, m.node) for m in table[names[node]].mistakes}
                assert (kind, names[at[2]]) in found, (kind, names[at[0]], names[at[2]], names[node], found)
            for node in right:
                assert table[names[node]].matches and table[names[node]].mistakes == (), names[node]
            checked += 1
    return checked


# --- the tanh neuron ---------------------------------------------------------------


def test_each_slip_on_the_tanh_neuron(tanh_neuron):
    o = tanh_neuron["o"]
    assert check_every_slip(o) >= 20


@pytest.mark.parametrize("kind", [kind for kind in TERM_KINDS if kind != "overwritten"])  # no node is used twice
def test_each_kind_is_found_on_the_tanh_neuron(tanh_neuron, kind):
    assert check_every_slip(tanh_neuron["o"], kinds=(kind,)) >= 1


def test_overwritten_on_a_node_used_twice():
    x = Value(1.5, label="x")
    y = (x * x).tanh() + x
    assert check_every_slip(y, kinds=("overwritten",)) >= 1
    table = grad_table(y, expected={"x": 1.0})  # the + use alone: 1
    assert ("overwritten", "x") in {(m.kind, m.node) for m in table["x"].mistakes}


# The example answers of the lessons, with the slips they are put down to (first one first).
EXAMPLE_ANSWERS = [
    ("x1", -3.0, [("local_left_out", "n"), ("upstream_left_out", "x1*w1 + x2*w2"), ("upstream_left_out", "x1*w1"),
                  ("upstream_left_out", "x1"), ("counted_twice", "x1")]),
    ("x1", 1.5, [("sign_flipped", "n"), ("sign_flipped", "x1*w1 + x2*w2"), ("sign_flipped", "x1*w1"), ("sign_flipped", "x1")]),
    ("w1", -1.0, [("sign_flipped", "n"), ("sign_flipped", "x1*w1 + x2*w2"), ("sign_flipped", "x1*w1"), ("sign_flipped", "w1")]),
    ("w1", 2.0, [("local_left_out", "n"), ("upstream_left_out", "x1*w1 + x2*w2"), ("upstream_left_out", "x1*w1"),
                 ("upstream_left_out", "w1"), ("counted_twice", "w1")]),
    ("x2", 1.0, [("local_left_out", "n"), ("upstream_left_out", "x1*w1 + x2*w2"), ("upstream_left_out", "x2*w2"),
                 ("upstream_left_out", "x2"), ("counted_twice", "x2")]),
    ("b", 1.0, [("local_left_out", "n"), ("upstream_left_out", "b"), ("counted_twice", "b")]),
    ("x1", -0.6695, [("wrong_point", "n")]),  # 1 - n**2 for 1 - o**2: -3 * 0.22318, to 4 decimals
    ("w2", 0.5, [("local_left_out", "w2"), ("factor_swapped", "w2")]),
    ("x1", 7.0, []),
]


@pytest.mark.parametrize("name, hand, slips", EXAMPLE_ANSWERS)
def test_the_example_answers(tanh_neuron, name, hand, slips):
    o = tanh_neuron["o"]
    o.backward()
    row = grad_table(o, expected={name: hand})[name]
    assert row.matches is False
    assert [(m.kind, m.node) for m in row.mistakes] == slips


def test_correct_and_rounded_values_get_no_mistake(tanh_neuron):
    o = tanh_neuron["o"]
    table = grad_table(o, expected={"x1": -1.5, "w1": 1.0, "o": 1.0, "n": 0.5, "x2": 0.5 + 1e-7})
    assert all(row.mistakes == () for row in table.rows)
    neuron = tanh_neuron["x1"] * 0 + (tanh_neuron["x1"] * 0.7071067811865476)  # d/dx1 = 0.70710678...
    assert grad_table(neuron, expected={"x1": 0.7071})["x1"].mistakes == ()  # a rounding, not a slip


def test_a_hand_value_with_4_decimals_or_more_matches_at_the_precision_typed():
    assert typed_match(-0.6695418, -0.6695) and typed_match(0.5, 0.5 + 1e-10)
    assert typed_match(-0.6695418, -0.66954) and typed_match(0.223134044, 0.22313404)  # as many decimals as typed
    assert not typed_match(-0.66944, -0.6695) and not typed_match(1.00006, 1.0)
    assert not typed_match(0.7071, 0.71) and not typed_match(-0.6695418, -0.66955)  # 2 decimals: too coarse to tell


def test_a_slip_that_spoils_a_value_the_student_got_right_comes_last(tanh_neuron):
    o = tanh_neuron["o"]
    alone = grad_table(o, expected={"x1": -3.0})["x1"].mistakes
    assert (alone[0].kind, alone[0].node) == ("local_left_out", "n")
    # n's hand value 0.5 is right, so the slip at n (which makes n.grad 1.0) did not happen
    with_n = grad_table(o, expected={"n": 0.5, "x1": -3.0})["x1"].mistakes
    assert with_n[0].node != "n" and ("local_left_out", "n") in [(m.kind, m.node) for m in with_n][1:]
    assert sorted(with_n, key=str) == sorted(alone, key=str)  # ranked, none lost


def test_the_text_and_html_show_the_first_explanation_under_the_row(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    table = grad_table(o, expected={"x1": -3.0, "w2": 0.0})
    first = table["x1"].mistakes[0]
    assert first.text == ("at n: o.grad passed down to n without multiplying by "
                          "tanh's local derivative 1 - o.data**2 = 0.5000")
    lines = str(table).splitlines()
    x1 = next(i for i, line in enumerate(lines) if line.startswith("x1 "))
    assert lines[x1 + 1].strip() == "↳ " + first.text
    assert sum("↳" in line for line in lines) == 1
    html = table._repr_html_()
    assert html.count("↳") == 1
    assert "at n: o.grad passed down to n" in html
    assert html.index("<td>x1</td>") < html.index("✗ true -1.5<br>↳ at n:")


def test_a_label_in_an_explanation_is_escaped_in_html():
    x = Value(2.0, label="<b>x</b>")
    y = (x * 3.0).tanh()
    table = grad_table(y, expected={"<b>x</b>": 3.0})
    assert table["<b>x</b>"].mistakes
    assert "<b>x</b>" not in table._repr_html_()


def test_a_graph_with_a_node_of_its_own_gets_no_diagnosis():
    x = Value(0.5, label="x")
    cube = Value(x.data**3, (x,), "cube", label="cube")

    def _backward():
        x.grad += 3 * x.data**2 * cube.grad

    cube._backward = _backward
    y = (cube * 2.0).tanh()
    table = grad_table(y, expected={"x": 2 * grad_table(y)["x"].derivative})
    assert table["x"].matches is False and table["x"].mistakes == ()


# --- random graphs ------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(max_length=5), points)
def test_each_slip_on_random_graphs(program, point):
    inputs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(point)]
    root = run(program, inputs)
    if not root.children or not all(math.isfinite(g) for g in chain_rule(root).values()):
        return
    check_every_slip(root)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(max_length=4), points)
def test_a_product_with_a_factor_swapped_on_random_graphs(program, point):
    inputs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(point)]
    root = run(program, inputs) * inputs[0]  # a product of two different factors
    if all(math.isfinite(g) for g in chain_rule(root).values()):
        check_every_slip(root, kinds=("factor_swapped",))
