"""stepgrad's engine: scalar reverse-mode automatic differentiation.

    from autograd import Value
    x = Value(2.0, label="x")
    y = x * x + 1
    y.backward()        # x.grad == 4.0

The sub-packages: `engine` (Value, its ops, the backward pass), `views`
(drawings, steps, tables, traces, the stepper), `transforms` (compile,
forward mode, higher order); `gradcheck` checks any of it.
"""

STEPGRAD_PACKAGE = "autograd"  # marks this file as stepgrad's (see stepgrad.install_check)
__version__ = "0.2.0"  # stepgrad's version: pyproject.toml and `stepgrad --version` read it here

from stepgrad.install_check import PackageClash, install_problem

if problem := install_problem():  # mixed with another package named autograd: the message says which
    raise PackageClash(problem)

from .engine.value import OPS, MissingBackward, Value, enable_grad, no_grad  # noqa: E402
from .gradcheck import GradcheckReport, gradcheck
from .practice import BackwardReport, check_backward
from .transforms.compiled import CompiledGraph, compile
from .transforms.forward_mode import jvp
from .transforms.higher_order import grad, hessian
from .views.draw import draw_dot, in_browser
from .views.notebook import step_through
from .views.steps import Step, backward_steps
from .views.table import grad_table
from .views.traces import forward_trace, reverse_trace
from .views.worksheet import worksheet

if in_browser():  # in a web page (Pyodide): `dot` cannot run, Graphviz in WebAssembly draws
    from .views.page_graphviz import prepare_for_page

    prepare_for_page()

__all__ = ["Value", "MissingBackward", "no_grad", "enable_grad", "gradcheck", "GradcheckReport", "OPS"]
__all__ += ["draw_dot", "backward_steps", "Step", "step_through", "grad_table"]
__all__ += ["compile", "CompiledGraph"]
__all__ += ["jvp", "forward_trace", "reverse_trace", "grad", "hessian"]
__all__ += ["check_backward", "BackwardReport", "worksheet"]
