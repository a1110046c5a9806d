"""Seed 004 (lecture slides): the same ReLU neuron when it is clipped (w·x + b <= 0).

For z = w·x + b <= 0 the activation is max(0, z) = 0 whatever the weights do nearby,
so every derivative is zero: the local derivative of max(0, z) is 0 and every path
product through it vanishes.

Run:  python examples/neuron_inactive.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

w = np.array([0.5, -0.25, 1.0])
x = np.array([1.0, 2.0, 0.5])
b = -1.0
g = gs.parse("z = dot(w, x) + b; activation = max(0, z)", w=w, x=x, b=b)
z = w @ x + b
print(f"z = w·x + b = {z:.10g} <= 0, so the neuron is clipped")
show("value activation", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

closed = {"w": np.zeros(3), "x": np.zeros(3), "b": 0.0}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"d activation/d{name}", gs.grad(g, name), value)

save_pictures(g, "neuron_inactive", mode="reverse")
