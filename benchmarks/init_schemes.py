"""Which initial weights train MLP(2, [16, 16, 1]) on moons best?

Trains with micrograd's recipe (hinge + 1e-4 L2, SGD with lr 1.0 - 0.9 k/100,
100 full-batch steps on 100 moons, noise 0.1) for seeds 0..N-1 and each init
scheme, and prints the final training loss and accuracy.  Seed s draws both
the data set and the initial weights, so the figures average over both.

    .venv/bin/python benchmarks/init_schemes.py [N] [scheme ...]

The latest figures, and why "uniform" is `nn.MLP`'s default, are in
benchmarks/README.md.
"""

import statistics
import sys

from nn.init import SCHEMES
from nn.recipe import train_classifier


def final_scores(init, seed):
    run = train_classifier(seed=seed, init=init, progress=False)
    return run.loss, run.accuracy


def main():
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    schemes = sys.argv[2:] or SCHEMES
    for init in schemes:
        scores = [final_scores(init, seed) for seed in range(n_seeds)]
        losses = [loss for loss, _ in scores]
        accuracies = [acc for _, acc in scores]
        print(
            f"{init:<8} accuracy mean {statistics.mean(accuracies):.4f} min {min(accuracies):.2f} "
            f"at 100%: {accuracies.count(1.0)}/{n_seeds}  "
            f"loss mean {statistics.mean(losses):.4f} max {max(losses):.4f}  "
            f"per seed {' '.join(f'{a:.2f}' for a in accuracies)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
