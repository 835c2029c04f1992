"""Is stepgrad's install whole, or mixed with another package of the same import name?

stepgrad installs the import packages `autograd` and `nn` (and this one,
`stepgrad`).  The first two names are also taken by HIPS autograd (the
PyPI package `autograd`) and by the PyPI package `nn`.  pip installs both
into the same folders without a warning: the one installed last overwrites
the other's `__init__.py` (and any file of the same name), and each leaves
its other files behind.  The result works for neither.

Two signs show a mix, read from the files without importing anything:

- each of stepgrad's `__init__.py` files carries the line `STEPGRAD_PACKAGE = ...`;
  one without it was written by the other package, and a missing one was
  removed with it (`pip uninstall autograd` after it had replaced stepgrad's);
- a file that only the other package has (`autograd/tracer.py`, `nn/optimizers.py`)
  lies beside stepgrad's.

Where the check runs, so that the first of stepgrad's imports that a mix
breaks names it in one line (the message of a `PackageClash`, raised in
the file that the import ran, so that the traceback above the message
shows only the import and that `raise`):

- stepgrad's `autograd/__init__.py` and `nn/__init__.py` raise it first
  (`import autograd`, `from nn import MLP`, ...);
- when the other package's `__init__.py` replaced stepgrad's, Python runs
  that one, and finds no `Value` in it: `from autograd import Value` then
  looks for a module `autograd.Value`, and finds `autograd/Value.py`, a
  stand-in that raises `stand_in_error`; `nn/MLP.py` does the same for
  `from nn import MLP`.  NB: other names (`from autograd import draw_dot`)
  get Python's bare "cannot import name", and when the other package's
  `__init__.py` fails by itself (PyPI nn's imports TensorFlow, which it
  does not install), its own error comes first;
- the `stepgrad` command (`stepgrad.command`) calls `check_install()`
  before it imports `nn`: the line, and exit status 1.

This module imports nothing of stepgrad's.
"""

import os

MARK = "STEPGRAD_PACKAGE = "
"""The start of a line that every stepgrad `__init__.py` has."""

OTHERS = {
    "autograd": ("HIPS autograd (pip package `autograd`)", ("tracer.py", "wrap_util.py", "differential_operators.py")),
    "nn": ("the pip package `nn`", ("optimizers.py", "core.py")),
}
"""Import name -> (the other package that uses it, files only that package installs there)."""

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.dirname(HERE)
"""The folder stepgrad is installed in: `autograd/` and `nn/` lie beside this `stepgrad/`."""


class PackageClash(ImportError):
    """stepgrad's files are mixed with another package's of the same import name."""


def install_problem(site=SITE):
    """None if `autograd/` and `nn/` under `site` are stepgrad's alone; else the one-line message."""
    for name, (other, their_files) in OTHERS.items():
        folder = os.path.join(site, name)
        if not os.path.isdir(folder):
            continue  # nn not installed beside autograd (say, a copy of the engine alone)
        init = os.path.join(folder, "__init__.py")
        theirs = [f for f in their_files if os.path.exists(os.path.join(folder, f))]
        if theirs or not _is_stepgrad_init(init):
            evidence = f"{name}/{theirs[0]} is theirs" if theirs else f"{name}/__init__.py is {_what_init_is(init)}"
            return (
                f"stepgrad's import package '{name}' is mixed with {other}, which uses the same name "
                f"({evidence}; folder {folder}): installing one overwrote files of the other. "
                f"Install stepgrad in a virtual environment of its own (python -m venv .venv-stepgrad, "
                f"then .venv-stepgrad/bin/pip install stepgrad), and reinstall the other package where it is used."
            )
    return None


def _what_init_is(path):
    return "not stepgrad's" if os.path.exists(path) else "missing"


def _is_stepgrad_init(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return any(line.startswith(MARK) for line in f)
    except OSError:
        return False


def stand_in_error(module):
    """The error that the stand-in module `module` ('autograd.Value') raises on import.

    Python imports `autograd/Value.py` only when the package `autograd` has no
    `Value`: when another package's `__init__.py` replaced stepgrad's.  Then
    it is the clash; in a whole install (`import autograd.Value`) it says
    what to write instead.
    """
    problem = install_problem()
    if problem:
        return PackageClash(problem)
    package, _, name = module.rpartition(".")
    return ImportError(f"{module} is not a module: write `from {package} import {name}`")


def check_install():
    """For the `stepgrad` command: exit with the one-line message (status 1, no traceback) if the install is mixed."""
    problem = install_problem()
    if problem:
        raise SystemExit(f"stepgrad: error: {problem}")
