"""The static site web/dist in headless Chromium: `node tests/browser/site_e2e.mjs`.

`bash dev.sh setup` (and `dev.sh test`) builds web/dist when it is missing
or stale, installs chromium and runs npm ci in tests/browser; without node,
chromium, tests/browser/node_modules or a built site this test skips,
saying which and that command (in CI, CI=true, it fails: tests/browser/tools.py).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .tools import missing_tools, require

pytestmark = pytest.mark.slow  # the site in a headless browser

ROOT = Path(__file__).resolve().parents[2]
BROWSER = ROOT / "tests" / "browser"
TIMEOUT = 600  # seconds, for the whole browser run (about 40 s here)


def test_the_site_works_in_headless_chromium():
    require(missing_tools(site=True))
    env = dict(os.environ, PYTHON=sys.executable)
    run = subprocess.run(
        ["node", str(BROWSER / "site_e2e.mjs")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    report = run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert run.returncode == 0, "the browser test failed:\n" + ("\n".join(failed) or report[-3000:])
    assert "0 failed" in run.stdout, report
