"""The sum over paths: a derivative as a sum of products of local derivatives.

``d output / d x`` is the sum, over every directed path from ``x`` to the output, of
the product of the local derivatives on the path's edges. With the edges as a
matrix ``D`` (nilpotent on a DAG) this is an entry of ``(I - D)^-1``.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x**2)", x=1.5)
>>> [round(p.product, 4) for p in paths(g, "x")]
[42.6948, 9.4877]
>>> len(paths(g, "x")), paths(g, "x")[0].labels
(2, ('u3', 'u2', 'u1', 'x'))
>>> count_paths(g, "x"), round(path_sum(g, "x"), 4)
(2, 52.1825)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np

from graphstep.algorithms.agreement import agree
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.reverse import grad
from graphstep.edges import Edge
from graphstep.errors import PathLimitError, ShapeError, SizeLimitError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac
from graphstep.text import inline_value, print_value, table

__all__ = [
    "Path", "PathList", "paths", "path_sum", "count_paths", "path_counts", "edge_matrix", "total_derivatives",
    "paths_report", "PATH_LIMIT", "MATRIX_LIMIT", "MAX_TABLE_PATHS",
]

#: How many paths :func:`paths` enumerates before refusing.
PATH_LIMIT = 10_000
#: Most nodes :func:`edge_matrix` and :func:`total_derivatives` accept (dense n x n matrices).
MATRIX_LIMIT = 2_000
#: How many paths :func:`paths_report` lists before it gives only their count.
MAX_TABLE_PATHS = 50


@dataclass(frozen=True)
class Path:
    """One path from the output back to an input.

    Attributes
    ----------
    nodes : tuple of int
        The node ids, from the output to the input.
    edges : tuple of Edge
        The :class:`~graphstep.edges.Edge` tuples ``(tail, head, pos)``, output side first.
    factors : tuple
        The local derivatives met along the way, in chain order (``d out/d u_k``, ...,
        ``d u_1/d x``): floats, or :class:`~graphstep.ops.jacobians.Jacobian` objects.
    labels : tuple of str
        The nodes' display names.
    shape : tuple of int
        The input's shape (the empty path's product is its identity).

    Examples
    --------
    >>> import graphstep as gs
    >>> path = list(gs.paths(gs.parse("x * exp(x**2)", x=1.5), "x"))[0]
    >>> print(path)
    u3 ← u2 ← u1 ← x: product 42.6948
    >>> path.edges[-1]
    Edge(tail=0, head=2, pos=0)
    """

    nodes: tuple[int, ...]
    edges: tuple[Edge, ...]
    factors: tuple[Any, ...]
    labels: tuple[str, ...] = ()
    shape: tuple[int, ...] = ()

    def __str__(self) -> str:
        route = " ← ".join(self.labels or map(str, self.nodes))
        product = self.product
        shown = jac.formula_of(product) if isinstance(product, jac.Jacobian) else f"{product:.6g}"
        return f"{route}: product {shown}"

    @property
    def product(self) -> Any:
        """The product of the factors, output side first (a float, or a Jacobian for tensors).

        Returns
        -------
        float or Jacobian

        Examples
        --------
        >>> import graphstep as gs
        >>> [p.product for p in gs.paths(gs.parse("x * sin(x)", x=0.0), "x")]
        [0.0, 0.0]
        """
        if not self.factors:  # the output is the input itself
            return 1.0 if self.shape == () else jac.Scale(1.0, self.shape)
        return reduce(jac.compose, self.factors)

    def contribution(self, seed: Any = 1.0) -> Any:
        """What this path adds to the gradient: ``seed`` pulled back along it.

        For a scalar output this has the input's shape; summed over all paths it
        gives the gradient.

        Parameters
        ----------
        seed : float or numpy.ndarray, optional
            The output's adjoint, of the output's shape.

        Returns
        -------
        float or numpy.ndarray

        Examples
        --------
        >>> import graphstep as gs
        >>> [p.contribution(1.0).tolist() for p in gs.paths(gs.parse("sum(v * v)", v=[1.0, 2.0]), "v")]
        [[1.0, 2.0], [1.0, 2.0]]
        """
        g = seed
        for factor in self.factors:
            g = jac.vjp(factor, g)
        return g

    def formulas(self, g: Graph) -> list[str]:
        """Each factor's formula, in chain order (``g`` is the graph the path belongs to).

        Parameters
        ----------
        g : Graph
            The graph the path belongs to.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x**2)", x=1.0)
        >>> gs.paths(g, "x")[0].formulas(g)
        ['cos(u1)', '2·x']
        """
        return [g.edge_formula(head, pos) for _, head, pos in self.edges]

    def describe(self, g: Graph) -> str:
        """The path as one line: its route, its factors' formulas and their product.

        Parameters
        ----------
        g : Graph
            The graph the path belongs to.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x**2)", x=1.0)
        >>> gs.paths(g, "x")[0].describe(g)
        'u2 ← u1 ← x: cos(u1) · 2·x = 1.0806'
        """
        route = " ← ".join(g.label(n) for n in self.nodes)
        formula = " · ".join(self.formulas(g)) or "1"
        product = self.product
        if isinstance(product, jac.Jacobian):
            return f"{route}: {formula} ({jac.shape_text(product.out_shape)} ← " \
                   f"{jac.shape_text(product.in_shape)})"
        return f"{route}: {formula} = {product:.6g}"


class PathList(Sequence):
    """The paths from the output back to one input: a read-only list of :class:`Path`.

    ``len``, indexing (negative too; a slice gives a plain list) and iteration work as on
    a list; the repr is the paths table that ``graphstep grad`` prints.

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        The input the paths end at.
    items : iterable of Path
        The paths, in order.

    Examples
    --------
    >>> import graphstep as gs
    >>> found = gs.paths(gs.parse("x * x", x=3.0), "x")
    >>> len(found), found[0].product, [p.product for p in found[1:]]
    (2, 3.0, [3.0])
    >>> found  # doctest: +NORMALIZE_WHITESPACE
    paths from the output back to x: 2
      #  path    factors  factor values  product
      1  u1 ← x  x        3              3
      2  u1 ← x  x        3              3
    path sum 6 = reverse accumulation 6 (max difference 0)
    """

    def __init__(self, g: Graph, wrt: str, items: Iterator[Path]):
        self.graph, self.wrt = g, wrt
        self._paths = tuple(items)

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self._paths[index])
        return self._paths[index]

    def __iter__(self) -> Iterator[Path]:
        return iter(self._paths)

    def __repr__(self) -> str:
        return paths_report(self.graph, self.wrt)


def path_counts(g: Graph, wrt: str) -> list[int]:
    """For every node, the exact number of paths from input ``wrt`` to it.

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        An input name.

    Returns
    -------
    list of int
        Python integers by node id (exact however many paths there are).

    Raises
    ------
    InputError
        When ``wrt`` is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> path_counts(gs.parse("x*x + x", x=1.0), "x")
    [1, 2, 3]
    """
    source = g.input_node(wrt)
    counts = [0] * len(g)
    counts[source] = 1
    for head in range(source + 1, len(g)):
        total = 0
        for tail in g.args(head):
            total += counts[tail]
        counts[head] = total
    return counts


def count_paths(g: Graph, wrt: str) -> int:
    """The exact number of paths from ``wrt`` to the output, without enumerating them.

    Dynamic programming over the topological order, on Python integers, so it stays
    exact past 2**64.

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        An input name.

    Returns
    -------
    int

    Examples
    --------
    >>> import graphstep as gs
    >>> count_paths(gs.parse("x * x", x=2.0), "x")
    2
    """
    return path_counts(g, wrt)[g.output]


def _checked_paths(g: Graph, wrt: str, limit: int) -> Iterator[Path]:
    """The paths, enumerated lazily, after refusing more than ``limit`` of them."""
    counts = path_counts(g, wrt)
    total = counts[g.output]
    if total > limit:
        raise PathLimitError(
            f"{g.expr(g.output)} has {total:,} paths back to {wrt}, more than the limit of "
            f"{limit:,}; count them with count_paths or raise limit="
        )
    return _enumerate(g, g.input_node(wrt), counts)


def paths(g: Graph, wrt: str, limit: int = PATH_LIMIT) -> PathList:
    """The paths from the output back to input ``wrt``, as a :class:`PathList`.

    Paths come in a fixed order: from ``wrt`` up, edge by edge, by the head node and
    then the argument position, the order in which reverse accumulation adds the
    contributions to the input's adjoint (``x̄ = ū1 · 2·x + ū3 · u2``). More than
    ``limit`` paths raise :class:`~graphstep.errors.PathLimitError` with the exact
    count, before any is built.

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        An input name.
    limit : int, optional
        Most paths enumerated.

    Returns
    -------
    PathList

    Raises
    ------
    PathLimitError
        When there are more than ``limit`` paths.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x**2)", x=1.5)
    >>> [[g.label(n) for n in p.nodes] for p in paths(g, "x")]
    [['u3', 'u2', 'u1', 'x'], ['u3', 'x']]
    """
    found = sorted(_checked_paths(g, wrt, limit),
                   key=lambda p: tuple((e.head, e.pos) for e in reversed(p.edges)))
    return PathList(g, wrt, found)


def _enumerate(g: Graph, source: int, counts: list[int]) -> Iterator[Path]:
    # Depth-first over (node, edges so far), without recursion.
    stack: list[tuple[int, tuple[Edge, ...]]] = [(g.output, ())]
    while stack:
        node, edges = stack.pop()
        if node == source:
            nodes = (g.output,) + tuple(edge.tail for edge in edges)
            factors = tuple(g.local(head, pos) for _, head, pos in edges)
            yield Path(nodes, edges, factors, tuple(g.label(n) for n in nodes),
                       g.shape_of(source))
            continue
        args = g.args(node)
        for pos in range(len(args) - 1, -1, -1):
            if counts[args[pos]]:
                stack.append((args[pos], edges + (Edge(args[pos], node, pos),)))


def path_sum(g: Graph, wrt: str, limit: int = PATH_LIMIT) -> Any:
    """The sum over all paths of the path products: equals ``gs.grad(g, wrt)``.

    For a scalar output the result has the input's shape; for a tensor output it is
    the dense numerator-layout Jacobian (equal to ``gs.jacobian(g, wrt)``).

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        An input name.
    limit : int, optional
        Most paths enumerated.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    PathLimitError
        When there are more than ``limit`` paths.

    Examples
    --------
    >>> import graphstep as gs
    >>> path_sum(gs.parse("x*x + x", x=3.0), "x")
    7.0
    """
    node = g.input_node(wrt)
    out_shape = g.shape_of(g.output)
    in_shape = g.shape_of(node)
    if out_shape == ():
        total = 0.0 if in_shape == () else np.zeros(in_shape)
        for path in _checked_paths(g, wrt, limit):
            total = total + path.contribution(1.0)
        return float(total) if in_shape == () else np.asarray(total, dtype=float)
    rows, cols = int(np.prod(out_shape)), int(np.prod(in_shape))
    total = np.zeros((rows, cols))
    for path in _checked_paths(g, wrt, limit):
        total += jac.to_dense(path.product)
    return total


def edge_matrix(g: Graph) -> np.ndarray:
    """The local derivatives of a scalar graph as a matrix ``D``: ``D[head, tail]`` sums the
    local derivatives of the edges ``tail -> head``.

    ``D`` is strictly lower triangular (nodes are in topological order), hence nilpotent:
    ``D^k`` sums the products along all paths of exactly ``k`` edges.

    Parameters
    ----------
    g : Graph
        A graph whose values are all scalars.

    Returns
    -------
    numpy.ndarray
        ``len(g) x len(g)``.

    Raises
    ------
    ShapeError
        When the graph holds tensors.
    SizeLimitError
        When it has more than :data:`MATRIX_LIMIT` nodes.

    Examples
    --------
    >>> import graphstep as gs
    >>> edge_matrix(gs.parse("x * x", x=3.0))
    array([[0., 0.],
           [6., 0.]])
    """
    if not g.is_scalar:
        raise ShapeError(
            f"edge_matrix needs scalar nodes; {g.expr(g.output)} has tensors (use path_sum)"
        )
    if len(g) > MATRIX_LIMIT:
        raise SizeLimitError(f"the graph has {len(g):,} nodes; edge_matrix allows {MATRIX_LIMIT:,}")
    matrix = np.zeros((len(g), len(g)))
    for tail, head, pos in g.edges():
        matrix[head, tail] += g.local(head, pos)
    return matrix


def total_derivatives(g: Graph) -> np.ndarray:
    """``(I - D)^-1 = I + D + D^2 + ...``: entry ``[v, u]`` is ``dv/du`` summed over all paths.

    Row ``g.output`` holds the gradient with respect to every node at once.

    Parameters
    ----------
    g : Graph
        A scalar graph (see :func:`edge_matrix`).

    Returns
    -------
    numpy.ndarray
        ``len(g) x len(g)``.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x**2)", x=1.5)
    >>> round(float(total_derivatives(g)[g.output, g.input_node("x")]), 4)
    52.1825
    """
    matrix = edge_matrix(g)
    return np.linalg.inv(np.eye(len(g)) - matrix)


def paths_report(g: Graph, wrt: str, max_paths: int = MAX_TABLE_PATHS) -> str:
    """The paths table: the paths from the output back to ``wrt``, their factors and products.

    ``repr`` of a :class:`PathList`, the REPL's ``paths`` command and ``graphstep grad``
    print it.

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        The input's name.
    max_paths : int, optional
        List at most this many paths; past that only their exact count is given (and
        the path sum when there are at most :data:`PATH_LIMIT`).

    Returns
    -------
    str
        The count, the table, and a last line comparing the path sum with reverse
        accumulation (``gs.grad``, or ``gs.jacobian`` for a tensor output).

    Raises
    ------
    InputError
        When ``wrt`` is not an input of ``g``.

    Examples
    --------
    >>> import graphstep as gs
    >>> print(paths_report(gs.parse("x * y", x=2.0, y=3.0), "y"))
    paths from the output back to y: 1
      #  path    factors  factor values  product
      1  u1 ← y  x        2              2
    path sum 2 = reverse accumulation 2 (max difference 0)
    """
    g.input_node(wrt)  # an InputError naming the inputs when wrt is unknown
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
            factor_values = " · ".join(inline_value(f) for f in path.factors) or "1"
            product = inline_value(path.contribution(1.0) if scalar_output else path.product)
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
    scale = max(1.0, float(np.max(np.abs(reverse))))
    same, difference = agree(total, reverse, rtol=0.0, atol=1e-9 * scale)
    verdict = "=" if same else "≠"
    name = "reverse accumulation" if scalar_output else "the Jacobian by reverse accumulation"
    if np.ndim(total) == 0:
        lines.append(f"path sum {print_value(total)} {verdict} {name} {print_value(reverse)} "
                     f"(max difference {difference:.3g})")
    else:
        lines.append(f"path sum {verdict} {name} (max difference {difference:.3g}):")
        lines.append("  " + print_value(total, indent=2))
    return "\n".join(lines)
