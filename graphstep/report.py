"""Text reports for the terminal: values, gradients, the table of paths, the gradient check.

``graphstep grad`` prints :func:`grad_report`; the REPL's ``paths`` command prints
the table of paths, :func:`graphstep.algorithms.paths.paths_report` (which lives beside
the paths, and is re-exported here). Everything here is plain text built from the
algorithms, with arrays printed by :mod:`graphstep.text` (rounded, summarised when large).

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> print(paths_report(g, "x"))  # doctest: +NORMALIZE_WHITESPACE
paths from the output back to x: 2
  #  path              factors            factor values       product
  1  u3 ← u2 ← u1 ← x  x · exp(u1) · 2·x  1.5 · 9.48774 · 3   42.6948
  2  u3 ← x            u2                 9.48774             9.48774
path sum 52.1825 = reverse accumulation 52.1825 (max difference 0)
"""

from __future__ import annotations

import numpy as np

from graphstep.algorithms.gradcheck import gradcheck
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.paths import MAX_TABLE_PATHS, paths_report
from graphstep.algorithms.reverse import grad
from graphstep.graph import Graph
from graphstep.text import inline_value, print_value, shape_paren, shape_text, table

__all__ = ["inputs_text", "table", "paths_report", "grad_report",
           "check_report", "MAX_TABLE_PATHS"]

#: How many gradient-check rows are listed before only a summary is given.
MAX_CHECK_ROWS = 20


def _input_text(g: Graph, name: str) -> str:
    value = g.value_of(g.input_node(name))
    if np.size(value) <= 4:
        return f"{name} = {inline_value(value, limit=4)}"
    return f"{name} {shape_paren(np.shape(value))}"


def inputs_text(g: Graph) -> str:
    """The inputs and their values on one line: small arrays written out, larger ones by shape.

    Parameters
    ----------
    g : Graph

    Returns
    -------
    str
        ``name = value`` for values of at most 4 entries, ``name (shape)`` otherwise.

    Examples
    --------
    >>> import graphstep as gs
    >>> inputs_text(gs.parse("x * sum(W)", x=2.0, W=np.ones((3, 3))))
    'x = 2, W (3×3)'
    """
    return ", ".join(_input_text(g, name) for name in g.inputs)


def check_report(g: Graph, max_rows: int = MAX_CHECK_ROWS) -> str:
    """The gradient check (analytic against central differences), summarised when long.

    Parameters
    ----------
    g : Graph
    max_rows : int, optional
        With more compared entries, only the five worst are listed.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> check_report(gs.parse("x * y", x=2.0, y=3.0)).splitlines()[-1]
    'gradient check (central differences, eps=1e-06): all agree'
    """
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

    Parameters
    ----------
    g : Graph
    wrt : list of str, optional
        The inputs to report (all by default).
    max_paths : int, optional
        See :func:`paths_report`.
    check : bool, optional
        Add the finite-difference check (:func:`check_report`).

    Returns
    -------
    str
        For a tensor output the Jacobian (numerator layout) takes the gradient's place.

    Raises
    ------
    InputError
        When a name in ``wrt`` is not an input.

    Examples
    --------
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
        g.input_node(name)
    at = inputs_text(g)
    out = g.label(g.output)  # a program's output name (C = ...), else f
    f = out if out.isidentifier() and not (out[0] == "u" and out[1:].isdigit()) else "f"
    lines = [f"{f} = {g.expr(g.output)}" + (f"   at {at}" if at else "")]
    out_shape = g.shape_of(g.output)
    if out_shape == ():
        lines.append(f"value: {print_value(g.value)}")
        lines += ["", "gradient (reverse accumulation):"]
        gradients = grad(g)
        for name in names:
            shape = g.shape_of(g.input_node(name))
            label = f"∂{f}/∂{name}" + (f" {shape_paren(shape)}" if shape else "")
            lines.append(f"  {label} = " + print_value(gradients[name], indent=len(label) + 5))
    else:
        lines.append(f"value ({shape_text(out_shape)}):")
        lines.append("  " + print_value(g.value, indent=2))
        lines += ["", "Jacobian by reverse accumulation (numerator layout: rows are output "
                      "elements, columns input elements):"]
        for name in names:
            label = f"∂{f}/∂{name}"
            lines.append(f"  {label} = " + print_value(jacobian(g, name), indent=len(label) + 5))
    for name in names:
        lines += ["", paths_report(g, name, max_paths)]
    if check:
        lines += ["", check_report(g)]
    return "\n".join(lines)
