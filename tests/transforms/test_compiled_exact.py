"""compile(): the eager engine's numbers bit for bit, data leaves as arguments, long graphs.

The reference is the eager engine: a graph built at the replay's values
and `backward()` on it.  "Bit for bit" compares the floats' bytes, so a
0.0 where eager has -0.0 fails too.
"""

import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, compile
from autograd.engine.graph import all_nodes
from nn import MLP
from nn.data import make_moons
from nn.losses import hinge, mse
from tests.helpers.random_programs import points, programs, run


def bits(x):
    return struct.pack("<d", x)


def assert_bits_equal(got, expected):
    got, expected = list(got), list(expected)
    assert len(got) == len(expected)
    assert [bits(x) for x in got] == [bits(x) for x in expected], (got, expected)


def eager(build, values):
    """The output and the gradients of the leaves, from a graph built at `values` by the eager engine."""
    leaves = [Value(x) for x in values]
    out = build(leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def assert_replay_is_eager(build, record_at, replay_at, n_inputs):
    """`build` compiled at `record_at` and replayed at `replay_at` gives what eager gives there.

    The first `n_inputs` leaves are inputs; the others that are in the graph are data.
    """
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(record_at)]
    out = build(leaves)
    in_graph = set(all_nodes(out))
    data = [i for i in range(n_inputs, len(leaves)) if leaves[i] in in_graph]
    replay = compile(out, leaves[:n_inputs], data=[leaves[i] for i in data])
    got_out, grads = replay(*replay_at[:n_inputs], *(replay_at[i] for i in data))
    ref_out, ref_grads = eager(build, replay_at)
    assert_bits_equal([got_out, *grads], [ref_out, *ref_grads[:n_inputs]])


# --- random graphs --------------------------------------------------------------


def program_of(program):
    return lambda leaves: run(program, leaves)


@settings(max_examples=600, deadline=None)
@given(programs(max_length=20), points, points, st.integers(0, 3))
def test_random_programs_replay_bit_for_bit_at_new_values(program, record_at, replay_at, n_inputs):
    """The last 3 - n_inputs leaves are data; the replay's values are new for inputs and data alike."""
    assert_replay_is_eager(program_of(program), record_at, replay_at, n_inputs)


@settings(max_examples=100, deadline=None)
@given(programs(max_length=20), points)
def test_random_programs_replay_bit_for_bit_where_they_were_recorded(program, at):
    assert_replay_is_eager(program_of(program), at, at, 3)


# --- the MLP training step ------------------------------------------------------


def mlp_step(n_points=12, seed=0):
    """An MLP(2, [8, 8, 1]) hinge + L2 step: its model, inputs as data leaves, and the loss."""
    X, y = make_moons(n_points, noise=0.1, seed=seed)
    model = MLP(2, [8, 8, 1], seed=seed)
    rows = [[Value(a), Value(b)] for a, b in X]
    loss = hinge([model(row) for row in rows], list(y), l2=1e-4, parameters=model.parameters())
    return model, rows, y, loss


def eager_mlp_step(parameter_values, X, y):
    model = MLP(2, [8, 8, 1], seed=0)
    for p, value in zip(model.parameters(), parameter_values):
        p.data = value
    loss = hinge([model(list(x)) for x in X], list(y), l2=1e-4, parameters=model.parameters())
    loss.backward()
    return loss.data, [p.grad for p in model.parameters()]


def test_mlp_step_replays_bit_for_bit_at_new_parameters_and_new_data():
    model, rows, y, loss = mlp_step()
    data = [x for row in rows for x in row]
    replay = compile(loss, model.parameters(), data=data)
    rng = random.Random(1)
    for _ in range(5):
        parameters = [p.data + rng.gauss(0, 0.5) for p in model.parameters()]
        X = [[rng.uniform(-1.5, 2.5), rng.uniform(-1.0, 1.5)] for _ in rows]  # new points, same labels
        out, grads = replay(*parameters, *(v for x in X for v in x))
        ref_out, ref_grads = eager_mlp_step(parameters, X, y)
        assert_bits_equal([out, *grads], [ref_out, *ref_grads])
        assert any(g != 0.0 for g in grads)


def test_mlp_step_with_the_points_baked_in_replays_bit_for_bit():
    model, rows, y, loss = mlp_step()
    replay = compile(loss, model.parameters())
    X = [[x.data for x in row] for row in rows]
    parameters = [p.data * 0.9 + 0.01 for p in model.parameters()]
    out, grads = replay(*parameters)
    ref_out, ref_grads = eager_mlp_step(parameters, X, y)
    assert_bits_equal([out, *grads], [ref_out, *ref_grads])


def test_targets_that_enter_the_graph_as_data():
    """mse's targets enter as `p - t`: new targets replay like a fresh eager pass."""
    w, b = Value(0.5, label="w"), Value(-0.25, label="b")
    xs = [Value(x) for x in (0.0, 1.0, 2.0)]
    ts = [Value(t) for t in (1.0, 3.0, 5.0)]
    replay = compile(mse([w * x + b for x in xs], ts), [w, b], data=[*xs, *ts])
    new_x, new_t = [0.5, -1.0, 3.0], [2.0, -7.0, 0.1]
    out, grads = replay(1.5, 0.75, *new_x, *new_t)

    w2, b2 = Value(1.5), Value(0.75)
    ref = mse([w2 * x + b2 for x in new_x], new_t)
    ref.backward()
    assert_bits_equal([out, *grads], [ref.data, w2.grad, b2.grad])


# --- bad calls ---------------------------------------------------------------------


def test_wrong_number_of_data_values_is_a_clear_error():
    x, d = Value(2.0, label="x"), Value(3.0, label="d")
    replay = compile(x * d, [x], data=[d])
    assert replay(1.0, 4.0) == (4.0, (4.0,))
    with pytest.raises(TypeError, match=r"takes 1 input values \(x\) then 1 data values \(d\), got 1 values"):
        replay(1.0)
    with pytest.raises(TypeError, match="got 3 values"):
        replay(1.0, 2.0, 3.0)


def test_data_must_be_leaves_of_the_graph_and_not_inputs():
    x, d, elsewhere = Value(2.0, label="x"), Value(3.0, label="d"), Value(1.0, label="elsewhere")
    y = x * d
    with pytest.raises(ValueError, match=r"data\[0\] \(label 'x'\) is also one of the inputs"):
        compile(y, [x], data=[x])
    with pytest.raises(ValueError, match=r"data\[1\] \(label 'elsewhere'\) is not a leaf of the graph"):
        compile(y, [x], data=[d, elsewhere])
    with pytest.raises(ValueError, match=r"leaves as data; data\[0\] is the result of '\*'"):
        compile(y * 2, [x], data=[y])
    with pytest.raises(ValueError, match=r"data\[1\] appears twice"):
        compile(y, [x], data=[d, d])
    with pytest.raises(TypeError, match=r"Values as data, got float at data\[0\]"):
        compile(y, [x], data=[3.0])


# --- the fused form and Python's compiler limits ---------------------------------------------


def test_a_neuron_is_one_line():
    ws = [Value(w, label=f"w{i}") for i, w in enumerate((0.5, -1.0, 2.0))]
    xs = [Value(x) for x in (1.0, 2.0, 3.0)]
    b = Value(0.1, label="b")
    act = sum((w * x for w, x in zip(ws, xs)), b).relu()
    source = compile(act, [*ws, b], data=xs).source
    forward = source[source.index("# forward\n") : source.index("# backward")].splitlines()[1:]
    assert [line.strip() for line in forward if line.strip()] == ["v12 = v3 + v0 * v4 + v1 * v5 + v2 * v6", "v13 = relu(v12)"]


def wide_neuron(leaves):
    """relu(b + sum_i w_i * x_i) over n weights, n data points and a bias: 2n + 1 leaves."""
    n = (len(leaves) - 1) // 2
    ws, xs, b = leaves[:n], leaves[n : 2 * n], leaves[-1]
    return sum((w * x for w, x in zip(ws, xs)), b).relu()


def test_a_10000_input_neuron_compiles_and_replays_bit_for_bit():
    rng = random.Random(10_000)
    n = 10_000
    record_at = [rng.uniform(-1, 1) for _ in range(2 * n)] + [5.0]
    replay_at = [rng.uniform(-1, 1) for _ in range(2 * n)] + [5.0]
    leaves = [Value(x) for x in record_at]
    ws, xs, b = leaves[:n], leaves[n:-1], leaves[-1]
    replay = compile(wide_neuron(leaves), [*ws, b], data=xs)
    out, grads = replay(*replay_at[:n], replay_at[-1], *replay_at[n:-1])
    ref_out, ref_grads = eager(wide_neuron, replay_at)
    assert_bits_equal([out, *grads], [ref_out, *ref_grads[:n], ref_grads[-1]])
    assert out > 0.0


def test_a_weight_used_10000_times_has_a_long_adjoint_sum():
    def build(leaves):
        w, xs = leaves[0], leaves[1:]
        return sum((w * x).tanh() for x in xs)

    rng = random.Random(2)
    values = [0.3] + [rng.uniform(-1, 1) for _ in range(10_000)]
    assert_replay_is_eager(build, values, [-0.7, *values[1:]], 1)


@pytest.mark.parametrize(
    "chain",
    [
        lambda x: x * 1.0001 + 0.5,  # folds into one expression: cut into lines of at most MAX_DEPTH nodes
        lambda x: -x,  # negations pass the adjoint on with its sign
        lambda x: x.tanh() * 1.5,
    ],
)
def test_a_chain_20000_deep_compiles_and_replays_bit_for_bit(chain):
    def build(leaves):
        y = leaves[0]
        for _ in range(20_001):
            y = chain(y)
        return y

    assert_replay_is_eager(build, [0.3], [-0.45], 1)
