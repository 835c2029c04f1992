"""The `stepgrad` command: parses the arguments and hands over.

    stepgrad demo                  the tanh neuron, then an MLP trained on moons
    stepgrad train --data moons    train a classifier and save it as JSON
    stepgrad worksheet "o = tanh(x*w + b)" --values x=2,w=-3,b=6.88 --out sheet.pdf
                                   a graph with its grads blank, and sheet-key.pdf

The work is done elsewhere (`nn.demo`, `nn.recipe`), imported only when a
command runs, so `stepgrad --help` answers at once.  Files and folders are
checked before any work; a problem with them is one line on stderr
(`stepgrad train: error: ...`) and exit status 2.
"""

import argparse
import math
import os
import sys
import tempfile

from .checks import whole_number


def demo(args):
    from .demo import run_demo

    problem = folder_problem(args.out_dir)
    if problem:
        fail(args, f"cannot write to --out-dir {args.out_dir!r}: {problem}")
    try:
        run_demo(args.out_dir, progress=not args.quiet)
    except OSError as error:
        fail(args, f"cannot write to --out-dir {args.out_dir!r}: {describe(error)}")


def train(args):
    from .recipe import train_classifier
    from .train import diverged, loss_text

    problem = destination_problem(args.out)
    if problem:
        fail(args, problem)
    run = train_classifier(args.data, args.hidden, args.steps, args.lr, args.samples, args.seed, not args.quiet)
    print(f"{run.model!r} on {args.samples} {args.data}: final loss {loss_text(run.loss)}, accuracy {run.accuracy:.1%}")
    if diverged(run.history.loss[0], run.loss) and not args.save_diverged:
        fail(
            args,
            f"training diverged (final loss {loss_text(run.loss)}, against {loss_text(run.history.loss[0])} "
            f"before training), so nothing was saved: try a smaller --lr than {args.lr:g}, "
            "or pass --save-diverged to save it anyway",
        )
    try:
        run.model.save(args.out)
    except (OSError, ValueError) as error:
        fail(args, str(error))
    print(f"saved the model to {args.out}")


def worksheet(args):
    from autograd.views.draw import GraphvizNotInstalled
    from autograd.views.expression import ExpressionError, build_expression, parse_values
    from autograd.views.worksheet import worksheet as make_worksheet

    stem, suffix = os.path.splitext(args.out)
    picture_format = suffix[1:].lower()
    if picture_format not in WORKSHEET_FORMATS:
        fail(args, f"--out {args.out!r}: the file name must end in {', '.join('.' + f for f in WORKSHEET_FORMATS)}")
    key_path = f"{stem}-key{suffix}"
    problem = destination_problem(args.out) or destination_problem(key_path)
    if problem:
        fail(args, problem)
    try:
        root = build_expression(args.expression, parse_values(args.values))
        sheet = make_worksheet(root, hide=WORKSHEET_HIDDEN[args.hide])
        pictures = {args.out: sheet.pipe(format=picture_format), key_path: sheet.answer_key().drawing.pipe(format=picture_format)}
    except (ExpressionError, ValueError, GraphvizNotInstalled) as error:  # ValueError: a graph too large to draw
        fail(args, str(error))
    try:
        for path, picture in pictures.items():
            with open(path, "wb") as f:
                f.write(picture)
    except OSError as error:
        fail(args, f"cannot save to {path}: {describe(error)}")
    print(f"wrote {args.out} ({len(sheet.blanks)} blanks) and its answer key {key_path}")


def fail(args, message):
    """Exit with status 2 and one line on stderr: `stepgrad <command>: error: <message>`."""
    print(f"{args.parser.prog}: error: {message}", file=sys.stderr)
    sys.exit(2)


def describe(error):
    """An OSError in words, without Python's `[Errno 13]` or a `(None)` file name."""
    return error.strerror or str(error)


def folder_problem(folder):
    """None if files can be written in `folder` (made if missing), else what stops it."""
    if not folder:
        return "an empty name; give a folder, such as out"
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except FileExistsError:
        return "it is a file, not a folder"
    except OSError as error:
        return describe(error)
    except ValueError as error:  # a NUL byte in the name
        return str(error)
    return None


def destination_problem(path):
    """None if a model can be saved at `path` (its folders made if missing), else the error message."""
    from .module import check_destination, file_path

    try:
        path = file_path(path, "cannot save to")
        directory = os.path.dirname(path)
        if directory and not os.path.exists(directory):
            os.makedirs(directory)
        check_destination(path)
    except ValueError as error:
        return str(error)
    except OSError as error:  # CannotSave names the path already; makedirs's errors do not
        return str(error) if error.errno is None else f"cannot save to {path}: {describe(error)}"
    return None


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


WORKSHEET_FORMATS = ("pdf", "svg", "png")
WORKSHEET_HIDDEN = {"grad": ("grad",), "data": ("data",), "both": ("data", "grad")}


def build_parser():
    from autograd import __version__

    from .train import DIVERGED_FACTOR

    parser = argparse.ArgumentParser(prog="stepgrad", description="stepgrad: autograd you can step through.")
    parser.add_argument("-V", "--version", action="version", version=f"stepgrad {__version__}")
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
    train_parser.add_argument(
        "--save-diverged", action="store_true",
        help=f"save the model even when training diverged: its final loss is over {DIVERGED_FACTOR:g} times "
        "the loss before training, or not a finite number",
    )
    train_parser.set_defaults(run=train, parser=train_parser)

    sheet_parser = commands.add_parser("worksheet", help="a formula's graph with numbered blanks to fill in, and its answer key")
    sheet_parser.add_argument("expression", help='the formula, such as "o = tanh(x1*w1 + x2*w2 + b)"')
    sheet_parser.add_argument("--values", required=True, help="a number for each name, such as x1=2,w1=-3")
    sheet_parser.add_argument("--hide", choices=sorted(WORKSHEET_HIDDEN), default="grad", help="what to leave blank (default: grad)")
    sheet_parser.add_argument(
        "--out", default="worksheet.pdf",
        help="the sheet's file, .pdf, .svg or .png; the key goes beside it with -key added (default: worksheet.pdf)",
    )
    sheet_parser.set_defaults(run=worksheet, parser=sheet_parser)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
