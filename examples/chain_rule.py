"""Seed 004 (lecture slides): the chain rule through intermediate variables.

y = ln(sin(x^3)^2). Name the pieces u1 = x^3, u2 = sin(u1), u3 = u2^2, y = ln(u3):
there is one path from x to y, and dy/dx is the product of the four local
derivatives on it, 6 x^2 cos(x^3) / sin(x^3).

Run:  python examples/chain_rule.py [OUTDIR]
"""

import numpy as np
from _common import agree, print_paths, save_pictures, show

import graphstep as gs

# 1. Build the graph at x = 0.7 and read off the value.
x = 0.7
g = gs.parse("u1 = x^3; u2 = sin(u1); u3 = u2^2; y = ln(u3)", x=x)
show("value y", g.value)

# 2. The derivative: one path, so the path sum is a single product of local derivatives.
print_paths(g, "x")
show("path sum x", gs.path_sum(g, "x"))
show("gradient x", gs.grad(g, "x"))            # reverse accumulation
show("forward mode x", gs.forward_grad(g, "x"))

# 3. The seed's closed form: dy/du3 · du3/du2 · du2/du1 · du1/dx = (1/u3)(2 u2)(cos u1)(3x^2).
closed = 6 * x**2 * np.cos(x**3) / np.sin(x**3)
show("closed form x", closed)
agree("dy/dx", gs.grad(g, "x"), closed)

# 4. Pictures: the graph after the last step, and a player to step through the path.
save_pictures(g, "chain_rule", mode="paths", wrt="x")
