"""The stepping notebooks, run in JupyterLab in a real browser as a student does.

tests/docs/test_lesson_notebooks.py runs each notebook once, top to bottom;
a student also clicks "Next step", reads on with Shift+Enter, re-runs cells
and runs everything twice.  tests/browser/notebook_flows.mjs does those
things in headless Chromium (1366x768, file browser open) and checks the
outputs and every stepping view: after Run All and after each Next step or
Back click, the step text and highlighted node lie inside the notebook's
visible rectangle (tests/browser/stepping.mjs);
this test starts one JupyterLab server for it, on a copy of notebooks/ (the
repository's notebooks are never run or saved), with fresh Jupyter settings.
Screenshots and each run's JSON result go to out/browser/<notebook>/.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .tools import missing_tools, require

pytestmark = pytest.mark.slow  # JupyterLab in a headless browser

ROOT = Path(__file__).resolve().parents[2]
BROWSER = ROOT / "tests" / "browser"
STEPPING = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if "step_through(" in p.read_text(encoding="utf-8")]
START_TIMEOUT = 120  # seconds; hang guards only
RUN_TIMEOUT = 900
# Autosave off: nothing a flow does is written back.  No news: no network.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def _missing_tools():
    """What the browser test needs and does not find: the browser tools, and JupyterLab in this Python."""
    missing = missing_tools()
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        missing.append("JupyterLab in this Python")
    return missing


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url, server, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "api/status", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer at {url} within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """The URL of a JupyterLab server on a copy of notebooks/, shut down afterwards."""
    require(_missing_tools())
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name, values in LAB_SETTINGS.items():
        (base / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (base / "settings" / name).write_text(json.dumps(values))
    # The kernel spec is still found: it lies in this Python's prefix, not in these dirs.
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
    )
    port = _free_port()
    log = base / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
    ]
    with open(log, "w") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_there_are_stepping_notebooks():
    assert STEPPING, "no notebook in notebooks/ calls step_through(: the browser test checks nothing"


@pytest.mark.parametrize("path", STEPPING, ids=lambda p: p.stem)
def test_student_flows(path, lab_url):
    shots = ROOT / "out" / "browser" / path.stem
    shots.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        ["node", str(BROWSER / "notebook_flows.mjs"), lab_url, path.name, str(shots),
         "--chromium", shutil.which("chromium")],
        cwd=BROWSER, capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )
    if run.stdout.strip():
        (shots / "result.json").write_text(run.stdout)
    if run.returncode != 0:
        pytest.fail(f"{path.name} in JupyterLab (screenshots in {shots.relative_to(ROOT)}/):\n{run.stderr.strip()}",
                    pytrace=False)
    result = json.loads(run.stdout)
    assert result["ok"] and result["flows"], result
