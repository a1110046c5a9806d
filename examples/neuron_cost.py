"""Seed 004 (lecture slides): the neuron's mean squared cost over a batch.

C(w, b, X, y) = 1/N sum_i (y_i - max(0, w·x_i + b))^2. With u_i = max(0, z_i),
z_i = w·x_i + b and the error e_i = y_i - u_i, the seed derives

    dC/dw = -2/N sum_i e_i [z_i > 0] x_i^T,     dC/db = -2/N sum_i e_i [z_i > 0].

Run:  python examples/neuron_cost.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

y = np.array([1.0, 0.0, 2.0, 0.5])
X = np.random.default_rng(4).normal(size=(4, 3))      # N = 4 samples, 3 features
w = np.array([0.5, -0.3, 0.8])
b = 0.2
g = gs.parse("z = X @ w + b; u = max(0, z); v = y - u; C = mean(v^2)", y=y, X=X, w=w, b=b)
show("value C", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

N = len(y)
z = X @ w + b
active = (z > 0).astype(float)
e = y - np.maximum(z, 0)
closed = {"w": -2 / N * (e * active) @ X,
          "b": -2 / N * np.sum(e * active),
          "X": -2 / N * np.outer(e * active, w),
          "y": 2 / N * e}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dC/d{name}", gs.grad(g, name), value)

save_pictures(g, "neuron_cost", mode="reverse")
