"""New functions made from a graph: straight-line code, forward mode, higher order.

    compiled.py      compile: a graph recorded once, replayed over floats
    code_writer.py   the Python source compile() runs
    forward_mode.py  jvp: the derivative along one direction
    higher_order.py  grad, hessian: gradients as Values, differentiable again
"""
