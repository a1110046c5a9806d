"""Seed 000 (blog): the gradient of linear regression, X^T (X θ - y) / m.

J(θ) = 1/(2m) (Xθ - y)^T (Xθ - y) with m = 4 samples. Treating it as a scalar,
dJ/dθ = 1/(2m) · 2 (Xθ - y) · X; making the shapes match ((n+1) x 1) gives
1/m X^T (Xθ - y).

Run:  python examples/linear_regression.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

X = np.column_stack([np.ones(4), np.random.default_rng(16).normal(size=(4, 2))])  # bias column
th = np.array([0.5, -1.0, 2.0])
y = np.array([1.0, 2.0, 0.0, -1.0])
m = len(y)
g = gs.parse("J = sum((X @ th - y)^2) / (2*4)", X=X, th=th, y=y)
show("value J", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

residual = X @ th - y
closed = {"th": X.T @ residual / m,                 # the seed's 1/m X^T (X θ - y)
          "X": np.outer(residual, th) / m, "y": -residual / m}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dJ/d{name}", gs.grad(g, name), value)

save_pictures(g, "linear_regression", mode="reverse")
