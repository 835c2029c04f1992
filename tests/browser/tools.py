"""What the browser tests need besides this Python's packages, and what a missing piece does.

`bash dev.sh setup` sets all of it up: Node.js and Debian's chromium
(apt-get), playwright-core (npm ci in tests/browser) and the built site
web/dist.  Where something is missing, a browser test skips, naming it and
that command: an sdist unpacked on a machine without them runs the rest.
In CI (the environment variable CI=true, as .ci/run and CI services set
it) a missing tool is a failure, so that CI never passes by skipping them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROWSER = Path(__file__).resolve().parent
WEB = BROWSER.parents[1] / "web"
SETUP = "bash dev.sh setup"


def missing_tools(site=False):
    """What the browser tests lack, one phrase each; with `site`, the built site web/dist too."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js)")
    if shutil.which("chromium") is None:
        missing.append("Debian's chromium")
    if not (BROWSER / "node_modules" / "playwright-core").is_dir():
        missing.append("playwright-core in tests/browser/node_modules")
    if site and not (WEB / "dist" / ".built").is_file():
        missing.append("the built site web/dist")
    return missing


def in_ci():
    """True where the environment variable CI is `true` (or `1`)."""
    return os.environ.get("CI", "").lower() in ("true", "1")


def require(missing):
    """Go on if nothing is `missing`; else skip the test (fail it in CI), naming what and `bash dev.sh setup`."""
    if not missing:
        return
    message = f"the browser test needs {', '.join(missing)}: `{SETUP}` sets them up"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def run_script(script, timeout, site=True):
    """Run the Node script `script` of tests/browser (it prints `ok ...` / `not ok ...` lines and
    `N passed, M failed`) from the project's root, after `require`; fail naming each `not ok`."""
    require(missing_tools(site=site))
    env = dict(os.environ, PYTHON=sys.executable)
    run = subprocess.run(["node", str(BROWSER / script)], cwd=BROWSER.parents[1], env=env,
                         capture_output=True, text=True, timeout=timeout)
    report = run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert run.returncode == 0, f"{script} failed:\n" + ("\n".join(failed) or report[-3000:])
    assert " 0 failed" in run.stdout, report
