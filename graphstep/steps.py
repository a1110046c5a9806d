"""Stepping through a computation: Step (one frozen frame) and Stepper (steps + cursor)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Step"]

Edge = tuple[int, int, int]  # (tail, head, argument position), as in Graph.edges()


@dataclass(frozen=True)
class Step:
    """One step of a walk through a graph, with everything a picture of it needs.

    ``focus_nodes``/``focus_edges`` are highlighted; ``values``, ``locals``,
    ``adjoints`` and ``tangents`` hold what is known at this step (by node id, or by
    edge ``(tail, head, pos)``), so a picture shows exactly those annotations.
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
