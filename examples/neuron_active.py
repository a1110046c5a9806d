"""Seed 004 (lecture slides): a ReLU neuron, activation(x) = max(0, w·x + b), when it fires.

With z = w·x + b > 0 the max disappears: d activation/dw = x^T, d/dx = w^T and
d/db = 1 (the local derivative of max(0, z) is 1 for z > 0).

Run:  python examples/neuron_active.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

w = np.array([0.5, -0.25, 1.0])
x = np.array([1.0, 2.0, 0.5])
b = 0.1
g = gs.parse("z = dot(w, x) + b; activation = max(0, z)", w=w, x=x, b=b)
z = w @ x + b
print(f"z = w·x + b = {z:.10g} > 0, so the neuron is active")
show("value activation", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

closed = {"w": x, "x": w, "b": 1.0}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"d activation/d{name}", gs.grad(g, name), value)

save_pictures(g, "neuron_active", mode="reverse")
