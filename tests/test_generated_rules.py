"""autograd/backward_rules.py is generated from the op table; it must not go stale."""

from autograd import generate_rules


def test_the_checked_in_rules_match_the_op_table():
    stored = generate_rules.PATH.read_text(encoding="utf-8")
    assert stored == generate_rules.module_text(), (
        "autograd/backward_rules.py is stale: run `python -m autograd.generate_rules`"
    )
