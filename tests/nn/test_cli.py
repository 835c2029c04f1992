"""The `stepgrad` command: `demo` end to end, `train`, and bad arguments."""

import errno
import html
import json
import math
import os
import shutil
import subprocess
import sys

import pytest

from autograd import __version__
from nn import MLP
from nn.cli import main
from nn.train import diverged, loss_text
from tests.nn.test_serialize import SPECIAL_FILES, special_file
from tests.nn.test_training import Terminal, bar_losses


@pytest.mark.slow
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
    assert err == ""  # no progress bar: stderr is not a terminal
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
    """Run the command, expecting exit status 2; return (stdout, the one line on stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return out, err


def test_a_non_finite_run_says_so_and_saves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out, err = run_with_error(TINY_RUN + ["--lr", "1e200", "--out", "model.json"], capsys)
    assert err.startswith("stepgrad train: error: training diverged (final loss ") and "smaller --lr" in err
    assert os.listdir(tmp_path) == []


def test_a_diverged_run_prints_a_short_loss_and_is_saved_only_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out, err = run_with_error(TINY_RUN + ["--lr", "1e10", "--out", "model.json"], capsys)
    assert "final loss 1.939e+33, accuracy" in out
    assert "training diverged (final loss 1.939e+33, against 0.9943 before training)" in err
    assert "--save-diverged" in err and os.listdir(tmp_path) == []
    main(TINY_RUN + ["--lr", "1e10", "--out", "model.json", "--save-diverged"])
    assert "saved the model to model.json" in capsys.readouterr().out
    assert MLP.load(tmp_path / "model.json").config()["nouts"] == [2, 1]


def test_loss_text_keeps_huge_losses_short():
    assert [loss_text(x) for x in (0.01286, 12345.678, 1e170, -2e7, math.inf, math.nan)] == [
        "0.0129", "12345.6780", "1e+170", "-2e+07", "inf", "nan",
    ]


@pytest.mark.parametrize(
    "out, message",
    [
        ("models", "cannot save to models: it names a folder, not a file"),
        ("models/", "cannot save to models/: it names a folder, not a file"),
        ("notes/model.json", "cannot save to notes/model.json: /"),  # .../notes is a file, not a folder (below)
        ("", "cannot save to '': the file name is empty; give one, such as model.json"),
        ("notes/deeper/model.json", "cannot save to notes/deeper/model.json: Not a directory"),
        ("mo\0del.json", r"cannot save to 'mo\x00del.json': a file name cannot contain a NUL byte"),
    ],
)
def test_a_bad_out_path_gets_a_message_not_a_traceback(out, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    (tmp_path / "notes").write_text("a file")
    printed, err = run_with_error(TINY_RUN + ["--out", out], capsys)
    assert err.startswith("stepgrad train: error: ") and message in err
    if out == "notes/model.json":
        assert err.endswith(f"{tmp_path / 'notes'} is a file, not a folder\n")
    assert printed == ""  # refused before training
    assert sorted(os.listdir(tmp_path)) == ["models", "notes"] and os.listdir(tmp_path / "models") == []


def test_an_unwritable_out_path_is_named_before_training(unwritable_dir, capsys):
    path = os.path.join(unwritable_dir, "model.json")
    out, err = run_with_error(TINY_RUN + ["--out", path], capsys)
    assert out == ""  # no training ran
    assert err.startswith(f"stepgrad train: error: cannot save to {path}: ") and ".tmp" not in err


def test_a_full_disk_is_one_line_without_none(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    out, err = run_with_error(TINY_RUN + ["--out", "model.json"], capsys)
    assert err == "stepgrad train: error: cannot save to model.json: No space left on device\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "out_dir, message",
    [
        ("a-file", "it is a file, not a folder"),
        ("a-file/below", "Not a directory"),
        ("/proc/x", "No such file or directory"),
        ("", "an empty name; give a folder, such as out"),
    ],
)
def test_demo_out_dir_problems_are_one_line_before_any_work(out_dir, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("")
    out, err = run_with_error(["demo", "--out-dir", out_dir, "--quiet"], capsys)
    assert err == f"stepgrad demo: error: cannot write to --out-dir {out_dir!r}: {message}\n" and out == ""


def test_demo_into_a_read_only_folder_is_one_line(unwritable_dir, capsys):
    out, err = run_with_error(["demo", "--out-dir", unwritable_dir, "--quiet"], capsys)
    assert err.startswith(f"stepgrad demo: error: cannot write to --out-dir {unwritable_dir!r}: ") and out == ""


def test_a_folder_that_takes_no_file_names_the_folder_and_why(capsys):
    if not os.path.isdir("/proc/self"):
        pytest.skip("needs Linux's /proc")
    out, err = run_with_error(TINY_RUN + ["--out", "/proc/self/m.json"], capsys)
    assert err.startswith("stepgrad train: error: cannot save to /proc/self/m.json: the folder /proc/")
    assert err.endswith(" takes no new file: No such file or directory\n") and out == ""


@pytest.mark.parametrize("kind", SPECIAL_FILES)
@pytest.mark.parametrize("save_diverged", [[], ["--lr", "1e10", "--save-diverged"]], ids=["plain", "save-diverged"])
def test_out_on_a_device_pipe_or_socket_is_refused_before_training(kind, save_diverged, tmp_path, capsys):
    path = special_file(tmp_path, kind)
    mode = os.stat(path).st_mode
    out, err = run_with_error(TINY_RUN + save_diverged + ["--out", path], capsys)
    assert err == f"stepgrad train: error: cannot save to {path}: it is {SPECIAL_FILES[kind]}, not a regular file\n"
    assert out == "" and os.stat(path).st_mode == mode


def test_one_step_is_not_called_diverged(tmp_path, monkeypatch, capsys):
    # one step of the default run ends a little above where it began (0.9571 against 0.9538)
    monkeypatch.chdir(tmp_path)
    main(["train", "--steps", "1", "--out", "model.json", "--quiet"])
    out, err = capsys.readouterr()
    assert "final loss 0.9571," in out and "saved the model to model.json" in out and err == ""


def test_a_loss_ten_times_the_first_is_diverged_and_the_help_says_so(capsys):
    assert not diverged(1.0, 9.999) and diverged(1.0, 10.001) and diverged(1.0, math.nan) and diverged(1.0, math.inf)
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "over 10 times the loss before training, or not a finite number" in help_text


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flags_print_the_version(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([flag])
    assert exit_info.value.code == 0
    assert capsys.readouterr() == (f"stepgrad {__version__}\n", "")


def test_on_a_terminal_the_bar_ends_on_the_final_lines_loss(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stderr", Terminal())
    main(["train", "--hidden", "4", "--steps", "5", "--samples", "20", "--out", "model.json"])
    final_loss = capsys.readouterr().out.split("final loss ")[1].split(",")[0]
    assert "5/5" in sys.stderr.getvalue() and bar_losses(sys.stderr.getvalue())[-1] == final_loss


# --- stepgrad worksheet ---------------------------------------------------------------

NEURON_SHEET = ["worksheet", "o = tanh(x1*w1 + x2*w2 + b)", "--values", "x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432"]


def test_worksheet_writes_the_sheet_and_its_key_beside_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(NEURON_SHEET + ["--out", "sheets/neuron.svg"])
    out, err = capsys.readouterr()
    assert out == "wrote sheets/neuron.svg (9 blanks) and its answer key sheets/neuron-key.svg\n" and err == ""
    sheet = html.unescape((tmp_path / "sheets" / "neuron.svg").read_text())  # Graphviz writes - as &#45;
    key = html.unescape((tmp_path / "sheets" / "neuron-key.svg").read_text())
    assert "grad (1) ________" in sheet and "-1.5000" not in sheet and "0.5000" not in sheet
    assert "grad (1) -1.5000" in key and "grad (9) 0.5000" in key
    assert "x1*w1 + x2*w2 + b" in sheet  # an op's result is named by its text


@pytest.mark.skipif(shutil.which("dot") is None, reason="PDF and PNG need Graphviz's dot")
@pytest.mark.parametrize("suffix, magic", [(".pdf", b"%PDF"), (".png", b"\x89PNG")])
def test_worksheet_format_follows_the_suffix(suffix, magic, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(NEURON_SHEET + ["--hide", "both", "--out", "sheet" + suffix])
    assert "(14 blanks)" in capsys.readouterr().out
    assert (tmp_path / ("sheet" + suffix)).read_bytes().startswith(magic)
    assert (tmp_path / ("sheet-key" + suffix)).read_bytes().startswith(magic)


@pytest.mark.parametrize(
    "formula, values, out, message",
    [
        ("o = tanh(x1*w1 + q)", "x1=2,w1=-3", "s.svg", "q has no value: give it one in --values, such as q=1"),
        ("__import__('os').system('touch hacked')", "x=1", "s.svg", "system\" is not an op here"),
        ("x +", "x=1", "s.svg", "cannot read the formula 'x +': invalid syntax"),
        ("log(x)", "x=-1", "s.svg", "cannot compute 'log(x)': log is only defined for positive numbers"),
        ("x", "x=two", "s.svg", "--values: x needs a number, got 'two'"),
        ("x*x", "x=1", "s.txt", "--out 's.txt': the file name must end in .pdf, .svg, .png"),
        ("x*x", "x=1", "a-file/s.svg", "is a file, not a folder"),
    ],
)
def test_a_bad_worksheet_is_one_line_and_writes_nothing(formula, values, out, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("")
    printed, err = run_with_error(["worksheet", formula, "--values", values, "--out", out], capsys)
    assert err.startswith("stepgrad worksheet: error: ") and message in err and printed == ""
    assert os.listdir(tmp_path) == ["a-file"]


def test_worksheet_needs_values_and_is_in_the_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["worksheet", "x*x"])
    assert exit_info.value.code == 2 and "the following arguments are required: --values" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "worksheet" in capsys.readouterr().out
