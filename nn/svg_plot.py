r"""The lessons' plots as SVG, where matplotlib is missing (JupyterLite in the browser).

Lessons 05 and 06 plot with matplotlib.  Where it cannot be imported (the
Pyodide of JupyterLite has none), they import this module as `plt`
instead: it answers the same calls, the little of pyplot that the lessons
make, and draws each figure as SVG, which Jupyter shows inline
(`Figure._repr_svg_`):

    try:
        import matplotlib.pyplot as plt
    except ImportError:
        import nn.svg_plot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    left.plot(steps, loss, "o-", color="tab:blue", label="loss")
    left.set_yscale("log")
    left.legend()
    plt.show()

What it draws: lines with markers (format strings such as "o-", "s-",
"^-"), scatter plots, filled contours of a few levels and contour lines (a
decision boundary), linear or log axes, a second y axis on the right
(`twinx`), titles, axis labels (TeX between $...$ as text: `$x_1$`,
`$\partial L$`), ticks, a grid and a key.  What else pyplot has is not
here: calling it is an AttributeError, not a silent nothing.  Each SVG
says what it shows in its `aria-label` (titles, axes, key), as the lesson
pages' figures do.  Pure Python, no imports beyond the standard library
(IPython only to show figures in `show`).
"""

import html
import itertools
import math
import re

PX_PER_INCH = 80
"""A figure of figsize (w, h) inches is w * 80 by h * 80 px."""

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
FONT_SIZE = 12
"""Tick labels, axis labels and the key; titles are a little larger."""

COLORS = {
    "tab:blue": "#1f77b4", "tab:orange": "#ff7f0e", "tab:green": "#2ca02c", "tab:red": "#d62728",
    "tab:purple": "#9467bd", "tab:brown": "#8c564b", "tab:pink": "#e377c2", "tab:gray": "#7f7f7f",
    "tab:olive": "#bcbd22", "tab:cyan": "#17becf",
    "b": "#0000ff", "g": "#008000", "r": "#ff0000", "c": "#00bfbf", "m": "#bf00bf", "y": "#bfbf00",
    "k": "#000000", "w": "#ffffff",
}  # fmt: skip
"""matplotlib's names of the colours the lessons use; any other colour is passed to SVG as written."""

CYCLE = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:gray", "tab:olive", "tab:cyan"]
"""The colours of lines and points given none, in turn (matplotlib's default cycle)."""

MARKERS = "os^v"
LINE_STYLES = {"-": None, "--": "6,3", ":": "1.5,2.5", "-.": "6,2.5,1.5,2.5"}

TEX = {
    r"\partial": "∂", r"\alpha": "α", r"\beta": "β", r"\eta": "η", r"\sigma": "σ", r"\delta": "δ",
    r"\cdot": "·", r"\times": "×", r"\leftarrow": "←", r"\lVert": "‖", r"\rVert": "‖", r"\,": " ",
    r"\!": "", r"\top": "⊤", r"\sum": "Σ",
}  # fmt: skip
"""TeX commands of axis labels and titles, as text."""

_ids = itertools.count()
"""Numbers the clip paths: figures shown in one page must not share an id."""

_unshown = []
"""Figures made since the last `show()`, which shows them."""


# --- pyplot's functions --------------------------------------------------------


def subplots(nrows=1, ncols=1, figsize=(6.4, 4.8), sharey=False, sharex=False, squeeze=True, layout=None):
    """A Figure and its axes, as pyplot's `subplots`: one Axes, a list of a row (or column), or rows of them.

    `layout` is accepted and ignored: every figure is laid out with room for its labels.
    """
    figure = Figure(figsize)
    grid = [[figure.add_subplot(nrows, ncols, row * ncols + col + 1) for col in range(ncols)] for row in range(nrows)]
    flat = [axes for row in grid for axes in row]
    if sharey:
        for axes in flat:
            axes._shared_y = flat
        for row in grid:
            for axes in row[1:]:
                axes._y_tick_labels = False
    if sharex:
        for axes in flat:
            axes._shared_x = flat
    if squeeze and nrows == 1 and ncols == 1:
        return figure, grid[0][0]
    if squeeze and (nrows == 1 or ncols == 1):
        return figure, flat
    return figure, grid


def figure(figsize=(6.4, 4.8)):
    """A new, empty Figure (add axes with `add_subplot`)."""
    return Figure(figsize)


def show():
    """Show every figure made since the last call, in Jupyter, and forget them."""
    shown, _unshown[:] = list(_unshown), []
    try:
        from IPython.display import display
    except ImportError:  # not in IPython: nothing to show them in
        return
    for figure in shown:
        display(figure)


def close(figure=None):
    """Forget `figure` (default: all figures), so that `show()` does not show it."""
    if figure is None or figure == "all":
        _unshown.clear()
    elif figure in _unshown:
        _unshown.remove(figure)


# --- the figure ------------------------------------------------------------------


class Figure:
    """A figure of plots drawn as SVG: `svg()`, and inline in Jupyter."""

    def __init__(self, figsize=(6.4, 4.8)):
        self.width = round(figsize[0] * PX_PER_INCH)
        self.height = round(figsize[1] * PX_PER_INCH)
        self.axes = []  # in the order made, twins included
        _unshown.append(self)

    def add_subplot(self, nrows=1, ncols=1, index=1):
        """The Axes in cell `index` (from 1, row by row) of an nrows x ncols grid."""
        row, col = divmod(index - 1, ncols)
        cell = (col * self.width / ncols, row * self.height / nrows, self.width / ncols, self.height / nrows)
        axes = Axes(self, cell)
        self.axes.append(axes)
        return axes

    def _repr_svg_(self):
        return self.svg()

    def description(self):
        """What the figure shows, in words: each plot's title, axes and key (its aria-label)."""
        shown = [axes._description() for axes in self.axes if axes._twin_of is None]
        shown = [text for text in shown if text]
        if len(shown) == 1:
            return f"A plot: {shown[0]}."
        names = ["Left", "Right"] if len(shown) == 2 else [f"Plot {n}" for n in range(1, len(shown) + 1)]
        return f"{len(shown)} plots side by side. " + " ".join(f"{name}: {text}." for name, text in zip(names, shown))

    def svg(self):
        """The figure as an SVG document (text)."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" aria-label="{html.escape(self.description())}" '
            f'style="max-width:100%;height:auto" font-family="{FONT}" font-size="{FONT_SIZE}">',
            f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>',
        ]
        for axes in self.axes:
            if axes._twin_of is None:
                parts.append(axes._svg())
        parts.append("</svg>")
        return "\n".join(parts)


class Axes:
    """One plot of a Figure: its data, labels and scales, set as on matplotlib's Axes."""

    def __init__(self, figure, cell, twin_of=None):
        self.figure = figure
        self._cell = cell
        self._twin_of = twin_of
        self._twin = None
        self._lines = []  # dicts: xs, ys, color, marker, dashes, width, label
        self._points = []  # dicts: xs, ys, colors, radius, edge, edge_width, label
        self._fills = []  # (xs, ys, z, levels, colors)
        self._contours = []  # (xs, ys, z, levels, colors, width)
        self._title = self._xlabel = self._ylabel = ""
        self._ylabel_color = None
        self._yscale = "linear"
        self._xlim = self._ylim = None
        self._xticks = None
        self._grid = None  # the grid's opacity, when drawn
        self._legend = False
        self._equal = False
        self._shared_y = [self]
        self._shared_x = [self]
        self._y_tick_labels = True
        self._colors = itertools.cycle(CYCLE)

    # --- what is plotted ---

    def plot(self, *args, color=None, label=None, linewidth=1.5, linestyle=None, marker=None, markersize=6, **ignored):
        """A line through the points: plot(ys), plot(xs, ys) or plot(xs, ys, fmt) with fmt such as "o-"."""
        fmt = args[-1] if args and isinstance(args[-1], str) else ""
        data = [list(values) for values in args[: len(args) - bool(fmt)]]
        xs, ys = data if len(data) == 2 else (list(range(len(data[0]))), data[0])
        fmt_marker = next((c for c in fmt if c in MARKERS), None)
        fmt_line = next((style for style in ("--", "-.", "-", ":") if style in fmt), None)
        fmt_color = next((c for c in fmt if c in "bgrcmykw"), None)
        marker = marker or fmt_marker
        style = linestyle or fmt_line or (None if marker else "-")
        self._lines.append({
            "xs": [float(x) for x in xs], "ys": [float(y) for y in ys],
            "color": _color(color or fmt_color or next(self._colors)), "marker": marker,
            "markersize": markersize, "line": style not in (None, "", "None", "none"),
            "dashes": LINE_STYLES.get(style), "width": linewidth, "label": label,
        })  # fmt: skip
        return []

    def scatter(self, xs, ys, s=20, c=None, color=None, edgecolors=None, linewidths=None, label=None, **ignored):
        """Points at (xs, ys): `c` one colour or one per point; `s` their area in points², as matplotlib's."""
        xs, ys = [float(x) for x in xs], [float(y) for y in ys]
        c = c if c is not None else color
        colors = [_color(one) for one in c] if isinstance(c, (list, tuple)) else [_color(c or next(self._colors))] * len(xs)
        self._points.append({
            "xs": xs, "ys": ys, "colors": colors, "radius": math.sqrt(s) / 2 * PX_PER_INCH / 72,
            "edge": _color(edgecolors) if edgecolors not in (None, "face", "none") else None,
            "edge_width": 1.0 if linewidths is None else float(linewidths), "label": label,
        })  # fmt: skip
        return []

    def contourf(self, xs, ys, z, levels, colors):
        """The plane coloured by band: colors[k] where levels[k] <= z < levels[k + 1]; z[i][j] is at (xs[j], ys[i])."""
        self._fills.append(([float(x) for x in xs], [float(y) for y in ys], z, list(levels), [_color(c) for c in _listed(colors, len(levels) - 1)]))
        return []

    def contour(self, xs, ys, z, levels, colors="k", linewidths=1.5):
        """The lines where z crosses each of `levels`; z[i][j] is at (xs[j], ys[i])."""
        self._contours.append(([float(x) for x in xs], [float(y) for y in ys], z, list(levels), [_color(c) for c in _listed(colors, len(levels))], linewidths))
        return []

    def twinx(self):
        """A second Axes on the same plot, sharing its x axis, with its y axis on the right."""
        twin = Axes(self.figure, self._cell, twin_of=self)
        twin._colors = self._colors
        self._twin = twin
        self.figure.axes.append(twin)
        return twin

    # --- how it is shown ---

    def set_title(self, text, **ignored):
        self._title = str(text)

    def set_xlabel(self, text, **ignored):
        self._xlabel = str(text)

    def set_ylabel(self, text, color=None, **ignored):
        self._ylabel = str(text)
        self._ylabel_color = _color(color) if color else None

    def set_yscale(self, scale):
        if scale not in ("linear", "log"):
            raise ValueError(f"set_yscale: only 'linear' and 'log' are drawn here, not {scale!r}")
        self._yscale = scale

    def get_yscale(self):
        return self._yscale

    def set_xlim(self, low=None, high=None):
        self._xlim = (low, high)

    def set_ylim(self, low=None, high=None):
        self._ylim = (low, high)

    def set_xticks(self, ticks):
        self._xticks = [float(t) for t in ticks]

    def set_aspect(self, aspect):
        self._equal = aspect == "equal"

    def grid(self, visible=True, which="major", alpha=1.0, **ignored):
        self._grid = alpha if visible else None

    def legend(self, **ignored):
        self._legend = True

    def get_title(self):
        return self._title

    def get_xlabel(self):
        return self._xlabel

    def get_ylabel(self):
        return self._ylabel

    # --- drawing ---

    def _description(self):
        parts = [f"“{_plain(self._title)}”"] if self._title else []
        if self._xlabel:
            parts.append(f"Across: {_plain(self._xlabel)}")
        for axes, side in ((self, "Up"), (self._twin, "On the right")):
            if axes is not None and axes._ylabel:
                scale = " (log scale)" if axes._yscale == "log" and "log" not in axes._ylabel else ""
                parts.append(f"{side}: {_plain(axes._ylabel)}{scale}")
        labels = [entry["label"] for entry in self._keyed()]
        if self._legend and labels:
            parts.append("Key: " + "; ".join(_plain(label) for label in labels))
        return ". ".join(parts)

    def _keyed(self):
        return [entry for entry in self._lines + self._points if entry["label"]]

    def _box(self):
        """The plot's rectangle (x, y, width, height) in the figure, room left for its labels."""
        x, y, width, height = self._cell
        left = (34 if self._ylabel else 14) + (46 if self._y_tick_labels else 6)
        right = 70 if self._twin is not None else 16
        top = 30 if self._title else 12
        bottom = 50 if self._xlabel else 30
        return x + left, y + top, max(width - left - right, 20), max(height - top - bottom, 20)

    def _x_limits(self):
        if self._xlim and None not in self._xlim:
            return tuple(map(float, self._xlim))
        group = [a for axes in self._shared_x for a in (axes, axes._twin) if a is not None]
        return _limits(group, "x", "linear")

    def _y_limits(self):
        if self._ylim and None not in self._ylim:
            low, high = map(float, self._ylim)
            return (math.log10(low), math.log10(high)) if self._yscale == "log" else (low, high)
        return _limits(self._shared_y, "y", self._yscale)

    def _svg(self):
        box_x, box_y, box_w, box_h = self._box()
        x_low, x_high = self._x_limits()
        y_low, y_high = self._y_limits()
        if self._equal:  # one unit as long across as up: the box shrinks, centred
            scale = min(box_w / (x_high - x_low), box_h / (y_high - y_low))
            new_w, new_h = scale * (x_high - x_low), scale * (y_high - y_low)
            box_x, box_y, box_w, box_h = box_x + (box_w - new_w) / 2, box_y + (box_h - new_h) / 2, new_w, new_h
        frame = _Frame(box_x, box_y, box_w, box_h, (x_low, x_high), (y_low, y_high), self._yscale == "log")
        clip = f"stepgrad-plot-{next(_ids)}"
        parts = [f'<clipPath id="{clip}"><rect x="{box_x:.1f}" y="{box_y:.1f}" width="{box_w:.1f}" height="{box_h:.1f}"/></clipPath>']
        x_ticks = self._xticks if self._xticks is not None else _ticks(x_low, x_high, box_w)
        y_ticks = _log_ticks(y_low, y_high) if self._yscale == "log" else _ticks(y_low, y_high, box_h)
        if self._grid is not None:
            parts.append(_grid_lines(frame, x_ticks, y_ticks, self._grid))
        parts.append(f'<g clip-path="url(#{clip})">')
        parts += [_filled(frame, *fill) for fill in self._fills]
        parts += [_contour_lines(frame, *lines) for lines in self._contours]
        twin_frame = None
        if self._twin is not None:
            twin_low, twin_high = self._twin._y_limits()
            twin_frame = _Frame(box_x, box_y, box_w, box_h, (x_low, x_high), (twin_low, twin_high), self._twin._yscale == "log")
        for axes, its_frame in ((self, frame), (self._twin, twin_frame)):
            if axes is not None:
                parts += [_line(its_frame, line) for line in axes._lines]
                parts += [_scatter(its_frame, points) for points in axes._points]
        parts.append("</g>")
        parts.append(f'<rect x="{box_x:.1f}" y="{box_y:.1f}" width="{box_w:.1f}" height="{box_h:.1f}" fill="none" stroke="#000000" stroke-width="0.8"/>')
        parts.append(_x_axis(frame, x_ticks, self._xlabel))
        parts.append(_y_axis(frame, y_ticks, self._ylabel, self._ylabel_color, "left", self._y_tick_labels))
        if self._twin is not None:
            twin = self._twin
            twin_ticks = _log_ticks(*twin_frame.y_range) if twin._yscale == "log" else _ticks(*twin_frame.y_range, box_h)
            parts.append(_y_axis(twin_frame, twin_ticks, twin._ylabel, twin._ylabel_color, "right", True))
        if self._title:
            parts.append(_text(box_x + box_w / 2, box_y - 9, self._title, size=FONT_SIZE + 1, anchor="middle"))
        if self._legend and self._keyed():
            parts.append(_legend(frame, self._keyed(), [a for a in (self, self._twin) if a is not None]))
        return "\n".join(parts)


# --- scales, limits and ticks ------------------------------------------------------


class _Frame:
    """Data coordinates to the figure's pixels; y limits are log10 of the data on a log axis."""

    def __init__(self, x, y, width, height, x_range, y_range, log):
        self.x, self.y, self.width, self.height = x, y, width, height
        self.x_range, self.y_range, self.log = x_range, y_range, log

    def px(self, value):
        low, high = self.x_range
        return self.x + (value - low) / (high - low) * self.width

    def py(self, value):
        low, high = self.y_range
        if self.log:
            value = math.log10(value) if value > 0 else low - (high - low)  # 0 and below: off the bottom
        return self.y + self.height - (value - low) / (high - low) * self.height


def _limits(group, axis, scale):
    """The range of `axis` over the data of the Axes in `group`, with matplotlib's 5% margin on each side;
    filled contours fix the range to their grid (no margin), as matplotlib does."""
    values, fixed = [], []
    for axes in group:
        for entry in axes._lines + axes._points:
            values += entry["xs" if axis == "x" else "ys"]
        for xs, ys, *_ in axes._fills + axes._contours:
            fixed += [min(xs), max(xs)] if axis == "x" else [min(ys), max(ys)]
    if scale == "log":
        values = [math.log10(v) for v in values if v > 0 and math.isfinite(v)]
        fixed = [math.log10(v) for v in fixed if v > 0]
    values = [v for v in values if math.isfinite(v)]
    if fixed:
        return min(fixed + values), max(fixed + values)
    if not values:
        return (0.0, 1.0)
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 0.5, high + 0.5
    margin = 0.05 * (high - low)
    return low - margin, high + margin


def _ticks(low, high, length):
    """Round-numbered ticks (steps of 1, 2, 2.5 or 5 times a power of 10) in [low, high], about one per 70 px."""
    wanted = max(2, min(9, int(length // 70)))
    raw = (high - low) / wanted
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw)
    first = math.ceil(low / step - 1e-9)
    ticks = [k * step for k in range(first, math.floor(high / step + 1e-9) + 1)]
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def _log_ticks(low, high):
    """Ticks of a log axis (its range in log10): the powers of 10 in it, every second or third one when
    there are many; with 1, 2 and 5 times them when fewer than two fit.  Returned as log10 values."""
    decades = list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))
    if len(decades) >= 2:
        every = 1 if len(decades) <= 8 else 2 if len(decades) <= 16 else 3
        return [d for d in decades if d % every == 0]
    return [math.log10(m * 10**d) for d in range(math.floor(low) - 1, math.ceil(high) + 1) for m in (1, 2, 5)
            if low - 1e-9 <= math.log10(m * 10**d) <= high + 1e-9]  # fmt: skip


def _tick_label(value, ticks):
    """A linear tick's label: as few decimals as the step needs, a minus sign for negatives."""
    step = min((abs(b - a) for a, b in zip(ticks, ticks[1:])), default=1.0) or 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1  # a step of 2.5, 0.25, ...
    text = f"{value:.{decimals}f}"
    return text.replace("-", "−") if value < 0 and float(text) != 0 else text.lstrip("-")


def _log_tick_label(exponent):
    """A log tick's label: 10 to a whole power as 10 with a raised exponent, else the number."""
    if abs(exponent - round(exponent)) < 1e-9:
        power = str(round(exponent)).replace("-", "−")
        return [("10", 0), (power, 1)]
    value = 10**exponent
    return [(f"{value:.10g}", 0)]


# --- SVG pieces ----------------------------------------------------------------------


def _grid_lines(frame, x_ticks, y_ticks, alpha):
    lines = [f'M{frame.px(t):.1f},{frame.y:.1f}V{frame.y + frame.height:.1f}' for t in x_ticks]
    lines += [f'M{frame.x:.1f},{_y_at(frame, t):.1f}H{frame.x + frame.width:.1f}' for t in y_ticks]
    return f'<path d="{"".join(lines)}" stroke="#b0b0b0" stroke-opacity="{alpha}" stroke-width="0.8" fill="none"/>'


def _y_at(frame, tick):
    """The pixel row of a y tick (a log axis's ticks are log10 values)."""
    return frame.py(10**tick) if frame.log else frame.py(tick)


def _x_axis(frame, ticks, label):
    bottom = frame.y + frame.height
    parts = [f'<path d="{"".join(f"M{frame.px(t):.1f},{bottom:.1f}v4" for t in ticks)}" stroke="#000000" stroke-width="0.8"/>']
    for t in ticks:
        parts.append(_text(frame.px(t), bottom + 17, _tick_label(t, ticks), anchor="middle"))
    if label:
        parts.append(_text(frame.x + frame.width / 2, bottom + 38, label, anchor="middle"))
    return "\n".join(parts)


def _y_axis(frame, ticks, label, color, side, tick_labels):
    edge = frame.x if side == "left" else frame.x + frame.width
    out = -1 if side == "left" else 1
    parts = [f'<path d="{"".join(f"M{edge:.1f},{_y_at(frame, t):.1f}h{4 * out}" for t in ticks)}" stroke="#000000" stroke-width="0.8"/>']
    anchor = "end" if side == "left" else "start"
    widest = 0
    for t in ticks:
        text = _log_tick_label(t) if frame.log else [(_tick_label(t, ticks), 0)]
        widest = max(widest, _width(text))
        if tick_labels:
            parts.append(_runs(edge + 7 * out, _y_at(frame, t) + 4, text, anchor=anchor))
    if label:
        x = edge + out * ((widest + 16) if tick_labels else 10) + (FONT_SIZE if side == "right" else 0)  # glyphs lie left of x
        y = frame.y + frame.height / 2
        parts.append(_text(x, y, label, anchor="middle", color=color, rotate=-90))
    return "\n".join(parts)


def _line(frame, line):
    points = [(frame.px(x), frame.py(y)) for x, y in zip(line["xs"], line["ys"]) if math.isfinite(y)]
    parts = []
    if line["line"] and len(points) > 1:
        dashes = f' stroke-dasharray="{line["dashes"]}"' if line["dashes"] else ""
        path = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<path d="{path}" fill="none" stroke="{line["color"]}" stroke-width="{line["width"]}"{dashes} stroke-linejoin="round"/>')
    if line["marker"]:
        size = line["markersize"] * PX_PER_INCH / 72 / 2
        parts += [_marker(line["marker"], x, y, size, line["color"]) for x, y in points]
    return "\n".join(parts)


def _marker(kind, x, y, r, color, edge=None, edge_width=0.0):
    stroke = f' stroke="{edge}" stroke-width="{edge_width}"' if edge else ""
    if kind == "s":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{color}"{stroke}/>'
    if kind in "^v":
        tip = -1 if kind == "^" else 1
        corners = [(x, y + tip * r * 1.2), (x - r * 1.1, y - tip * r * 0.8), (x + r * 1.1, y - tip * r * 0.8)]
        return f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in corners)}" fill="{color}"{stroke}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{color}"{stroke}/>'


def _scatter(frame, points):
    return "\n".join(
        _marker("o", frame.px(x), frame.py(y), points["radius"], color, points["edge"], points["edge_width"])
        for x, y, color in zip(points["xs"], points["ys"], points["colors"])
    )


def _filled(frame, xs, ys, z, levels, colors):
    """contourf: each grid cell split along the level lines (values interpolated along its edges, as
    `_contour_lines` does), the parts filled with their band's colour; whole cells joined along rows."""
    parts = []
    for i in range(len(ys) - 1):
        run = None  # (colour, first column) of cells wholly in one band, drawn as one rectangle
        for j in range(len(xs) - 1):
            corners = [(xs[j], ys[i], z[i][j]), (xs[j + 1], ys[i], z[i][j + 1]), (xs[j + 1], ys[i + 1], z[i + 1][j + 1]), (xs[j], ys[i + 1], z[i + 1][j])]
            bands = {_band(v, levels) for _, _, v in corners}
            whole = colors[bands.pop()] if len(bands) == 1 and None not in bands else None
            if run and run[0] != whole:
                parts.append(_cells(frame, xs, ys, i, run[1], j, run[0]))
                run = None
            if whole:
                run = run or (whole, j)
                continue
            for k, color in enumerate(colors):
                polygon = _clip(_clip(corners, levels[k], above=True), levels[k + 1], above=False)
                if len(polygon) >= 3:
                    points = " ".join(f"{frame.px(x):.1f},{frame.py(y):.1f}" for x, y, _ in polygon)
                    parts.append(f'<polygon points="{points}" fill="{color}" stroke="{color}" stroke-width="0.5"/>')
        if run:
            parts.append(_cells(frame, xs, ys, i, run[1], len(xs) - 1, run[0]))
    return "\n".join(parts)


def _cells(frame, xs, ys, i, first, end, color):
    left, right = frame.px(xs[first]), frame.px(xs[end])
    top, bottom = frame.py(ys[i + 1]), frame.py(ys[i])
    return f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" height="{bottom - top:.1f}" fill="{color}" stroke="{color}" stroke-width="0.5"/>'


def _band(value, levels):
    """The k with levels[k] <= value < levels[k + 1], or None outside them all."""
    for k in range(len(levels) - 1):
        if levels[k] <= value < levels[k + 1]:
            return k
    return None


def _clip(polygon, level, above):
    """The part of `polygon` (vertices (x, y, value), the value linear along each edge) where
    value >= level (`above`) or value < level."""
    def inside(v):
        return v >= level if above else v < level

    kept = []
    for (x0, y0, v0), (x1, y1, v1) in zip(polygon, polygon[1:] + polygon[:1]):
        if inside(v0):
            kept.append((x0, y0, v0))
        if inside(v0) != inside(v1):
            t = (level - v0) / (v1 - v0)
            kept.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0), level))
    return kept


def _contour_lines(frame, xs, ys, z, levels, colors, width):
    """contour: marching squares, the crossing on each cell edge found by linear interpolation."""
    parts = []
    for level, color in zip(levels, itertools.cycle(colors)):
        segments = []
        for i in range(len(ys) - 1):
            for j in range(len(xs) - 1):
                corners = [(xs[j], ys[i], z[i][j]), (xs[j + 1], ys[i], z[i][j + 1]), (xs[j + 1], ys[i + 1], z[i + 1][j + 1]), (xs[j], ys[i + 1], z[i + 1][j])]
                crossings = []
                for (x0, y0, v0), (x1, y1, v1) in zip(corners, corners[1:] + corners[:1]):
                    if (v0 >= level) != (v1 >= level):
                        t = (level - v0) / (v1 - v0)
                        crossings.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
                if len(crossings) == 4:  # a saddle: pair the crossings by the cell's mean value
                    centre_above = sum(v for _, _, v in corners) / 4 >= level
                    corner_above = corners[0][2] >= level
                    order = [0, 1, 2, 3] if centre_above == corner_above else [0, 3, 1, 2]
                    crossings = [crossings[k] for k in order]
                for a, b in zip(crossings[::2], crossings[1::2]):
                    segments.append(f"M{frame.px(a[0]):.1f},{frame.py(a[1]):.1f}L{frame.px(b[0]):.1f},{frame.py(b[1]):.1f}")
        if segments:
            parts.append(f'<path d="{"".join(segments)}" fill="none" stroke="{color}" stroke-width="{width}" stroke-linecap="round"/>')
    return "\n".join(parts)


def _legend(frame, entries, all_axes):
    """The key, in the corner of the plot that covers the fewest of its points (matplotlib's "best")."""
    line_height = FONT_SIZE + 6
    width = 38 + max(_width(_math_runs(entry["label"])) for entry in entries)
    height = 8 + line_height * len(entries)
    drawn = []
    for axes in all_axes:
        y_frame = frame if axes is all_axes[0] else _Frame(frame.x, frame.y, frame.width, frame.height, frame.x_range, axes._y_limits(), axes._yscale == "log")
        for entry in axes._lines + axes._points:
            drawn += [(y_frame.px(x), y_frame.py(y)) for x, y in zip(entry["xs"], entry["ys"]) if math.isfinite(y)]
    corners = [(frame.x + frame.width - width - 8, frame.y + 8), (frame.x + 8, frame.y + 8),
               (frame.x + 8, frame.y + frame.height - height - 8), (frame.x + frame.width - width - 8, frame.y + frame.height - height - 8)]  # fmt: skip

    def covered(corner):
        left, top = corner
        return sum(left - 4 <= x <= left + width + 4 and top - 4 <= y <= top + height + 4 for x, y in drawn)

    left, top = min(corners, key=covered)
    parts = [f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>']
    for n, entry in enumerate(entries):
        y = top + 4 + line_height * (n + 0.5)
        if "marker" in entry:  # a line
            if entry["line"]:
                dashes = f' stroke-dasharray="{entry["dashes"]}"' if entry["dashes"] else ""
                parts.append(f'<path d="M{left + 6:.1f},{y:.1f}h22" stroke="{entry["color"]}" stroke-width="{entry["width"]}"{dashes}/>')
            if entry["marker"]:
                parts.append(_marker(entry["marker"], left + 17, y, entry["markersize"] * PX_PER_INCH / 72 / 2, entry["color"]))
        else:  # points
            parts.append(_marker("o", left + 17, y, max(entry["radius"], 3), entry["colors"][0], entry["edge"], entry["edge_width"]))
        parts.append(_text(left + 34, y + 4, entry["label"]))
    return "\n".join(parts)


# --- text ------------------------------------------------------------------------------


def _math_runs(text):
    """`text` as runs (text, raise): raise 1 for a superscript, -1 for a subscript, 0 on the line.
    TeX between $...$ becomes text: commands by `TEX`, x_1 and x^{2} lowered or raised."""
    runs = []
    for n, part in enumerate(re.split(r"(?<!\\)\$", str(text))):
        if n % 2 == 0:
            runs.append((part.replace(r"\$", "$"), 0))
            continue
        math_text = re.sub(r"(\\[A-Za-z]+|\\[,!]) ?", lambda found: TEX.get(found.group(1), found.group(1)[1:]), part)
        for piece in re.finditer(r"([_^])(\{[^}]*\}|.)|([^_^]+)", math_text):
            if piece.group(3) is not None:
                runs.append((piece.group(3).replace("{", "").replace("}", ""), 0))
            else:
                runs.append((piece.group(2).strip("{}"), 1 if piece.group(1) == "^" else -1))
    return [(text, shift) for text, shift in runs if text]


def _plain(text):
    """`text` with its TeX made plain, for descriptions: "$\\partial L$" -> "∂L", "$x_1$" -> "x1"."""
    return "".join(run for run, _ in _math_runs(text))


def _width(runs, size=FONT_SIZE):
    """About how wide the runs are drawn, in px."""
    return sum(len(text) * size * (0.6 if shift == 0 else 0.45) for text, shift in runs)


def _runs(x, y, runs, size=FONT_SIZE, anchor="start", color=None, rotate=0):
    """An SVG <text> of runs; raised and lowered runs smaller, moved by `dy` (which every browser draws)."""
    fill = f' fill="{color}"' if color else ""
    turn = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
    spans, level = [], 0.0
    for text, shift in runs:
        offset = -0.4 * size * shift
        small = f' font-size="{size * 0.75:.1f}"' if shift else ""
        spans.append(f'<tspan dy="{offset - level:.1f}"{small}>{html.escape(text)}</tspan>')
        level = offset
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{fill}{turn}>{"".join(spans)}</text>'


def _text(x, y, text, size=FONT_SIZE, anchor="start", color=None, rotate=0):
    return _runs(x, y, _math_runs(text), size, anchor, color, rotate)


def _color(color):
    return COLORS.get(color, color) if isinstance(color, str) else "#000000"


def _listed(colors, count):
    """`colors` (one colour or a list) as a list of `count` colours, repeated as needed."""
    colors = [colors] if isinstance(colors, str) else list(colors)
    return [colors[k % len(colors)] for k in range(count)]
