"""`to_torch`: the same network in PyTorch gives the same outputs (float64)."""

import builtins

import pytest

from nn import MLP


@pytest.mark.parametrize(
    "model",
    [
        MLP(2, [16, 16, 1], seed=3),
        MLP(3, [5, 4], activation="tanh", out_activation="sigmoid", init="uniform", seed=1),
        MLP(4, [6, 3], activation="sigmoid", out_activation="relu", seed=2),
    ],
    ids=repr,
)
def test_outputs_agree(model):
    torch = pytest.importorskip("torch")
    net = model.to_torch()
    assert isinstance(net, torch.nn.Sequential)
    assert sum(p.numel() for p in net.parameters()) == len(model.parameters())
    inputs = [[(0.37 * (i + 1) * (j - 1.5)) % 2.0 - 1.0 for j in range(model.nin)] for i in range(20)]
    with torch.no_grad():
        theirs = net(torch.tensor(inputs, dtype=torch.float64))
    for x, row in zip(inputs, theirs):
        ours = model(x)
        ours = [ours] if model.nouts[-1] == 1 else ours
        for value, reference in zip(ours, row.tolist()):
            assert abs(value.data - reference) <= 1e-12


def test_clear_error_without_torch(monkeypatch):
    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch":
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match="to_torch needs PyTorch"):
        MLP(2, [1]).to_torch()
