"""Seed 004 (lecture slides): the dot product as y = sum(w ⊗ x).

u = w ⊗ x (elementwise) has the diagonal Jacobian du/dw = diag(x); y = sum(u) has
dy/du = 1^T. So dy/dw = 1^T diag(x) = x^T and, the same way, dy/dx = w^T.

Run:  python examples/dot_product.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

w = np.array([0.5, -1.0, 2.0])
x = np.array([1.0, 2.0, 3.0])
g = gs.parse("u = w * x; y = sum(u)", w=w, x=x)
show("value y", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

# The seed: 1^T diag(x) = x^T, and 1^T diag(w) = w^T.
ones = np.ones(3)
closed = {"w": ones @ np.diag(x), "x": ones @ np.diag(w)}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dy/d{name}", gs.grad(g, name), value)

save_pictures(g, "dot_product", mode="reverse")
