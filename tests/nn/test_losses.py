"""Losses: values against hand-computed cases, gradients against central
differences, and finite answers at extreme logits."""

import math

import pytest

from autograd import Value, gradcheck
from nn.losses import binary_cross_entropy, cross_entropy, hinge, logsumexp, mse, softplus


def naive_bce(z, t):
    p = 1.0 / (1.0 + math.exp(-z))
    return -t * math.log(p) - (1 - t) * math.log(1 - p)


def naive_cross_entropy(logits, target):
    total = sum(math.exp(z) for z in logits)
    return -math.log(math.exp(logits[target]) / total)


def test_mse_value_by_hand():
    # ((1 - 0)**2 + (3 - 1)**2) / 2
    assert mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data == 2.5


def test_mse_takes_a_single_pair():
    assert mse(Value(4.0), 1.0).data == 9.0


def test_hinge_value_by_hand():
    # margins: 1 - 0.5*(+1) = 0.5; 1 - (-2)*(+1) = 3; 1 - 3*(-1) = 4; 1 - (-1.5)*(-1) = -0.5 -> 0
    scores = [Value(0.5), Value(-2.0), Value(3.0), Value(-1.5)]
    assert hinge(scores, [1, 1, 0, 0]).data == 7.5 / 4
    assert hinge(scores, [1, 1, -1, -1]).data == 7.5 / 4
    params = [Value(2.0), Value(-1.0)]
    assert hinge(scores, [1, 1, 0, 0], l2=0.1, parameters=params).data == pytest.approx(7.5 / 4 + 0.1 * 5)


def test_binary_cross_entropy_value_by_hand():
    # -log sigmoid(0.5) = log(1 + e**-0.5); -log(1 - sigmoid(-1)) = log(1 + e**-1)
    loss = binary_cross_entropy([Value(0.5), Value(-1.0)], [1, 0])
    assert loss.data == pytest.approx((math.log(1 + math.exp(-0.5)) + math.log(1 + math.exp(-1.0))) / 2, abs=1e-15)
    assert loss.data == pytest.approx((naive_bce(0.5, 1) + naive_bce(-1.0, 0)) / 2, abs=1e-15)


def test_binary_cross_entropy_at_zero_is_log_2_with_gradient_half():
    z = Value(0.0)
    loss = binary_cross_entropy(z, 1.0)
    loss.backward()
    assert loss.data == pytest.approx(math.log(2), abs=1e-15)
    assert z.grad == pytest.approx(0.5 - 1.0, abs=1e-15)  # sigmoid(0) - t


def test_cross_entropy_value_by_hand():
    # -log(e**1 / (e**1 + e**2 + e**3)) = log(1 + e + e**2)
    logits = [Value(1.0), Value(2.0), Value(3.0)]
    assert cross_entropy(logits, 0).data == pytest.approx(math.log(1 + math.e + math.e**2), abs=1e-14)
    assert cross_entropy(logits, 2).data == pytest.approx(naive_cross_entropy([1.0, 2.0, 3.0], 2), abs=1e-14)


def test_cross_entropy_batch_is_the_mean():
    batch = [[Value(1.0), Value(-1.0)], [Value(0.2), Value(0.7)]]
    expected = (naive_cross_entropy([1.0, -1.0], 1) + naive_cross_entropy([0.2, 0.7], 0)) / 2
    assert cross_entropy(batch, [1, 0]).data == pytest.approx(expected, abs=1e-14)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    logits = [Value(0.3), Value(-1.2), Value(2.0)]
    cross_entropy(logits, 1).backward()
    total = sum(math.exp(v.data) for v in logits)
    for k, v in enumerate(logits):
        assert v.grad == pytest.approx(math.exp(v.data) / total - (k == 1), abs=1e-15)


GRADCHECKS = {
    "mse": (lambda a, b, c: mse([a, b, c], [0.5, -1.0, 2.0]), (0.3, 1.7, -0.4)),
    "hinge": (lambda a, b, c: hinge([a, b, c], [1, 0, 1]), (0.3, -0.6, -2.0)),
    "hinge + l2": (lambda a, b, c: hinge([a, b], [1, 0], l2=0.05, parameters=[a, b, c]), (0.3, 0.2, -1.1)),
    "binary_cross_entropy": (lambda a, b, c: binary_cross_entropy([a, b, c], [1, 0, 0.3]), (0.7, -2.5, 4.0)),
    "cross_entropy": (lambda a, b, c: cross_entropy([a, b, c], 1), (0.7, -2.5, 4.0)),
    "logsumexp": (lambda a, b, c: logsumexp([a, b, c]), (10.0, 9.5, -3.0)),
    "softplus": (lambda a, b, c: softplus(a) * softplus(b) + softplus(c), (-3.0, 0.0, 30.0)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradient_matches_central_differences(name):
    f, point = GRADCHECKS[name]
    report = gradcheck(f, [Value(x) for x in point])
    assert report, str(report)


@pytest.mark.parametrize(
    "z, t, value, grad",
    [(1000.0, 1, 0.0, 0.0), (1000.0, 0, 1000.0, 1.0), (-1000.0, 1, 1000.0, -1.0), (-1000.0, 0, 0.0, 0.0)],
)
def test_binary_cross_entropy_at_extreme_logits(z, t, value, grad):
    # loss = relu(z) - t z + log(1 + e**-|z|), d/dz = sigmoid(z) - t
    logit = Value(z)
    loss = binary_cross_entropy(logit, t)
    loss.backward()
    assert (loss.data, logit.grad) == (value, grad)


def test_cross_entropy_at_extreme_logits():
    logits = [Value(1000.0), Value(0.0), Value(-1000.0)]
    loss = cross_entropy(logits, 1)
    loss.backward()
    assert loss.data == 1000.0
    assert [v.grad for v in logits] == [1.0, -1.0, 0.0]
    assert cross_entropy([Value(1000.0), Value(0.0)], 0).data == 0.0
    assert cross_entropy([Value(1000.0), Value(1000.0)], 0).data == pytest.approx(math.log(2), abs=1e-12)
    assert cross_entropy([Value(-1000.0), Value(-1000.0)], 1).data == pytest.approx(math.log(2), abs=1e-12)


def test_cross_entropy_keeps_its_precision_beside_huge_logits():
    # -log softmax([s + 0.5, s])[1] = 0.5 + log(1 + e**-0.5) whatever the shift s
    expected = 0.5 + math.log1p(math.exp(-0.5))
    for shift in (0.0, 1e6, 1e9):
        loss = cross_entropy([Value(shift + 0.5), Value(shift)], 1)
        assert loss.data == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("z", [5.0, 10.0, 20.0])
def test_binary_cross_entropy_of_a_confident_right_answer_keeps_its_precision(z):
    # -log sigmoid(z) = log(1 + e**-z), a small number next to z
    assert binary_cross_entropy(Value(z), 1).data == pytest.approx(math.log1p(math.exp(-z)), rel=1e-7, abs=0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: mse([Value(1.0)], [1.0, 2.0]), "mse: 1 outputs but 2 targets"),
        (lambda: hinge([], []), "hinge: the batch is empty"),
        (lambda: cross_entropy([Value(1.0), Value(2.0)], 2), r"class index in 0..1, got 2"),
        (lambda: cross_entropy([], 0), "non-empty list of logits"),
        (lambda: logsumexp([]), "at least one value"),
        (lambda: binary_cross_entropy([Value(1.0), Value(2.0)], [1, -1]), r"targets must be numbers in \[0, 1\], got -1 for sample 1; .* use hinge"),
        (lambda: binary_cross_entropy(Value(1.0), 1.5), r"in \[0, 1\], got 1.5 for sample 0"),
        (lambda: binary_cross_entropy(Value(1.0), float("nan")), r"in \[0, 1\], got nan"),
        (lambda: binary_cross_entropy([Value(1.0)], ["1"]), r"in \[0, 1\], got '1'"),
    ],
)
def test_bad_batches_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_list_of_class_scores_is_not_a_binary_output():
    with pytest.raises(TypeError, match="hinge takes one number or Value per sample; .* use cross_entropy"):
        hinge([[Value(1.0), Value(2.0)]], [1])


def test_cross_entropy_is_finite_for_logits_far_apart():
    loss = cross_entropy([Value(-1e19), Value(1000.0)], 1)
    loss.backward()
    assert loss.data == 0.0  # PyTorch gives 0 too


def test_cross_entropy_takes_a_numpy_integer_class():
    import numpy as np
    assert cross_entropy([Value(0.0), Value(0.0)], np.int64(1)).data == pytest.approx(math.log(2))


def test_hinge_refuses_a_nan_label():
    with pytest.raises(ValueError, match="hinge targets must be numbers .* got nan for sample 1"):
        hinge([Value(1.0), Value(-1.0)], [1.0, math.nan])
