"""What every step's picture shows, stored as changes: memory grows with nodes + steps.

A stepper's pictures differ from one step to the next in a few texts (the adjoint just
computed, the value just known) and highlights. :class:`StepStates` keeps the texts
of step 0 in full, then per step only the slots whose text changed (two integer
arrays: slot, text), with a full copy every :data:`CHECKPOINT` steps so that any step
is rebuilt quickly. Texts live once in a shared table. The changes are found without
looking at every node: the steps of one walk share growing dicts
(:class:`~graphstep.steps.model.PrefixView`), so the entries a step adds are the ones
past the previous step's count; other mappings are compared entry by entry (identity
of the values).

The texts themselves are the ones :func:`graphstep.render.annotate.annotations`
writes (the same formatting functions, the same memo), and every checkpoint is the
full ``annotations`` of its step, so a step's state equals its annotations.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> states = StepStates(g, gs.steps(g, "reverse").steps)
>>> slots, texts = states.changes(1)  # step 1 computes one adjoint: one slot changes
>>> [(states.slots[j], states.table[t][0]) for j, t in zip(slots, texts)]
[(('adjoint', 3), '∂u₃/∂u₂ = 1.5')]
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence

from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.render import annotate
from graphstep.render.annotate import Annotations, Slot
from graphstep.render.style import Style
from graphstep.steps.model import PrefixView, Step
from graphstep.text import format_local, pretty

__all__ = ["StepStates", "CHECKPOINT", "changed_keys"]

#: Steps between two full copies of the slot texts.
CHECKPOINT = 64

_MAPPINGS = ("values", "local_derivatives", "adjoints", "tangents")


def changed_keys(before: Mapping, after: Mapping, keys: dict | None = None) -> Iterable:
    """The keys whose entry differs between two mappings: present in one only, or bound
    to another object (compared by identity).

    Two prefix views of one growing dict differ in the entries between their counts,
    found without looking at the others; other mappings are compared entry by entry.

    Parameters
    ----------
    before, after : Mapping
        What one step and the next know.
    keys : dict, optional
        Remembers the key list of each growing dict (by its id) between calls.

    Returns
    -------
    iterable
        The keys, each once.

    Examples
    --------
    >>> from graphstep.steps.model import GrowingDict
    >>> known = GrowingDict()
    >>> known.add("a", 1)
    >>> first = known.view()
    >>> known.add("b", 2)
    >>> list(changed_keys(first, known.view())), sorted(changed_keys({"a": 1}, {"c": 3}))
    (['b'], ['a', 'c'])
    """
    if before is after:
        return ()
    if isinstance(before, PrefixView) and isinstance(after, PrefixView) and before.source is after.source:
        low, high = sorted((before.count, after.count))
        if low == high:
            return ()
        memo = {} if keys is None else keys
        listed = memo.get(id(after.source))
        if listed is None or len(listed[1]) < high or listed[0] is not after.source:
            listed = memo[id(after.source)] = (after.source, list(after.source))
        return listed[1][low:high]
    changed = {k for k in before if k not in after or after[k] is not before[k]}
    changed.update(k for k in after if k not in before)
    return changed


class StepStates:
    """Every step's slot texts, as step 0's plus each step's changes.

    Parameters
    ----------
    graph : Graph
        The graph the steps belong to.
    steps : sequence of Step
        The walk.
    style : Style, optional
        Which annotations are shown and how numbers are written.

    Attributes
    ----------
    slots : list of tuple
        Every slot any step shows, in order of first appearance (their index is the
        slot number of :meth:`changes`).
    table : list of (str, bool)
        Every text shown, and whether it is drawn as unknown (a ``?``).
    reserved : dict
        The widest text of every slot over all steps (local-derivative slots keep room
        for ``= ?``).

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.0)
    >>> states = StepStates(g, gs.steps(g, "forward").steps)
    >>> states.texts(0)[("value", 1)], states.texts(1)[("value", 1)]
    ('?', '0')
    """

    def __init__(self, graph: Graph, steps: Sequence[Step], style: Style | None = None):
        self.graph, self.steps = graph, list(steps)
        self.style = style or Style()
        self._memo: dict = {}
        self._keys: dict = {}
        self.slots: list[Slot] = []
        self._slot_index: dict[Slot, int] = {}
        self.table: list[tuple[str, bool]] = [("", False)]
        self._text_index: dict[tuple[str, bool], int] = {("", False): 0}
        self.reserved: dict[Slot, str] = {}
        self._changed_slots: list[array] = []
        self._changed_texts: list[array] = []
        self._checkpoints: list[array] = []
        self._shown_edges = {e for e in graph.edges() if annotate._edge_shown(graph, e[0], self.style)}
        self._out = pretty(graph.label(graph.output))
        self._leaf_text: dict[int, str] = {}
        self._cursor: tuple[int, list[int]] | None = None
        self._walk()

    # -- building ----------------------------------------------------------------------
    def _slot(self, slot: Slot) -> int:
        j = self._slot_index.get(slot)
        if j is None:
            j = self._slot_index[slot] = len(self.slots)
            self.slots.append(slot)
            if slot[0] == "local":
                self.reserved.setdefault(slot, "= ?")
        return j

    def _text(self, slot: Slot, text: str, unknown: bool = False) -> int:
        key = (text, unknown)
        t = self._text_index.get(key)
        if t is None:
            t = self._text_index[key] = len(self.table)
            self.table.append(key)
        if text:
            current = self.reserved.get(slot)
            if current is None or (len(text) > len(current) and current is not text):
                self.reserved[slot] = text
        return t

    def _full(self, a: Annotations, size: int) -> list[int]:
        state = [0] * size
        for slot, text in a.texts.items():
            j = self._slot(slot)
            if j >= len(state):
                state.extend([0] * (j + 1 - len(state)))
            state[j] = self._text(slot, text, slot in a.unknown)
        return state

    def _walk(self) -> None:
        g, style, steps = self.graph, self.style, self.steps
        self._size = 0
        if not steps:
            return
        state = self._full(annotate.annotations(g, steps[0], style, self._memo), 0)
        self._checkpoints.append(array("i", state))
        self._changed_slots.append(array("i"))
        self._changed_texts.append(array("i"))
        for k in range(1, len(steps)):
            before, step = steps[k - 1], steps[k]
            slots, texts = array("i"), array("i")
            if k % CHECKPOINT == 0:
                full = self._full(annotate.annotations(g, step, style, self._memo), len(state))
                state.extend([0] * (len(full) - len(state)))
                for j, t in enumerate(full):
                    if state[j] != t:
                        slots.append(j)
                        texts.append(t)
                state = full
                self._checkpoints.append(array("i", state))
            else:
                for slot, text, unknown in self._changes(before, step):
                    j, t = self._slot(slot), self._text(slot, text, unknown)
                    if j >= len(state):
                        state.extend([0] * (j + 1 - len(state)))
                    if state[j] != t:
                        state[j] = t
                        slots.append(j)
                        texts.append(t)
            self._changed_slots.append(slots)
            self._changed_texts.append(texts)
        self._size = len(self.slots)

    def _changes(self, before: Step, step: Step) -> Iterator[tuple[Slot, str, bool]]:
        """The slots whose text may differ from the step before, with their new text."""
        g, style = self.graph, self.style
        changed = {name: changed_keys(getattr(before, name), getattr(step, name), self._keys)
                   for name in _MAPPINGS}
        if style.values:
            for n in changed["values"]:
                yield ("value", n), *self._value(n, step.values)
        if style.adjoints:
            nodes = set(changed["adjoints"])
            for h in list(nodes):
                nodes.update(g.args(h))
            for n in nodes:
                yield ("adjoint", n), self._adjoint(n, step.adjoints), False
        if style.tangents:
            nodes = set(changed["tangents"])
            if before.wrt != step.wrt:
                nodes.update(before.tangents)
                nodes.update(step.tangents)
            for n in nodes:
                yield ("tangent", n), self._tangent(n, step.tangents, step.wrt), False
        shown = self._shown_edges
        for edge in changed["local_derivatives"]:
            if tuple(edge) in shown:
                yield ("local", *edge), self._local(tuple(edge), step.local_derivatives), False

    # The texts, written exactly as graphstep.render.annotate.annotations writes them.
    def _value(self, n: int, values: Mapping) -> tuple[str, bool]:
        g, style = self.graph, self.style
        op = g.op(n)
        if op != CONST and n in values:
            value = values[n]
            seen = self._memo.get(("v", n))
            if seen is None or seen[0] is not value:
                seen = self._memo[("v", n)] = (
                    value, annotate._value_text(g, n, value, style.precision, style.inline_size))
            return seen[1], False
        if op not in (INPUT, CONST):
            return "?", True
        leaf = self._leaf_text.get(n)
        if leaf is None:
            leaf = self._leaf_text[n] = annotate._value_text(g, n, g.value_of(n), style.precision,
                                                             style.inline_size)
        return ("" if leaf == pretty(g.label(n)) else leaf), False

    def _adjoint(self, n: int, adjoints: Mapping) -> str:
        if n not in adjoints:
            return ""
        g, style = self.graph, self.style
        users = g.users[n]
        shown = (adjoints[n],) if len(users) < 2 else (adjoints[n], *(adjoints.get(h) for _, h, _ in users))
        return annotate._remembered(self._memo, ("a", n), shown, annotate._adjoint_text, g, n, adjoints,
                                    self._out, style.precision, style.inline_size)

    def _tangent(self, n: int, tangents: Mapping, wrt: str | None) -> str:
        if wrt is None or n not in tangents:
            return ""
        g, style = self.graph, self.style
        return annotate._remembered(self._memo, ("t", n, wrt), (tangents[n],), annotate._tangent_text, g, n,
                                    tangents[n], wrt, style.precision, style.inline_size)

    def _local(self, edge: tuple, locals_: Mapping) -> str:
        if edge not in locals_:
            return ""
        local = locals_[edge]
        seen = self._memo.get(("l", edge))
        if seen is None or seen[0] is not local:
            seen = self._memo[("l", edge)] = (local, "= " + format_local(local, self.style.precision))
        return seen[1]

    # -- reading -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.steps)

    def changes(self, k: int) -> tuple[array, array]:
        """The slots whose text step ``k`` changes (from step ``k - 1``), and the new texts.

        Parameters
        ----------
        k : int
            A step index; step 0 has no changes.

        Returns
        -------
        (array, array)
            Slot numbers and text numbers (indices into :attr:`slots` and :attr:`table`).

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> states = StepStates(g, gs.steps(g, "forward").steps)
        >>> slots, texts = states.changes(1)
        >>> [states.slots[j] for j in slots], [states.table[t][0] for t in texts]
        ([('value', 1)], ['0'])
        """
        return self._changed_slots[k], self._changed_texts[k]

    def state(self, k: int) -> list[int]:
        """The text number of every slot at step ``k`` (a fresh list the caller may keep).

        Sequential calls cost only the changes in between; any other call at most
        :data:`CHECKPOINT` steps of changes.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        list of int
            One text number per slot of :attr:`slots`.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> states = StepStates(g, gs.steps(g, "forward").steps)
        >>> [states.table[t][0] for t in states.state(1)]  # forward steps show no local derivative
        ['= 0', '0', '']
        """
        cursor = self._cursor
        if cursor is not None and cursor[0] <= k < cursor[0] + CHECKPOINT:
            start, state = cursor[0], cursor[1]
        else:
            start = k - k % CHECKPOINT
            state = list(self._checkpoints[start // CHECKPOINT])
        state.extend([0] * (self._size - len(state)))
        for i in range(start + 1, k + 1):
            slots, texts = self._changed_slots[i], self._changed_texts[i]
            for j, t in zip(slots, texts):
                state[j] = t
        self._cursor = (k, state)
        return list(state)

    def texts(self, k: int) -> dict[Slot, str]:
        """Every slot's text at step ``k`` (``""`` where it shows nothing).

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        dict

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> StepStates(g, gs.steps(g, "local").steps).texts(0)
        {('value', 0): '= 0', ('value', 1): '0', ('local', 0, 1, 0): '= 1'}
        """
        table = self.table
        return {slot: table[t][0] for slot, t in zip(self.slots, self.state(k))}

    def annotations(self, k: int) -> Annotations:
        """Step ``k``'s :class:`~graphstep.render.annotate.Annotations`, rebuilt from the changes.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        Annotations
            Equal to ``annotations(graph, steps[k], style)`` up to slots that show nothing.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> a = StepStates(g, gs.steps(g, "forward").steps).annotations(0)
        >>> a.texts[("value", 1)], a.unknown, a.title
        ('?', frozenset({('value', 1)}), 'inputs')
        """
        table, step = self.table, self.steps[k]
        state = self.state(k)
        texts = {slot: table[t][0] for slot, t in zip(self.slots, state) if t}
        unknown = frozenset(slot for slot, t in zip(self.slots, state) if table[t][1])
        return Annotations(texts, unknown, frozenset(step.focus_nodes),
                           frozenset(tuple(e) for e in step.focus_edges), step.title, step.text,
                           step.main_node)
