"""Differential tester: random expressions differentiated five ways must agree.

``python fuzz/differential.py --scalar N --tensor M --seed S`` builds random expression
trees, turns each into graphstep text (for ``gs.parse``) and, from the same tree, into a HIPS
autograd function (never through eval), then compares path sum, reverse (``gs.grad``), forward
mode (``gs.forward_grad``), HIPS autograd and central differences (the last only where the
function is smooth around the point). Prints counts; exits 1 on any mismatch.

Scalar trees use inputs ``x, y``. Tensor trees are generated shape by shape from inputs
``A`` (2x3), ``B`` (3x2), ``v``, ``w`` (3,) and the scalar ``s``: elementwise functions and
operators (broadcasting a scalar or a row against a matrix), ``@`` (matrix and matrix-vector
products), ``.T`` / ``transpose``, ``sum`` / ``mean`` / ``max`` / ``min`` over everything or
along ``axis``, ``softmax`` (graphstep's default axis is the last one, as below), ``stack`` /
list literals and ``reshape``; a non-scalar result is wrapped in ``sum(...)``.

Ties are compared, not avoided: graphstep's ``max``/``min`` reductions split the derivative
evenly among tied entries, and so does autograd's ``np.max``/``np.min`` (its ``grad_chooser``
divides by the number of entries equal to the result), and so do the two-argument
``max``/``min`` (autograd's ``maximum`` gives ½ to each side of a tie). The one rule where
graphstep deliberately differs is ``max(0, z)``, which it reads as ReLU (derivative 0 at
``z = 0``); the reference mirrors that. Central differences are left out wherever a tie or a
kink meets the point.
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

#: Reductions of the tensor side: the tree kind, its graphstep name and autograd function.
REDUCTIONS = {"sum": ("sum", anp.sum), "mean": ("mean", anp.mean), "amax": ("max", anp.max),
              "amin": ("min", anp.min)}
#: Tensor inputs and their shapes; every shape the generator asks for is one of ``SHAPES``.
TENSOR_INPUTS = {"A": (2, 3), "B": (3, 2), "v": (3,), "w": (3,), "s": ()}
SHAPES = ((), (2,), (3,), (6,), (2, 3), (3, 2), (2, 2), (3, 3))


def random_tree(rng: np.random.Generator, leaves: list[str], depth: int):
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.8:
            return ("leaf", str(rng.choice(leaves)))
        return ("const", float(rng.choice(AWKWARD)))
    if rng.random() < 0.5:
        return (str(rng.choice(sorted(UNARY))), random_tree(rng, leaves, depth - 1))
    return (str(rng.choice(sorted(BINARY))), random_tree(rng, leaves, depth - 1),
            random_tree(rng, leaves, depth - 1))


# --- tensor trees, generated for a shape --------------------------------------------------
#
# Nodes are tuples: ("leaf", name), ("const", c), (unary, a), (binary, a, b), ("matmul", a, b),
# ("T", a) or ("transpose", a), (reduction, a, axis), ("softmax", a, axis) (axis None: the
# default), ("stack", a, b, ...) or ("list", a, b, ...), ("reshape", a, shape_text, shape).


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _tensor_leaf(rng: np.random.Generator, shape: tuple):
    """The smallest tree of exactly ``shape`` from the inputs."""
    A, B = ("leaf", "A"), ("leaf", "B")
    vector = ("leaf", _pick(rng, ["v", "w"]))
    if shape == ():
        return ("leaf", "s") if rng.random() < 0.6 else ("const", float(rng.choice(AWKWARD)))
    if shape == (3,):
        return vector
    if shape == (2, 3):
        return A if rng.random() < 0.8 else ("T", B)
    if shape == (3, 2):
        return B if rng.random() < 0.8 else ("T", A)
    if shape == (2,):
        return ("matmul", A, vector)
    if shape == (2, 2):
        return ("matmul", A, B)
    if shape == (3, 3):
        return ("matmul", B, A)
    return ("reshape", _pick(rng, [A, B]), _pick(rng, ["6", "(6,)", "[-1]"]), (6,))


def _reduce_sources(shape: tuple) -> list[tuple[tuple, object]]:
    """(source shape, axis) pairs whose reduction along axis has ``shape``."""
    if shape == ():
        return [(src, axis) for src in SHAPES if src for axis in
                ([None, 0, -1] if len(src) == 1 else [None, (0, 1)])]
    if len(shape) != 1 or shape[0] not in (2, 3):
        return []
    n = shape[0]
    return [((m, n), axis) for m in (2, 3) for axis in (0, -2)] + \
        [((n, m), axis) for m in (2, 3) for axis in (1, -1)]


def _matmul_sources(shape: tuple) -> list[tuple[tuple, tuple]]:
    if shape == ():
        return [((k,), (k,)) for k in (2, 3)]
    if len(shape) == 1 and shape[0] in (2, 3):
        return [((shape[0], k), (k,)) for k in (2, 3)] + [((k,), (k, shape[0])) for k in (2, 3)]
    if len(shape) == 2:
        return [((shape[0], k), (k, shape[1])) for k in (2, 3)]
    return []


def _reshape_text(rng: np.random.Generator, shape: tuple) -> str:
    dims = list(shape)
    if len(dims) > 1 and rng.random() < 0.3:
        dims[int(rng.integers(len(dims)))] = -1
    if len(dims) == 1:
        return _pick(rng, [str(dims[0]), f"({dims[0]},)", f"[{dims[0]}]"])
    inner = ", ".join(map(str, dims))
    return f"({inner})" if rng.random() < 0.5 else f"[{inner}]"


def tensor_tree(rng: np.random.Generator, shape: tuple, depth: int):
    """A random tree whose value has exactly ``shape``."""
    if depth == 0 or rng.random() < 0.15:
        return _tensor_leaf(rng, shape)
    kinds = ["unary", "binary", "binary"]
    if _matmul_sources(shape):
        kinds += ["matmul", "matmul"]
    if shape:
        kinds += ["softmax", "transpose"]
    if _reduce_sources(shape):
        kinds += ["reduce", "reduce"]
    if shape and shape[0] in (2, 3) and shape[1:] in SHAPES:
        kinds.append("stack")
    if shape in ((2, 3), (3, 2), (6,)):
        kinds.append("reshape")
    kind = _pick(rng, kinds)
    down = depth - 1
    if kind == "unary":
        return (str(rng.choice(sorted(UNARY))), tensor_tree(rng, shape, down))
    if kind == "binary":
        other = [shape, (), shape[1:]] if len(shape) == 2 else [shape, ()]
        pair = [tensor_tree(rng, shape, down), tensor_tree(rng, _pick(rng, other), down)]
        if rng.random() < 0.5:
            pair.reverse()
        return (str(rng.choice(sorted(BINARY))), *pair)
    if kind == "matmul":
        left, right = _pick(rng, _matmul_sources(shape))
        return ("matmul", tensor_tree(rng, left, down), tensor_tree(rng, right, down))
    if kind == "transpose":
        return (_pick(rng, ["T", "T", "transpose"]), tensor_tree(rng, shape[::-1], down))
    if kind == "softmax":
        axes = [None, 0, -1] if len(shape) == 1 else [None, 0, 1, -1, -2]
        return ("softmax", tensor_tree(rng, shape, down), _pick(rng, axes))
    if kind == "reduce":
        source, axis = _pick(rng, _reduce_sources(shape))
        return (_pick(rng, sorted(REDUCTIONS)), tensor_tree(rng, source, down), axis)
    if kind == "stack":
        items = [tensor_tree(rng, shape[1:], down) for _ in range(shape[0])]
        return (_pick(rng, ["stack", "list"]), *items)
    source = _pick(rng, [s for s in ((2, 3), (3, 2), (6,)) if s != shape])
    return ("reshape", tensor_tree(rng, source, down), _reshape_text(rng, shape), shape)


def children(tree) -> tuple:
    kind = tree[0]
    if kind in ("leaf", "const"):
        return ()
    if kind in REDUCTIONS or kind in ("softmax", "reshape"):
        return (tree[1],)
    return tree[1:]


def _axis_text(axis) -> str:
    return "" if axis is None else f", axis={axis}"


def text(tree) -> str:
    kind = tree[0]
    if kind == "leaf":
        return tree[1]
    if kind == "const":
        return f"({tree[1]!r})"
    if kind in UNARY or kind == "transpose":
        return f"{kind}({text(tree[1])})"
    if kind in ("max", "min"):
        return f"{kind}({text(tree[1])}, {text(tree[2])})"
    if kind == "matmul":
        return f"({text(tree[1])} @ {text(tree[2])})"
    if kind == "T":
        return f"{text(tree[1])}.T"
    if kind in REDUCTIONS or kind == "softmax":
        name = REDUCTIONS[kind][0] if kind in REDUCTIONS else kind
        return f"{name}({text(tree[1])}{_axis_text(tree[2])})"
    if kind == "stack":
        return f"stack([{', '.join(text(t) for t in tree[1:])}])"
    if kind == "list":
        return f"[{', '.join(text(t) for t in tree[1:])}]"
    if kind == "reshape":
        return f"reshape({text(tree[1])}, {tree[2]})"
    return f"({text(tree[1])} {kind} {text(tree[2])})"


def _softmax(a, axis):
    axis = -1 if axis is None else axis
    shifted = anp.exp(a - anp.max(a, axis=axis, keepdims=True))
    return shifted / anp.sum(shifted, axis=axis, keepdims=True)


def _zero(tree) -> bool:
    return tree[0] == "const" and tree[1] == 0


def evaluate(tree, env):
    kind = tree[0]
    if kind == "leaf":
        return env[tree[1]]
    if kind == "const":
        return tree[1]
    if kind in UNARY:
        return UNARY[kind](evaluate(tree[1], env))
    if kind == "max" and _zero(tree[1]) != _zero(tree[2]):  # graphstep reads max(0, z) as relu(z)
        return UNARY["relu"](evaluate(tree[2] if _zero(tree[1]) else tree[1], env))
    if kind in BINARY:
        return BINARY[kind](evaluate(tree[1], env), evaluate(tree[2], env))
    if kind == "matmul":
        return anp.matmul(evaluate(tree[1], env), evaluate(tree[2], env))
    if kind in ("T", "transpose"):
        return anp.transpose(evaluate(tree[1], env))
    if kind in REDUCTIONS:
        return REDUCTIONS[kind][1](evaluate(tree[1], env), axis=tree[2])
    if kind == "softmax":
        return _softmax(evaluate(tree[1], env), tree[2])
    if kind in ("stack", "list"):
        return anp.stack([evaluate(t, env) for t in tree[1:]])
    if kind == "reshape":
        return anp.reshape(evaluate(tree[1], env), tree[3])
    raise ValueError(f"unknown tree kind {kind!r}")


def leaves(tree) -> set[str]:
    if tree[0] == "leaf":
        return {tree[1]}
    return set().union(*(leaves(t) for t in children(tree)))


def at_kink(tree, env) -> bool:
    """True when a max/min has a tie or a relu/abs meets 0 at this point: no finite differences."""
    kind = tree[0]
    if kind in ("leaf", "const"):
        return False
    args = [evaluate(t, env) for t in children(tree)]
    with np.errstate(all="ignore"):
        if kind in ("amax", "amin"):
            x = np.asarray(args[0], dtype=float)
            extreme = (np.max if kind == "amax" else np.min)(x, axis=tree[2], keepdims=True)
            here = np.any(np.sum(x == extreme, axis=tree[2]) > 1)
        else:
            here = (kind in ("max", "min") and np.any(np.asarray(args[0]) == np.asarray(args[1]))) or \
                (kind in ("relu", "abs") and np.any(np.asarray(args[0]) == 0))
    return bool(here) or any(at_kink(t, env) for t in children(tree))


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-9, equal_nan=False))


def check(tree, values: dict, total: bool = False) -> tuple[str, str]:
    """("agreed" | "mismatched" | "skipped", detail) for one expression at one point.

    ``total`` wraps a tensor expression in ``sum(...)`` (in the text and in the reference).
    """
    source = f"sum({text(tree)})" if total else text(tree)
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
                value = evaluate(tree, env)
                return anp.sum(value) if total else value

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
                found["central"], noise = numeric
            bad = [k for k, v in found.items() if k != "central" and not _close(v, reverse)]
            if "central" in found and not np.all(np.abs(found["central"] - reverse)
                                                 <= 1e-5 + noise + 1e-4 * np.abs(reverse)):
                bad.append("central")
            if bad:
                return "mismatched", f"{source} at {values}, d/d{name}: {found}"
    return "agreed", ""


def _smooth_difference(f, x, h=1e-6):
    """Central differences and their rounding noise, or None at a kink or where not finite.

    The noise is that of the three values of ``f`` divided by the step (``10 eps |f| / step``):
    a function near 1e6 has central differences good to about 1e-3 only, however smooth.
    """
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    noise = np.zeros_like(x)
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
        noise[index] = 10 * np.finfo(float).eps * max(abs(lo), abs(mid), abs(hi)) / step[index]
    return (grad, noise) if x.ndim else (float(grad), float(noise))


def _awkward_matrix(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Random entries, one of them an awkward value, often with a tie along a row or column."""
    m = rng.uniform(-2, 2, shape)
    m[tuple(int(rng.integers(n)) for n in shape)] = float(rng.choice(AWKWARD))
    if rng.random() < 0.3:  # a tie within a row: max/min along axis 1 (and overall) split it
        row = int(rng.integers(shape[0]))
        m[row, 1] = m[row, 0]
    if rng.random() < 0.2:  # a tie within a column
        col = int(rng.integers(shape[1]))
        m[1, col] = m[0, col]
    return m


def tensor_values(rng: np.random.Generator) -> dict:
    v = rng.uniform(-2, 2, 3)
    v[rng.integers(3)] = float(rng.choice(AWKWARD))
    if rng.random() < 0.15:
        v[1] = v[0]
    w = v.copy() if rng.random() < 0.2 else rng.uniform(-2, 2, 3)
    a = _awkward_matrix(rng, (2, 3))
    b = a.T.copy() if rng.random() < 0.2 else _awkward_matrix(rng, (3, 2))
    s = float(rng.choice(AWKWARD)) if rng.random() < 0.4 else float(rng.uniform(-2, 2))
    return {"A": a, "B": b, "v": v, "w": w, "s": s}


def cases(scalar: int, tensor: int, seed: int):
    """The (tree, values, total) cases of a run: ``scalar`` scalar ones, then ``tensor`` tensor ones."""
    rng = np.random.default_rng(seed)
    for k in range(scalar + tensor):
        if k < scalar:
            tree = random_tree(rng, ["x", "y"], 4)
            x = float(rng.choice(AWKWARD)) if rng.random() < 0.4 else float(rng.uniform(-2, 2))
            y = x if rng.random() < 0.2 else float(rng.uniform(-2, 2))
            yield tree, {"x": x, "y": y}, False
        else:
            shape = _pick(rng, [(), (), *SHAPES[1:]])
            yield tensor_tree(rng, shape, 4), tensor_values(rng), shape != ()


def sample_texts(scalar: int, tensor: int, seed: int) -> list[str]:
    """The graphstep texts a run with these arguments checks, in order."""
    return [f"sum({text(tree)})" if total else text(tree) for tree, _, total in cases(scalar, tensor, seed)]


def run(scalar: int, tensor: int, seed: int, out=sys.stdout) -> dict:
    """Check every case; the totals, and under "scalar" and "tensor" each side's counts and reasons."""
    counts = {"agreed": 0, "mismatched": 0, "skipped": 0}
    sides = {side: {"agreed": 0, "mismatched": 0, "skipped": 0, "reasons": {}}
             for side in ("scalar", "tensor")}
    for k, (tree, values, total) in enumerate(cases(scalar, tensor, seed)):
        outcome, detail = check(tree, values, total)
        side = sides["scalar" if k < scalar else "tensor"]
        counts[outcome] += 1
        side[outcome] += 1
        if outcome == "mismatched":
            print("MISMATCH", detail, file=out)
        elif outcome == "skipped":
            side["reasons"][detail] = side["reasons"].get(detail, 0) + 1
    for name, side in sides.items():
        reasons = ", ".join(f"{r}: {n}" for r, n in sorted(side["reasons"].items())) or "none"
        print(f"{name}: agreed {side['agreed']}, mismatched {side['mismatched']}, "
              f"skipped {side['skipped']} ({reasons})", file=out)
    print(f"agreed {counts['agreed']}, mismatched {counts['mismatched']}, skipped {counts['skipped']}",
          file=out)
    return {**counts, **sides}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scalar", type=int, default=2000)
    parser.add_argument("--tensor", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return 1 if run(args.scalar, args.tensor, args.seed)["mismatched"] else 0


if __name__ == "__main__":
    sys.exit(main())
