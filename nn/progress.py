"""`fit`'s progress bar, drawn only where it is redrawn in place, and `loss_text`.

On a terminal tqdm redraws one line with carriage returns, and in a
Jupyter kernel it draws a widget.  Written to a log file, a pipe or CI's
output, every frame would stay (about 200 for a 100-step run), so there
no bar is drawn.  Its last frame shows the trained model's loss and
accuracy, the numbers a line printed after training shows.  In a
notebook that frame is displayed again under the bar's display id, so a
saved notebook keeps the finished bar, not its first frame.
"""

import sys

from tqdm.auto import tqdm  # the widget bar in Jupyter, text on a terminal
from tqdm.notebook import tqdm_notebook

if sys.platform == "emscripten":  # Pyodide (JupyterLite, the site) starts no threads: no tqdm monitor thread
    tqdm.monitor_interval = 0


def loss_text(loss):
    """A loss for people: 4 decimals, or 4 significant digits and an
    exponent from 1e6 on (a diverged run's 1e170 is not 170 digits)."""
    return f"{loss:.4f}" if abs(loss) < 1e6 else f"{loss:.4g}"


def redraws_in_place():
    """Whether a bar drawn now replaces its frames: stderr is a terminal, or this runs in a Jupyter kernel."""
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    return type(shell).__name__ == "ZMQInteractiveShell" or _is_terminal(sys.stderr)


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty; a closed stream
        return False


class ProgressBar:
    """A tqdm bar over `steps` training steps, with each step's loss and accuracy;
    shown only if `show` and `redraws_in_place()`."""

    def __init__(self, steps, show=True):
        self.shown = bool(show) and redraws_in_place()
        widget = self.shown and issubclass(tqdm, tqdm_notebook)
        options = {"display": False} if widget else {}  # displayed below, with an id to update it by
        self.bar = tqdm(total=steps, desc="training", unit="step", disable=not self.shown, **options)
        self.display = _display_with_id(self.bar.container) if widget else None

    def step(self, loss, accuracy):
        """One step done: its batch's loss and accuracy."""
        self._scores(loss, accuracy)
        self.bar.update()

    def finish(self, loss=None, accuracy=None):
        """Close the bar, its last frame showing `loss` and `accuracy` if given (the trained model's)."""
        if loss is not None:
            self._scores(loss, accuracy)
        self.bar.close()
        if self.display:
            self.display.update(self.bar.container)

    def _scores(self, loss, accuracy):
        self.bar.set_postfix(loss=loss_text(loss), accuracy=f"{accuracy:.0%}", refresh=False)


def _display_with_id(widget):
    from IPython.display import display

    return display(widget, display_id=True)
