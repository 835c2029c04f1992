"""The `stepgrad` command: `demo` end to end, `train`, and bad arguments."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from nn import MLP
from nn.cli import main


def test_demo_runs_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["demo"])
    out, err = capsys.readouterr()
    assert "x1.grad += w1.data * (x1*w1).grad = -3.0000 * 0.5000 = -1.5000" in out  # a chain-rule step
    table = out[out.index("checked against"):out.index("Training")]
    assert table.count("✓") == 6 and "✗" not in table
    svg = tmp_path / "out" / "neuron.svg"
    if svg.exists():
        assert svg.read_text().lstrip().startswith(("<?xml", "<svg"))
    else:  # the demo carries on without Graphviz's `dot` (and without the wasm extra)
        assert shutil.which("dot") is None
        assert f"no {os.path.join('out', 'neuron.svg')}: " in out
    final = next(line for line in out.splitlines() if line.startswith("final loss"))
    accuracy = float(final.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 99.0
    assert "100/100" in err  # the progress bar
    png = tmp_path / "out" / "moons.png"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "pip install 'stepgrad[plot]'" in out and not png.exists()
    else:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_saves_a_model(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["train", "--data", "circles", "--hidden", "4", "--steps", "3", "--lr", "0.5", "--samples", "20",
          "--out", "models/circles.json", "--quiet"])
    out, err = capsys.readouterr()
    assert "saved the model to models/circles.json" in out and err == ""
    model = MLP.load(tmp_path / "models" / "circles.json")
    assert model.config() == {"nin": 2, "nouts": [4, 1], "activation": "relu", "out_activation": None}
    assert json.loads((tmp_path / "models" / "circles.json").read_text())["format"] == "stepgrad-mlp"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--data", "spirals"], "argument --data: invalid choice: 'spirals'"),
        (["train", "--hidden", "16,x"], "argument --hidden: expected widths >= 1 separated by commas"),
        (["train", "--steps", "0"], "argument --steps: steps must be a whole number >= 1, got 0"),
        (["train", "--lr", "-1"], "argument --lr: expected a finite number > 0, got '-1'"),
        (["train", "--lr", "inf"], "argument --lr: expected a finite number > 0, got 'inf'"),
        (["train", "--lr", "nan"], "argument --lr: expected a finite number > 0, got 'nan'"),
        (["train", "--samples", "1"], "argument --samples: samples must be a whole number >= 2, got 1"),
        (["fly"], "invalid choice: 'fly'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_arguments_get_argparse_messages(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: stepgrad" in err and message in err


def test_console_script_is_installed_and_answers_help():
    script = os.path.join(os.path.dirname(sys.executable), "stepgrad")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert "demo" in result.stdout and "train" in result.stdout


TINY_RUN = ["train", "--hidden", "2", "--steps", "2", "--samples", "10", "--quiet"]


def run_with_error(argv, capsys):
    """Run the command, expecting argparse's exit 2; return what it printed to stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_a_diverged_run_says_so_and_saves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    err = run_with_error(TINY_RUN + ["--lr", "1e200", "--out", "model.json"], capsys)
    assert "usage: stepgrad train" in err and "training diverged (final loss " in err and "smaller --lr" in err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "out, message",
    [
        ("models", "cannot save to models: it names a folder, not a file"),
        ("models/", "cannot save to models/: it names a folder, not a file"),
        ("notes/model.json", "cannot save to notes/model.json: the folder "),
        ("notes/deeper/model.json", "cannot save to notes/deeper/model.json: Not a directory"),
    ],
)
def test_a_bad_out_path_gets_a_message_not_a_traceback(out, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    (tmp_path / "notes").write_text("a file")
    err = run_with_error(TINY_RUN + ["--out", out], capsys)
    assert "usage: stepgrad train" in err and message in err
    assert sorted(os.listdir(tmp_path)) == ["models", "notes"] and os.listdir(tmp_path / "models") == []
