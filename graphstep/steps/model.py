"""Stepping through a computation: Step (one frozen frame) and Stepper (steps + cursor).

:func:`steps` turns a graph into a list of :class:`Step` records, one per thing a
student would do by hand, and wraps them in a :class:`Stepper` (a list plus a cursor).
Five modes:

``forward``
    the values, node by node in topological order (a first step lists the inputs and
    constants): ``u2 = exp(u1) = exp(2.25) = 9.488``.
``local``
    the local derivative of every edge that carries a gradient (edges leaving
    constants are skipped), with its formula and value: ``∂u3/∂x = u2 = 9.488``.
``paths``
    one path per step, its factors, their product and the running sum; for each input
    (``wrt``, or every input in turn) a last step states the gradient and compares it
    with :func:`graphstep.grad`. A graph with more than ``path_limit`` paths to an
    input raises :class:`~graphstep.errors.PathLimitError` (the message gives the
    exact count and points to ``mode="reverse"``, which visits each node once).
``reverse``
    reverse accumulation: the output's seed, then every node that carries a gradient
    in reverse topological order, its adjoint written as the sum of the contributions
    of the edges that leave it, then the gradient compared with ``grad``.
``forward-mode``
    tangents with respect to one input, node by node, then the output's tangent
    compared with ``grad`` (or ``jacobian`` for a non-scalar output). For a tensor
    input the tangent of ``u`` is the whole ``∂u/∂x`` (shape ``u.shape + x.shape``)
    unless a ``direction`` is given.

A step records what is known at that moment (values, local derivatives, adjoints,
tangents), so a picture of step ``k`` shows exactly that. Printing a step or a
stepper shows its sentence and a compact table of the nodes.

>>> import graphstep as gs
>>> s = steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
>>> len(s), s.current.text
(3, 'path 1 of 2 (u3 ← x): 1 · u2 = 1 · 9.488 = 9.488; sum so far 9.488')
>>> print(s.goto(-1).text)  # doctest: +NORMALIZE_WHITESPACE
∂u3/∂x = sum over its 2 paths = 9.488 + 42.69 = 52.18; gs.grad(g, 'x') gives 52.18
by reverse accumulation: they agree
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path as FilePath
from typing import Any

import numpy as np

from graphstep.algorithms.forward import tangents as forward_tangents
from graphstep.algorithms.paths import count_paths, paths
from graphstep.algorithms.reverse import grad, jacobian
from graphstep.build.trace import _PREC_ATOM, format_op
from graphstep.errors import InputError, PathLimitError, ShapeError, SizeLimitError
from graphstep.formulas.backprop import adjoint_sentence
from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian, shape_text, to_dense, vjp

__all__ = ["Step", "Stepper", "steps", "MODES", "STEP_PATH_LIMIT"]

Edge = tuple[int, int, int]  # (tail, head, argument position), as in Graph.edges()

#: The stepper's modes, in the order a course would show them.
MODES = ("forward", "local", "paths", "reverse", "forward-mode")

#: Most paths per input the ``paths`` mode turns into steps (one step each).
STEP_PATH_LIMIT = 1_000

#: Largest number of tangent entries the ``forward-mode`` stepper computes for a tensor input.
TANGENT_LIMIT = 4_000_000

#: Graphs with at most this many nodes print every node in the step table.
TABLE_ROWS = 24


@dataclass(frozen=True, repr=False)
class Step:
    """One step of a walk through a graph, with everything a picture of it needs.

    ``focus_nodes``/``focus_edges`` are highlighted (``focus_nodes[0]`` is the node the
    step is about, when there is one); ``values``, ``locals``, ``adjoints`` and
    ``tangents`` hold what is known at this step (by node id, or by edge
    ``(tail, head, pos)``), so a picture shows exactly those annotations. ``kind``
    says what the step does (``inputs``, ``value``, ``local``, ``path``, ``seed``,
    ``adjoint``, ``tangent``, ``result``); ``result`` is what the step computed (a
    node's value, adjoint or tangent; a path step's running sum; a result step's
    gradient) and ``product`` a path step's product of local derivatives.
    ``graph`` is the Graph walked (it is what ``str(step)`` prints the table of: the
    sentence, then the nodes with their values and adjoints or tangents as known).

    >>> import graphstep as gs
    >>> step = gs.steps(gs.parse("x * exp(x**2)", x=1.5), "paths").steps[1]
    >>> step.kind, step.title, round(step.result, 2), step.focus_nodes
    ('path', 'path 2 of 2', 52.18, (4, 3, 2, 0))
    >>> step.text
    'path 2 of 2 (u3 ← u2 ← u1 ← x): 1 · x · exp(u1) · 2·x = 1 · 1.5 · 9.488 · 3 = 42.69; sum so far 52.18'
    """

    mode: str
    index: int
    text: str
    title: str = ""
    focus_nodes: tuple[int, ...] = ()
    focus_edges: tuple[Edge, ...] = ()
    values: Mapping[int, Any] = field(default_factory=dict)
    locals: Mapping[Edge, Any] = field(default_factory=dict)
    adjoints: Mapping[int, Any] = field(default_factory=dict)
    tangents: Mapping[int, Any] = field(default_factory=dict)
    wrt: str | None = None
    result: Any = None
    kind: str = ""
    product: Any = None
    graph: Any = field(default=None, compare=False)

    def __str__(self) -> str:
        if self.graph is None:
            return self.text
        return f"{self.text}\n{_table(self.graph, self)}"

    __repr__ = __str__

    def _repr_mimebundle_(self, include=None, exclude=None):
        from graphstep.render.dot import mimebundle  # rendering sits below the stepper layer

        return mimebundle(self, include=include, exclude=exclude)


class Stepper:
    """A list of :class:`Step` records and a cursor; build one with :func:`steps`.

    The cursor starts at step 0. :meth:`next` on the last step and :meth:`prev` on
    the first stay where they are (so a "next" button can be pressed freely);
    :meth:`goto` takes an index ``0 .. len-1`` (negative indices count from the end,
    as for lists) and raises :class:`~graphstep.errors.InputError` outside that range.
    Iterating yields every step without moving the cursor.

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
    >>> [step.title for step in s]
    ['seed ū1', 'x̄', 'gradient']
    >>> s.next().title, s.next().title, s.next().title, s.index
    ('x̄', 'gradient', 'gradient', 2)
    """

    def __init__(self, graph: Graph, mode: str, wrt: str | None, step_list: list[Step]):
        self.graph = graph
        self.mode = mode
        self.wrt = wrt
        self.steps = step_list
        self.index = 0

    # --- navigation ------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __getitem__(self, k: int) -> Step:
        return self.steps[self._checked(k)]

    @property
    def current(self) -> Step:
        """The step under the cursor."""
        return self.steps[self.index]

    def next(self) -> Step:
        """Move one step on (staying on the last step) and return the current step."""
        self.index = min(self.index + 1, len(self.steps) - 1)
        return self.current

    def prev(self) -> Step:
        """Move one step back (staying on the first step) and return the current step."""
        self.index = max(self.index - 1, 0)
        return self.current

    def goto(self, k: int) -> Step:
        """Move to step ``k`` (``0 .. len-1``; negative counts from the end)."""
        self.index = self._checked(k)
        return self.current

    def _checked(self, k: int) -> int:
        n = len(self.steps)
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise InputError(f"a step index is an integer from 0 to {n - 1}, got {k!r}")
        if not -n <= k < n:
            raise InputError(
                f"no step {k} in this {self.mode} stepper: it has {n} steps, "
                f"so the index runs from 0 to {n - 1} (or -{n} to -1 from the end)"
            )
        return int(k) % n

    # --- text --------------------------------------------------------------------------
    def __str__(self) -> str:
        wrt = f", wrt {self.wrt}" if self.wrt else ""
        head = (f"{self.mode} steps of {self.graph.expr(self.graph.output)}{wrt}: "
                f"step {self.index + 1} of {len(self)} (index {self.index})")
        return f"{head}\n{self.current}"

    __repr__ = __str__

    # --- pictures (rendering sits below stepping: import on use) ------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        from graphstep.render.dot import mimebundle

        return mimebundle(self, include=include, exclude=exclude)

    def render(self, path: str | FilePath, style: Any = None, direction: str | None = None) -> FilePath:
        """Render the current step to ``path`` (format from the suffix); see ``gs.render``."""
        from graphstep.render.dot import render

        return render(self, path, style, direction=direction)

    def save_all(self, directory: str | FilePath, fmt: str = "svg", **options: Any) -> list[FilePath]:
        """Write one numbered picture per step into ``directory``; see ``graphstep.export.svg``."""
        from graphstep.export.svg import save_all

        return save_all(self, directory, fmt=fmt, **options)

    def to_html(self, path: str | FilePath, **options: Any) -> FilePath:
        """Write the self-contained HTML step player; see ``graphstep.export.svg.to_html``."""
        from graphstep.export.svg import to_html

        return to_html(self, path, **options)

    def to_gif(self, path: str | FilePath, **options: Any) -> FilePath:
        """Write an animated GIF with one frame per step; see ``graphstep.export.svg.to_gif``."""
        from graphstep.export.svg import to_gif

        return to_gif(self, path, **options)

    def to_apng(self, path: str | FilePath, **options: Any) -> FilePath:
        """Write an animated PNG with one frame per step; see ``graphstep.export.svg.to_apng``."""
        from graphstep.export.svg import to_apng

        return to_apng(self, path, **options)


def steps(
    g: Graph,
    mode: str = "paths",
    wrt: str | None = None,
    *,
    direction: Any = None,
    seed: Any = None,
    path_limit: int = STEP_PATH_LIMIT,
) -> Stepper:
    """A :class:`Stepper` walking through ``g`` in ``mode`` (see the module docstring).

    Parameters
    ----------
    g : Graph
    mode : {"forward", "local", "paths", "reverse", "forward-mode"}
    wrt : str, optional
        The input to differentiate by. ``paths``: that input only (default: every input
        in turn). ``forward-mode``: required when ``g`` has more than one input.
        ``reverse``: the final step reports that input only. Checked but not used by
        ``forward`` and ``local``.
    direction : array, optional
        ``forward-mode`` only: push this direction (shape of ``wrt``) instead of the
        whole identity.
    seed : float or array, optional
        ``reverse`` only: the output's adjoint; required (output-shaped) when the output
        is not a scalar, ``1.0`` otherwise.
    path_limit : int
        ``paths`` only: more paths than this to one input raise ``PathLimitError``.

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")
    >>> for step in s:  # doctest: +NORMALIZE_WHITESPACE
    ...     print(step.text)
    ū3 = 1: the output's adjoint is ∂u3/∂u3 = 1; reverse accumulation starts here and visits the
    nodes in reverse topological order
    ū2 = ū3 · x = 1 · 1.5 = 1.5
    ū1 = ū2 · exp(u1) = 1.5 · 9.488 = 14.23
    x̄ = ū1 · 2·x + ū3 · u2 = 14.23 · 3 + 1 · 9.488 = 52.18 (two edges leave x, so two
    contributions; ū1 and ū3 are complete already because both come after x in topological order)
    gradient: x̄ = ∂u3/∂x = 52.18; gs.grad(g) gives 52.18: they agree
    """
    if not isinstance(g, Graph):
        raise InputError(f"steps() needs a Graph (from gs.parse or gs.graph), got {type(g).__name__}")
    if mode not in MODES:
        raise InputError(f"unknown step mode {mode!r}; the modes are: {', '.join(MODES)}")
    if wrt is not None:
        g.node(wrt)  # an InputError naming the inputs when unknown
    if direction is not None and mode != "forward-mode":
        raise InputError(f"direction= is for mode='forward-mode', not {mode!r}")
    if seed is not None and mode != "reverse":
        raise InputError(f"seed= is for mode='reverse', not {mode!r}")
    direction = _as_array(direction, "direction")
    seed = _as_array(seed, "seed")
    build = _Builder(g, mode)
    if mode == "forward":
        build.forward()
    elif mode == "local":
        build.local()
    elif mode == "paths":
        names = [wrt] if wrt is not None else _need_inputs(g, mode)
        for name in names:
            build.paths(name, path_limit, many=len(names) > 1)
    elif mode == "reverse":
        build.reverse(wrt, seed)
    else:
        if wrt is None:
            inputs = _need_inputs(g, mode)
            if len(inputs) > 1:
                raise InputError(
                    f"forward mode follows one input at a time and {g.expr(g.output)} has "
                    f"{len(inputs)}: {', '.join(inputs)}; choose one with wrt="
                )
            wrt = inputs[0]
        build.forward_mode(wrt, direction)
    return Stepper(g, mode, wrt, build.steps)


def _as_array(value: Any, name: str) -> Any:
    """A number or array given by the user, as floats (``None`` stays ``None``)."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}= must be a number or an array of numbers, got {value!r}") from None
    return float(array) if array.ndim == 0 else array


def _need_inputs(g: Graph, mode: str) -> list[str]:
    if not g.inputs:
        raise InputError(
            f"{g.expr(g.output)} has no inputs, so there is no derivative to step through "
            f"in mode {mode!r}; use mode='forward' to see its values"
        )
    return list(g.inputs)


# --- what is known: prefix views shared by every step ------------------------------------


class _Known(Mapping):
    """The first ``count`` entries of a shared, insertion-ordered dict (read-only).

    Steps see growing prefixes of one dict, so building ``n`` steps costs ``O(n)``
    rather than copying ``O(n^2)`` entries.
    """

    __slots__ = ("_data", "_rank", "_count")

    def __init__(self, data: dict, rank: dict, count: int):
        self._data, self._rank, self._count = data, rank, count

    def __getitem__(self, key):
        if self._rank.get(key, self._count) >= self._count:
            raise KeyError(key)
        return self._data[key]

    def __contains__(self, key) -> bool:
        return self._rank.get(key, self._count) < self._count

    def __iter__(self):
        return islice(iter(self._data), self._count)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"{{{', '.join(f'{k!r}: {v!r}' for k, v in self.items())}}}"


class _Growing:
    """An insertion-ordered dict that hands out frozen prefix views of itself."""

    def __init__(self):
        self.data: dict = {}
        self.rank: dict = {}

    def add(self, key, value) -> None:
        self.rank[key] = len(self.data)
        self.data[key] = value

    def view(self) -> _Known:
        return _Known(self.data, self.rank, len(self.data))


_EMPTY: Mapping = _Known({}, {}, 0)


# --- text helpers --------------------------------------------------------------------------

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count_word(k: int) -> str:
    return _WORDS[k] if k < len(_WORDS) else str(k)


def _num(v: Any) -> str:
    """A scalar with four significant digits (``9.488``, ``52.18``, ``3``)."""
    v = float(v)
    return "0" if v == 0 else f"{v:.4g}"


def _factor(v: Any) -> str:
    """A number as a factor in a product: negative numbers in parentheses."""
    text = _num(v)
    return f"({text})" if text.startswith("-") else text


def _is_scalar(v: Any) -> bool:
    return v is not None and not isinstance(v, Jacobian) and np.ndim(v) == 0


def _show(v: Any, compact: bool = False) -> str:
    """A value for a sentence: a number, a small array inline, or shape and range.

    ``compact`` gives the short form of the terminal table (``4x3 in [-1.3, 0.91]``).
    """
    if v is None:
        return "—"
    if isinstance(v, Jacobian):
        return f"{v.formula} ({shape_text(v.out_shape)} ← {shape_text(v.in_shape)})"
    if np.ndim(v) == 0:
        return _num(v)
    a = np.asarray(v, dtype=float)
    shape = shape_text(a.shape)
    if a.size == 0:
        return f"{shape} (empty)"
    if a.size <= (3 if compact else 6):
        body = np.array2string(a, separator=", ", formatter={"float_kind": _num})
        return f"{shape} {' '.join(body.split())}"
    finite = a[np.isfinite(a)]
    bad = "" if finite.size == a.size else f", {a.size - finite.size} not finite"
    if finite.size == 0:
        return f"{shape} array, no finite entry"
    low, high = _num(finite.min()), _num(finite.max())
    if compact:
        return f"{shape} = {low}{bad}" if low == high else f"{shape} in [{low}, {high}]{bad}"
    if low == high:
        return f"{shape} array, every entry {low}{bad}"
    return f"{shape} array, entries from {low} to {high}{bad}"


def _wrap(formula: str) -> str:
    """Parenthesise a formula that is not one factor (``1 - u2²``, ``-1``, ``Wᵀ ⊗ I_4``)."""
    f = formula.strip()
    if _enclosed(f, "(", ")") or _enclosed(f, "[", "]"):
        return f
    head = f.split("(", 1)[0]
    if head and head.replace("_", "").isalnum() and _enclosed(f[len(head):], "(", ")"):
        return f  # a call such as diag(u4·(1 - u4))
    if " " in f or "+" in f or f.startswith("-") or "−" in f:
        return f"({f})"
    return f


def _enclosed(text: str, open_: str, close: str) -> bool:
    """Whether the first character's bracket closes exactly at the last character."""
    if not (text.startswith(open_) and text.endswith(close)):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == open_) - (ch == close)
        if depth == 0:
            return i == len(text) - 1
    return False


def _bar(label: str) -> str:
    """The adjoint's name: ``x̄``, ``ū1``, ``W̄1``; a longer name is overlined whole (``b̅o̅``)."""
    if len(label) == 1 or label[1:].isdigit():
        return unicodedata.normalize("NFC", label[0] + "\u0304" + label[1:])
    return "".join(ch + "\u0305" for ch in label)


def _prime(label: str) -> str:
    """The tangent's name: ``x'``, ``u1'``."""
    return label + "'"


def _label_prec(text: str) -> int:
    return 3 if text.startswith("-") else _PREC_ATOM


def _apply(g: Graph, node: int, texts: list[str]) -> str:
    """``node``'s op written out with ``texts`` standing for its arguments."""
    op = g.op(node)
    if op == "broadcast":
        return f"broadcast({texts[0]})"
    return format_op(op, texts, [_label_prec(t) for t in texts], g.params(node))


def _shape(g: Graph, node: int) -> str:
    return shape_text(g.shape_of(node))


def _agree(a: Any, b: Any) -> tuple[bool, float]:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        if a.size != b.size:
            return False, float("inf")
        a = a.reshape(b.shape)
    same = bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    with np.errstate(invalid="ignore"):
        diff = np.abs(a - b)
    diff = diff[np.isfinite(diff)]
    return same, float(diff.max()) if diff.size else 0.0


def _verdict(same: bool, diff: float) -> str:
    return "they agree" if same else f"they DIFFER (largest difference {diff:.3g})"


def _adjoint_sentence(g: Graph, head: int, pos: int) -> str:
    """The dimension-analysis sentence for a tensor edge, in the stepper's ū notation."""
    return adjoint_sentence(g, head, pos, notation="bar")


def _sentence(text: str) -> str:
    """``text`` ending in a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _use_note(g: Graph, tail: int, head: int, pos: int) -> str:
    """``(use 2 of 2 of x in u1: each use is its own edge)`` for repeated arguments."""
    args = g.args(head)
    uses = [p for p, a in enumerate(args) if a == tail]
    if len(uses) < 2:
        return ""
    return (f" (use {uses.index(pos) + 1} of {len(uses)} of {g.label(tail)} in "
            f"{g.label(head)}: each use is its own edge)")


# --- building the steps ---------------------------------------------------------------------


class _Builder:
    def __init__(self, g: Graph, mode: str):
        self.g = g
        self.mode = mode
        self.steps: list[Step] = []
        self._all_values: Mapping | None = None
        self._all_locals: Mapping | None = None

    def add(self, text: str, title: str, kind: str, **fields: Any) -> None:
        fields.setdefault("values", self.all_values())
        self.steps.append(Step(self.mode, len(self.steps), text, title, kind=kind,
                               graph=self.g, **fields))

    def all_values(self) -> Mapping:
        if self._all_values is None:
            g = self.g
            self._all_values = _Known({n: g.value_of(n) for n in range(len(g))},
                                      {n: n for n in range(len(g))}, len(g))
        return self._all_values

    def active_edges(self) -> list[Edge]:
        active = self.g.active
        return [e for e in self.g.edges() if active[e[0]]]

    def all_locals(self) -> Mapping:
        if self._all_locals is None:
            known = _Growing()
            for tail, head, pos in self.active_edges():
                known.add((tail, head, pos), self.g.local(head, pos))
            self._all_locals = known.view()
        return self._all_locals

    # --- forward: values -----------------------------------------------------------------
    def forward(self) -> None:
        g = self.g
        values = _Growing()
        given = [n for n in range(len(g)) if g.op(n) in ("input", "const")]
        for n in given:
            values.add(n, g.value_of(n))
        inputs = [n for n in given if g.op(n) == "input"]
        consts = [n for n in given if g.op(n) == "const"]
        parts = []
        if inputs:
            parts.append("inputs: " + ", ".join(f"{g.label(n)} = {_show(g.value_of(n))}"
                                                for n in inputs))
        if consts:
            parts.append("constants: " + ", ".join(
                g.label(n) if np.ndim(g.value_of(n)) == 0 else f"{g.label(n)} ({_shape(g, n)})"
                for n in consts))
        text = "Given " + "; ".join(parts) if parts else "Nothing is given"
        self.add(text, "inputs", "inputs", focus_nodes=tuple(given), values=values.view())
        for n in range(len(g)):
            if g.op(n) in ("input", "const"):
                continue
            values.add(n, g.value_of(n))
            args = g.args(n)
            self.add(self._value_text(n), f"{g.label(n)} = {_short(g.expr(n))}", "value",
                     focus_nodes=(n,) + _unique(args),
                     focus_edges=tuple((a, n, p) for p, a in enumerate(args)),
                     values=values.view(), result=g.value_of(n))

    def _value_text(self, n: int) -> str:
        g = self.g
        args = g.args(n)
        label = g.label(n)
        symbolic = _apply(g, n, [g.label(a) for a in args])
        value = g.value_of(n)
        if g.op(n) == "broadcast":
            a = args[0]
            return (f"{label} = {g.label(a)} broadcast from {_shape(g, a)} to {_shape(g, n)} "
                    f"(copies along the new or stretched axes) = {_show(value)}")
        if all(np.ndim(g.value_of(a)) == 0 for a in args):
            numeric = _apply(g, n, [_num(g.value_of(a)) for a in args])
            if numeric == symbolic:
                return f"{label} = {symbolic} = {_show(value)}"
            return f"{label} = {symbolic} = {numeric} = {_show(value)}"
        shapes = ", ".join(f"{g.label(a)} is {_shape(g, a)}" for a in _unique(args))
        return f"{label} = {symbolic}, where {shapes}: {_show(value)}"

    # --- local: one edge per step -------------------------------------------------------
    def local(self) -> None:
        g = self.g
        known = _Growing()
        edges = self.active_edges()
        if not edges:
            self.add(f"{g.expr(g.output)} has no edge that carries a derivative: nothing to "
                     "differentiate locally", "no edges", "local", locals=_EMPTY)
            return
        for tail, head, pos in edges:
            local = g.local(head, pos)
            known.add((tail, head, pos), local)
            uses = [p for p, a in enumerate(g.args(head)) if a == tail]
            use = f" (use {uses.index(pos) + 1} of {len(uses)})" if len(uses) > 1 else ""
            self.add(self._local_text(tail, head, pos, local),
                     f"∂{g.label(head)}/∂{g.label(tail)}{use}", "local",
                     focus_nodes=(head, tail), focus_edges=((tail, head, pos),),
                     locals=known.view(), result=local)

    def _local_text(self, tail: int, head: int, pos: int, local: Any) -> str:
        g = self.g
        h, t = g.label(head), g.label(tail)
        symbolic = _apply(g, head, [g.label(a) for a in g.args(head)])
        note = _use_note(g, tail, head, pos)
        if not isinstance(local, Jacobian):
            formula = g.formula(head, pos)
            value = _num(local)
            shown = formula if formula == value else f"{formula} = {value}"
            return f"∂{h}/∂{t} = {shown}, since {h} = {symbolic}{note}"
        rows, cols = local.shape
        article = "an" if local.kind[0] in "aeiou" else "a"
        return (f"∂{h}/∂{t} = {local.formula}, {article} {local.kind} Jacobian "
                f"({shape_text(local.out_shape)} ← {shape_text(local.in_shape)}, "
                f"{rows}x{cols} in numerator layout){note}. "
                f"{_sentence(_adjoint_sentence(g, head, pos))}")

    # --- paths: one path per step, then the sum ------------------------------------------
    def paths(self, wrt: str, limit: int, many: bool) -> None:
        g = self.g
        out = g.output
        total = count_paths(g, wrt)
        if total > limit:
            raise PathLimitError(
                f"{g.expr(out)} has {total:,} paths back to {wrt}, more than the stepper's "
                f"limit of {limit:,} (one step per path); step it with mode='reverse', which "
                f"visits each node once, or raise path_limit="
            )
        prefix = f"∂{g.label(out)}/∂{wrt}, " if many else ""
        scalar_out = g.shape_of(out) == ()
        locals_ = self.all_locals()
        running: Any = None
        contributions: list[Any] = []
        all_edges: dict[Edge, None] = {}
        for k, path in enumerate(paths(g, wrt, limit=limit), 1):
            edges = tuple((g.args(head)[pos], head, pos) for head, pos in path.edges)
            all_edges.update(dict.fromkeys(edges))
            product = path.product
            if scalar_out:
                contribution = path.contribution(1.0)
            else:
                contribution = to_dense(product)
            running = contribution if running is None else running + contribution
            contributions.append(contribution)
            route = " ← ".join(g.label(n) for n in path.nodes)
            formulas = path.formulas(g)
            head = f"{prefix}path {k} of {total} ({route})"
            if not formulas:
                text = (f"{head}: {wrt} is the output itself, so the empty path contributes "
                        f"{'1' if scalar_out else 'the identity'}; "
                        f"sum so far {_show(running)}")
            elif all(_is_scalar(f) for f in path.factors) and _is_scalar(contribution):
                chain = " · ".join(_wrap(f) for f in formulas)
                numbers = " · ".join(_factor(f) for f in path.factors)
                text = (f"{head}: 1 · {chain} = 1 · {numbers} = {_num(contribution)}; "
                        f"sum so far {_num(running)}")
            else:
                chain = " · ".join(_wrap(f) for f in formulas)
                shapes = " ← ".join(_shape(g, n) for n in path.nodes)
                what = "contributes" if scalar_out else "has the Jacobian"
                text = (f"{head}: {chain}, Jacobians along {shapes}; this path {what} "
                        f"{_show(contribution)}; sum so far {_show(running)}")
            self.add(text, f"{prefix}path {k} of {total}", "path",
                     focus_nodes=tuple(path.nodes), focus_edges=edges, locals=locals_,
                     wrt=wrt, result=running, product=product)
        self._path_result(wrt, running, contributions, tuple(all_edges), prefix)

    def _path_result(self, wrt: str, total: Any, contributions: list[Any], edges: tuple,
                     prefix: str) -> None:
        g = self.g
        out, node = g.output, g.node(wrt)
        if g.shape_of(out) == ():
            reference, how = grad(g, wrt), f"gs.grad(g, {wrt!r}) gives {{}} by reverse accumulation"
        else:
            reference, how = jacobian(g, wrt), f"gs.jacobian(g, {wrt!r}) gives {{}}"
        same, diff = _agree(total, reference)
        n = len(contributions)
        terms = ""
        if all(_is_scalar(c) for c in contributions) and 1 < n <= 6:
            terms = " + ".join(_num(c) for c in contributions).replace("+ -", "- ") + " = "
        paths_text = "its only path" if n == 1 else f"its {n} paths"
        text = (f"∂{g.label(out)}/∂{wrt} = sum over {paths_text} = {terms}{_show(total)}; "
                f"{how.format(_show(reference))}: {_verdict(same, diff)}")
        found = {node: total} if g.shape_of(out) == () else {}  # the picture shows it on wrt
        self.add(text, f"{prefix}∂{g.label(out)}/∂{wrt}", "result",
                 focus_nodes=_unique((out, node)), focus_edges=edges, locals=self.all_locals(),
                 adjoints=found, wrt=wrt, result=total)

    # --- reverse accumulation ------------------------------------------------------------
    def reverse(self, wrt: str | None, seed: Any) -> None:
        g = self.g
        names = [wrt] if wrt is not None else _need_inputs(g, "reverse")
        out = g.output
        out_shape = g.shape_of(out)
        if seed is None:
            if out_shape != ():
                raise ShapeError(
                    f"reverse mode starts from the output's adjoint, and {g.expr(out)} has shape "
                    f"{shape_text(out_shape)}: give seed= of that shape (one row of the "
                    f"Jacobian per seed), or use mode='forward-mode'"
                )
            seed = 1.0
        if np.shape(seed) != out_shape:
            raise ShapeError(
                f"the seed for {g.expr(out)} has shape {shape_text(np.shape(seed))}, "
                f"the output has shape {shape_text(out_shape)}"
            )
        seed = float(seed) if out_shape == () else np.asarray(seed, dtype=float)
        locals_ = self.all_locals()
        adj = _Growing()
        adj.add(out, seed)
        o = g.label(out)
        if out_shape == () and seed == 1.0:
            text = (f"{_bar(o)} = 1: the output's adjoint is ∂{o}/∂{o} = 1; reverse accumulation "
                    "starts here and visits the nodes in reverse topological order")
        else:
            text = (f"{_bar(o)} = the seed {_show(seed)}: reverse accumulation starts at the "
                    "output and visits the nodes in reverse topological order")
        self.add(text, f"seed {_bar(o)}", "seed", focus_nodes=(out,), locals=locals_,
                 adjoints=adj.view(), result=seed)
        active = g.active
        users = g.users
        for n in range(out - 1, -1, -1):
            if not active[n] or not users[n]:
                continue
            edges = [(n, head, pos) for head, pos in users[n]]
            parts = [vjp(g.local(head, pos), adj.data[head]) for _, head, pos in edges]
            total = parts[0]
            for p in parts[1:]:
                total = total + p
            if np.ndim(g.value_of(n)) == 0 and np.ndim(total) == 0:
                total = float(total)
            adj.add(n, total)
            self.add(self._reverse_text(n, edges, total, adj.data), _bar(g.label(n)), "adjoint",
                     focus_nodes=(n,) + _unique(h for _, h, _ in edges),
                     focus_edges=tuple(edges), locals=locals_, adjoints=adj.view(), result=total)
        self._reverse_result(names, adj, seed)

    def _reverse_text(self, n: int, edges: list[Edge], total: Any, adj: Mapping) -> str:
        g = self.g
        label = g.label(n)
        k = len(edges)
        heads = _unique(h for _, h, _ in edges)
        scalar = _is_scalar(total) and all(
            _is_scalar(g.local(h, p)) and _is_scalar(adj[h]) for _, h, p in edges)
        note = ""
        if k > 1:
            done = " and ".join(_bar(g.label(h)) for h in heads) if len(heads) <= 3 else \
                f"all {len(heads)} of them"
            both = "both come" if len(heads) == 2 else ("it comes" if len(heads) == 1 else "they come")
            note = (f" ({_count_word(k)} edges leave {label}, so {_count_word(k)} contributions; "
                    f"{done} {'is' if len(heads) == 1 else 'are'} complete already because "
                    f"{both} after {label} in topological order)")
        if scalar:
            symbolic = " + ".join(f"{_bar(g.label(h))} · {_wrap(g.formula(h, p))}" for _, h, p in edges)
            numbers = " + ".join(f"{_factor(adj[h])} · {_factor(g.local(h, p))}" for _, h, p in edges)
            return f"{_bar(label)} = {symbolic} = {numbers} = {_num(total)}{note}"
        symbolic = " + ".join(f"{_bar(g.label(h))} · {_wrap(g.edge_formula(h, p))}" for _, h, p in edges)
        reasons = []
        for _, h, p in edges:
            if isinstance(g.local(h, p), Jacobian):
                reasons.append(_adjoint_sentence(g, h, p))
        why = "".join(" " + _sentence(r) for r in reasons)
        return f"{_bar(label)} = {symbolic} = {_show(total)}{note}.{why}"

    def _reverse_result(self, names: list[str], adj: _Growing, seed: Any) -> None:
        g = self.g
        out = g.output
        o = g.label(out)
        found = {}
        for name in names:
            node = g.node(name)
            value = adj.data.get(node)
            if value is None:
                value = 0.0 if g.shape_of(node) == () else np.zeros(g.shape_of(node))
            found[name] = value
        if g.shape_of(out) == () and seed == 1.0:
            reference = grad(g)
            how = "gs.grad(g)"
        else:
            flat = np.ravel(seed)
            reference = {name: (flat @ jacobian(g, name)).reshape(g.shape_of(g.node(name)))
                         for name in names}
            how = "the seed times gs.jacobian(g)"
        checks = [_agree(found[name], reference[name]) for name in names]
        same = all(c[0] for c in checks)
        diff = max(c[1] for c in checks)
        mine = ", ".join(f"{_bar(name)} = ∂{o}/∂{name} = {_show(found[name])}" for name in names)
        theirs = ", ".join(_show(reference[name]) for name in names)
        text = f"gradient: {mine}; {how} gives {theirs}: {_verdict(same, diff)}"
        self.add(text, "gradient", "result",
                 focus_nodes=tuple(g.node(name) for name in names), locals=self.all_locals(),
                 adjoints=adj.view(), result=found[names[0]] if len(names) == 1 else found)

    # --- forward mode: tangents ----------------------------------------------------------
    def forward_mode(self, wrt: str, direction: Any) -> None:
        g = self.g
        source = g.node(wrt)
        in_shape = g.shape_of(source)
        full = direction is None and in_shape != ()
        if full:
            size = int(np.prod(in_shape))
            entries = size * sum(int(np.prod(g.shape_of(n))) for n in range(source, len(g)))
            if entries > TANGENT_LIMIT:
                raise SizeLimitError(
                    f"forward mode with respect to {wrt} ({shape_text(in_shape)}) would carry "
                    f"{entries:,} tangent entries (every ∂u/∂{wrt} in full), more than "
                    f"{TANGENT_LIMIT:,}; give direction= of shape {shape_text(in_shape)}"
                )
            columns = []
            for j in range(size):
                e = np.zeros(size)
                e[j] = 1.0
                columns.append(forward_tangents(g, wrt, e.reshape(in_shape)))
            tangent = []
            for n in range(len(g)):
                if columns[0][n] is None:
                    tangent.append(None)
                else:
                    stacked = np.stack([np.asarray(c[n], dtype=float) for c in columns], axis=-1)
                    tangent.append(stacked.reshape(g.shape_of(n) + in_shape))
        else:
            tangent = forward_tangents(g, wrt, direction)
        locals_ = self.all_locals()
        known = _Growing()
        known.add(source, tangent[source])
        x = g.label(source)
        if full:
            text = (f"{_prime(x)} = I: forward mode carries every ∂u/∂{x} (shape u.shape + "
                    f"{shape_text(in_shape)}) from {x} to the output, starting from the identity "
                    f"∂{x}/∂{x}; other inputs and constants have tangent 0")
        elif direction is not None:
            text = (f"{_prime(x)} = {_show(tangent[source])}: forward mode pushes this direction "
                    f"from {x} to the output; other inputs and constants have tangent 0")
        else:
            text = (f"{_prime(x)} = 1: forward mode carries each node's derivative with respect "
                    f"to {x} (its tangent) from {x} to the output; other inputs and constants "
                    "have tangent 0")
        self.add(text, f"seed {_prime(x)}", "seed", focus_nodes=(source,), locals=locals_,
                 tangents=known.view(), wrt=wrt, result=tangent[source])
        for n in range(source + 1, len(g)):
            if tangent[n] is None:
                continue
            known.add(n, tangent[n])
            edges = [(a, n, p) for p, a in enumerate(g.args(n)) if tangent[a] is not None]
            self.add(self._tangent_text(n, edges, tangent, x if full else ""), _prime(g.label(n)), "tangent",
                     focus_nodes=(n,) + _unique(a for a, _, _ in edges), focus_edges=tuple(edges),
                     locals=locals_, tangents=known.view(), wrt=wrt, result=tangent[n])
        self._forward_result(wrt, tangent, known, direction)

    def _tangent_text(self, n: int, edges: list[Edge], tangent: list[Any], full: str) -> str:
        # ``full`` is the input's label when each tangent is the whole ∂u/∂x, else empty.
        g = self.g
        label = g.label(n)
        total = tangent[n]
        scalar = _is_scalar(total) and all(
            _is_scalar(g.local(h, p)) and _is_scalar(tangent[a]) for a, h, p in edges)
        if scalar:
            symbolic = " + ".join(f"{_wrap(g.formula(h, p))} · {_prime(g.label(a))}" for a, h, p in edges)
            numbers = " + ".join(f"{_factor(g.local(h, p))} · {_factor(tangent[a])}" for a, h, p in edges)
            return f"{_prime(label)} = {symbolic} = {numbers} = {_num(total)}"
        symbolic = " + ".join(f"{_wrap(g.edge_formula(h, p))} · {_prime(g.label(a))}" for a, h, p in edges)
        what = f"{_prime(label)} = ∂{label}/∂{full}" if full else _prime(label)
        maps = "; ".join(f"{_shape(g, a)} → {_shape(g, h)}" for a, h, p in edges)
        plural = "s" if len(edges) > 1 else ""
        return (f"{_prime(label)} = {symbolic} (local Jacobian{plural} {maps}, applied to the "
                f"argument's tangent), so {what} is {_show(total)}")

    def _forward_result(self, wrt: str, tangent: list[Any], known: _Growing, direction: Any) -> None:
        g = self.g
        out, source = g.output, g.node(wrt)
        o = g.label(out)
        value = tangent[out]
        if value is None:  # pragma: no cover - every input is an ancestor of the output
            value = np.zeros(g.shape_of(out)) if g.shape_of(out) else 0.0
        in_shape = g.shape_of(source)
        if direction is not None:
            reference = (jacobian(g, wrt) @ np.ravel(direction)).reshape(g.shape_of(out))
            if g.shape_of(out) == ():
                reference = float(reference)
            how = f"gs.jacobian(g, {wrt!r}) times the direction"
        elif g.shape_of(out) == ():
            reference, how = grad(g, wrt), f"gs.grad(g, {wrt!r}) (reverse accumulation)"
        else:
            reference = jacobian(g, wrt).reshape(g.shape_of(out) + in_shape)
            how = f"gs.jacobian(g, {wrt!r})"
        same, diff = _agree(value, reference)
        name = f"∂{o}/∂{wrt}" if direction is None else f"the derivative of {o} along the direction"
        text = (f"{_prime(o)} = {name} = {_show(value)}; {how} gives {_show(reference)}: "
                f"{_verdict(same, diff)}")
        self.add(text, f"{_prime(o)} = ∂{o}/∂{wrt}", "result", focus_nodes=_unique((out, source)),
                 locals=self.all_locals(), tangents=known.view(), wrt=wrt, result=value)


def _unique(items) -> tuple:
    return tuple(dict.fromkeys(items))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the terminal table ------------------------------------------------------------------


def _cell(v: Any, width: int = 30) -> str:
    return _short(_show(v, compact=True), width)


def _table(g: Graph, step: Step) -> str:
    """A compact table of the nodes: label, expression, value and adjoint/tangent as known."""
    n = len(g)
    if n <= TABLE_ROWS:
        rows = list(range(n))
    else:
        near = set(step.focus_nodes[:TABLE_ROWS])
        for tail, head, _ in step.focus_edges[: TABLE_ROWS]:
            near.update((tail, head))
        near.add(g.output)
        rows = sorted(near)[: TABLE_ROWS]
    columns = ["node", "expr", "value"]
    extra = None
    if step.mode == "reverse":
        extra, known = "adjoint", step.adjoints
    elif step.mode == "forward-mode":
        extra, known = "tangent", step.tangents
    if extra:
        columns.append(extra)
    focus = set(step.focus_nodes)
    lines = []
    for node in rows:
        mark = "▶" if step.focus_nodes and node == step.focus_nodes[0] else ("·" if node in focus else " ")
        cells = [f"{mark} {g.label(node)}", _short(g.expr(node), 30),
                 _cell(step.values[node]) if node in step.values else ""]
        if extra:
            cells.append(_cell(known[node]) if node in known else "")
        lines.append(cells)
    widths = [max(len(columns[i]), *(len(r[i]) for r in lines)) for i in range(len(columns))]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines]
    if len(rows) < n:
        out.append(f"(showing {len(rows)} of {n} nodes: the focus and its neighbours)")
    return "\n".join(out)

