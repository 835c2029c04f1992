"""Cross-checks against PyTorch in float64 (skipped where torch is absent)."""

import pytest

from autograd import Value
from tests.helpers.ops import NAN_CASES, same

torch = pytest.importorskip("torch")


def both(f, *xs):
    ours = [Value(x) for x in xs]
    out = f(*ours)
    out.backward()
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    ref = f(*theirs)
    ref.backward()
    return out.data, [v.grad for v in ours], ref.item(), [t.grad.item() for t in theirs]


FUNCTIONS = {
    "arithmetic": (lambda a, b: (a * b + a / b - b) ** 2 - (-a), (1.3, -0.7)),
    "power with Value exponent": (lambda a, b: a**b + 2**b, (1.7, 0.6)),
    "exp log": (lambda a, b: (a.exp() + b * b).log(), (0.4, -2.0)),
    "tanh sigmoid": (lambda a, b: a.tanh() * b.sigmoid(), (0.3, -1.1)),
    "relu": (lambda a, b: a.relu() * b + b.relu(), (0.8, -0.5)),
    "sin cos": (lambda a, b: a.sin() * b.cos(), (0.9, 2.1)),
    "sqrt abs": (lambda a, b: a.sqrt() + abs(b), (2.5, -0.3)),
    "tanh neuron": (lambda x1, w1: (x1 * w1 + 6.8813735870195432).tanh(), (2.0, -3.0)),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_agrees_with_torch(name):
    f, xs = FUNCTIONS[name]
    data, grads, ref, ref_grads = both(f, *xs)
    assert abs(data - ref) <= 1e-12 * max(1.0, abs(ref))
    for g, r in zip(grads, ref_grads):
        assert abs(g - r) <= 1e-10 * max(1.0, abs(r))


def test_backward_twice_matches_torch():
    x = Value(1.0)
    L = (x * 2) * 3
    L.backward()
    L.backward()
    t = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    T = (t * 2) * 3
    T.backward(retain_graph=True)
    T.backward()
    assert x.grad == t.grad.item() == 12.0


@pytest.mark.parametrize("name", NAN_CASES)
def test_nan_matches_torch(name):
    f, xs, _, _ = NAN_CASES[name]
    data, grads, ref, ref_grads = both(f, *xs)
    assert same(data, ref) and all(same(g, r) for g, r in zip(grads, ref_grads)), (grads, ref_grads)
