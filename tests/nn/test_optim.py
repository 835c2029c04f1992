"""Optimizers reduce a quadratic; the schedule hook and clipping do what they say."""

import math

import numpy as np
import pytest

from autograd import Value, compile
from nn.optim import SGD, Adam, clip_grad_norm, grad_norm


def quadratic(params):
    """f(x, y) = (x - 3)**2 + 10 (y + 1)**2, minimum 0 at (3, -1)."""
    x, y = params
    return (x - 3) ** 2 + 10 * (y + 1) ** 2


def minimize(optimizer, params, steps):
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = quadratic(params)
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return losses


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.04),
        lambda ps: SGD(ps, lr=0.02, momentum=0.9),
        lambda ps: SGD(ps, lr=lambda k: 0.04 / (1 + 0.01 * k)),
        lambda ps: Adam(ps, lr=0.1),
    ],
    ids=["sgd", "sgd momentum", "sgd schedule", "adam"],
)
def test_optimizers_reduce_a_quadratic(make):
    params = [Value(0.0), Value(1.0)]
    losses = minimize(make(params), params, 300)
    assert losses[-1] < 1e-6 * losses[0]
    assert params[0].data == pytest.approx(3.0, abs=1e-3)
    assert params[1].data == pytest.approx(-1.0, abs=1e-3)


def test_sgd_step_is_lr_times_grad():
    p = Value(2.0)
    p.grad = 0.5
    SGD([p], lr=0.1).step()
    assert p.data == 2.0 - 0.1 * 0.5


def test_sgd_momentum_accumulates_velocity():
    p = Value(0.0)
    optimizer = SGD([p], lr=1.0, momentum=0.5)
    p.grad = 1.0
    optimizer.step()  # v = 1, p = -1
    optimizer.step()  # v = 0.5 * 1 + 1 = 1.5, p = -2.5
    assert p.data == -2.5


def test_schedule_gets_the_step_number():
    seen = []
    p = Value(0.0)
    optimizer = SGD([p], lr=lambda k: seen.append(k) or 1.0)
    for _ in range(3):
        p.grad = 1.0
        optimizer.step()
    assert seen == [0, 1, 2]
    assert optimizer.learning_rate(5) == 1.0


def test_adam_first_step_moves_by_lr():
    # with bias correction, m_hat = g and v_hat = g**2 at t = 1: the step is lr * g / (|g| + eps)
    p = Value(1.0)
    p.grad = 4.0
    Adam([p], lr=0.01, eps=1e-8).step()
    assert p.data == pytest.approx(1.0 - 0.01 * 4.0 / (4.0 + 1e-8), abs=1e-15)


ADAM_SETTINGS = dict(lr=0.1, betas=(0.8, 0.99), eps=1e-8)
START = (1.0, -2.0)


def bumpy_grads(x, y):
    """The gradient of f(x, y) = 3 x**2 + y**4, which changes along the way."""
    return 6 * x, 4 * y**3


def adam_in_stepgrad(steps):
    params = [Value(x) for x in START]
    optimizer = Adam(params, **ADAM_SETTINGS)
    for _ in range(steps):
        optimizer.zero_grad()
        x, y = params
        (3 * x**2 + y**4).backward()
        optimizer.step()
    return [p.data for p in params]


def adam_by_hand(steps):
    """Adam unrolled on floats, the bias corrections from running powers beta**t."""
    lr, (beta1, beta2), eps = ADAM_SETTINGS["lr"], ADAM_SETTINGS["betas"], ADAM_SETTINGS["eps"]
    point, m, v = list(START), [0.0, 0.0], [0.0, 0.0]
    beta1_power = beta2_power = 1.0
    for _ in range(steps):
        beta1_power *= beta1
        beta2_power *= beta2
        grads = bumpy_grads(*point)
        for i, g in enumerate(grads):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            point[i] -= lr * (m[i] / (1 - beta1_power)) / (math.sqrt(v[i] / (1 - beta2_power)) + eps)
    return point


def test_adam_matches_adam_unrolled_by_hand_over_five_steps():
    assert adam_in_stepgrad(5) == pytest.approx(adam_by_hand(5), rel=1e-13, abs=0)


def test_adam_matches_torch_over_five_steps():
    torch = pytest.importorskip("torch")
    point = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([point], **ADAM_SETTINGS)
    for _ in range(5):
        optimizer.zero_grad()
        (3 * point[0] ** 2 + point[1] ** 4).backward()
        optimizer.step()
    assert adam_in_stepgrad(5) == pytest.approx(point.tolist(), rel=1e-13, abs=0)


def test_zero_grad_clears_the_parameters():
    params = [Value(1.0), Value(2.0)]
    for p in params:
        p.grad = 3.0
    SGD(params, lr=0.1).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_clip_grad_norm_caps_the_norm_and_keeps_the_direction():
    params = [Value(0.0), Value(0.0), Value(0.0)]
    for p, g in zip(params, (3.0, -4.0, 12.0)):
        p.grad = g
    before = clip_grad_norm(params, max_norm=1.0)
    assert before == 13.0
    assert grad_norm(params) == pytest.approx(1.0, abs=1e-15)
    assert [p.grad for p in params] == pytest.approx([3 / 13, -4 / 13, 12 / 13], abs=1e-15)


def test_clip_grad_norm_leaves_small_grads_alone():
    params = [Value(0.0), Value(0.0)]
    params[0].grad, params[1].grad = 0.3, 0.4
    assert clip_grad_norm(params, max_norm=1.0) == pytest.approx(0.5)
    assert [p.grad for p in params] == [0.3, 0.4]


def test_grad_norm_is_euclidean():
    params = [Value(0.0), Value(0.0)]
    params[0].grad, params[1].grad = 1.0, 1.0
    assert grad_norm(params) == math.sqrt(2)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD([], lr=0.1), "SGD got no parameters"),
        (lambda: SGD([Value(1.0)], lr=0.0), "lr must be a finite number > 0, got 0.0"),
        (lambda: SGD([Value(1.0)], lr=float("nan")), "lr must be a finite number > 0, got nan"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=1.0), r"momentum must be in \[0, 1\)"),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.0)), r"betas\[1\] must be in \[0, 1\)"),
        (lambda: Adam([Value(1.0)], betas=(0.9,)), r"betas must be a pair \(beta1, beta2\) of numbers in \[0, 1\), got \(0.9,\)"),
        (lambda: Adam([Value(1.0)], betas=0.9), r"betas must be a pair .*, got 0.9"),
        (lambda: clip_grad_norm([Value(1.0)], 0.0), "max_norm must be a finite number > 0"),
    ],
)
def test_bad_settings_say_what_is_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD([1.0], lr=0.1), r"SGD optimizes Values \(such as model.parameters\(\)\), but parameter 0 is float 1.0"),
        (lambda: Adam([Value(1.0), "w"]), "Adam optimizes Values .* but parameter 1 is str 'w'"),
        (lambda: clip_grad_norm([None], 1.0), "clip_grad_norm optimizes Values .* parameter 0 is NoneType None"),
        (lambda: SGD([Value(1.0)], lr="0.1"), "lr must be a number, got str '0.1'"),
        (lambda: SGD([Value(1.0)], lr=None), "lr must be a number, got NoneType None"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum="0.9"), "momentum must be a number, got str '0.9'"),
        (lambda: Adam([Value(1.0)], lr=None), "lr must be a number, got NoneType None"),
        (lambda: Adam([Value(1.0)], betas=("0.9", 0.999)), r"betas\[0\] must be a number, got str '0.9'"),
    ],
)
def test_settings_of_the_wrong_type_are_named_up_front(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def with_grads(*grads):
    params = [Value(float(i + 1)) for i in range(len(grads))]
    for p, g in zip(params, grads):
        p.grad = g
    return params


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.5, momentum=0.9), lambda ps: Adam(ps, lr=0.5)], ids=["sgd", "adam"])
def test_a_parameter_whose_grad_is_none_is_skipped(make):
    params = with_grads(None, 1.0, None)
    optimizer = make(params)
    optimizer.step()
    optimizer.step()  # a retry after a step with None grads moves nothing twice
    assert params[0].data == 1.0 and params[2].data == 3.0 and params[1].data < 2.0
    assert [p.grad for p in params] == [None, 1.0, None]


def test_clip_grad_norm_skips_grads_that_are_none():
    params = with_grads(None, 3.0, 4.0)
    assert clip_grad_norm(params, 1.0) == 5.0
    assert params[0].grad is None and params[1].grad == pytest.approx(0.6) and params[2].grad == pytest.approx(0.8)
    assert grad_norm(with_grads(None, None)) == 0.0


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1, momentum=0.5),
        lambda ps: SGD(ps, lr=lambda k: 0.1),
        lambda ps: Adam(ps, lr=0.1),
    ],
    ids=["sgd", "sgd schedule", "adam"],
)
def test_a_step_that_fails_changes_nothing(make):
    params = with_grads(1.0, "not a number", 1.0)
    optimizer = make(params)
    with pytest.raises(TypeError):
        optimizer.step()
    assert [p.data for p in params] == [1.0, 2.0, 3.0]
    params[1].grad = 1.0
    optimizer.step()  # the retry moves each parameter once
    once = with_grads(1.0, 1.0, 1.0)
    make(once).step()
    assert [p.data for p in params] == [p.data for p in once]


def test_a_schedule_that_returns_no_number_is_named_and_changes_nothing():
    params = with_grads(1.0, 1.0)
    with pytest.raises(TypeError, match=r"lr\(0\) \(the schedule's learning rate at step 0\) must be a number, got str"):
        SGD(params, lr=lambda k: "0.1").step()
    assert [p.data for p in params] == [1.0, 2.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=np.float64(0.5), momentum=np.float64(0.5)),
        lambda ps: SGD(ps, lr=lambda k: np.float64(0.5)),
        lambda ps: Adam(ps, lr=np.float32(0.5), betas=(np.float64(0.9), np.float64(0.99)), eps=np.float64(1e-8)),
    ],
    ids=["sgd", "sgd schedule", "adam"],
)
def test_numpy_settings_and_grads_keep_parameters_plain_floats(make):
    x = Value(-2.0)
    optimizer = make([x])
    x.grad = np.float64(1.0)
    optimizer.step()
    assert type(x.data) is float
    clip_grad_norm([x], np.float64(0.1))
    assert type(x.grad) is float
    f = compile(x * x, [x])  # compiled code sees a float, not np.float64(...)
    assert f(x.data)[0] == x.data * x.data
