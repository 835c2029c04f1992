"""Build web/dist/lab/: the lessons in JupyterLite, a JupyterLab that runs in the browser, offline.

    python web/build.py        builds the site, then calls build_lab(dist) here
    python web/lab.py DIST     only the lab, into DIST/lab (DIST: a site web/build.py built)

A student opens a lesson at lab/notebooks/index.html?path=01_tanh_neuron.ipynb (or the
whole JupyterLab at lab/lab/index.html); its Python runs in the browser, in Pyodide.

The build tools (JupyterLite, its Pyodide kernel, the widgets' front end, pyodide-lock) live
in their own venv, .venv-lab, installed from web/lab-requirements.txt with
`pip install --require-hashes`; build_lab() sets it up when it is missing or older than that
list, then runs this file again in it (`main`).  What `main` writes into DIST/lab/:

    index.html, lab/, notebooks/, tree/, build/, extensions/   JupyterLite (`jupyter lite build`)
    files/                the lessons notebooks/0*.ipynb and their helper tape_tables.py
    jupyter-lite.json     the settings below
    pyodide-packages/     the wheels the kernel loads, and their pyodide-lock.json

One Pyodide for the site and the lab: the kernel loads the site's DIST/pyodide/pyodide.mjs
(pyodideUrl "./../pyodide/pyodide.mjs"), so a browser fetches pyodide.asm.wasm once, and
Pyodide's indexURL is DIST/pyodide/ (../vendor/graphviz.js from there is the site's Graphviz).
npm's pyodide ships no package wheels, so the kernel reads another lock file
(loadPyodideOptions.lockFileURL, pyodide-packages/pyodide-lock.json) that names only the wheels
of pyodide-packages/: each entry's version, sha256 and dependencies are read from the wheel
itself by pyodide-lock (dependency markers evaluated for Emscripten and Python 3.14); a wheel
that requires a package missing there stops the build.  The site's own lock stays as npm's.

Nothing is fetched from elsewhere: disablePyPIFallback, no URL off the site in any
jupyter-lite.json (checked), and stepgrad and ipywidgets loaded as the kernel starts
(loadPyodideOptions.packages), so `import autograd` works without %pip; with them the
kernel's own packages, fetched side by side (PRELOADED).

Each build's lessons open, not a copy a browser kept from an older build: JupyterLite keeps
a student's notebooks in the browser under contentsStorageName, here
"stepgrad-lessons-" + 12 hex digits of a hash of the lessons' files.
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
LESSONS = ROOT / "notebooks"
TOOLS = ROOT / ".venv-lab"
TOOLS_LIST = WEB / "lab-requirements.txt"
WHEELS_LIST = WEB / "lab-wheels.txt"
WHEEL_CACHE = TOOLS / "wheels"
NPM_PYODIDE = WEB / "node_modules" / "pyodide"

LAB = "lab"  # DIST/lab
PACKAGES = "pyodide-packages"  # DIST/lab/pyodide-packages: the kernel's wheels and their lock
SITE_PYODIDE = "./../pyodide/pyodide.mjs"  # the site's; JupyterLite reads "./" as jupyter-lite.json's folder
PRELOADED = ["stepgrad", "ipywidgets", "micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython"]
"""Loaded by Pyodide as the kernel starts, all at once: stepgrad and ipywidgets, so `import autograd`
needs no %pip, and what the kernel itself needs, which it would otherwise install one after
another with micropip and piplite (its worker skips a package named here)."""
KERNEL_WHEELS = ("piplite-*.whl", "ipykernel-*.whl", "pyodide_kernel-*.whl", "widgetsnbextension-4.*.whl")
"""The kernel's own wheels (its extension's pypi/ folder) that go in the lock: piplite, its ipykernel
and widgetsnbextension stand-ins (Pyodide needs no real ones) and pyodide_kernel."""
KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
APPS = ("lab", "notebooks", "tree")  # the whole JupyterLab, one notebook alone, the file list
LEFTOVERS = ("package.json", "rspack.config.js", "rspack.config.analyze.js", "rspack.config.watch.js")
"""Files of JupyterLite's own build that the lab does not serve."""


# --- run from web/build.py, in the project's venv ---------------------------------------

def build_lab(dist):
    """DIST/lab, built by this file run in the tools' venv (set up first when needed)."""
    python = tools_python()
    subprocess.run([str(python), __file__, str(dist)], check=True)
    return dist / LAB


def tools_python():
    """The tools' venv's Python: created, and filled from lab-requirements.txt, when missing or stale."""
    python = TOOLS / "bin" / "python"
    stamp = TOOLS / ".installed"
    if stamp.is_file() and stamp.stat().st_mtime >= TOOLS_LIST.stat().st_mtime:
        return python
    print(f"lab.py: installing the lab's build tools into {TOOLS}", flush=True)
    shutil.rmtree(TOOLS, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", "--require-hashes", "-r", str(TOOLS_LIST)], check=True)
    stamp.touch()
    return python


# --- run in the tools' venv -----------------------------------------------------------------

def lessons():
    """The lesson notebooks and their helper module, in name order."""
    return sorted(LESSONS.glob("0*.ipynb")) + [LESSONS / "tape_tables.py"]


def storage_name(files):
    """JupyterLite's name for the browser's store of notebooks: one per set of lessons."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"stepgrad-lessons-{digest.hexdigest()[:12]}"


def lite_settings(files):
    """jupyter-lite.json's settings for the lab (JupyterLite merges in its own)."""
    kernel = {
        "pyodideUrl": SITE_PYODIDE,
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": PRELOADED, "lockFileURL": f"{PACKAGES}/pyodide-lock.json"},
    }
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "stepgrad lessons",
            "contentsStorageName": storage_name(files),
            "litePluginSettings": {KERNEL_SETTINGS: kernel},
        },
    }


def check_pyodide_version():
    """Stop unless npm's Pyodide (web/package.json) is the one the kernel was made for."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    npm_version = json.loads((NPM_PYODIDE / "package.json").read_text())["version"]
    if npm_version != PYODIDE_VERSION:
        sys.exit(
            f"lab.py: web/node_modules has pyodide {npm_version}, the lab's kernel needs {PYODIDE_VERSION}: "
            f"set it in web/package.json and run `npm ci` in web/ (bash dev.sh web does)"
        )
    return npm_version


def jupyter_lite_build(files, out):
    """`jupyter lite build` of the lessons `files` into `out`, without source maps."""
    with tempfile.TemporaryDirectory() as lite:
        lite = Path(lite)
        (lite / "files").mkdir()
        for path in files:
            shutil.copy2(path, lite / "files" / path.name)
        (lite / "jupyter-lite.json").write_text(json.dumps(lite_settings(files), indent=2))
        jupyter = Path(sys.executable).parent / "jupyter"
        command = [str(jupyter), "lite", "build", "--lite-dir", str(lite), "--contents", "files",
                   "--output-dir", str(out), "--no-sourcemaps", "--no-unused-shared-packages"]
        for app in APPS:
            command += ["--apps", app]
        run = subprocess.run(command, cwd=lite, capture_output=True, text=True)
        if run.returncode:
            sys.exit(f"lab.py: jupyter lite build failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    for name in LEFTOVERS:
        (out / name).unlink(missing_ok=True)


def pypi_wheels():
    """The wheels of lab-wheels.txt, checked against its hashes, kept in .venv-lab/wheels."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["download", "--require-hashes", "--no-deps", "--only-binary=:all:",
                          "--python-version", "3.14", "--platform", "any", "--implementation", "py",
                          "-r", str(WHEELS_LIST), "-d", str(WHEEL_CACHE)], check=True)
    pins = {_pin(*line.split()[0].split("==")) for line in WHEELS_LIST.read_text().splitlines() if "==" in line}
    return sorted(path for path in WHEEL_CACHE.glob("*.whl") if _pin(*path.name.split("-")[:2]) in pins)


def _pin(name, version):
    """'prompt_toolkit', '3.0.52' -> 'prompt-toolkit==3.0.52': a wheel's file name and its pin alike."""
    return f"{name.lower().replace('_', '-').replace('.', '-')}=={version}"


def kernel_wheels():
    """The kernel's own wheels of KERNEL_WHEELS, one of each."""
    pypi = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    return [max(pypi.glob(pattern)) for pattern in KERNEL_WHEELS]


def write_packages(dist, wheels, pyodide_version):
    """DIST/lab/pyodide-packages: `wheels`, each with its modules compiled to bytecode by the
    browser's Python (bytecode.mjs: the kernel starts without compiling them), and a
    pyodide-lock.json naming exactly them."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    folder = dist / LAB / PACKAGES
    folder.mkdir(parents=True)
    copies = [Path(shutil.copyfile(wheel, folder / wheel.name)) for wheel in wheels]
    subprocess.run(["node", str(WEB / "bytecode.mjs"), str(folder)], check=True, stdout=subprocess.DEVNULL)
    lock = json.loads((dist / "pyodide" / "pyodide-lock.json").read_text())
    # npm's lock names the version only in its package.json; pyodide-lock 0.1.2 needs it here.
    info = {"version": pyodide_version, **lock["info"]}
    empty = PyodideLockSpec(info=info, packages={})
    add_wheels_to_spec(empty, copies, base_path=folder).to_json(folder / "pyodide-lock.json", indent=1)
    return copies


def offsite_urls(value):
    """Every http(s) URL in a jupyter-lite.json's settings (there should be none)."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in offsite_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in offsite_urls(item)]
    return [value] if isinstance(value, str) and value.startswith(("http:", "https:", "//")) else []


def check_offline(lab):
    """Stop if any of the lab's jupyter-lite.json files names a URL off the site."""
    for config in lab.rglob("jupyter-lite.json"):
        urls = offsite_urls(json.loads(config.read_text()))
        if urls:
            sys.exit(f"lab.py: {config} names URLs off the site: {urls}")


def main(dist):
    started = time.monotonic()
    if not (dist / "pyodide" / "pyodide.mjs").is_file() or not (dist / "wheels").is_dir():
        sys.exit(f"lab.py: {dist} has no pyodide/ or wheels/: run web/build.py (it builds the site, then the lab)")
    pyodide_version = check_pyodide_version()
    files = lessons()
    lab = dist / LAB
    shutil.rmtree(lab, ignore_errors=True)
    jupyter_lite_build(files, lab)
    site_wheels = sorted((dist / "wheels").glob("*.whl"))  # stepgrad's own, graphviz, tqdm
    wheels = write_packages(dist, pypi_wheels() + site_wheels + kernel_wheels(), pyodide_version)
    check_offline(lab)
    seconds = time.monotonic() - started
    print(f"lab.py: {lab}: {len(files)} files, {len(wheels)} wheels, {storage_name(files)}, {seconds:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python web/lab.py DIST (a site that web/build.py built)")
    main(Path(sys.argv[1]).resolve())
