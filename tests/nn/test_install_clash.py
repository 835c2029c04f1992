"""A broken mix with HIPS autograd or PyPI nn (same import names) is named in one line.

Each case copies stepgrad's packages into a temporary folder, adds what
the other package's install would leave there, and imports from that folder
in a fresh interpreter.  Nothing is installed into the test's environment.
"""

import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from stepgrad.install_check import install_problem

ROOT = Path(__file__).resolve().parents[2]

HIPS_INIT = '"""Stand-in for HIPS autograd\'s __init__.py."""\nfrom .differential_operators import grad, hessian\n'
HIPS_FILES = {"autograd/differential_operators.py": "def grad(f): pass\ndef hessian(f): pass\n", "autograd/tracer.py": "",
              "autograd/wrap_util.py": "", "autograd/numpy/__init__.py": ""}
PYPI_NN_INIT = '"""Stand-in for PyPI nn\'s __init__.py, as it runs with TensorFlow installed."""\nfrom .layers import *\n'
PYPI_NN_FILES = {"nn/layers.py": "class Dense: pass\n", "nn/optimizers.py": "", "nn/core.py": ""}

# case -> {file: text, or None to delete it} written over the copy of stepgrad ("HIPS after" =
# installed after stepgrad): the package installed last wins every file that both have, and
# uninstalling it removes its files, the __init__.py that replaced stepgrad's included.
CASES = {
    "HIPS autograd after stepgrad": {**HIPS_FILES, "autograd/__init__.py": HIPS_INIT},
    "stepgrad after HIPS autograd": HIPS_FILES,
    "PyPI nn after stepgrad": {**PYPI_NN_FILES, "nn/__init__.py": PYPI_NN_INIT},
    "stepgrad after PyPI nn": {"nn/optimizers.py": "", "nn/core.py": ""},
    "HIPS autograd after stepgrad, then uninstalled": {"autograd/__init__.py": None},
}
CLASHING = {
    "HIPS autograd after stepgrad": "'autograd' is mixed with HIPS autograd (pip package `autograd`)",
    "stepgrad after HIPS autograd": "'autograd' is mixed with HIPS autograd (pip package `autograd`)",
    "PyPI nn after stepgrad": "'nn' is mixed with the pip package `nn`",
    "stepgrad after PyPI nn": "'nn' is mixed with the pip package `nn`",
    "HIPS autograd after stepgrad, then uninstalled": "(autograd/__init__.py is missing;",
}
IMPORTS = ("from autograd import Value", "from nn import MLP, fit", "import autograd", "import nn")
"""How students first import stepgrad (README.md, the lessons)."""
COMMAND = "import sys\nfrom stepgrad.command import command_line\nsys.exit(command_line())\n"
"""What pip writes as the `stepgrad` script for the entry point `stepgrad.command:command_line`."""


def site_with(tmp_path, files):
    """A copy of stepgrad's packages under tmp_path/site, with `files` written over it (None: deleted)."""
    site = tmp_path / "site"
    for package in ("autograd", "nn", "stepgrad"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files.items():
        if text is None:
            (site / name).unlink()
            continue
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "stepgrad").write_text(COMMAND)
    return site


def run(tmp_path, site, *args):
    """Run this interpreter with `site` first on the path, from an empty folder."""
    work = tmp_path / "elsewhere"
    work.mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=work, env=env, timeout=120)


@pytest.mark.parametrize("case", CASES)
def test_a_mix_is_named_by_the_command_in_one_line(case, tmp_path):
    site = site_with(tmp_path, CASES[case])
    result = run(tmp_path, site, str(tmp_path / "bin" / "stepgrad"), "--help")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("stepgrad: error: stepgrad's import package ") and result.stderr.count("\n") == 1
    assert CLASHING[case] in result.stderr and "python -m venv" in result.stderr


@pytest.mark.parametrize("statement", IMPORTS)
@pytest.mark.parametrize("case", CASES)
def test_an_import_that_a_mix_breaks_names_it_in_one_line(case, statement, tmp_path):
    """Each import either gets the other package (`import autograd` runs HIPS autograd's
    `__init__.py` when that one won) or fails with the message as one line under a
    traceback of two frames: the import, and the line of stepgrad's that raised."""
    site = site_with(tmp_path, CASES[case])
    result = run(tmp_path, site, "-c", statement)
    name = statement.split()[1]
    if result.returncode == 0:
        assert statement == f"import {name}" and f"{name}/__init__.py" in CASES[case], result.stderr
        return
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("stepgrad.install_check.PackageClash: stepgrad's import package"), result.stderr
    assert CLASHING[case] in lines[-1] and "virtual environment of its own" in lines[-1]
    frames = [line for line in lines if line.lstrip().startswith('File "')]
    assert frames[0].strip() == 'File "<string>", line 1, in <module>' and len(frames) == 2, result.stderr


def test_an_unmixed_copy_imports_and_runs_the_command(tmp_path):
    site = site_with(tmp_path, {})
    assert install_problem(str(site)) is None
    result = run(tmp_path, site, str(tmp_path / "bin" / "stepgrad"), "--help")
    assert result.returncode == 0 and "demo" in result.stdout, result.stderr
    imported = run(tmp_path, site, "-c", "import nn, autograd; print(nn.__file__, autograd.__file__)")
    assert imported.stdout.split() == [str(site / "nn" / "__init__.py"), str(site / "autograd" / "__init__.py")]


def test_the_installed_command_enters_through_the_check():
    (script,) = entry_points(group="console_scripts", name="stepgrad")
    assert script.value == "stepgrad.command:command_line"


def test_the_repository_itself_is_no_mix():
    assert install_problem() is None


@pytest.mark.parametrize("stand_in", ["autograd.Value", "nn.MLP"])
def test_a_stand_in_in_a_whole_install_says_what_to_write(stand_in, tmp_path):
    package, name = stand_in.split(".")
    result = run(tmp_path, site_with(tmp_path, {}), "-c", f"import {stand_in}")
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"ImportError: {stand_in} is not a module: write `from {package} import {name}`"
