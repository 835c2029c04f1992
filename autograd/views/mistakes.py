"""What a student got wrong: the single slip that turns the chain rule into a wrong hand value.

    grad_table(o, expected={"x1": -3.0})["x1"].mistakes[0].text
    # 'at n: o.grad passed down to n without multiplying by tanh's local derivative 1 - o.data**2 = 0.5000'

The chain rule adds, for each use of a child by a user, one term
`child.grad += local derivative * user.grad`.  A student's hand computation
goes wrong at one such term (or one sum), and the error flows down to every
node below.  Each kind of slip is that one term (or sum) computed wrongly:

- `local_left_out`: the term is `user.grad` alone, without the local derivative;
- `upstream_left_out`: the term is the local derivative alone, without `user.grad`;
- `sign_flipped`: the local derivative with the wrong sign;
- `wrong_point`: a one-input op's derivative taken at its input instead of its
  output, or the other way round (tanh: 1 - n² for 1 - o²), the op table's
  formula evaluated with `a` and `out` swapped;
- `factor_swapped`: in a product, the child multiplied by its own data, not the other factor's;
- `overwritten`: `=` for `+=`, so a node used more than once keeps one use's term only;
- `counted_twice`: a leaf's true grad doubled, as two `backward()` calls without `zero_grad()` leave it.

Each slip is tried at each term by running the chain rule again, in floats,
in a dict of its own (no `.grad` changes): what it gives for every node is
compared with the hand values, so this works on any graph of the op table's
ops.  A mistake's `node` is where the slip enters the hand computation: the
child whose grad the wrong term (or sum) made wrong.

A hand value matches what a slip gives when they agree to 1e-9 relative,
or, for a value typed with at most 4 decimals (as the lessons print them),
when the slip's value rounded to 4 decimals is that value.  A hand value that
is the true one so rounded is a rounding, not a mistake: it gets none.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from autograd.engine.floats import NAMESPACE, number
from autograd.engine.formulas import local_derivative, mentions, substitute, variables
from autograd.engine.ops import table_op
from autograd.engine.walks import interior_nodes_parents_first

from .names import attribute

KINDS = ("local_left_out", "upstream_left_out", "sign_flipped", "wrong_point", "factor_swapped", "overwritten", "counted_twice")
"""Every kind of mistake, in the order explanations are listed."""

RELATIVE_TOLERANCE = 1e-9
TYPED_DECIMALS = 4  # the lessons print numbers with 4 decimals: fewer is too coarse to tell; see `typed_match`


@dataclass(frozen=True)
class Mistake:
    """One explanation of a wrong hand value: its `kind` (one of `KINDS`), the `node` where the slip enters, in words."""

    kind: str
    node: str
    text: str


@dataclass(frozen=True)
class _Use:
    """One term of the chain rule: `child.grad += local * user.grad`, the user's child number `index`."""

    user: object
    index: int
    child: object
    local: float


def typed_match(value, typed):
    """Whether the hand value `typed` is `value`: equal to 1e-9 relative, or, when `typed` has
    4 decimals or more as written (0.7071, 0.22313404), equal to `value` rounded to as many."""
    if math.isclose(value, typed, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12):
        return True
    decimals = -Decimal(repr(typed)).as_tuple().exponent  # 0.7071 -> 4, 1e-05 -> 5
    return decimals >= TYPED_DECIMALS and round(value, decimals) == typed


def diagnose(root, names, hand_values):
    """{node: tuple of `Mistake`s} for each node in `hand_values` (node -> hand value).

    Empty where the hand value is right (to the typed precision), where no single
    slip gives it, and for every node of a graph with a node that has its own
    `_backward` (its local derivatives are not in the op table).  A slip that
    would also change a value the student got right comes after those that don't."""
    uses = _uses(root)
    if uses is None:
        return {node: () for node in hand_values}
    true = _reverse_pass(root, uses, _true_term)
    wrong = {node: typed for node, typed in hand_values.items() if not typed_match(true[node], typed)}
    right = {node: typed for node, typed in hand_values.items() if node not in wrong}
    found = {node: [] for node in hand_values}
    for slip in _slips(names, uses, true, _reaching(uses, wrong)):
        grads = _reverse_pass(root, uses, slip.term)
        spares_the_right = all(typed_match(grads.get(node, 0.0), typed) for node, typed in right.items())
        for node, typed in wrong.items():
            value = grads.get(node, 0.0)
            if not math.isclose(value, true[node], rel_tol=RELATIVE_TOLERANCE) and typed_match(value, typed):
                found[node].append((not spares_the_right, Mistake(slip.kind, names[slip.node], slip.text)))
    # first the slips that leave every value the student got right as it is, each group in KINDS order
    return {node: tuple(dict.fromkeys(mistake for _, mistake in sorted(found[node], key=lambda m: m[0])))
            for node in hand_values}


# --- the chain rule, in floats -------------------------------------------------------------


def _uses(root):
    """Every term of the chain rule below `root`, users parents first; None if a node has its own backward."""
    uses = []
    for user in interior_nodes_parents_first(root):
        if table_op(user) is None:
            return None
        for index, child in enumerate(user.children):
            uses.append(_Use(user, index, child, local_derivative(user, index)))
    return uses


def _true_term(use, user_grad):
    return use.local * user_grad


def _reverse_pass(root, uses, term):
    """d root / d node for every node, as {node: float}: each use adds `term(use, user's grad)`."""
    grads = {root: 1.0}
    for use in uses:
        grads[use.child] = grads.get(use.child, 0.0) + term(use, grads.get(use.user, 0.0))
    return grads


def _reaching(uses, targets):
    """The nodes from which one of `targets` is reached going down (the targets too):
    only a slip at one of these can change a target."""
    reaching = set(targets)
    for use in reversed(uses):  # children first
        if use.child in reaching:
            reaching.add(use.user)
    return reaching


# --- each slip, with its words -------------------------------------------------------------


@dataclass(frozen=True)
class _Slip:
    """One slip: its kind, the node whose grad it makes wrong, its words, and the chain
    rule's term with the slip made, `term(use, user's grad)`, for `_reverse_pass`."""

    kind: str
    node: object
    text: str
    term: object


def _slips(names, uses, true, reaching):
    """Every slip that can change a node in `reaching`, in `KINDS` order."""
    slips = []
    for use in uses:
        if use.child in reaching:
            slips.extend(_slips_of_a_term(names, use))
    slips.extend(_overwrites(names, uses, reaching))
    slips.extend(_Slip("counted_twice", node, _counted_twice_text(names, node, grad), _doubling(node))
                 for node, grad in true.items() if not node.children and node in reaching)
    return sorted(slips, key=lambda slip: KINDS.index(slip.kind))


def _slips_of_a_term(names, use):
    """The slips of the one term `use`: each computes that term wrongly, all others rightly."""
    child, user = names[use.child], names[use.user]
    op = table_op(use.user)
    formula = op.local_grads[use.index]
    right = _formula_text(use, names)
    local = f"{op.name}'s local derivative {right}"
    slips = [
        ("local_left_out", f"at {child}: {attribute(user, 'grad')} passed down to {child} without multiplying by {local}", lambda g: g),
        ("upstream_left_out", f"at {child}: {child} got {local} alone, not multiplied by {attribute(user, 'grad')}", lambda g: use.local),
        ("sign_flipped", f"at {child}: {local}, taken with the wrong sign", lambda g: -use.local * g),
    ]
    if len(use.user.children) == 1 and (mentions(formula, "out") or mentions(formula, "a")):
        slips.append(_wrong_point(names, use, formula, right))
    if op.name == "*":
        other = use.user.children[1 - use.index]
        text = (f"at {child}: {child} multiplied by its own data {attribute(child, 'data')} = {number(use.child.data)} "
                f"instead of the other factor's {attribute(names[other], 'data')} = {number(other.data)}")
        slips.append(("factor_swapped", text, lambda g: use.child.data * g))
    return [_Slip(kind, use.child, text, _one_term_wrong(use, wrong_term)) for kind, text, wrong_term in slips]


def _one_term_wrong(wrong_use, wrong_term):
    """The chain rule's term with `wrong_term(user's grad)` for the one use `wrong_use`."""
    return lambda use, user_grad: wrong_term(user_grad) if use is wrong_use else _true_term(use, user_grad)


def _wrong_point(names, use, formula, right):
    """(kind, text, wrong term): tanh's 1 - out**2 taken at its input (1 - a**2), sin's cos(a) at its output (cos(out))."""
    at = variables(use.user)
    swapped = {"a": at["out"], "out": at["a"]}
    wrong_local = float(eval(formula, NAMESPACE, swapped))  # the op table's formula, a and out swapped
    point = ("its input", "its output") if mentions(formula, "out") else ("its output", "its input")
    wrong_text = substitute(formula, {"a": attribute(names[use.user], "data"), "out": attribute(names[use.child], "data")})
    text = (f"at {names[use.child]}: {table_op(use.user).name}'s local derivative taken at {point[0]} instead of "
            f"{point[1]}: {wrong_text} = {number(wrong_local)}, not {right}")
    return "wrong_point", text, lambda g: wrong_local * g


def _overwrites(names, uses, reaching):
    """For each use of a node used more than once, the slip that keeps that use's term only."""
    uses_of = {}
    for use in uses:
        uses_of.setdefault(use.child, []).append(use)
    slips = []
    for child, its_uses in uses_of.items():
        if len(its_uses) < 2 or child not in reaching:
            continue
        for kept in its_uses:
            text = (f"at {names[child]}: {attribute(names[child], 'grad')} kept only the term from "
                    f"{names[kept.user]} ({len(its_uses)} uses): = instead of +=")
            slips.append(_Slip("overwritten", child, text, _keeping_only(kept)))
    return slips


def _keeping_only(kept):
    """The chain rule's term when `kept.child` keeps the term of the use `kept` only."""
    return lambda use, user_grad: 0.0 if use.child is kept.child and use is not kept else _true_term(use, user_grad)


def _doubling(leaf):
    """The chain rule's term when `leaf` adds up two backward passes: each of its terms twice."""
    return lambda use, user_grad: use.local * user_grad * (2 if use.child is leaf else 1)


def _counted_twice_text(names, node, grad):
    return (f"at {names[node]}: the true grad {number(grad)} counted twice, as two backward() calls "
            f"without zero_grad() in between leave it")


def _formula_text(use, names):
    """The local derivative with names and its value: `1 - o.data**2 = 0.5000`, `w1.data = -3.0000`; `1` alone."""
    symbols = {"out": attribute(names[use.user], "data")}
    symbols.update((variable, attribute(names[child], "data")) for variable, child in zip("ab", use.user.children))
    formula = table_op(use.user).local_grads[use.index]
    with_names = substitute(formula, symbols)
    return with_names if with_names == formula else f"{with_names} = {number(use.local)}"
