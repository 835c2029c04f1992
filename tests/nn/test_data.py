"""The toy data sets: sizes, balance, shapes, reproducibility."""

import math

import pytest

from nn.data import make_circles, make_moons


@pytest.mark.parametrize("make", [make_moons, make_circles])
@pytest.mark.parametrize("n", [2, 7, 100, 101])
def test_balanced_like_scikit_learn(make, n):
    X, y = make(n_samples=n, seed=3)
    assert len(X) == len(y) == n
    assert y.count(0) == n // 2 and y.count(1) == n - n // 2
    assert all(isinstance(p, list) and len(p) == 2 for p in X)


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_same_seed_same_data(make):
    assert make(seed=5) == make(seed=5) != make(seed=6)


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = make_moons(50, noise=0.0)
    for (a, b), label in zip(X, y):
        if label == 0:  # (cos t, sin t), t in [0, pi]
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-12
        else:  # (1 - cos t, 0.5 - sin t)
            assert math.hypot(a - 1.0, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-12


def test_moons_end_points_are_sklearns():
    X, y = make_moons(4, noise=0.0)
    points = sorted((round(a, 12) + 0.0, round(b, 12) + 0.0, label) for (a, b), label in zip(X, y))
    assert points == [(-1.0, 0.0, 0), (0.0, 0.5, 1), (1.0, 0.0, 0), (2.0, 0.5, 1)]


def test_circles_without_noise_have_their_radii():
    X, y = make_circles(40, noise=0.0, factor=0.3)
    for (a, b), label in zip(X, y):
        assert math.hypot(a, b) == pytest.approx(1.0 if label == 0 else 0.3)


def test_noise_has_the_asked_spread():
    clean, _ = make_moons(2000, noise=0.0, seed=1)
    noisy, _ = make_moons(2000, noise=0.2, seed=1)
    offsets = [n[0] - c[0] for n, c in zip(noisy, clean)]
    spread = math.sqrt(sum(d * d for d in offsets) / len(offsets))
    assert spread == pytest.approx(0.2, rel=0.1)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_moons(1), "n_samples must be a whole number >= 2, got 1"),
        (lambda: make_moons(10, noise=-0.1), "noise must be >= 0"),
        (lambda: make_circles(10, factor=1.5), "factor must be between 0 and 1"),
    ],
)
def test_bad_arguments_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
