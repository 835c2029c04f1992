"""The benchmark on several Pythons, one after another, as one table: a column per version.

    python benchmarks/versions.py                          # CPython 3.10 to 3.13, the full run.py on each
    python benchmarks/versions.py --steps 1 --repeats 1    # the full sizes, each run once: a few minutes
    python benchmarks/versions.py 3.12 3.13                # some versions only
    python benchmarks/versions.py --python .venv/bin/python --quick   # an interpreter as it is (with stepgrad installed), no new venv

For each version X.Y it takes pyenv's interpreter (~/.pyenv/versions/X.Y.*)
or `pythonX.Y` on PATH, makes the venv `.venv-bench-X.Y` in the repository
root once (git ignores `.venv-*`) and installs stepgrad there, editable,
with its `bench` extra (micrograd; not PyTorch, which would add minutes a
version and compares nothing about the Python).  `--python PATH` runs an
interpreter as it is, with no venv: the project comes from this folder.

Each version runs `benchmarks/run.py --json` in its own process, one after
another, never two at once: the runs compare the versions, so they must
not share the machine.  `--quick`, `--steps` and `--repeats` go to run.py.

A cell is stepgrad's median, then (x faster than micrograd) and [x the
tape floor's time]; bytes/node gives stepgrad's, then micrograd's and the
tape floor's; compile() is `stepgrad compiled`'s one compile of the step.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from formatting import format_time, markdown_table  # noqa: E402

VERSIONS = ("3.10", "3.11", "3.12", "3.13")


def say(message):
    print(f"versions.py: {message}", file=sys.stderr, flush=True)


def interpreter(version):
    """A Python X.Y executable: pyenv's newest X.Y.*, else `pythonX.Y` on PATH; None when neither."""
    found = sorted((Path.home() / ".pyenv" / "versions").glob(f"{version}.*/bin/python"),
                   key=lambda path: [int(part) for part in path.parent.parent.name.split(".") if part.isdigit()])
    if found:
        return found[-1]
    on_path = subprocess.run(["sh", "-c", f"command -v python{version}"], capture_output=True, text=True)
    return Path(on_path.stdout.strip()) if on_path.returncode == 0 else None


def bench_venv(version):
    """`.venv-bench-X.Y` with stepgrad[bench] installed (made or brought up to date first); its python."""
    venv = ROOT / f".venv-bench-{version}"
    python, stamp = venv / "bin" / "python", venv / ".installed-bench"
    if stamp.exists() and stamp.stat().st_mtime > (ROOT / "pyproject.toml").stat().st_mtime:
        return python
    base = interpreter(version)
    if base is None:
        raise LookupError(f"no Python {version}: not in ~/.pyenv/versions, no python{version} on PATH")
    log = venv / "pip.log"
    say(f"making {venv.name} with {base} and installing stepgrad[bench] (log: {log})")
    subprocess.run([str(base), "-m", "venv", str(venv)], check=True)
    with log.open("w") as out:
        for command in (["-m", "pip", "install", "--upgrade", "pip"], ["-m", "pip", "install", "-e", ".[bench]"]):
            if subprocess.run([str(python), *command], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode:
                raise RuntimeError(f"pip failed in {venv.name}; the whole log is in {log}")
    stamp.touch()
    return python


def run_benchmark(python, run_args, json_path):
    """run.py in `python`'s own process; its results, or None when it failed. Progress goes to stderr."""
    done = subprocess.run([str(python), str(HERE / "run.py"), "--json", str(json_path), *run_args],
                          cwd=ROOT, stdout=subprocess.DEVNULL)
    return json.loads(json_path.read_text()) if done.returncode == 0 else None


def medians(results):
    """{(workload, engine): median seconds} of one run.py result."""
    return {(t["workload"], t["engine"]): t["median_seconds"] for t in results["timings"] if t["median_seconds"]}


def workload_cell(times, ratios, workload):
    """stepgrad's median (x faster than micrograd) [x the tape floor's time]."""
    stepgrad = times.get((workload, "stepgrad"))
    if stepgrad is None:
        return "-"
    cell = format_time(stepgrad)
    micrograd = times.get((workload, "micrograd"))
    if micrograd:
        cell += f" ({micrograd / stepgrad:.1f}x)"
    if workload in ratios:
        cell += f" [{ratios[workload]:.2f}x]"
    return cell


def memory_cell(results):
    """stepgrad's bytes per node (micrograd's, the tape floor's)."""
    sizes = {name: size["bytes_per_node"] for name, size in results["memory"].items() if size["bytes_per_node"]}
    if "stepgrad" not in sizes:
        return "-"
    others = [f"{sizes[name]:,.0f}" if name in sizes else "-" for name in ("micrograd", "tape floor")]
    return f"{sizes['stepgrad']:,.0f} ({', '.join(others)})"


def combined_table(runs):
    """One Markdown table from {column label: run.py result or None}."""
    ran = [results for results in runs.values() if results]
    workloads = list(dict.fromkeys(t["workload"] for results in ran for t in results["timings"]))
    rows = []
    for workload in workloads:
        row = [workload]
        for results in runs.values():
            row.append(workload_cell(medians(results), results["stepgrad_over_tape_floor"], workload)
                       if results else "failed")
        rows.append(row)
    rows.append(["bytes/node", *(memory_cell(results) if results else "failed" for results in runs.values())])
    compile_row = ["compile() of the step"]
    for results in runs.values():
        compiled = (results or {}).get("compile", {}).get("stepgrad compiled")
        compile_row.append(f"{compiled['seconds']:.2f} s" if compiled else "-")
    rows.append(compile_row)
    return markdown_table(["stepgrad on", *runs], rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help=f"X.Y of each Python (default: {' '.join(VERSIONS)})")
    parser.add_argument("--python", action="append", default=[], type=Path,
                        help="an interpreter to run as it is, with no venv (may be given more than once)")
    parser.add_argument("--json", type=Path, help="where to write every version's results, keyed by column")
    parser.add_argument("--quick", action="store_true", help="run.py --quick on each: a smoke test")
    parser.add_argument("--steps", type=int, help="run.py --steps N: training steps in a row per mlp_step run")
    parser.add_argument("--repeats", type=int, help="run.py --repeats N: runs of each workload")
    args = parser.parse_args(argv)
    run_args = ["--quick"] if args.quick else []
    run_args += [f"--{option}={value}" for option, value in (("steps", args.steps), ("repeats", args.repeats)) if value]
    columns = [(str(python), lambda python=python: python) for python in args.python]
    if args.versions or not columns:
        columns += [(version, lambda version=version: bench_venv(version)) for version in args.versions or VERSIONS]

    runs, started = {}, time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for number, (name, python_for) in enumerate(columns):
            try:
                python = python_for()
            except (LookupError, RuntimeError, subprocess.CalledProcessError) as error:
                say(f"skipping {name}: {error}")
                continue
            say(f"running benchmarks/run.py {' '.join(run_args)} with {python}")
            began = time.perf_counter()
            results = run_benchmark(python, run_args, Path(scratch) / f"{number}.json")
            label = results["machine"]["python"] if results else name
            if label in runs:
                label = f"{label} ({name})"
            runs[label] = results
            say(f"{label}: {'took' if results else 'FAILED after'} {time.perf_counter() - began:.0f} s")
    if not runs:
        say("no Python ran the benchmark")
        return 1

    first = next((results for results in runs.values() if results), None)
    if first:
        print(f"machine: {first['machine']['cpu']}, {first['machine']['cores']} cores; "
              f"MLP(2, [16, 16, 1]) on {first['config']['points']} points, medians of {first['config']['repeats']} runs")
    print("stepgrad's median (x faster than micrograd) [x the tape floor's time]; "
          "bytes/node: stepgrad's (micrograd's, the tape floor's)\n")
    print(combined_table(runs))
    print(f"\nall versions took {time.perf_counter() - started:.0f} s, one after another")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n")
    return 0 if all(runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
