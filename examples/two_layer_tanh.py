"""Seed 002 (blog): a two-layer tanh network with a mean squared error.

Z_h = X W_h^T + b_h,  A_h = tanh(Z_h),  Z_out = A_h W_out^T + b_out,  A_out = tanh(Z_out),
L = 1/(3n) sum (A_out - Y)^2. The seed writes each gradient as a chain of Jacobians;
the tanh Jacobians are diagonal, diag(sech^2 z) = diag(1 - a^2), so the chain becomes
elementwise products and two matrix products.

Run:  python examples/two_layer_tanh.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs


def rng(seed):
    return np.random.default_rng(seed)


X = rng(6).normal(size=(4, 3))             # n = 4 samples, 3 features
Wh = rng(7).normal(size=(5, 3)) * 0.5      # 5 hidden units
bh = rng(8).normal(size=5) * 0.1
Wo = rng(9).normal(size=(3, 5)) * 0.5      # 3 outputs
bo = rng(10).normal(size=3) * 0.1
Y = rng(11).normal(size=(4, 3))
g = gs.parse("Z_h = X @ Wh.T + bh; A_h = tanh(Z_h); Z_out = A_h @ Wo.T + bo; A_out = tanh(Z_out); "
             "L = mean((A_out - Y)^2)",
             X=X, Wh=Wh, bh=bh, Wo=Wo, bo=bo, Y=Y)
show("value L", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

A_h = np.tanh(X @ Wh.T + bh)
A_out = np.tanh(A_h @ Wo.T + bo)
dL_dA_out = 2 * (A_out - Y) / Y.size                # 1/(3n) sum(...)^2
G_out = dL_dA_out * (1 - A_out**2)                  # through diag(sech^2 z_out)
G_h = (G_out @ Wo) * (1 - A_h**2)                   # through W_out, then diag(sech^2 z_h)
closed = {"Wo": G_out.T @ A_h, "bo": G_out.sum(axis=0), "Wh": G_h.T @ X, "bh": G_h.sum(axis=0),
          "X": G_h @ Wh, "Y": -dL_dA_out}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dL/d{name}", gs.grad(g, name), value)

save_pictures(g, "two_layer_tanh", mode="reverse")
