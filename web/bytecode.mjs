// Compile the Python modules of every wheel in a folder to bytecode, with the browser's own Python.
//
//     node web/bytecode.mjs FOLDER        (lab.py runs it on the kernel's wheels)
//
// Why: a wheel from PyPI holds only .py sources, so Pyodide compiles each module the first
// time it is imported, in WebAssembly, every time a kernel starts; IPython, jedi and
// prompt_toolkit are most of the lab's start.  Here each wheel gets, beside every
// `pkg/mod.py`, a `pkg/__pycache__/mod.cpython-314.pyc` (the cache tag of this Pyodide),
// compiled by the Pyodide of web/node_modules, the very one the browser runs, so the
// bytecode's version always matches it.  The sources stay (tracebacks show their lines).
//
// The .pyc files are "unchecked hash-based" (PEP 552): Python loads them without looking at
// the source's time stamp (unzipping sets new ones), and the same wheel always gives the same
// bytes.  Each wheel's RECORD lists the added files.  A module that does not compile (a
// template, Python 2 code) is left as source.  Prints one line per wheel.
import path from "node:path";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node web/bytecode.mjs FOLDER (of .whl files)");
  process.exit(2);
}
const { loadPyodide } = await import(new URL("node_modules/pyodide/pyodide.mjs", import.meta.url));
const pyodide = await loadPyodide();
pyodide.mountNodeFS("/wheels", path.resolve(folder));
pyodide.runPython(`
import base64, hashlib, importlib.util, marshal, pathlib, sys, warnings, zipfile

warnings.simplefilter("ignore", SyntaxWarning)  # a package's own odd escapes are its business

UNCHECKED_HASH = (1).to_bytes(4, "little")  # PEP 552 flags: hash-based, source not checked
WHEN = (1980, 1, 1, 0, 0, 0)  # one date for every added entry: the same wheel, the same bytes


def bytecode(source, name):
    """A .pyc file's bytes for the module \`source\` (bytes), or None if it does not compile."""
    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return importlib.util.MAGIC_NUMBER + UNCHECKED_HASH + importlib.util.source_hash(source) + marshal.dumps(code)


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def compiled(wheel):
    """Rewrite \`wheel\` with a .pyc beside each module; returns how many were added."""
    with zipfile.ZipFile(wheel) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    names = {info.filename for info, _ in entries}
    added = []
    for info, data in entries:
        module = pathlib.PurePosixPath(info.filename)
        if module.suffix != ".py" or ".dist-info" in info.filename or ".data/" in info.filename:
            continue
        pyc = str(module.parent / "__pycache__" / f"{module.stem}.{sys.implementation.cache_tag}.pyc")
        code = None if pyc in names else bytecode(data, info.filename)  # a wheel done before is left as it is
        if code is not None:
            added.append((pyc, code))
    if not added:
        return 0
    record = next(info for info, _ in entries if info.filename.endswith(".dist-info/RECORD"))
    lines = [record_line(name, data) for name, data in added]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info is record:
                data = data.rstrip(b"\\n") + ("\\n" + "\\n".join(lines) + "\\n").encode()
            new.writestr(info, data)
        for name, data in added:
            new.writestr(zipfile.ZipInfo(name, WHEN), data, zipfile.ZIP_DEFLATED)
    return len(added)


for wheel in sorted(pathlib.Path("/wheels").glob("*.whl")):
    print(f"bytecode.mjs: {wheel.name}: {compiled(wheel)} modules compiled for {sys.implementation.cache_tag}")
`);
