// What the lab's kernel does as it starts, in the Pyodide the lab serves, run by Node.js:
//     node tests/web/lab_kernel_start.mjs DIST        (DIST: a site web/build.py built)
// Loads DIST/pyodide with the lab's own lock (DIST/lab/pyodide-packages/pyodide-lock.json),
// loads the packages jupyter-lite.json preloads, then imports what the kernel's worker imports
// (piplite, pyodide_kernel) and then stepgrad, counting every module Python had to compile from
// source (web/bytecode.mjs should have left none to compile).  Prints one JSON line:
//     {"loaded": [...], "compiled": [paths], "ms": {step: milliseconds}}
import fs from "node:fs";
import path from "node:path";

const dist = path.resolve(process.argv[2]);
const settings = JSON.parse(fs.readFileSync(path.join(dist, "lab/jupyter-lite.json"), "utf8"));
const kernel = settings["jupyter-config-data"].litePluginSettings["@jupyterlite/pyodide-kernel-extension:kernel"];
const options = kernel.loadPyodideOptions;

const ms = {};
let start = performance.now();
const lap = (step) => {
  const now = performance.now();
  ms[step] = Math.round(now - start);
  start = now;
};
const { loadPyodide } = await import(path.join(dist, "pyodide/pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.join(dist, "pyodide") + "/", lockFileURL: path.join(dist, "lab", options.lockFileURL) });
lap("pyodide");
const errors = [];
await pyodide.loadPackage(options.packages, { messageCallback: () => {}, errorCallback: (message) => errors.push(message) });
lap("packages");
pyodide.runPython(`
import importlib.machinery

compiled = []
_source_to_code = importlib.machinery.SourceFileLoader.source_to_code

def source_to_code(self, data, path, *args, **kwargs):
    compiled.append(path)  # no .pyc was found for this module, or it did not fit this Python
    return _source_to_code(self, data, path, *args, **kwargs)

importlib.machinery.SourceFileLoader.source_to_code = source_to_code
`);
for (const [step, code] of [["piplite", "import piplite.piplite"], ["kernel", "import pyodide_kernel"], ["stepgrad", "import autograd, nn"]]) {
  pyodide.runPython(code);
  lap(step);
}
const loaded = Object.keys(pyodide.loadedPackages).sort();
const compiled = pyodide.runPython("compiled").toJs();
console.log(JSON.stringify({ loaded, compiled, errors, ms }));
