"""web/lab.py: the lessons in JupyterLite, offline, on the site's Pyodide.

The pinned lists carry a hash for every file; the lab's pyodide-lock.json names exactly the
wheels it serves, each with that wheel's sha256 and the dependencies its own metadata gives
(for Emscripten and Python 3.14); jupyter-lite.json sends nothing off the site and names its
store of notebooks after the lessons.  The tests of the built lab read web/dist/lab: where it
was not built they skip, saying so (with CI=true they fail, as the browser tests do).
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.browser.tools import in_ci

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
DIST = WEB / "dist"
LAB = DIST / "lab"
# web/ is not a package: lab.py is imported as build.py imports it, from its folder, which is
# then taken off the path again (its build.py would hide PyPA's `build`).
sys.path.insert(0, str(WEB))
try:
    import lab
finally:
    sys.path.remove(str(WEB))

EMSCRIPTEN = {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
              "platform_machine": "wasm32", "python_version": "3.14", "python_full_version": "3.14.2",
              "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
"""The marker environment of Pyodide 314.0.6 (Python 3.14.2 on Emscripten)."""


@pytest.fixture(scope="module")
def built():
    """web/dist/lab, or a skip (a failure in CI) naming how to build it."""
    if not (LAB / "jupyter-lite.json").is_file():
        message = "web/dist/lab was not built: `bash dev.sh web` builds it"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return LAB


@pytest.fixture(scope="module")
def settings(built):
    return json.loads((built / "jupyter-lite.json").read_text())["jupyter-config-data"]


@pytest.fixture(scope="module")
def lock(built):
    return json.loads((built / lab.PACKAGES / "pyodide-lock.json").read_text())


def pins(path):
    """{requirement line: its hashes} of a pip requirements file with --hash options."""
    text = path.read_text().replace("\\\n", " ")
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    return {line.split()[0]: re.findall(r"--hash=sha256:([0-9a-f]{64})", line) for line in lines if line}


@pytest.mark.parametrize("name", ["lab-requirements.txt", "lab-wheels.txt"])
def test_every_pin_is_exact_and_hashed(name):
    listed = pins(WEB / name)
    assert listed, f"{name} pins nothing"
    for requirement, hashes in listed.items():
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^=\s]+", requirement), f"{name}: {requirement} is not pinned exactly"
        assert hashes, f"{name}: {requirement} has no --hash"


def test_contents_storage_name_follows_the_lessons(tmp_path):
    lesson = tmp_path / "01_lesson.ipynb"
    helper = tmp_path / "tape_tables.py"
    lesson.write_text('{"cells": []}')
    helper.write_text("x = 1\n")
    first = lab.storage_name([lesson, helper])
    assert re.fullmatch(r"stepgrad-lessons-[0-9a-f]{12}", first)
    assert lab.storage_name([lesson, helper]) == first
    helper.write_text("x = 2\n")
    assert lab.storage_name([lesson, helper]) != first


def test_offsite_urls_are_found():
    settings = {"a": ["./here", {"pyodideUrl": "https://cdn.jsdelivr.net/pyodide/pyodide.mjs"}], "b": "//cdn/x"}
    assert lab.offsite_urls(settings) == ["https://cdn.jsdelivr.net/pyodide/pyodide.mjs", "//cdn/x"]
    assert lab.offsite_urls({"a": "./../pyodide/pyodide.mjs"}) == []


def test_the_lab_names_the_built_lessons(built, settings):
    assert settings["contentsStorageName"] == lab.storage_name(lab.lessons()), (
        "web/dist/lab was built from other lessons: `bash dev.sh web` builds it again")
    served = {path.name for path in (built / "files").iterdir()}
    assert served == {path.name for path in lab.lessons()}


def test_the_kernel_runs_the_sites_pyodide_offline(built, settings):
    kernel = settings["litePluginSettings"][lab.KERNEL_SETTINGS]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./../pyodide/pyodide.mjs"
    assert (built / "../pyodide/pyodide.mjs").resolve().is_file()
    options = kernel["loadPyodideOptions"]
    assert {"stepgrad", "ipywidgets"} <= set(options["packages"])
    assert set(options["packages"]) <= set(json.loads((built / options["lockFileURL"]).read_text())["packages"])
    assert (built / options["lockFileURL"]).is_file()
    for config in built.rglob("jupyter-lite.json"):
        text = config.read_text()
        assert not re.search(r'"(https?:)?//', text), f"{config} names a URL off the site"


def test_the_lock_names_each_served_wheel_with_its_hash_and_metadata(built, lock):
    folder = built / lab.PACKAGES
    served = {path.name for path in folder.glob("*.whl")}
    assert {entry["file_name"] for entry in lock["packages"].values()} == served
    for name, entry in lock["packages"].items():
        wheel = folder / entry["file_name"]
        assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest(), f"{name}: sha256"
        metadata = wheel_metadata(wheel)
        assert canonicalize_name(metadata["Name"]) == name
        assert entry["version"] == metadata["Version"]
        assert sorted(entry["depends"]) == sorted(dependencies(metadata)), f"{name}: depends"
        for dependency in entry["depends"]:
            assert dependency in lock["packages"], f"{name} needs {dependency}, which the lab does not serve"


def test_the_lab_loads_stepgrad_from_this_build(built, lock):
    stepgrad = lock["packages"]["stepgrad"]
    assert (built / lab.PACKAGES / stepgrad["file_name"]).read_bytes() == (DIST / "wheels" / stepgrad["file_name"]).read_bytes()
    assert {"autograd", "nn"} <= set(stepgrad["imports"])


@pytest.mark.slow
def test_the_kernel_starts_in_pyodide_from_the_lock_without_compiling_a_module(built):
    """Node.js runs the served Pyodide with the lab's lock: the packages jupyter-lite.json preloads
    load, and piplite, pyodide_kernel, autograd and nn import from the bytecode bytecode.mjs wrote."""
    started = run_node(ROOT / "tests/web/lab_kernel_start.mjs", DIST)
    assert started["errors"] == []
    assert {"stepgrad", "ipywidgets", "ipython", "pyodide-kernel", "piplite"} <= set(started["loaded"])
    assert started["compiled"] == [], f"{len(started['compiled'])} modules compiled from source, as {started['compiled'][:3]}"


@pytest.mark.slow
def test_bytecode_is_added_beside_each_module_the_same_every_time(built, tmp_path):
    source_only = next(lab.WHEEL_CACHE.glob("traitlets-*.whl"))  # as pip downloaded it for the lab
    copies = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        copies.append(Path(shutil.copy(source_only, tmp_path / run)))
        run_node(WEB / "bytecode.mjs", tmp_path / run, json_line=False)
    assert copies[0].read_bytes() == copies[1].read_bytes()
    files = wheel_files(copies[0])
    modules = [name for name in files if name.endswith(".py")]
    assert modules and not any("__pycache__" in name for name in wheel_files(source_only))
    record = next(data for name, data in files.items() if name.endswith(".dist-info/RECORD")).decode()
    for module in modules:
        folder, _, file = module.rpartition("/")
        [pyc] = [name for name in files if name.startswith(f"{folder}/__pycache__/{file[:-3]}.cpython-3") and name.endswith(".pyc")]
        assert files[pyc][4:8] == (1).to_bytes(4, "little"), f"{pyc}: not an unchecked hash-based .pyc"
        assert f"\n{pyc},sha256=" in record, f"{pyc} is not in RECORD"


def test_one_pyodide_for_the_site_and_the_lab(built, lock):
    site = json.loads((DIST / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["abi_version"] == site["info"]["abi_version"]
    assert not (built / "static" / "pyodide").exists(), "the lab carries a Pyodide of its own"
    pinned = json.loads((WEB / "package.json").read_text())["dependencies"]["pyodide"]
    assert lock["info"]["version"] == pinned


def test_no_source_maps(built):
    assert not list(built.rglob("*.map"))


def test_the_sites_worker_leaves_the_lab_alone(built):
    worker = (DIST / "sw.js").read_text()
    assert re.search(r'if \(request\.url\.startsWith\(LAB\)\) return;', worker)
    assert 'new URL("lab/", self.registration.scope)' in worker


def run_node(script, *args, json_line=True):
    """`node script args`: its last line of output as JSON (or the whole output); fails with its stderr."""
    from tests.browser.tools import require

    require([] if shutil.which("node") else ["node (Node.js)"])
    run = subprocess.run(["node", str(script), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1]) if json_line else run.stdout


def wheel_files(wheel):
    """{name: bytes} of every file in a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode())


def dependencies(metadata):
    """What a wheel's Requires-Dist asks for in Pyodide, no extras."""
    requirements = [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]
    return [canonicalize_name(r.name) for r in requirements if r.marker is None or r.marker.evaluate(EMSCRIPTEN)]
