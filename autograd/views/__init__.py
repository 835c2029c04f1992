"""What a person sees of a graph: its drawing, its backward steps, tables, traces and worksheets.

    draw.py      draw_dot: the graph as a Graphviz picture
    names.py     node_names: what every view calls each node
    page_graphviz.py  drawing under Pyodide: the page's Graphviz, or one stepgrad loads (JupyterLite)
    nearby.py    neighbourhood, drawing_near: the part of a large graph near one Value
    steps.py     backward_steps: one step's chain-rule lines, names and numbers
    table.py     grad_table: every grad next to its chain rule, hand values checked
    mistakes.py  the single slip that gives a wrong hand value, for grad_table
    worksheet.py worksheet: a drawing with blanks to fill in, and its answer key
    expression.py  an expression's text read into Values, for worksheets
    notebook.py  step_through: Jupyter's stepper (Back, Next step, Restart)
    web.py       the stepper and the hand check as plain data, for the web pages
    traces.py    forward_trace, reverse_trace: evaluation traces as in Baydin et al.
"""
