"""`TrainingSession`: a network learning a 2-D data set one step at a time.

    session = TrainingSession("moons", hidden=(8, 8))
    session.step()                      # {"step": 1, "loss": 0.93, "accuracy": 0.55}
    session.decision_grid(bounds, 30)   # the network's score over the plane
    session.point_graph(0)              # point 0's loss as a graph, with grads

Made for a live view (the web page "Watch a network learn"): each step is
one full-batch step of micrograd's recipe (hinge loss + 1e-4 L2, SGD with
the learning rate falling from `lr` to `lr / 10` over 100 steps, then
staying there), and points can be added while it learns.
"""

from autograd.engine.gc_pause import cyclic_gc_paused
from autograd.engine.graph import all_nodes

from .checks import finite_number, positive_number, whole_number
from .data import DATASETS
from .layers import MLP
from .losses import hinge
from .optim import SGD
from .plot import bounds_around, decision_grid
from .train import History, accuracy, default_loss, eager_step

DECAY_STEPS = 100


class TrainingSession:
    """MLP(2, [*hidden, 1]) and its data, trained one `step()` at a time.

    `X` is a list of [x, y] points and `y` their 0/1 labels; `history`
    holds the loss and accuracy of every step (measured on the step's
    forward pass, before its update).  Bad input (a point that is not
    finite, a learning rate that is not a number > 0, a grid of fewer than
    2 points a side) raises an error naming it, and changes nothing.
    """

    def __init__(self, data="moons", hidden=(8, 8), n_samples=100, lr=1.0, seed=0):
        if data not in DATASETS:
            raise ValueError(f"unknown data set {data!r}; choose one of {', '.join(DATASETS)}")
        self.lr = positive_number("lr", lr)
        self.X, self.y = DATASETS[data](n_samples=n_samples, seed=seed)
        self.model = MLP(2, [*hidden, 1], seed=seed)
        self.optimizer = SGD(self.model.parameters(), lr=self.learning_rate)
        self.loss = default_loss(self.model)
        self.history = History()

    def learning_rate(self, k):
        """micrograd's schedule lr * (1 - 0.9 k / 100), held at lr / 10 from step 100 on."""
        return self.lr * max(0.1, 1.0 - 0.9 * k / DECAY_STEPS)

    @property
    def steps(self):
        return len(self.history)

    def step(self):
        """One training step on every point; returns {"step", "loss", "accuracy"} of its forward pass."""
        self.optimizer.zero_grad()
        with cyclic_gc_paused():
            loss, outputs = eager_step(self.model, self.X, self.y, self.loss)
        self.optimizer.step()
        self.history.record(loss, accuracy(outputs, self.y))
        return {"step": self.steps, "loss": loss, "accuracy": self.history.accuracy[-1]}

    def add_point(self, x, y, label):
        """Add the point (x, y) of class `label` (0 or 1) to the data; returns its index."""
        point = [finite_number("x", x), finite_number("y", y)]
        if label not in (0, 1):
            raise ValueError(f"label must be 0 or 1, got {label!r}")
        self.X.append(point)
        self.y.append(label)
        return len(self.X) - 1

    def bounds(self, margin=0.5):
        """(x_min, x_max, y_min, y_max) around the data, `margin` wider on each side."""
        return bounds_around(self.X, margin)

    def decision_grid(self, bounds, n):
        """The network's score at n x n points evenly over `bounds`: rows from y_min up, x_min to x_max.

        The scores of `nn.plot.decision_grid` over the box with these corners;
        a score > 0 means class 1.
        """
        names = ("x_min", "x_max", "y_min", "y_max")
        x_min, x_max, y_min, y_max = (finite_number(name, value) for name, value in zip(names, bounds))
        whole_number("n (the grid's points per side)", n, minimum=2)
        return decision_grid(self.model, [[x_min, y_min], [x_max, y_max]], n, margin=0.0)[2]

    def point_graph(self, index, max_nodes=400):
        """Point `index`'s hinge loss through the network now, backward done: a Value to draw.

        Its grads are d loss_i / d node for this one point; the parameters'
        grads then hold them too (the next `step()` zeroes them first).  A
        network too large to draw readably raises ValueError.
        """
        if not 0 <= index < len(self.X):
            raise IndexError(f"no point {index}: there are {len(self.X)}")
        loss = hinge([self.model(self.X[index])], [self.y[index]])
        loss.label = f"loss of point {index}"
        size = len(all_nodes(loss))
        if size > max_nodes:
            raise ValueError(
                f"point {index}'s graph has {size} Values, more than {max_nodes}: too many to draw readably; "
                f"choose smaller hidden layers (4,4 draws well)"
            )
        self.model.zero_grad()
        loss.backward()
        return loss

