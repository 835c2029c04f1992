"""Neural networks on top of `autograd.Value`: modules, losses, optimizers,
toy data and a training loop.

    from nn import MLP, fit
    from nn.data import make_moons
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    history = fit(model, X, y, steps=100)
"""

STEPGRAD_PACKAGE = "nn"  # marks this file as stepgrad's (see stepgrad.install_check)

from stepgrad.install_check import PackageClash, install_problem

if problem := install_problem():  # mixed with another package named nn: the message says which
    raise PackageClash(problem)

from . import data, losses, optim  # noqa: E402
from .layers import MLP, Layer, Neuron
from .module import Module
from .train import History, evaluate, fit

__all__ = ["Module", "Neuron", "Layer", "MLP", "fit", "evaluate", "History", "losses", "optim", "data"]
