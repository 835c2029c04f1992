"""Optimizers: SGD (with momentum and a learning-rate schedule), Adam, and
gradient-norm clipping.

An optimizer holds the parameters (leaf Values) and, on `step()`, moves each
one's `.data` against its `.grad`.  It assigns `.data` directly, so the
update builds no graph.  Call `zero_grad()` before each `backward()`, since
leaf grads accumulate.
"""

import math

from .module import zero_grads


class Optimizer:
    """The parameters and the step counter that every optimizer shares."""

    def __init__(self, params):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        self.steps_taken = 0

    def zero_grad(self):
        """Set every parameter's grad to 0.0."""
        zero_grads(self.params)

    def step(self):
        """Update every parameter once from its grad."""
        self._update(self.steps_taken)
        self.steps_taken += 1

    def _update(self, k):
        raise NotImplementedError


def _check_positive(name, value):
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


class SGD(Optimizer):
    """Stochastic gradient descent: p <- p - lr_k * v, v <- momentum * v + grad.

    With momentum 0 this is p <- p - lr_k * grad.  `lr` is a number or a
    schedule: a function of the step number k = 0, 1, 2, ... that returns
    the learning rate for that step, e.g. micrograd's
    `lambda k: 1.0 - 0.9 * k / 100`.
    """

    def __init__(self, params, lr, momentum=0.0):
        super().__init__(params)
        if not callable(lr):
            _check_positive("lr", lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.lr = lr
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def learning_rate(self, k):
        """The learning rate used at step k."""
        return self.lr(k) if callable(self.lr) else self.lr

    def _update(self, k):
        lr, momentum, velocity = self.learning_rate(k), self.momentum, self.velocity
        for i, p in enumerate(self.params):
            velocity[i] = momentum * velocity[i] + p.grad
            p.data -= lr * velocity[i]


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), with bias correction.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g**2;
    p <- p - lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps),  t = k + 1.
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params)
        self.lr = _check_positive("lr", lr)
        beta1, beta2 = betas
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        self.betas = (beta1, beta2)
        self.eps = _check_positive("eps", eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, k):
        (beta1, beta2), t = self.betas, k + 1
        m_correction, v_correction = 1.0 - beta1**t, 1.0 - beta2**t
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * g * g
            m_hat = self.m[i] / m_correction
            v_hat = self.v[i] / v_correction
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)


def grad_norm(params):
    """The Euclidean norm of all the grads together: sqrt(sum_p p.grad**2)."""
    return math.sqrt(sum(p.grad * p.grad for p in params))


def clip_grad_norm(params, max_norm):
    """Scale the grads so that their joint norm is at most `max_norm`.

    Grads whose norm is already <= max_norm are left alone; larger ones are
    multiplied by max_norm / norm, which keeps their direction.  Returns
    the norm before clipping, as PyTorch does.
    """
    _check_positive("max_norm", max_norm)
    params = list(params)
    norm = grad_norm(params)
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm
