"""The engine stands on its own: nothing under autograd/ imports nn, and no import cycle.

Read statically from the source, with benchmarks/reading_paths.py's import
graph (the measure of the redesign issue): every import statement counts,
at the top of a file or inside a function, absolute or relative, and so does
`importlib.import_module("...")` with a literal name.  The reading-path
line limits that script prints are reported there, not tested here.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reading_paths():
    """benchmarks/reading_paths.py, imported by its path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("reading_paths", ROOT / "benchmarks" / "reading_paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def graph(reading_paths):
    modules, graph = reading_paths.import_graph(str(ROOT))
    return graph


def test_the_graph_sees_every_package_and_nested_imports(graph):
    packages = {name.split(".")[0] for name in graph}
    assert packages == {"autograd", "nn", "stepgrad"}
    assert "autograd.engine.value" in graph and "nn.layers" in graph
    # nn's modules lean on the engine: the graph must see that much, or it sees nothing
    assert any(dep.startswith("autograd") for deps in graph.values() for dep in deps)


def test_nothing_under_autograd_imports_nn(reading_paths, graph):
    assert reading_paths.engine_imports_nn(graph) == []


def test_no_import_cycles_among_the_projects_modules(reading_paths, graph):
    assert reading_paths.cycles(graph) == []
