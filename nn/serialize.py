"""Saving and loading an MLP as JSON: its architecture and every weight.

The file reads

    {"format": "stepgrad-mlp", "version": 1,
     "config": {"nin": 2, "nouts": [16, 16, 1], "activation": "relu", "out_activation": null},
     "parameters": {"layers.0.neurons.0.w.0": 0.7419..., ...}}

JSON writes a float as its shortest repr, which reads back as the same
float, so weights round-trip bit for bit.  Never pickle: loading a pickle
runs whatever code the file names.  The file is written to a temporary
file beside it and then renamed over it (`os.replace` is atomic), so a
save that is interrupted leaves the old file or the new one, never half.
"""

import json
import math
import os
import uuid

FORMAT = "stepgrad-mlp"
VERSION = 1


def save_mlp(model, path):
    """Write `model`'s config and parameters to `path` as JSON, atomically."""
    parameters = {}
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(f"cannot save to {path}: parameter {name} is {p.data!r}, not a finite number")
        parameters[name] = p.data
    document = {"format": FORMAT, "version": VERSION, "config": model.config(), "parameters": parameters}
    write_atomically(path, json.dumps(document, indent=1) + "\n")


def write_atomically(path, text):
    """Write `text` to `path` through a temporary file in the same folder.

    A path that names a folder, or whose folder is missing, is a ValueError.
    """
    path = os.fspath(path)
    if not os.path.basename(path) or os.path.isdir(path):
        raise ValueError(f"cannot save to {path}: it names a folder, not a file (such as {os.path.join(path, 'model.json')})")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        problem = "is not a folder" if os.path.exists(directory) else "does not exist"
        raise ValueError(f"cannot save to {path}: the folder {directory} {problem}")
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def load_mlp(path):
    """The MLP saved at `path`.  Raises ValueError naming the file and the problem."""
    from .layers import MLP

    document = _read_json(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"cannot load a model from {path}: not a stepgrad MLP file (no \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ValueError(f"cannot load a model from {path}: format version {document.get('version')!r}, expected {VERSION}")
    config, parameters = document.get("config"), document.get("parameters")
    if not isinstance(config, dict) or not isinstance(parameters, dict):
        raise ValueError(f"cannot load a model from {path}: it needs a \"config\" and a \"parameters\" object")
    _check_parameter_count(config, parameters, path)
    try:
        model = MLP(**config)
    except (TypeError, ValueError) as error:
        raise ValueError(f"cannot load a model from {path}: bad config {config!r}: {error}") from None
    _set_parameters(model, parameters, path)
    return model


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise ValueError(f"cannot load a model from {path}: the file does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot load a model from {path}: cannot read it ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"cannot load a model from {path}: not valid JSON, the file may be truncated "
            f"({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except (ValueError, RecursionError) as error:  # a number of over 4300 digits; nesting deeper than the stack
        raise ValueError(f"cannot load a model from {path}: its JSON cannot be a model ({error})") from None


def _check_parameter_count(config, parameters, path):
    """Refuse a config whose MLP would not have one weight per saved number,
    before building it (a tiny file could ask for a billion neurons)."""
    nin, nouts = config.get("nin"), config.get("nouts")
    if not isinstance(nin, int) or not isinstance(nouts, list) or not all(isinstance(n, int) for n in nouts):
        return  # MLP(**config) names the problem
    sizes = [nin] + nouts
    needed = sum((fan_in + 1) * width for fan_in, width in zip(sizes, sizes[1:]))
    if needed != len(parameters):
        raise ValueError(
            f"cannot load a model from {path}: its config {config!r} needs {needed} parameters, "
            f"the file has {len(parameters)}"
        )


def _set_parameters(model, parameters, path):
    """Copy each saved number into the model's parameter of the same name."""
    named = dict(model.named_parameters())
    missing = [name for name in named if name not in parameters]
    unexpected = [name for name in parameters if name not in named]
    if missing or unexpected:
        raise ValueError(
            f"cannot load a model from {path}: its parameters do not match {model!r} "
            f"({len(parameters)} saved, {len(named)} expected; "
            f"missing {_first(missing)}, unexpected {_first(unexpected)})"
        )
    for name, p in named.items():
        p.data = _finite_number(parameters[name], f"cannot load a model from {path}: parameter {name}")


def _finite_number(value, what):
    """`value` as a finite float; else a ValueError that starts with `what`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} is {value!r}, not a finite number")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what} is a whole number too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} is {number!r}, not a finite number")
    return number


def _first(names, n=3):
    if not names:
        return "none"
    shown = ", ".join(names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")
