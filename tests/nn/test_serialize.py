"""Saving and loading models: bit-for-bit round trips, atomic writes, clear errors."""

import errno
import json
import os
import socket
import stat
import struct
import threading

import pytest

from nn import MLP
from nn import module
from nn.module import CannotSave, check_destination


def bits(x):
    return struct.pack("<d", x)


@pytest.fixture
def model():
    # awkward floats on purpose: many digits, tiny, huge and negative zero
    model = MLP(3, [5, 4, 2], activation="tanh", out_activation="sigmoid", seed=11)
    params = model.parameters()
    params[0].data = 0.1 + 0.2
    params[1].data = 5e-324
    params[2].data = -1.7976931348623157e308
    params[3].data = -0.0
    return model


def test_state_dict_loads_into_a_model_of_the_same_shape(model):
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    other = MLP(3, [5, 4, 2], activation="tanh", out_activation="sigmoid", seed=12)
    assert other.load_state_dict(state) == ([], [])
    assert [bits(p.data) for p in other.parameters()] == [bits(p.data) for p in model.parameters()]


def test_load_state_dict_names_what_does_not_match_and_changes_nothing(model):
    other = MLP(3, [5, 4, 2], seed=12)
    before = other.state_dict()
    state = model.state_dict()
    state["extra"] = state.pop("layers.1.neurons.0.b")
    with pytest.raises(ValueError, match=r"54 given, 54 expected; missing layers.1.neurons.0.b, unexpected extra"):
        other.load_state_dict(state)
    state = model.state_dict() | {"layers.2.neurons.1.w.3": float("inf")}
    with pytest.raises(ValueError, match="parameter layers.2.neurons.1.w.3 is inf, not a finite number"):
        other.load_state_dict(state)
    with pytest.raises(TypeError, match="a dict of name -> number"):
        other.load_state_dict(list(state.values()))
    assert other.state_dict() == before


def test_load_state_dict_without_strict_loads_the_names_that_match(model):
    other = MLP(3, [5, 4, 2], seed=12)
    state = {"layers.0.neurons.0.w.0": 0.5, "extra": 1.0}
    missing, unexpected = other.load_state_dict(state, strict=False)
    assert other.parameters()[0].data == 0.5
    assert (len(missing), unexpected) == (53, ["extra"])


def test_round_trip_is_bit_for_bit(tmp_path, model):
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert repr(loaded) == repr(model)
    assert loaded.config() == model.config()
    assert [name for name, _ in loaded.named_parameters()] == [name for name, _ in model.named_parameters()]
    assert [bits(p.data) for p in loaded.parameters()] == [bits(p.data) for p in model.parameters()]
    x = [0.3, -1.2, 0.8]
    assert [v.data for v in loaded(x)] == [v.data for v in model(x)]


def test_file_is_plain_json_with_the_architecture(tmp_path, model):
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["format"] == "stepgrad-mlp"
    assert document["config"] == {"nin": 3, "nouts": [5, 4, 2], "activation": "tanh", "out_activation": "sigmoid"}
    assert len(document["parameters"]) == len(model.parameters())


def test_save_replaces_atomically_and_leaves_no_temporary_file(tmp_path, model, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old")
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: replaced.append((src, dst)) or real_replace(src, dst))
    model.save(path)
    ((source, target),) = replaced
    assert os.path.dirname(source) == str(tmp_path) and target == str(path)
    assert os.listdir(tmp_path) == ["model.json"]
    assert MLP.load(path).config() == model.config()


def test_interrupted_save_keeps_the_old_file(tmp_path, model, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old")

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_into_a_missing_directory_says_so(tmp_path, model):
    with pytest.raises(ValueError, match=r"model.json: /.*nowhere does not exist$"):
        model.save(tmp_path / "nowhere" / "model.json")


def test_save_under_a_file_says_so(tmp_path, model):
    (tmp_path / "notes").write_text("a file")
    with pytest.raises(ValueError, match=r"model.json: /.*notes is a file, not a folder$"):
        model.save(tmp_path / "notes" / "model.json")


@pytest.mark.parametrize("name", ["models", "models/"])
def test_save_to_a_folder_says_so_and_writes_nothing(tmp_path, monkeypatch, model, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    with pytest.raises(ValueError, match="it names a folder, not a file"):
        model.save(name)
    assert os.listdir(tmp_path) == ["models"] and os.listdir(tmp_path / "models") == []


def test_non_finite_weight_is_not_saved(tmp_path, model):
    model.parameters()[5].data = float("nan")
    with pytest.raises(ValueError, match="parameter layers.0.neurons.1.w.1 is nan"):
        model.save(tmp_path / "model.json")


def saved(tmp_path, model, edit):
    """Save `model`, let `edit` change the parsed document, write it back."""
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))
    return path


def test_missing_file(tmp_path):
    path = tmp_path / "absent.json"
    with pytest.raises(ValueError, match=f"{path}: the file does not exist"):
        MLP.load(path)


def test_truncated_file(tmp_path, model):
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match=f"{path}: not valid JSON, the file may be truncated"):
        MLP.load(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(format="something-else"), "not a stepgrad MLP file"),
        (lambda d: d.update(version=99), "format version 99, expected 1"),
        (lambda d: d.pop("parameters"), "needs a \"config\" and a \"parameters\" object"),
        (lambda d: d["config"].update(nouts=[5, 4, 3]), r"config .*\[5, 4, 3\].* needs 59 parameters, the file has 54"),
        (lambda d: d["config"].update(nouts=[10**11]), r"needs 400000000000 parameters, the file has 54"),
        (lambda d: d["parameters"].update({"layers.0.neurons.0.b": 9 * 10**400}), "layers.0.neurons.0.b is a whole number too large for a float"),
        (lambda d: d["config"].update(activation="swish"), "bad config .*unknown activation 'swish'"),
        (lambda d: d["config"].update(colour="red"), "bad config"),
        (lambda d: d["parameters"].pop("layers.1.neurons.0.b"), "needs 54 parameters, the file has 53"),
        (lambda d: d["parameters"].update(extra=1.0), "needs 54 parameters, the file has 55"),
        (lambda d: d["parameters"].update(extra=d["parameters"].pop("layers.1.neurons.0.b")), "missing layers.1.neurons.0.b, unexpected extra"),
        (lambda d: d["parameters"].update({"layers.0.neurons.0.b": "0.5"}), "parameter layers.0.neurons.0.b is '0.5', not a finite number"),
    ],
    ids=["format", "version", "no parameters", "shape", "huge shape", "huge int", "activation", "config key", "missing", "unexpected", "renamed", "string"],
)
def test_mismatched_file(tmp_path, model, edit, message):
    path = saved(tmp_path, model, edit)
    with pytest.raises(ValueError, match=message) as error:
        MLP.load(path)
    assert str(path) in str(error.value)


def test_not_json_at_all(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\x80\x04\x95 a pickle, perhaps")
    with pytest.raises(ValueError, match=f"{path}"):
        MLP.load(path)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"format": "stepgrad-mlp", "version": 1, "config": {}, "parameters": {"b": ' + "9" * 5000 + "}}"],
    ids=["nested too deeply", "a 5000-digit number"],
)
def test_json_that_python_cannot_read_as_data(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"{path}: its JSON cannot be a model"):
        MLP.load(path)


def test_save_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path, model):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "v1.json"
    target.write_text("old")
    link = tmp_path / "current.json"
    link.symlink_to(os.path.join("models", "v1.json"))
    model.save(link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("models", "v1.json")
    assert MLP.load(target).config() == model.config()
    assert sorted(os.listdir(tmp_path)) == ["current.json", "models"] and os.listdir(tmp_path / "models") == ["v1.json"]


def test_saving_over_a_file_keeps_its_permissions(tmp_path, model):
    path = tmp_path / "model.json"
    path.write_text("old")
    path.chmod(0o600)
    model.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert MLP.load(path).config() == model.config()


def test_a_new_file_gets_the_usual_permissions(tmp_path, model):
    model.save(tmp_path / "model.json")
    (tmp_path / "plain").write_text("")
    assert (tmp_path / "model.json").stat().st_mode == (tmp_path / "plain").stat().st_mode


@pytest.mark.parametrize("path", [0, 1.5, None, ["model.json"]])
def test_a_path_that_is_not_a_path_is_a_type_error(path, model):
    # MLP.load(0) once read stdin and closed file descriptor 0
    with pytest.raises(TypeError, match=r"cannot load a model from .*: a file path \(str or os.PathLike\) is needed"):
        MLP.load(path)
    with pytest.raises(TypeError, match=r"cannot save to .*: a file path \(str or os.PathLike\) is needed"):
        model.save(path)
    os.fstat(0)  # stdin is still open


def test_a_nul_byte_in_the_path_is_named(tmp_path, model):
    path = str(tmp_path / "mo\0del.json")
    with pytest.raises(ValueError, match=r"cannot load a model from '.*mo\\x00del.json': a file name cannot contain a NUL byte"):
        MLP.load(path)
    with pytest.raises(ValueError, match=r"cannot save to '.*mo\\x00del.json': a file name cannot contain a NUL byte"):
        model.save(path)
    assert os.listdir(tmp_path) == []


def test_bytes_paths_work(tmp_path, model):
    path = os.fsencode(tmp_path / "model.json")
    model.save(path)
    assert MLP.load(path).config() == model.config()


def test_a_full_disk_names_the_file_and_keeps_the_old_one(tmp_path, model, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as os.fsync raises it: no file name

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CannotSave) as error:
        model.save(path)
    assert str(error.value) == f"cannot save to {path}: No space left on device"
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["model.json"]


def test_a_folder_that_refuses_files_is_named_before_anything_is_written(unwritable_dir, model):
    path = os.path.join(unwritable_dir, "model.json")
    message = rf"^cannot save to {path}: the folder {os.path.realpath(unwritable_dir)} takes no new file: [A-Z]"
    with pytest.raises(CannotSave, match=message):
        check_destination(path)
    with pytest.raises(CannotSave, match=message):
        model.save(path)


def special_file(folder, kind):
    """A FIFO, a socket or a character device (a fake /dev/null, made only by root) at folder/kind."""
    path = str(folder / kind)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.close()  # the socket file stays
    elif os.geteuid() != 0:
        pytest.skip("making a character device (os.mknod) needs root")
    else:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


SPECIAL_FILES = {"fifo": "a named pipe (FIFO)", "socket": "a socket", "device": "a device"}


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_saving_over_a_device_pipe_or_socket_is_refused_and_leaves_it(tmp_path, model, kind):
    # as root, a save once renamed a regular file over /dev/null, and a FIFO became a 16 KB file
    path = special_file(tmp_path, kind)
    mode = os.stat(path).st_mode
    link = tmp_path / "link.json"
    link.symlink_to(path)
    for target in (path, link):
        with pytest.raises(ValueError) as error:
            model.save(target)
        assert str(error.value) == f"cannot save to {target}: it is {SPECIAL_FILES[kind]}, not a regular file"
    assert os.stat(path).st_mode == mode and sorted(os.listdir(tmp_path)) == sorted([kind, "link.json"])


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_loading_from_a_device_pipe_or_socket_is_refused_without_waiting(tmp_path, kind):
    # a FIFO once blocked for ever, and /dev/zero was read until a MemoryError
    path = special_file(tmp_path, kind)
    with pytest.raises(ValueError) as error:
        load_in_a_thread(path)
    assert str(error.value) == f"cannot load a model from {path}: it is {SPECIAL_FILES[kind]}, not a regular file"


def test_loading_from_dev_null_is_refused():
    with pytest.raises(ValueError, match=f"cannot load a model from {os.devnull}: it is a device, not a regular file"):
        MLP.load(os.devnull)


def load_in_a_thread(path):
    """MLP.load(path), failing (not hanging) if it is still waiting after a minute."""
    result = {}

    def load():
        try:
            result["model"] = MLP.load(path)
        except Exception as error:
            result["error"] = error

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(60)
    if thread.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # a FIFO's reader is waiting: release it
        pytest.fail(f"MLP.load({path!r}) was still waiting for data")
    if "error" in result:
        raise result["error"]
    return result["model"]


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path, model, monkeypatch):
    path = tmp_path / "model.json"
    model.save(path)
    size = path.stat().st_size
    monkeypatch.setattr(module, "MAX_MODEL_BYTES", size)
    assert MLP.load(path).config() == model.config()  # at the cap: read
    monkeypatch.setattr(module, "MAX_MODEL_BYTES", size - 1)
    with pytest.raises(ValueError) as error:
        MLP.load(path)
    assert str(error.value) == f"cannot load a model from {path}: it is over {size - 1:,} bytes long, the most a model file may hold"


def test_the_size_cap_is_stated_in_the_docstring():
    assert f"{module.MAX_MODEL_BYTES // 2**20} MiB" in MLP.load.__doc__ + module.load_model.__doc__
