"""The `stepgrad` command."""

import argparse

from autograd import Value


def tanh_neuron():
    """The worked tanh neuron: o = tanh(x1*w1 + x2*w2 + b), with labels."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
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


def demo(args):
    o, nodes = tanh_neuron()
    o.backward()
    print(f"o = tanh(n) = {o.data:.4f}")
    for name in ("x1", "w1", "x2", "w2", "b"):
        print(f"d o / d {name:<2} = {nodes[name].grad: .4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="stepgrad", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="the worked tanh neuron, by machine").set_defaults(run=demo)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
