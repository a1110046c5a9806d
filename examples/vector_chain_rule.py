"""Seed 004 (lecture slides): the vector chain rule, y = [ln(x^2), sin(3x)].

With g = [x^2, 3x] and f = [ln g1, sin g2], dy/dx = (df/dg)(dg/dx)
= diag(1/g1, cos g2) · [2x, 3] = [2/x, 3 cos(3x)].

Run:  python examples/vector_chain_rule.py [OUTDIR]
"""

import numpy as np
from _common import agree, print_paths, save_pictures, show

import graphstep as gs

x = 1.2
g = gs.parse("[ln(x^2), sin(3*x)]", x=x)
show("value y", g.value)

print_paths(g, "x")
show("path sum x", gs.path_sum(g, "x"))
show("jacobian x", gs.jacobian(g, "x"))
show("forward mode x", gs.forward_derivative(g, "x"))

df_dg = np.diag([1 / x**2, np.cos(3 * x)])        # the Jacobian of f at g(x)
dg_dx = np.array([[2 * x], [3.0]])                # the Jacobian of g
closed = df_dg @ dg_dx                            # = [[2/x], [3 cos 3x]]
show("closed form x", closed)
agree("dy/dx", gs.jacobian(g, "x"), closed)

save_pictures(g, "vector_chain_rule", mode="forward-mode", wrt="x")
