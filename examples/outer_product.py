"""Seed 003 (blog): dL/dM for y = Mx and L = sum((t - y)^2) is an outer product.

The seed vectorises M: vec(y) = (x^T ⊗ I_m) vec(M), so dy/dvec(M) = x^T ⊗ I_m, and
with dL/dy = -2(t - y)^T the chain rule gives dL/dM = -2 (t - Mx) x^T, an outer
product with M's shape (the seed names the target g; here it is t).

Run:  python examples/outer_product.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs

t = np.array([1.0, 0.0, -1.0])
M = np.random.default_rng(3).normal(size=(3, 2))
x = np.array([1.0, 2.0])
g = gs.parse("y = M @ x; L = sum((t - y)^2)", t=t, M=M, x=x)
show("value L", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode

residual = t - M @ x
dL_dy = -2 * residual                               # a row vector, 1 x m
dy_dvecM = np.kron(x[None, :], np.eye(3))           # x^T ⊗ I_m, m x mn
dL_dvecM = dL_dy @ dy_dvecM                         # 1 x mn, vec stacks columns
closed = {"M": dL_dvecM.reshape(2, 3).T,            # un-vec: columns back in place
          "x": -2 * M.T @ residual, "t": 2 * residual}
print()
show("outer product -2 (t - Mx) x^T", -2 * np.outer(residual, x))
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dL/d{name}", gs.grad(g, name), value)

save_pictures(g, "outer_product", mode="paths", wrt="M")
