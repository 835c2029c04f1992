"""Without chromium the browser tests skip, saying what is missing and `bash dev.sh setup`; in CI they fail.

The first test runs the two browser test files in a fresh pytest whose
PATH has no chromium (node stays, where there is one), as from an sdist
unpacked on a machine without the browser tools; the second calls the
check itself with and without CI=true.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .tools import missing_tools, require

BROWSER = Path(__file__).resolve().parent
ROOT = BROWSER.parents[1]
BROWSER_TESTS = [str(BROWSER / "test_site.py"), str(BROWSER / "test_jupyterlab_notebooks.py")]


def run_browser_tests(tmp_path, ci):
    """pytest on the browser tests with chromium off PATH; CI=true when `ci`, else CI unset."""
    path = tmp_path / "bin"
    path.mkdir()
    if shutil.which("node"):
        (path / "node").symlink_to(shutil.which("node"))
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(path)
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-q", "-rsfE", "-p", "no:cacheprovider", *BROWSER_TESTS]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # a pytest of its own, about 10 s
def test_outside_ci_a_missing_chromium_skips_the_browser_tests_saying_how_to_set_them_up(tmp_path):
    result = run_browser_tests(tmp_path, ci=False)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0 and "skipped" in summary and "failed" not in summary, result.stdout
    assert "error" not in summary, result.stdout
    skips = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips and all("chromium" in line and "bash dev.sh setup" in line for line in skips), result.stdout


@pytest.mark.parametrize("ci", [None, "true"])
def test_require_skips_outside_ci_and_fails_in_ci(ci, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium, no node
    monkeypatch.delenv("CI", raising=False)
    if ci:
        monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome) as raised:
        require(missing_tools())
    assert "Debian's chromium" in str(raised.value) and "`bash dev.sh setup` sets them up" in str(raised.value)
