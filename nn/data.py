"""Toy two-class data sets in pure Python: two moons and two circles.

Both follow scikit-learn's construction and balance (`n_samples // 2`
points of class 0, the rest of class 1), draw from a private
`random.Random(seed)`, and return `(X, y)`: `X` a list of [x, y] points,
`y` a list of 0/1 labels, shuffled together.
"""

import math
import random

from .checks import whole_number


def make_moons(n_samples=100, noise=0.1, seed=0):
    """Two interleaving half circles.

    Class 0 lies on the upper half of the unit circle, (cos t, sin t) for t
    in [0, pi]; class 1 on the lower half circle (1 - cos t, 0.5 - sin t).
    Gaussian noise with standard deviation `noise` is added to each coordinate.
    """
    _check(n_samples, noise)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = [(math.cos(t), math.sin(t)) for t in _linspace(0.0, math.pi, n_outer, endpoint=True)]
    inner = [(1.0 - math.cos(t), 0.5 - math.sin(t)) for t in _linspace(0.0, math.pi, n_inner, endpoint=True)]
    return _finish(outer, inner, noise, random.Random(seed))


def make_circles(n_samples=100, noise=0.05, factor=0.5, seed=0):
    """A small circle (class 1, radius `factor`) inside a unit circle (class 0).

    Points are evenly spaced in angle on each circle; Gaussian noise with
    standard deviation `noise` is added to each coordinate.
    """
    _check(n_samples, noise)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be between 0 and 1 (the inner circle's radius), got {factor!r}")
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = [(math.cos(t), math.sin(t)) for t in _linspace(0.0, 2 * math.pi, n_outer, endpoint=False)]
    inner = [(factor * math.cos(t), factor * math.sin(t)) for t in _linspace(0.0, 2 * math.pi, n_inner, endpoint=False)]
    return _finish(outer, inner, noise, random.Random(seed))


DATASETS = {"moons": make_moons, "circles": make_circles}
"""Data set name -> its maker, for the command line."""


def _check(n_samples, noise):
    whole_number("n_samples", n_samples, minimum=2)
    if not noise >= 0.0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")


def _linspace(start, stop, n, endpoint):
    """n evenly spaced numbers from start to stop (stop included if `endpoint`)."""
    intervals = (n - 1 if endpoint else n) or 1
    step = (stop - start) / intervals
    return [start + i * step for i in range(n)]


def _finish(outer, inner, noise, rng):
    """Label outer 0 and inner 1, shuffle, then add noise."""
    points = [(p, 0) for p in outer] + [(p, 1) for p in inner]
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in points]
    y = [label for _, label in points]
    return X, y
