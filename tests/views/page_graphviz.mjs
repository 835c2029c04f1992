// draw_dot in real Pyodide (web/node_modules/pyodide) where no page defines
// globalThis.stepgradDotToSvg, as in JupyterLite's kernel: stepgrad loads
// Graphviz itself (autograd/views/page_graphviz.py).  Run by
// test_page_graphviz.py:  node tests/views/page_graphviz.mjs ROOT GRAPHVIZ_PACKAGE
//
// The site's layout is made in a temporary folder, as the CONTRACT says:
//     pyodide/              -> web/node_modules/pyodide        (Pyodide's indexURL)
//     vendor/graphviz.js    -> @hpcc-js/wasm-graphviz/dist/index.js
// stepgrad's folders and the graphviz package (pure Python) are mounted from
// this machine.  A fake IPython shell makes it "a kernel", so `import autograd`
// starts the load.  Prints one line per check ("ok ..." / "not ok ...") and
// a JSON line of timings; exits 1 if a check failed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [root, graphvizPackage] = process.argv.slice(2).map((p) => path.resolve(p));
const site = fs.mkdtempSync(path.join(os.tmpdir(), "stepgrad-lite-"));
fs.symlinkSync(path.join(root, "web/node_modules/pyodide"), path.join(site, "pyodide"));
fs.mkdirSync(path.join(site, "vendor"));
fs.symlinkSync(path.join(root, "web/node_modules/@hpcc-js/wasm-graphviz/dist/index.js"), path.join(site, "vendor/graphviz.js"));

let failed = 0;
function check(what, ok, detail = "") {
  if (!ok) failed += 1;
  console.log(`${ok ? "ok" : "not ok"} ${what}${ok || !detail ? "" : `: ${detail}`}`);
}

const took = {};
let start = performance.now();
const { loadPyodide } = await import(path.join(site, "pyodide/pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.join(site, "pyodide") + "/" });
took.pyodide = Math.round(performance.now() - start);
for (const name of ["autograd", "nn", "stepgrad"]) pyodide.mountNodeFS(`/stepgrad/${name}`, path.join(root, name));
pyodide.mountNodeFS("/stepgrad/graphviz", graphvizPackage);

const py = (code) => pyodide.runPython(code);
try {
  start = performance.now();
  py(`
import sys, types
sys.path.insert(0, "/stepgrad")
shell = object()
sys.modules["IPython"] = types.SimpleNamespace(get_ipython=lambda: shell)  # a Jupyter kernel, as far as stepgrad asks
import js
assert getattr(js, "stepgradDotToSvg", None) is None
from autograd import Value, draw_dot, step_through
from autograd.views import page_graphviz
from autograd.views.page_graphviz import GRAPHVIZ_LOADING, GraphvizLoading
x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.88, label="b")
n = x1 * w1 + b; n.label = "n"
o = n.tanh(); o.label = "o"
`);
  took.import = Math.round(performance.now() - start);
  const url = py("page_graphviz._loading.url");
  check("import autograd in a kernel starts loading Graphviz from ../vendor/graphviz.js of indexURL", url === `file://${site}/vendor/graphviz.js`, url);
  const canWait = py("from pyodide.ffi import can_run_sync; can_run_sync()");
  took.can_run_sync = canWait;

  if (!canWait) {
    const said = py(`
try:
    draw_dot(o).pipe(format="svg")
    said = "drew"
except GraphvizLoading as error:
    said = str(error)
said`);
    check("before the load is done, a draw says Graphviz is loading, in one line", said === py("GRAPHVIZ_LOADING") && !said.includes("\n"), said);
    const bundle = py("draw_dot(o)._repr_mimebundle_()").toJs({ dict_converter: Object.fromEntries });
    check("and its display shows that line, no traceback", bundle["text/plain"] === py("GRAPHVIZ_LOADING"), JSON.stringify(bundle));
  }

  start = performance.now();
  await py("page_graphviz._loading.done");
  took.graphviz_loaded_after_import = Math.round(performance.now() - start);

  start = performance.now();
  const svg = py("draw_dot(o).pipe(format='svg', encoding='utf-8')");
  took.first_draw = Math.round(performance.now() - start);
  check("once loaded, draw_dot(...).pipe('svg') is SVG", svg.includes("<svg") && svg.includes("</svg>"), svg.slice(0, 200));
  for (const label of ["x1", "w1", "data 2.0000", "tanh"]) check(`the SVG shows ${JSON.stringify(label)}`, svg.includes(`>${label}`), "");
  const shown = py("draw_dot(o)._repr_mimebundle_()").toJs({ dict_converter: Object.fromEntries });
  check("draw_dot's Jupyter display is that SVG", (shown["image/svg+xml"] || "").includes(">x1<"), JSON.stringify(shown).slice(0, 200));
  const digraph = py(`
import graphviz
network = graphviz.Digraph()
network.edge("x1", "h1", label="w1 = 1.76")
network._repr_mimebundle_()`).toJs({ dict_converter: Object.fromEntries });
  check("a plain graphviz.Digraph displays as SVG too (lesson 02)", (digraph["image/svg+xml"] || "").includes(">w1 = 1.76<"), JSON.stringify(digraph).slice(0, 200));
  const stepper = py("step_through(o).html()");
  check("step_through's view has the drawing, its node highlighted", stepper.includes("<svg") && stepper.includes('class="node current"'), stepper.slice(0, 300));

  py(`page_graphviz._loading = None; page_graphviz.start_loading("file://${site}/vendor/no-such-module.js")`);
  await py("page_graphviz._loading.done");
  const failure = py(`
try:
    draw_dot(o).pipe(format="svg")
    said = "drew"
except Exception as error:
    said = type(error).__name__ + ": " + str(error)
said`);
  check("a module that cannot be loaded: GraphvizNotInstalled naming its URL, in one line",
    failure.startsWith("GraphvizNotInstalled: ") && failure.includes("no-such-module.js") && !failure.includes("\n"), failure);
} catch (error) {
  check("the script ran", false, String(error.message || error).split("\n").slice(-3).join(" | "));
} finally {
  fs.rmSync(site, { recursive: true, force: true });
}
console.log(JSON.stringify({ took }));
console.log(`${failed ? "FAILED" : "passed"}`);
process.exit(failed ? 1 : 0);
