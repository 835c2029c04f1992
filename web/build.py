"""Build the static site web/dist/ from web/src/, npm's packages and PyPI's wheels.

    python web/build.py            (or: bash dev.sh web, make web)
    python web/build.py --pages    only web/src's pages again, into the dist/ built before (quick)

Needs `npm ci` run in web/ first (dev.sh does it) and the venv's nbconvert.
What it writes, all served as plain files, nothing fetched at run time:

    dist/*.html, *.js, *.css        the pages (web/src), each with the site's menu and icon
    dist/favicon.ico, favicon.svg   the site's icon
    dist/sw.js                      the service worker, with this build's version (a hash of every file)
    dist/pyodide/                   Python compiled to WebAssembly (npm pyodide), for the pages and the lab
    dist/vendor/graphviz.js         Graphviz compiled to WebAssembly (npm @hpcc-js/wasm-graphviz)
    dist/vendor/katex/              KaTeX, for the lessons' math (npm katex)
    dist/wheels/                    stepgrad's wheel, graphviz's and tqdm's (web/wheels.txt), wheels.json,
                                    each with its modules' bytecode (web/bytecode.mjs)
    dist/lessons/                   the notebooks, executed now, as HTML
    dist/lab/                       the notebooks in JupyterLite, offline, on the site's Pyodide (web/lab.py)
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lab import LAB, build_lab
from lessons import build_lessons
from menu import with_menu

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
SRC = WEB / "src"
MODULES = WEB / "node_modules"

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
KATEX_FILES = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")


def copy_vendor(dist):
    """The runtime pieces from npm: Pyodide, Graphviz in WebAssembly, KaTeX (woff2 fonts only)."""
    if not MODULES.is_dir():
        sys.exit(f"build.py: {MODULES} is missing: run `npm ci` in web/ first (bash dev.sh web does)")
    for name in PYODIDE_FILES:
        _copy(MODULES / "pyodide" / name, dist / "pyodide" / name)
    _copy(MODULES / "@hpcc-js/wasm-graphviz/dist/index.js", dist / "vendor/graphviz.js")
    katex = MODULES / "katex/dist"
    for name in KATEX_FILES:
        _copy(katex / name, dist / "vendor/katex" / name)
    for font in (katex / "fonts").glob("*.woff2"):
        _copy(font, dist / "vendor/katex/fonts" / font.name)


def _clean_source(folder):
    """stepgrad's packages and metadata copied into `folder`: a wheel built in place would also
    pack what a stale build/ folder still holds (modules since moved or removed)."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, folder / name)
    for package in ("autograd", "nn", "stepgrad"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    return str(folder)


def build_wheels(dist):
    """stepgrad's own wheel, and the pinned pure-Python wheels it imports; their names in wheels.json."""
    wheels = dist / "wheels"
    wheels.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    with tempfile.TemporaryDirectory() as source:
        subprocess.run(pip + ["wheel", "--no-deps", "-w", str(wheels), _clean_source(Path(source))], check=True)
    subprocess.run(
        pip + ["download", "--no-deps", "--only-binary=:all:", "-r", str(WEB / "wheels.txt"), "-d", str(wheels)],
        check=True,
    )
    # each module with its bytecode beside it, compiled by this Pyodide: imports need not compile
    subprocess.run(["node", str(WEB / "bytecode.mjs"), str(wheels)], check=True, stdout=subprocess.DEVNULL)
    names = sorted(path.name for path in wheels.glob("*.whl"))
    (wheels / "wheels.json").write_text(json.dumps(names))
    return names


SERVICE_WORKER = "sw.js"
BUILD_LINE = 'const BUILD = { version: "source", precache: [] };'
"""The line of web/src/sw.js that `write_service_worker` replaces with this build's version and files."""


def copy_pages(dist):
    """web/src into dist, each HTML page with the site's menu (sw.js: `write_service_worker`)."""
    for path in SRC.iterdir():
        if path.suffix == ".html":
            (dist / path.name).write_text(with_menu(path.read_text(), path.name, depth=0))
        elif path.suffix in (".js", ".css", ".ico", ".svg") and path.name != SERVICE_WORKER:
            _copy(path, dist / path.name)


def write_service_worker(dist):
    """dist/sw.js: web/src/sw.js with the build's version, a hash of every file in `dist`, so
    that a browser which kept an older build's files installs the new ones; and the small files
    at the site's root to fetch when it installs (the rest is kept as the pages fetch it).
    The lab (dist/lab) is not part of it: the worker leaves it to JupyterLite's own."""
    digest = hashlib.sha256()
    site_files = (p for p in dist.rglob("*") if p.is_file() and p.name != SERVICE_WORKER)
    for path in sorted(p for p in site_files if p.relative_to(dist).parts[0] != LAB):
        digest.update(path.relative_to(dist).as_posix().encode() + b"\0" + path.read_bytes())
    root_files = sorted(p.name for p in dist.iterdir() if p.is_file() and p.suffix in (".html", ".js", ".css", ".ico", ".svg"))
    build = {"version": digest.hexdigest()[:16], "precache": ["./", *(f for f in root_files if f != SERVICE_WORKER)]}
    source = (SRC / SERVICE_WORKER).read_text()
    if BUILD_LINE not in source:
        raise ValueError(f"{SRC / SERVICE_WORKER}: no line {BUILD_LINE!r} to write the build's version into")
    (dist / SERVICE_WORKER).write_text(source.replace(BUILD_LINE, f"const BUILD = {json.dumps(build)};", 1))
    return build["version"]


def _copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def main():
    dist = WEB / "dist"
    if sys.argv[1:] == ["--pages"]:
        if not (dist / ".built").is_file():
            sys.exit(f"build.py --pages: {dist} was never built: run build.py without --pages first")
        copy_pages(dist)
        print(f"build.py: {dist}: pages copied, version {write_service_worker(dist)}")
        return
    building = WEB / "dist.partial"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    copy_vendor(building)
    copy_pages(building)
    wheels = build_wheels(building)
    lessons = build_lessons(ROOT / "notebooks", building / "lessons")
    write_service_worker(building)
    build_lab(building)
    shutil.rmtree(dist, ignore_errors=True)
    building.rename(dist)
    (dist / ".built").touch()
    print(f"build.py: {dist}: {len(wheels)} wheels, {len(lessons)} lessons, the lab in {dist / LAB}")


if __name__ == "__main__":
    main()
