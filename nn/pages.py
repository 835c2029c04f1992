"""What the site's pages show that is built with nn: the worked tanh neuron, kept for stepping.

    show_tanh("tanh")   # the page's Python keeps nn.demo's neuron as "tanh" (autograd.views.web.GRAPHS)

It lives above the engine because the neuron does (`nn.demo`): nothing
under autograd/ imports nn.
"""

from autograd.views.web import keep

from .demo import tanh_neuron


def show_tanh(key):
    """Keep the tanh neuron's `o` as `key`; returns the view before step 1 (`autograd.views.web.view_of`)."""
    o, _ = tanh_neuron()
    return keep(key, o)
