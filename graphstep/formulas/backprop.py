"""Matrix-form backprop: each input's gradient as an expression built from the per-edge rules.

The seed documents derive matrix gradients by hand; seed 000 *pretends they are scalars,
then makes the shapes match*, which gives the backprop recursion of an MLP,
``G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})^T`` and ``dJ/dW^l = (Z^{l-1})^T (G^l ⊙ s'(Z^l))``.
:func:`backprop_formulas` does the same with a graph's own edges: every node's adjoint
is the sum over its uses of the edge's adjoint rule (:func:`graphstep.formulas.rules.adjoint_rule`,
read from the op table). A :class:`Formula` prints as text and LaTeX and evaluates with
numpy from the graph's values, so :meth:`Formula.check` can compare it with
:func:`graphstep.grad`. This module is also the formulas' public face: it re-exports the
per-edge rule and the sentences of :mod:`graphstep.formulas.sentences`.

Notation: ``G_u`` is the adjoint ``dL/du`` of node ``u``, shaped like ``u``; ``L`` is
the (scalar) output; ``⊙`` is the elementwise product and juxtaposition a matrix product.

>>> import numpy as np, graphstep as gs
>>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
>>> backprop_formulas(g)["W"].text.splitlines()[0]
'∂L/∂W = Xᵀ 1_4x2'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from graphstep.algorithms.reverse import grad
from graphstep.errors import InputError, ShapeError
from graphstep.formulas.builder import add, fit, scale
from graphstep.formulas.expr import Adjoint, Const, Env, Expr, Mask, Pullback, Value, fit_value
from graphstep.formulas.names import adjoint_name, latex_name
from graphstep.formulas.rules import adjoint_rule, definition, forward_latex
from graphstep.formulas.sentences import adjoint_sentence, adjoint_sentences
from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT, OPS
from graphstep.text import shape_text

__all__ = [
    "backprop_formulas",
    "Formula",
    "Formulas",
    "FormulaCheck",
    "ACTIVATIONS",
    "adjoint_rule",
    "adjoint_sentence",
    "adjoint_sentences",
    "adjoint_name",
    "latex_name",
    "Expr",
    "Env",
    "Pullback",
    "scale",
]

#: Ops whose output is a layer's activation (``OpSpec.activation``): their adjoints are
#: named (``G_u``) in :func:`backprop_formulas`, like seed 000's ``G^l = dJ/dZ^l``.
ACTIVATIONS = frozenset(name for name, spec in OPS.items() if spec.activation)


@dataclass(frozen=True)
class FormulaCheck:
    """The derived formula's value against ``gs.grad``: ``ok`` when they agree.

    It is true exactly when ``ok`` is, and prints as one sentence.

    Parameters
    ----------
    name : str
        The input differentiated by.
    formula, grad : float or numpy.ndarray
        The formula's value and reverse accumulation's.
    max_abs_error : float
        The largest absolute difference.
    ok : bool
        Whether they agree within the tolerances.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
    >>> formula = gs.backprop_formulas(g)["M"]
    >>> check = formula.check()
    >>> bool(check), check.max_abs_error
    (True, 0.0)
    >>> print(check)
    the formula for ∂L/∂M agrees with reverse accumulation (largest difference 0.00e+00)
    """

    name: str
    formula: Any
    grad: Any
    max_abs_error: float
    ok: bool

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "agrees with" if self.ok else "DIFFERS from"
        return (f"the formula for ∂L/∂{self.name} {verdict} reverse accumulation "
                f"(largest difference {self.max_abs_error:.2e})")


@dataclass(frozen=True)
class Formula:
    """The vectorized gradient of the output with respect to one input.

    Parameters
    ----------
    graph : Graph
        The graph.
    name : str
        The input.
    node : int
        The input's node.
    expr : Expr
        The gradient in terms of the named adjoints ``G_u``.
    definitions : tuple of (int, Expr)
        Each named adjoint's own formula (seed 000's ``G^l`` recursion), in the order a
        reader needs them, nearest the input first (backprop computes them the other way
        round).
    loss : str
        The output's name in the formula (``L``).

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
    >>> formula = gs.backprop_formulas(g)["M"]
    >>> formula.check().ok, formula.evaluate().shape
    (True, (3, 2))
    """

    graph: Graph
    name: str
    node: int
    expr: Expr
    definitions: tuple[tuple[int, Expr], ...]
    loss: str = "L"

    @property
    def forward(self) -> tuple[int, ...]:
        """The non-input nodes whose values appear, with what they depend on, in node order.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> import numpy as np, graphstep as gs
        >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
        >>> formula = gs.backprop_formulas(g)["M"]
        >>> [g.label(n) for n in formula.forward]
        ['u1', 'u2']
        """
        seen: set[int] = set()
        stack = [n for e in self._all_exprs() for n in _values_in(e)]
        while stack:
            node = stack.pop()
            if node in seen or self.graph.op(node) in (INPUT, CONST):
                continue
            seen.add(node)
            stack.extend(self.graph.args(node))
        return tuple(sorted(seen))

    def _all_exprs(self) -> list[Expr]:
        return [self.expr] + [e for _, e in self.definitions]

    @property
    def text(self) -> str:
        """The gradient, the adjoint recursion it uses and the forward steps, as lines of text.

        Returns
        -------
        str

        Examples
        --------
        >>> import numpy as np, graphstep as gs
        >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
        >>> formula = gs.backprop_formulas(g)["M"]
        >>> print(formula.text)
        ∂L/∂M = -2·(u2 vᵀ)
          where u1 = M @ v, u2 = t - u1
        """
        g = self.graph
        lines = [f"∂{self.loss}/∂{self.name} = {self.expr.text()}"]
        for node, e in self.definitions:
            lines.append(f"  G_{g.label(node)} = {e.text()}")
        forward = [definition(g, n) for n in self.forward]
        if forward:
            lines.append("  where " + ", ".join(forward))
        return "\n".join(lines)

    @property
    def latex(self) -> str:
        r"""The same lines as a LaTeX ``aligned`` block.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> print(gs.backprop_formulas(gs.parse("sin(x) * y", x=1.0, y=2.0))["x"].latex)
        \begin{aligned}
        \frac{\partial L}{\partial x} &= G_{u_{1}} \cdot \cos\left(x\right) \\
        G_{u_{1}} &= y
        \end{aligned}
        """
        g = self.graph
        lines = [rf"\frac{{\partial {self.loss}}}{{\partial {latex_name(self.name)}}} &= "
                 + self.expr.latex()]
        for node, e in self.definitions:
            lines.append(f"G_{{{latex_name(g.label(node))}}} &= {e.latex()}")
        for node in self.forward:
            lines.append(f"{latex_name(g.label(node))} &= {forward_latex(g, node)}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def evaluate(self) -> Any:
        """The formula's value, computed with numpy from the graph's node values.

        Returns
        -------
        float or numpy.ndarray
            Of the input's shape.

        Examples
        --------
        >>> import numpy as np, graphstep as gs
        >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
        >>> formula = gs.backprop_formulas(g)["M"]
        >>> formula.evaluate()
        array([[ 6., 12.],
               [ 6., 12.],
               [ 6., 12.]])
        """
        env = Env(self.graph, dict(self.definitions))
        value = fit_value(self.expr.evaluate(env), self.graph.shape_of(self.node))
        return value if np.ndim(value) == 0 else np.array(value, dtype=float)

    def check(self, rtol: float = 1e-9, atol: float = 1e-12) -> FormulaCheck:
        """Compare :meth:`evaluate` with ``gs.grad`` (reverse accumulation).

        Parameters
        ----------
        rtol, atol : float
            The tolerances of ``numpy.allclose``.

        Returns
        -------
        FormulaCheck

        Examples
        --------
        >>> import numpy as np, graphstep as gs
        >>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
        >>> formula = gs.backprop_formulas(g)["M"]
        >>> formula.check(rtol=0.0, atol=0.0).ok
        True
        """
        expected = grad(self.graph, self.name)
        value = self.evaluate()
        error = float(np.max(np.abs(np.asarray(value) - np.asarray(expected)), initial=0.0))
        ok = bool(np.allclose(value, expected, rtol=rtol, atol=atol))
        return FormulaCheck(self.name, value, expected, error, ok)

    def __str__(self) -> str:
        return self.text


class Formulas(dict):
    """``{input name: Formula}`` (a dict), and the whole derivation as code and as LaTeX.

    Examples
    --------
    >>> import graphstep as gs
    >>> formulas = gs.backprop_formulas(gs.parse("sin(x) * y", x=1.0, y=2.0))
    >>> list(formulas), "def loss_and_grads(x, y):" in formulas.to_python()
    (['x', 'y'], True)
    >>> formulas.to_latex().startswith("\\\\begin{align}")
    True
    """

    def to_python(self) -> str:
        """A standalone numpy module: ``loss_and_grads(...)`` and ``check_grads()``.

        See :func:`graphstep.formulas.code.to_python`.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> "dL_dx = " in gs.backprop_formulas(gs.parse("x^2", x=3.0)).to_python()
        True
        """
        from graphstep.formulas.code import to_python  # loaded when asked for

        return to_python(self)

    def to_latex(self, environment: str = "align") -> str:
        """The forward pass, the adjoints and the gradients as one ``align``.

        See :func:`graphstep.formulas.latex.to_latex`.

        Parameters
        ----------
        environment : {"align", "align*"}

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> print(gs.backprop_formulas(gs.parse("x^2", x=3.0)).to_latex("align*"))
        \\begin{align*}
        \\intertext{Forward pass:}
        L = u_{1} &= x^{2} \\\\
        \\intertext{Gradients:}
        \\frac{\\partial L}{\\partial x} &= 2\\,x
        \\end{align*}
        """
        from graphstep.formulas.latex import to_latex

        return to_latex(self, environment)


def _values_in(e: Expr) -> list[int]:
    found = []
    stack = [e]
    while stack:
        item = stack.pop()
        if isinstance(item, (Value, Mask)):
            found.append(item.node)
        stack.extend(item.children())
    return found


def _adjoints_in(e: Expr) -> list[int]:
    found = []
    stack = [e]
    while stack:
        item = stack.pop()
        if isinstance(item, Adjoint):
            found.append(item.node)
        stack.extend(item.children())
    return found


def _named_nodes(g: Graph, active: list[bool], named: Any) -> set[int]:
    """Which adjoints get a name ``G_u``: the choice of :func:`backprop_formulas`."""
    uses = [sum(1 for _, head, _ in g.users[n] if active[head]) for n in range(len(g))]
    shared = {n for n in range(len(g)) if uses[n] > 1 and g.op(n) != INPUT}
    if named == "auto":
        chosen = {n for n in range(len(g)) if g.op(n) in ACTIVATIONS}
    elif named == "all":
        chosen = {n for n in range(len(g)) if g.op(n) not in (INPUT, CONST)}
    elif named == "none":
        chosen = set()
    else:
        if isinstance(named, str):
            raise InputError(f"named must be 'auto', 'all', 'none' or a list of labels, got {named!r}")
        by_label = {g.label(n): n for n in range(len(g)) if g.op(n) != CONST}
        chosen = set()
        for item in named:
            if isinstance(item, int) and 0 <= item < len(g):
                chosen.add(item)
            elif item in by_label:
                chosen.add(by_label[item])
            else:
                raise InputError(
                    f"no node {item!r} to name; the labels are: {', '.join(by_label)}")
    return {n for n in chosen | shared if active[n] and n != g.output and g.op(n) != INPUT}


def backprop_formulas(g: Graph, named: Any = "auto", loss: str = "L") -> Formulas:
    """Derive each input's gradient in matrix form from the per-edge adjoint rules.

    Every node's adjoint is the sum, over its uses, of the rule of that edge
    (:func:`adjoint_rule`, from the op table) applied to the user's adjoint. Adjoints of
    the nodes in ``named`` are kept as symbols ``G_u`` with a formula of their own; the
    others are written out in place. A node used more than once is always named.

    Parameters
    ----------
    g : Graph
        A graph with a scalar output.
    named : {"auto", "all", "none"} or list of str
        ``"auto"`` names the outputs of activation functions (:data:`ACTIVATIONS`), which
        for an MLP gives seed 000's recursion ``G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})ᵀ``;
        ``"all"`` names every node, ``"none"`` none; or give a list of labels.
    loss : str
        The output's name in the formulas.

    Returns
    -------
    Formulas
        ``{input name: Formula}`` in ``g.inputs`` order (a dict), with ``.to_python()``
        and ``.to_latex()`` for the whole derivation.

    Raises
    ------
    ShapeError
        When the output is not a scalar.
    InputError
        When ``named`` is unknown or names no node.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum((sigmoid(sigmoid(X @ W1) @ W2) - Y)^2) / 2", X=np.ones((5, 3)),
    ...              W1=np.ones((3, 4)) / 4, W2=np.ones((4, 2)) / 4, Y=np.zeros((5, 2)))
    >>> f = backprop_formulas(g)["W1"]
    >>> print(f.text)
    ∂L/∂W1 = Xᵀ (G_u2 ⊙ u2 ⊙ (1 - u2))
      G_u2 = (G_u4 ⊙ u4 ⊙ (1 - u4)) W2ᵀ
      G_u4 = u5
      where u1 = X @ W1, u2 = sigmoid(u1), u3 = u2 @ W2, u4 = sigmoid(u3), u5 = u4 - Y
    >>> f.check().ok
    True
    """
    if g.shape_of(g.output) != ():
        raise ShapeError(
            f"backprop formulas need a scalar output, but {g.expr(g.output)} has shape "
            f"{shape_text(g.shape_of(g.output))}"
        )
    active = []
    for n in range(len(g)):
        active.append(g.op(n) == INPUT or any(active[a] for a in g.args(n)))
    named_set = _named_nodes(g, active, named)
    full: dict[int, Expr] = {}
    ref: dict[int, Expr] = {}
    for node in range(g.output, -1, -1):
        if not active[node]:
            continue
        if node == g.output:
            e: Expr = Const((), 1.0)
        else:
            terms = [adjoint_rule(g, head, pos, ref[head])
                     for _, head, pos in g.users[node] if head in ref]
            e = add(terms)
        full[node] = fit(e, g.shape_of(node))
        ref[node] = Adjoint(g.shape_of(node), node, g.label(node)) if node in named_set else full[node]
    result = Formulas()
    for name in g.inputs:
        node = g.input_node(name)
        expr = full[node]
        needed: list[int] = []
        stack = _adjoints_in(expr)
        while stack:
            n = stack.pop()
            if n in needed:
                continue
            needed.append(n)
            stack.extend(_adjoints_in(full[n]))
        definitions = tuple((n, full[n]) for n in sorted(needed))
        result[name] = Formula(g, name, node, expr, definitions, loss)
    return result
