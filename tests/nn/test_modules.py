"""Neuron, Layer, MLP: shapes, parameters, init, and a forward pass by hand."""

import math
import random
import statistics

import numpy as np
import pytest

from autograd import Value, no_grad
from autograd.engine.value import weighted_sum
from nn import MLP, Layer, Module, Neuron


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize(
    "nin, nouts, count",
    [(2, [16, 16, 1], 337), (3, [4, 4, 1], 41), (2, [2, 1], 9), (1, [1], 2), (5, [3], 18)],
)
def test_parameter_counts(nin, nouts, count):
    # each neuron has one weight per input plus a bias: sum_l n_l * (n_{l-1} + 1)
    sizes = [nin] + nouts
    assert sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts))) == count
    assert len(MLP(nin, nouts, seed=0).parameters()) == count


def test_named_parameters_are_unique_and_ordered_like_parameters():
    model = MLP(2, [3, 1], seed=0)
    named = model.named_parameters()
    names = [name for name, _ in named]
    assert len(set(names)) == len(names) == 13
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert [p for _, p in named] == model.parameters()


def test_zero_grad_clears_every_parameter():
    model = MLP(2, [4, 1], seed=0)
    model([0.5, -1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_reprs_name_the_architecture():
    assert repr(Neuron(3, "tanh")) == "Neuron(3, activation='tanh')"
    assert repr(Layer(2, 4)) == "Layer(2, 4, activation='relu')"
    assert repr(MLP(2, [16, 1])) == "MLP(2, [16, 1], activation='relu', out_activation=None)"
    assert repr(Module()) == "Module(0 parameters)"


def test_print_shows_every_layer_and_neuron_as_micrograd_does():
    micrograd_nn = pytest.importorskip("micrograd.nn", reason="micrograd 0.1.0 is the reference: pip install micrograd")
    for nin, nouts in [(2, [16, 16, 1]), (3, [4, 4, 1]), (1, [1]), (2, [3, 2])]:
        assert str(MLP(nin, nouts)) == str(micrograd_nn.MLP(nin, nouts))
        assert str(Layer(nin, nouts[0])) == str(micrograd_nn.Layer(nin, nouts[0]))
    assert str(MLP(2, [2, 1])) == "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]"
    assert str(MLP(3, [1, 1], activation="tanh", out_activation="sigmoid")) == (
        "MLP of [Layer of [TanhNeuron(3)], Layer of [SigmoidNeuron(1)]]"
    )
    assert repr(MLP(2, [2, 1])) == "MLP(2, [2, 1], activation='relu', out_activation=None)"  # the repr stays short


def test_single_output_is_a_value_and_several_a_list():
    assert isinstance(MLP(2, [4, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [4, 3], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3 and all(isinstance(v, Value) for v in out)
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), Value)
    assert len(Layer(2, 2, seed=0).forward([1.0, 2.0])) == 2


def test_inputs_may_be_values_and_gradients_reach_them():
    x = [Value(0.5), Value(-1.5)]
    model = MLP(2, [4, 1], activation="tanh", seed=1)
    model(x).backward()
    assert all(v.grad != 0.0 for v in x)


def test_a_one_wide_hidden_layer_still_feeds_the_next():
    out = MLP(2, [1, 2], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2


def test_seed_002_network_by_hand():
    # 2-2-1 sigmoid network of seed 002: x = (0.888, -0.49), w1..w6, zero biases.
    model = MLP(2, [2, 1], activation="sigmoid", out_activation="sigmoid", seed=0)
    (n1, n2), (out,) = model.layers[0].neurons, model.layers[1].neurons
    for weight, value in zip(n1.w + n2.w + out.w, [1.76, 0.4, 0.97, 2.24, 1.86, -0.97]):
        weight.data = value
    x1, x2 = 0.888, -0.49
    hidden = model.layers[0]([x1, x2])
    y = model([x1, x2])

    h1 = sigmoid(x1 * 1.76 + x2 * 0.4)
    h2 = sigmoid(x1 * 0.97 + x2 * 2.24)
    assert (round(hidden[0].data, 3), round(hidden[1].data, 3)) == (0.797, 0.441)
    assert round(y.data, 4) == 0.7416
    assert hidden[0].data == pytest.approx(h1, abs=1e-15)
    assert hidden[1].data == pytest.approx(h2, abs=1e-15)
    assert y.data == pytest.approx(sigmoid(h1 * 1.86 - 0.97 * h2), abs=1e-15)


def test_same_seed_same_weights_and_global_rng_untouched():
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    first = [p.data for p in MLP(2, [8, 1], seed=7).parameters()]
    second = [p.data for p in MLP(2, [8, 1], seed=7).parameters()]
    other = [p.data for p in MLP(2, [8, 1], seed=8).parameters()]
    assert first == second != other
    assert random.random() == expected_next


def test_without_a_seed_the_global_rng_draws_as_in_micrograd():
    random.seed(1337)
    first = [p.data for p in MLP(2, [8, 1]).parameters()]
    random.seed(1337)
    assert [p.data for p in MLP(2, [8, 1]).parameters()] == first


def weights(model, layer):
    return [w.data for n in model.layers[layer].neurons for w in n.w]


def test_uniform_init_is_micrograds():
    w = weights(MLP(40, [50, 1], init="uniform", seed=0), 0)
    assert -1.0 <= min(w) < -0.9 and 0.9 < max(w) <= 1.0


def test_xavier_init_bound_and_variance():
    fan_in, fan_out = 40, 50
    w = weights(MLP(fan_in, [fan_out, 1], activation="tanh", init="xavier", seed=0), 0)
    bound = math.sqrt(6 / (fan_in + fan_out))
    assert max(abs(x) for x in w) <= bound
    assert statistics.pvariance(w) == pytest.approx(2 / (fan_in + fan_out), rel=0.1)


def test_he_init_variance():
    w = weights(MLP(40, [50, 1], init="he", seed=0), 0)
    assert statistics.pvariance(w) == pytest.approx(2 / 40, rel=0.1)
    assert statistics.mean(w) == pytest.approx(0.0, abs=0.02)


def test_auto_init_is_he_for_relu_and_xavier_otherwise():
    for activation, reference in (("relu", "he"), ("tanh", "xavier"), ("sigmoid", "xavier")):
        auto = MLP(3, [5, 2], activation=activation, init="auto", seed=4)
        chosen = MLP(3, [5, 2], activation=activation, init=reference, seed=4)
        assert weights(auto, 0) == weights(chosen, 0)
    # the linear output layer is drawn with Xavier under "auto"
    auto = MLP(3, [5, 2], init="auto", seed=4)
    bound = math.sqrt(6 / (5 + 2))
    assert max(abs(x) for x in weights(auto, 1)) <= bound


def test_default_init_is_the_measured_best_uniform():
    assert weights(MLP(3, [5, 2], seed=4), 0) == weights(MLP(3, [5, 2], init="uniform", seed=4), 0)


def test_biases_start_at_zero():
    for init in ("uniform", "xavier", "he", "auto"):
        assert all(n.b.data == 0.0 for layer in MLP(2, [4, 1], init=init, seed=0).layers for n in layer.neurons)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: MLP(2, [4, 1], activation="softmax"), "unknown activation 'softmax'"),
        (lambda: MLP(2, [4, 1], init="zeros"), "unknown init 'zeros'"),
        (lambda: MLP(2, []), "nouts must be a non-empty list"),
        (lambda: MLP(0, [1]), "nin must be a whole number >= 1, got 0"),
        (lambda: Layer(2, 0), "nout must be a whole number >= 1, got 0"),
        (lambda: MLP(2, [4, 1])([1.0]), r"takes 2 inputs, got 1"),
    ],
)
def test_bad_arguments_say_what_is_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_calling_on_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="takes a list of 1 numbers or Values, got float"):
        Neuron(1)(3.0)


def test_numpy_whole_numbers_are_accepted_and_stored_as_int(tmp_path):
    model = MLP(np.int64(2), [np.int64(3), np.int32(1)], seed=0)
    assert model.config()["nouts"] == [3, 1] and all(type(n) is int for n in [model.nin, *model.nouts])
    assert type(Layer(np.int8(2), np.uint16(3)).nout) is int
    model.save(tmp_path / "model.json")  # the config is plain JSON
    assert MLP.load(tmp_path / "model.json").config() == model.config()


def _shape(node, by_data=False):
    """A graph as nested (op, data, children) tuples, leaves by identity (or by data): two graphs compare node for node."""
    if not node._op or node._op == "lecture op":
        return node.data if by_data else id(node)
    return (node._op, node.data, tuple(_shape(child, by_data) for child in node.children))


def test_a_neuron_builds_the_graph_of_b_plus_w0x0_plus_w1x1():
    neuron = Neuron(2, activation="tanh", seed=3)
    x0, x1 = Value(0.5), Value(-2.0)
    by_hand = (neuron.b + neuron.w[0] * x0 + neuron.w[1] * x1).tanh()
    assert _shape(neuron([x0, x1])) == _shape(by_hand)


@pytest.mark.parametrize(
    "inputs",
    [
        lambda: [Value(0.5), Value(-2.0), Value(3.0)],
        lambda: [0.5, -2, np.float64(3.0)],  # numbers become leaves, as with `*`
        lambda: [Value(0.5), 2.0, Value(1.5, (Value(1.0),), "lecture op")],  # a node built by hand
    ],
)
def test_weighted_sum_builds_the_graph_the_operators_build(inputs):
    b, ws = Value(0.1), [Value(0.2), Value(-0.3), Value(0.4)]
    xs = inputs()
    by_operators = b + ws[0] * xs[0] + ws[1] * xs[1] + ws[2] * xs[2]
    made = weighted_sum(b, ws, xs)
    assert made.data == by_operators.data
    numbers = [type(x) is not Value for x in xs]
    # Number inputs become fresh leaves in both graphs: compare their data, not their identity.
    assert _shape(made, by_data=True) == _shape(by_operators, by_data=True)
    if not any(numbers):
        assert _shape(made) == _shape(by_operators)


def test_weighted_sum_with_an_array_first_goes_on_through_the_operators():
    b, ws = Value(0.5), [Value(2.0), Value(3.0)]
    out = weighted_sum(b, ws, [np.array([1.0, 10.0]), Value(1.0)])
    assert isinstance(out, np.ndarray) and [v.data for v in out] == [0.5 + 2.0 + 3.0, 0.5 + 20.0 + 3.0]


def test_weighted_sum_under_no_grad_keeps_no_graph():
    with no_grad():
        out = weighted_sum(Value(1.0), [Value(2.0)], [Value(3.0)])
    assert (out.data, out.children, out._op) == (7.0, (), "")


def test_a_numpy_array_input_goes_through_the_operators_as_before():
    neuron = Neuron(1, activation=None, seed=3)
    out = neuron([np.array([1.0, 2.0])])
    assert isinstance(out, np.ndarray) and [v.data for v in out] == [neuron.w[0].data * 1.0, neuron.w[0].data * 2.0]


def test_parameters_are_micrographs_list_in_named_parameters_order():
    model = MLP(3, [4, 2, 1], seed=0)
    for module in (model, model.layers[0], model.layers[0].neurons[0]):
        assert module.parameters() == [p for _, p in module.named_parameters()]
        assert all(type(p) is Value for p in module.parameters())
