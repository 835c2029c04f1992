"""jvp, grad, hessian and the evaluation traces, against backward(), closed forms and Baydin's tables."""

import math

import pytest
from hypothesis import given, settings

from autograd import Value, backward_steps, draw_dot, forward_trace, grad, hessian, jvp, no_grad, reverse_trace
from autograd.engine.floats import number
from autograd.engine.graph import all_nodes
from autograd.engine.value import is_grad_enabled
from tests.helpers.ops import BINARY, UNARY, check_on_draws, cube
from tests.helpers.random_programs import points, programs, run


def baydin(x1, x2):
    """f(x1, x2) = ln(x1) + x1 x2 - sin(x2), the example of Baydin et al. (2018)."""
    return x1.log() + x1 * x2 - x2.sin()


def backward_grads(f, xs):
    leaves = [Value(x) for x in xs]
    f(*leaves).backward()
    return [leaf.grad for leaf in leaves]


# --- forward mode ---------------------------------------------------------------


def test_baydin_table_2_digit_for_digit():
    trace = forward_trace(baydin, (2, 5), (1, 0))
    primal, tangent = zip(*trace.rows)
    assert [row.name for row in primal] == ["v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅", "y"]
    assert [row.text() for row in primal[2:5]] == ["v₁ = ln(v₋₁) = ln(2)", "v₂ = v₋₁ × v₀ = 2 × 5", "v₃ = sin(v₀) = sin(5)"]
    assert [number(row.value, 3, "paper") for row in primal] == ["2", "5", "0.693", "10", "-0.959", "10.693", "11.652", "11.652"]
    assert [number(row.value, 3, "paper") for row in tangent] == ["1", "0", "0.5", "5", "0", "5.5", "5.5", "5.5"]
    assert tangent[3].text() == "v̇₂ = v̇₋₁ × v₀ + v̇₀ × v₋₁ = 1 × 5 + 0 × 2"
    assert tangent[-1].value == 5.5 and primal[-1].value == pytest.approx(11.652071455, abs=1e-9)
    lines = str(trace).splitlines()
    assert lines[4].split() == ["v₁", "=", "ln(v₋₁)", "=", "ln(2)", "0.693", "v̇₁", "=", "v̇₋₁", "/", "v₋₁", "=", "1", "/", "2", "0.5"]


def test_baydin_table_3_digit_for_digit():
    rows = reverse_trace(baydin, (2, 5)).rows
    assert [(row.name, row.value) for row in rows][:5] == [("v̄₅", 1), ("v̄₄", 1), ("v̄₃", -1), ("v̄₁", 1), ("v̄₂", 1)]
    assert [number(row.value, 3, "paper") for row in rows[5:]] == ["-0.284", "5", "1.716", "5.5", "5.5", "1.716"]
    assert rows[7].text() == "v̄₀ = v̄₀ + v̄₂ ∂v₂/∂v₀ = v̄₀ + v̄₂ × v₋₁"


def test_jvp_with_a_basis_tangent_is_the_gradient_of_backward():
    value, d_x1 = jvp(baydin, (2.0, 5.0), (1.0, 0.0))
    _, d_x2 = jvp(baydin, (2.0, 5.0), (0.0, 1.0))
    assert value == pytest.approx(math.log(2) + 10 - math.sin(5), abs=1e-15)
    assert [d_x1, d_x2] == pytest.approx(backward_grads(baydin, (2.0, 5.0)), abs=1e-15)
    assert d_x2 == pytest.approx(2 - math.cos(5), abs=1e-15)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_jvp_of_every_unary_op_equals_backward(name):
    def check(f, x):
        _, tangent = jvp(f, [x], [1.0])
        assert tangent == pytest.approx(backward_grads(f, [x])[0], rel=1e-12, abs=1e-12)

    check_on_draws(name, check, examples=30)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_jvp_of_every_binary_op_equals_backward(name):
    def check(f, a, b):
        grads = backward_grads(f, [a, b])
        _, along = jvp(f, [a, b], [0.3, -1.7])  # any direction: the dot product with the gradient
        assert along == pytest.approx(0.3 * grads[0] - 1.7 * grads[1], rel=1e-10, abs=1e-10)

    check_on_draws(name, check, examples=30)


@settings(max_examples=80, deadline=None)
@given(programs(), points)
def test_jvp_on_random_programs_equals_backward(program, xs):
    grads = backward_grads(lambda *v: run(program, v), xs)
    for i in range(3):
        basis = [1.0 if j == i else 0.0 for j in range(3)]
        _, tangent = jvp(lambda *v: run(program, v), xs, basis)
        assert tangent == pytest.approx(grads[i], rel=1e-10, abs=1e-10)


# --- grad, create_graph, hessian -------------------------------------------------------


def test_grad_leaves_every_grad_untouched():
    x1, x2 = Value(2.0, label="x1"), Value(5.0, label="x2")
    y = baydin(x1, x2)
    x1.grad = 7.0
    before = [node.grad for node in all_nodes(y)]
    gradients = grad(y, [x1, x2])
    second = grad(grad(y, [x1], create_graph=True)[0], [x1, x2])
    assert [node.grad for node in all_nodes(y)] == before
    assert [g.data for g in gradients] == pytest.approx([5.5, 2 - math.cos(5)], abs=1e-15)
    assert [g.data for g in second] == pytest.approx([-1 / 4, 1.0], abs=1e-15)  # d/dx1 of 1/x1 + x2


@pytest.mark.parametrize("x", [-1.3, -0.2, 0.4, 2.0])
def test_third_derivatives_of_tanh_and_sigmoid_match_closed_forms(x):
    def third(f):
        v = Value(x)
        d1 = grad(f(v), [v], create_graph=True)[0]
        d2 = grad(d1, [v], create_graph=True)[0]
        return grad(d2, [v])[0].data

    t = math.tanh(x)
    assert third(Value.tanh) == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t), rel=1e-12)
    s = 1 / (1 + math.exp(-x))
    assert third(Value.sigmoid) == pytest.approx(s * (1 - s) * (1 - 6 * s + 6 * s * s), rel=1e-12)


@pytest.mark.parametrize("point", [(1.0, 1.0), (-1.2, 1.0), (0.0, 0.0), (2.0, -3.0)])
def test_hessian_of_rosenbrock_by_hand(point):
    a, b = point
    h = hessian(lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, point)
    expected = [[2 - 400 * (b - a * a) + 800 * a * a, -400 * a], [-400 * a, 200]]
    assert h == [pytest.approx(row, abs=1e-9) for row in expected]


def test_the_gradient_graph_can_be_drawn_and_stepped():
    x = Value(0.5, label="x")
    dy = grad((x * x).tanh(), [x], create_graph=True)[0]
    assert dy.data == pytest.approx(2 * 0.5 * (1 - math.tanh(0.25) ** 2), rel=1e-14)
    assert "tanh" in draw_dot(dy).source
    steps = list(backward_steps(dy))
    assert steps and x.grad == pytest.approx(hessian(lambda v: (v * v).tanh(), [0.5])[0][0], rel=1e-12)


def test_grad_and_jvp_refuse_nodes_with_their_own_backward():
    with pytest.raises(ValueError, match="jvp reads each op's derivative from the op table.*'cube'"):
        jvp(cube, [2.0], [1.0])
    x = Value(2.0)
    with pytest.raises(ValueError, match="grad reads"):
        grad(cube(x), [x])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        jvp(baydin, (2, 5), (1,))
    with pytest.raises(TypeError, match=r"tangents\[0\] must be a number"):
        jvp(baydin, (2, 5), ("1", 0))
    with pytest.raises(TypeError, match="inputs"):
        grad(Value(1.0), [1.0])
    with pytest.raises(TypeError, match="must return a Value"):
        jvp(lambda x: 3.0, [1.0], [1.0])


def test_one_jvp_sweep_gives_the_tangents_of_every_output():
    values, tangents = jvp(lambda x: [(x * k).sin() for k in range(1, 6)], [0.3], [1.0])
    assert values == pytest.approx([math.sin(0.3 * k) for k in range(1, 6)], abs=1e-15)
    assert tangents == pytest.approx([k * math.cos(0.3 * k) for k in range(1, 6)], abs=1e-14)


# --- whatever the caller's grad mode (issue 22, item 3) ----------------------------------


def test_transforms_build_their_graph_inside_no_grad():
    f = lambda x: x.sin() * x  # noqa: E731  f'(1) = cos(1) + sin(1) = 1.3818..., f''(1) = 2 cos(1) - sin(1)
    outside = jvp(f, [1.0], [1.0]), hessian(f, [1.0]), str(forward_trace(f, [1.0], [1.0])), str(reverse_trace(f, [1.0]))
    with no_grad():
        inside = jvp(f, [1.0], [1.0]), hessian(f, [1.0]), str(forward_trace(f, [1.0], [1.0])), str(reverse_trace(f, [1.0]))
        assert not is_grad_enabled()  # the caller's mode is back as it was
    assert inside == outside
    assert outside[0][1] == pytest.approx(math.cos(1) + math.sin(1), abs=1e-15)
    assert outside[1][0][0] == pytest.approx(2 * math.cos(1) - math.sin(1), abs=1e-15)


def test_grad_with_create_graph_builds_its_graph_inside_no_grad():
    x = Value(0.5)
    y = x.tanh() * x
    with no_grad():
        dy = grad(y, [x], create_graph=True)[0]
    assert grad(dy, [x])[0].data == pytest.approx(hessian(lambda v: v.tanh() * v, [0.5])[0][0], rel=1e-15)


# --- a constant carries no tangent (item 4), and constant outputs (item 12) ------------------


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (lambda x: x / 1e-300, 1e-10, 1 / 1e-300),  # d/db of x / b = -x / b**2 is -inf, b's tangent 0
        (lambda x: (x**0.0) * 3, math.inf, 0.0),  # d/da of a ** 0 is 0; d/db = out * ln(inf) = inf, b's tangent 0
        (lambda x: x * 2 + Value(1e-320).log(), 1.0, 2.0),  # d log(a) / da = 1e320 = inf at a constant
    ],
)
def test_a_constant_with_an_infinite_local_derivative_adds_nothing_to_a_tangent(f, x, expected):
    assert jvp(f, [x], [1.0])[1] == expected
    assert forward_trace(f, [x], [1.0]).rows[-1][1].value == expected
    assert backward_grads(f, [x]) == [expected]


def test_an_input_with_tangent_zero_adds_nothing_either():
    f = lambda x, y: x * 3 + y / 1e-300  # noqa: E731  d/dx = 3 along (1, 0): y's tangent 0 times 1e300; the constant 1e-300 adds none
    assert jvp(f, [1.0, 1e-10], [1.0, 0.0])[1] == 3.0
    assert jvp(f, [1.0, 1e-10], [0.0, 1.0])[1] == 1 / 1e-300


@pytest.mark.parametrize("f", [lambda x: Value(2.0), lambda x: Value(2.0) * 3], ids=["constant", "constant expression"])
def test_reverse_trace_of_a_function_that_ignores_its_input(f):
    trace = reverse_trace(f, [1.0])
    assert [(row.text(), row.value) for row in trace.rows][-1] == ("x̄1 = 0", 0.0)
    assert forward_trace(f, [1.0], [1.0]).rows[-1][1].value == 0.0


def test_reverse_trace_of_a_closed_over_leaf():
    c = Value(3.0, label="c")
    rows = reverse_trace(lambda x, y: c, [1.0, 2.0]).rows
    assert [(row.text(), row.value) for row in rows] == [("x̄1 = 0", 0.0), ("x̄2 = 0", 0.0)]
    assert c.grad == 0.0


# --- create_graph builds every derivative whose value is finite (item 5) ----------------------


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (lambda v: v**1.5, 0.0, 0.0),  # 1.5 * x**0.5; the node x**0.5 has an infinite derivative at 0
        (lambda v: v**v, 1e-300, 1 + math.log(1e-300)),  # x**x * (1 + ln x), x**x = 1.0 here; x**(x-1) = 1e300
        (lambda v: v.relu() ** 1.5, -1.0, 0.0),  # 1.5 * relu(x)**0.5 * 0
    ],
    ids=["x ** 1.5 at 0", "x ** x at 1e-300", "relu(x) ** 1.5 at -1"],
)
def test_create_graph_builds_derivatives_whose_value_is_finite(f, x, expected):
    v = Value(x)
    y = f(v)
    assert grad(y, [v], create_graph=True)[0].data == grad(y, [v])[0].data == pytest.approx(expected, rel=1e-15)


def test_hessian_of_a_power_of_relu_below_its_kink_is_zero():
    assert hessian(lambda x: x.relu() ** 1.5, [-1.0]) == [[0.0]]  # relu(x) ** 1.5 is 0 all around -1


def test_a_second_derivative_that_is_infinite_is_refused_by_name():
    with pytest.raises(ValueError, match="infinite"):
        hessian(lambda x: x**1.5, [0.0])  # d²/dx² = 0.75 / sqrt(x), infinite at 0
