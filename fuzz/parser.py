"""Parser fuzzer: no input may escape as a plain exception, crash the interpreter or hang.

``python fuzz/parser.py --count N --seed S [--timeout SECONDS] [--jobs J]`` generates inputs of
four families (random strings, character and token mutations of valid expressions, expressions
generated from a grammar over the op table, pathological inputs), parses each with input values
for the names it uses and, when accepted, differentiates it (``gs.grad`` or ``gs.jacobian``).
Each input is classified as accepted, refused with a named ``GraphstepError``, a plain
exception, a crash (the worker process died) or a hang (over the time limit). Inputs run in
worker processes, in chunks; a chunk whose worker dies is run again one input at a time to name
the input that crashed. Prints counts by outcome; exits 1 on any plain exception, crash or hang.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as futures
import re
import signal
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import graphstep as gs

sys.path.insert(0, str(Path(__file__).resolve().parent))
import differential  # noqa: E402  (the grammar of random expressions is shared)

VALID = [
    "x * exp(x**2)", "ln(sin(x^3)^2)", "sum((t - M @ v)**2)", "tanh(x*y) + exp(-x)/y",
    "max(0, w*x + b)", "sigmoid(x) * (1 - sigmoid(x))", "sum(softmax(v) * v)", "mean(W @ v, axis=0)",
    "sum(W.T @ v)", "dot(v, v) / 2", "max(v) - min(v)", "sum(reshape(W, (9,)))", "sqrt(abs(x)) + square(y)",
    "[x, y] @ [y, x]", "sum(relu(W @ v + [1, 2, 3]))", "sum(W, axis=(0, 1))", "x ^ y ^ 2",
]
NAMES = {"x": 1.5, "y": -0.5, "w": 0.3, "b": 0.1, "t": np.zeros(3), "M": np.ones((3, 3)),
         "v": np.array([1.0, -2.0, 0.5]), "W": np.arange(9.0).reshape(3, 3) / 4}
ALPHABET = "xyvW+-*/^@().,[]=# \t\r\n0123456789eE_;:'\"\\$%&!<>|~{}" + "∂λé\x00"
TOKENS = ["x", "y", "v", "W", "+", "-", "*", "/", "**", "^", "@", "(", ")", "[", "]", ",", ".T",
          "exp(", "sum(", "axis=", "1e999", "0", "-1", "max(", "softmax(", "reshape(", "(-2, -2)",
          "stack(", "#", "\r"]
PATHOLOGICAL = [
    lambda r: "(" * r.integers(1, 400) + "x" + ")" * r.integers(1, 400),
    lambda r: "-" * r.integers(1, 12000) + "x",
    lambda r: "+".join(["x"] * int(r.integers(1, 5000))),
    lambda r: "^".join(["x"] * int(r.integers(1, 3000))),
    lambda r: "1" + "0" * int(r.integers(300, 400)),
    lambda r: "[" * r.integers(1, 80) + "x" + "]" * r.integers(1, 80) + "+1",
    lambda r: "x*1e" + str(r.integers(300, 400)),
    lambda r: "sum(v, axis=(" + ",".join(str(int(a)) for a in r.integers(-3, 3, r.integers(1, 4))) + "))",
    lambda r: "reshape(v, (" + ",".join(str(int(a)) for a in r.integers(-3, 4, r.integers(1, 4))) + "))",
    lambda r: "stack([" + ", ".join(["x"] * int(r.integers(0, 4))) + "])",
    lambda r: "x" + " " * int(r.integers(0, 20000)),
    lambda r: "exp(" * int(r.integers(1, 300)) + "x" + ")" * int(r.integers(1, 300)),
]
FAMILIES = ("random", "mutation", "grammar", "pathological")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def generate(seed: int, index: int) -> str:
    """The ``index``-th input of a run with ``seed`` (the same pair gives the same text)."""
    rng = np.random.default_rng([seed, index])
    family = FAMILIES[index % len(FAMILIES)]
    if family == "random":
        return "".join(rng.choice(list(ALPHABET), int(rng.integers(0, 40))))
    if family == "mutation":
        text = list(str(rng.choice(VALID)))
        for _ in range(int(rng.integers(1, 4))):
            where = int(rng.integers(0, len(text) + 1))
            choice = rng.random()
            if choice < 0.3 and text:
                del text[min(where, len(text) - 1)]
            elif choice < 0.6:
                text.insert(where, str(rng.choice(list(ALPHABET))))
            else:
                text.insert(where, str(rng.choice(TOKENS)))
        return "".join(text)
    if family == "grammar":
        tree = differential.random_tree(rng, ["x", "y"], int(rng.integers(1, 6)))
        expression = differential.text(tree)
        wrappers = ["{}", "sum(v * {})", "sum(W @ v * {})", "mean(softmax(v + {}))", "max(v * {})",
                    "sum(W.T * {}, axis=0) @ v"]
        return str(rng.choice(wrappers)).format(expression)
    return PATHOLOGICAL[int(rng.integers(0, len(PATHOLOGICAL)))](rng)


def _on_alarm(signum, frame):
    raise TimeoutError


def classify(text: str, timeout: float) -> str:
    """Parse and differentiate ``text``; return its outcome (``accepted``, ``refused:<Error>``...)."""
    used = set(_IDENTIFIER.findall(text))
    values = {name: value for name, value in NAMES.items() if name in used}
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = gs.parse(text, **values)
            if g.inputs:
                if g.is_scalar:
                    gs.grad(g)
                else:
                    gs.jacobian(g, g.inputs[0])
        leaked = [w for w in caught if not issubclass(w.category, gs.DomainWarning)]
        if leaked:
            return f"warning:{leaked[0].category.__name__}"
        return "accepted"
    except TimeoutError:
        return "hang"
    except gs.GraphstepError as error:
        if not str(error).strip() or str(error).rstrip().endswith(":"):
            return f"empty-reason:{type(error).__name__}"
        return f"refused:{type(error).__name__}"
    except Exception as error:  # noqa: BLE001 - counting plain exceptions is this tool's job
        return f"plain:{type(error).__name__}: {str(error)[:120]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_chunk(seed: int, indices: range, timeout: float) -> list[tuple[int, str]]:
    return [(k, classify(generate(seed, k), timeout)) for k in indices]


def is_failure(outcome: str) -> bool:
    """Whether an outcome breaks the target (0 plain exceptions, leaks, crashes and hangs)."""
    return not (outcome == "accepted" or outcome.startswith("refused:"))


def run(count: int, seed: int, timeout: float = 5.0, jobs: int = 2, chunk: int = 250,
        out=sys.stdout) -> collections.Counter:
    """Fuzz ``count`` inputs; print failures and the counts by outcome; return the counts."""
    counts: collections.Counter = collections.Counter()
    chunks = [range(a, min(a + chunk, count)) for a in range(0, count, chunk)]
    retry: list[range] = []
    with futures.ProcessPoolExecutor(jobs) as pool:
        pending = {pool.submit(_run_chunk, seed, c, timeout): c for c in chunks}
        for done in futures.as_completed(pending):
            try:
                results = done.result()
            except futures.process.BrokenProcessPool:
                retry.append(pending[done])
                continue
            _record(results, seed, counts, out)
    for c in retry:  # a worker died: run the chunk input by input to name the crasher
        for k in c:
            with futures.ProcessPoolExecutor(1) as pool:
                try:
                    results = pool.submit(_run_chunk, seed, range(k, k + 1), timeout).result()
                except futures.process.BrokenProcessPool:
                    results = [(k, "crash")]
            _record(results, seed, counts, out)
    summary = {"accepted": counts["accepted"],
               "refused (GraphstepError)": sum(v for o, v in counts.items() if o.startswith("refused:")),
               "failures": sum(v for o, v in counts.items() if is_failure(o))}
    print(f"{count} inputs, seed {seed}: " + ", ".join(f"{k} {v}" for k, v in summary.items()), file=out)
    for outcome, number in sorted(counts.items()):
        print(f"  {number:7d}  {outcome}", file=out)
    return counts


def _record(results, seed, counts, out) -> None:
    for k, outcome in results:
        counts[outcome] += 1
        if is_failure(outcome):
            print(f"FAILURE {outcome} for input {k}: {generate(seed, k)[:300]!r}", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per input")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = run(args.count, args.seed, args.timeout, args.jobs)
    print(f"time {time.perf_counter() - start:.1f} s")
    return 1 if any(is_failure(o) for o in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
