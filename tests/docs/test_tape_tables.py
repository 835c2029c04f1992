"""notebooks/tape_tables.py: the adjoint table's running totals."""

from pathlib import Path

import pytest

from autograd import Value

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture
def tape_tables(monkeypatch):
    monkeypatch.syspath_prepend(str(NOTEBOOKS))
    import tape_tables

    return tape_tables


def test_a_child_used_twice_shows_its_adjoint_growing(tape_tables):
    # z = x*x + x at x = 3: x_bar collects 1 (from z), then 3 and 3 (from y = x*x): 1, 4, 7 = dz/dx
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    z = y + x
    z.label = "z"
    table = tape_tables.adjoint_table([x, y, z])
    x_rows = [row for row in table.rows if row[0] == tape_tables.bar("x") + " +="]
    assert [row[3] for row in x_rows] == ["1.0000", "4.0000", "7.0000"]
    assert x.grad == 2 * 3.0 + 1
