"""`mlp_to_torch`: the same network as a float64 `torch.nn.Sequential`.

Layer i becomes a `torch.nn.Linear` whose weight row j holds neuron j's
weights and whose bias[j] holds its bias, followed by the layer's
activation module (none for a linear layer).  PyTorch is optional: it is
imported only here, when asked for.
"""

TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def mlp_to_torch(model):
    """A `torch.nn.Sequential` (float64) computing what `model` computes."""
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch needs PyTorch, which is not installed: pip install torch") from None

    modules = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation is not None:
            modules.append(getattr(torch.nn, TORCH_ACTIVATIONS[layer.activation])())
    return torch.nn.Sequential(*modules)
