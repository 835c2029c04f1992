""".ci/run installs the test references at the versions the project pins, and runs as CI.

micrograd is the reference of tests/engine/test_micrograd_compat.py;
`dev.sh bench` installs it through the `bench` extra of pyproject.toml, and
CI must test against that same version, in every venv whose tests it runs.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def bench_pin(package):
    """The `package==version` that pyproject.toml's `bench` extra pins (read as text: no tomllib on 3.10)."""
    bench = re.search(r"^bench = \[(.*?)^\]", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M | re.S)
    (pin,) = re.findall(rf'"({package}==[^"]+)"', bench.group(1))
    return pin


def test_ci_installs_the_micrograd_that_bench_pins():
    assert re.search(rf"pip install -q {re.escape(bench_pin('micrograd'))}\n", CI_RUN)


@pytest.mark.parametrize("venv", [".venv", '".venv-$version"'])
def test_ci_installs_micrograd_in_each_venv_it_tests(venv):
    assert f"install_micrograd {venv}\n" in CI_RUN


def test_ci_runs_with_ci_true():
    assert "\nexport CI=true\n" in CI_RUN
