"""jvp, grad (with create_graph) and hessian against PyTorch in float64 (skipped where torch is absent)."""

import math

import pytest
from hypothesis import HealthCheck, given, reject, settings

from autograd import Value, forward_trace, grad, hessian, jvp, no_grad, reverse_trace
from tests.helpers.random_programs import hostile_points, points, programs, run

torch = pytest.importorskip("torch")


def tensors(xs):
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]


@settings(max_examples=60, deadline=None)
@given(programs(), points)
def test_jvp_matches_torch_func_jvp(program, xs):
    direction = [0.7, -1.1, 0.4]
    value, tangent = jvp(lambda *v: run(program, v), xs, direction)
    ref_value, ref_tangent = torch.func.jvp(
        lambda *t: run(program, t),
        tuple(torch.tensor(x, dtype=torch.float64) for x in xs),
        tuple(torch.tensor(d, dtype=torch.float64) for d in direction),
    )
    assert value == pytest.approx(ref_value.item(), rel=1e-12, abs=1e-12)
    assert tangent == pytest.approx(ref_tangent.item(), rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(programs(), points)
def test_grad_with_and_without_create_graph_matches_torch(program, xs):
    leaves = [Value(x) for x in xs]
    out = run(program, leaves)
    first = grad(out, leaves, create_graph=True)
    ts = tensors(xs)
    ref_first = torch.autograd.grad(run(program, ts), ts, create_graph=True, allow_unused=True)
    for ours, plain, ref in zip(first, grad(out, leaves), ref_first):
        expected = 0.0 if ref is None else ref.item()
        assert ours.data == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert plain.data == ours.data
    # the derivative of the first gradient, through the graph create_graph built
    ref_second = torch.autograd.grad(ref_first[0], ts, allow_unused=True) if ref_first[0] is not None and ref_first[0].requires_grad else [None] * 3
    for ours, ref in zip(grad(first[0], leaves), ref_second):
        assert ours.data == pytest.approx(0.0 if ref is None else ref.item(), rel=1e-8, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(programs(), points)
def test_hessian_matches_torch(program, xs):
    ours = hessian(lambda *v: run(program, v), xs)
    ref = torch.autograd.functional.hessian(lambda *t: run(program, t), tuple(torch.tensor(x, dtype=torch.float64) for x in xs))
    for i in range(3):
        for j in range(3):
            assert ours[i][j] == pytest.approx(ref[i][j].item(), rel=1e-8, abs=1e-8), (i, j)


@pytest.mark.parametrize(
    "name, f, x",
    [
        ("relu at its kink", lambda v: v.relu() * v, 0.0),
        ("abs at its kink", lambda v: abs(v) * v, 0.0),
        ("square at 0", lambda v: v**2, 0.0),
        ("cube at 0", lambda v: v**3, 0.0),
        ("x ** 1 at 0", lambda v: v**1 * v, 0.0),
        ("power of a negative base", lambda v: v**3, -1.5),
        ("exponent", lambda v: (v * v + 1) ** v, 0.8),
        ("division", lambda v: 1 / (v * v + 1), 0.3),
        ("sqrt", lambda v: (v * v + 1).sqrt(), -0.6),
        ("log", lambda v: (v * v + 1).log(), 1.2),
        ("sin cos", lambda v: v.sin() * v.cos(), 0.7),
        ("exp", lambda v: v.exp(), -0.4),
        ("power of relu below its kink", lambda v: v.relu() ** 1.5, -1.0),
    ],
)
def test_second_derivatives_match_torch_including_kinks(name, f, x):
    ours = hessian(f, [x])[0][0]
    ref = torch.autograd.functional.hessian(f, torch.tensor(x, dtype=torch.float64)).item()
    assert ours == pytest.approx(ref, rel=1e-12, abs=1e-12), name


def torch_jvp(f, xs, direction):
    value, tangent = torch.func.jvp(f, tuple(torch.tensor(x, dtype=torch.float64) for x in xs),
                                    tuple(torch.tensor(d, dtype=torch.float64) for d in direction))
    return value.item(), tangent.item()


def torch_hessian(f, xs):
    return torch.autograd.functional.hessian(f, tuple(torch.tensor(x, dtype=torch.float64) for x in xs))


def test_inside_no_grad_jvp_and_hessian_match_torch():
    f = lambda x, y: (x * y).sin() + x / y  # noqa: E731
    with no_grad(), torch.no_grad():
        ours, ref = jvp(f, [1.2, 0.7], [1.0, -0.5]), torch_jvp(f, [1.2, 0.7], [1.0, -0.5])
        ours_h, ref_h = hessian(f, [1.2, 0.7]), torch_hessian(f, [1.2, 0.7])
    assert ours == pytest.approx(ref, rel=1e-14)
    assert ours_h == [pytest.approx([ref_h[i][j].item() for j in range(2)], rel=1e-12) for i in range(2)]


@pytest.mark.parametrize(
    "f, x",
    [(lambda x: x / 1e-300, 1e-10), (lambda x: (x**0.0) * 3, math.inf)],
    ids=["x / 1e-300", "x ** 0.0 at inf"],
)
def test_a_constant_with_an_infinite_local_derivative_matches_torch(f, x):
    assert jvp(f, [x], [1.0]) == pytest.approx(torch_jvp(f, [x], [1.0]), rel=1e-15)


def same(ours, ref, rel):
    """Equal to `rel`, NaN and infinities included."""
    if math.isnan(ours) or math.isnan(ref) or math.isinf(ref):
        return ours == ref or math.isnan(ours) and math.isnan(ref)
    return ours == pytest.approx(ref, rel=rel, abs=rel)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), hostile_points)
def test_at_zeros_and_tiny_numbers_every_transform_matches_torch(program, xs):
    f = lambda *v: run(program, v)  # noqa: E731
    direction = [0.7, -1.1, 0.4]
    try:
        leaves = [Value(x) for x in xs]
        out = f(*leaves)
        tangent, adjoints = jvp(f, xs, direction)[1], [g.data for g in grad(out, leaves)]
        with_graph = [g.data for g in grad(out, leaves, create_graph=True)]
        hessian_rows = hessian(f, xs)
    except (ValueError, ArithmeticError):
        reject()  # refused: a power whose derivative is infinite there
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    ref_out = f(*ts)
    ref_adjoints = torch.autograd.grad(ref_out, ts, allow_unused=True) if ref_out.requires_grad else [None] * 3
    ref_adjoints = [0.0 if g is None else g.item() for g in ref_adjoints]
    assert same(tangent, torch_jvp(f, xs, direction)[1], 1e-9)
    assert same(forward_trace(f, xs, direction).rows[-1][1].value, tangent, 1e-12)
    for ours, plain, traced, ref in zip(with_graph, adjoints, reverse_trace(f, xs).rows[-3:], ref_adjoints):
        assert same(ours, ref, 1e-9) and same(plain, ref, 1e-9) and same(traced.value, plain, 1e-12)  # summed in another order
    ref_hessian = torch_hessian(f, xs)
    assert all(same(hessian_rows[i][j], ref_hessian[i][j].item(), 1e-7) for i in range(3) for j in range(3))
