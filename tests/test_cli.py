"""The `stepgrad` command: `demo` end to end, `train`, and bad arguments."""

import json
import os
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
    assert (tmp_path / "out" / "neuron.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
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
        (["train", "--steps", "0"], "argument --steps: expected a number >= 1, got '0'"),
        (["train", "--lr", "-1"], "argument --lr: expected a number > 0, got '-1'"),
        (["train", "--samples", "1"], "argument --samples: expected a number >= 2, got '1'"),
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
