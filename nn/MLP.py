"""Not a module: `from nn import MLP` reads this file only where another package's
nn/__init__.py (PyPI nn's) replaced stepgrad's, which defines MLP; it names the clash.
See stepgrad/install_check.py."""

from stepgrad.install_check import stand_in_error

raise stand_in_error(__name__)
