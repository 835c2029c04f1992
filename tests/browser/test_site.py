"""The static site web/dist in headless Chromium: `node tests/browser/site_e2e.mjs`; and the
two pieces of web/build.py every visit relies on: the service worker's build version and the icon.

`bash dev.sh setup` (and `dev.sh test`) builds web/dist when it is missing
or stale, installs chromium and runs npm ci in tests/browser; without node,
chromium, tests/browser/node_modules or a built site the browser test skips,
saying which and that command (in CI, CI=true, it fails: tests/browser/tools.py).
"""

import sys
from pathlib import Path

import pytest

from .tools import run_script

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "web"))  # web/build.py and web/menu.py, which are scripts, not a package
import build  # noqa: E402
from menu import with_menu  # noqa: E402

TIMEOUT = 600  # seconds, for the whole browser run (about 90 s here)


@pytest.mark.slow  # the site in a headless browser
def test_the_site_works_in_headless_chromium():
    run_script("site_e2e.mjs", TIMEOUT)


def test_the_service_workers_version_changes_with_any_built_file(tmp_path):
    (tmp_path / "index.html").write_text("<p>one</p>")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "01.html").write_text("<p>lesson</p>")
    first = build.write_service_worker(tmp_path)
    assert f'"version": "{first}"' in (tmp_path / build.SERVICE_WORKER).read_text()
    assert build.write_service_worker(tmp_path) == first  # the same files: the same version
    (tmp_path / "lessons" / "01.html").write_text("<p>lesson, changed</p>")
    second = build.write_service_worker(tmp_path)
    assert second != first and f'"version": "{second}"' in (tmp_path / build.SERVICE_WORKER).read_text()


def test_every_page_links_the_icon_at_its_depth():
    page = "<html><head><title>t</title></head><body><!-- menu --></body></html>"
    assert '<link rel="icon" href="favicon.svg"' in with_menu(page, "index.html", depth=0)
    assert '<link rel="icon" href="../favicon.svg"' in with_menu(page, "lessons/01.html", depth=1)
    with pytest.raises(ValueError, match="</head>"):
        with_menu("<body><!-- menu --></body>", "bare.html", depth=0)
