"""The training page of the built site web/dist in headless Chromium: `node tests/browser/train.mjs`.

It trains in the page's Web Worker, measures the frames and Pause while a
16,16 network trains, rejects bad settings, works by keyboard only, at
desktop and phone size, with axe-core in each state.  Without node,
chromium, tests/browser/node_modules or a built site it skips, saying which
and `bash dev.sh setup` (in CI it fails: tests/browser/tools.py).
"""

from pathlib import Path

import pytest

from .tools import run_script

pytestmark = pytest.mark.slow  # the site in a headless browser

TIMEOUT = 600  # seconds, for the whole browser run (about 70 s here)


def test_the_training_page_works_in_headless_chromium():
    run_script("train.mjs", TIMEOUT)
