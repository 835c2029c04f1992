"""Is stepgrad's install whole, or mixed with another package of the same import name?

stepgrad installs the import packages `autograd` and `nn` (and this one,
`stepgrad`).  The first two names are also taken by HIPS autograd (the
PyPI package `autograd`) and by the PyPI package `nn`.  pip installs both
into the same folders without a warning: the one installed last overwrites
the other's `__init__.py` (and any file of the same name), and each leaves
its other files behind.  The result works for neither.

Two signs show a mix, read from the files without importing anything:

- each of stepgrad's `__init__.py` files carries the line `STEPGRAD_PACKAGE = ...`;
  one without it was written by the other package;
- a file that only the other package has (`autograd/tracer.py`, `nn/optimizers.py`)
  lies beside stepgrad's.

`check_install()` raises `PackageClash`, one line naming the clash and the
fix (a separate virtual environment).  Both `__init__.py` files call it
first, and so does the `stepgrad` command (`stepgrad.command`) before it
imports `nn`; there the check prints the line and exits with status 1
instead of a traceback.  This module imports nothing of stepgrad's.  NB:
when the other package's `__init__.py` won, `import autograd` (or
`import nn`) runs that package and cannot be intercepted; `import nn` (or
`import autograd`) and the command still name the clash.
"""

import os
import sys

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
        init = os.path.join(folder, "__init__.py")
        if not os.path.exists(init):
            continue  # nn not installed beside autograd (say, a copy of the engine alone)
        theirs = [f for f in their_files if os.path.exists(os.path.join(folder, f))]
        if theirs or not _is_stepgrad_init(init):
            evidence = f"{name}/{theirs[0]} is theirs" if theirs else f"{name}/__init__.py is not stepgrad's"
            return (
                f"stepgrad's import package '{name}' is mixed with {other}, which uses the same name "
                f"({evidence}; folder {folder}): installing one overwrote files of the other. "
                f"Install stepgrad in a virtual environment of its own (python -m venv .venv-stepgrad, "
                f"then .venv-stepgrad/bin/pip install stepgrad), and reinstall the other package where it is used."
            )
    return None


def _is_stepgrad_init(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return any(line.startswith(MARK) for line in f)
    except OSError:
        return False


def check_install():
    """Raise `PackageClash` if stepgrad's install is mixed with another package's.

    Inside the `stepgrad` command it exits with the message instead (status
    1, no traceback): a console script cannot catch what its own import raises.
    """
    problem = install_problem()
    if problem:
        if _in_the_command():
            raise SystemExit(f"stepgrad: error: {problem}")
        raise PackageClash(problem)


def _in_the_command():
    name = os.path.splitext(os.path.basename(sys.argv[0] if sys.argv else ""))[0]
    return name in ("stepgrad", "stepgrad-script")

