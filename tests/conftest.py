import pytest


@pytest.fixture
def tanh_neuron():
    """The worked tanh neuron of the lesson texts, with its labelled nodes."""
    from nn.demo import tanh_neuron as build

    o, nodes = build()
    nodes["o"] = o
    return nodes



@pytest.fixture
def unwritable_dir(tmp_path):
    """A folder in which creating a file fails: a read-only folder, or, for
    root (whom file modes do not stop), /sys, which refuses new files to all."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").touch()
    except OSError:
        yield str(folder)
    else:
        (folder / "probe").unlink()
        yield "/sys"
    folder.chmod(0o755)
