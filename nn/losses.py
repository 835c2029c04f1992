"""Loss functions built from Value ops, so `backward()` differentiates them.

Each takes a batch: a list of model outputs and a list of targets (a single
output and target are taken as a batch of one), and returns the mean loss
over the batch as one Value.

The two losses on logits shift every exponent by the largest logit m, so no
exp ever sees a positive number: logits of +-1000 give finite losses and
gradients.  m is itself a graph op (a chain of relu nodes), so a compiled
replay (`autograd.compile`) decides anew which logit is largest.

Targets as data: a loss whose targets enter its graph only as numbers in
arithmetic (hinge's `s * y`, mse's `p - t`) has an attribute
`target_numbers(targets)` giving those numbers.  Called with them as
`Value` leaves it builds the very graph it builds from the targets, so a
compiled training step (`nn.train.CompiledStep`) can take each batch's
targets as data leaves and replay one recording for every batch.
`cross_entropy` has none: its class index chooses which logit enters the
loss, the shape of the graph.
"""

from functools import partial
from numbers import Integral, Real

from autograd import Value


def maximum(values):
    """max_i v_i as graph ops: max(a, b) = a + relu(b - a), folded left to right.

    Each fold starts from whichever of the two is larger now, so relu gets
    b - a <= 0 and the result is exactly the largest v_i, however far apart
    they are (-1e19 and 1000 would round to 0 the other way round).  A
    compiled replay (`autograd.compile`) still decides anew which is larger,
    through the relu, to within a rounding error.
    """
    m = values[0]
    for v in values[1:]:
        if v.data > m.data:
            m, v = v, m
        m = m + (v - m).relu()
    return m


def log_sum_exp_shifted(values, m):
    """log(sum_i e**(v_i - m)): every exponent is <= 0 when m >= max_i v_i."""
    return _sum([(v - m).exp() for v in values]).log()


def logsumexp(values):
    """log(sum_i e**v_i) = m + log(sum_i e**(v_i - m)), m = max_i v_i.

    The identity holds for any m, so the gradient through m,
    1 - sum_i softmax_i, is 0 up to rounding and d/dv_i = softmax_i.
    """
    values = _as_values(values)
    if not values:
        raise ValueError("logsumexp needs at least one value")
    m = maximum(values)
    return log_sum_exp_shifted(values, m) + m


def softplus(z):
    """log(1 + e**z) = relu(z) + log(1 + e**-|z|).  d/dz = sigmoid(z)."""
    relu_z, rest = _softplus_parts(z)
    return relu_z + rest


def _softplus_parts(z):
    """relu(z) and log(1 + e**-|z|), whose sum is softplus(z).

    The second is log(e**-m + e**(z - m)) with m = relu(z): one exponent is
    0, the other -|z|, so nothing overflows, and the derivative at z = 0 is
    the true 1/2 (with abs(z) it would be 0: relu and abs both take 0 there).
    It is the log of a sum (there is no log1p op), so once e**-|z| < 1.1e-16
    (|z| > 37) it rounds to 0: an absolute error below 1.2e-16.
    """
    z = _as_values([z])[0]
    m = z.relu()
    return m, log_sum_exp_shifted([0.0, z], m)


def mse(predictions, targets):
    """Mean squared error: mean_i (p_i - t_i)**2.  d/dp_i = 2 (p_i - t_i) / n."""
    predictions, targets = _batch(predictions, targets, "mse")
    return _mean([(p - t) ** 2 for p, t in zip(predictions, targets)])


def _numbers(targets):
    """The targets as floats (a Value target gives its data)."""
    return [t.data if isinstance(t, Value) else float(t) for t in targets]


mse.target_numbers = _numbers


def hinge(scores, targets, l2=0.0, parameters=()):
    """Max-margin loss, micrograd's: mean_i relu(1 - s_i * y_i) + l2 * sum_p p**2.

    A target t > 0 means class +1, any other (0 or -1) class -1, so labels
    0/1 and -1/+1 both work; a NaN label is refused.  A target may also be
    a Value holding the sign y itself, +1.0 or -1.0 (`hinge.target_numbers`
    gives them): a leaf of the graph, as compiled steps need.  The optional
    L2 term, over `parameters`, pulls weights towards 0 (weight decay).
    """
    scores, targets = _batch(scores, targets, "hinge")
    signs = [t if isinstance(t, Value) else sign for t, sign in zip(targets, _hinge_signs(targets))]
    loss = _mean([(1 - s * y).relu() for s, y in zip(scores, signs)])
    parameters = list(parameters)
    if l2 and parameters:
        loss = loss + l2 * _sum([p * p for p in parameters])
    return loss


def _hinge_signs(targets):
    """+1.0 for a target > 0, else -1.0; a Value target must hold the sign itself."""
    signs = []
    for i, t in enumerate(targets):
        if isinstance(t, Value):
            if t.data not in (1.0, -1.0):
                raise ValueError(f"a hinge target that is a Value must hold the sign +1.0 or -1.0, got {t!r} for sample {i}")
            signs.append(t.data)
        elif not isinstance(t, Real) or t != t:
            raise ValueError(f"hinge targets must be numbers (class +1 if > 0, else -1), got {t!r} for sample {i}")
        else:
            signs.append(1.0 if t > 0 else -1.0)
    return signs


hinge.target_numbers = _hinge_signs


def binary_cross_entropy(logits, targets):
    """Binary cross-entropy of sigmoid(z) against t in [0, 1], from the logit z.

    -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z)) = softplus(z) - t z
    = (relu(z) - t z) + log(1 + e**-|z|), the first part exact for t = 0 or 1,
    the second never overflowing (see `_softplus_parts`).  d/dz = sigmoid(z) - t.
    A target may be a Value in [0, 1] (a leaf, as compiled steps need).
    """
    logits, targets = _batch(logits, targets, "binary_cross_entropy")
    _bce_targets(targets)
    return _mean([_binary_cross_entropy(z, t) for z, t in zip(logits, targets)])


def _bce_targets(targets):
    """The targets as floats, each checked to be a number (or a Value) in [0, 1]."""
    numbers = []
    for i, t in enumerate(targets):
        number = t.data if isinstance(t, Value) else t
        if not isinstance(number, Real) or not 0 <= number <= 1:
            raise ValueError(
                f"binary_cross_entropy targets must be numbers in [0, 1], got {t!r} for sample {i}; "
                "for -1/+1 labels use hinge"
            )
        numbers.append(float(number))
    return numbers


binary_cross_entropy.target_numbers = _bce_targets


def _binary_cross_entropy(z, t):
    relu_z, rest = _softplus_parts(z)
    return (relu_z - t * z) + rest


def cross_entropy(logits, target):
    """Softmax cross-entropy: logsumexp(z) - z[target] = -log softmax(z)[target].

    Computed as log(sum_k e**(z_k - m)) - (z[target] - m), m = max_k z_k, so
    large logits cancel before they are summed.

    `logits` is one sample's list of class scores and `target` its class
    index; or a batch: a list of such lists with a list of indices, whose
    mean is returned.  d/dz_k = softmax(z)_k - [k == target].
    """
    if isinstance(target, (list, tuple)):
        logits, target = _batch(logits, target, "cross_entropy", scalar=False)
        return _mean([cross_entropy(z, t) for z, t in zip(logits, target)])
    if not isinstance(logits, (list, tuple)) or not logits:
        raise ValueError(f"cross_entropy needs a non-empty list of logits, got {logits!r}")
    if isinstance(target, bool) or not isinstance(target, Integral) or not 0 <= target < len(logits):
        raise ValueError(f"cross_entropy target must be a class index in 0..{len(logits) - 1}, got {target!r}")
    logits = _as_values(logits)
    m = maximum(logits)
    return log_sum_exp_shifted(logits, m) - (logits[int(target)] - m)


def target_numbers(loss):
    """`loss`'s `target_numbers` function (see the module doc), looked up through
    `functools.partial`; None for a loss whose targets may choose the graph's shape."""
    while isinstance(loss, partial):
        loss = loss.func
    return getattr(loss, "target_numbers", None)


def _batch(outputs, targets, name, scalar=True):
    """`outputs` and `targets` as equally long lists (a single pair becomes one).

    With `scalar`, each output must be a single number or Value.
    """
    if isinstance(outputs, (Value, Real)):
        outputs = [outputs]
    if isinstance(targets, Real):
        targets = [targets]
    outputs = [Value(o) if isinstance(o, Real) else o for o in outputs]
    targets = list(targets)
    if scalar and not all(isinstance(o, Value) for o in outputs):
        raise TypeError(f"{name} takes one number or Value per sample; for a list of class scores use cross_entropy")
    if len(outputs) != len(targets):
        raise ValueError(f"{name}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{name}: the batch is empty")
    return outputs, targets


def _as_values(items):
    return [x if isinstance(x, Value) else Value(x) for x in items]


def _sum(values):
    return sum(values[1:], values[0])


def _mean(values):
    return _sum(values) * (1.0 / len(values))
