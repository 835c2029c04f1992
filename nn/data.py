"""Toy two-class data sets in pure Python: moons, circles, xor, a spiral and two Gaussians.

Each follows scikit-learn's balance (`n_samples // 2` points of class 0,
the rest of class 1), draws from a private `random.Random(seed)`, and
returns `(X, y)`: `X` a list of [x, y] points, `y` a list of 0/1 labels,
shuffled together.  In each, `noise` is the standard deviation of the
Gaussian noise added to each coordinate of a point of the clean shape, and
it is drawn last: the same seed gives the same clean points at any noise.
"""

import math
import random

from .checks import whole_number

XOR_MARGIN = 0.1
SPIRAL_TURNS = 1.75


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


def make_xor(n_samples=100, noise=0.1, seed=0):
    """The four quadrants of the square [-1, 1]^2, class 1 where x and y have the same sign.

    Each coordinate's size is uniform in [0.1, 1] (`XOR_MARGIN` keeps the
    clean points off the axes, so the classes do not touch); class 1 lies in
    the first and third quadrants, class 0 in the second and fourth, each
    quadrant of a class equally likely.  Then Gaussian noise as above.
    """
    _check(n_samples, noise)
    rng = random.Random(seed)
    n_0 = n_samples // 2

    def corner(same_sign):
        x_sign = rng.choice((-1.0, 1.0))
        y_sign = x_sign if same_sign else -x_sign
        return (x_sign * rng.uniform(XOR_MARGIN, 1.0), y_sign * rng.uniform(XOR_MARGIN, 1.0))

    class_0 = [corner(same_sign=False) for _ in range(n_0)]
    class_1 = [corner(same_sign=True) for _ in range(n_samples - n_0)]
    return _finish(class_0, class_1, noise, rng)


def make_spiral(n_samples=100, noise=0.05, seed=0):
    """Two spiral arms, each 1.75 turns (`SPIRAL_TURNS`) out to radius 1, one a half turn from the other.

    Class 0's k-th of n points is at radius r = k / n (k = 1..n) and angle
    2 pi * 1.75 r: (r cos a, r sin a).  Class 1 is class 0's arm turned by
    pi, (-x, -y).  Then Gaussian noise as above.
    """
    _check(n_samples, noise)
    n_0 = n_samples // 2

    def arm(n, turn):
        polar = [(k / n, 2 * math.pi * SPIRAL_TURNS * k / n + turn) for k in range(1, n + 1)]  # (radius, angle)
        return [(r * math.cos(a), r * math.sin(a)) for r, a in polar]

    return _finish(arm(n_0, 0.0), arm(n_samples - n_0, math.pi), noise, random.Random(seed))


def make_gaussians(n_samples=100, noise=0.5, seed=0):
    """Two round Gaussian clouds: class 0 around (-1, -1), class 1 around (1, 1).

    The clean shape is the two centres themselves: each point is its class's
    centre plus Gaussian noise of standard deviation `noise` in each
    coordinate, so `noise` is the clouds' spread (at 0 every point sits on
    its centre; from about 1 the clouds overlap).
    """
    _check(n_samples, noise)
    n_0 = n_samples // 2
    return _finish([(-1.0, -1.0)] * n_0, [(1.0, 1.0)] * (n_samples - n_0), noise, random.Random(seed))


DATASETS = {"moons": make_moons, "circles": make_circles, "xor": make_xor, "spiral": make_spiral, "gaussians": make_gaussians}
"""Data set name -> its maker, for the command line and the training page."""


def _check(n_samples, noise):
    whole_number("n_samples", n_samples, minimum=2)
    if not noise >= 0.0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")


def _linspace(start, stop, n, endpoint):
    """n evenly spaced numbers from start to stop (stop included if `endpoint`)."""
    intervals = (n - 1 if endpoint else n) or 1
    step = (stop - start) / intervals
    return [start + i * step for i in range(n)]


def _finish(class_0, class_1, noise, rng):
    """Label the points of `class_0` 0 and of `class_1` 1, shuffle, then add noise."""
    points = [(p, 0) for p in class_0] + [(p, 1) for p in class_1]
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in points]
    y = [label for _, label in points]
    return X, y
