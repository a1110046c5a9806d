"""What the backward pass must cache: :func:`saved` and :func:`memory`.

Reverse accumulation reads forward values: ``sin`` needs its argument (``cos(x)``),
``exp`` and ``tanh`` their outputs, a product the other factor, ``W @ x`` both
operands; a sum, a broadcast or a reshape reads nothing. :func:`saved` lists them,
read off the traced backward pass (:func:`~graphstep.algorithms.backward_graph.trace_backward`).
:func:`memory` replays graphstep's schedule (the forward pass in node order, then the
backward pass from the output back) and reports the peak bytes held, against forward
mode, and what recomputing chosen values instead of caching them (checkpointing) saves
and costs.

>>> import graphstep as gs
>>> g = gs.parse("sin(sin(sin(x)))", x=0.5)
>>> [s.label for s in saved(g)]
['x', 'u1', 'u2']
>>> m = memory(g)
>>> m.reverse_peak, m.forward_peak
(32, 32)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from graphstep.algorithms.backward_graph import trace_backward
from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.text import shape_text

__all__ = ["SavedValue", "SavedList", "MemoryReport", "saved", "memory", "nbytes", "byte_text"]


def nbytes(value) -> int:
    """The bytes a value takes as float64 (a scalar: 8).

    Parameters
    ----------
    value : float or numpy.ndarray

    Returns
    -------
    int

    Examples
    --------
    >>> nbytes(1.0), nbytes(np.zeros((3, 2)))
    (8, 48)
    """
    return 8 * int(np.size(value))


def byte_text(n: int) -> str:
    """Bytes for people: ``8 B``, ``1.5 kB``, ``2.0 MB``.

    Parameters
    ----------
    n : int

    Returns
    -------
    str

    Examples
    --------
    >>> byte_text(48), byte_text(1536), byte_text(3 * 2**20)
    ('48 B', '1.5 kB', '3.0 MB')
    """
    if n < 1024:
        return f"{n} B"
    if n < 1024**2:
        return f"{n / 1024:.1f} kB"
    return f"{n / 1024**2:.1f} MB"


@dataclass(frozen=True)
class SavedValue:
    """A forward value the backward pass reads.

    Attributes
    ----------
    node : int
        Its node id.
    label : str
    shape : tuple of int
    nbytes : int
        Its size as float64.
    edges : tuple of (int, int)
        The edges ``(head, pos)`` whose adjoint rule reads it.
    readers : tuple of str
        Those edges as ``head → tail`` labels (``u2 → u1``).
    kind : str
        ``"input"`` (the caller holds it anyway) or ``"value"`` (an intermediate kept for
        the backward pass).
    """

    node: int
    label: str
    shape: tuple[int, ...]
    nbytes: int
    edges: tuple[tuple[int, int], ...]
    readers: tuple[str, ...]
    kind: str


class SavedList(Sequence):
    """The values :func:`saved` found, in node order; prints as a table.

    Attributes
    ----------
    total : int
        The bytes of all of them.
    cached : int
        The bytes of the intermediates among them (inputs excluded).
    """

    def __init__(self, items: list[SavedValue]):
        self._items = items
        self.total = sum(s.nbytes for s in items)
        self.cached = sum(s.nbytes for s in items if s.kind == "value")

    def __getitem__(self, k):
        return self._items[k]

    def __len__(self) -> int:
        return len(self._items)

    def of(self, node: int) -> SavedValue | None:
        """The entry of ``node``, or None when the backward pass does not read it.

        Parameters
        ----------
        node : int

        Returns
        -------
        SavedValue or None
        """
        return next((s for s in self._items if s.node == node), None)

    def __repr__(self) -> str:
        rows = [("value", "shape", "bytes", "read by the backward step of")]
        rows += [(s.label + (" (input)" if s.kind == "input" else ""), shape_text(s.shape) or "scalar",
                  byte_text(s.nbytes), ", ".join(s.readers)) for s in self._items]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
        lines.append(f"total {byte_text(self.total)}; cached intermediates {byte_text(self.cached)}")
        return "\n".join(lines)


def saved(g: Graph, wrt: str | Iterable[str] | None = None) -> SavedList:
    """The forward values reverse accumulation reads, with their sizes and the total.

    Parameters
    ----------
    g : Graph
    wrt : str or iterable of str, optional
        The inputs whose gradients are wanted (all by default): edges into nodes no such
        input flows into are not visited, so their values need not be kept.

    Returns
    -------
    SavedList
        Each :class:`SavedValue` says which edges' rules read it.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> s = saved(gs.parse("sum(tanh(W @ x))", W=np.ones((3, 2)), x=np.ones(2)))
    >>> [(v.label, v.nbytes, v.readers) for v in s]
    [('W', 48, ('u1 → x',)), ('x', 16, ('u1 → W',)), ('u2', 24, ('u2 → u1',))]
    >>> s.total, s.cached
    (88, 24)
    """
    names = [wrt] if isinstance(wrt, str) else (None if wrt is None else list(wrt))
    seed = None if g.shape_of(g.output) == () else np.ones(g.shape_of(g.output))
    trace = trace_backward(g, names, seed)
    edges: dict[int, list[tuple[int, int]]] = {}
    for edge, nodes in trace.reads.items():
        for node in nodes:
            edges.setdefault(node, []).append(edge)
    items = []
    for node in sorted(edges):
        found = tuple(sorted(edges[node], key=lambda e: (-e[0], e[1])))
        readers = tuple(f"{g.label(h)} → {g.label(g.args(h)[p])}" for h, p in found)
        items.append(SavedValue(node, g.label(node), g.shape_of(node), nbytes(g.value_of(node)),
                                found, readers, "input" if g.op(node) == INPUT else "value"))
    return SavedList(items)


@dataclass(frozen=True)
class MemoryReport:
    """Peak memory of reverse and forward mode under graphstep's schedule (see :func:`memory`).

    Attributes
    ----------
    reverse_peak : int
        The most bytes of intermediate values and adjoints held at once in reverse mode.
    forward_peak : int
        The same for one forward-mode pass (values and tangents).
    reverse_timeline, forward_timeline : tuple of (str, int)
        The bytes held at each step (``forward u2``, ``backward u3``).
    saved_bytes : int
        The bytes of the intermediates the backward pass reads and that are cached.
    recompute : tuple of str
        The values recomputed in the backward pass instead of being cached.
    extra_ops : int
        Forward ops run again for them (the price of checkpointing).
    baseline_peak : int
        ``reverse_peak`` when everything is cached (to compare).
    forward_passes : int
        Forward mode needs one pass per entry of the inputs (reverse mode: one).
    """

    reverse_peak: int
    forward_peak: int
    reverse_timeline: tuple[tuple[str, int], ...]
    forward_timeline: tuple[tuple[str, int], ...]
    saved_bytes: int
    recompute: tuple[str, ...]
    extra_ops: int
    baseline_peak: int
    forward_passes: int

    @property
    def saved_by_recompute(self) -> int:
        """Bytes of peak memory recomputing saves (``baseline_peak - reverse_peak``).

        Returns
        -------
        int
        """
        return self.baseline_peak - self.reverse_peak

    def __repr__(self) -> str:
        lines = [f"reverse mode: peak {byte_text(self.reverse_peak)} (one pass; "
                 f"{byte_text(self.saved_bytes)} of values cached for the backward pass)",
                 f"forward mode: peak {byte_text(self.forward_peak)} per pass, "
                 f"{self.forward_passes} pass(es)"]
        if self.recompute:
            lines.append(f"recomputing {', '.join(self.recompute)}: peak {byte_text(self.baseline_peak)}"
                         f" -> {byte_text(self.reverse_peak)}, {self.extra_ops} extra forward op(s)")
        return "\n".join(lines)


def _recompute_nodes(g: Graph, recompute: Iterable[str | int]) -> list[int]:
    nodes = []
    for item in recompute:
        node = item if isinstance(item, int) else (g.labels.index(item) if item in g.labels else -1)
        if not 0 <= node < len(g):
            values = [g.label(n) for n in range(len(g)) if g.op(n) not in (INPUT, CONST)]
            raise InputError(f"memory: no node {item!r} to recompute; the values are "
                             f"{', '.join(values)}")
        if g.op(node) in (INPUT, CONST):
            raise InputError(f"memory: {g.label(node)} is an {g.op(node)}, not computed, so it "
                             f"cannot be recomputed")
        nodes.append(node)
    return nodes


def _schedule(g: Graph, order: list[int], reads: dict, parts: dict,
              recompute: list[int]) -> tuple[list[tuple[str, int]], int]:
    """Replay forward then backward; returns the timeline and the number of recomputed ops."""
    n = len(g)
    ops = [k for k in range(n) if g.op(k) not in (INPUT, CONST)]
    step = {head: n + j for j, head in enumerate(order)}  # backward step of each head
    last_use = {k: k for k in ops}
    for head in ops:
        for a in g.args(head):
            if a in last_use:
                last_use[a] = max(last_use[a], head)
    needed: dict[int, list[int]] = {k: [] for k in ops}
    for (head, _pos), nodes in reads.items():
        for k in nodes:
            if k in needed:
                needed[k].append(step[head])
    lives = {k: [(k, max([last_use[k], *needed[k]]))] for k in ops}
    extra = 0
    for r in sorted(set(recompute), reverse=True):  # dependents first
        times = needed[r] + [lives[d][1][0] for d in recompute if r in g.args(d) and len(lives[d]) > 1]
        lives[r] = [(r, last_use[r])]
        if not times:
            continue
        extra += 1
        again = min(times)
        lives[r].append((again, max(times)))
        for a in g.args(r):
            if a in lives and a not in recompute:
                start, end = lives[a][0]
                lives[a][0] = (start, max(end, again))
    adjoint_life = {}
    for head in order:
        for pos, tail in enumerate(g.args(head)):
            if (head, pos) in parts and tail in step:
                born = adjoint_life.get(tail, (step[head],))[0]
                adjoint_life[tail] = (born, step[tail])
    if order:
        adjoint_life[g.output] = (step[g.output], step[g.output])
    timeline = []
    for t in range(n + len(order)):
        held = sum(nbytes(g.value_of(k)) for k in ops for a, b in lives[k] if a <= t <= b)
        held += sum(nbytes(g.value_of(k)) for k, (a, b) in adjoint_life.items() if a <= t <= b)
        what = (f"forward {g.label(t)}" if t < n else f"backward {g.label(order[t - n])}")
        if t >= n or t in last_use:
            timeline.append((what, held))
    return timeline, extra


def memory(g: Graph, recompute: Iterable[str | int] = (), wrt: str | Iterable[str] | None = None
           ) -> MemoryReport:
    """Peak memory of reverse mode (values cached for the backward pass) against forward mode.

    The schedule is graphstep's: forward steps in node order, then the backward steps
    from the output back (:func:`graphstep.adjoints`). An intermediate value lives from
    its step until the last step that reads it: its last forward use, or the last
    backward step whose rule reads it (:func:`saved`). An adjoint lives from the first
    contribution it receives until its node's backward step. A value in ``recompute`` is
    dropped after its last forward use and computed again at the first backward step
    that needs it, from its arguments (kept alive for that, or recomputed in turn): less
    memory, more forward work. Forward mode carries one tangent beside each value, both
    dropped after their last use. Inputs, constants and the gradients of the inputs are
    the caller's and are counted by neither mode.

    Parameters
    ----------
    g : Graph
    recompute : iterable of str or int, optional
        Labels (``"u2"``) or node ids of intermediate values to recompute.
    wrt : str or iterable of str, optional
        The inputs whose gradients the backward pass computes (all by default).

    Returns
    -------
    MemoryReport

    Raises
    ------
    InputError
        For a name in ``recompute`` that is not an intermediate value.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(sin(sin(sin(x))))", x=0.5)
    >>> full, light = memory(g), memory(g, recompute=["u2"])
    >>> full.reverse_peak, light.reverse_peak, light.extra_ops
    (40, 32, 1)
    """
    names = [wrt] if isinstance(wrt, str) else (None if wrt is None else list(wrt))
    seed = None if g.shape_of(g.output) == () else np.ones(g.shape_of(g.output))
    trace = trace_backward(g, names, seed)
    nodes = _recompute_nodes(g, recompute)
    baseline, _ = _schedule(g, trace.order, trace.reads, trace.contributions, [])
    timeline, extra = _schedule(g, trace.order, trace.reads, trace.contributions, nodes)
    forward = []
    ops = [k for k in range(len(g)) if g.op(k) not in (INPUT, CONST)]
    last = {k: max([k, *(h for h in ops if k in g.args(h))]) for k in ops}
    for t in ops:
        forward.append((f"forward {g.label(t)}",
                        2 * sum(nbytes(g.value_of(k)) for k in ops if k <= t <= last[k])))
    cached = {k for nodes_read in trace.reads.values() for k in nodes_read if k in last}
    passes = sum(int(np.size(g.value_of(g.input_node(name))))
                 for name in (g.inputs if names is None else names))
    return MemoryReport(
        reverse_peak=max((b for _, b in timeline), default=0),
        forward_peak=max((b for _, b in forward), default=0),
        reverse_timeline=tuple(timeline), forward_timeline=tuple(forward),
        saved_bytes=sum(nbytes(g.value_of(k)) for k in cached if k not in nodes),
        recompute=tuple(g.label(k) for k in nodes), extra_ops=extra,
        baseline_peak=max((b for _, b in baseline), default=0), forward_passes=passes,
    )
