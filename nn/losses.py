"""Loss functions built from Value ops, so `backward()` differentiates them.

Each takes a batch: a list of model outputs and a list of targets (a single
output and target are taken as a batch of one), and returns the mean loss
over the batch as one Value.

The two losses on logits go through `logsumexp`, which shifts by the
largest logit before exponentiating, so no exp ever sees a positive number
and logits of +-1000 give exact, finite losses and gradients.
"""

from numbers import Real

from autograd import Value


def logsumexp(values):
    """log(sum_i e**v_i), computed as m + log(sum_i e**(v_i - m)), m = max_i v_i.

    m is taken as a plain number (a constant): the identity holds for any m,
    so the gradient, d/dv_i = e**(v_i - m) / sum_j e**(v_j - m) = softmax_i,
    is exact, and every exponent is <= 0, so nothing overflows.
    """
    values = [v if isinstance(v, Value) else Value(v) for v in values]
    if not values:
        raise ValueError("logsumexp needs at least one value")
    m = max(v.data for v in values)
    total = (values[0] - m).exp()
    for v in values[1:]:
        total = total + (v - m).exp()
    return total.log() + m


def softplus(z):
    """log(1 + e**z) = logsumexp([0, z]), stable for any z.  d/dz = sigmoid(z)."""
    return logsumexp([Value(0.0), z])


def mse(predictions, targets):
    """Mean squared error: mean_i (p_i - t_i)**2.  d/dp_i = 2 (p_i - t_i) / n."""
    predictions, targets = _batch(predictions, targets, "mse")
    return _mean([(p - t) ** 2 for p, t in zip(predictions, targets)])


def hinge(scores, targets, l2=0.0, parameters=()):
    """Max-margin loss, micrograd's: mean_i relu(1 - s_i * y_i) + l2 * sum_p p**2.

    A target t > 0 means class +1, any other (0 or -1) class -1, so labels
    0/1 and -1/+1 both work.  The optional L2 term, over `parameters`,
    pulls weights towards 0 (weight decay).
    """
    scores, targets = _batch(scores, targets, "hinge")
    signs = [1.0 if t > 0 else -1.0 for t in targets]
    loss = _mean([(1 - s * y).relu() for s, y in zip(scores, signs)])
    parameters = list(parameters)
    if l2 and parameters:
        loss = loss + l2 * _sum([p * p for p in parameters])
    return loss


def binary_cross_entropy(logits, targets):
    """Binary cross-entropy of sigmoid(z) against t in [0, 1], from the logit z.

    -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z)) = softplus(z) - t z,
    and softplus goes through `logsumexp`, so large |z| neither overflows
    nor takes log(0).  d/dz = sigmoid(z) - t.
    """
    logits, targets = _batch(logits, targets, "binary_cross_entropy")
    return _mean([softplus(z) - t * z for z, t in zip(logits, targets)])


def cross_entropy(logits, target):
    """Softmax cross-entropy: logsumexp(z) - z[target] = -log softmax(z)[target].

    `logits` is one sample's list of class scores and `target` its class
    index; or a batch: a list of such lists with a list of indices, whose
    mean is returned.  d/dz_k = softmax(z)_k - [k == target].
    """
    if isinstance(target, (list, tuple)):
        logits, target = _batch(logits, target, "cross_entropy", scalar=False)
        return _mean([cross_entropy(z, t) for z, t in zip(logits, target)])
    if not isinstance(logits, (list, tuple)) or not logits:
        raise ValueError(f"cross_entropy needs a non-empty list of logits, got {logits!r}")
    if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < len(logits):
        raise ValueError(f"cross_entropy target must be a class index in 0..{len(logits) - 1}, got {target!r}")
    z = logits[target]
    return logsumexp(logits) - z


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


def _sum(values):
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _mean(values):
    return _sum(values) * (1.0 / len(values))
