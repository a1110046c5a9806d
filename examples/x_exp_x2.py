"""Seed 004 (lecture slides): y = x·e^{x^2}, two paths, and the slide's path sum corrected.

With u1 = x^2, u2 = exp(u1), y = u3 = x·u2, x reaches y along two paths:

* directly, x -> y, whose local derivative is dy/dx = u2 = e^{x^2};
* through the exponential, x -> u1 -> u2 -> y, with factors 2x, e^{x^2} and x.

The slides list x·e^{x^2}·x twice and e^{x^2} once (splitting the one path through
u1, whose factor is 2x, into two), and then write the sum as e^{x^2}. The sum over
the two real paths is e^{x^2} + 2x^2 e^{x^2} = e^{x^2}(2x^2 + 1), which is what the
slides' own product-rule sanity check gives.

Run:  python examples/x_exp_x2.py [OUTDIR]
"""

import numpy as np
from _common import agree, print_paths, save_pictures, show

import graphstep as gs

x = 1.5
g = gs.parse("u1 = x^2; u2 = exp(u1); y = x*u2", x=x)
show("value y", g.value)

# Each path's product, then their sum; reverse and forward mode give the same number.
print_paths(g, "x")
show("path sum x", gs.path_sum(g, "x"))
show("gradient x", gs.grad(g, "x"))
show("forward mode x", gs.forward_grad(g, "x"))

# The product rule (the seed's sanity check): d/dx x·e^{x^2} = e^{x^2}(2x^2 + 1).
closed = np.exp(x**2) * (2 * x**2 + 1)
show("closed form x", closed)
agree("dy/dx", gs.grad(g, "x"), closed)

# What the slide wrote. It lists three terms, x·e^{x^2}·x twice and e^{x^2} once: the
# path through u1 carries the single factor 2x, which the slide splits into two
# "paths" (so its three terms still add up to the right number), and then it
# concludes that the sum is e^{x^2}, dropping the 2x^2 e^{x^2} altogether.
slide_terms = [x * np.exp(x**2) * x, x * np.exp(x**2) * x, np.exp(x**2)]
slide_result = np.exp(x**2)
print(f"\nthe slide's terms add up to {sum(slide_terms):.10g}, but it concludes dy/dx = e^(x^2) "
      f"= {slide_result:.10g}, off by {closed - slide_result:.10g}")
print(f"graphstep finds {gs.count_paths(g, 'x')} paths (not three), whose products sum to "
      f"{gs.path_sum(g, 'x'):.10g} = e^(x^2)(2x^2 + 1)")

save_pictures(g, "x_exp_x2", mode="paths", wrt="x")
