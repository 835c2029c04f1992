"""README.md's layout section against the tree: every package and module is named there, and all it names exists.

A package is a folder with an `__init__.py` under autograd/, nn/ or
stepgrad/ (the three included), named by its folder, `autograd/engine/`;
a module is every other .py file there, named by its path,
`autograd/engine/value.py`.  Every path under those folders that the
section names, and every dotted name of theirs it writes in backquotes
(`autograd.engine`, `nn.cli`), must exist.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PACKAGES = ("autograd", "nn", "stepgrad")
HEADING = "## Layout"

# a path under one of the packages, not inside a longer path or word (tests/nn/ is not nn/)
PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w./-]*)" % "|".join(PACKAGES))
DOTTED = re.compile(r"`((?:%s)(?:\.\w+)+)`" % "|".join(PACKAGES))


def layout_section(text):
    """The text from the layout heading to the next heading of the same level."""
    start = text.index(HEADING + "\n")
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end != -1 else len(text)]


def tree(root=ROOT):
    """What the section must name: each package's folder ('autograd/engine/') and each module's path."""
    names = []
    for package in PACKAGES:
        for init in sorted((root / package).rglob("__init__.py")):
            folder = init.parent
            if "__pycache__" in folder.parts:
                continue
            names.append(folder.relative_to(root).as_posix() + "/")
            names += [f.relative_to(root).as_posix() for f in sorted(folder.glob("*.py")) if f.name != "__init__.py"]
    return names


def named_paths(section):
    return sorted({match.rstrip(".,;:") for match in PATH.findall(section)})


def missing_paths(paths, root=ROOT):
    return [p for p in paths if not ((root / p).is_dir() if p.endswith("/") else (root / p).is_file())]


def module_file(dotted, root=ROOT):
    """The file of the module or package `dotted`, or None."""
    path = root.joinpath(*dotted.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def top_level_names(path):
    """The names a module binds at its top level: defs, classes, assignments, imports."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def exists(dotted, root=ROOT):
    """`dotted` is a module or package, or a name its parent module binds."""
    if module_file(dotted, root):
        return True
    parent, _, name = dotted.rpartition(".")
    path = module_file(parent, root)
    return path is not None and name in top_level_names(path)


def test_the_section_names_every_package_and_module():
    section = layout_section(README.read_text(encoding="utf-8"))
    named = set(named_paths(section))
    expected = tree()
    assert "autograd/engine/" in expected and "autograd/engine/value.py" in expected
    assert [name for name in expected if name not in named] == [], f"not in README's {HEADING!r} section"


def test_every_package_path_the_section_names_exists():
    section = layout_section(README.read_text(encoding="utf-8"))
    paths = named_paths(section)
    assert "autograd/engine/value.py" in paths
    assert missing_paths(paths) == [], f"README's {HEADING!r} section names files that are not there"


def test_every_dotted_name_the_section_writes_exists():
    """`autograd.engine` a package, `nn.cli` a module; `a.b.name` may also be a name that module a.b binds."""
    section = layout_section(README.read_text(encoding="utf-8"))
    dotted = sorted(set(DOTTED.findall(section)))
    assert "autograd.engine" in dotted
    wrong = [name for name in dotted if not exists(name)]
    assert wrong == [], f"README's {HEADING!r} section writes module names that are not there"


def test_the_section_shows_how_to_print_the_reading_paths():
    section = layout_section(README.read_text(encoding="utf-8"))
    assert "python benchmarks/reading_paths.py" in section
    begin, end = "<!-- reading_paths.py output: begin -->", "<!-- reading_paths.py output: end -->"
    assert begin in section and end in section and section.index(begin) < section.index(end)
    assert (ROOT / "benchmarks" / "reading_paths.py").is_file()
