"""What an exercise asks: the hidden quantities of a graph as numbered questions.

A :class:`Question` is one number the student computes: a node's value, an edge's
local derivative, a node's adjoint, the product along one path or the sum over the
paths. It carries the true value, the tolerance it is checked with, the step of a
stepper that computes it (for "show the step" and the answer key's worked sentence)
and the slot of the picture where its blank is drawn. :func:`questions` picks them:
``hide`` names a category (``"values"``, ``"locals"``, ``"adjoints"``, ``"paths"``),
a level (1, 2, 3), or a list of categories and specific items.

A tensor quantity is asked entry by entry when it has at most :data:`MAX_ENTRIES`
entries; larger tensors and structured Jacobians are left out of a category (and a
specific request for one is an error).

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> [q.text for q in questions(g, "adjoints")]
['ū₂ = ∂u₃/∂u₂ = ?', 'ū₁ = ∂u₃/∂u₁ = ?', 'x̄ = ∂u₃/∂x = ?']
>>> round(questions(g, "adjoints")[-1].answer, 3) == round(gs.grad(g, "x"), 3)
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphstep.errors import InputError
from graphstep.export.stepper import Stepper, steps
from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.steps.model import Step, StepKind
from graphstep.text import number, overline, pretty

__all__ = ["Question", "questions", "CATEGORIES", "LEVELS", "MAX_ENTRIES", "MAX_QUESTIONS",
           "DEFAULT_TOLERANCE", "is_close", "shown_categories", "Walks", "walks_for", "hidden_items"]

#: The categories of hidden quantities, in the order a student computes them.
CATEGORIES = ("values", "locals", "adjoints", "paths")
#: ``--level``: what each level hides (values; then local derivatives; then adjoints and paths).
LEVELS = {1: ("values",), 2: ("values", "locals"), 3: ("values", "locals", "adjoints", "paths")}
#: Largest tensor asked entry by entry.
MAX_ENTRIES = 4
#: Most questions one sheet may have (a sheet is read by a person).
MAX_QUESTIONS = 60
#: Relative tolerance of a check, by default.
DEFAULT_TOLERANCE = 1e-3
_STAGE = {"values": 0, "locals": 1, "adjoints": 2, "paths": 2, "sums": 2}
_ITEM_KINDS = ("value", "adjoint", "local", "path")


def is_close(answer: float, truth: float, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether ``answer`` is ``truth`` within the relative ``tolerance`` (the sheet's
    JavaScript applies the same rule: ``|a - t| <= tolerance * |t| + 1e-9``).

    Parameters
    ----------
    answer, truth : float
    tolerance : float

    Returns
    -------
    bool

    Examples
    --------
    >>> is_close(9.488, 9.487736), is_close(9.5, 9.487736), is_close(0, 0.0)
    (True, False, True)
    """
    return bool(abs(answer - truth) <= tolerance * abs(truth) + 1e-9)


@dataclass(frozen=True)
class Question:
    """One blank of a worksheet.

    Parameters
    ----------
    number : int
        Its number on the sheet, from 1.
    kind : str
        ``"value"``, ``"local"``, ``"adjoint"``, ``"path"`` or ``"sum"``.
    slot : tuple
        Where the picture draws its blank: ``("value", n)``, ``("adjoint", n)``,
        ``("local", tail, head, pos)``; for paths and sums ``("path", wrt, k)`` and
        ``("sum", wrt)``, which are not on the picture.
    entry : tuple or None
        The index of the entry asked for in a tensor quantity.
    text : str
        The question as printed (``"∂u₂/∂u₁ = ?"``).
    answer : float
        The true value.
    tolerance : float
        The relative tolerance of the check.
    mode : str
        The stepper mode of the step that computes it.
    step : int
        That step's index.
    worked : str
        That step's sentence (the answer key's worked solution).

    Examples
    --------
    >>> import graphstep as gs
    >>> q = questions(gs.parse("sin(x)", x=0.0), "locals")[0]
    >>> q.text, q.answer, q.check(1.0), q.check(0.99)
    ('∂u₁/∂x = ?', 1.0, True, False)
    """

    number: int
    kind: str
    slot: tuple
    entry: tuple | None
    text: str
    answer: float
    tolerance: float
    mode: str
    step: int
    worked: str

    def check(self, answer: float) -> bool:
        """Whether ``answer`` is right within the tolerance (see :func:`is_close`).

        Parameters
        ----------
        answer : float

        Returns
        -------
        bool

        Examples
        --------
        >>> import graphstep as gs
        >>> questions(gs.parse("2*x", x=1.0), "values")[0].check(2.0005)
        True
        """
        return is_close(float(answer), self.answer, self.tolerance)

    @property
    def name(self) -> str:
        """What is asked, without the ``= ?`` (the answer key writes ``name = answer``).

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> questions(gs.parse("exp(x)", x=1.0), "adjoints")[0].name
        'x̄ = ∂u₁/∂x'
        """
        return self.text[:-4] if self.text.endswith(" = ?") else self.text

    @property
    def answer_text(self) -> str:
        """The true value to 6 significant digits.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> questions(gs.parse("exp(x)", x=1.0), "values")[0].answer_text
        '2.71828'
        """
        return number(self.answer, 6)


# --- what is hidden ---------------------------------------------------------------------------

def hidden_items(hide: Any) -> list:
    """``hide`` as a list of categories and specific items.

    Parameters
    ----------
    hide : str, int or iterable
        A category, a level (1, 2, 3) or a list.

    Returns
    -------
    list

    Raises
    ------
    InputError
        For an unknown level or a value of another type.

    Examples
    --------
    >>> hidden_items(2), hidden_items("paths"), hidden_items(("adjoint", "x"))
    (['values', 'locals'], ['paths'], [('adjoint', 'x')])
    """
    if isinstance(hide, bool):
        raise InputError(f"hide must be a category, a level or a list, got {hide!r}")
    if isinstance(hide, int):
        if hide not in LEVELS:
            raise InputError(f"level {hide} does not exist: the levels are 1, 2 and 3")
        return list(LEVELS[hide])
    if isinstance(hide, str):
        return [hide]
    if isinstance(hide, tuple) and len(hide) >= 2 and hide[0] in _ITEM_KINDS and isinstance(hide[1], str):
        return [hide]  # one item, ("adjoint", "u2"), not a list of two
    if isinstance(hide, Iterable):
        return list(hide)
    raise InputError(f"hide must be a category, a level or a list, got {type(hide).__name__}")


def _category(item: Any) -> str:
    """The category of a hidden item: ``"values"`` for a node's label."""
    if isinstance(item, str) and item.rstrip("s") + "s" in _STAGE:
        return item.rstrip("s") + "s"
    if isinstance(item, tuple) and item and f"{item[0]}s" in _STAGE:
        return f"{item[0]}s"
    return "values"


def shown_categories(items: Sequence[Any]) -> set[str]:
    """The categories a sheet's picture shows, given what is hidden: values always,
    local derivatives from the second stage on, adjoints when one is asked.

    Parameters
    ----------
    items : sequence
        Hidden categories and items (as :func:`questions` reads ``hide``), or the kinds of
        the questions asked (``"value"``, ``"local"``, ``"adjoint"``, ``"path"``, ``"sum"``).

    Returns
    -------
    set of str

    Examples
    --------
    >>> sorted(shown_categories(["values"])), sorted(shown_categories(["adjoints"]))
    (['values'], ['adjoints', 'locals', 'values'])
    """
    stages, adjoints = [0], False
    for item in items:
        category = _category(item)
        stages.append(_STAGE[category])
        adjoints = adjoints or category == "adjoints"
    shown = {"values"}
    if max(stages) >= 1:
        shown.add("locals")
    if adjoints:
        shown.add("adjoints")
    return shown


def _node(graph: Graph, name: Any) -> int:
    labels = {graph.label(n): n for n in range(len(graph)) if graph.op(n) != CONST}
    if isinstance(name, str) and name in labels:
        return labels[name]
    known = ", ".join(sorted(labels, key=lambda label: labels[label]))
    raise InputError(f"hide: no node is named {name!r}; the nodes are {known}")


def _entries(value: Any) -> list[tuple[tuple | None, float]] | None:
    """``[(None, v)]`` for a number, one pair per entry for a small array, else None."""
    if isinstance(value, (int, float, np.floating, np.integer)) or (
            isinstance(value, np.ndarray) and value.ndim == 0):
        return [(None, float(value))]
    if isinstance(value, np.ndarray) and 0 < value.size <= MAX_ENTRIES:
        return [(tuple(int(i) for i in index), float(v)) for index, v in np.ndenumerate(value)]
    return None


def _entry_text(entry: tuple | None) -> str:
    return "" if entry is None else "[" + ",".join(map(str, entry)) + "]"


class Walks:
    """The steppers a sheet links to, made once each (``wrt`` limits the ``paths`` walk).

    Parameters
    ----------
    graph : Graph
    wrt : str, optional

    Examples
    --------
    >>> import graphstep as gs
    >>> walks = Walks(gs.parse("sin(x)", x=0.5))
    >>> walks("reverse") is walks("reverse"), len(walks("forward"))
    (True, 2)
    """

    def __init__(self, graph: Graph, wrt: str | None = None):
        self.graph, self.wrt, self.made = graph, wrt, {}

    def __call__(self, mode: str) -> Stepper:
        """The stepper of ``mode``, made on first use."""
        if mode not in self.made:
            self.made[mode] = steps(self.graph, mode=mode, wrt=self.wrt if mode == "paths" else None)
        return self.made[mode]


def _parallel(g: Graph, tail: int, head: int) -> bool:
    """Whether ``tail`` enters ``head`` more than once (``x*x``): such edges are told apart
    by the argument they enter."""
    return sum(1 for _, h, _ in g.users[tail] if h == head) > 1


def _value_items(g: Graph, walks: Walks) -> list[tuple]:
    found = []
    for step in walks("forward"):
        if step.kind is StepKind.VALUE and step.focus_nodes and g.active[step.focus_nodes[0]]:
            n = step.focus_nodes[0]  # a node of constants only (a broadcast 2) is not asked
            found.append(("value", ("value", n), step.values[n], step, f"{pretty(g.label(n))}"))
    return found


def _local_items(g: Graph, walks: Walks) -> list[tuple]:
    found = []
    for step in walks("local"):
        if step.kind is StepKind.LOCAL and step.focus_edges:
            tail, head, pos = step.focus_edges[0]
            name = f"∂{pretty(g.label(head))}/∂{pretty(g.label(tail))}"
            if _parallel(g, tail, head):
                name += f" (edge into argument {pos + 1} of {pretty(g.label(head))})"
            found.append(("local", ("local", tail, head, pos), step.local_derivatives[(tail, head, pos)],
                          step, name))
    return found


def _adjoint_items(g: Graph, walks: Walks) -> list[tuple]:
    found, out = [], pretty(g.label(g.output))
    for step in walks("reverse"):
        if step.kind is StepKind.ADJOINT and step.focus_nodes:
            n = step.focus_nodes[0]
            label = pretty(g.label(n))
            found.append(("adjoint", ("adjoint", n), step.adjoints[n], step,
                          f"{pretty(overline(g.label(n)))} = ∂{out}/∂{label}"))
    return found


def _path_items(g: Graph, walks: Walks) -> list[tuple]:
    found, out = [], pretty(g.label(g.output))
    counts: dict[str, int] = {}
    for step in walks("paths"):
        if step.kind is StepKind.PATH and step.focus_edges:
            k = counts[step.wrt] = counts.get(step.wrt, 0) + 1
            route = pretty(g.label(step.focus_edges[0][1]))
            notes = []
            for tail, head, pos in step.focus_edges:
                route += f" ← {pretty(g.label(tail))}"
                if _parallel(g, tail, head):
                    notes.append(f"into argument {pos + 1} of {pretty(g.label(head))}")
            route += "".join(f", {note}" for note in notes)
            found.append(("path", ("path", step.wrt, k), step.product, step,
                          f"the product along path {k} to {pretty(step.wrt)} ({route})"))
        elif step.kind is StepKind.RESULT and step.wrt is not None:
            found.append(("sum", ("sum", step.wrt), step.result, step, f"∂{out}/∂{pretty(step.wrt)}"))
    return found


_FINDERS = {"values": _value_items, "locals": _local_items, "adjoints": _adjoint_items,
            "paths": _path_items}


def _specific(g: Graph, item: Any, walks: Walks) -> list[tuple]:
    """The candidates one specific item names: ``"u2"`` or ``("value", "u2")``,
    ``("adjoint", "u2")``, ``("local", "u1", "u2")``, ``("path", "x", 2)``."""
    if isinstance(item, str):
        item = ("value", item)
    if not (isinstance(item, tuple) and item and item[0] in _ITEM_KINDS):
        raise InputError(f"hide: {item!r} is neither a category ({', '.join(CATEGORIES)}) nor an item "
                         "such as 'u2', ('adjoint', 'u2'), ('local', 'u1', 'u2') or ('path', 'x', 1)")
    kind = item[0]
    if kind == "path":
        if len(item) != 3 or not isinstance(item[2], int):
            raise InputError(f"hide: {item!r}: a path is ('path', INPUT, NUMBER), e.g. ('path', 'x', 1)")
        if item[1] not in g.inputs:
            raise InputError(f"hide: {item!r}: {item[1]!r} is not an input; the inputs are "
                             + ", ".join(g.inputs))
        found = [c for c in _path_items(g, walks) if c[1] == ("path", item[1], item[2])]
        if not found:
            raise InputError(f"hide: {item!r}: there is no path {item[2]} to {item[1]}")
        return found
    if kind == "local":
        if len(item) != 3:
            raise InputError(f"hide: {item!r}: an edge is ('local', TAIL, HEAD), e.g. ('local', 'x', 'u1')")
        tail, head = _node(g, item[1]), _node(g, item[2])
        found = [c for c in _local_items(g, walks) if c[1][1:3] == (tail, head)]
        if not found:
            raise InputError(f"hide: {item!r}: no edge from {item[1]} to {item[2]} carries a gradient")
        return found
    if len(item) != 2:
        raise InputError(f"hide: {item!r}: write ({kind!r}, NODE), e.g. ({kind!r}, 'u1')")
    n = _node(g, item[1])
    finder = _value_items if kind == "value" else _adjoint_items
    found = [c for c in finder(g, walks) if c[1] == (kind, n)]
    if not found:
        why = "an input's value is given" if g.op(n) == INPUT else "it depends on no input"
        raise InputError(f"hide: {item!r}: the {kind} of {item[1]} cannot be asked ({why})")
    return found


def walks_for(graph_or_stepper: Graph | Stepper) -> Walks:
    """The :class:`Walks` of a graph, or of a stepper's graph (a ``paths`` stepper's
    ``wrt`` is kept).

    Parameters
    ----------
    graph_or_stepper : Graph or Stepper

    Returns
    -------
    Walks

    Raises
    ------
    InputError
        For anything else.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x*y", x=1.0, y=2.0)
    >>> walks_for(gs.steps(g, "paths", wrt="y")).wrt, walks_for(g).graph is g
    ('y', True)
    """
    graph = getattr(graph_or_stepper, "graph", graph_or_stepper)
    if not isinstance(graph, Graph):
        raise InputError(f"an exercise needs a Graph or a stepper, got {type(graph_or_stepper).__name__}")
    paths_walk = str(getattr(graph_or_stepper, "mode", "")) == "paths"
    return Walks(graph, getattr(graph_or_stepper, "wrt", None) if paths_walk else None)


def questions(graph_or_stepper: Graph | Stepper, hide: Any = "adjoints",
              tolerance: float = DEFAULT_TOLERANCE, walks: Walks | None = None) -> list[Question]:
    """The numbered questions of a worksheet on ``graph_or_stepper``.

    Parameters
    ----------
    graph_or_stepper : Graph or Stepper
        The graph (a stepper's graph; a ``paths`` stepper's ``wrt`` limits the paths).
    hide : str, int or list
        A category (``"values"``, ``"locals"``, ``"adjoints"``, ``"paths"``), a level
        (1: values; 2: and local derivatives; 3: and adjoints, paths and path sums), or a
        list of categories and items: a node's label (its value), ``("adjoint", "u2")``,
        ``("local", "u1", "u2")``, ``("path", "x", 1)``.
    tolerance : float
        The relative tolerance of the checks (default 1e-3).
    walks : Walks, optional
        The steppers to link to (made here when None; see :func:`walks_for`).

    Returns
    -------
    list of Question
        In the order a student computes them: values, local derivatives, adjoints, paths.

    Raises
    ------
    InputError
        For an unknown category, item or level, a bad tolerance, a tensor too large to
        ask entry by entry, nothing to ask, or more than :data:`MAX_QUESTIONS`.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x^2)", x=1.5)
    >>> [q.text for q in questions(g, ["u2", ("path", "x", 2)])]
    ['u₂ = ?', 'the product along path 2 to x (u₃ ← x) = ?']
    """
    walks = walks or walks_for(graph_or_stepper)
    graph = walks.graph
    if not (isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool)
            and math.isfinite(tolerance) and 0 < tolerance < 1):
        raise InputError(f"the tolerance is relative: a number between 0 and 1, got {tolerance!r}")
    candidates: list[tuple] = []
    scalar = np.ndim(graph.value) == 0
    for item in hidden_items(hide):
        category = item.rstrip("s") + "s" if isinstance(item, str) else None
        if category in _FINDERS and item not in {graph.label(n) for n in range(len(graph))}:
            if scalar or category in ("values", "locals"):  # adjoints and paths need a number on top
                candidates += [c + (False,) for c in _FINDERS[category](graph, walks)]
        else:
            if not scalar and isinstance(item, tuple) and item and item[0] in ("adjoint", "path"):
                raise InputError(f"hide: {item!r}: adjoints and paths need a scalar output, and "
                                 f"{pretty(graph.expr(graph.output))} has shape {np.shape(graph.value)}")
            candidates += [c + (True,) for c in _specific(graph, item, walks)]
    return _number(graph, candidates, tolerance)


def _number(graph: Graph, candidates: list[tuple], tolerance: float) -> list[Question]:
    order = {"value": 0, "local": 1, "adjoint": 2, "path": 3, "sum": 3}
    seen, kept = set(), []
    for kind, slot, value, step, name, specific in candidates:
        if slot in seen:
            continue
        seen.add(slot)
        entries = _entries(value)
        if entries is None:
            if specific:
                shape = "×".join(map(str, np.shape(value))) or type(value).__name__
                raise InputError(f"hide: {name} is a {shape} quantity; a sheet asks tensors of at most "
                                 f"{MAX_ENTRIES} entries")
            continue
        kept.append((order[kind], step.mode, step.index, kind, slot, entries, step, name))
    kept.sort(key=lambda c: (c[0], str(c[1]), c[2]))
    result: list[Question] = []
    for _, _, _, kind, slot, entries, step, name in kept:
        for entry, value in entries:
            result.append(_question(len(result) + 1, kind, slot, entry, name, value, tolerance, step))
    if not result:
        raise InputError(f"nothing to ask: {pretty(graph.expr(graph.output))} has no hidden quantity "
                         f"that is a number or a tensor of at most {MAX_ENTRIES} entries")
    if len(result) > MAX_QUESTIONS:
        raise InputError(f"{len(result)} blanks are too many for one sheet (at most {MAX_QUESTIONS}); "
                         "hide fewer quantities or a smaller expression")
    return result


def _question(number_: int, kind: str, slot: tuple, entry: tuple | None, name: str, value: float,
              tolerance: float, step: Step) -> Question:
    if kind == "sum":
        text = f"{name}{_entry_text(entry)} as the sum over its paths = ?"
    elif kind == "path":
        text = f"{name}{_entry_text(entry)} = ?"
    elif entry is not None:
        head, _, rest = name.partition(" = ")
        text = f"{head}{_entry_text(entry)}" + (f" = {rest}{_entry_text(entry)}" if rest else "") + " = ?"
    else:
        text = f"{name} = ?"
    return Question(number_, kind, slot, entry, text, value, float(tolerance), str(step.mode),
                    step.index, pretty(step.text))
