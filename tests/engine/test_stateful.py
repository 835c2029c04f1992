"""A stateful test: random programs of graph building, backward(), zero_grad(),
no_grad(), detach(), partial stepping and grads set to None, in any order.

After every step each node's grad is checked against a model of PyTorch's
semantics (leaves accumulate, interior grads are recomputed, a None counts
as 0.0, stepping starts from zero).  The derivatives in that model come
from a float reference written here, apart from the engine; where torch is
installed, each backward() also checks the reference against torch.autograd
in float64.
"""

import math

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

from autograd import Value, backward_steps, no_grad
from autograd.engine.walks import interior_nodes_parents_first

try:
    import torch
except ImportError:  # the float reference alone
    torch = None

# op name -> (forward on floats, local derivatives d out/d child given the children's data and out)
REFERENCE = {
    "+": (lambda a, b: a + b, lambda a, b, out: (1.0, 1.0)),
    "*": (lambda a, b: a * b, lambda a, b, out: (b, a)),
    "tanh": (math.tanh, lambda a, out: (1.0 - out * out,)),
    "relu": (lambda a: max(a, 0.0), lambda a, out: (1.0 if a > 0 else 0.0,)),
    "neg": (lambda a: -a, lambda a, out: (-1.0,)),
}
BUILD = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
    "neg": lambda a: -a,
}
"""Each op on Values, and on torch tensors (which have the same methods)."""

numbers = st.floats(-2.0, 2.0, allow_nan=False).map(lambda x: round(x, 3))


def close(got, want):
    if want is None or got is None:
        return got is want
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)


class Programs(RuleBasedStateMachine):
    """Every node made so far, the graph as the test recorded it, and the grads expected."""

    nodes = Bundle("nodes")

    @initialize(target=nodes, x=numbers)
    def first_leaf(self, x):
        self.children = {}  # node -> (op, children) as built here; leaves are absent
        self.expected = {}  # node -> expected grad
        self.tensor = {}  # node -> its torch mirror (where torch is installed)
        return self._leaf(Value(x))

    def _leaf(self, node):
        self.expected[node] = 0.0
        if torch is not None:
            self.tensor[node] = torch.tensor(node.data, dtype=torch.float64, requires_grad=True)
        return node

    @rule(target=nodes, x=numbers)
    def leaf(self, x):
        return self._leaf(Value(x))

    @rule(target=nodes, op=st.sampled_from(["+", "*"]), a=nodes, b=nodes)
    def binary(self, op, a, b):
        return self._made(op, (a, b))

    @rule(target=nodes, op=st.sampled_from(["tanh", "relu", "neg"]), a=nodes)
    def unary(self, op, a):
        return self._made(op, (a,))

    def _made(self, op, children):
        node = BUILD[op](*children)
        forward = REFERENCE[op][0]
        assert node.data == forward(*(c.data for c in children))
        self.children[node] = (op, children)
        self.expected[node] = 0.0
        if torch is not None:
            self.tensor[node] = BUILD[op](*(self.tensor[c] for c in children))
        return node

    @rule(target=nodes, op=st.sampled_from(["+", "*"]), a=nodes, b=nodes)
    def under_no_grad(self, op, a, b):
        with no_grad():
            node = BUILD[op](a, b)
        assert node.children == () and node.data == REFERENCE[op][0](a.data, b.data)
        return self._leaf(node)

    @rule(target=nodes, a=nodes)
    def detach(self, a):
        node = a.detach()
        assert node.children == () and node.data == a.data
        return self._leaf(node)

    @rule(root=nodes)
    def backward(self, root):
        derivatives = self._derivatives(root)
        root.backward()
        for node, d in derivatives.items():
            if node in self.children:
                self.expected[node] = d
            else:
                held = self.expected[node]
                self.expected[node] = d if held is None else held + d

    @rule(root=nodes)
    def zero_grad(self, root):
        root.zero_grad()
        for node in self._below(root):
            self.expected[node] = 0.0

    @rule(node=nodes)
    def clear_grad(self, node):
        node.grad = None  # PyTorch's way of clearing a grad
        self.expected[node] = None

    @precondition(lambda self: self.children)
    @rule(root=nodes, fraction=st.floats(0.0, 1.0))
    def step_partly(self, root, fraction):
        order = interior_nodes_parents_first(root)
        k = int(fraction * len(order))
        if k == 0:
            return  # a stepper that never steps has not started: it changes nothing
        derivatives = self._derivatives(root)
        steps = backward_steps(root)
        for _ in range(k):
            next(steps)
        steps.close()
        for node in self._below(root):
            self.expected[node] = 0.0
        self.expected[root] = 1.0
        for parent in order[:k]:  # a node passes its final grad on, d root / d parent
            for child, local in zip(self.children[parent][1], self._locals(parent)):
                self.expected[child] += local * derivatives[parent]

    @invariant()
    def grads_are_as_expected(self):
        for node, want in getattr(self, "expected", {}).items():
            assert close(node.grad, want), f"{node!r}: grad {node.grad!r}, expected {want!r}"

    # --- the float reference ---------------------------------------------------

    def _below(self, root):
        """Every node below `root`, each after all its parents (reverse topological order)."""
        done, order, stack = set(), [], [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in done:
                done.add(node)
                stack.append((node, True))
                for child in self.children.get(node, ("", ()))[1]:
                    stack.append((child, False))
        return order[::-1]

    def _locals(self, node):
        op, children = self.children[node]
        return REFERENCE[op][1](*(c.data for c in children), node.data)

    def _derivatives(self, root):
        """d root / d node for every node below root, by the chain rule on floats (and torch, if there)."""
        below = self._below(root)
        d = {node: 0.0 for node in below}
        d[root] = 1.0
        for node in below:
            if node in self.children:
                for child, local in zip(self.children[node][1], self._locals(node)):
                    d[child] += local * d[node]
        if torch is not None:
            grads = torch.autograd.grad(
                self.tensor[root], [self.tensor[n] for n in below], allow_unused=True, retain_graph=True
            )
            for node, grad in zip(below, grads):
                theirs = 0.0 if grad is None else grad.item()
                assert close(d[node], theirs), f"the float reference {d[node]} disagrees with torch {theirs}"
        return d


Programs.TestCase.settings = settings(max_examples=300, stateful_step_count=25, deadline=None)
test_programs = Programs.TestCase


@pytest.mark.parametrize("k", [0, 1])
def test_the_reference_checks_something(k):
    """The machine's own check catches a wrong grad (a check of the checker)."""
    machine = Programs()
    x = machine.first_leaf(1.5)
    y = machine.binary("*", x, x)
    machine.backward(y)
    machine.grads_are_as_expected()
    [x, y][k].grad += 1e-6
    with pytest.raises(AssertionError):
        machine.grads_are_as_expected()
