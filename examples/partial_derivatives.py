"""Seed 004 (lecture slides): partial derivatives and the gradient of f(x, y) = 3x^2 (2y + 7).

Holding y fixed, df/dx = 6x(2y + 7); holding x fixed, df/dy = 6x^2. The gradient is
the row [6x(2y + 7), 6x^2]. Reverse accumulation gets both partials in one backward
sweep.

Run:  python examples/partial_derivatives.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

x, y = 1.0, 2.0
g = gs.parse("f = 3*x^2*(2*y + 7)", x=x, y=y)
show("value f", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

closed = {"x": 6 * x * (2 * y + 7), "y": 6 * x**2}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"df/d{name}", gs.grad(g, name), value)
print("grad f =", np.array([closed["x"], closed["y"]]))

save_pictures(g, "partial_derivatives", mode="reverse")
