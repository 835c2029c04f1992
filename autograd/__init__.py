"""stepgrad's engine: scalar reverse-mode automatic differentiation.

    from autograd import Value
    x = Value(2.0, label="x")
    y = x * x + 1
    y.backward()        # x.grad == 4.0
"""

from . import ops  # noqa: F401  (attaches the op methods to Value)
from .check import GradcheckReport, gradcheck
from .compiled import CompiledGraph, compile
from .draw import draw_dot
from .forward_mode import jvp
from .grad_mode import no_grad
from .higher_order import grad, hessian
from .notebook import step_through
from .ops import OPS
from .steps import Step, backward_steps
from .table import grad_table
from .trace import forward_trace, reverse_trace
from .value import MissingBackward, Value

__all__ = ["Value", "MissingBackward", "no_grad", "gradcheck", "GradcheckReport", "OPS"]
__all__ += ["draw_dot", "backward_steps", "Step", "step_through", "grad_table"]
__all__ += ["compile", "CompiledGraph"]
__all__ += ["jvp", "forward_trace", "reverse_trace", "grad", "hessian"]
