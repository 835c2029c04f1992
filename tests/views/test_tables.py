"""grad_table: the tanh neuron's rows, and marking hand-computed values."""

import pytest

from autograd import Value, grad_table

# Hand-derived in the lesson texts: do/dn = 1 - o**2 = 0.5, a + passes it on,
# a * swaps the other factor in.
TANH_NEURON_ROWS = [
    # name, op, data, grad, formula
    ("o", "tanh", 0.7071067811865476, 1.0, "1 (the output: o.grad = 1)"),
    ("n", "+", 0.8813735870195432, 0.5, "(1 - o.data**2) * o.grad = (1 - 0.7071**2) * 1.0000"),
    ("b", "leaf", 6.8813735870195432, 0.5, "n.grad"),
    ("x1*w1 + x2*w2", "+", -6.0, 0.5, "n.grad"),
    ("x2*w2", "*", 0.0, 0.5, "(x1*w1 + x2*w2).grad"),
    ("w2", "leaf", 1.0, 0.0, "x2.data * (x2*w2).grad = 0.0000 * 0.5000"),
    ("x2", "leaf", 0.0, 0.5, "w2.data * (x2*w2).grad = 1.0000 * 0.5000"),
    ("x1*w1", "*", -6.0, 0.5, "(x1*w1 + x2*w2).grad"),
    ("w1", "leaf", -3.0, 1.0, "x1.data * (x1*w1).grad = 2.0000 * 0.5000"),
    ("x1", "leaf", 2.0, -1.5, "w1.data * (x1*w1).grad = -3.0000 * 0.5000"),
]


def test_the_tanh_neuron_rows(tanh_neuron):
    tanh_neuron["o"].backward()
    table = grad_table(tanh_neuron["o"])
    assert [row.name for row in table.rows] == [row[0] for row in TANH_NEURON_ROWS]
    for row, (name, op, data, grad, formula) in zip(table.rows, TANH_NEURON_ROWS):
        assert (row.op, row.formula) == (op, formula), name
        assert row.data == pytest.approx(data, abs=1e-12) and row.grad == pytest.approx(grad, abs=1e-12), name


def test_each_text_row_starts_with_the_node_name(tanh_neuron):
    tanh_neuron["o"].backward()
    lines = str(grad_table(tanh_neuron["o"])).splitlines()
    assert lines[0].split()[0] == "node"
    for line, (name, op, *_) in zip(lines[1:], TANH_NEURON_ROWS):
        assert line.startswith(name + " ")
        assert line[len(name) :].split()[0] == op
    assert lines[-1].split() == ["x1", "leaf", "2.0000", "-1.5000", *"w1.data * (x1*w1).grad = -3.0000 * 0.5000".split()]


def test_expected_marks_matches_and_mismatches(tanh_neuron):
    tanh_neuron["o"].backward()
    table = grad_table(tanh_neuron["o"], expected={"x1": -1.5, "w1": -1.0, "n": 0.5 + 1e-7})
    assert table["x1"].check == "✓" and table["n"].check == "✓"
    assert table["w1"].check == "✗ true 1" and table["w1"].matches is False
    assert table["b"].check == "" and table["b"].matches is None
    assert [row.name for row in table.mismatches] == ["w1"]
    lines = {line.split()[0]: line for line in str(table).splitlines()}
    assert "check" in lines["node"]
    assert lines["w1"].split()[4:7] == ["✗", "true", "1"]
    assert lines["x1"].split()[4] == "✓"


def test_expected_must_name_nodes_of_the_graph(tanh_neuron):
    with pytest.raises(KeyError, match="'x3'.*the nodes are"):
        grad_table(tanh_neuron["o"], expected={"x3": 1.0})
    with pytest.raises(TypeError, match=r"expected\['x1'\] must be a number"):
        grad_table(tanh_neuron["o"], expected={"x1": "-1.5"})


def test_html_table_for_jupyter(tanh_neuron):
    tanh_neuron["o"].backward()
    page = grad_table(tanh_neuron["o"], expected={"x1": -1.5, "w1": 2.0})._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == 11
    assert "<td>x1*w1 + x2*w2</td>" in page
    assert 'style="color:#188038">✓<' in page and 'style="color:#c5221f">✗ true 1<' in page


def test_before_backward_the_table_says_so(tanh_neuron):
    text = str(grad_table(tanh_neuron["o"]))
    assert text.splitlines()[0].startswith("grads not computed yet")


def test_a_node_used_twice_sums_both_uses():
    a = Value(3.0, label="a")
    y = a * a + a
    y.backward()
    row = grad_table(y)["a"]
    assert row.grad == 7.0
    assert row.formula == "v2.grad + a.data * v1.grad + a.data * v1.grad = 1.0000 + 3.0000 * 1.0000 + 3.0000 * 1.0000"


def test_hand_values_are_judged_against_the_true_derivative_after_two_backwards(tanh_neuron):
    o = tanh_neuron["o"]
    o.backward()
    o.backward()  # leaves now hold two passes: x1.grad == -3
    table = grad_table(o, expected={"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0})
    assert not table.mismatches
    assert table["x1"].grad == pytest.approx(-3.0) and table["x1"].derivative == pytest.approx(-1.5)
    assert tanh_neuron["x1"].grad == pytest.approx(-3.0)  # the table put every grad back
    text = str(table)
    assert "d out/d node" in text.splitlines()[1] and "adds up every backward()" in table.note
    assert "x1" in table.note and "o.zero_grad()" in table.note
    assert grad_table(o, expected={"x1": -3.0})["x1"].check == "✗ true -1.5"


def test_one_fresh_pass_shows_no_extra_column(tanh_neuron):
    tanh_neuron["o"].backward()
    table = grad_table(tanh_neuron["o"])
    assert not table.note and "d out/d node" not in str(table)


def test_a_backward_of_its_own_that_sets_a_grad_to_none_is_named_and_grads_are_put_back(grad_set_to_none):
    x, out = grad_set_to_none
    with pytest.raises(TypeError, match=r"out\._backward\(\) set x\.grad to None"):
        grad_table(out)
    assert (x.grad, out.grad) == (0.0, 0.0)


def test_a_wrong_value_is_explained_and_a_right_one_is_not(tanh_neuron):
    tanh_neuron["o"].backward()
    table = grad_table(tanh_neuron["o"], expected={"x1": -3.0, "w2": 0.0})
    assert table["x1"].check == "✗ true -1.5"
    assert (table["x1"].mistakes[0].kind, table["x1"].mistakes[0].node) == ("local_left_out", "n")
    assert table["w2"].mistakes == () and table["b"].mistakes == ()
    assert "↳ at n:" in str(table)
