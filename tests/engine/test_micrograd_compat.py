"""What code written for micrograd sees of a node, checked against micrograd 0.1.0 itself.

Each test runs the same lines on micrograd's `Value` and on stepgrad's and
compares what a notebook would print.  One difference is chosen, not
missed: stepgrad's numbers are floats (`Value(3).data` is 3.0), as the
README explains.
"""

import sys

import pytest

from autograd import Value, draw_dot
from autograd.engine.value import HandBuiltValue

micrograd_engine = pytest.importorskip("micrograd.engine", reason="micrograd 0.1.0 is the reference: pip install micrograd==0.1.0")
MicrogradValue = micrograd_engine.Value

MICROGRAD_FIELDS = {"data", "grad", "_backward", "_prev", "_op"}


def product(value_class):
    """a * b + a, with a the node used twice; returns (a, b, out) after backward()."""
    a, b = value_class(2.5), value_class(-0.5)
    out = a * b + a
    out.backward()
    return a, b, out


def test_vars_and_dict_show_micrographs_fields():
    ours, theirs = product(Value), product(MicrogradValue)
    for node, reference in zip(ours, theirs):
        fields = vars(node)
        assert fields.keys() == node.__dict__.keys() and fields["_prev"] == node.__dict__["_prev"]
        assert MICROGRAD_FIELDS <= set(fields) == set(vars(reference)) | {"label"}
        assert fields["data"] == reference.data and fields["_op"] == reference._op
        assert fields["grad"] == reference.grad
        assert len(fields["_prev"]) == len(reference._prev) and callable(fields["_backward"])


def test_the_view_is_not_a_dict_per_node():
    # The memory per node must not grow: no slot for a dict, a new dict on each look.
    for cls in (Value, HandBuiltValue):
        assert cls.__dictoffset__ == 0
    node = Value(1.0)
    node.__dict__["data"] = 5.0
    assert node.data == 1.0 and sys.getsizeof(node) == sys.getsizeof(Value(2.0, label="x"))


def test_prev_is_a_set_as_in_micrograd():
    a, b = Value(1.0), Value(2.0)
    ma, mb = MicrogradValue(1.0), MicrogradValue(2.0)
    assert repr(a._prev) == repr(ma._prev) == "set()"
    assert len((a + a)._prev) == len((ma + ma)._prev) == 1
    assert (a * b)._prev == {a, b} and type((a * b)._prev) is type((ma * mb)._prev) is set
    assert (a * b)._prev.pop() in (a, b)


def test_the_ordered_children_keep_the_drawing_the_same_every_run():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = b - a
    assert c.children == (b, a)
    drawings = {draw_dot(b - a).source for _ in range(3)}
    assert len(drawings) == 1
    source = drawings.pop()
    assert source.index("{ b |") < source.index("{ a |")  # the first child first, as written


@pytest.mark.parametrize("data", [0.8958441028683222, -1.4999999999999993, 1e-05, 123456.789, 0.1 + 0.2])
def test_repr_prints_numbers_in_full(data):
    # Students compare a printed node with the lecture's, which prints micrograd's.
    assert repr(Value(data)).split(",")[0] == repr(MicrogradValue(data)).split(",")[0]


def test_repr_after_backward_matches_micrograd_for_float_leaves():
    ours, theirs = product(Value), product(MicrogradValue)
    for node, reference in zip(ours[:2], theirs[:2]):  # the leaves: their grads are floats in both
        assert repr(node) == repr(reference)


def test_data_and_grad_equal_micrographs_numbers():
    # stepgrad keeps floats where micrograd keeps the int it was given (see the README).
    a, ma = Value(3), MicrogradValue(3)
    (a * a).backward()
    (ma * ma).backward()
    assert a.data == ma.data == 3 and a.grad == ma.grad == 6
    assert type(a.data) is float and type(a.grad) is float
