"""Steps of a walk through a graph: :class:`Step` (one frozen frame) and :class:`StepCursor`.

A walk is a list of :class:`Step` records, one per thing a student would do by hand,
built by :mod:`graphstep.steps.build` in one of five modes (:class:`Mode`):

``forward``
    the values, node by node in topological order (a first step lists the inputs and
    constants): ``u2 = exp(u1) = exp(2.25) = 9.488``.
``local``
    the local derivative of every edge that carries a gradient (edges leaving
    constants are skipped), with its formula and value: ``∂u3/∂x = u2 = 9.488``.
``paths``
    one path per step, its factors, their product and the running sum; for each input
    (``wrt``, or every input in turn) a last step states the gradient and compares it
    with :func:`graphstep.grad`.
``reverse``
    reverse accumulation: the output's seed, then every node that carries a gradient
    in reverse topological order, its adjoint written as the sum of the contributions
    of the edges that leave it, then the gradient compared with ``grad``.
``forward-mode``
    tangents with respect to one input, node by node, then the output's tangent
    compared with ``grad`` (or ``jacobian`` for a non-scalar output).

A step records what is known at that moment (values, local derivatives, adjoints,
tangents), so a picture of step ``k`` shows exactly that. A :class:`StepCursor` holds
the steps and a cursor; the public ``gs.steps`` returns its subclass
:class:`graphstep.export.stepper.Stepper`, which adds the file methods.

>>> Mode("forward-mode"), Mode.PATHS == "paths", StepKind.ADJOINT.single_node
(<Mode.FORWARD_MODE: 'forward-mode'>, True, True)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.steps.table import node_table
from graphstep.text import WordEnum, pretty

__all__ = [
    "Mode", "StepKind", "MODES", "STEP_PATH_LIMIT", "TANGENT_LIMIT", "Edge",
    "Step", "StepCursor", "PrefixView", "GrowingDict", "EMPTY",
]

Edge = tuple[int, int, int]  # (tail, head, argument position), as in Graph.edges()


class Mode(WordEnum):
    """How a walk goes through a graph; users may pass the string values.

    Attributes
    ----------
    FORWARD, LOCAL, PATHS, REVERSE, FORWARD_MODE, ADJOINT_GRAPH : Mode
        Values node by node; one edge's local derivative per step; one path per step and the
        running sum; reverse accumulation node by node; tangents node by node; the backward
        pass built as a graph, node by node (:mod:`graphstep.steps.adjoint_graph`).

    Examples
    --------
    >>> [str(mode) for mode in Mode]
    ['forward', 'local', 'paths', 'reverse', 'forward-mode', 'adjoint-graph']
    """

    FORWARD = "forward"
    LOCAL = "local"
    PATHS = "paths"
    REVERSE = "reverse"
    FORWARD_MODE = "forward-mode"
    ADJOINT_GRAPH = "adjoint-graph"

    @classmethod
    def parse(cls, mode: Any) -> Mode:
        """The Mode named by ``mode`` (a Mode or its string value).

        Parameters
        ----------
        mode : Mode or str
            ``"forward"``, ``"local"``, ``"paths"``, ``"reverse"`` or ``"forward-mode"``.

        Returns
        -------
        Mode

        Raises
        ------
        InputError
            When ``mode`` names no mode; the message lists the modes.

        Examples
        --------
        >>> Mode.parse("reverse") is Mode.REVERSE
        True
        """
        try:
            return cls(mode)
        except (ValueError, TypeError):
            raise InputError(f"unknown step mode {mode!r}; the modes are: {', '.join(MODES)}") from None


#: The stepper's modes as the strings users pass, in the order a course would show them.
MODES: tuple[str, ...] = tuple(mode.value for mode in Mode)


class StepKind(WordEnum):
    """What one step does.

    Attributes
    ----------
    INPUTS, VALUE, LOCAL, PATH, SEED, ADJOINT, TANGENT, RESULT : StepKind
        Showing the inputs; computing one node's value, one edge's local derivative, one
        path's product, the output's seed, one node's adjoint or tangent; the final result.

    Examples
    --------
    >>> [kind.value for kind in StepKind if kind.single_node]
    ['value', 'local', 'seed', 'adjoint', 'tangent']
    """

    INPUTS = "inputs"
    VALUE = "value"
    LOCAL = "local"
    PATH = "path"
    SEED = "seed"
    ADJOINT = "adjoint"
    TANGENT = "tangent"
    RESULT = "result"

    @property
    def single_node(self) -> bool:
        """Whether the step computes one node (its first focus node).

        Returns
        -------
        bool

        Examples
        --------
        >>> StepKind.ADJOINT.single_node, StepKind.RESULT.single_node
        (True, False)
        """
        return self in (StepKind.VALUE, StepKind.LOCAL, StepKind.SEED, StepKind.ADJOINT,
                        StepKind.TANGENT)


#: Most paths per input the ``paths`` mode turns into steps (one step each).
STEP_PATH_LIMIT = 1_000

#: Largest number of tangent entries the ``forward-mode`` stepper computes for a tensor input.
TANGENT_LIMIT = 4_000_000


@dataclass(frozen=True, repr=False)
class Step:
    """One step of a walk through a graph, with everything a picture of it needs.

    A picture of the step shows exactly the annotations it holds. ``str(step)`` prints
    the sentence, then the nodes of ``graph`` with their values and adjoints or tangents
    as known.

    Parameters
    ----------
    mode : Mode or str
        The walk's mode.
    index : int
        The step's position in the walk.
    text : str
        The step's sentence.
    title : str
        Its short title.
    focus_nodes, focus_edges : tuple
        What is highlighted (``focus_nodes[0]`` is the node the step is about, when there
        is one); edges are :class:`~graphstep.edges.Edge` tuples ``(tail, head, pos)``.
    values, local_derivatives, adjoints, tangents : Mapping
        What is known at this step, by node id (local derivatives by edge).
    wrt : str, optional
        The input the walk differentiates by.
    result : object
        What the step computed: a node's value, adjoint or tangent; a path step's running
        sum; a result step's gradient.
    kind : StepKind or str, optional
        What the step does.
    product : object
        A path step's product of local derivatives.
    graph : Graph, optional
        The graph walked.

    Examples
    --------
    >>> import graphstep as gs
    >>> step = gs.steps(gs.parse("x * exp(x**2)", x=1.5), "paths").steps[1]
    >>> str(step.kind), step.title, round(step.result, 2), step.focus_nodes
    ('path', 'path 2 of 2', 52.18, (4, 0))
    >>> step.text
    'u3 ← x: 1 · u2 = 1 · 9.488 = 9.488; sum so far 52.18'
    """

    mode: Mode
    index: int
    text: str
    title: str = ""
    focus_nodes: tuple[int, ...] = ()
    focus_edges: tuple[Edge, ...] = ()
    values: Mapping[int, Any] = field(default_factory=dict)
    local_derivatives: Mapping[Edge, Any] = field(default_factory=dict)
    adjoints: Mapping[int, Any] = field(default_factory=dict)
    tangents: Mapping[int, Any] = field(default_factory=dict)
    wrt: str | None = None
    result: Any = None
    kind: StepKind | None = None
    product: Any = None
    graph: Any = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode.parse(self.mode))
        if self.kind is not None:
            object.__setattr__(self, "kind", StepKind(self.kind))

    @property
    def locals(self) -> Mapping[Edge, Any]:
        """The local derivatives known at this step (the same as ``local_derivatives``).

        Returns
        -------
        Mapping

        Examples
        --------
        >>> import graphstep as gs
        >>> step = gs.steps(gs.parse("sin(x)", x=0.0), "local")[0]
        >>> step.locals is step.local_derivatives
        True
        """
        return self.local_derivatives

    @property
    def main_node(self) -> int | None:
        """The one node this step computes (its first focus node), or None.

        Returns
        -------
        int or None

        Examples
        --------
        >>> import graphstep as gs
        >>> [step.main_node for step in gs.steps(gs.parse("sin(x)", x=0.0), "reverse")]
        [1, 0, None]
        """
        if self.focus_nodes and self.kind is not None and self.kind.single_node:
            return self.focus_nodes[0]
        return None

    def __str__(self) -> str:
        if self.graph is None:
            return self.text
        extra = None
        if self.mode is Mode.REVERSE:
            extra = ("adjoint", self.adjoints)
        elif self.mode is Mode.FORWARD_MODE:
            extra = ("tangent", self.tangents)
        table = node_table(self.graph, self.values, self.focus_nodes, self.focus_edges, extra)
        return f"{pretty(self.text)}\n{table}"

    __repr__ = __str__


class StepCursor:
    """A list of :class:`Step` records and a cursor.

    The cursor starts at step 0. :meth:`next` on the last step and :meth:`prev` on
    the first stay where they are (so a "next" button can be pressed freely);
    :meth:`goto` takes an index ``0 .. len-1`` (negative indices count from the end,
    as for lists) and raises :class:`~graphstep.errors.InputError` outside that range.
    Iterating yields every step without moving the cursor. ``gs.steps`` returns the
    subclass :class:`graphstep.export.stepper.Stepper`.

    Parameters
    ----------
    graph : Graph
        The graph walked.
    mode : Mode or str
        The mode the steps were built in.
    wrt : str or None
        The input the walk differentiates by, if it names one.
    step_list : list of Step
        The steps, in order.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
    >>> [step.title for step in s]
    ['seed ū1', 'x̄', 'gradient']
    >>> s.next().title, s.next().title, s.next().title, s.index
    ('x̄', 'gradient', 'gradient', 2)
    """

    def __init__(self, graph: Graph, mode: Mode | str, wrt: str | None, step_list: list[Step]):
        self.graph = graph
        self.mode = Mode.parse(mode)
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
        """The step under the cursor.

        Returns
        -------
        Step

        Examples
        --------
        >>> import graphstep as gs
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> s.current.title
        'seed ū1'
        """
        return self.steps[self.index]

    def next(self) -> Step:
        """Move one step on (staying on the last step) and return the current step.

        Returns
        -------
        Step

        Examples
        --------
        >>> import graphstep as gs
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> s.next().title, s.next().title, s.next().title
        ('x̄', 'gradient', 'gradient')
        """
        self.index = min(self.index + 1, len(self.steps) - 1)
        return self.current

    def prev(self) -> Step:
        """Move one step back (staying on the first step) and return the current step.

        Returns
        -------
        Step

        Examples
        --------
        >>> import graphstep as gs
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> s.prev().title, s.goto(2).title, s.prev().title
        ('seed ū1', 'gradient', 'x̄')
        """
        self.index = max(self.index - 1, 0)
        return self.current

    def goto(self, k: int) -> Step:
        """Move to step ``k`` (``0 .. len-1``; negative counts from the end) and return it.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        Step

        Raises
        ------
        InputError
            When ``k`` is not an integer in that range.

        Examples
        --------
        >>> import graphstep as gs
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> s.goto(-1).title, s.index
        ('gradient', 2)
        """
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


# --- what is known: prefix views shared by every step ------------------------------------


class PrefixView(Mapping):
    """The first ``count`` entries of a shared, insertion-ordered dict (read-only).

    Steps see growing prefixes of one dict, so building ``n`` steps costs ``O(n)``
    rather than copying ``O(n^2)`` entries.

    Parameters
    ----------
    data : dict
        The shared dict.
    rank : dict
        Each key's position in ``data``.
    count : int
        How many of the first entries the view shows.

    Examples
    --------
    >>> known = GrowingDict()
    >>> known.add("a", 1)
    >>> first = known.view()
    >>> known.add("b", 2)
    >>> dict(first), dict(known.view()), "b" in first
    ({'a': 1}, {'a': 1, 'b': 2}, False)
    """

    __slots__ = ("_data", "_rank", "_count")

    def __init__(self, data: dict, rank: dict, count: int):
        self._data, self._rank, self._count = data, rank, count

    @property
    def source(self) -> dict:
        """The shared dict the view shows a prefix of (two views of one walk share it).

        Returns
        -------
        dict

        Examples
        --------
        >>> known = GrowingDict()
        >>> known.view().source is known.data
        True
        """
        return self._data

    @property
    def count(self) -> int:
        """How many of the shared dict's first entries the view shows.

        Returns
        -------
        int

        Examples
        --------
        >>> known = GrowingDict()
        >>> known.add("a", 1)
        >>> known.view().count
        1
        """
        return self._count

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


class GrowingDict:
    """An insertion-ordered dict that hands out frozen prefix views of itself.

    Attributes
    ----------
    data : dict
        The entries, in insertion order.
    rank : dict
        Each key's position.

    Examples
    --------
    >>> known = GrowingDict()
    >>> known.add("a", 1)
    >>> dict(known.view())
    {'a': 1}
    """

    def __init__(self):
        self.data: dict = {}
        self.rank: dict = {}

    def add(self, key, value) -> None:
        """Append ``key: value`` (views handed out before do not see it).

        Parameters
        ----------
        key : hashable
        value : object

        Examples
        --------
        >>> known = GrowingDict()
        >>> known.add("a", 1)
        >>> known.add("b", 2)
        >>> list(known.view())
        ['a', 'b']
        """
        self.rank[key] = len(self.data)
        self.data[key] = value

    def view(self) -> PrefixView:
        """A read-only view of the entries added so far.

        Returns
        -------
        PrefixView

        Examples
        --------
        >>> known = GrowingDict()
        >>> known.add("a", 1)
        >>> first = known.view()
        >>> known.add("b", 2)
        >>> len(first), len(known.view())
        (1, 2)
        """
        return PrefixView(self.data, self.rank, len(self.data))


#: The empty view (nothing known).
EMPTY: Mapping = PrefixView({}, {}, 0)
