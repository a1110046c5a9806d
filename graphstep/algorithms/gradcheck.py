"""Gradient checking: analytic derivatives against central finite differences.

>>> import graphstep as gs
>>> report = gradcheck(gs.parse("x * exp(x**2)", x=1.5))
>>> report.ok
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphstep.algorithms.agreement import agree
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.reverse import grad
from graphstep.graph import Graph

__all__ = ["GradCheck", "CheckRow", "gradcheck", "central_difference"]


@dataclass(frozen=True)
class CheckRow:
    """One compared entry: input, element index, analytic, numeric, errors, verdict.

    Parameters
    ----------
    input : str
        The input.
    index : tuple of int
        The element, ``()`` for a scalar input.
    analytic, numeric : float
        Reverse accumulation's and the central difference's derivative.
    abs_error, rel_error : float
        Their absolute and relative difference.
    ok : bool
        Whether they agree within the tolerances.

    Examples
    --------
    >>> import graphstep as gs
    >>> report = gradcheck(gs.parse("sum(v**3)", v=[1.0, 2.0]))
    >>> row = report.rows[0]
    >>> row.input, row.index, row.analytic, row.ok
    ('v', (0,), 3.0, True)
    """

    input: str
    index: tuple[int, ...]
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    ok: bool


@dataclass(frozen=True)
class GradCheck:
    """The result of :func:`gradcheck`; ``ok`` is true when every row agrees.

    Parameters
    ----------
    rows : tuple of CheckRow
        One row per compared element.
    eps : float
        The central differences' relative step.
    rtol, atol : float
        The tolerances.
    skipped : dict
        ``{input: number of elements not checked}`` (large inputs are sampled).

    Examples
    --------
    >>> import graphstep as gs
    >>> report = gradcheck(gs.parse("sum(v**3)", v=[1.0, 2.0]))
    >>> report.ok, [row.analytic for row in report.rows]
    (True, [3.0, 12.0])
    """

    rows: tuple[CheckRow, ...]
    eps: float
    rtol: float
    atol: float
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every row agrees.

        Returns
        -------
        bool

        Examples
        --------
        >>> import graphstep as gs
        >>> report = gradcheck(gs.parse("sum(v**3)", v=[1.0, 2.0]))
        >>> report.ok
        True
        """
        return all(row.ok for row in self.rows)

    @property
    def max_rel_error(self) -> float:
        """The largest relative error over the rows.

        Returns
        -------
        float
            0 when there are no rows.

        Examples
        --------
        >>> import graphstep as gs
        >>> report = gradcheck(gs.parse("sum(v**3)", v=[1.0, 2.0]))
        >>> report.max_rel_error < 1e-8
        True
        """
        return max((row.rel_error for row in self.rows), default=0.0)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        header = ("input", "analytic", "numeric", "abs err", "rel err", "ok")
        lines = [header]
        for row in self.rows:
            where = row.input + (str(list(row.index)) if row.index else "")
            lines.append((where, f"{row.analytic:.8g}", f"{row.numeric:.8g}",
                          f"{row.abs_error:.2e}", f"{row.rel_error:.2e}",
                          "yes" if row.ok else "NO"))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                for line in lines]
        text.insert(1, "  ".join("-" * w for w in widths))
        verdict = "all agree" if self.ok else "MISMATCH"
        text.append(f"gradient check (central differences, eps={self.eps:g}): {verdict}")
        for name, count in self.skipped.items():
            text.append(f"({count} more elements of {name} not checked)")
        return "\n".join(text)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def central_difference(g: Graph, name: str, index: tuple[int, ...], eps: float) -> Any:
    """``(f(x + h e_i) - f(x - h e_i)) / 2h`` for input ``name`` at element ``index``.

    Parameters
    ----------
    g : Graph
        The graph (re-evaluated with :meth:`~graphstep.graph.Graph.evaluate`).
    name : str
        The input to shift.
    index : tuple of int
        The element to shift, ``()`` for a scalar input.
    eps : float
        The step, relative to the element's size (absolute below 1).

    Returns
    -------
    float or numpy.ndarray
        The difference quotient, of the output's shape.

    Examples
    --------
    >>> import graphstep as gs
    >>> round(float(central_difference(gs.parse("x**3", x=2.0), "x", (), 1e-6)), 6)
    12.0
    """
    with np.errstate(all="ignore"):  # nan/inf values were reported when the graph was built
        return _central_difference(g, name, index, eps)


def _central_difference(g: Graph, name: str, index: tuple[int, ...], eps: float) -> Any:
    value = g.value_of(g.input_node(name))
    step = eps * max(1.0, abs(float(np.asarray(value)[index] if index else value)))
    outputs = []
    for sign in (1.0, -1.0):
        if index:
            shifted = np.array(value, dtype=float)
            shifted[index] += sign * step
        else:
            shifted = float(value) + sign * step
        outputs.append(np.asarray(g.evaluate({name: shifted}), dtype=float))
    return (outputs[0] - outputs[1]) / (2 * step)


def gradcheck(g: Graph, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7,
              max_elements: int = 64, seed: int = 0) -> GradCheck:
    """Compare analytic derivatives with central finite differences, entry by entry.

    For a scalar output every input element is compared with ``gs.grad``; for a
    tensor output every Jacobian entry. Inputs with more than ``max_elements``
    elements are checked at that many elements chosen at random (``seed``). A row
    agrees when ``|analytic - numeric| <= atol + rtol * |numeric|``, loosened to the
    finite-difference error ``eps`` can make. Non-differentiable points (``relu`` at 0)
    can legitimately disagree.

    Parameters
    ----------
    g : Graph
        The graph.
    eps : float, optional
        The finite-difference step (relative to each element's size).
    rtol, atol : float, optional
        Relative and absolute tolerance (see :func:`~graphstep.algorithms.agreement.agree`).
    max_elements : int, optional
        Most elements checked per input.
    seed : int, optional
        Seed of the random choice of elements.

    Returns
    -------
    GradCheck
        One row per compared entry; ``ok`` when all agree; prints as a table.

    Examples
    --------
    >>> import graphstep as gs
    >>> print(gradcheck(gs.parse("x * exp(x**2)", x=1.5)))  # doctest: +NORMALIZE_WHITESPACE
    input  analytic   numeric    abs err   rel err   ok
    -----  ---------  ---------  --------  --------  ---
    x      52.182547  52.182547  2.25e-12  4.32e-14  yes
    gradient check (central differences, eps=1e-06): all agree
    """
    rng = np.random.default_rng(seed)
    scalar_output = g.shape_of(g.output) == ()
    analytic_all = grad(g) if scalar_output else jacobian(g)
    # rounding in f(x+h) - f(x-h) is about |f| * 1e-16 / h; allow ten times that
    roundoff = 1e-15 * max(1.0, float(np.max(np.abs(g.value)))) / eps
    rows, skipped = [], {}
    for name in g.inputs:
        shape = g.shape_of(g.input_node(name))
        size = int(np.prod(shape))
        flat = np.arange(size)
        if size > max_elements:
            flat = np.sort(rng.choice(size, max_elements, replace=False))
            skipped[name] = size - max_elements
        for k in flat.tolist():
            index = tuple(int(i) for i in np.unravel_index(k, shape)) if shape else ()
            numeric = np.ravel(central_difference(g, name, index, eps))
            if scalar_output:
                analytic = np.ravel(np.asarray(analytic_all[name])[index] if index
                                    else analytic_all[name])
            else:
                analytic = np.asarray(analytic_all[name])[:, k]
            for a, n in zip(analytic.tolist(), numeric.tolist()):
                error = abs(a - n)
                scale = max(abs(a), abs(n))
                rel = error / scale if scale > 0 else 0.0
                ok = agree(a, n, rtol=rtol, atol=atol + roundoff, equal_nan=False).ok
                rows.append(CheckRow(name, index, a, n, error, rel, ok))
    return GradCheck(tuple(rows), eps, rtol, atol, skipped)
