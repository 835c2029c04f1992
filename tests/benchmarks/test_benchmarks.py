"""The benchmark scripts run: --quick modes are smoke tests (no timing asserted).

The tape floor computes what the engines compute, bit for bit, and the
benchmark notices a run that changes the collector's settings.
"""

import gc
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import engines  # noqa: E402
import run as bench_run  # noqa: E402
import workloads  # noqa: E402


def test_quick_benchmark_prints_a_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    header = next(line for line in run.stdout.splitlines() if line.startswith("| workload"))
    assert "| stepgrad |" in header and "| stepgrad compiled |" in header and "| tape floor |" in header
    for row in ("mlp_step, GC on", "mlp_step, GC off", "chain", "wide", "bytes/node"):
        assert f"| {row}" in run.stdout
    assert "losses agree" in run.stdout and "DISAGREE" not in run.stdout
    results = json.loads(out.read_text())
    stepgrad = [t for t in results["timings"] if t["engine"] == "stepgrad"]
    assert stepgrad and all(t["error"] is None and t["median_seconds"] > 0 for t in stepgrad)
    assert results["memory"]["stepgrad"]["bytes_per_node"] > 0
    floor = [t for t in results["timings"] if t["engine"] == "tape floor"]
    assert floor and all(t["error"] is None and t["median_seconds"] > 0 for t in floor)
    assert results["stepgrad_over_tape_floor"]["mlp_step, GC on"] > 0
    assert "stepgrad / tape floor" in run.stdout
    assert results["gc"] == {"thresholds": list(gc.get_threshold()), "changes": []}


@pytest.mark.parametrize("workload", ["mlp_step", "chain", "wide"])
def test_the_tape_floor_computes_what_stepgrad_computes_bit_for_bit(workload):
    stepgrad, floor = engines.Stepgrad(), engines.TapeFloor()
    if workload == "chain":
        assert floor.chain(300) == stepgrad.chain(300)
    elif workload == "wide":
        assert floor.wide(300) == stepgrad.wide(300)
    else:
        points, labels = workloads.hinge_moons(10)
        weights = workloads.initial_weights()
        losses, nodes = {}, {}
        for engine in (stepgrad, floor):
            model = engine.model(weights)
            losses[engine.name] = [engine.step(model, points, labels, 0.05) for _ in range(4)]
            nodes[engine.name] = engine.count_nodes(engine.graph(model, points, labels))
        assert losses["tape floor"] == losses["stepgrad"]
        assert nodes["tape floor"] == nodes["stepgrad"] == 7_498


def test_the_tape_floor_sweeps_only_from_its_newest_node():
    tape = engines.tape_floor.Tape()
    leaf, add, mul, relu = tape.recorders()
    x = leaf(3.0)
    y = mul(x, x)
    relu(y)
    with pytest.raises(ValueError, match="newest node, 2, not from 1"):
        tape.backward(y)


def test_a_run_that_changes_the_collector_is_named_and_undone(monkeypatch):
    monkeypatch.setattr(bench_run, "GC_CHANGES", [])
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 10, 10)
        bench_run.check_gc_settings("an engine's step")
    finally:
        gc.set_threshold(*thresholds)
    assert gc.get_threshold() == bench_run.GC_THRESHOLDS == thresholds
    assert bench_run.GC_CHANGES == [f"an engine's step left the thresholds at (100000, 10, 10) and the collector on; "
                              f"put back to {thresholds}, on"]


def test_the_versions_script_runs_this_interpreter_as_it_is(tmp_path):
    out = tmp_path / "versions.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "versions.py"), "--python", sys.executable, "--json", str(out),
         "--quick"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    version = f"{platform.python_implementation()} {platform.python_version()}"
    assert f"| stepgrad on | {version} |" in run.stdout
    for row in ("mlp_step, GC on", "mlp_step, GC off", "chain", "wide", "bytes/node", "compile() of the step"):
        assert f"| {row}" in run.stdout
    gc_on = next(line for line in run.stdout.splitlines() if line.startswith("| mlp_step, GC on"))
    assert gc_on.endswith("x] |")  # stepgrad over the tape floor
    assert list(json.loads(out.read_text())) == [version]
