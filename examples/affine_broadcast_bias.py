"""Seed 001 (blog): score = XW + b, with the bias broadcast over the rows.

Dimension analysis: X is N x D, W is D x C, dL/dscore is N x C, so dL/dW must be
D x C = X^T dL/dscore; b is 1 x C but is added to every one of the N rows, so
dL/db sums dL/dscore over the rows. In the graph the broadcast of b is a node of
its own, and its backward is that sum. Here L = 0.5 sum((score - Y)^2), so
dL/dscore = score - Y.

Run:  python examples/affine_broadcast_bias.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

X = np.random.default_rng(1).normal(size=(4, 3))    # N = 4, D = 3
W = np.random.default_rng(2).normal(size=(3, 2))    # C = 2
b = np.array([0.1, -0.2])
Y = np.random.default_rng(5).normal(size=(4, 2))
g = gs.parse("score = X @ W + b; L = 0.5 * sum((score - Y)^2)", X=X, W=W, b=b, Y=Y)
show("value L", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

dscore = X @ W + b - Y                              # N x C
closed = {"W": X.T @ dscore,                        # (D x N)(N x C) = D x C
          "b": dscore.sum(axis=0),                  # summed over the N broadcast rows
          "X": dscore @ W.T, "Y": -dscore}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dL/d{name}", gs.grad(g, name), value)

save_pictures(g, "affine_broadcast_bias", mode="reverse")
