"""Differential tester: random expressions differentiated five ways must agree.

``python fuzz/differential.py --scalar N --tensor M --seed S`` builds random expression
trees, turns each into graphstep text (for ``gs.parse``) and, from the same tree, into a HIPS
autograd function (never through eval), then compares path sum, reverse (``gs.grad``), forward
mode (``gs.forward_grad``), HIPS autograd and central differences (the last only where the
function is smooth around the point). Prints counts; exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import sys
import warnings

import autograd.numpy as anp
import numpy as np
from autograd import grad as autograd_grad

import graphstep as gs

UNARY = {
    "exp": anp.exp, "log": anp.log, "sin": anp.sin, "cos": anp.cos, "tan": anp.tan,
    "tanh": anp.tanh, "sigmoid": lambda a: 1 / (1 + anp.exp(-a)),
    "relu": lambda a: anp.where(a > 0, a, 0.0),  # relu'(0) = 0, as in PyTorch and JAX
    "sqrt": anp.sqrt, "abs": anp.abs, "square": anp.square,
}
BINARY = {"+": anp.add, "-": anp.subtract, "*": anp.multiply, "/": anp.divide, "^": anp.power,
          "max": anp.maximum, "min": anp.minimum}
AWKWARD = (0.0, 1.0, -1.0, 0.5, -0.5, 2.0)


def random_tree(rng: np.random.Generator, leaves: list[str], depth: int):
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.8:
            return ("leaf", str(rng.choice(leaves)))
        return ("const", float(rng.choice(AWKWARD)))
    if rng.random() < 0.5:
        return (str(rng.choice(sorted(UNARY))), random_tree(rng, leaves, depth - 1))
    return (str(rng.choice(sorted(BINARY))), random_tree(rng, leaves, depth - 1),
            random_tree(rng, leaves, depth - 1))


def text(tree) -> str:
    kind = tree[0]
    if kind == "leaf":
        return tree[1]
    if kind == "const":
        return f"({tree[1]!r})"
    if kind in UNARY:
        return f"{kind}({text(tree[1])})"
    if kind in ("max", "min"):
        return f"{kind}({text(tree[1])}, {text(tree[2])})"
    return f"({text(tree[1])} {kind} {text(tree[2])})"


def evaluate(tree, env):
    kind = tree[0]
    if kind == "leaf":
        return env[tree[1]]
    if kind == "const":
        return tree[1]
    if kind in UNARY:
        return UNARY[kind](evaluate(tree[1], env))
    return BINARY[kind](evaluate(tree[1], env), evaluate(tree[2], env))


def leaves(tree) -> set[str]:
    if tree[0] == "leaf":
        return {tree[1]}
    return set().union(*(leaves(t) for t in tree[1:] if isinstance(t, tuple)))


def at_kink(tree, env) -> bool:
    """True when a max/min has a tie or a relu/abs meets 0 at this point: no finite differences."""
    kind = tree[0]
    if kind in ("leaf", "const"):
        return False
    args = [evaluate(t, env) for t in tree[1:]]
    with np.errstate(all="ignore"):
        here = (kind in ("max", "min") and np.any(np.asarray(args[0]) == np.asarray(args[1]))) or \
            (kind in ("relu", "abs") and np.any(np.asarray(args[0]) == 0))
    return bool(here) or any(at_kink(t, env) for t in tree[1:])


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-9, equal_nan=False))


def check(tree, values: dict, wrap=lambda e: e) -> tuple[str, str]:
    """("agreed" | "mismatched" | "skipped", detail) for one expression at one point."""
    source = wrap(text(tree))
    values = {name: value for name, value in values.items() if name in leaves(tree)}
    if not values:
        return "skipped", "no input"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            g = gs.parse(source, **values)
        except gs.GraphstepError as error:
            return "skipped", f"refused: {type(error).__name__}"
        if not np.all(np.isfinite(g.value)):
            return "skipped", "value not finite"
        names = list(g.inputs)
        for name in names:
            reverse = gs.grad(g, name)
            path_sum = gs.path_sum(g, name)
            forward = gs.forward_grad(g, name)

            def f(x, name=name):
                env = dict(values)
                env[name] = x
                return wrap_eval(tree, env, wrap)

            with np.errstate(all="ignore"):  # numpy floats: autograd's 0**-0.5 is inf, not an exception
                reference = autograd_grad(f)(np.asarray(values[name], dtype=float)
                                             if np.ndim(values[name]) else np.float64(values[name]))
            if not np.all(np.isfinite(reference)):
                return "skipped", "autograd's gradient not finite"
            found = {"path sum": path_sum, "reverse": reverse, "forward": forward, "autograd": reference}
            with np.errstate(all="ignore"):
                kink = at_kink(tree, values)
            numeric = None if kink else _smooth_difference(f, values[name])
            if numeric is not None:
                found["central"] = numeric
            bad = [k for k, v in found.items() if k != "central" and not _close(v, reverse)]
            if "central" in found and not np.allclose(found["central"], reverse, rtol=1e-4, atol=1e-5):
                bad.append("central")
            if bad:
                return "mismatched", f"{source} at {values}, d/d{name}: {found}"
    return "agreed", ""


def wrap_eval(tree, env, wrap):
    value = evaluate(tree, env)
    return anp.sum(value) if wrap is TENSOR_WRAP else value


def TENSOR_WRAP(expression: str) -> str:
    return f"sum({expression})"


def _smooth_difference(f, x, h=1e-6):
    """Central differences, or None when one-sided slopes disagree (a kink) or are not finite."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h * max(1.0, abs(float(x[index])))
        with np.errstate(all="ignore"):
            lo, mid, hi = (float(f(point if x.ndim else float(point)))
                           for point in (x - step, x, x + step))
        left, right = (mid - lo) / step[index], (hi - mid) / step[index]
        smooth = np.isfinite(left) and np.isfinite(right) and \
            abs(left - right) <= 1e-3 * max(1.0, abs(left))
        if not smooth:
            return None
        grad[index] = (hi - lo) / (2 * step[index])
    return grad if x.ndim else float(grad)


def run(scalar: int, tensor: int, seed: int, out=sys.stdout) -> dict:
    rng = np.random.default_rng(seed)
    counts = {"agreed": 0, "mismatched": 0, "skipped": 0}
    reasons: dict[str, int] = {}
    for k in range(scalar + tensor):
        if k < scalar:
            tree = random_tree(rng, ["x", "y"], 4)
            x = float(rng.choice(AWKWARD)) if rng.random() < 0.4 else float(rng.uniform(-2, 2))
            y = x if rng.random() < 0.2 else float(rng.uniform(-2, 2))
            outcome, detail = check(tree, {"x": x, "y": y})
        else:
            tree = random_tree(rng, ["v", "w"], 3)
            v = rng.uniform(-2, 2, 3)
            v[rng.integers(3)] = float(rng.choice(AWKWARD))
            w = v.copy() if rng.random() < 0.2 else rng.uniform(-2, 2, 3)
            outcome, detail = check(tree, {"v": v, "w": w}, TENSOR_WRAP)
        counts[outcome] += 1
        if outcome == "mismatched":
            print("MISMATCH", detail, file=out)
        elif outcome == "skipped":
            reasons[detail] = reasons.get(detail, 0) + 1
    print(f"agreed {counts['agreed']}, mismatched {counts['mismatched']}, skipped {counts['skipped']} "
          f"({', '.join(f'{r}: {n}' for r, n in sorted(reasons.items())) or 'none'})", file=out)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scalar", type=int, default=2000)
    parser.add_argument("--tensor", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return 1 if run(args.scalar, args.tensor, args.seed)["mismatched"] else 0


if __name__ == "__main__":
    sys.exit(main())
