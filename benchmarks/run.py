"""Benchmark stepgrad against micrograd, PyTorch scalars and plain floats.

    python benchmarks/run.py            # the full run (a few minutes), writes results.json
    python benchmarks/run.py --quick    # a smoke test that takes seconds
    python benchmarks/run.py --json out.json
    python benchmarks/run.py --steps 1 --repeats 1   # the full sizes, once each

Every engine runs the same workloads (`workloads.py`) from the same data
and weights, interleaved round by round, so a slow spell of the machine
hits all engines alike.  The table gives medians and, in brackets, how
many times faster than micrograd each engine is; a footnote gives
stepgrad's time over the tape floor's (`tape_floor.py`), the fastest pure
Python reverse mode this benchmark knows.

Timing rules: each run starts right after `gc.collect()`; objects alive
before the runs (the interpreter, torch's modules) are moved out of the
collector's sight with `gc.freeze()`, so importing torch does not slow
the others down.  Garbage a run leaves behind (micrograd's reference
cycles) is collected outside the timing, which flatters micrograd a little.

The collector's settings are the process's defaults: the benchmark never
sets a threshold.  They are read before any engine is imported and again
after every run; a run that leaves them changed (or the collector off in
a GC-on row) is named in the footnotes, and the settings are put back so
the other engines still run with the defaults.
"""

import argparse
import warnings
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from importlib import metadata
from pathlib import Path

GC_THRESHOLDS = gc.get_threshold()
"""The collector's thresholds when the process started, before any engine was imported."""

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the workloads, and stepgrad even when not installed

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")

from engines import available_engines  # noqa: E402
from formatting import format_time, markdown_table  # noqa: E402
from workloads import hinge_moons, initial_weights  # noqa: E402

FULL = dict(points=100, steps=3, chain_depths=(500, 100_000, 1_000_000), wide=10_000, repeats=5, long_repeats=3)
QUICK = dict(points=8, steps=2, chain_depths=(50, 2_000), wide=200, repeats=1, long_repeats=1)
LEARNING_RATE = 0.05


class Task:
    """One workload on one engine: a callable timed with GC on or off."""

    def __init__(self, workload, engine, run, gc_on=True, repeats=1, per_run=1):
        self.workload, self.engine, self.run = workload, engine, run
        self.gc_on, self.repeats, self.per_run = gc_on, repeats, per_run
        self.times, self.error, self.result = [], None, None


GC_CHANGES = []
"""What left the collector's settings changed: one line each, for the footnotes."""


def check_gc_settings(after, gc_on=True):
    """Note it in GC_CHANGES when `after` left the thresholds changed, or the collector not `gc_on`; put them back."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    if thresholds != GC_THRESHOLDS or enabled != gc_on:
        GC_CHANGES.append(f"{after} left the thresholds at {thresholds} and the collector "
                          f"{'on' if enabled else 'off'}; put back to {GC_THRESHOLDS}, {'on' if gc_on else 'off'}")
        gc.set_threshold(*GC_THRESHOLDS)


def time_once(task):
    """Seconds for one call of `task.run`, starting from a collected heap."""
    gc.collect()
    if not task.gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        task.result = task.run()
        return time.perf_counter() - start
    finally:
        check_gc_settings(f"{task.engine}'s {task.workload}", task.gc_on)
        gc.enable()
        gc.collect()


def steps(engine, model, points, labels, count):
    """`count` training steps in a row, as a training loop runs them."""
    for _ in range(count):
        loss = engine.step(model, points, labels, LEARNING_RATE)
    return loss


def make_tasks(engines, config, points, labels):
    tasks = []
    weights = initial_weights()
    for gc_on in (True, False):
        name = f"mlp_step, GC {'on' if gc_on else 'off'}"
        for engine in engines:
            model = engine.model(weights)
            engine.prepare(model, points, labels)
            check_gc_settings(f"{engine.name}'s prepare()")
            run = lambda e=engine, m=model: steps(e, m, points, labels, config["steps"])  # noqa: E731
            tasks.append(Task(name, engine.name, run, gc_on, config["repeats"], per_run=config["steps"]))
    for depth in config["chain_depths"]:
        repeats = config["repeats"] if depth < 10_000 else config["long_repeats"]
        for engine in engines:
            run = lambda e=engine, d=depth: e.chain(d)  # noqa: E731
            tasks.append(Task(f"chain {depth:,}", engine.name, run, True, repeats))
    for engine in engines:
        run = lambda e=engine, n=config["wide"]: e.wide(n)  # noqa: E731
        tasks.append(Task(f"wide {config['wide']:,}", engine.name, run, True, config["repeats"]))
    return tasks


def run_interleaved(tasks):
    """Round-robin over the tasks; an engine that fails a workload is not retried."""
    failed_chain = {}
    rounds = max(task.repeats for task in tasks)
    for round_ in range(rounds):
        for task in tasks:
            if round_ >= task.repeats or task.error:
                continue
            if task.workload.startswith("chain") and task.engine in failed_chain:
                task.error = f"RecursionError (already at {failed_chain[task.engine]})"
                continue
            try:
                task.times.append(time_once(task) / task.per_run)
            except NotImplementedError:
                task.error = "n/a"
            except RecursionError:
                task.error = "RecursionError"
                if task.workload.startswith("chain"):
                    failed_chain[task.engine] = task.workload
        print(f"  round {round_ + 1}/{rounds} done", file=sys.stderr)


def bytes_per_node(engines, points, labels):
    """tracemalloc's peak while building the MLP loss graph, per graph node."""
    sizes = {}
    weights = initial_weights()
    for engine in engines:
        model = engine.model(weights)
        gc.collect()
        tracemalloc.start()
        root = engine.graph(model, points, labels)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        check_gc_settings(f"{engine.name}'s graph()")
        nodes = engine.count_nodes(root)
        sizes[engine.name] = {"nodes": nodes, "peak_bytes": peak, "bytes_per_node": peak / nodes if nodes else None}
        del root
    return sizes


def machine():
    cpu = platform.processor() or "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("stepgrad", "micrograd", "torch"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "versions": versions,
    }


def medians(tasks):
    """{(workload, engine): median seconds} of the tasks that ran."""
    return {(t.workload, t.engine): statistics.median(t.times) for t in tasks if t.times and not t.error}


def floor_ratios(tasks):
    """{workload: stepgrad's median / the tape floor's}, where both ran."""
    times = medians(tasks)
    return {
        workload: times[workload, "stepgrad"] / times[workload, "tape floor"]
        for workload in dict.fromkeys(t.workload for t in tasks)
        if (workload, "stepgrad") in times and (workload, "tape floor") in times
    }


def compile_times(engines):
    """{engine: compile seconds, lines and bytes of source} for the engines that compile."""
    return {
        engine.name: {"seconds": engine.replay.compile_seconds, "lines": engine.replay.source.count("\n"),
                      "source_bytes": len(engine.replay.source)}
        for engine in engines if getattr(engine, "replay", None) is not None
    }


def table(tasks, sizes, engine_names):
    """The results as a Markdown table: median (x faster than micrograd)."""
    times = medians(tasks)
    errors = {(t.workload, t.engine): t.error for t in tasks if t.error}
    rows = []
    for workload in dict.fromkeys(t.workload for t in tasks):
        base = times.get((workload, "micrograd"))
        cells = [workload]
        for name in engine_names:
            key = (workload, name)
            if key in times:
                cell = format_time(times[key])
                if base and name != "micrograd":
                    cell += f" ({base / times[key]:.1f}x)"
                cells.append(cell)
            else:
                cells.append(errors.get(key, "-"))
        rows.append(cells)
    cells = ["bytes/node"]
    for name in engine_names:
        size = sizes.get(name, {}).get("bytes_per_node")
        cells.append(f"{size:,.0f}" if size else "-")
    rows.append(cells)
    return markdown_table(["workload", *engine_names], rows)


def footnotes(tasks, engines, config):
    """Compile time, the losses, stepgrad over the tape floor, chain growth and the collector's settings."""
    notes = []
    for name, compiled in compile_times(engines).items():
        notes.append(f"{name}: compile() took {compiled['seconds']:.2f} s once ({compiled['lines']:,} lines, "
                     f"{compiled['source_bytes'] / 1e6:.1f} MB of source), not in the step times.")
    for workload in dict.fromkeys(t.workload for t in tasks if t.workload.startswith("mlp")):
        losses = {t.engine: t.result for t in tasks if t.workload == workload and t.times and t.engine != "plain floats"}
        spread = max(losses.values()) - min(losses.values())
        verdict = "agree" if spread <= 1e-9 else "DISAGREE"
        notes.append(f"{workload}: after {config['repeats'] * config['steps']} steps the engines' losses "
                     f"{verdict} (spread {spread:.1e}).")
    depths = config["chain_depths"]
    short, long_ = f"chain {depths[-2]:,}", f"chain {depths[-1]:,}"
    for engine in engines:
        times = {t.workload: statistics.median(t.times) for t in tasks if t.engine == engine.name and t.times}
        if short in times and long_ in times:
            notes.append(f"{engine.name}: {long_} took {times[long_] / times[short]:.1f}x as long as {short}.")
    ratios = floor_ratios(tasks)
    if ratios:
        notes.append("stepgrad / tape floor (the goal: at most 1.5x on mlp_step): "
                     + "; ".join(f"{workload} {ratio:.2f}x" for workload, ratio in ratios.items()) + ".")
    notes.append("mlp_step times are per step, from runs of "
                 f"{config['steps']} steps in a row (as a training loop runs them).")
    if GC_CHANGES:
        notes.extend(f"GC settings CHANGED: {change}." for change in GC_CHANGES)
    else:
        notes.append(f"GC settings: thresholds {GC_THRESHOLDS} (gc.get_threshold() before any engine was imported) "
                     "after every run, the collector on in the GC-on rows: the process's defaults, never set.")
    return notes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny workloads, one round: a smoke test")
    parser.add_argument("--json", type=Path, help="where to write the results (a full run with no --steps or "
                        "--repeats: benchmarks/results.json)")
    parser.add_argument("--steps", type=int, help="training steps in a row per mlp_step run")
    parser.add_argument("--repeats", type=int, help="runs of each workload (chains >= 10,000 too)")
    args = parser.parse_args(argv)
    config = dict(QUICK if args.quick else FULL)
    if args.steps:
        config["steps"] = args.steps
    if args.repeats:
        config["repeats"] = config["long_repeats"] = args.repeats
    json_path = args.json or (HERE / "results.json" if config == FULL else None)

    points, labels = hinge_moons(config["points"])
    engines = available_engines()
    engine_names = [engine.name for engine in engines]
    if "micrograd" not in engine_names:
        print("micrograd is not installed, so there are no ratios: pip install 'stepgrad[bench]'", file=sys.stderr)
    sizes = bytes_per_node(engines, points, labels)
    tasks = make_tasks(engines, config, points, labels)
    gc.collect()
    gc.freeze()

    info = machine()
    nodes = sizes.get("stepgrad", {}).get("nodes")
    print(f"MLP(2, [16, 16, 1]) on {config['points']} points ({nodes:,} graph nodes); "
          f"medians of {config['repeats']} runs ({config['long_repeats']} for chains >= 10,000)", file=sys.stderr)
    run_interleaved(tasks)

    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['python']}, "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"MLP(2, [16, 16, 1]) on {config['points']} points, {nodes:,} graph nodes; "
          f"median ms (x faster than micrograd)\n")
    print(table(tasks, sizes, engine_names))
    notes = footnotes(tasks, engines, config)
    print("\n" + "\n".join(notes))

    if json_path:
        results = {
            "machine": info,
            "config": {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()},
            "timings": [
                {"workload": t.workload, "engine": t.engine, "gc": t.gc_on, "seconds": t.times,
                 "median_seconds": statistics.median(t.times) if t.times else None, "error": t.error}
                for t in tasks
            ],
            "memory": sizes,
            "stepgrad_over_tape_floor": floor_ratios(tasks),
            "compile": compile_times(engines),
            "gc": {"thresholds": list(GC_THRESHOLDS), "changes": GC_CHANGES},
            "notes": notes,
        }
        json_path.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nresults written to {json_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
