"""The benchmark script runs: its --quick mode is a smoke test (no timing asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_a_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    header = next(line for line in run.stdout.splitlines() if line.startswith("| workload"))
    assert "| stepgrad |" in header and "| stepgrad compiled |" in header
    for row in ("mlp_step, GC on", "mlp_step, GC off", "chain", "wide", "bytes/node"):
        assert f"| {row}" in run.stdout
    assert "losses agree" in run.stdout and "DISAGREE" not in run.stdout
    results = json.loads(out.read_text())
    stepgrad = [t for t in results["timings"] if t["engine"] == "stepgrad"]
    assert stepgrad and all(t["error"] is None and t["median_seconds"] > 0 for t in stepgrad)
    assert results["memory"]["stepgrad"]["bytes_per_node"] > 0
