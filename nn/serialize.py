"""Saving an MLP: to JSON and back (built on `state_dict()`), and to PyTorch.

The file reads

    {"format": "stepgrad-mlp", "version": 1,
     "config": {"nin": 2, "nouts": [16, 16, 1], "activation": "relu", "out_activation": null},
     "parameters": {"layers.0.neurons.0.w.0": 0.7419..., ...}}

"config" is `model.config()` and "parameters" its `state_dict()`; `load`
builds `cls(**config)` and calls `load_state_dict`.  JSON writes a float
as its shortest repr, which reads back as the same float, so weights
round-trip bit for bit.  Never pickle: loading a pickle runs whatever code
the file names.  The file is written to a temporary file beside it and
then renamed over it (`os.replace` is atomic), so a save that is
interrupted leaves the old file or the new one, never half.
"""

import json
import os
import stat
import uuid
from contextlib import contextmanager

from .checks import finite_number
from .module import first_names

FORMAT = "stepgrad-mlp"
VERSION = 1
TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def save(model, path):
    """Write `model`'s config and parameters to `path` as JSON, atomically."""
    parameters = model.state_dict()
    for name, number in parameters.items():
        finite_number(f"cannot save to {path}: parameter {name}", number)
    document = {"format": FORMAT, "version": VERSION, "config": model.config(), "parameters": parameters}
    write_atomically(path, json.dumps(document, indent=1) + "\n")


class CannotSave(OSError):
    """The file could not be written; the message names the destination and
    why (never the temporary file), and the old file, if any, is untouched."""


def file_path(path, action):
    """`path` as a str, if it is a str, bytes or os.PathLike without a NUL byte.

    Anything else (an int would name a file descriptor, such as stdin) is a
    TypeError; a NUL byte is a ValueError.  `action` starts the message:
    "cannot save to", "cannot load a model from".
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"{action} {path!r}: a file path (str or os.PathLike) is needed, got {type(path).__name__}")
    path = os.fsdecode(os.fspath(path))
    if "\0" in path:
        raise ValueError(f"{action} {path!r}: a file name cannot contain a NUL byte")
    return path


def check_destination(path):
    """Check that `write_atomically(path, ...)` can write there, and return the
    file it will write: the target of a symlink, else `path` itself.

    A path that names a folder, or whose folder is missing or not a folder,
    is a ValueError; a folder that refuses a new file is `CannotSave`.  Both
    name `path`.  A probe file is created and removed to find out.
    """
    path = file_path(path, "cannot save to")
    if not os.path.basename(path) or os.path.isdir(path):
        raise ValueError(f"cannot save to {path}: it names a folder, not a file (such as {os.path.join(path, 'model.json')})")
    target = os.path.realpath(path)  # through symlinks: write the file a link points to, keep the link
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        problem = "is not a folder" if os.path.exists(directory) else "does not exist"
        raise ValueError(f"cannot save to {path}: the folder {directory} {problem}")
    with _naming(path):
        os.remove(_new_temporary(target))
    return target


def write_atomically(path, text):
    """Write `text` to `path` through a temporary file in the same folder.

    A symlink stays a symlink: the file it points to is replaced.  A file
    that exists keeps its permission bits.  Errors are those of
    `check_destination`; if writing fails (a full disk) the error is
    `CannotSave`, and the old file is as it was.
    """
    target = check_destination(path)
    temporary = None
    try:
        with _naming(path):
            temporary = _new_temporary(target)
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            if os.path.exists(target):
                os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
            os.replace(temporary, target)
    except BaseException:
        if temporary and os.path.exists(temporary):
            os.remove(temporary)
        raise


def _new_temporary(target):
    """Create an empty hidden file beside `target` and return its path."""
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{uuid.uuid4().hex[:12]}.tmp")
    with open(temporary, "x", encoding="utf-8"):
        pass
    return temporary


@contextmanager
def _naming(path):
    """Turn an OSError inside the block into `CannotSave` naming `path`."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise CannotSave(f"cannot save to {os.fsdecode(path)}: {reason}") from error


def load(cls, path):
    """The `cls` model saved at `path`: `cls(**config)`, then `load_state_dict(parameters)`.

    Any problem with the file is a ValueError naming the file and what is wrong.
    """
    path = file_path(path, "cannot load a model from")
    try:
        return _load(cls, path)
    except ValueError as error:
        raise ValueError(f"cannot load a model from {path}: {error}") from None


def _load(cls, path):
    document = _read_json(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'not a stepgrad MLP file (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise ValueError(f"format version {document.get('version')!r}, expected {VERSION}")
    config, parameters = document.get("config"), document.get("parameters")
    if not isinstance(config, dict) or not isinstance(parameters, dict):
        raise ValueError('it needs a "config" and a "parameters" object')
    _check_parameter_count(config, parameters)
    try:
        model = cls(**config)
    except (TypeError, ValueError) as error:
        raise ValueError(f"bad config {config!r}: {error}") from None
    missing, unexpected = model.load_state_dict(parameters, strict=False)
    if missing or unexpected:
        raise ValueError(
            f"its parameters do not match {model!r} ({len(parameters)} saved, {len(model.parameters())} expected; "
            f"missing {first_names(missing)}, unexpected {first_names(unexpected)})"
        )
    return model


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise ValueError("the file does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read it ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON, the file may be truncated ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except (ValueError, RecursionError) as error:  # a number of over 4300 digits; nesting deeper than the stack
        raise ValueError(f"its JSON cannot be a model ({error})") from None


def _check_parameter_count(config, parameters):
    """Refuse a config whose MLP would not have one weight per saved number,
    before building it (a tiny file could ask for a billion neurons)."""
    nin, nouts = config.get("nin"), config.get("nouts")
    if not isinstance(nin, int) or not isinstance(nouts, list) or not all(isinstance(n, int) for n in nouts):
        return  # MLP(**config) names the problem
    sizes = [nin] + nouts
    needed = sum((fan_in + 1) * width for fan_in, width in zip(sizes, sizes[1:]))
    if needed != len(parameters):
        raise ValueError(f"its config {config!r} needs {needed} parameters, the file has {len(parameters)}")


def to_torch(model):
    """A float64 `torch.nn.Sequential` computing what the MLP `model` computes: for each layer a
    `torch.nn.Linear` (weight row j: neuron j's weights; bias[j]: its bias), then its activation
    module, if any.  PyTorch is optional: it is imported only here."""
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
