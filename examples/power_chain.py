"""Seed 004 (lecture slides): the chain rule on f(x) = 2(x^2 + 9)^3.

With u = x^2 + 9: df/du = 6u^2 and du/dx = 2x, so df/dx = 6(x^2 + 9)^2 · 2x.

Run:  python examples/power_chain.py [OUTDIR]
"""

from _common import agree, print_paths, save_pictures, show

import graphstep as gs

x = 0.5
g = gs.parse("u = x^2 + 9; f = 2*u^3", x=x)
show("value f", g.value)

print_paths(g, "x")
show("path sum x", gs.path_sum(g, "x"))
show("gradient x", gs.grad(g, "x"))
show("forward mode x", gs.forward_grad(g, "x"))

u = x**2 + 9
closed = 6 * u**2 * 2 * x
show("closed form x", closed)
agree("df/dx", gs.grad(g, "x"), closed)

save_pictures(g, "power_chain", mode="paths", wrt="x")
