"""The `stepgrad` command: parses the arguments and hands over.

    stepgrad demo                  the tanh neuron, then an MLP trained on moons
    stepgrad train --data moons    train a classifier and save it as JSON

The work is done elsewhere (`nn.demo`, `nn.recipe`), imported only when a
command runs, so `stepgrad --help` answers at once.
"""

import argparse
import math
import os

from .checks import whole_number


def demo(args):
    from .demo import run_demo

    run_demo(args.out_dir, progress=not args.quiet)


def train(args):
    from .recipe import train_classifier

    run = train_classifier(args.data, args.hidden, args.steps, args.lr, args.samples, args.seed, not args.quiet)
    print(f"{run.model!r} on {args.samples} {args.data}: final loss {run.loss:.4f}, accuracy {run.accuracy:.1%}")
    if not math.isfinite(run.loss):
        args.parser.error(f"training diverged (final loss {run.loss}), so nothing was saved: try a smaller --lr than {args.lr:g}")
    try:
        directory = os.path.dirname(args.out)
        if directory and not os.path.exists(directory):
            os.makedirs(directory)
        run.model.save(args.out)
    except OSError as error:
        args.parser.error(f"cannot save to {args.out}: {error.strerror} ({error.filename})")
    except ValueError as error:
        args.parser.error(str(error))
    print(f"saved the model to {args.out}")


def whole_number_option(name, minimum):
    """argparse type: a whole number >= `minimum`, `name` being what it counts."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = text  # not a whole number: whole_number says so
        try:
            return whole_number(name, value, minimum)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def positive_float(text):
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return value


def layer_widths(text):
    """argparse type: hidden layer widths such as "16,16"."""
    try:
        return [whole_number_option("each width", 1)(part) for part in text.split(",")]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected widths >= 1 separated by commas, such as 16,16; got {text!r}") from None


def build_parser():
    parser = argparse.ArgumentParser(prog="stepgrad", description="stepgrad: autograd you can step through.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo_parser = commands.add_parser("demo", help="the worked tanh neuron, then an MLP trained on moons")
    demo_parser.add_argument("--out-dir", default="out", help="where to write the pictures (default: out)")
    demo_parser.add_argument("--quiet", action="store_true", help="hide the progress bar")
    demo_parser.set_defaults(run=demo, parser=demo_parser)

    train_parser = commands.add_parser("train", help="train an MLP classifier on a toy data set and save it")
    train_parser.add_argument("--data", choices=["moons", "circles"], default="moons", help="the data set (default: moons)")
    train_parser.add_argument("--hidden", type=layer_widths, default=[16, 16], help="hidden layer widths (default: 16,16)")
    train_parser.add_argument("--steps", type=whole_number_option("steps", 1), default=100, help="full-batch SGD steps (default: 100)")
    train_parser.add_argument("--lr", type=positive_float, default=1.0, help="first learning rate; it falls linearly to a tenth (default: 1.0)")
    train_parser.add_argument("--samples", type=whole_number_option("samples", 2), default=100, help="points in the data set (default: 100)")
    train_parser.add_argument("--seed", type=int, default=0, help="seed for the data and the initial weights (default: 0)")
    train_parser.add_argument("--out", default="out/model.json", help="where to save the model (default: out/model.json)")
    train_parser.add_argument("--quiet", action="store_true", help="hide the progress bar")
    train_parser.set_defaults(run=train, parser=train_parser)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
