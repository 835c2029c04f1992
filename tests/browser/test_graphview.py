"""GraphView (web/src/graphview.js) in headless Chromium: `node tests/browser/graphview.mjs`.

Its own test page (tests/browser/fixtures/graphview.html) with drawings
written by tests/browser/fixtures/graphview_svgs.py, from one Value up to a
986-Value network: node text stays 10-20 px on screen, the current node is
kept in view, and the drawing pans and zooms by mouse, touch and keyboard,
with axe-core's rules at desktop and phone size.  It needs no built site.
Without node, chromium or tests/browser/node_modules it skips, saying which
and `bash dev.sh setup` (in CI, CI=true, it fails: tests/browser/tools.py).
"""

from pathlib import Path

import pytest

from .tools import run_script

pytestmark = pytest.mark.slow  # a headless browser

TIMEOUT = 300  # seconds, for the whole browser run (about 20 s here)


def test_graphview_keeps_drawings_readable_in_headless_chromium():
    run_script("graphview.mjs", TIMEOUT, site=False)
