"""Seed 004 (lecture slides): the Jacobian of [f(x, y), g(x, y)] = [3x^2 (2y + 7), 4x + y^2].

Stacking the two gradients as rows gives the Jacobian
J = [[6x(2y + 7), 6x^2], [4, 2y]]. Each column is what one forward-mode pass (a
tangent seeded at one input) produces.

Run:  python examples/jacobian_fg.py [OUTDIR]
"""

import numpy as np
from _common import agree, print_paths, save_pictures, show

import graphstep as gs

x, y = 1.0, 2.0
g = gs.parse("f = 3*x^2*(2*y + 7); g = 4*x + y^2; [f, g]", x=x, y=y)
show("value [f, g]", g.value)

for name in g.inputs:
    print_paths(g, name)
    show(f"path sum {name}", gs.path_sum(g, name))
    show(f"jacobian {name}", gs.jacobian(g, name))          # a column of J
    show(f"forward mode {name}", gs.forward_derivative(g, name))

closed = np.array([[6 * x * (2 * y + 7), 6 * x**2],
                   [4.0, 2 * y]])
print()
show("closed form J", closed)
full = np.hstack([gs.jacobian(g, name) for name in g.inputs])
agree("J", full, closed)
for k, name in enumerate(g.inputs):
    show(f"closed form {name}", closed[:, [k]])

save_pictures(g, "jacobian_fg", mode="forward-mode", wrt="x")
