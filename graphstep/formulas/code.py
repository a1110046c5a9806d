'''The derived gradients as a standalone numpy module: :func:`to_python`.

:func:`graphstep.backprop_formulas` writes each input's gradient as a matrix formula
(``∂L/∂W1 = Xᵀ (G_u2 ⊙ u2 ⊙ (1 - u2))``). :func:`to_python` writes the same formulas as
numpy code: a function ``loss_and_grads(X, W1, W2, Y)`` with the forward pass (one
named intermediate per node, ``u1 = X @ W1``), the named adjoints (``G_u2 = ...``) and
each gradient (``dL_dW1 = X.T @ (G_u2 * u2 * (1 - u2))``); and ``check_grads()``, which
compares it with central differences at the graph's own input values. The module
imports only numpy.

>>> import numpy as np, graphstep as gs
>>> g = gs.parse("sum((t - M @ v)^2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
>>> source = to_python(gs.backprop_formulas(g))
>>> "def loss_and_grads(t, M, v):" in source, "    dL_dM = -2 * np.outer(u2, v)" in source
(True, True)
'''

from __future__ import annotations

import keyword
from collections.abc import Mapping
from typing import Any

import numpy as np

from graphstep.errors import GraphstepError, InputError
from graphstep.formulas.expr import (
    BroadcastTo,
    Const,
    Expand,
    Expr,
    Neg,
)
from graphstep.graph import Graph
from graphstep.ops.shapes import reduced_axes
from graphstep.ops.table import CONST, INPUT

__all__ = ["to_python", "CodeError", "EXAMPLE_LIMIT", "python_name"]

#: Inputs with at most this many entries are written into the module as its example
#: values (``check_grads()`` uses them); larger ones are drawn at random, seeded.
EXAMPLE_LIMIT = 400

_RESERVED = {"np", "loss_and_grads", "check_grads", "EXAMPLE", "sigmoid", "softmax", "onehot",
             "sum_to", "value", "eps", "rtol", "atol", "name", "inputs", "grads", "loss"}
# Python precedence, loosest first: + - (1), * / @ (2), unary - (3), ** (4), atoms (5); the
# products differ in their tenths, so that mixing them always gets parentheses ((a * b) @ c)
_ADD, _MUL, _MATMUL, _DIV, _NEG, _POW, _ATOM = 1, 2.0, 2.1, 2.2, 3, 4, 5
_RELATIONS = {">": ">", "≥": ">=", "<": "<", "≤": "<=", "=": "=="}
_FUNCTIONS = {"cos": "np.cos", "sin": "np.sin", "sign": "np.sign"}


class CodeError(GraphstepError):
    """The graph has a node that cannot be written as numpy code (an imported composite op).

    Examples
    --------
    >>> issubclass(CodeError, GraphstepError)
    True
    """


def python_name(label: str, taken: set[str]) -> str:
    """A Python identifier for ``label``, not in ``taken`` (which it joins).

    Parameters
    ----------
    label : str
        A node's label or an input's name.
    taken : set of str
        Names already used; the result is added.

    Returns
    -------
    str

    Examples
    --------
    >>> taken = {"np"}
    >>> python_name("W1", taken), python_name("lambda", taken), python_name("W1", taken)
    ('W1', 'lambda_', 'W1_2')
    """
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in label) or "v"
    if name[0].isdigit():
        name = "v" + name
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_"
    base, k = name, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") and "e" not in text else text


def _array(value: Any) -> str:
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return _number(array)
    return "np.array(" + repr(array.tolist()).replace("inf", "np.inf").replace("nan", "np.nan") + ")"


class _Writer:
    """Numpy code of one graph's forward pass and of formula expressions."""

    def __init__(self, g: Graph):
        self.g = g
        taken = set(_RESERVED)
        self.names: dict[int, str] = {}
        for name in g.inputs:
            self.names[g.input_node(name)] = python_name(name, taken)
        for n in range(len(g)):
            if g.op(n) not in (INPUT, CONST):
                self.names[n] = python_name(g.label(n), taken)
        self.adjoints = {n: python_name(f"G_{g.label(n)}", taken) for n in range(len(g))
                         if g.op(n) not in (INPUT, CONST)}
        self.grads = {name: python_name(f"dL_d{name}", taken) for name in g.inputs}
        self.helpers: set[str] = set()

    # --- the forward pass ----------------------------------------------------------------

    def inlined(self, node: int) -> bool:
        """A constant, or a number broadcast for an elementwise op (numpy broadcasts it itself)."""
        g = self.g
        if g.op(node) == CONST:
            return True
        return g.op(node) == "broadcast" and g.op(g.args(node)[0]) == CONST and \
            np.ndim(g.value_of(g.args(node)[0])) == 0

    def value(self, node: int) -> tuple[str, float]:
        if self.inlined(node):
            leaf = node if self.g.op(node) == CONST else self.g.args(node)[0]
            text = _array(self.g.value_of(leaf))
            return text, (_NEG if text.startswith("-") else _ATOM)
        return self.names[node], _ATOM

    def forward(self, node: int) -> str:
        g, op = self.g, self.g.op(node)
        args = [self.value(a) for a in g.args(node)]
        params = g.params(node)
        axis = params.get("axis")
        shape = g.shape_of(node)
        binary = {"add": ("+", _ADD), "sub": ("-", _ADD), "mul": ("*", _MUL), "div": ("/", _DIV),
                  "matmul": ("@", _MATMUL), "dot": ("@", _MATMUL), "pow": ("**", _POW)}
        if op in binary:
            symbol, prec = binary[op]
            return _infix(args[0], symbol, args[1], prec)[0]
        if op == "neg":
            return "-" + _wrap(args[0], _NEG)
        a = args[0][0]
        simple = {"exp": "np.exp", "log": "np.log", "log1p": "np.log1p", "sin": "np.sin",
                  "cos": "np.cos", "tan": "np.tan", "tanh": "np.tanh", "sqrt": "np.sqrt",
                  "abs": "np.abs", "square": "np.square"}
        if op in simple:
            return f"{simple[op]}({a})"
        if op in ("sigmoid", "softmax"):
            self.helpers.add(op)
            return f"{op}({a})" if op == "sigmoid" else f"softmax({a}, axis={params.get('axis', -1)})"
        if op == "relu":
            return f"np.maximum({a}, 0.0)"
        if op in ("maximum", "minimum"):
            return f"np.{op}({a}, {args[1][0]})"
        if op == "transpose":
            return f"np.transpose({a})"
        if op in ("sum", "mean", "amax", "amin"):
            fn = {"sum": "np.sum", "mean": "np.mean", "amax": "np.max", "amin": "np.min"}[op]
            return f"{fn}({a})" if axis is None else f"{fn}({a}, axis={axis!r})"
        if op == "reshape":
            return f"np.reshape({a}, {tuple(shape)!r})"
        if op == "broadcast":
            return f"np.broadcast_to({a}, {tuple(shape)!r})"
        if op == "stack":
            return "np.stack([" + ", ".join(text for text, _ in args) + "])"
        raise CodeError(
            f"{g.label(node)} = {g.expr(node)} uses the op {op!r}, which has no numpy form "
            "to write (only the ops of graphstep's table do)")

    # --- formula expressions ---------------------------------------------------------------

    def expr(self, e: Expr) -> tuple[str, int]:
        """The code of ``e`` and its precedence."""
        kind = type(e).__name__
        method = getattr(self, "_" + kind.lower(), None)
        if method is None:
            raise CodeError(
                f"the formula {e.text()} has a part ({kind}) without a numpy form: it applies "
                "an edge's Jacobian, which only graphstep can do")
        return method(e)

    def code(self, e: Expr) -> str:
        return self.expr(e)[0]

    def _value(self, e: Any) -> tuple[str, int]:
        return self.value(e.node)

    def _adjoint(self, e: Any) -> tuple[str, int]:
        return self.adjoints[e.node], _ATOM

    def _const(self, e: Any) -> tuple[str, int]:
        if not e.shape:
            return _number(e.c), (_NEG if e.c < 0 else _ATOM)
        return f"np.full({tuple(e.shape)!r}, {_number(e.c)})", _ATOM

    def _mask(self, e: Any) -> tuple[str, int]:
        self.helpers.add("onehot")
        x = self.g.args(e.node)[0]
        axes = reduced_axes(self.g.shape_of(x), e.axis)
        return f"onehot({self.value(x)[0]}, {self.value(e.node)[0]}, {axes!r})", _ATOM

    def _neg(self, e: Any) -> tuple[str, int]:
        return "-" + _wrap(self.expr(e.a), _NEG), _NEG

    def _transpose(self, e: Any) -> tuple[str, int]:
        inner = self.expr(e.a)
        if len(e.a.shape) == 2:
            return _wrap(inner, _ATOM) + ".T", _ATOM
        return f"np.transpose({inner[0]})", _ATOM

    def _fn(self, e: Any) -> tuple[str, int]:
        a = self.code(e.a)
        if e.name == "ln":  # ln x at x = 0 counts as 0, as graphstep's formula has it
            return f"np.log(np.where({a} == 0, 1.0, {a}))", _ATOM
        return f"{_FUNCTIONS[e.name]}({a})", _ATOM

    def _pow(self, e: Any) -> tuple[str, int]:
        return _infix(self.expr(e.a), "**", (_number(e.e), _ATOM), _POW)

    def _powerof(self, e: Any) -> tuple[str, int]:
        return f"np.power({self.code(e.a)}, {self.code(e.e)})", _ATOM

    def _powerrule(self, e: Any) -> tuple[str, int]:
        a, y = self.code(e.a), self.expr(e.e)
        exponent = _wrap(y, _MUL)
        return (f"{exponent} * np.power({a}, np.where({y[0]} == 0, 1.0, {exponent} - 1.0))", _MUL)

    def _indicator(self, e: Any) -> tuple[str, int]:
        return f"(({self.code(e.a)}) {_RELATIONS[e.relation]} ({self.code(e.b)})) * 1.0", _MUL

    def _sumkeep(self, e: Any) -> tuple[str, int]:
        return f"np.sum({self.code(e.a)}, axis={e.axis!r}, keepdims=True)", _ATOM

    def _reshape(self, e: Any) -> tuple[str, int]:
        return f"np.reshape({self.code(e.a)}, {tuple(e.shape)!r})", _ATOM

    def _index(self, e: Any) -> tuple[str, int]:
        return f"np.asarray({self.code(e.a)})[{e.index}]", _ATOM

    def _had(self, e: Any) -> tuple[str, int]:
        return _infix(self.expr(e.a), "*", self.expr(e.b), _MUL)

    def _matmul(self, e: Any) -> tuple[str, int]:
        return _infix(self.expr(e.a), "@", self.expr(e.b), _MATMUL)

    def _outer(self, e: Any) -> tuple[str, int]:
        return f"np.outer({self.code(e.a)}, {self.code(e.b)})", _ATOM

    def _div(self, e: Any) -> tuple[str, int]:
        return _infix(self.expr(e.a), "/", self.expr(e.b), _DIV)

    def _add(self, e: Any) -> tuple[str, int]:
        out = ""
        for k, term in enumerate(e.terms):
            if isinstance(term, Neg):
                body = _wrap(self.expr(term.a), _ADD, right=True)
                out += f" - {body}" if k else "-" + _wrap(self.expr(term.a), _NEG)
            else:
                body = _wrap(self.expr(term), _ADD, right=bool(k))
                out += f" + {body}" if k else body
        return out, _ADD

    def _scale(self, e: Any) -> tuple[str, int]:
        inner = self.expr(e.a)
        if e.c != 0 and abs(1 / e.c) > 1 and abs(1 / e.c - round(1 / e.c)) < 1e-9 * abs(1 / e.c):
            return _infix(inner, "/", (_number(round(1 / e.c)), _ATOM), _DIV)
        return _infix((_number(e.c), _NEG if e.c < 0 else _ATOM), "*", inner, _MUL)

    def _sumto(self, e: Any) -> tuple[str, int]:
        a = self.code(e.a)
        src, dst = e.a.shape, e.shape
        if dst == ():
            return f"np.sum({a})", _ATOM
        lead = len(src) - len(dst)
        kept = tuple(lead + i for i, n in enumerate(dst) if n == 1 and src[lead + i] != 1)
        if not kept:
            axes = lead - 1 if lead == 1 else tuple(range(lead))
            return f"np.sum({a}, axis={axes!r})", _ATOM
        axes = tuple(range(lead)) + kept
        text = f"np.sum({a}, axis={axes if len(axes) > 1 else axes[0]!r}, keepdims=True)"
        return (text if lead == 0 else f"np.reshape({text}, {tuple(dst)!r})"), _ATOM

    def _expand(self, e: Any) -> tuple[str, int]:
        a = self.code(e.a)
        if e.a.shape == () or e.axes == (0,) or not e.axes:
            return f"np.broadcast_to({a}, {tuple(e.shape)!r})", _ATOM
        return f"np.broadcast_to(np.expand_dims({a}, {tuple(e.axes)!r}), {tuple(e.shape)!r})", _ATOM

    def _broadcastto(self, e: Any) -> tuple[str, int]:
        return f"np.broadcast_to({self.code(e.a)}, {tuple(e.shape)!r})", _ATOM


def _wrap(item: tuple[str, float], prec: float, right: bool = False) -> str:
    text, own = item
    level, parent = int(own), int(prec)
    needs = level < parent or (level == parent and (right or (level == 2 and own != prec)))
    return f"({text})" if needs else text


def _infix(left: tuple[str, int], symbol: str, right: tuple[str, int], prec: int) -> tuple[str, int]:
    if symbol == "**":  # right-associative, and tighter than a unary minus on its left
        return f"{_wrap(left, _ATOM)} ** {_wrap(right, _POW)}", _POW
    return f"{_wrap(left, prec)} {symbol} {_wrap(right, prec, right=True)}", prec


_HELPERS = {
    "sigmoid": '''def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))''',
    "softmax": '''def softmax(z, axis=-1):
    """exp(z) / sum(exp(z)) along axis, with the maximum subtracted first."""
    shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)''',
    "onehot": '''def onehot(x, extreme, axes):
    """1 where x takes its max/min value extreme along axes (k ties share 1/k each), else 0."""
    hits = (x == np.expand_dims(extreme, axes)) * 1.0
    return hits / np.sum(hits, axis=axes, keepdims=True)''',
}


def _fitted(code: str, e: Expr, shape: tuple[int, ...]) -> str:
    """The gradient's code at its input's shape: a float for a scalar input, else a new array."""
    if shape == ():
        return f"float({code})" if e.shape == () else f"float(np.sum({code}))"
    if tuple(e.shape) != tuple(shape):
        return f"np.broadcast_to({code}, {tuple(shape)!r}).astype(float)"
    return f"np.array({code}, dtype=float)" if isinstance(e, (Const, BroadcastTo, Expand)) else code


def to_python(formulas: Mapping[str, Any]) -> str:
    '''A standalone numpy module computing the loss and the gradients as the formulas derive them.

    The module defines ``loss_and_grads(<inputs>)``, which returns the loss (a float) and
    ``{input name: gradient}``; ``check_grads(**inputs)``, which compares those
    gradients with central differences and returns the largest difference per input
    (raising AssertionError when they disagree); and ``EXAMPLE``, the graph's input
    values (inputs larger than :data:`EXAMPLE_LIMIT` entries: random ones of the same
    shape). Run as a script, it checks the gradients at ``EXAMPLE``.

    Parameters
    ----------
    formulas : mapping of str to Formula
        What :func:`graphstep.backprop_formulas` returns (all from one graph).

    Returns
    -------
    str
        Python source; it imports only numpy.

    Raises
    ------
    CodeError
        When a node's op has no numpy form (an imported composite op).
    InputError
        When ``formulas`` is empty.

    Examples
    --------
    >>> import graphstep as gs
    >>> source = to_python(gs.backprop_formulas(gs.parse("sin(x) * y", x=1.0, y=2.0)))
    >>> print(source[source.index("def loss_and_grads"):source.index("    return")].strip())
    def loss_and_grads(x, y):
        """L = sin(x) * y and its gradient with respect to each input.
    <BLANKLINE>
        The loss is a float; each gradient has its input's shape.
        """
        # forward pass: one named value per node
        u1 = np.sin(x)
        u2 = u1 * y
        # backward pass: the named adjoints G_u = dL/du, from the output down
        G_u1 = y
        # the gradients, as the matrix formulas give them
        dL_dx = float(G_u1 * np.cos(x))
        dL_dy = float(u1)
    '''
    items = list(formulas.values())
    if not items:
        raise InputError("to_python needs at least one formula (backprop_formulas of a graph with inputs)")
    g = items[0].graph
    w = _Writer(g)
    forward = [f"    {w.names[n]} = {w.forward(n)}" for n in range(len(g))
               if g.op(n) != INPUT and not w.inlined(n)]
    definitions: dict[int, Expr] = {}
    for f in items:
        definitions.update(dict(f.definitions))
    backward = [f"    {w.adjoints[n]} = {w.code(definitions[n])}" for n in sorted(definitions, reverse=True)]
    grads = [f"    {w.grads[f.name]} = {_fitted(w.code(f.expr), f.expr, g.shape_of(f.node))}" for f in items]
    params = [w.names[g.input_node(name)] for name in g.inputs]
    out = w.value(g.output)[0]
    expression = g.expr(g.output).replace('"""', "'''")
    examples = []
    for name in g.inputs:
        value = g.value_of(g.input_node(name))
        if np.size(value) <= EXAMPLE_LIMIT:
            examples.append(f"    {name!r}: {_array(value)},")
        else:
            examples.append(f"    {name!r}: np.random.default_rng(0).standard_normal({np.shape(value)!r}),")
    lines = [
        f'"""The loss L = {expression} and its gradients, as derived by graphstep.',
        "",
        "Each gradient is written as the matrix formula graphstep's backprop_formulas derives;",
        "G_u is the adjoint dL/du of node u. Needs only numpy.",
        '"""',
        "",
        "import numpy as np",
        "",
    ]
    for helper in sorted(w.helpers):
        lines += ["", _HELPERS[helper], ""]
    lines += [
        "",
        f"def loss_and_grads({', '.join(params)}):",
        f'    """L = {expression} and its gradient with respect to each input.',
        "",
        "    The loss is a float; each gradient has its input's shape.",
        '    """',
        "    # forward pass: one named value per node",
        *forward,
    ]
    if backward:
        lines += ["    # backward pass: the named adjoints G_u = dL/du, from the output down", *backward]
    lines += ["    # the gradients, as the matrix formulas give them", *grads]
    grad_items = ", ".join(f"{name!r}: {w.grads[name]}" for name in g.inputs if name in w.grads
                           and any(f.name == name for f in items))
    lines += [f"    return float({out}), {{{grad_items}}}", "", "", "#: The graph's input values.",
              "EXAMPLE = {", *examples, "}", "", "", CHECK, "", "", 'if __name__ == "__main__":',
              "    for name, error in check_grads().items():",
              '        print(f"dL/d{name}: largest difference from central differences {error:.2e}")', ""]
    return "\n".join(lines)


CHECK = '''def check_grads(eps=1e-6, rtol=1e-5, atol=1e-7, **inputs):
    """Compare loss_and_grads with central differences, at EXAMPLE or the given inputs.

    Returns the largest absolute difference per input; raises AssertionError when a
    gradient and its central differences are not close (numpy.allclose with rtol, atol).
    """
    inputs = {**EXAMPLE, **inputs}
    inputs = {name: np.array(value, dtype=float) for name, value in inputs.items()}
    loss, grads = loss_and_grads(**inputs)
    errors = {}
    for name, value in inputs.items():
        if name not in grads:
            continue
        numeric = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            numeric[index] = (loss_and_grads(**{**inputs, name: plus})[0]
                              - loss_and_grads(**{**inputs, name: minus})[0]) / (2 * eps)
        errors[name] = float(np.max(np.abs(grads[name] - numeric), initial=0.0))
        if not np.allclose(grads[name], numeric, rtol=rtol, atol=atol):
            raise AssertionError(f"dL/d{name} differs from central differences by {errors[name]:.3e}")
    return errors'''
