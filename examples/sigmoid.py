"""Seed 004 (lecture slides): the derivative of the sigmoid, σ'(x) = σ(x)(1 - σ(x)).

The sigmoid is one op, so its graph has one edge and the local derivative on it is
the whole answer.

Run:  python examples/sigmoid.py [OUTDIR]
"""

import numpy as np
from _common import agree, print_paths, save_pictures, show

import graphstep as gs

x = 0.3
g = gs.parse("sigmoid(x)", x=x)
show("value sigma", g.value)

print_paths(g, "x")
show("path sum x", gs.path_sum(g, "x"))
show("gradient x", gs.grad(g, "x"))
show("forward mode x", gs.forward_grad(g, "x"))

sigma = 1 / (1 + np.exp(-x))
closed = sigma * (1 - sigma)
show("closed form x", closed)
agree("dsigma/dx", gs.grad(g, "x"), closed)

save_pictures(g, "sigmoid", mode="local")
