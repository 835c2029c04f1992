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

HIPS_INIT = '"""Stand-in for HIPS autograd\'s __init__.py."""\nfrom .tracer import trace\n'
PYPI_NN_INIT = '"""Stand-in for PyPI nn\'s __init__.py, which needs TensorFlow."""\nfrom tensorflow_is_not_here import keras\n'

# case -> {file: text} written over the copy of stepgrad ("HIPS after" = installed after stepgrad)
CASES = {
    "HIPS autograd after stepgrad": {"autograd/__init__.py": HIPS_INIT, "autograd/tracer.py": "def trace(): pass\n"},
    "stepgrad after HIPS autograd": {"autograd/tracer.py": "def trace(): pass\n", "autograd/numpy/__init__.py": ""},
    "PyPI nn after stepgrad": {"nn/__init__.py": PYPI_NN_INIT, "nn/optimizers.py": "", "nn/core.py": ""},
    "stepgrad after PyPI nn": {"nn/optimizers.py": "", "nn/core.py": ""},
}
CLASHING = {
    "HIPS autograd after stepgrad": "'autograd' is mixed with HIPS autograd (pip package `autograd`)",
    "stepgrad after HIPS autograd": "'autograd' is mixed with HIPS autograd (pip package `autograd`)",
    "PyPI nn after stepgrad": "'nn' is mixed with the pip package `nn`",
    "stepgrad after PyPI nn": "'nn' is mixed with the pip package `nn`",
}
COMMAND = "import sys\nfrom stepgrad.command import command_line\nsys.exit(command_line())\n"
"""What pip writes as the `stepgrad` script for the entry point `stepgrad.command:command_line`."""


def site_with(tmp_path, files):
    """A copy of stepgrad's packages under tmp_path/site, with `files` written over it."""
    site = tmp_path / "site"
    for package in ("autograd", "nn", "stepgrad"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files.items():
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


@pytest.mark.parametrize("case", CASES)
def test_a_mix_is_named_by_importing_stepgrads_packages(case, tmp_path):
    site = site_with(tmp_path, CASES[case])
    ours = [name for name in ("autograd", "nn") if f"{name}/__init__.py" not in CASES[case]]
    for name in ours:  # the other package's __init__ cannot be intercepted (see install_check)
        result = run(tmp_path, site, "-c", f"import {name}")
        last = result.stderr.strip().splitlines()[-1]
        assert result.returncode == 1 and last.startswith("stepgrad.install_check.PackageClash: stepgrad's import package")
        assert CLASHING[case] in last and "virtual environment of its own" in last


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
