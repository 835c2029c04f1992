"""The release: one version everywhere, a changelog entry, the license, and an
sdist that carries what its own tests need."""

import re
import subprocess
import sys
import tarfile
from importlib.metadata import metadata, version
from pathlib import Path

import pytest

import autograd
from nn.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_stepgrad_version_prints_the_one_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"stepgrad {autograd.__version__}\n"
    assert version("stepgrad") == autograd.__version__ == "0.2.0"


def test_the_changelog_records_this_version_first():
    """First after the changes not yet released (an `## Unreleased` heading, if any)."""
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    released = headings[1:] if headings[0] == "Unreleased" else headings
    assert released[0] == autograd.__version__


def test_the_license_is_mit_in_the_repository_and_the_metadata():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    meta = metadata("stepgrad")
    assert meta["License-Expression"] == "MIT"
    assert "Programming Language :: Python :: 3.10" in meta.get_all("Classifier")


@pytest.mark.slow
def test_the_sdist_carries_what_its_tests_need_and_no_build_output(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (sdist,) = tmp_path.glob("stepgrad-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    needed = [name for name in tracked if name.startswith(("tests/", "notebooks/", "benchmarks/", "web/", ".ci/"))]
    needed += ["LICENSE", "CHANGELOG.md", "README.md", "dev.sh", "tests/conftest.py"]
    assert [name for name in needed if name not in names] == []
    assert [name for name in names if "node_modules/" in name or name.startswith("web/dist")] == []
