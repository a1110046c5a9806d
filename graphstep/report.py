"""Text reports for the terminal: values, gradients, the table of paths, the gradient check.

``graphstep grad`` prints :func:`grad_report`; the REPL's ``paths`` command prints
:func:`paths_report`. Everything here is plain text built from the algorithms, with
arrays printed readably (rounded, summarised when large).

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> print(paths_report(g, "x"))  # doctest: +NORMALIZE_WHITESPACE
paths from the output back to x: 2
  #  path              factors            factor values       product
  1  u3 ← x            u2                 9.48774             9.48774
  2  u3 ← u2 ← u1 ← x  x · exp(u1) · 2·x  1.5 · 9.48774 · 3   42.6948
path sum 52.1825 = reverse accumulation 52.1825 (max difference 0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.algorithms.gradcheck import gradcheck
from graphstep.algorithms.paths import PATH_LIMIT, count_paths, path_sum, paths
from graphstep.algorithms.reverse import grad, jacobian
from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian, shape_text

__all__ = ["format_value", "format_inline", "inputs_text", "table", "paths_report", "grad_report",
           "check_report", "MAX_TABLE_PATHS"]

#: How many paths a table lists before it gives only their count.
MAX_TABLE_PATHS = 50
#: How many gradient-check rows are listed before only a summary is given.
MAX_CHECK_ROWS = 20


def format_value(value: Any, indent: int = 0) -> str:
    """A float as ``%.6g``; an array with numpy's printer (rounded, summarised when large).

    Multi-line arrays have every line after the first indented by ``indent`` spaces.

    >>> format_value(52.18251)
    '52.1825'
    >>> print(format_value(np.arange(4.0).reshape(2, 2)))
    [[0. 1.]
     [2. 3.]]
    """
    if value is None:
        return "-"
    if isinstance(value, Jacobian):
        return f"{value.formula} ({shape_text(value.out_shape)} ← {shape_text(value.in_shape)})"
    if np.ndim(value) == 0:
        return f"{float(value):.6g}"
    text = np.array2string(np.asarray(value, dtype=float), precision=6, suppress_small=True,
                           threshold=120, edgeitems=3, max_line_width=100)
    return text.replace("\n", "\n" + " " * indent)


def format_inline(value: Any, limit: int = 6) -> str:
    """A value on one line: a number, a short array, or its shape and norm.

    >>> format_inline(np.array([1.0, 2.5])), format_inline(np.ones((3, 3)))
    ('[1, 2.5]', '3x3 array, |·| = 3')
    """
    if value is None:
        return "-"
    if isinstance(value, Jacobian):
        return f"[{shape_text(value.out_shape)}←{shape_text(value.in_shape)}]"
    if np.ndim(value) == 0:
        return f"{float(value):.6g}"
    array = np.asarray(value, dtype=float)
    if array.size <= limit:
        rows = array.tolist()

        def show(x):
            return "[" + ", ".join(show(y) for y in x) + "]" if isinstance(x, list) else f"{x:.6g}"

        return show(rows)
    return f"{shape_text(array.shape)} array, |·| = {np.linalg.norm(array):.6g}"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...], indent: str = "  ") -> str:
    """Left-aligned columns, two spaces apart, under a header.

    >>> print(table([("1", "x")], ("#", "name")))
      #  name
      1  x
    """
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(indent + "  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                     for line in lines)


def _shape_paren(shape: tuple[int, ...]) -> str:
    text = shape_text(shape)
    return text if text.startswith("(") else f"({text})"


def _input_text(g: Graph, name: str) -> str:
    value = g.value_of(g.node(name))
    if np.size(value) <= 4:
        return f"{name} = {format_inline(value, limit=4)}"
    return f"{name} {_shape_paren(np.shape(value))}"


def inputs_text(g: Graph) -> str:
    """The inputs and their values on one line: small arrays written out, larger ones by shape.

    >>> import graphstep as gs
    >>> inputs_text(gs.parse("x * sum(W)", x=2.0, W=np.ones((3, 3))))
    'x = 2, W (3x3)'
    """
    return ", ".join(_input_text(g, name) for name in g.inputs)


def _difference(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = (a == b) | (np.isnan(a) & np.isnan(b))  # equal infinities and nans differ by nothing
    return float(np.max(np.where(both, 0.0, np.abs(a - b))))


def paths_report(g: Graph, wrt: str, max_paths: int = MAX_TABLE_PATHS) -> str:
    """The paths from the output back to ``wrt``: factors, products, and their sum.

    With more than ``max_paths`` paths only the exact count is given (and the path
    sum when there are at most :data:`~graphstep.algorithms.paths.PATH_LIMIT` paths). The last
    line compares the path sum with reverse accumulation (``gs.grad``, or
    ``gs.jacobian`` for a tensor output).
    """
    g.node(wrt)  # an InputError naming the inputs when wrt is unknown
    count = count_paths(g, wrt)
    lines = [f"paths from the output back to {wrt}: {count:,}"]
    scalar_output = g.shape_of(g.output) == ()
    if count == 0:
        lines.append(f"  the output does not depend on {wrt}: its derivative is 0")
        return "\n".join(lines)
    if count <= max_paths:
        rows = []
        for k, path in enumerate(paths(g, wrt), start=1):
            route = " ← ".join(g.label(n) for n in path.nodes)
            formulas = " · ".join(path.formulas(g)) or "1"
            factor_values = " · ".join(format_inline(f) for f in path.factors) or "1"
            if scalar_output:
                product = format_inline(path.contribution(1.0))
            else:
                product = format_inline(path.product)
            rows.append((str(k), route, formulas, factor_values, product))
        header = ("#", "path", "factors", "factor values",
                  "product" if g.is_scalar or not scalar_output else "contribution")
        lines.append(table(rows, header))
    else:
        lines.append(f"  {count:,} paths are more than {max_paths:,}: not listed "
                     "(raise the limit with --max-paths)")
    if count > PATH_LIMIT:
        lines.append(f"path sum not enumerated ({count:,} paths, limit {PATH_LIMIT:,}); "
                     "reverse accumulation gets the same sum without listing them")
        return "\n".join(lines)
    total = path_sum(g, wrt)
    reverse = grad(g, wrt) if scalar_output else jacobian(g, wrt)
    difference = _difference(total, reverse)
    scale = max(1.0, float(np.max(np.abs(reverse))))
    same = difference <= 1e-9 * scale or bool(np.array_equal(total, reverse, equal_nan=True))
    verdict = "=" if same else "≠"
    name = "reverse accumulation" if scalar_output else "the Jacobian by reverse accumulation"
    if np.ndim(total) == 0:
        lines.append(f"path sum {format_value(total)} {verdict} {name} {format_value(reverse)} "
                     f"(max difference {difference:.3g})")
    else:
        lines.append(f"path sum {verdict} {name} (max difference {difference:.3g}):")
        lines.append("  " + format_value(total, indent=2))
    return "\n".join(lines)


def check_report(g: Graph, max_rows: int = MAX_CHECK_ROWS) -> str:
    """The gradient check (analytic against central differences), summarised when long."""
    report = gradcheck(g)
    if len(report.rows) <= max_rows:
        return str(report)
    worst = sorted(report.rows, key=lambda row: (row.ok, -row.rel_error))[:5]
    rows = [(row.input + (str(list(row.index)) if row.index else ""), f"{row.analytic:.8g}",
             f"{row.numeric:.8g}", f"{row.abs_error:.2e}", f"{row.rel_error:.2e}",
             "yes" if row.ok else "NO") for row in worst]
    verdict = "all agree" if report.ok else f"{sum(not r.ok for r in report.rows)} MISMATCH(ES)"
    lines = [f"gradient check (central differences, eps={report.eps:g}): {len(report.rows)} entries "
             f"compared, largest relative error {report.max_rel_error:.2e}: {verdict}",
             "the worst entries:",
             table(rows, ("input", "analytic", "numeric", "abs err", "rel err", "ok"))]
    for name, skipped in report.skipped.items():
        lines.append(f"({skipped} more elements of {name} not checked)")
    return "\n".join(lines)


def grad_report(g: Graph, wrt: list[str] | None = None, max_paths: int = MAX_TABLE_PATHS,
                check: bool = True) -> str:
    """Everything ``graphstep grad`` prints: value, gradients, paths tables, the check.

    ``wrt`` limits the gradients and tables to some inputs (all by default). For a
    tensor output the Jacobian (numerator layout) takes the gradient's place.

    >>> import graphstep as gs
    >>> print(grad_report(gs.parse("x*y", x=2.0, y=3.0), check=False))  # doctest: +NORMALIZE_WHITESPACE
    f = x*y   at x = 2, y = 3
    value: 6
    <BLANKLINE>
    gradient (reverse accumulation):
      ∂f/∂x = 3
      ∂f/∂y = 2
    <BLANKLINE>
    paths from the output back to x: 1
      #  path    factors  factor values  product
      1  u1 ← x  y        3              3
    path sum 3 = reverse accumulation 3 (max difference 0)
    <BLANKLINE>
    paths from the output back to y: 1
      #  path    factors  factor values  product
      1  u1 ← y  x        2              2
    path sum 2 = reverse accumulation 2 (max difference 0)
    """
    with np.errstate(all="ignore"):  # nan/inf values were reported once, as a DomainWarning
        return _grad_report(g, wrt, max_paths, check)


def _grad_report(g: Graph, wrt: list[str] | None, max_paths: int, check: bool) -> str:
    names = list(wrt) if wrt else list(g.inputs)
    for name in names:
        g.node(name)
    at = inputs_text(g)
    lines = [f"f = {g.expr(g.output)}" + (f"   at {at}" if at else "")]
    out_shape = g.shape_of(g.output)
    if out_shape == ():
        lines.append(f"value: {format_value(g.value)}")
        lines += ["", "gradient (reverse accumulation):"]
        gradients = grad(g)
        for name in names:
            shape = g.shape_of(g.node(name))
            label = f"∂f/∂{name}" + (f" {_shape_paren(shape)}" if shape else "")
            lines.append(f"  {label} = " + format_value(gradients[name], indent=len(label) + 5))
    else:
        lines.append(f"value ({shape_text(out_shape)}):")
        lines.append("  " + format_value(g.value, indent=2))
        lines += ["", "Jacobian by reverse accumulation (numerator layout: rows are output "
                      "elements, columns input elements):"]
        for name in names:
            label = f"∂f/∂{name}"
            lines.append(f"  {label} = " + format_value(jacobian(g, name), indent=len(label) + 5))
    for name in names:
        lines += ["", paths_report(g, name, max_paths)]
    if check:
        lines += ["", check_report(g)]
    return "\n".join(lines)
