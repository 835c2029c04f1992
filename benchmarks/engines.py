"""One adapter per engine: leaves, relu, backward and the SGD update.

Each adapter runs the shared workloads of `workloads.py`:

- `model(weights)` -> a `Model` (forward function and parameters) from the shared floats;
- `step(model, points, labels, lr)`: forward, backward, SGD update, and
  the graph dropped on return; gives back the loss as a float;
- `chain(depth)` and `wide(n)`: forward + backward;
- `graph(model, points, labels)` and `count_nodes(root)` for bytes per node;
- `prepare(model, points, labels)`: untimed work before the first step.
"""

import random
from functools import partial

import tape_floor
from workloads import chain_output, mlp, mlp_loss, wide_output


class Model:
    """A network (`forward(x)` gives its output for one point) and its parameters."""

    def __init__(self, forward, parameters):
        self.forward, self.parameters = forward, parameters


def _relu_float(a):
    return a if a > 0.0 else 0.0


class ScalarEngine:
    """An engine whose scalars have `.data`, `.grad` and `.backward()`."""

    name = ""
    Value = None

    def leaf(self, x):
        return self.Value(x)

    def relu(self, a):
        return a.relu()

    def model(self, weights):
        layers = [[([self.parameter(w) for w in ws], self.parameter(b)) for ws, b in layer] for layer in weights]
        parameters = [p for layer in layers for ws, b in layer for p in (*ws, b)]
        return Model(lambda x: mlp(layers, x, self.relu), parameters)

    def parameter(self, x):
        return self.leaf(x)

    def prepare(self, model, points, labels):
        pass

    def graph(self, model, points, labels):
        return mlp_loss(model.forward, model.parameters, points, labels, self.leaf, self.relu)

    def step(self, model, points, labels, lr):
        loss = self.graph(model, points, labels)
        parameters = model.parameters
        for p in parameters:
            p.grad = 0.0
        loss.backward()
        for p in parameters:
            p.data -= lr * p.grad
        return float(loss.data)

    def chain(self, depth):
        x = self.parameter(1.0)
        chain_output(x, depth).backward()
        return float(x.grad)  # float() reads a 0-d tensor too

    def wide(self, n):
        rng = random.Random(n)
        ws = [self.parameter(rng.uniform(-1.0, 1.0)) for _ in range(n)]
        xs = [self.leaf(rng.uniform(-1.0, 1.0)) for _ in range(n)]
        out = wide_output(ws, xs, self.parameter(0.5), self.relu)
        out.backward()
        return float(out.data)

    def count_nodes(self, root):
        """Distinct nodes reachable from `root`, leaves included."""
        seen, stack = {id(root)}, [root]
        while stack:
            for child in stack.pop()._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append(child)
        return len(seen)


class Stepgrad(ScalarEngine):
    """stepgrad, with its own `nn.MLP` as the model."""

    name = "stepgrad"

    def __init__(self):
        from autograd import Value

        self.Value = Value

    def model(self, weights):
        from nn import MLP

        net = MLP(len(weights[0][0][0]), [len(layer) for layer in weights])  # relu hidden, linear out
        parameters = net.parameters()
        flat = [w for layer in weights for ws, b in layer for w in (*ws, b)]
        for p, w in zip(parameters, flat, strict=True):  # both: each neuron's weights, then its bias
            p.data = w
        return Model(net, parameters)


class StepgradCompiled(Stepgrad):
    """stepgrad's `compile()`: the MLP step recorded once, replayed on floats.

    The model's parameters are the compiled function's inputs; the data
    points are baked in as constants, since they do not change between
    steps.  Chains and wide neurons are run once, so compiling them would
    not pay: they are not run here.
    """

    name = "stepgrad compiled"

    def prepare(self, model, points, labels):
        from autograd import compile

        model.replay = self.replay = compile(self.graph(model, points, labels), model.parameters)
        model.values = [p.data for p in model.parameters]

    def step(self, model, points, labels, lr):
        loss, grads = model.replay(*model.values)
        model.values = [v - lr * g for v, g in zip(model.values, grads)]
        return loss

    def chain(self, depth):
        raise NotImplementedError

    wide = chain

    def count_nodes(self, root):
        return None


class Micrograd(ScalarEngine):
    name = "micrograd"

    def __init__(self):
        from micrograd.engine import Value

        self.Value = Value


class TorchScalars(ScalarEngine):
    """PyTorch with one 0-d float64 tensor per scalar."""

    name = "PyTorch scalars"

    def __init__(self):
        import torch

        self.torch = torch

    def leaf(self, x):
        return self.torch.tensor(x, dtype=self.torch.float64)

    def parameter(self, x):
        return self.torch.tensor(x, dtype=self.torch.float64, requires_grad=True)

    def relu(self, a):
        return self.torch.relu(a)

    def step(self, model, points, labels, lr):
        parameters = model.parameters
        loss = self.graph(model, points, labels)
        loss.backward()
        with self.torch.no_grad():
            for p in parameters:
                p -= lr * p.grad
                p.grad = None
        return loss.item()

    def count_nodes(self, root):
        return None


class PlainFloats(ScalarEngine):
    """Python floats: the forward pass only, the floor for any scalar engine."""

    name = "plain floats"

    def leaf(self, x):
        return float(x)

    def relu(self, a):
        return _relu_float(a)

    def step(self, model, points, labels, lr):
        return self.graph(model, points, labels)

    def chain(self, depth):
        return chain_output(1.0, depth)

    def wide(self, n):
        rng = random.Random(n)
        ws = [rng.uniform(-1.0, 1.0) for _ in range(n)]
        xs = [rng.uniform(-1.0, 1.0) for _ in range(n)]
        return wide_output(ws, xs, 0.5, _relu_float)

    def count_nodes(self, root):
        return None


class TapeFloor:
    """The tape floor (`tape_floor.py`): integer handles and parallel lists, no object per node.

    Its model is the parameters as a list of floats (`nn.MLP`'s order);
    each step puts them on a fresh tape as its first leaves, so the
    parameter at index i has handle i.
    """

    name = "tape floor"

    def model(self, weights):
        shape = [len(weights[0][0][0])] + [len(layer) for layer in weights]
        parameters = [w for layer in weights for ws, b in layer for w in (*ws, b)]
        return Model(partial(tape_floor.mlp, tape_floor.parameter_layers(shape)), parameters)

    def prepare(self, model, points, labels):
        pass

    def graph(self, model, points, labels):
        tape = tape_floor.Tape()
        tape_floor.mlp_loss(tape, model.forward, model.parameters, points, labels)
        return tape

    def step(self, model, points, labels, lr):
        tape = self.graph(model, points, labels)
        loss = len(tape.values) - 1
        grads = tape.backward(loss)
        parameters = model.parameters
        for i, p in enumerate(parameters):
            parameters[i] = p - lr * grads[i]
        return tape.values[loss]

    def chain(self, depth):
        tape = tape_floor.Tape()
        leaf = tape.recorders()[0]
        x = leaf(1.0)
        grads = tape.backward(tape_floor.chain_output(tape, x, depth))
        return grads[x]

    def wide(self, n):
        rng = random.Random(n)
        tape = tape_floor.Tape()
        leaf = tape.recorders()[0]
        ws = [leaf(rng.uniform(-1.0, 1.0)) for _ in range(n)]
        xs = [leaf(rng.uniform(-1.0, 1.0)) for _ in range(n)]
        out = tape_floor.wide_output(tape, ws, xs, leaf(0.5))
        tape.backward(out)
        return tape.values[out]

    def count_nodes(self, tape):
        return len(tape.values)


def available_engines():
    """The engines that can be imported here, micrograd first."""
    engines = []
    for make in (Micrograd, Stepgrad, StepgradCompiled, TorchScalars, PlainFloats, TapeFloor):
        try:
            engines.append(make())
        except ImportError:
            pass
    return engines
