"""Differential tester for gs.from_jax: random JAX functions, graphstep's gradients against jax.grad.

``python fuzz/jax_differential.py --count N --seed S`` builds random functions from the JAX
primitives graphstep maps (elementwise functions and operators, ``max``/``min``, ``where``,
``relu``, ``softmax``, ``stop_gradient``, matrix-vector and vector-vector products,
transposes, reshapes, sums and max/min over an axis or everything, broadcasting a scalar or
a vector against a matrix), each as a Python closure over ``jax.numpy`` (never through eval),
imports each with ``gs.from_jax`` and compares reverse accumulation (``gs.grad``), the path sum
and forward mode with ``jax.grad`` (rel 1e-6). Prints counts; exits 1 on any mismatch.

Inputs: ``x`` (3,), ``s`` (scalar) and ``A`` (2x3). Functions whose JAX gradient is not finite
are skipped (and counted). Ties are avoided by the random values: no test point sits on a
kink.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import graphstep as gs

SHAPES = {"s": (), "x": (3,), "A": (2, 3)}
RTOL, ATOL = 1e-6, 1e-9

#: elementwise functions of one value, kept inside their domains
UNARY: dict[str, Callable] = {
    "exp": lambda u: jnp.exp(jnp.tanh(u)), "log": lambda u: jnp.log(1.0 + u * u),
    "log1p": lambda u: jnp.log1p(u * u), "sqrt": lambda u: jnp.sqrt(1.0 + u * u),
    "rsqrt": lambda u: jax.lax.rsqrt(1.0 + u * u), "sin": jnp.sin, "cos": jnp.cos,
    "tan": lambda u: jnp.tan(0.5 * jnp.tanh(u)), "tanh": jnp.tanh, "sigmoid": jax.nn.sigmoid,
    "abs": jnp.abs, "square": lambda u: u ** 2, "cube": lambda u: u ** 3, "neg": lambda u: -u,
    "pow": lambda u: (1.0 + u * u) ** 0.7, "relu": jax.nn.relu,
    "where": lambda u: jnp.where(u > 0, u, 0.1 * u), "stop": lambda u: jax.lax.stop_gradient(u) * u,
    "scale": lambda u: 2.5 * u,
}

#: elementwise functions of two values of one shape (or a scalar and a value: broadcasting)
BINARY: dict[str, Callable] = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.0 + b * b), "max": jnp.maximum, "min": jnp.minimum,
}


def _leaf(rng: np.random.Generator, shape: tuple) -> tuple[Callable, tuple]:
    names = [n for n, s in SHAPES.items() if s == shape]
    name = names[rng.integers(len(names))]
    return (lambda env, name=name: env[name]), shape


def build(rng: np.random.Generator, shape: tuple, depth: int) -> Callable:
    """A random function ``env -> value of shape``, ``depth`` levels deep at most."""
    if depth == 0 or rng.random() < 0.2:
        return _leaf(rng, shape)[0]
    choice = rng.integers(5)
    if choice == 0:
        fn = list(UNARY.values())[rng.integers(len(UNARY))]
        inner = build(rng, shape, depth - 1)
        return lambda env: fn(inner(env))
    if choice == 1:
        fn = list(BINARY.values())[rng.integers(len(BINARY))]
        left = build(rng, shape, depth - 1)
        right_shape = shape if rng.random() < 0.7 or shape == () else ()  # a scalar broadcasts
        right = build(rng, right_shape, depth - 1)
        if rng.random() < 0.5:
            return lambda env: fn(left(env), right(env))
        return lambda env: fn(right(env), left(env))
    return _structural(rng, shape, depth)


def _structural(rng: np.random.Generator, shape: tuple, depth: int) -> Callable:
    """A structural op whose result has ``shape``."""
    if shape == ():
        kind = rng.integers(5)
        inner = build(rng, (3,) if kind < 3 else (2, 3), depth - 1)
        if kind == 0:
            other = build(rng, (3,), depth - 1)
            return lambda env: jnp.dot(inner(env), other(env))
        reducer = [jnp.sum, jnp.max, jnp.min, jnp.sum, jnp.max][kind]
        return lambda env: reducer(inner(env))
    if shape == (3,):
        kind = rng.integers(5)
        if kind == 0:
            A, v = build(rng, (2, 3), depth - 1), build(rng, (3,), depth - 1)
            return lambda env: A(env).T @ (A(env) @ v(env)) * 0.5
        if kind == 1:
            inner = build(rng, (2, 3), depth - 1)
            reducer = [jnp.sum, jnp.max, jnp.min][rng.integers(3)]
            return lambda env: reducer(inner(env), axis=0)
        if kind == 2:
            inner = build(rng, (3,), depth - 1)
            return lambda env: jax.nn.softmax(inner(env))
        if kind == 3:
            inner = build(rng, (3,), depth - 1)
            return lambda env: jnp.sum(inner(env).reshape(3, 1) * jnp.ones((1, 2)), axis=1)
        inner = build(rng, (2, 3), depth - 1)
        return lambda env: jnp.mean(inner(env), axis=0)
    kind = rng.integers(3)
    if kind == 0:  # a vector broadcast against the matrix's rows
        inner, row = build(rng, (2, 3), depth - 1), build(rng, (3,), depth - 1)
        return lambda env: inner(env) * row(env)
    if kind == 1:
        inner = build(rng, (2, 3), depth - 1)
        return lambda env: inner(env).T.T + inner(env).reshape(3, 2).T
    inner = build(rng, (2, 3), depth - 1)
    return lambda env: inner(env) - jnp.max(inner(env), axis=1, keepdims=True)


def random_function(rng: np.random.Generator, max_depth: int = 3) -> Callable:
    """A random scalar function of ``x``, ``s``, ``A`` (the sum of a random tree)."""
    shape = list(SHAPES.values())[rng.integers(3)]
    body = build(rng, shape, int(rng.integers(1, max_depth + 1)))

    def f(x: Any, s: Any, A: Any) -> Any:
        return jnp.sum(body({"x": x, "s": s, "A": A}))
    return f


def compare(f: Callable, values: dict) -> str:
    """``"agreed"``, ``"skipped"`` (JAX's gradient is not finite) or a mismatch's description."""
    with jax.enable_x64(True), jax.disable_jit():  # op by op: each primitive compiles once
        expected = jax.grad(f, argnums=(0, 1, 2))(*values.values())
    expected = dict(zip(values, (np.asarray(e) for e in expected)))
    if not all(np.all(np.isfinite(e)) for e in expected.values()):
        return "skipped"
    g = gs.from_jax(f, *values.values(), argnames=list(values))
    for name in g.inputs:
        for how, ours in (("reverse", gs.grad(g, name)), ("path sum", gs.path_sum(g, name)),
                          ("forward", gs.forward_grad(g, name))):
            if not np.allclose(ours, expected[name], rtol=RTOL, atol=ATOL):
                return f"{how} d/d{name}: graphstep {ours!r}, jax {expected[name]!r}"
    return "agreed"


def run(count: int, seed: int, out: Any = sys.stdout, max_depth: int = 3) -> dict[str, int]:
    """Compare ``count`` random functions at most ``max_depth`` deep; return the counts."""
    rng = np.random.default_rng(seed)
    counts = {"agreed": 0, "skipped": 0, "mismatched": 0}
    for k in range(count):
        f = random_function(rng, max_depth)
        values = {"x": rng.normal(size=3), "s": float(rng.normal()), "A": rng.normal(size=(2, 3))}
        result = compare(f, values)
        if result in counts:
            counts[result] += 1
        else:
            counts["mismatched"] += 1
            print(f"function {k} (seed {seed}): {result}", file=out)
    print(f"{count} random JAX functions: {counts}", file=out)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--depth", type=int, default=4, help="the trees' largest depth")
    args = parser.parse_args(argv)
    return 1 if run(args.count, args.seed, max_depth=args.depth)["mismatched"] else 0


if __name__ == "__main__":
    sys.exit(main())
