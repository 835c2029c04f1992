"""Optimizers: SGD (with momentum and a learning-rate schedule), Adam, and
gradient-norm clipping.

An optimizer holds the parameters (leaf Values) and, on `step()`, moves each
one's `.data` against its `.grad`.  It assigns `.data` directly, so the
update builds no graph.  Call `zero_grad()` before each `backward()`, since
leaf grads accumulate.
"""

import math

from autograd import Value

from .checks import fraction_below_one, positive_number, real_number
from .module import zero_grads


def check_parameters(params, owner):
    """`params` as a list, if every item is a `Value`; else a TypeError naming `owner`."""
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(
                f"{owner} optimizes Values (such as model.parameters()), "
                f"but parameter {i} is {type(p).__name__} {p!r}"
            )
    return params


def with_grads(params):
    """The parameters whose grad is not None (PyTorch skips the others)."""
    return [p for p in params if p.grad is not None]


class Optimizer:
    """The parameters and the step counter that every optimizer shares.

    A step computes every new value first and only then assigns them, so a
    step that fails (a schedule that returns a string) changes nothing.
    Parameters whose grad is None are skipped, as in PyTorch.  Parameter
    data stays a plain float whatever number type the settings were.
    """

    def __init__(self, params):
        self.params = check_parameters(params, type(self).__name__)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        self.steps_taken = 0

    def zero_grad(self):
        """Set every parameter's grad to 0.0."""
        zero_grads(self.params)

    def step(self):
        """Update every parameter that has a grad once from its grad."""
        self._update(self.steps_taken)
        self.steps_taken += 1

    def _update(self, k):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent: p <- p - lr_k * v, v <- momentum * v + grad.

    With momentum 0 this is p <- p - lr_k * grad.  `lr` is a number or a
    schedule: a function of the step number k = 0, 1, 2, ... that returns
    the learning rate for that step, e.g. micrograd's
    `lambda k: 1.0 - 0.9 * k / 100`.
    """

    def __init__(self, params, lr, momentum=0.0):
        super().__init__(params)
        self.lr = lr if callable(lr) else positive_number("lr", lr)
        self.momentum = fraction_below_one("momentum", momentum)
        self.velocity = [0.0] * len(self.params)

    def learning_rate(self, k):
        """The learning rate used at step k, as a float."""
        if not callable(self.lr):
            return self.lr
        return real_number(f"lr({k}) (the schedule's learning rate at step {k})", self.lr(k))

    def _update(self, k):
        lr, momentum = self.learning_rate(k), self.momentum
        updates = [
            (i, p, float(momentum * self.velocity[i] + p.grad))
            for i, p in enumerate(self.params)
            if p.grad is not None
        ]
        for i, p, velocity in updates:
            self.velocity[i] = velocity
            p.data = float(p.data - lr * velocity)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), with bias correction.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g**2;
    p <- p - lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps),  t = k + 1.
    `betas` is the pair (b1, b2), each in [0, 1).
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params)
        self.lr = positive_number("lr", lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2) of numbers in [0, 1), got {betas!r}")
        self.betas = tuple(fraction_below_one(f"betas[{i}]", beta) for i, beta in enumerate(betas))
        self.eps = positive_number("eps", eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, k):
        (beta1, beta2), t = self.betas, k + 1
        m_correction, v_correction = 1.0 - beta1**t, 1.0 - beta2**t
        updates = []
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            m = float(beta1 * self.m[i] + (1.0 - beta1) * g)
            v = float(beta2 * self.v[i] + (1.0 - beta2) * g * g)
            step = self.lr * (m / m_correction) / (math.sqrt(v / v_correction) + self.eps)
            updates.append((i, p, m, v, step))
        for i, p, m, v, step in updates:
            self.m[i], self.v[i] = m, v
            p.data = float(p.data - step)


def grad_norm(params):
    """The Euclidean norm of all the grads together: sqrt(sum_p p.grad**2); None grads count as absent."""
    return math.sqrt(sum(p.grad * p.grad for p in with_grads(params)))


def clip_grad_norm(params, max_norm):
    """Scale the grads so that their joint norm is at most `max_norm`.

    Grads whose norm is already <= max_norm are left alone; larger ones are
    multiplied by max_norm / norm, which keeps their direction.  Grads that
    are None are skipped.  Returns the norm before clipping, as PyTorch does.
    """
    max_norm = positive_number("max_norm", max_norm)
    params = with_grads(check_parameters(params, "clip_grad_norm"))
    norm = grad_norm(params)
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad = float(p.grad * scale)
    return norm
