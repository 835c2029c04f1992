"""nn.svg_plot: the lessons' plots as SVG where matplotlib is missing, its calls answered as pyplot's."""

import re
import sys
import types
import xml.etree.ElementTree as ElementTree

import pytest

import nn.svg_plot as plt

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def no_figures_left():
    plt.close("all")
    yield
    plt.close("all")


def parsed(figure):
    return ElementTree.fromstring(figure._repr_svg_())


def texts(root):
    """Each <text>'s words, its runs joined: "x" and a lowered "1" give "x1"."""
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def test_subplots_gives_the_axes_as_pyplot_does():
    figure, axes = plt.subplots(figsize=(5, 4))
    assert isinstance(axes, plt.Axes) and (figure.width, figure.height) == (400, 320)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    assert left._box()[0] < right._box()[0]
    _, grid = plt.subplots(2, 2)
    assert len(grid) == 2 and len(grid[0]) == 2


def test_a_line_plot_has_its_title_labels_ticks_and_key():
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3], [2.0, 4.0, 3.0], "o-", color="tab:green", label="a line")
    axes.set_title("loss during training")
    axes.set_xlabel("step")
    axes.set_ylabel("loss")
    axes.set_xticks([1, 2, 3])
    axes.legend()
    axes.grid(True, alpha=0.3)
    root = parsed(figure)
    words = texts(root)
    assert {"loss during training", "step", "loss", "a line", "1", "2", "3"} <= set(words)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "A plot: “loss during training”. Across: step. Up: loss. Key: a line."
    assert len(root.findall(f".//{SVG}circle")) == 3 + 1  # the markers, and the key's
    assert any(path.get("stroke") == plt.COLORS["tab:green"] for path in root.iter(f"{SVG}path"))


def test_a_log_axis_is_ticked_at_powers_of_ten_with_raised_exponents():
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3], [1e-6, 1e-3, 1.0])
    axes.set_yscale("log")
    axes.set_ylabel("RMS of $\\partial L / \\partial h$")
    root = parsed(figure)
    words = texts(root)
    assert {"10−6", "10−4", "10−2", "100"} <= set(words)
    raised = [span for span in root.iter(f"{SVG}tspan") if span.text == "−6"][0]
    assert float(raised.get("dy")) < 0 and raised.get("font-size")  # above the line, smaller
    assert "RMS of ∂L / ∂h" in words
    assert root.get("aria-label") == "A plot: Up: RMS of ∂L / ∂h (log scale)."


def test_tex_subscripts_are_lowered():
    figure, axes = plt.subplots()
    axes.scatter([0, 1], [0, 1])
    axes.set_xlabel("$x_1$")
    root = parsed(figure)
    [label] = [text for text in root.iter(f"{SVG}text") if "".join(text.itertext()) == "x1"]
    x, one = label.findall(f"{SVG}tspan")
    assert (x.text, one.text) == ("x", "1") and float(one.get("dy")) > 0


def test_a_second_axis_on_the_right_and_axes_sharing_y():
    figure, (left, right) = plt.subplots(1, 2, sharey=True)
    left.plot([1, 2], [1.0, 10.0], color="tab:blue")
    left.set_ylabel("loss", color="tab:blue")
    accuracy = left.twinx()
    accuracy.plot([1, 2], [0.5, 1.0], color="tab:orange")
    accuracy.set_ylim(0, 1.05)
    accuracy.set_ylabel("accuracy", color="tab:orange")
    right.plot([1, 2], [5.0, 100.0])
    assert left._y_limits() == right._y_limits()  # shared: 1 to 100, with margins
    root = parsed(figure)
    [label] = [text for text in root.iter(f"{SVG}text") if "".join(text.itertext()) == "accuracy"]
    assert label.get("fill") == plt.COLORS["tab:orange"] and float(label.get("x")) > right._box()[0] - 80
    assert "On the right: accuracy" in root.get("aria-label")
    assert "1.0" in texts(root) and "0.5" in texts(root)


def test_a_decision_boundary_fills_both_sides_and_draws_the_line_between():
    xs = [k / 10 for k in range(-10, 11)]
    ys = list(xs)
    scores = [[x + y for x in xs] for y in ys]  # 0 on the line y = -x
    figure, axes = plt.subplots()
    axes.contourf(xs, ys, scores, levels=[-1e9, 0, 1e9], colors=["#c6dbef", "#fdd0a2"])
    axes.contour(xs, ys, scores, levels=[0], colors="k", linewidths=1)
    root = parsed(figure)
    fills = {shape.get("fill") for shape in root.iter() if shape.tag in (f"{SVG}rect", f"{SVG}polygon")}
    assert {"#c6dbef", "#fdd0a2"} <= fills
    [line] = [path for path in root.iter(f"{SVG}path") if path.get("stroke") == "#000000" and "L" in path.get("d")]
    ends = [tuple(map(float, pair.split(","))) for pair in re.findall(r"[-\d.]+,[-\d.]+", line.get("d"))]
    box_x, box_y, box_w, box_h = axes._box()
    assert len(ends) >= 20
    for x, y in ends:  # each end on the line where the score is 0, y = -x
        x_data, y_data = -1 + 2 * (x - box_x) / box_w, 1 - 2 * (y - box_y) / box_h
        assert abs(x_data + y_data) < 0.01
    assert axes._x_limits() == (-1.0, 1.0)  # a filled contour fixes the range to its grid


def test_clip_paths_are_told_apart_between_figures():
    ids = []
    for _ in range(2):
        figure, axes = plt.subplots()
        axes.plot([0, 1], [0, 1])
        ids += [clip.get("id") for clip in parsed(figure).iter(f"{SVG}clipPath")]
    assert len(ids) == len(set(ids)) == 2


def test_show_displays_each_new_figure_once(monkeypatch):
    shown = []
    display = types.ModuleType("IPython.display")
    display.display = shown.append
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.setitem(sys.modules, "IPython", types.ModuleType("IPython"))
    first, _ = plt.subplots()
    second, _ = plt.subplots()
    plt.show()
    plt.show()
    assert shown == [first, second]
    third, _ = plt.subplots()
    plt.close(third)
    plt.show()
    assert shown == [first, second]


def test_what_it_does_not_draw_is_an_error_not_a_silent_nothing():
    _, axes = plt.subplots()
    with pytest.raises(AttributeError):
        axes.bar([1, 2], [3, 4])
    with pytest.raises(ValueError, match="symlog"):
        axes.set_yscale("symlog")
    with pytest.raises(AttributeError):
        plt.hist([1, 2, 3])
