"""Not a module: `from autograd import Value` reads this file only where another package's
autograd/__init__.py (HIPS autograd's) replaced stepgrad's, which defines Value; it names the clash.
See stepgrad/install_check.py."""

from stepgrad.install_check import stand_in_error

raise stand_in_error(__name__)
