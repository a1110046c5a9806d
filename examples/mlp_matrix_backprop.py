"""Seed 000 (blog): backprop in matrix form, the G^l recursion.

Z^1 = σ(X W^1), Z^2 = σ(Z^1 W^2), J = 1/2 sum (Z^2 - Y)^2. With G^l = dJ/dZ^l the seed
derives, by treating everything as a scalar and then making the shapes match,

    G^l = (G^{l+1} ⊙ σ'(Z^{l+1})) (W^{l+1})^T,     dJ/dW^l = (Z^{l-1})^T (G^l ⊙ σ'(Z^l)),

with σ'(Z) = Z ⊙ (1 - Z) for the sigmoid. The seed's disclaimer says to check such
a derivation with a gradient check; here graphstep does that too.

Run:  python examples/mlp_matrix_backprop.py [OUTDIR]
"""

import numpy as np
from _common import agree, save_pictures, show, three_ways

import graphstep as gs


def rng(seed):
    return np.random.default_rng(seed)


X = rng(12).normal(size=(5, 3))             # m = 5 samples, d = 3 features
W1 = rng(13).normal(size=(3, 4))            # n_1 = 4
W2 = rng(14).normal(size=(4, 2))            # n_2 = 2
Y = rng(15).uniform(size=(5, 2))
g = gs.parse("Z1 = sigmoid(X @ W1); Z2 = sigmoid(Z1 @ W2); J = sum((Z2 - Y)^2) / 2",
             X=X, W1=W1, W2=W2, Y=Y)
show("value J", g.value)

three_ways(g)  # every input: its paths, then path sum, reverse and forward mode


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


Z1 = sigmoid(X @ W1)
Z2 = sigmoid(Z1 @ W2)
G2 = Z2 - Y                                  # G^2 = dJ/dZ^2
G1 = (G2 * Z2 * (1 - Z2)) @ W2.T             # the recursion, l = 1
closed = {"W2": Z1.T @ (G2 * Z2 * (1 - Z2)),
          "W1": X.T @ (G1 * Z1 * (1 - Z1)),
          "X": (G1 * Z1 * (1 - Z1)) @ W1.T,
          "Y": -G2}
print()
for name, value in closed.items():
    show(f"closed form {name}", value)
    agree(f"dJ/d{name}", gs.grad(g, name), value)

print()
print(gs.gradcheck(g))

save_pictures(g, "mlp_matrix_backprop", mode="reverse")
