"""`Module`, the base of every model (as in PyTorch and micrograd), and a model saved to JSON.

A module lists its parameters (leaf `Value`s the optimizer changes) in
`named_parameters()`; the rest is built on that method.  A saved model is
its `config()` and `state_dict()`:

    {"format": "stepgrad-mlp", "version": 1,
     "config": {"nin": 2, "nouts": [16, 1], "activation": "relu", "out_activation": null},
     "parameters": {"layers.0.neurons.0.w.0": 0.7419..., ...}}

JSON writes a float as its shortest repr, which reads back as the same float.
Never pickle: loading a pickle runs whatever code it names.  Only regular files are written (renaming
over a device or a pipe replaces it) or read (reading one may never end).  The file is written beside its
destination, then renamed over it (`os.replace` is atomic): an interrupted save leaves the old file or the new one.
"""

import json
import os
import stat
import uuid
from collections.abc import Mapping
from contextlib import contextmanager

from .checks import finite_number

FORMAT, VERSION = "stepgrad-mlp", 1
MAX_MODEL_BYTES = 64 * 2**20  # 64 MiB: over a million parameters
SPECIAL_FILES = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
                 stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}  # file type (stat.S_IFMT of st_mode) -> words


class Module:
    """Something with trainable parameters."""

    def named_parameters(self):
        """(dotted name, parameter) pairs, in a fixed order.  Override this."""
        return []

    def parameters(self):
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set every parameter's grad to 0.0 (grads accumulate until then)."""
        zero_grads(self.parameters())

    def state_dict(self):
        """{dotted name: number} for every parameter, in the order of `named_parameters()`."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state, strict=True):
        """Set each parameter to the number `state` holds under its name; returns the (missing, unexpected)
        names, as PyTorch does.  With `strict`, names that do not match are a ValueError; so is a number
        that is not finite.  After an error, no parameter has changed.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict takes a dict of name -> number (as state_dict() gives), got {type(state).__name__}")
        named = dict(self.named_parameters())
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if strict and (missing or unexpected):
            raise ValueError(
                f"the state dict does not match {self!r} ({len(state)} given, {len(named)} expected; "
                f"missing {first_names(missing)}, unexpected {first_names(unexpected)})"
            )
        numbers = {name: finite_number(f"parameter {name}", state[name]) for name in named if name in state}
        for name, number in numbers.items():
            named[name].data = number
        return missing, unexpected

    def __repr__(self):
        return f"{type(self).__name__}({len(self.parameters())} parameters)"


def zero_grads(parameters):
    for p in parameters:
        p.grad = 0.0


def numbered_parameters(name, modules):
    """The named parameters of a list of sub-modules, as `name.i.<their name>`."""
    return [(f"{name}.{i}.{inner}", p) for i, module in enumerate(modules) for inner, p in module.named_parameters()]


def first_names(names, n=3):
    """The first `n` of `names` for a message: "a, b, c and 2 more", or "none"."""
    if not names:
        return "none"
    return ", ".join(map(str, names[:n])) + (f" and {len(names) - n} more" if len(names) > n else "")


def save_model(model, path):
    """Write `model.config()` and `model.state_dict()` to `path` as JSON, atomically."""
    parameters = model.state_dict()
    for name, number in parameters.items():
        finite_number(f"cannot save to {path}: parameter {name}", number)
    document = {"format": FORMAT, "version": VERSION, "config": model.config(), "parameters": parameters}
    write_atomically(path, json.dumps(document, indent=1) + "\n")


class CannotSave(OSError):
    """The file could not be written: the message names the destination (not the temporary file) and why."""


def file_path(path, action):
    """`path` (str, bytes or os.PathLike) as a str; anything else (an int would name a file descriptor)
    is a TypeError, a NUL byte a ValueError, their messages starting with `action`."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"{action} {path!r}: a file path (str or os.PathLike) is needed, got {type(path).__name__}")
    path = os.fsdecode(os.fspath(path))
    if not path:
        raise ValueError(f"{action} '': the file name is empty; give one, such as model.json")
    if "\0" in path:
        raise ValueError(f"{action} {path!r}: a file name cannot contain a NUL byte")
    return path


def check_destination(path):
    """The file `write_atomically(path, ...)` will write: a symlink's target, else `path`.

    A folder, a missing folder or an existing file not regular (a device, a pipe) is a ValueError;
    a folder that refuses a new file (a probe file is created and removed) is `CannotSave`."""
    path = file_path(path, "cannot save to")
    if not os.path.basename(path) or os.path.isdir(path):
        raise ValueError(f"cannot save to {path}: it names a folder, not a file (such as {os.path.join(path, 'model.json')})")
    target = os.path.realpath(path)  # the link stays, the file it points to is replaced
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        problem = "is a file, not a folder" if os.path.exists(directory) else "does not exist"
        raise ValueError(f"cannot save to {path}: {directory} {problem}")
    if os.path.exists(target) and (kind := SPECIAL_FILES.get(stat.S_IFMT(os.stat(target).st_mode))):
        raise ValueError(f"cannot save to {path}: it is {kind}, not a regular file")
    with _naming(path, f"the folder {directory} takes no new file: "):
        os.remove(_new_temporary(target))
    return target


def write_atomically(path, text):
    """Write `text` to `path` through a temporary file renamed over it, keeping an existing file's
    permission bits.  Errors as in `check_destination`; a failed write (a full disk) is `CannotSave`."""
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
    """Create an empty hidden file beside `target`; its path."""
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{uuid.uuid4().hex[:12]}.tmp")
    open(temporary, "x").close()
    return temporary


@contextmanager
def _naming(path, problem=""):
    """An OSError inside the block becomes `CannotSave` naming `path`, the `problem` and the OS's reason."""
    try:
        yield
    except OSError as error:
        raise CannotSave(f"cannot save to {os.fsdecode(path)}: {problem}{error.strerror or error}") from error


def load_model(cls, path):
    """`cls(**config)` with the parameters saved at `path`, a regular file of at most 64 MiB
    (`MAX_MODEL_BYTES`); any problem with the file is a ValueError naming it."""
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
    """The JSON in the regular file at `path`, refused if over `MAX_MODEL_BYTES` long."""
    try:
        if kind := SPECIAL_FILES.get(stat.S_IFMT(os.stat(path).st_mode)):
            raise ValueError(f"it is {kind}, not a regular file")
        # O_NONBLOCK: should a named pipe take the file's place, reading it finds no data at once, never waits
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            data = f.read(MAX_MODEL_BYTES + 1)
    except FileNotFoundError:
        raise ValueError("the file does not exist") from None
    except OSError as error:
        raise ValueError(f"cannot read it ({error})") from None
    if len(data) > MAX_MODEL_BYTES:
        raise ValueError(f"it is over {MAX_MODEL_BYTES:,} bytes long, the most a model file may hold")
    try:
        return json.loads(data)  # bytes: UTF-8, or the UTF-16 or UTF-32 that JSON allows
    except json.JSONDecodeError as error:
        where = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise ValueError(f"not valid JSON, the file may be truncated ({where})") from None
    except (ValueError, RecursionError) as error:  # not UTF-8; a number of over 4300 digits; nesting too deep
        raise ValueError(f"its JSON cannot be a model ({error})") from None


def _check_parameter_count(config, parameters):
    """Refuse, before building it, an MLP that would not have one weight per saved number
    (a tiny file could ask for a billion neurons)."""
    nin, nouts = config.get("nin"), config.get("nouts")
    if not isinstance(nin, int) or not isinstance(nouts, list) or not all(isinstance(n, int) for n in nouts):
        return  # MLP(**config) names the problem
    sizes = [nin] + nouts
    needed = sum((fan_in + 1) * width for fan_in, width in zip(sizes, sizes[1:]))
    if needed != len(parameters):
        raise ValueError(f"its config {config!r} needs {needed} parameters, the file has {len(parameters)}")
