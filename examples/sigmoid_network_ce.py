"""Seed 004 (lecture slides): a sigmoid network with cross entropy, elementwise weights.

u1 = w1 ⊗ x + b1, u2 = σ(u1), u3 = w2 ⊗ u2 + b2, u4 = σ(u3), cost = -sum(y ⊙ log u4).
Every Jacobian on the way is diagonal, so the backward pass is elementwise:
d cost/du4 = -y / u4, d/du3 = that · u4(1 - u4), d/dw2 = that · u2, and so on.

Run:  python examples/sigmoid_network_ce.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

values = {"y": np.array([0.0, 1.0, 0.0]), "w2": np.array([0.7, -1.2, 0.4]),
          "w1": np.array([0.3, 0.8, -0.5]), "x": np.array([1.0, -0.5, 2.0]),
          "b1": np.array([0.1, 0.0, -0.1]), "b2": np.array([0.2, 0.1, 0.0])}
g = gs.parse("u1 = w1 * x + b1; u2 = sigmoid(u1); u3 = w2 * u2 + b2; u4 = sigmoid(u3); "
             "cost = -sum(y * log(u4))", **values)
show("value cost", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


y, w1, b1, w2, b2, x = (values[k] for k in ("y", "w1", "b1", "w2", "b2", "x"))
u2 = sigmoid(w1 * x + b1)
u4 = sigmoid(w2 * u2 + b2)
d_u3 = (-y / u4) * u4 * (1 - u4)          # through the diagonal Jacobian of the outer sigmoid
d_u1 = d_u3 * w2 * u2 * (1 - u2)          # through w2 ⊗ and the inner sigmoid
closed = {"w2": d_u3 * u2, "b2": d_u3, "w1": d_u1 * x, "b1": d_u1, "x": d_u1 * w1,
          "y": -np.log(u4)}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dcost/d{name}", gs.grad(g, name), value)

save_pictures(g, "sigmoid_network_ce", mode="reverse")
