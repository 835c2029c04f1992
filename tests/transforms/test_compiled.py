"""compile(): the replayed graph gives the eager engine's numbers."""

import math
import random
import struct

import pytest

from autograd import OPS, Value, compile
from autograd.transforms.code_writer import HEADER


def close(a, b):
    """Equal to the last bit (the sign of a zero too): the replay adds as `backward()` does."""
    return struct.pack("<d", a) == struct.pack("<d", b)


def eager(f, xs):
    """f's output and input gradients from the eager engine at the point xs."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def compiled(f, record_at):
    """f compiled from a graph recorded at `record_at`."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(record_at)]
    return compile(f(*leaves), leaves)


def assert_same(f, record_at, replay_at):
    replay = compiled(f, record_at)
    out, grads = replay(*replay_at)
    ref_out, ref_grads = eager(f, replay_at)
    assert close(out, ref_out)
    assert len(grads) == len(ref_grads)
    for g, r in zip(grads, ref_grads):
        assert close(g, r), (grads, ref_grads)


def test_tanh_neuron_matches_the_eager_engine(tanh_neuron):
    names = ("x1", "w1", "x2", "w2", "b")
    inputs = [tanh_neuron[name] for name in names]
    replay = compile(tanh_neuron["o"], inputs)
    tanh_neuron["o"].backward()
    out, grads = replay(*(x.data for x in inputs))
    assert close(out, tanh_neuron["o"].data)
    for name, g in zip(names, grads):
        assert close(g, tanh_neuron[name].grad), name
    # and the lesson's numbers, computed by hand: tanh(0.8814) = 1/sqrt(2), do/dx1 = -1.5, do/dw1 = 1
    assert out == pytest.approx(0.7071067811865476, abs=1e-12)
    assert grads[:2] == pytest.approx((-1.5, 1.0), abs=1e-12)


def mlp_loss(*params, points=((0.5, -1.0), (-0.3, 0.8), (1.2, 0.1)), labels=(1.0, -1.0, 1.0)):
    """A 2-3-3-1 relu MLP with hinge loss + L2, as in micrograd's demo."""
    params = list(params)
    sizes = (2, 3, 3, 1)
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layer = []
        for _ in range(n_out):
            ws = [params.pop(0) for _ in range(n_in)]
            layer.append((ws, params.pop(0)))
        layers.append(layer)
    losses = []
    for (a, b), y in zip(points, labels):
        x = [a, b]
        for i, layer in enumerate(layers):
            acts = [sum((w * xi for w, xi in zip(ws, x)), bias) for ws, bias in layer]
            x = acts if i == len(layers) - 1 else [act.relu() for act in acts]
        losses.append((1 + -y * x[0]).relu())
    return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in layers_params(layers))


def layers_params(layers):
    return [p for layer in layers for ws, b in layer for p in (*ws, b)]


N_MLP_PARAMS = 2 * 3 + 3 + 3 * 3 + 3 + 3 + 1


def test_mlp_matches_the_eager_engine_at_new_parameters():
    rng = random.Random(0)
    record_at = [rng.uniform(-1, 1) for _ in range(N_MLP_PARAMS)]
    replay = compiled(mlp_loss, record_at)
    for _ in range(5):  # one recording serves every training step
        new = [rng.uniform(-1, 1) for _ in range(N_MLP_PARAMS)]
        out, grads = replay(*new)
        ref_out, ref_grads = eager(mlp_loss, new)
        assert close(out, ref_out)
        assert all(close(g, r) for g, r in zip(grads, ref_grads))
        assert any(g != 0.0 for g in grads)


@pytest.mark.parametrize("record_at, replay_at", [(0.7, -0.4), (-0.4, 0.7), (0.7, 0.0), (-0.4, 1e-300)])
def test_relu_derivative_is_decided_on_each_call(record_at, replay_at):
    """Recorded on one side of the kink, replayed on the other (or on it)."""

    def f(x, w):
        return (x * w).relu() * 3.0

    assert_same(f, [record_at, 2.0], [replay_at, 2.0])
    out, grads = compiled(f, [record_at, 2.0])(replay_at, 2.0)
    expected = 6.0 if replay_at > 0 else 0.0
    assert grads[0] == expected


def _unary_case(name):
    return lambda a, b: OPS[name].forward(a) * b


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_replays_like_the_eager_engine(name):
    op = OPS[name]
    f = op.forward if op.arity == 2 else _unary_case(name)
    assert_same(f, [0.8, 1.7], [1.3, 0.6])


def test_numbers_and_constant_leaves_are_baked_in():
    def f(x, y):
        c = Value(4.0) * Value(0.5)  # depends on no input: a constant
        return (x * 2.0 - 1.0) / y + c * x - 3.0**y

    assert_same(f, [1.5, 2.5], [-0.75, 1.25])
    source = compiled(f, [1.5, 2.5]).source
    assert "2.0" in source and "(-1.0)" not in source


def test_an_input_the_output_does_not_use_gets_zero():
    x, unused = Value(2.0, label="x"), Value(5.0, label="unused")
    replay = compile(x * x, [x, unused])
    assert replay(3.0, 7.0) == (9.0, (6.0, 0.0))


def test_the_output_may_be_an_input():
    x = Value(2.0, label="x")
    assert compile(x, [x])(3.0) == (3.0, (1.0,))


def test_source_of_a_tiny_graph():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    replay = compile((x * y + x).tanh(), [x, y])
    assert replay.source == (
        "def replay(v0, v1):\n"
        "    # v0, v1: inputs, whose gradients are returned\n"
        "    # v0: label 'x'\n"
        "    # v1: label 'y'\n"
        + HEADER
        + "    # forward\n"
        "    v4 = tanh(v0 * v1 + v0)\n"  # x * y and x * y + x are used once: written inside tanh's line
        "    # backward: vK_bar = d(output)/d(node K), parents first\n"
        "    v3_bar = (1 - v4**2) * 1.0\n"
        "    v0_bar = 0.0 + v3_bar + v1 * v3_bar\n"  # v2 = x * y passes v3_bar on through +: v2_bar is v3_bar
        "    v1_bar = 0.0 + v0 * v3_bar\n"
        "    return v4, (v0_bar, v1_bar)\n"
    )


def test_wrong_number_of_inputs_is_a_clear_error():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    replay = compile(x * y, [x, y])
    with pytest.raises(TypeError, match=r"takes 2 input values \(x, y\), got 1"):
        replay(1.0)
    with pytest.raises(TypeError, match="got 3"):
        replay(1.0, 2.0, 3.0)


def test_inputs_must_be_distinct_leaves():
    x = Value(2.0, label="x")
    y = x * 3
    with pytest.raises(ValueError, match=r"leaves.*inputs\[1\].*'\*'"):
        compile(y * x, [x, y])
    with pytest.raises(ValueError, match="twice"):
        compile(y, [x, x])
    with pytest.raises(TypeError, match="float"):
        compile(y, [2.0])


def test_the_engine_is_untouched_by_compiling():
    x = Value(0.3, label="x")
    y = (x * x).exp()
    y.backward()
    before = (x.grad, y.grad, y.data)
    compile(y, [x])(0.9)
    assert (x.grad, y.grad, y.data) == before


def test_extras_give_the_values_of_inner_nodes_too():
    x, w = Value(0.5, label="x"), Value(-2.0, label="w")
    score = x * w
    loss = (1 - score).relu()
    replay = compile(loss, [x, w], extras=[score, x])
    out, grads, (score_value, x_value) = replay(1.5, 3.0)
    assert (out, score_value, x_value) == (0.0, 4.5, 1.5)
    assert grads == (0.0, 0.0)
    with pytest.raises(ValueError, match=r"extras\[0\]"):
        compile(loss, [x, w], extras=[Value(1.0)])


def test_labels_are_never_run_as_code(capsys):
    w = Value(3.0, label='w\n    print("INJECTED")')
    x = Value(2.0, label="x\r\n")
    f = compile(w * x + 1, [w, x])
    assert f(1.0, 2.0) == (3.0, (2.0, 1.0))
    assert capsys.readouterr().out == ""
    assert "\n    print(" not in f.source  # the label is in a comment, as its repr
    assert f.input_labels == (w.label, x.label)
    x, d = Value(2.0, label="x"), Value(3.0, label='d\n    print("INJECTED")')  # a data leaf's label too
    replay = compile(x * d, [x], data=[d])
    assert replay(1.0, 5.0) == (5.0, (5.0,))
    assert capsys.readouterr().out == ""
    assert "\n    print(" not in replay.source
    assert replay.data_labels == (d.label,)


def test_compile_of_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="compile needs a Value as its output .* got float 2.0"):
        compile(2.0, [Value(1.0)])


@pytest.mark.parametrize("enabled_before", [True, False])
def test_compile_leaves_the_collector_as_it_found_it_even_when_it_fails(enabled_before):
    import gc

    x = Value(2.0)
    (gc.enable if enabled_before else gc.disable)()
    try:
        compile(x * x, [x])
        assert gc.isenabled() == enabled_before
        custom = Value(x.data, (x,), "custom")
        custom._backward = lambda: None
        with pytest.raises(ValueError, match="backward of its own"):
            compile(custom * x, [x])  # refused inside the paused block
        assert gc.isenabled() == enabled_before
    finally:
        gc.enable()


def test_a_lone_value_for_the_inputs_is_named():
    w = Value(2.0, label="w")
    with pytest.raises(TypeError, match=r"inputs as a list of Values: write \[w\]"):
        compile(w * w, w)


class HostileLabel(str):
    """A label whose repr, str and format each try to leave the comment and run code."""

    CODE = "'\n    print('INJECTED')\n    #"

    def __repr__(self):
        return self.CODE

    def __str__(self):
        return HostileLabel(self.CODE)

    def __format__(self, spec):
        return self.CODE


@pytest.mark.parametrize(
    "label",
    [
        HostileLabel("w"),
        *(f"w{line_break}print('INJECTED')" for line_break in ("\n", "\r", "\r\n", "\u2028", "\x85", "\x0c", "\x0b")),
        "w\x00",
    ],
)
def test_a_label_reaches_the_source_only_as_an_escaped_comment(label, capsys):
    w, x = Value(3.0, label=label), Value(2.0, label="x")
    replay = compile(w * x, [w], data=[x])
    assert replay(1.0, 5.0) == (5.0, (5.0,))
    assert capsys.readouterr().out == ""
    comment = next(line for line in replay.source.splitlines() if line.startswith("    # v0: label"))
    assert comment == f"    # v0: label {str.__repr__(str.__str__(label))}"
    plain_w = Value(3.0, label="w")
    assert len(replay.source.splitlines()) == len(compile(plain_w * x, [plain_w], data=[x]).source.splitlines())


class HostileObject:
    def __str__(self):
        return HostileLabel("w")


def test_a_label_that_is_not_a_string_is_left_out_of_the_source(capsys):
    w = Value(3.0)
    w.label = HostileObject()  # set after the constructor, which checks it
    replay = compile(w * w, [w])
    assert replay(2.0) == (4.0, (4.0,))
    assert capsys.readouterr().out == ""
    assert "label" not in replay.source


@pytest.mark.parametrize(
    "build",
    [
        lambda x, y: Value(100.0, (x, y), "+"),  # data that is not x + y
        lambda x, y: Value(math.tanh(x.data * y.data), (x * y,), "tanh"),  # the lecture's tanh, no _backward of its own
    ],
)
def test_compile_refuses_a_node_built_by_hand(build):
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    node = build(x, y)
    node.label = "handmade"
    with pytest.raises(ValueError, match=r"'handmade'.*built by hand"):
        compile(node * x, [x, y])
