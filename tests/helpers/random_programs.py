"""Random straight-line programs over three inputs, for hypothesis.

A program is a list of instructions; each applies one op to earlier
variables (the inputs first) and adds its result as a new variable; the
output is the last one.  Every op is kept inside its domain (log, sqrt and
/ see 1 + v*v) and powers see tanh(v), so values stay far from overflow
however the ops chain, and a program runs on Values and on torch tensors alike.
"""

from hypothesis import strategies as st

UNARY = {
    "tanh": lambda v: v.tanh(),
    "sigmoid": lambda v: v.sigmoid(),
    "sin": lambda v: v.sin(),
    "cos": lambda v: v.cos(),
    "neg": lambda v: -v,
    "exp of tanh": lambda v: v.tanh().exp(),
    "log": lambda v: (v * v + 1).log(),
    "sqrt": lambda v: (v * v + 1).sqrt(),
    "relu": lambda v: v.relu(),
    "abs": lambda v: abs(v),
    "square": lambda v: v.tanh() ** 2,
    "cube of a negative or positive base": lambda v: v.tanh() ** 3,
}

BINARY = {
    "+": lambda u, v: u + v,
    "-": lambda u, v: u - v,
    "*": lambda u, v: u * v,
    "/": lambda u, v: u / (v * v + 1),
    "** positive base": lambda u, v: (u * u + 1) ** v.tanh(),
}


@st.composite
def programs(draw, n_inputs=3, max_length=8):
    """A list of (op name, operand indices) instructions."""
    program = []
    for k in range(draw(st.integers(1, max_length))):
        available = n_inputs + k
        if draw(st.booleans()):
            program.append((draw(st.sampled_from(sorted(UNARY))), (draw(st.integers(0, available - 1)),)))
        else:
            pick = st.integers(0, available - 1)
            program.append((draw(st.sampled_from(sorted(BINARY))), (draw(pick), draw(pick))))
    return program


def run(program, inputs):
    """The program's output for `inputs` (Values or tensors)."""
    variables = list(inputs)
    for name, operands in program:
        op = UNARY.get(name) or BINARY[name]
        variables.append(op(*(variables[i] for i in operands)))
    return variables[-1]


points = st.lists(st.floats(-2, 2, allow_nan=False).filter(lambda x: abs(x) > 1e-3), min_size=3, max_size=3)
"""Input points away from relu's and abs's kinks at 0."""

hostile_points = st.lists(st.one_of(st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 5e-324]), st.floats(-2, 2)), min_size=3, max_size=3)
"""Input points with signed zeros and tiny numbers among ordinary ones: kinks, and local derivatives
that overflow to inf (1 / 5e-324).  Where stepgrad refuses a program at one (a power whose derivative
is infinite) a test moves on."""
