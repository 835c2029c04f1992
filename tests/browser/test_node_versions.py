"""Every npm package locked in web/ and tests/browser accepts the Node that `bash dev.sh setup` installs.

dev.sh installs Debian's (or Ubuntu's) `nodejs` with apt-get: 18.19 on
Ubuntu 24.04 and 18.20 on Debian 12 are the oldest.  A package whose
`engines.node` leaves that out makes `npm ci` warn EBADENGINE, and may
not run.  The two `npm ci` runs of dev.sh keep logs of their own.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = [ROOT / "web" / "package-lock.json", ROOT / "tests" / "browser" / "package-lock.json"]
OLDEST_NODE = (18, 19, 0)
"""The oldest Node that dev.sh's apt-get gives on the systems README.md names."""

COMPARATOR = re.compile(r"(>=|<=|>|<|=|\^)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def satisfies(version, node_range):
    """Does `version` (major, minor, patch) fall in an npm `engines.node` range such as '>=18 || ^16.14.0'?

    Only the forms npm packages use for engines are read: >=, >, <=, <, =
    and ^, joined by spaces (and) and `||` (or); another form raises.
    """
    node_range = re.sub(r"([<>=^]+)\s+", r"\1", node_range)  # '>= 12' is '>=12'
    return any(all(_meets(version, part) for part in alternative.split()) for alternative in node_range.split("||"))


def _meets(version, comparator):
    match = COMPARATOR.fullmatch(comparator)
    if not match:
        raise ValueError(f"engines.node {comparator!r}: this test reads only >=, >, <=, <, = and ^")
    op, *parts = match.groups()
    given = tuple(int(n) for n in parts if n is not None)
    if op in (None, "="):
        return version[: len(given)] == given  # '18' is any 18.x.y
    bound = given + (0,) * (3 - len(given))
    return {
        ">=": version >= bound, ">": version > bound, "<=": version <= bound, "<": version < bound,
        "^": bound <= version < (bound[0] + 1, 0, 0),
    }[op]


def too_new_for(version, lock):
    """The packages in `lock` whose engines.node leaves `version` out, as 'name@x.y.z needs node RANGE'."""
    packages = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    return [
        f"{path.removeprefix('node_modules/')}@{package['version']} needs node {package['engines']['node']}"
        for path, package in packages.items()
        if path and "node" in package.get("engines", {}) and not satisfies(version, package["engines"]["node"])
    ]


def test_the_range_reader():
    assert satisfies((18, 19, 0), ">=18") and satisfies((18, 19, 0), ">= 12") and satisfies((20, 1, 0), "^14.17.0 || >=16")
    assert not satisfies((20, 20, 2), ">=22.12.0") and not satisfies((18, 19, 0), ">=20")
    assert satisfies((18, 19, 0), "18") and not satisfies((19, 0, 0), "^18.0.0")


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.parent.name)
def test_every_locked_package_runs_on_the_node_that_setup_installs(lock):
    assert too_new_for(OLDEST_NODE, lock) == []


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.parent.name)
def test_every_locked_package_runs_on_the_node_here(lock):
    try:
        here = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no node here")
    version = tuple(int(n) for n in here.strip().lstrip("v").split(".")[:3])
    assert too_new_for(version, lock) == []


def test_each_npm_ci_of_dev_sh_writes_a_log_of_its_own():
    dev_sh = (ROOT / "dev.sh").read_text(encoding="utf-8")
    assert "$VENV/npm.log" not in dev_sh, "both npm ci runs write .venv/npm.log"
