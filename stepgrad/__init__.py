"""What concerns stepgrad's install as a whole, above both of its packages.

`autograd` (the engine) and `nn` (networks on top of it) are what a student
imports.  Here: `install_check`, which tells whether either is mixed with
another package of the same import name (both call it first), and
`command`, the `stepgrad` command's entry point, which runs that check
before it imports `nn.cli`.
"""
