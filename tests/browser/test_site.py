"""The static site web/dist in headless Chromium: `node tests/browser/site_e2e.mjs`.

`bash dev.sh setup` (and `dev.sh test`) builds web/dist when it is missing
or stale, installs chromium and runs npm ci in tests/browser; without node,
chromium, tests/browser/node_modules or a built site this test fails and
says which, never skips.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the site in a headless browser

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
BROWSER = ROOT / "tests" / "browser"
TIMEOUT = 600  # seconds, for the whole browser run (about 40 s here)


def _missing():
    """What the browser test needs and lacks, as sentences."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node is not installed (sudo apt-get install nodejs npm)")
    if shutil.which("chromium") is None:
        missing.append("Debian's chromium is not installed (sudo apt-get install chromium)")
    if not (BROWSER / "node_modules" / "playwright-core").is_dir():
        missing.append("tests/browser/node_modules has no playwright-core (bash dev.sh setup runs npm ci in tests/browser/)")
    if not (WEB / "dist" / ".built").is_file():
        missing.append("web/dist is not built (bash dev.sh web)")
    return missing


def test_the_site_works_in_headless_chromium():
    missing = _missing()
    if missing:
        pytest.fail("the browser test cannot run: " + "; ".join(missing))
    env = dict(os.environ, PYTHON=sys.executable)
    run = subprocess.run(
        ["node", str(BROWSER / "site_e2e.mjs")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    report = run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert run.returncode == 0, "the browser test failed:\n" + ("\n".join(failed) or report[-3000:])
    assert "0 failed" in run.stdout, report
