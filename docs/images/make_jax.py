"""Draw the pictures of docs/jax.rst ("Your own JAX code") from examples/frameworks/jax_mlp.py.

Run:  python docs/images/make_jax.py     (needs JAX: pip install graphstep[jax])
"""

import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import graphstep as gs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "examples" / "frameworks"))
import jax_mlp  # noqa: E402

OUT = HERE.parent / "_static" / "jax"  # docs/images holds only the README's own pictures


def main() -> None:
    OUT.mkdir(exist_ok=True)
    params, x, labels = jax_mlp.make_data(batch=4)
    g = gs.from_jax(jax_mlp.loss, params, x, labels)
    gs.render(g, OUT / "mlp-graph.svg", collapse=False)
    gs.render(g, OUT / "mlp-blocks.svg", collapse="blocks")
    s = gs.steps(g, mode="reverse", collapse="blocks")
    for k in (1, 2, len(s) - 1):
        s.goto(k)
        gs.render(s, OUT / f"mlp-reverse-{k}.svg")
    print(f"the reverse walk of the collapsed graph has {len(s)} steps")

    def f(x):
        return jax.lax.stop_gradient(x) * x + jax.scipy.special.erf(x)
    gs.render(gs.from_jax(f, 0.7), OUT / "stop-gradient-erf.svg")

    def softmax_ce(z, y):
        return -jnp.sum(y * jax.nn.log_softmax(z))
    g = gs.from_jax(softmax_ce, np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, 0.0]))
    gs.render(g, OUT / "log-softmax.svg", collapse=False)
    print(f"wrote {sorted(p.name for p in OUT.iterdir())}")


if __name__ == "__main__":
    main()
