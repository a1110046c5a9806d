"""Building the steps of a walk: one builder per :class:`~graphstep.steps.model.Mode`.

Each builder turns what the algorithms compute into sentences: the ``paths`` builder
steps through :func:`graphstep.algorithms.paths.paths`, the ``reverse`` builder through
the adjoints of :func:`graphstep.algorithms.reverse.adjoints`, the ``forward-mode``
builder through :func:`graphstep.algorithms.forward.tangents`; a last step compares
the result with ``gs.grad`` (or ``gs.jacobian``). :func:`build_steps` checks the
arguments and picks the builder.

>>> import graphstep as gs
>>> walk = build_steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
>>> len(walk), walk.current.title, walk.goto(1).text
(3, 'path 1 of 2', 'u3 ← x: 1 · u2 = 1 · 9.488 = 9.488; sum so far 52.18')
>>> print(walk.goto(-1).text)  # doctest: +NORMALIZE_WHITESPACE
∂u3/∂x = sum over its 2 paths = 42.69 + 9.488 = 52.18; gs.grad(g, 'x') gives 52.18
by reverse accumulation: they agree
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

import numpy as np

from graphstep.algorithms.agreement import agree
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.paths import count_paths, paths
from graphstep.algorithms.reverse import adjoints, grad
from graphstep.errors import InputError, PathLimitError, ShapeError, SizeLimitError
from graphstep.formulas.backprop import adjoint_sentence
from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian, to_dense
from graphstep.steps.adjoint_graph import AdjointGraphBuilder, backward_reads, cached_note
from graphstep.steps.model import (
    EMPTY,
    STEP_PATH_LIMIT,
    TANGENT_LIMIT,
    Edge,
    GrowingDict,
    Mode,
    PrefixView,
    Step,
    StepCursor,
    StepKind,
)
from graphstep.steps.phrases import (
    apply_op,
    count_word,
    factor,
    full_stop,
    is_scalar,
    parenthesize,
    prime,
    shape_of,
    unique,
    use_note,
    verdict,
)
from graphstep.text import describe_value, ellipsize, number, overline, shape_text

__all__ = ["build_steps"]


def build_steps(
    g: Graph,
    mode: Mode | str = Mode.PATHS,
    wrt: str | None = None,
    *,
    direction: Any = None,
    seed: Any = None,
    path_limit: int = STEP_PATH_LIMIT,
) -> StepCursor:
    """The steps of a walk through ``g`` in ``mode``, behind a cursor.

    Parameters
    ----------
    g : Graph
        The graph to walk through.
    mode : Mode or {"forward", "local", "paths", "reverse", "forward-mode"}
        What the steps show (see :mod:`graphstep.steps.model`).
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

    Returns
    -------
    StepCursor
        The steps, with the cursor on the first.

    Raises
    ------
    InputError
        For an unknown mode or input, or an option the mode does not take.
    ShapeError
        For a seed or direction of the wrong shape, or a reverse walk of a non-scalar
        output without a seed.
    PathLimitError
        In ``paths`` mode, when an input has more than ``path_limit`` paths.
    SizeLimitError
        In ``forward-mode`` without a direction, when the tangents would be too large.

    Examples
    --------
    >>> import graphstep as gs
    >>> [step.title for step in build_steps(gs.parse("sin(x)", x=0.0), "reverse")]
    ['seed ū1', 'x̄', 'gradient']
    """
    if not isinstance(g, Graph):
        raise InputError(f"steps() needs a Graph (from gs.parse or gs.graph), got {type(g).__name__}")
    chosen = Mode.parse(mode)
    if wrt is not None:
        g.input_node(wrt)  # an InputError naming the inputs when unknown
    if direction is not None and chosen is not Mode.FORWARD_MODE:
        raise InputError(f"direction= is for mode='forward-mode', not {mode!r}")
    if seed is not None and chosen is not Mode.REVERSE:
        raise InputError(f"seed= is for mode='reverse', not {mode!r}")
    builder = _BUILDERS[chosen](g, chosen)
    wrt = builder.build(wrt, direction=_as_array(direction, "direction"), seed=_as_array(seed, "seed"),
                        path_limit=path_limit)
    return StepCursor(builder.g, chosen, wrt, builder.steps)  # adjoint-graph walks a new graph


def _as_array(value: Any, name: str) -> Any:
    """A number or array given by the user, as floats (``None`` stays ``None``)."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}= must be a number or an array of numbers, got {value!r}") from None
    return float(array) if array.ndim == 0 else array


def _need_inputs(g: Graph, mode: Mode) -> list[str]:
    if not g.inputs:
        raise InputError(
            f"{g.expr(g.output)} has no inputs, so there is no derivative to step through "
            f"in mode {str(mode)!r}; use mode='forward' to see its values"
        )
    return list(g.inputs)


# --- the builders ------------------------------------------------------------------------------


class _Builder(ABC):
    """What every builder shares: the step list and the views of all values and local derivatives."""

    def __init__(self, g: Graph, mode: Mode):
        self.g = g
        self.mode = mode
        self.steps: list[Step] = []
        self._all_values: Mapping | None = None
        self._all_locals: Mapping | None = None

    @abstractmethod
    def build(self, wrt: str | None, *, direction: Any, seed: Any, path_limit: int) -> str | None:
        """Append the steps; return the input the walk is with respect to (or None)."""

    def add(self, text: str, title: str, kind: StepKind, **fields: Any) -> None:
        fields.setdefault("values", self.all_values())
        self.steps.append(Step(self.mode, len(self.steps), text, title, kind=kind,
                               graph=self.g, **fields))

    def all_values(self) -> Mapping:
        if self._all_values is None:
            g = self.g
            self._all_values = PrefixView({n: g.value_of(n) for n in range(len(g))},
                                          {n: n for n in range(len(g))}, len(g))
        return self._all_values

    def active_edges(self) -> list[Edge]:
        active = self.g.active
        return [e for e in self.g.edges() if active[e[0]]]

    def all_locals(self) -> Mapping:
        if self._all_locals is None:
            known = GrowingDict()
            for tail, head, pos in self.active_edges():
                known.add((tail, head, pos), self.g.local(head, pos))
            self._all_locals = known.view()
        return self._all_locals


class _ForwardBuilder(_Builder):
    """``forward``: the given values, then one node's value per step."""

    def build(self, wrt, *, direction, seed, path_limit):
        g = self.g
        values = GrowingDict()
        given = [n for n in range(len(g)) if g.op(n) in ("input", "const")]
        for n in given:
            values.add(n, g.value_of(n))
        inputs = [n for n in given if g.op(n) == "input"]
        consts = [n for n in given if g.op(n) == "const"]
        parts = []
        if inputs:
            parts.append("inputs: " + ", ".join(f"{g.label(n)} = {describe_value(g.value_of(n))}"
                                                for n in inputs))
        if consts:
            parts.append("constants: " + ", ".join(
                g.label(n) if np.ndim(g.value_of(n)) == 0 else f"{g.label(n)} ({shape_of(g, n)})"
                for n in consts))
        text = "Given " + "; ".join(parts) if parts else "Nothing is given"
        self.add(text, "inputs", StepKind.INPUTS, focus_nodes=tuple(given), values=values.view())
        for n in range(len(g)):
            if g.op(n) in ("input", "const"):
                continue
            values.add(n, g.value_of(n))
            args = g.args(n)
            self.add(self._value_text(n), f"{g.label(n)} = {ellipsize(g.expr(n))}", StepKind.VALUE,
                     focus_nodes=(n,) + unique(args),
                     focus_edges=tuple((a, n, p) for p, a in enumerate(args)),
                     values=values.view(), result=g.value_of(n))
        return wrt

    def _value_text(self, n: int) -> str:
        g = self.g
        args = g.args(n)
        label = g.label(n)
        symbolic = apply_op(g, n, [g.label(a) for a in args])
        value = g.value_of(n)
        if g.op(n) == "broadcast":
            a = args[0]
            return (f"{label} = {g.label(a)} broadcast from {shape_of(g, a)} to {shape_of(g, n)} "
                    f"(copies along the new or stretched axes) = {describe_value(value)}")
        if all(np.ndim(g.value_of(a)) == 0 for a in args):
            numeric = apply_op(g, n, [number(g.value_of(a)) for a in args])
            if numeric == symbolic:
                return f"{label} = {symbolic} = {describe_value(value)}"
            return f"{label} = {symbolic} = {numeric} = {describe_value(value)}"
        shapes = ", ".join(f"{g.label(a)} is {shape_of(g, a)}" for a in unique(args))
        return f"{label} = {symbolic}, where {shapes}: {describe_value(value)}"


class _LocalBuilder(_Builder):
    """``local``: one edge's local derivative per step."""

    def build(self, wrt, *, direction, seed, path_limit):
        g = self.g
        known = GrowingDict()
        edges = self.active_edges()
        if not edges:
            self.add(f"{g.expr(g.output)} has no edge that carries a derivative: nothing to "
                     "differentiate locally", "no edges", StepKind.LOCAL, local_derivatives=EMPTY)
            return wrt
        for tail, head, pos in edges:
            local = g.local(head, pos)
            known.add((tail, head, pos), local)
            uses = [p for p, a in enumerate(g.args(head)) if a == tail]
            use = f" (use {uses.index(pos) + 1} of {len(uses)})" if len(uses) > 1 else ""
            self.add(self._local_text(tail, head, pos, local),
                     f"∂{g.label(head)}/∂{g.label(tail)}{use}", StepKind.LOCAL,
                     focus_nodes=(head, tail), focus_edges=((tail, head, pos),),
                     local_derivatives=known.view(), result=local)
        return wrt

    def _local_text(self, tail: int, head: int, pos: int, local: Any) -> str:
        g = self.g
        h, t = g.label(head), g.label(tail)
        symbolic = apply_op(g, head, [g.label(a) for a in g.args(head)])
        note = use_note(g, tail, head, pos)
        if not isinstance(local, Jacobian):
            formula = g.formula(head, pos)
            value = number(local)
            shown = formula if formula == value else f"{formula} = {value}"
            return f"∂{h}/∂{t} = {shown}, since {h} = {symbolic}{note}"
        rows, cols = local.shape
        article = "an" if local.kind[0] in "aeiou" else "a"
        return (f"∂{h}/∂{t} = {local.formula}, {article} {local.kind} Jacobian "
                f"({shape_text(local.out_shape)} ← {shape_text(local.in_shape)}, "
                f"{rows}×{cols} in numerator layout){note}. "
                f"{full_stop(adjoint_sentence(g, head, pos, notation='bar'))}")


class _PathsBuilder(_Builder):
    """``paths``: one path per step and the running sum, then the sum for each input."""

    def build(self, wrt, *, direction, seed, path_limit):
        names = [wrt] if wrt is not None else _need_inputs(self.g, self.mode)
        for name in names:
            self._paths(name, path_limit, many=len(names) > 1)
        return wrt

    def _paths(self, wrt: str, limit: int, many: bool) -> None:
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
        # paths() orders them as the input's adjoint adds its contributions, so the sum
        # below, the reverse steps and the picture write the terms in one order
        for k, path in enumerate(paths(g, wrt, limit=limit), 1):
            edges = path.edges
            all_edges.update(dict.fromkeys(edges))
            product = path.product
            contribution = path.contribution(1.0) if scalar_out else to_dense(product)
            running = contribution if running is None else running + contribution
            contributions.append(contribution)
            route = " ← ".join(g.label(n) for n in path.nodes)
            formulas = path.formulas(g)
            head = route  # the title says which derivative and "path k of n"
            if not formulas:
                text = (f"{head}: {wrt} is the output itself, so the empty path contributes "
                        f"{'1' if scalar_out else 'the identity'}; "
                        f"sum so far {describe_value(running)}")
            elif all(is_scalar(f) for f in path.factors) and is_scalar(contribution):
                chain = " · ".join(parenthesize(f) for f in formulas)
                numbers = " · ".join(factor(f) for f in path.factors)
                text = (f"{head}: 1 · {chain} = 1 · {numbers} = {number(contribution)}; "
                        f"sum so far {number(running)}")
            else:
                chain = " · ".join(parenthesize(f) for f in formulas)
                shapes = " ← ".join(shape_of(g, n) for n in path.nodes)
                what = "contributes" if scalar_out else "has the Jacobian"
                text = (f"{head}: {chain}, Jacobians along {shapes}; this path {what} "
                        f"{describe_value(contribution)}; sum so far {describe_value(running)}")
            self.add(text, f"{prefix}path {k} of {total}", StepKind.PATH,
                     focus_nodes=tuple(path.nodes), focus_edges=edges, local_derivatives=locals_,
                     wrt=wrt, result=running, product=product)
        self._result(wrt, running, contributions, tuple(all_edges), prefix)

    def _result(self, wrt: str, total: Any, contributions: list[Any], edges: tuple, prefix: str) -> None:
        g = self.g
        out, node = g.output, g.input_node(wrt)
        if g.shape_of(out) == ():
            reference, how = grad(g, wrt), f"gs.grad(g, {wrt!r}) gives {{}} by reverse accumulation"
        else:
            reference, how = jacobian(g, wrt), f"gs.jacobian(g, {wrt!r}) gives {{}}"
        same, diff = agree(total, reference)
        n = len(contributions)
        terms = ""
        if all(is_scalar(c) for c in contributions) and 1 < n <= 6:
            terms = " + ".join(number(c) for c in contributions).replace("+ -", "- ") + " = "
        paths_text = "its only path" if n == 1 else f"its {n} paths"
        text = (f"∂{g.label(out)}/∂{wrt} = sum over {paths_text} = {terms}{describe_value(total)}; "
                f"{how.format(describe_value(reference))}: {verdict(same, diff)}")
        found = {node: total} if g.shape_of(out) == () else {}  # the picture shows it on wrt
        self.add(text, f"{prefix}∂{g.label(out)}/∂{wrt}", StepKind.RESULT,
                 focus_nodes=unique((out, node)), focus_edges=edges,
                 local_derivatives=self.all_locals(), adjoints=found, wrt=wrt, result=total)


class _ReverseBuilder(_Builder):
    """``reverse``: the seed, one node's adjoint per step (from ``adjoints``), then the gradient."""

    def build(self, wrt, *, direction, seed, path_limit):
        g = self.g
        names = [wrt] if wrt is not None else _need_inputs(g, self.mode)
        out = g.output
        out_shape = g.shape_of(out)
        if seed is None:
            if out_shape != ():
                raise ShapeError(
                    f"reverse mode starts from the output's adjoint, and {g.expr(out)} has shape "
                    f"{shape_text(out_shape, 'x')}: give seed= of that shape (one row of the "
                    f"Jacobian per seed), or use mode='forward-mode'"
                )
            seed = 1.0
        if np.shape(seed) != out_shape:
            raise ShapeError(
                f"the seed for {g.expr(out)} has shape {shape_text(np.shape(seed), 'x')}, "
                f"the output has shape {shape_text(out_shape, 'x')}"
            )
        seed = float(seed) if out_shape == () else np.asarray(seed, dtype=float)
        computed = adjoints(g, seed, check=False)  # the last step's gs.grad checks
        reads = backward_reads(g, seed)  # the cached values each step's rules read
        locals_ = self.all_locals()
        adj = GrowingDict()
        adj.add(out, seed)
        o = g.label(out)
        if out_shape == () and seed == 1.0:
            text = (f"{overline(o)} = 1: the output's adjoint is ∂{o}/∂{o} = 1; reverse accumulation "
                    "starts here and visits the nodes in reverse topological order")
        else:
            text = (f"{overline(o)} = the seed {describe_value(seed)}: reverse accumulation starts at the "
                    "output and visits the nodes in reverse topological order")
        self.add(text, f"seed {overline(o)}", StepKind.SEED, focus_nodes=(out,), local_derivatives=locals_,
                 adjoints=adj.view(), result=seed)
        active = g.active
        users = g.users
        for n in range(out - 1, -1, -1):
            if not active[n] or not users[n]:
                continue
            edges = list(users[n])
            total = computed[n]
            if np.ndim(g.value_of(n)) == 0 and np.ndim(total) == 0:
                total = float(total)
            adj.add(n, total)
            self.add(cached_note(self._text(n, edges, total, adj.data), g, reads, edges),
                     overline(g.label(n)), StepKind.ADJOINT,
                     focus_nodes=(n,) + unique(h for _, h, _ in edges),
                     focus_edges=tuple(edges), local_derivatives=locals_, adjoints=adj.view(),
                     result=total)
        self._result(names, adj, seed)
        return wrt

    def _text(self, n: int, edges: list[Edge], total: Any, adj: Mapping) -> str:
        g = self.g
        label = g.label(n)
        k = len(edges)
        heads = unique(h for _, h, _ in edges)
        scalar = is_scalar(total) and all(
            is_scalar(g.local(h, p)) and is_scalar(adj[h]) for _, h, p in edges)
        note = ""
        if k > 1:
            done = " and ".join(overline(g.label(h)) for h in heads) if len(heads) <= 3 else \
                f"all {len(heads)} of them"
            both = "both come" if len(heads) == 2 else ("it comes" if len(heads) == 1 else "they come")
            note = (f" ({count_word(k)} edges leave {label}, so {count_word(k)} contributions; "
                    f"{done} {'is' if len(heads) == 1 else 'are'} complete already because "
                    f"{both} after {label} in topological order)")
        if scalar:
            symbolic = " + ".join(f"{overline(g.label(h))} · {parenthesize(g.formula(h, p))}"
                                  for _, h, p in edges)
            numbers = " + ".join(f"{factor(adj[h])} · {factor(g.local(h, p))}" for _, h, p in edges)
            return f"{overline(label)} = {symbolic} = {numbers} = {number(total)}{note}"
        symbolic = " + ".join(f"{overline(g.label(h))} · {parenthesize(g.edge_formula(h, p))}"
                              for _, h, p in edges)
        why = "".join(" " + full_stop(adjoint_sentence(g, h, p, notation="bar"))
                      for _, h, p in edges if isinstance(g.local(h, p), Jacobian))
        return f"{overline(label)} = {symbolic} = {describe_value(total)}{note}.{why}"

    def _result(self, names: list[str], adj: GrowingDict, seed: Any) -> None:
        g = self.g
        out = g.output
        o = g.label(out)
        found = {}
        for name in names:
            node = g.input_node(name)
            value = adj.data.get(node)
            if value is None:
                value = 0.0 if g.shape_of(node) == () else np.zeros(g.shape_of(node))
            found[name] = value
        if g.shape_of(out) == () and seed == 1.0:
            reference = grad(g)
            how = "gs.grad(g)"
        else:
            flat = np.ravel(seed)
            reference = {name: (flat @ jacobian(g, name)).reshape(g.shape_of(g.input_node(name)))
                         for name in names}
            how = "the seed times gs.jacobian(g)"
        checks = [agree(found[name], reference[name]) for name in names]
        same = all(c[0] for c in checks)
        diff = max(c[1] for c in checks)
        mine = ", ".join(f"{overline(name)} = ∂{o}/∂{name} = {describe_value(found[name])}" for name in names)
        theirs = ", ".join(describe_value(reference[name]) for name in names)
        text = f"gradient: {mine}; {how} gives {theirs}: {verdict(same, diff)}"
        self.add(text, "gradient", StepKind.RESULT,
                 focus_nodes=tuple(g.input_node(name) for name in names),
                 local_derivatives=self.all_locals(), adjoints=adj.view(),
                 result=found[names[0]] if len(names) == 1 else found)


class _ForwardModeBuilder(_Builder):
    """``forward-mode``: the seed, one node's tangent per step (from ``tangents``), then the result."""

    def build(self, wrt, *, direction, seed, path_limit):
        g = self.g
        if wrt is None:
            inputs = _need_inputs(g, self.mode)
            if len(inputs) > 1:
                raise InputError(
                    f"forward mode follows one input at a time and {g.expr(g.output)} has "
                    f"{len(inputs)}: {', '.join(inputs)}; choose one with wrt="
                )
            wrt = inputs[0]
        source = g.input_node(wrt)
        in_shape = g.shape_of(source)
        full = direction is None and in_shape != ()
        tangent = self._full_tangents(wrt) if full else tangents(g, wrt, direction)
        locals_ = self.all_locals()
        known = GrowingDict()
        known.add(source, tangent[source])
        x = g.label(source)
        if full:
            text = (f"{prime(x)} = I: forward mode carries every ∂u/∂{x} (shape u.shape + "
                    f"{shape_text(in_shape)}) from {x} to the output, starting from the identity "
                    f"∂{x}/∂{x}; other inputs and constants have tangent 0")
        elif direction is not None:
            text = (f"{prime(x)} = {describe_value(tangent[source])}: forward mode pushes this direction "
                    f"from {x} to the output; other inputs and constants have tangent 0")
        else:
            text = (f"{prime(x)} = 1: forward mode carries each node's derivative with respect "
                    f"to {x} (its tangent) from {x} to the output; other inputs and constants "
                    "have tangent 0")
        self.add(text, f"seed {prime(x)}", StepKind.SEED, focus_nodes=(source,),
                 local_derivatives=locals_, tangents=known.view(), wrt=wrt, result=tangent[source])
        for n in range(source + 1, len(g)):
            if tangent[n] is None:
                continue
            known.add(n, tangent[n])
            edges = [(a, n, p) for p, a in enumerate(g.args(n)) if tangent[a] is not None]
            self.add(self._text(n, edges, tangent, x if full else ""), prime(g.label(n)),
                     StepKind.TANGENT, focus_nodes=(n,) + unique(a for a, _, _ in edges),
                     focus_edges=tuple(edges), local_derivatives=locals_, tangents=known.view(),
                     wrt=wrt, result=tangent[n])
        self._result(wrt, tangent, known, direction)
        return wrt

    def _full_tangents(self, wrt: str) -> list[Any]:
        """Every node's whole ``∂u/∂wrt`` (shape ``u.shape + wrt.shape``): one tangent pass per
        element of ``wrt``, stacked."""
        g = self.g
        in_shape = g.shape_of(g.input_node(wrt))
        size = int(np.prod(in_shape))
        entries = size * sum(int(np.prod(g.shape_of(n))) for n in range(g.input_node(wrt), len(g)))
        if entries > TANGENT_LIMIT:
            raise SizeLimitError(
                f"forward mode with respect to {wrt} ({shape_text(in_shape, 'x')}) would carry "
                f"{entries:,} tangent entries (every ∂u/∂{wrt} in full), more than "
                f"{TANGENT_LIMIT:,}; give direction= of shape {shape_text(in_shape, 'x')}"
            )
        columns = [tangents(g, wrt, basis.reshape(in_shape), check=False) for basis in np.eye(size)]
        return [None if columns[0][n] is None else
                np.stack([np.asarray(c[n], dtype=float) for c in columns], axis=-1)
                .reshape(g.shape_of(n) + in_shape)
                for n in range(len(g))]

    def _text(self, n: int, edges: list[Edge], tangent: list[Any], full: str) -> str:
        # ``full`` is the input's label when each tangent is the whole ∂u/∂x, else empty.
        g = self.g
        label = g.label(n)
        total = tangent[n]
        scalar = is_scalar(total) and all(
            is_scalar(g.local(h, p)) and is_scalar(tangent[a]) for a, h, p in edges)
        if scalar:
            symbolic = " + ".join(f"{parenthesize(g.formula(h, p))} · {prime(g.label(a))}"
                                  for a, h, p in edges)
            numbers = " + ".join(f"{factor(g.local(h, p))} · {factor(tangent[a])}" for a, h, p in edges)
            return f"{prime(label)} = {symbolic} = {numbers} = {number(total)}"
        symbolic = " + ".join(f"{parenthesize(g.edge_formula(h, p))} · {prime(g.label(a))}"
                              for a, h, p in edges)
        what = f"{prime(label)} = ∂{label}/∂{full}" if full else prime(label)
        maps = "; ".join(f"{shape_of(g, a)} → {shape_of(g, h)}" for a, h, p in edges)
        plural = "s" if len(edges) > 1 else ""
        return (f"{prime(label)} = {symbolic} (local Jacobian{plural} {maps}, applied to the "
                f"argument's tangent), so {what} is {describe_value(total)}")

    def _result(self, wrt: str, tangent: list[Any], known: GrowingDict, direction: Any) -> None:
        g = self.g
        out, source = g.output, g.input_node(wrt)
        o = g.label(out)
        value = tangent[out]
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
        same, diff = agree(value, reference)
        name = f"∂{o}/∂{wrt}" if direction is None else f"the derivative of {o} along the direction"
        text = (f"{prime(o)} = {name} = {describe_value(value)}; {how} gives {describe_value(reference)}: "
                f"{verdict(same, diff)}")
        self.add(text, f"{prime(o)} = ∂{o}/∂{wrt}", StepKind.RESULT, focus_nodes=unique((out, source)),
                 local_derivatives=self.all_locals(), tangents=known.view(), wrt=wrt, result=value)


_BUILDERS: dict[Mode, type[_Builder]] = {
    Mode.FORWARD: _ForwardBuilder,
    Mode.LOCAL: _LocalBuilder,
    Mode.PATHS: _PathsBuilder,
    Mode.REVERSE: _ReverseBuilder,
    Mode.FORWARD_MODE: _ForwardModeBuilder,
    Mode.ADJOINT_GRAPH: AdjointGraphBuilder,  # type: ignore[dict-item]  (the same interface)
}
