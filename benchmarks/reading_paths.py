"""How much a reader must open to understand one public name of stepgrad, and whether the engine leans on nn.

    python benchmarks/reading_paths.py          # from the repository root: the table below
    python benchmarks/reading_paths.py --json   # the same as one JSON object

The measure of the redesign issue (a copy, in this repository, of the logic
of the shared tools/reading_paths.py).  For each entry (Value +
backward(), draw_dot, backward_steps, step_through, compile, MLP) it finds
the module that defines the name (importing this checkout), then follows
every import statement of the project's own modules in that file and in
each file reached (top-level and inside functions, relative or absolute),
and counts the files and their code lines (blank lines and comment-only
lines left out).  Each count is set against the issue's limit for that
entry and marked met or not.  Then it lists every import from a module
under autograd/ of a module under nn/ (the engine must not depend on the
networks) and the import cycles among the project's modules (autograd, nn,
stepgrad).

The limits are reported here, not tested.  The two static checks (no
autograd -> nn import, no cycle) are asserted by
tests/engine/test_architecture.py, which imports this file by its path and
calls `import_graph`, `engine_imports_nn` and `cycles`.  Exit status 0
always.
"""

import ast
import importlib
import inspect
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (title, package, attribute, most files, most code lines): the redesign issue's limits
ENTRIES = [
    ("Value + backward()", "autograd", "Value", 5, 700),
    ("draw_dot", "autograd", "draw_dot", 6, 900),
    ("backward_steps", "autograd", "backward_steps", 6, 900),
    ("step_through", "autograd", "step_through", 9, 1300),
    ("compile", "autograd", "compile", 8, 1200),
    ("MLP", "nn", "MLP", 9, 1100),
]
PACKAGES = ("autograd", "nn", "stepgrad")
ENGINE, NETWORKS = "autograd", "nn"

# a class's operators and methods may be attached from other modules: these are followed too
CLASS_METHODS = ("__add__", "__mul__", "__pow__", "__truediv__", "tanh", "exp", "sigmoid", "backward")


def module_files(root=ROOT):
    """Every module of the project's packages: dotted name -> path."""
    out = {}
    for pkg in PACKAGES:
        base = os.path.join(root, pkg)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
            for f in sorted(filenames):
                if f.endswith(".py"):
                    rel = os.path.relpath(os.path.join(dirpath, f), root)[:-3].replace(os.sep, ".")
                    if rel.endswith(".__init__"):
                        rel = rel[: -len(".__init__")]
                    out[rel] = os.path.join(dirpath, f)
    return out


def code_lines(path):
    """Lines of `path` that are neither blank nor only a comment."""
    n = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            s = line.strip()
            if s and not s.startswith("#"):
                n += 1
    return n


def _parse(path):
    with open(path, encoding="utf-8") as source:
        return ast.parse(source.read(), filename=path)


def _dotted(name, modules):
    """The longest prefix of the dotted `name` that is one of `modules`, or None."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in modules:
            return cand
    return None


def _literal_import(node):
    """The module named by `importlib.import_module("x")` or `__import__("x")` with a literal string, else None."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func, arg = node.func, node.args[0]
    named = (isinstance(func, ast.Name) and func.id in ("__import__", "import_module")) or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )
    if named and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None


def imports_of(name, path, modules):
    """Project modules that the file at `path` (module `name`) imports anywhere in its body.

    Import statements at any depth (inside functions, `if` blocks, `try`),
    and `importlib.import_module` / `__import__` calls with a literal name.
    """
    tree = _parse(path)
    is_pkg = path.endswith("__init__.py")
    here = name if is_pkg else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                cand = _dotted(a.name, modules)
                if cand:
                    found.add(cand)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from pkg import sub` reads pkg/sub.py; `from pkg import name` reads the module that pkg/__init__.py
            # takes `name` from (a reader follows the re-export), else pkg/__init__.py (or pkg.py) itself
            for a in node.names:
                sub = mod + "." + a.name
                if sub in modules:
                    found.add(sub)
                elif mod in modules:
                    found.add(reexport_source(mod, a.name, modules))
        else:
            literal = _literal_import(node)
            cand = _dotted(literal, modules) if literal else None
            if cand:
                found.add(cand)
    found.discard(name)
    return found


def reexport_source(pkg, name, modules, depth=0):
    """The module a package's __init__ takes `name` from, following re-exports; the package itself if none."""
    path = modules[pkg]
    if not path.endswith("__init__.py") or depth > 5:
        return pkg
    for node in _parse(path).body:
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            src = pkg if node.level == 1 else pkg.rsplit(".", node.level - 1)[0] if node.level else ""
            mod = ".".join(x for x in (src, node.module or "") if x) if node.level else node.module
            orig = next(a.name for a in node.names if (a.asname or a.name) == name)
            if mod + "." + orig in modules:
                return mod + "." + orig
            if mod in modules:
                return reexport_source(mod, orig, modules, depth + 1)
    return pkg


def import_graph(root=ROOT):
    """(modules, graph): every project module's path, and the project modules each one imports."""
    modules = module_files(root)
    return modules, {m: imports_of(m, p, modules) for m, p in modules.items()}


def closure(start, graph):
    """`start` and every module it reaches through imports."""
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(graph.get(m, ()))
    return seen


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def engine_imports_nn(graph):
    """Every import of an nn module by an autograd module, as 'autograd.x -> nn.y'."""
    return [
        f"{m} -> {d}"
        for m, deps in sorted(graph.items())
        if m.split(".")[0] == ENGINE
        for d in sorted(deps)
        if d.split(".")[0] == NETWORKS
    ]


def reading_path(pkg, attr, modules, graph):
    """What a reader opens to understand `pkg.attr`: {"defined_in", "files", "lines", "modules"}."""
    obj = getattr(importlib.import_module(pkg), attr)
    defining = inspect.getmodule(obj).__name__
    starts = {defining}
    if inspect.isclass(obj):
        for meth in CLASS_METHODS:
            f = getattr(obj, meth, None)
            m = inspect.getmodule(f) if f is not None else None
            if m is not None and m.__name__ in modules:
                starts.add(m.__name__)
    files = sorted(set().union(*(closure(s, graph) for s in starts)))
    lines = sum(code_lines(modules[m]) for m in files)
    return {"defined_in": defining, "files": len(files), "lines": lines, "modules": files}


def measure(root=ROOT):
    """The whole report: each entry against its limits, the engine's nn imports, the cycles."""
    if root not in sys.path:
        sys.path.insert(0, root)
    modules, graph = import_graph(root)
    report = {"entries": {}, "engine_imports_nn": engine_imports_nn(graph), "cycles": cycles(graph)}
    for title, pkg, attr, max_files, max_lines in ENTRIES:
        limits = {"max_files": max_files, "max_lines": max_lines}
        try:
            entry = reading_path(pkg, attr, modules, graph)
        except Exception as e:  # noqa: BLE001 -- a broken entry is a row of the table, not a crash
            report["entries"][title] = {"error": f"{type(e).__name__}: {e}", **limits}
            continue
        entry.update(limits, met=entry["files"] <= max_files and entry["lines"] <= max_lines)
        report["entries"][title] = entry
    return report


def table(report):
    """The report as the text `python benchmarks/reading_paths.py` prints."""
    rows = [f"{'entry':20} {'files':>5} {'limit':>5} {'lines':>6} {'limit':>6}  met  defined in"]
    for title, e in report["entries"].items():
        if "error" in e:
            rows.append(f"{title:20} {'':>5} {e['max_files']:5d} {'':>6} {e['max_lines']:6d}  no   {e['error']}")
        else:
            met = "yes" if e["met"] else "no "
            rows.append(
                f"{title:20} {e['files']:5d} {e['max_files']:5d} {e['lines']:6d} {e['max_lines']:6d}  {met}  {e['defined_in']}"
            )
    rows.append(f"engine imports nn: {', '.join(report['engine_imports_nn']) or 'none'}")
    rows.append(f"cycles: {'; '.join(' <-> '.join(c) for c in report['cycles']) or 'none'}")
    return "\n".join(rows)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = [a for a in argv if not a.startswith("--")]
    report = measure(os.path.abspath(args[0]) if args else ROOT)
    print(json.dumps(report) if "--json" in argv else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
