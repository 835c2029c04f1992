"""The toy data sets: sizes, balance, shapes, reproducibility, and each clean shape checked against its own definition."""

import math

import pytest

from nn.data import DATASETS, make_circles, make_gaussians, make_moons, make_spiral, make_xor

MAKERS = list(DATASETS.values())


def test_the_data_sets_by_name():
    assert DATASETS == {"moons": make_moons, "circles": make_circles, "xor": make_xor,
                        "spiral": make_spiral, "gaussians": make_gaussians}


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("n", [2, 7, 100, 101])
def test_balanced_like_scikit_learn(make, n):
    X, y = make(n_samples=n, seed=3)
    assert len(X) == len(y) == n
    assert y.count(0) == n // 2 and y.count(1) == n - n // 2
    assert all(isinstance(p, list) and len(p) == 2 and all(isinstance(c, float) for c in p) for p in X)


@pytest.mark.parametrize("make", MAKERS)
def test_same_seed_same_data(make):
    assert make(seed=5) == make(seed=5) != make(seed=6)


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("noise", [0.05, 0.2])
def test_noise_has_the_asked_spread(make, noise):
    # the clean points come first from the seed, the noise last: offsets from the clean points are the noise
    clean, labels = make(2000, noise=0.0, seed=1)
    noisy, noisy_labels = make(2000, noise=noise, seed=1)
    assert labels == noisy_labels
    offsets = [n[k] - c[k] for n, c in zip(noisy, clean) for k in (0, 1)]
    spread = math.sqrt(sum(d * d for d in offsets) / len(offsets))
    assert spread == pytest.approx(noise, rel=0.1)


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


def test_xor_without_noise_is_class_1_where_the_signs_agree():
    X, y = make_xor(400, noise=0.0, seed=2)
    for (a, b), label in zip(X, y):
        assert 0.1 <= abs(a) <= 1.0 and 0.1 <= abs(b) <= 1.0  # off the axes, inside the square
        assert label == (1 if a * b > 0 else 0)
    quadrants = {(a > 0, b > 0) for a, b in X}
    assert quadrants == {(True, True), (True, False), (False, True), (False, False)}


def test_spiral_without_noise_lies_on_two_arms_half_a_turn_apart():
    n = 60
    X, y = make_spiral(n, noise=0.0, seed=4)
    for (a, b), label in zip(X, y):
        r = math.hypot(a, b)
        angle = 2 * math.pi * 1.75 * r  # class 0's arm at radius r; class 1's is it turned by pi
        sign = 1.0 if label == 0 else -1.0
        assert (a, b) == pytest.approx((sign * r * math.cos(angle), sign * r * math.sin(angle)), abs=1e-12)
    for label in (0, 1):
        radii = sorted(math.hypot(a, b) for (a, b), c in zip(X, y) if c == label)
        assert radii == pytest.approx([k / (n // 2) for k in range(1, n // 2 + 1)])


def test_gaussians_spread_around_their_centres():
    X, y = make_gaussians(10, noise=0.0)
    assert all(p == ([-1.0, -1.0] if label == 0 else [1.0, 1.0]) for p, label in zip(X, y))
    X, y = make_gaussians(4000, noise=0.3, seed=7)
    for label, centre in ((0, -1.0), (1, 1.0)):
        xs = [p[0] for p, c in zip(X, y) if c == label]
        mean = sum(xs) / len(xs)
        spread = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs))
        assert mean == pytest.approx(centre, abs=0.03) and spread == pytest.approx(0.3, rel=0.1)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_moons(1), "n_samples must be a whole number >= 2, got 1"),
        (lambda: make_moons(10, noise=-0.1), "noise must be >= 0"),
        (lambda: make_circles(10, factor=1.5), "factor must be between 0 and 1"),
        (lambda: make_xor(10, noise=-0.1), "noise must be >= 0"),
        (lambda: make_spiral(1), "n_samples must be a whole number >= 2, got 1"),
        (lambda: make_gaussians(10, noise=math.nan), "noise must be >= 0, got nan"),
    ],
)
def test_bad_arguments_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
