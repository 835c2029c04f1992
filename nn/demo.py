"""`stepgrad demo`: the tanh neuron by machine, then a network trained on moons."""

import os

from autograd import Value, backward_steps, draw_dot, grad_table
from autograd.views.draw import GraphvizNotInstalled

from .plot import has_matplotlib, save_training_plot
from .progress import loss_text
from .recipe import train_classifier


def tanh_neuron():
    """The worked tanh neuron: o = tanh(x1*w1 + x2*w2 + b), with labels."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n}


HAND_GRADS = {"n": 0.5, "b": 0.5, "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}
"""The tanh neuron's gradients as the lesson derives them by hand."""


def show_tanh_neuron(out_dir):
    """The worked tanh neuron: chain-rule steps, the hand-check table, `neuron.svg`."""
    o, _ = tanh_neuron()
    print("o = tanh(x1*w1 + x2*w2 + b), backward one node at a time:\n")
    for step in backward_steps(o):
        print(repr(step))
    print("\nEvery grad, checked against the values derived by hand:\n")
    print(grad_table(o, expected=HAND_GRADS))
    path = os.path.join(out_dir, "neuron.svg")
    try:
        svg = draw_dot(o).pipe(format="svg")
    except GraphvizNotInstalled as error:
        print(f"\nno {path}: {error}")
    else:
        with open(path, "wb") as f:
            f.write(svg)
        print(f"\nwrote {path}: the neuron's graph")


def run_demo(out_dir="out", steps=100, progress=True):
    """The whole demo, writing its files into `out_dir`."""
    os.makedirs(out_dir, exist_ok=True)
    show_tanh_neuron(out_dir)

    print("\nTraining MLP(2, [16, 16, 1]) on 100 moons: hinge loss + 1e-4 L2, SGD, lr 1.0 -> 0.1")
    run = train_classifier("moons", hidden=(16, 16), steps=steps, progress=progress)
    print(f"final loss {loss_text(run.loss)}, accuracy {run.accuracy:.1%} ({len(run.model.parameters())} parameters)")

    if has_matplotlib():
        path = os.path.join(out_dir, "moons.png")
        save_training_plot(run, path)
        print(f"wrote {path}: loss curve and decision boundary")
    else:
        print("matplotlib is not installed, so no moons.png: pip install 'stepgrad[plot]'")
    return run
