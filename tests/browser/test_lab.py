"""The lessons in JupyterLite (web/dist/lab) in headless Chromium: `node tests/browser/lab.mjs`.

Lesson 01 as the site links it: Run All without error output, the worked
numbers, a draw_dot drawing with its labels, Next step to the end; every
other lesson's Run All without error output; an edit saved, then "Reset
this lesson in the lab" (lab-reset.html) brings the lesson back; no request
leaves 127.0.0.1.  Without node, chromium, tests/browser/node_modules or a
built site this test skips, saying which (in CI, CI=true, it fails: tools.py).
"""

import pytest

from .tools import run_script

pytestmark = pytest.mark.slow  # the lab in a headless browser

TIMEOUT = 900  # seconds, for the whole browser run (about 150 s here, a fresh kernel per lesson)


def test_the_lessons_run_in_the_lab_in_headless_chromium():
    run_script("lab.mjs", TIMEOUT)
