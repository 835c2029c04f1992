"""The `stepgrad` command's entry point: check the install, then run `nn.cli`.

It enters here, not through `nn`, so that a foreign `nn/__init__.py`
(PyPI nn's imports TensorFlow) never runs before the check.
"""

from .install_check import check_install


def command_line(argv=None):
    """The `stepgrad` command: check the install, then run `nn.cli.main(argv)`."""
    check_install()
    from nn.cli import main

    return main(argv)
