"""Code written the way the lesson texts and micrograd's users write it runs on stepgrad.

The seed's own `Value` (seed 003) builds results as `Value(data, (self, other), '+')`
and the lecture adds an op by assigning `out._backward`.  Hand-derived numbers
come from the lesson texts and micrograd's README; finite differences check
the rest.
"""

import math
import random
import re

import pytest

from autograd import Value, backward_steps, compile, draw_dot, gradcheck, grad_table
from autograd.engine.graph import all_nodes
from autograd.engine.value import MissingBackward
from tests.helpers.errors import raises_naming
from tests.helpers.ops import cube  # a**3 with its own _backward, as the lecture writes an op


class SeedValue(Value):
    """Seed 003's class, written against stepgrad: its constructor and lecture-style ops."""

    def __add__(self, other):
        out = SeedValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = SeedValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = SeedValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out


def seed_tanh_neuron():
    """The seed's tanh neuron, line for line (labels set after the fact, as the seed does)."""
    x1 = SeedValue(2.0, label="x1")
    x2 = SeedValue(0.0, label="x2")
    w1 = SeedValue(-3.0, label="w1")
    w2 = SeedValue(1.0, label="w2")
    b = SeedValue(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"  # noqa: E702
    x2w2 = x2 * w2; x2w2.label = "x2*w2"  # noqa: E702
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"  # noqa: E702
    n = x1w1x2w2 + b; n.label = "n"  # noqa: E702
    o = n.tanh(); o.label = "o"  # noqa: E702
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n)


SEED_GRADS = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5}


def test_the_seed_class_gives_the_seed_numbers():
    o, nodes = seed_tanh_neuron()
    assert round(o.data, 4) == 0.7071
    o.backward()
    for name, grad in SEED_GRADS.items():
        assert nodes[name].grad == pytest.approx(grad, abs=1e-12), name


def test_the_seed_class_by_hand_as_the_lecture_steps_it():
    o, nodes = seed_tanh_neuron()
    o.grad = 1.0
    o._backward()
    nodes["n"]._backward()
    for node in nodes["n"].children:
        node._backward()
    for node in nodes["n"].children[0].children:
        node._backward()
    for name, grad in SEED_GRADS.items():
        assert nodes[name].grad == pytest.approx(grad, abs=1e-12), name


def test_steps_tables_drawings_and_gradcheck_work_on_hand_built_nodes():
    o, nodes = seed_tanh_neuron()
    steps = list(backward_steps(o))
    assert [step.node.label for step in steps] == ["o", "n", "x1*w1 + x2*w2", "x2*w2", "x1*w1"]
    assert str(steps[-1]) == (
        "x1.grad: 0.0000 -> -1.5000, added by (x1*w1)._backward() (op '*', its own)\n"
        "w1.grad: 0.0000 -> 1.0000, added by (x1*w1)._backward() (op '*', its own)"
    )
    table = grad_table(o, expected={"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0})
    assert not table.mismatches and table["o"].op == "tanh"
    source = draw_dot(o).source
    assert "tanh" in source and "grad -1.5000" in source
    report = gradcheck(lambda x, w: (x * w + SeedValue(1.0)).tanh(), [SeedValue(0.3), SeedValue(-0.7)])
    assert report.ok, report


def test_a_custom_op_mixes_with_table_ops():
    x = Value(0.5, label="x")
    y = (cube(x * 2) + x.exp()).tanh()  # d/dx = (1 - y^2) (24 x^2 + e^x)
    y.backward()
    assert x.grad == pytest.approx((1 - y.data**2) * (24 * 0.25 + math.exp(0.5)), rel=1e-12)
    assert gradcheck(lambda v: (cube(v * 2) + v.exp()).tanh(), [0.5]).ok
    assert "cube" in draw_dot(y).source and grad_table(y)["x"].op == "leaf"


def lecture_tanh(x, with_backward=True):
    """The lecture's exercise: tanh built by hand, `Value(t, (x,), 'tanh')`, maybe without its `_backward`."""
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), "tanh")
    if with_backward:

        def _backward():
            x.grad += (1 - t**2) * out.grad

        out._backward = _backward
    return out


def test_a_forgotten_backward_on_a_table_op_name_is_an_error_that_shows_the_line_to_write():
    x = Value(0.5, label="x")
    y = lecture_tanh(x, with_backward=False) * 2
    x.grad = 5.0
    with pytest.raises(MissingBackward) as error:
        y.backward()
    message = str(error.value)
    assert "\n" not in message and "Value(data=0.46211715726000974) has the op 'tanh' (built by hand)" in message
    assert "def _backward(): x.grad += (1 - out.data**2) * out.grad, then out._backward = _backward" in message
    assert "x.tanh() builds the same node with stepgrad's own rule" in message
    assert x.grad == 5.0  # nothing was added before the error
    with pytest.raises(MissingBackward, match="x.tanh"):
        next(backward_steps(y))
    with pytest.raises(MissingBackward, match="x.tanh"):
        grad_table(y)


def test_the_line_to_write_is_the_right_backward():
    # The message's line, run as written, gives the table rule's grads (finite differences agree).
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    made = Value(a.data * b.data, (a, b), "*", label="p")
    with pytest.raises(MissingBackward, match=r"node 'p' has the op '\*' \(built by hand\)") as error:
        made.backward()
    line = re.search(r"def _backward\(\): (.*), then out\._backward", str(error.value))[1]
    assert line == "a.grad += b.data * out.grad; b.grad += a.data * out.grad"
    exec(f"def _backward(): {line}", {"a": a, "b": b, "out": made}, namespace := {})
    made._backward = namespace["_backward"]
    made.backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)


@pytest.mark.parametrize(
    "children, op, words",
    [
        (lambda a, b: (a, b), "+", ["a.grad += 1 * out.grad; b.grad += 1 * out.grad", "a + b builds"]),
        (lambda a, b: (a,), "neg", ["a.grad += -1 * out.grad", "-a builds"]),
        (lambda a, b: (a, a), "*", ["a.grad += a.data * out.grad; a.grad += a.data * out.grad"]),
        (lambda a, b: (b, b), "+", ["x1.grad += 1 * out.grad; x1.grad += 1 * out.grad"]),
        (lambda a, b: (b, Value(1.0, label="x1")), "*", ["a.grad += b.data * out.grad; b.grad += a.data * out.grad"]),
        (lambda a, b: (b,), "exp", ["x1.grad += out.data * out.grad", "x1.exp() builds"]),
        (lambda a, b: (b, Value(1.0, label="w1")), "*", ["x1.grad += w1.data * out.grad; w1.grad += x1.data * out.grad"]),
        (lambda a, b: (Value(1.0, label="out"),), "tanh", ["a.grad += (1 - out.data**2) * out.grad"]),
        (lambda a, b: (a, b), "/", ["a.grad += (1 / b.data) * out.grad; b.grad += (-out.data / b.data) * out.grad"]),
    ],
)
def test_the_line_to_write_names_each_child_by_its_label_or_a_b(children, op, words):
    a, b = Value(2.0, label="x1*w1"), Value(3.0, label="x1")  # "x1*w1" is no name in code: the two are a and b
    made = Value(1.0, children(a, b), op)
    raises_naming(made.backward, MissingBackward, words)


def test_nodes_made_by_operators_and_methods_are_unaffected():
    x = Value(0.5, label="x")
    lecture_tanh(x)  # a hand-built node exists: backward() takes its slower path, which checks
    y = (x * x).tanh() + x / 2
    y.backward()
    assert x.grad == pytest.approx((1 - math.tanh(0.25) ** 2) * 2 * 0.5 + 0.5, rel=1e-12)  # d/dx tanh(x^2) + x/2


def test_a_hand_built_node_with_its_backward_mixes_with_table_ops():
    x = Value(0.5, label="x")
    y = (lecture_tanh(x * 3) * x).exp()  # d/dx = y * ((1 - tanh(3x)^2) * 3 * x + tanh(3x))
    y.backward()
    t = math.tanh(1.5)
    assert x.grad == pytest.approx(y.data * ((1 - t**2) * 3 * 0.5 + t), rel=1e-12)


def test_a_subclass_built_by_its_constructor_needs_its_backward_too():
    a, b = SeedValue(2.0), SeedValue(3.0)
    made = SeedValue(a.data + b.data, (a, b), "+")
    raises_naming(made.backward, MissingBackward, ["'+'", "a.grad += 1 * out.grad"])


def test_an_unknown_op_without_a_backward_says_how_to_give_it_one():
    a = Value(2.0, label="a")
    made = Value(8.0, (a,), "cube")
    out = made * a
    a.grad = 5.0
    with pytest.raises(MissingBackward, match=r"'cube'.*does not know.*out\._backward = _backward"):
        out.backward()
    assert a.grad == 5.0  # nothing was added before the error
    with pytest.raises(MissingBackward, match="'cube'"):
        next(backward_steps(out))


def test_a_table_op_name_with_the_wrong_number_of_children_is_refused_at_backward():
    a = Value(2.0)
    made = Value(2.0, (a,), "+")
    with pytest.raises(MissingBackward, match="'\\+' with 1 children.*takes 2"):
        made.backward()


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value(2.0, "x"), TypeError, ["label='x'"]),
        (lambda: Value(2.0, (1.0, 2.0), "+"), TypeError, ["must be Values", "float"]),
        (lambda: Value(2.0, Value(1.0), "neg"), TypeError, ["(a,)"]),
        (lambda: Value(2.0, 5, "neg"), TypeError, ["tuple of Values", "int"]),
        (lambda: Value(2.0, (Value(1.0),)), ValueError, ["name of its op"]),
        (lambda: Value(2.0, (Value(1.0),) * 3, "sum3"), ValueError, ["at most two children"]),
        (lambda: Value(2.0, label=3), TypeError, ["label must be a string"]),
    ],
)
def test_the_constructor_explains_what_to_write(make, error, words):
    raises_naming(make, error, words)


def test_backward_must_be_a_function_on_a_node_built_by_hand():
    a = Value(1.0)
    with pytest.raises(TypeError, match="function of no arguments"):
        Value(2.0, (a,), "neg")._backward = 3.0
    with pytest.raises(AttributeError, match="only a node built by hand"):
        (a * 2)._backward = lambda: None


def test_compile_refuses_a_node_with_its_own_backward():
    o, nodes = seed_tanh_neuron()
    with pytest.raises(ValueError, match=r"'o' \(op 'tanh'\) has a backward of its own"):
        compile(o, [nodes["x1"]])


def test_micrograd_readme_example_with_only_the_import_changed():
    # from micrograd.engine import Value  ->  from autograd import Value
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_micrograd_style_power_op_with_its_own_backward():
    """micrograd's `__pow__` names its op `**2`, an op the table does not know."""

    def power(self, other):
        out = Value(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += (other * self.data ** (other - 1)) * out.grad

        out._backward = _backward
        return out

    x = Value(3.0)
    y = power(x, 2) * x  # x^3
    y.backward()
    assert x.grad == 27.0
    assert "**2" in draw_dot(y).source


def test_hand_built_nodes_leave_no_mark_on_leaves():
    o, _ = seed_tanh_neuron()
    o.backward()
    assert all(type(node.grad) is float for node in all_nodes(o))


@pytest.mark.slow
def test_micrograd_demo_training_loop_with_only_the_imports_changed():
    """micrograd's demo.ipynb loop (from micrograd.nn import ... -> from nn import ...), on 40 moons."""
    from nn import MLP, Layer, Neuron
    from nn.data import make_moons

    random.seed(1337)  # as the demo does
    X, y = make_moons(40, noise=0.1, seed=3)
    y = [yi * 2 - 1 for yi in y]  # make y be -1 or 1, as the demo does
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337
    assert Neuron(2, nonlin=False).nonlin is False and Layer(2, 3, nonlin=False).neurons[0].activation is None

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    losses = []
    for k in range(20):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(total_loss.data)
    assert losses[-1] < 0.5 * losses[0] and acc >= 0.85, (losses, acc)
