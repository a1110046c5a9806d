"""Matrix calculus, shown: dimension analysis of tensor edges and matrix-form backprop.

The seed documents derive matrix gradients by hand. Seed 001: *use dimension
analysis* ("as scalars dscore/dW = X; dL/dscore is N x C and X is N x D, so
dL/dW = X^T dL/dscore, D x C"); seed 000: *pretend they are scalars, then make the
shapes match*, which gives the backprop recursion of an MLP,
``G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})^T`` and ``dJ/dW^l = (Z^{l-1})^T (G^l ⊙ s'(Z^l))``.
This module does the same with a graph's own edges:

- :func:`adjoint_sentence` explains one edge's adjoint rule in words, with shapes;
  :func:`adjoint_sentences` does it for every edge.
- :func:`backprop_formulas` derives, for every input, the vectorized gradient as a
  small expression tree built from the per-edge adjoint rules; it prints as text and
  LaTeX and evaluates with numpy from the graph's node values, so
  :meth:`Formula.check` can compare it with :func:`graphstep.grad`.
- :func:`edge_formula` and :func:`path_formula` write local derivatives in numerator
  or denominator layout (seed 003).

Notation: ``G_u`` is the adjoint ``dL/du`` of node ``u``, shaped like ``u``; ``L`` is
the (scalar) output; ``⊙`` is the elementwise product and juxtaposition a matrix product.

>>> import numpy as np, graphstep as gs
>>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
>>> print(adjoint_sentence(g, 2, 1))
u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4x2 and X is 4x3, so G_W = Xᵀ G_u1 (3x4 times 4x2), 3x2 like W.
>>> backprop_formulas(g)["W"].text.splitlines()[0]
'∂L/∂W = Xᵀ 1_4x2'
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from graphstep.build.trace import format_op
from graphstep.errors import InputError, ShapeError
from graphstep.formulas.expr import (
    _NOTATION,
    Adjoint,
    Const,
    Expr,
    Fn,
    Index,
    Indicator,
    Mask,
    PowerOf,
    PowerRule,
    Pullback,
    Reshape,
    SumKeep,
    Value,
    _check_notation,
    _div,
    _Env,
    _expand,
    _fit,
    _fit_expr,
    _matmul,
    _num,
    _outer,
    _pow,
    _shape_latex,
    _size,
    _sum_to,
    _transpose_expr,
    add,
    adjoint_name,
    had,
    latex_name,
    neg,
    scale,
)
from graphstep.graph import Graph
from graphstep.ops.jacobians import (
    Jacobian,
    _normal_axes,
    _paren,
    check_layout,
    formula_of,
    shape_paren,
    shape_text,
)
from graphstep.ops.jacobians import Scale as ScaleJacobian
from graphstep.ops.table import OPS

__all__ = [
    "adjoint_sentence",
    "adjoint_sentences",
    "backprop_formulas",
    "Formula",
    "FormulaCheck",
    "edge_formula",
    "path_formula",
    "layout_note",
    "ACTIVATIONS",
    "Expr",
    "adjoint_rule",
    "adjoint_name",
    "latex_name",
]

#: Elementwise ops whose output is a layer's activation: their adjoints are named
#: (``G_u``) in :func:`backprop_formulas`, like seed 000's ``G^l = dJ/dZ^l``.
ACTIVATIONS = frozenset(
    {"exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs", "softmax"}
)

# ======================================================================================
# the per-edge adjoint rules
# ======================================================================================


def _leaf(g: Graph, node: int) -> Expr:
    """A node's value as a leaf; constants filled with one number become :class:`Const`."""
    shape = g.shape_of(node)
    if not g.active[node]:  # a constant, or computed from constants only (2*4)
        value = np.asarray(g.value_of(node))
        if value.size and np.all(value == value.flat[0]):
            return Const(shape, float(value.flat[0]))
    return Value(shape, node, g.label(node))


def _uniform(e: Expr) -> float | None:
    return e.c if isinstance(e, Const) else None


#: The expression builder the op table's ``symbolic`` rules are written with.
BUILDER = SimpleNamespace(
    had=had, neg=neg, scale=scale, add=add, div=_div, pow=_pow, uniform=_uniform,
    one=Const((), 1.0), const=lambda c: Const((), c),
    fn=lambda name, x: Fn(x.shape, name, x),
    indicator=lambda a, relation, b: Indicator(a.shape, a, relation, b),
    power_of=lambda a, exponent: PowerOf(a.shape, a, exponent),
    power_rule=lambda a, exponent: PowerRule(a.shape, a, exponent),
)


def _elementwise_rule(g: Graph, head: int, pos: int, G: Expr) -> Expr | None:
    """The op table's symbolic rule for an elementwise edge (None when it has none)."""
    op = OPS[g.op(head)]
    if not op.symbolic:
        return None
    args = tuple(_leaf(g, a) for a in g.args(head))
    y = Value(g.shape_of(head), head, g.label(head))
    return op.symbolic[pos](BUILDER, G, args, y)


def _matmul_rule(g: Graph, head: int, pos: int, G: Expr) -> Expr:
    a_node, b_node = g.args(head)
    a, b = _leaf(g, a_node), _leaf(g, b_node)
    sa, sb = a.shape, b.shape

    def _transpose(e: Expr) -> Expr:  # (Wᵀ)ᵀ is W: read through a transpose node
        node = e.node if isinstance(e, Value) else None
        if node is not None and g.op(node) == "transpose" and len(e.shape) == 2:
            return _leaf(g, g.args(node)[0])
        return _transpose_expr(e)

    if pos == 0:
        if len(sa) == 1 and len(sb) == 1:
            return had(G, b)  # y = a·b: G_a = G_y b
        if len(sa) == 2 and len(sb) == 1:
            return _outer(G, b)  # y = M x: G_M = G_y xᵀ
        return _matmul(G, _transpose(b))  # G_A = G_Y Bᵀ (a row vector a: same)
    if len(sa) == 1 and len(sb) == 1:
        return had(G, a)
    if len(sa) == 1 and len(sb) == 2:
        return _outer(a, G)  # y = a B: G_B = a G_yᵀ
    return _matmul(_transpose(a), G)  # G_B = Aᵀ G_Y (a vector x: same)


def _reduce_axes(g: Graph, node: int, head: int) -> tuple[int, ...]:
    axis = g.params(head).get("axis")
    ndim = len(g.shape_of(node))
    return tuple(range(ndim)) if axis is None else _normal_axes(axis, ndim)


def _structural_rule(g: Graph, head: int, pos: int, G: Expr) -> Expr | None:
    op = g.op(head)
    tail = g.args(head)[pos]
    shape = g.shape_of(tail)
    if op in ("matmul", "dot"):
        return _matmul_rule(g, head, pos, G)
    if op == "transpose":
        return _transpose_expr(G)
    if op in ("sum", "mean"):
        axes = _reduce_axes(g, tail, head)
        copied = _expand(G, axes, shape)
        if op == "sum":
            return copied
        return scale(1.0 / max(_size(tuple(shape[a] for a in axes)), 1), copied)
    if op in ("amax", "amin"):
        axes = _reduce_axes(g, tail, head)
        mask = Mask(shape, head, g.label(tail), op[1:], g.params(head).get("axis"))
        return had(_expand(G, axes, shape), mask)
    if op == "softmax":
        s = Value(g.shape_of(head), head, g.label(head))
        axis = g.params(head).get("axis", -1)
        return had(s, add([G, neg(SumKeep(_keep_shape(shape, axis), had(G, s), axis))]))
    if op == "reshape":
        return G if G.shape == shape else (
            Const(shape, G.c) if isinstance(G, Const) else Reshape(shape, G))
    if op == "broadcast":
        return _sum_to(G, shape)
    if op == "stack":
        if isinstance(G, Const):
            return Const(shape, G.c)
        return Index(shape, G, pos)
    return None


def _keep_shape(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    axis %= len(shape)
    return tuple(1 if i == axis else n for i, n in enumerate(shape))


def adjoint_rule(g: Graph, head: int, pos: int, upstream: Expr | None = None) -> Expr:
    """The contribution of edge ``(head, pos)`` to its tail's adjoint, as an expression.

    ``upstream`` stands for the head's adjoint (``G_head`` by default). This is the
    rule the op table's ``adjoint`` template states, made evaluable.

    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("tanh(W @ x)", W=np.ones((3, 2)), x=np.ones(2))
    >>> adjoint_rule(g, 2, 0).text(), adjoint_rule(g, 3, 0).text()
    ('G_u1 xᵀ', 'G_u2 ⊙ (1 - u2²)')
    """
    G = upstream if upstream is not None else Adjoint(g.shape_of(head), head, g.label(head))
    op = OPS[g.op(head)]
    rule = _elementwise_rule(g, head, pos, G) if op.elementwise else _structural_rule(g, head, pos, G)
    if rule is None:
        local = g.local(head, pos)
        rule = Pullback(g.shape_of(g.args(head)[pos]), G, head, pos, formula_of(local))
    return _fit_expr(rule, g.shape_of(g.args(head)[pos]))


# ======================================================================================
# dimension analysis, in words
# ======================================================================================


def _shape_words(shape: tuple[int, ...]) -> str:
    return shape_text(tuple(shape))


def _definition(g: Graph, node: int) -> str:
    """``u3 = u2 @ W2``: one forward step, written with the arguments' labels."""
    op = g.op(node)
    label = g.label(node)
    if op in ("input", "const"):
        return label
    args = [g.label(a) for a in g.args(node)]
    if op == "broadcast":
        return f"{label} = {args[0]} broadcast to {_shape_words(g.shape_of(node))}"
    return f"{label} = {format_op(op, args, [6] * len(args), g.params(node))}"


def _scalar_sentence(g: Graph, head: int, pos: int) -> str:
    tail = g.args(head)[pos]
    h, t = g.label(head), g.label(tail)
    Gh, Gt = adjoint_name(h), adjoint_name(t)
    local = g.local(head, pos)
    formula = g.formula(head, pos)
    value = float(local) if not isinstance(local, Jacobian) else float(local.vjp(1.0))
    shown = formula if formula == _num(value) else f"{formula} = {value:.4g}"
    text = f"{_definition(g, head)}: ∂{h}/∂{t} = {shown}, so {Gt} gets {Gh}·{_wrap(formula)}"
    uses = len(g.users[tail])
    if uses > 1:
        text += f"; {t} has {uses} uses and {Gt} adds up their contributions"
    return text + "."


def _wrap(text: str) -> str:
    bracketed = text.startswith("[") and text.endswith("]") and text.count("[") == 1
    return f"({text})" if (" " in text or text.startswith("-")) and not bracketed else text


def adjoint_sentence(g: Graph, head: int, pos: int, notation: str = "G") -> str:
    """Explain the adjoint rule of edge ``(head, pos)`` by dimension analysis (seeds 000, 001).

    For a tensor edge: what the derivative is "as scalars", the shapes of the pieces,
    and the arrangement that makes the shapes match, e.g. ``as scalars ∂u1/∂W = X;
    G_u1 is 4x2 and X is 4x3, so G_W = Xᵀ G_u1 (3x4 times 4x2), 3x2 like W``. For a
    scalar edge, a plain sentence with the local derivative's formula and value.

    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(X @ W + b)", X=np.ones((4, 3)), W=np.ones((3, 2)), b=np.zeros(2))
    >>> print(adjoint_sentence(g, 4, 0))  # doctest: +NORMALIZE_WHITESPACE
    b (2,) is broadcast to 4x2, so each entry of b is used 4 times; as scalars ∂u2/∂b = 1,
    and the uses add up: G_b = 1_4ᵀ G_u2 (1x4 times 4x2), (2,) like b.
    >>> print(adjoint_sentence(gs.parse("sin(x) * y", x=0.5, y=2.0), 1, 0))
    u1 = sin(x): ∂u1/∂x = cos(x) = 0.8776, so G_x gets G_u1·cos(x).

    ``notation="bar"`` writes the adjoints as ``ū1``, ``x̄`` instead of ``G_u1``, ``G_x``:

    >>> print(adjoint_sentence(gs.parse("sin(x) * y", x=0.5, y=2.0), 1, 0, notation="bar"))
    u1 = sin(x): ∂u1/∂x = cos(x) = 0.8776, so x̄ gets ū1·cos(x).
    """
    token = _NOTATION.set(_check_notation(notation))
    try:
        return _adjoint_sentence(g, head, pos)
    finally:
        _NOTATION.reset(token)


def _adjoint_sentence(g: Graph, head: int, pos: int) -> str:
    args = g.args(head)
    if not 0 <= pos < len(args):
        raise InputError(f"node {g.label(head)} has no argument {pos}")
    tail = args[pos]
    shapes = [g.shape_of(head), g.shape_of(tail)] + [g.shape_of(a) for a in args]
    if all(s == () for s in shapes):
        return _scalar_sentence(g, head, pos)
    h, t = g.label(head), g.label(tail)
    Gh, Gt = adjoint_name(h), adjoint_name(t)
    sh, st = g.shape_of(head), g.shape_of(tail)
    if g.op(tail) == "const":
        return f"{t} is a constant: it takes no gradient."
    rule = adjoint_rule(g, head, pos).text()
    like = f"{_shape_words(st)} like {t}"
    op = g.op(head)
    intro = _definition(g, head) + "."
    if op in ("matmul", "dot"):
        a, b = (g.label(n) for n in args)
        sa, sb = (g.shape_of(n) for n in args)
        other, so = (b, sb) if pos == 0 else (a, sa)
        if sh == ():
            return (f"{intro} As scalars ∂{h}/∂{t} = {other}; {Gh} is a scalar and {other} is "
                    f"{_shape_words(so)}, so {Gt} = {rule}, {like}.")
        if len(st) == 2 and len(so) == 1:
            return (f"{intro} As scalars ∂{h}/∂{t} = {other}; {Gh} is {_shape_words(sh)} and "
                    f"{other} is {_shape_words(so)}, so {Gt} = {rule}, an outer product, {like}.")
        product = _product_shapes(pos, sh, so)
        return (f"{intro} As scalars ∂{h}/∂{t} = {other}; {Gh} is {_shape_words(sh)} and "
                f"{other} is {_shape_words(so)}, so {Gt} = {rule}{product}, {like}.")
    if op == "broadcast":
        times = _size(sh) // max(_size(st), 1)
        product = ""
        if len(sh) == 2 and st in ((sh[1],), (1, sh[1])):
            product = f" (1x{sh[0]} times {_shape_words(sh)})"
        return (f"{t} {shape_paren(st)} is broadcast to {_shape_words(sh)}, so each entry of "
                f"{t} is used {times} times; as scalars ∂{h}/∂{t} = 1, and the uses add up: "
                f"{Gt} = {rule}{product}, {like}.")
    if op in ("sum", "mean"):
        axes = _reduce_axes(g, tail, head)
        n = _size(tuple(st[a] for a in axes))
        what = "adds up" if op == "sum" else "averages"
        if len(axes) == len(st):
            how = f"{what} all {n} entries of {t}"
        else:
            axis_words = f"ax{'is' if len(axes) == 1 else 'es'} {','.join(map(str, axes))}"
            how = f"{what} {t} along {axis_words} ({n} entries each time)"
        scalar = "1" if op == "sum" else f"1/{n}"
        return (f"{intro} It {how}: as scalars ∂{h}/∂{t} = {scalar} for each entry, so "
                f"{Gt} = {rule}: {Gh} {shape_paren(sh)} copied back to every entry it came "
                f"from, {like}.")
    if op in ("amax", "amin"):
        which = "largest" if op == "amax" else "smallest"
        return (f"{intro} Only the {which} entry counts: as scalars ∂{h}/∂{t} = 1 there and 0 "
                f"elsewhere, so {Gt} = {rule}, {like}.")
    if op == "softmax":
        axis = g.params(head).get("axis", -1)
        return (f"{intro} Softmax couples the entries along axis {axis}: its Jacobian "
                f"diag({h}) - {h}·{h}ᵀ is not diagonal, so {Gt} = {rule}, {like}.")
    if op == "transpose":
        return f"{intro} The entries only move: {Gt} = {rule}, {like}."
    if op == "reshape":
        return f"{intro} The same numbers in another shape: {Gt} = {rule}, {like}."
    if op == "stack":
        return (f"{intro} {t} is entry {pos} of {h} ({_shape_words(sh)}): {Gt} = {rule}, "
                f"{like}.")
    if OPS[op].elementwise:
        local = g.local(head, pos)
        if isinstance(local, ScaleJacobian):
            return (f"{intro} As scalars ∂{h}/∂{t} = {_num(local.c)}, the same for every entry, "
                    f"so {Gt} = {rule}, {like}.")
        return (f"{intro} It acts entry by entry, so its Jacobian {local.formula} is diagonal: "
                f"as scalars ∂{h}/∂{t} = {g.formula(head, pos)}, and {Gt} = {rule} is an "
                f"elementwise product, {like}.")
    return f"{intro} {Gt} = {rule}, {like}."


def _product_shapes(pos: int, sh: tuple[int, ...], so: tuple[int, ...]) -> str:
    """``(3x4 times 4x2)``: the shapes multiplied in a matrix rule, to show they match."""
    if len(sh) != 2 or len(so) != 2:
        return ""
    if pos == 0:  # G_A = G_Y Bᵀ
        return f" ({_shape_words(sh)} times {so[1]}x{so[0]})"
    return f" ({so[1]}x{so[0]} times {_shape_words(sh)})"  # G_B = Aᵀ G_Y


def adjoint_sentences(g: Graph, notation: str = "G") -> dict[tuple[int, int], str]:
    """Every edge's :func:`adjoint_sentence`, keyed ``(head, pos)``, output side first.

    Edges from constants are left out (they take no gradient).

    >>> import graphstep as gs
    >>> sentences = adjoint_sentences(gs.parse("x * y", x=2.0, y=3.0))
    >>> sentences[(2, 1)]
    'u1 = x*y: ∂u1/∂y = x = 2, so G_y gets G_u1·x.'
    """
    result = {}
    for head in range(len(g) - 1, -1, -1):
        for pos, tail in enumerate(g.args(head)):
            if g.op(tail) != "const":
                result[(head, pos)] = adjoint_sentence(g, head, pos, notation)
    return result


# ======================================================================================
# matrix-form backprop formulas
# ======================================================================================


@dataclass(frozen=True)
class FormulaCheck:
    """The derived formula's value against ``gs.grad``: ``ok`` when they agree."""

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

    ``expr`` is the gradient in terms of the named adjoints ``G_u``; ``definitions``
    gives each named adjoint's own formula (seed 000's ``G^l`` recursion), in the order
    a reader needs them, nearest the input first (backprop computes them the other
    way round); ``forward`` lists the forward steps whose values the formulas use.

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
        """The non-input nodes whose values appear, with what they depend on, in node order."""
        seen: set[int] = set()
        stack = [n for e in self._all_exprs() for n in _values_in(e)]
        while stack:
            node = stack.pop()
            if node in seen or self.graph.op(node) in ("input", "const"):
                continue
            seen.add(node)
            stack.extend(self.graph.args(node))
        return tuple(sorted(seen))

    def _all_exprs(self) -> list[Expr]:
        return [self.expr] + [e for _, e in self.definitions]

    @property
    def inline(self) -> Expr:
        """The gradient as one expression: every named adjoint replaced by its formula."""
        table = dict(self.definitions)

        def substitute(e: Expr) -> Expr | None:
            if isinstance(e, Adjoint) and e.node in table:
                return table[e.node].replace(substitute)
            return None

        return self.expr.replace(substitute)

    @property
    def text(self) -> str:
        """The gradient, the adjoint recursion it uses and the forward steps, as lines of text."""
        g = self.graph
        lines = [f"∂{self.loss}/∂{self.name} = {self.expr.text()}"]
        for node, e in self.definitions:
            lines.append(f"  G_{g.label(node)} = {e.text()}")
        forward = [_definition(g, n) for n in self.forward]
        if forward:
            lines.append("  where " + ", ".join(forward))
        return "\n".join(lines)

    @property
    def latex(self) -> str:
        """The same lines as a LaTeX ``aligned`` block."""
        g = self.graph
        lines = [rf"\frac{{\partial {self.loss}}}{{\partial {latex_name(self.name)}}} &= "
                 + self.expr.latex()]
        for node, e in self.definitions:
            lines.append(f"G_{{{latex_name(g.label(node))}}} &= {e.latex()}")
        for node in self.forward:
            lines.append(f"{latex_name(g.label(node))} &= {_forward_latex(g, node)}")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def evaluate(self) -> Any:
        """The formula's value, computed with numpy from the graph's node values."""
        env = _Env(self.graph, dict(self.definitions))
        value = _fit(self.expr.evaluate(env), self.graph.shape_of(self.node))
        return value if np.ndim(value) == 0 else np.array(value, dtype=float)

    def check(self, rtol: float = 1e-9, atol: float = 1e-12) -> FormulaCheck:
        """Compare :meth:`evaluate` with ``gs.grad`` (reverse accumulation)."""
        from graphstep.algorithms.reverse import grad  # the algorithms sit beside this module, not above it

        expected = grad(self.graph, self.name)
        value = self.evaluate()
        error = float(np.max(np.abs(np.asarray(value) - np.asarray(expected)), initial=0.0))
        ok = bool(np.allclose(value, expected, rtol=rtol, atol=atol))
        return FormulaCheck(self.name, value, expected, error, ok)

    def __str__(self) -> str:
        return self.text


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
    uses = [sum(1 for head, _ in g.users[n] if active[head]) for n in range(len(g))]
    shared = {n for n in range(len(g)) if uses[n] > 1 and g.op(n) != "input"}
    if named == "auto":
        chosen = {n for n in range(len(g)) if g.op(n) in ACTIVATIONS}
    elif named == "all":
        chosen = {n for n in range(len(g)) if g.op(n) not in ("input", "const")}
    elif named == "none":
        chosen = set()
    else:
        if isinstance(named, str):
            raise InputError(f"named must be 'auto', 'all', 'none' or a list of labels, got {named!r}")
        by_label = {g.label(n): n for n in range(len(g)) if g.op(n) != "const"}
        chosen = set()
        for item in named:
            if isinstance(item, int) and 0 <= item < len(g):
                chosen.add(item)
            elif item in by_label:
                chosen.add(by_label[item])
            else:
                raise InputError(
                    f"no node {item!r} to name; the labels are: {', '.join(by_label)}")
    return {n for n in chosen | shared if active[n] and n != g.output and g.op(n) != "input"}


def backprop_formulas(g: Graph, named: Any = "auto", loss: str = "L") -> dict[str, Formula]:
    """Derive each input's gradient in matrix form from the per-edge adjoint rules.

    Every node's adjoint is the sum, over its uses, of the rule of that edge
    (:func:`adjoint_rule`) applied to the user's adjoint. Adjoints of the nodes in
    ``named`` are kept as symbols ``G_u`` with a formula of their own; the others are
    written out in place. ``named="auto"`` names the outputs of activation functions
    (:data:`ACTIVATIONS`), which for an MLP gives seed 000's recursion
    ``G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})ᵀ``; ``"all"`` names every node, ``"none"``
    none, or give a list of labels. A node used more than once is always named.

    Returns ``{input name: Formula}`` in ``g.inputs`` order; the output must be a scalar.

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
        active.append(g.op(n) == "input" or any(active[a] for a in g.args(n)))
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
                     for head, pos in g.users[node] if head in ref]
            e = add(terms)
        full[node] = _fit_expr(e, g.shape_of(node))
        ref[node] = Adjoint(g.shape_of(node), node, g.label(node)) if node in named_set else full[node]
    result = {}
    for name in g.inputs:
        node = g.node(name)
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


def _forward_latex(g: Graph, node: int) -> str:
    args = [latex_name(g.label(a)) for a in g.args(node)]
    op = g.op(node)
    if op == "stack":
        return r"\left[" + ", ".join(args) + r"\right]"
    if op == "broadcast":
        return rf"{args[0]}\ \text{{(broadcast to }}{_shape_latex(g.shape_of(node))})"
    template = OPS[op].latex or (r"\operatorname{" + op + r"}\left(" + "{0}" + r"\right)")
    text = template.format(*args)
    axis = g.params(node).get("axis")
    if axis is not None and op in ("sum", "mean", "amax", "amin", "softmax"):
        text += rf"\ \text{{(axis {axis})}}"
    return text


# ======================================================================================
# numerator and denominator layout (seed 003)
# ======================================================================================


def layout_note(layout: str = "numerator") -> str:
    """One sentence on what a layout means (for captions and legends).

    >>> layout_note("denominator")[:44]
    'denominator layout: ∂y/∂x is x.size x y.size'
    """
    if check_layout(layout) == "numerator":
        return ("numerator layout: ∂y/∂x is y.size x x.size, and the chain rule multiplies "
                "left to right from the output: ∂L/∂x = ∂L/∂u · ∂u/∂x")
    return ("denominator layout: ∂y/∂x is x.size x y.size (the transpose), so a gradient has "
            "its input's shape and the chain rule multiplies from the input: "
            "∂L/∂x = ∂u/∂x · ∂L/∂u")


def edge_formula(g: Graph, head: int, pos: int, layout: str = "numerator") -> str:
    """The formula of edge ``(head, pos)``'s local derivative in ``layout``.

    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("M @ x", M=np.ones((3, 2)), x=np.ones(2))
    >>> edge_formula(g, 2, 0), edge_formula(g, 2, 0, "denominator")
    ('xᵀ ⊗ I_3', 'x ⊗ I_3')
    """
    local = g.local(head, pos)
    if isinstance(local, Jacobian):
        return local.layout_formula(layout)
    check_layout(layout)
    return g.formula(head, pos)


def path_formula(g: Graph, path: Any, layout: str = "numerator") -> str:
    """A path's product written in ``layout``: output first (numerator) or input first.

    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(W @ x)", W=np.ones((3, 2)), x=np.ones(2))
    >>> p = next(iter(gs.paths(g, "x")))
    >>> path_formula(g, p), path_formula(g, p, "denominator")
    ('∂u2/∂x = 1ᵀ · W', '∂u2/∂x = Wᵀ · 1')
    """
    head_label = g.label(path.nodes[0])
    tail_label = g.label(path.nodes[-1])
    factors = [edge_formula(g, h, p, layout) for h, p in path.edges]
    if layout == "denominator":
        factors.reverse()
    body = " · ".join(_paren(f) for f in factors) or "1"
    return f"∂{head_label}/∂{tail_label} = {body}"
