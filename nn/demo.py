"""`stepgrad demo`: the tanh neuron by machine, then a network trained on moons."""

import os

from .cli import tanh_neuron
from .plot import has_matplotlib, save_training_plot
from .recipe import train_classifier


def show_tanh_neuron(out_dir):
    """Print the worked tanh neuron's output and gradients.

    NB: the hand-check table (`autograd.grad_table`), the chain-rule steps
    (`autograd.backward_steps`) and the drawing `out_dir/neuron.svg`
    (`autograd.draw_dot`) go here once the drawing code lands.
    """
    o, nodes = tanh_neuron()
    o.backward()
    print(f"o = tanh(n) = {o.data:.4f}")
    for name in ("x1", "w1", "x2", "w2", "b"):
        print(f"d o / d {name:<2} = {nodes[name].grad: .4f}")


def run_demo(out_dir="out", steps=100, progress=True):
    """The whole demo, writing its files into `out_dir`."""
    os.makedirs(out_dir, exist_ok=True)
    show_tanh_neuron(out_dir)

    print("\nTraining MLP(2, [16, 16, 1]) on 100 moons: hinge loss + 1e-4 L2, SGD, lr 1.0 -> 0.1")
    run = train_classifier("moons", hidden=(16, 16), steps=steps, progress=progress)
    print(f"final loss {run.loss:.4f}, accuracy {run.accuracy:.1%} ({len(run.model.parameters())} parameters)")

    if has_matplotlib():
        path = os.path.join(out_dir, "moons.png")
        save_training_plot(run, path)
        print(f"wrote {path}: loss curve and decision boundary")
    else:
        print("matplotlib is not installed, so no moons.png: pip install 'stepgrad[plot]'")
    return run
