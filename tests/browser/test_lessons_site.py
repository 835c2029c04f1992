"""The lessons of the built site web/dist in headless Chromium: `node tests/browser/lessons.mjs`.

Every lesson at 1366×768 and 390×844 with axe-core, nothing wider than the
screen, no prompt numbers, "¶" only on hover or focus, every figure named;
lessons 01 and 08 step with the live stepper by mouse and keyboard.  Without
node, chromium, tests/browser/node_modules or a built site this test skips,
saying which (in CI, CI=true, it fails: tests/browser/tools.py).
"""

from pathlib import Path

import pytest

from .tools import run_script

pytestmark = pytest.mark.slow  # the site in a headless browser

TIMEOUT = 600  # seconds, for the whole browser run (about 70 s here)


def test_the_lessons_work_in_headless_chromium():
    run_script("lessons.mjs", TIMEOUT)
