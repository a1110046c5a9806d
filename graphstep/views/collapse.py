"""Collapse: a block drawn as one node whose edges carry the block's total derivatives.

Collapsing is the chain rule grouped. Inside a block, the derivative of what leaves it
with respect to what enters it is the sum over the paths inside the block of the
products along them (for tensors: the composed Jacobian). The collapsed graph puts that
total derivative on the edge into the block's node, so the sum over the paths of the
*collapsed* graph is still exactly the gradient of the original.

Each block becomes one ``composite`` node (:mod:`graphstep.ops.composite`) whose
arguments are the *active* nodes entering the block (constants entering it are folded
into it). Its value and Jacobians come from the original graph: every output of the
block is re-traced as a small graph whose inputs are the block's arguments, so the
Jacobians are computed by the same reverse accumulation as ``gs.grad``.

A block used outside through **several** of its nodes has as its value the vector of
those nodes' values (flattened and joined, in node order): one node in the picture, not
one per output. A block consuming it reads the whole vector (its Jacobian has a column
per entry); a node drawn as itself reads its entry through a small node that picks it
(labelled like the original node, ``u7 = layer1[3]``).

A block that leaves and re-enters itself through outside nodes cannot be one node
(that would be a cycle); it is drawn as consecutive parts ``layer1``, ``layer1'``...

>>> import graphstep as gs
>>> x, w = gs.var("x", 0.5), gs.var("w", 2.0)
>>> with gs.block("layer1"):
...     h = gs.tanh(w * x) * x
>>> g = gs.graph(h ** 2)
>>> v = collapse(g, "layer1")
>>> [v.label(n) for n in range(len(v))], v.note
(['x', 'w', 'layer1', '2', 'u4'], 'collapsed: layer1 (3 nodes)')
>>> all(abs(gs.grad(v)[k] - gs.grad(g)[k]) < 1e-12 for k in g.inputs)
True
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.algorithms.jacobian import jacobian as dense_jacobian
from graphstep.algorithms.reverse import grad
from graphstep.build.trace import Var
from graphstep.graph import Graph
from graphstep.ops.composite import COMPOSITE, composite_params
from graphstep.ops.table import CONST, INPUT
from graphstep.views.blocks import block_keys, dotted
from graphstep.views.view import View, copy_node, folded_leaf

if TYPE_CHECKING:  # networkx is imported where a block is checked, not with graphstep
    import networkx as nx

__all__ = ["collapse", "collapse_keys", "Block"]

#: Up to this many nodes in the original graph, a collapsed block shows the expression it computes.
_EXPRESSIONS = 2000


@dataclass
class Block:
    """One collapsed block while the view is built: its members, outputs and arguments.

    Attributes
    ----------
    name : str
        The dotted block name (with ``'`` for later parts of a block split in parts).
    members, outputs, args : list of int
        Original node ids: every node in the block, those used outside it, and the
        active nodes outside it that it uses.
    """

    name: str
    members: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    args: list[int] = field(default_factory=list)


def _waves(g: Graph, keys: list, cyclic: set) -> list:
    """Split the blocks in ``cyclic`` into parts that never re-enter themselves."""
    wave = [0] * len(g)
    reach: list[dict] = [{} for _ in range(len(g))]
    for n in range(len(g)):
        seen: dict = {}
        for a in g.args(n):
            for k, w in reach[a].items():
                if w > seen.get(k, -1):
                    seen[k] = w
        k = keys[n]
        if k in cyclic:
            w = 0
            for a in g.args(n):
                if keys[a] == k:
                    w = max(w, wave[a])
                elif k in reach[a]:
                    w = max(w, reach[a][k] + 1)
            wave[n] = w
            seen[k] = max(seen.get(k, -1), w)
        reach[n] = seen
    return [None if k is None else (k, wave[n]) for n, k in enumerate(keys)]


def _quotient(g: Graph, group: list) -> nx.DiGraph:
    """The graph of blocks and of the nodes drawn as themselves (one edge per pair)."""
    ids = [n if k is None else k for n, k in enumerate(group)]
    pairs = {(ids[t], ids[h]) for t, h, _ in g.edges() if ids[t] != ids[h]}
    import networkx as nx

    q = nx.DiGraph()
    q.add_nodes_from(dict.fromkeys(ids))
    q.add_edges_from(pairs)
    return q


def _convex_groups(g: Graph, keys: list) -> tuple[list, nx.DiGraph]:
    """Group ids ``(key, part)`` by node (None: drawn as itself), and their acyclic quotient."""
    group = [None if k is None else (k, 0) for k in keys]
    q = _quotient(g, group)
    import networkx as nx

    if nx.is_directed_acyclic_graph(q):
        return group, q
    cyclic = {c[0] for scc in nx.strongly_connected_components(q) if len(scc) > 1
              for c in scc if isinstance(c, tuple)}
    group = _waves(g, keys, cyclic)
    return group, _quotient(g, group)


class _Builder:
    """Makes the view's Vars in an order the view's graph accepts (arguments first)."""

    def __init__(self, g: Graph, group: list, group_inputs: int | None):
        self.g = g
        self.group = group
        self.blocks: dict = {}
        for n in range(len(g)):
            gid = group[n]
            if gid is not None:
                block = self.blocks.setdefault(gid, Block(dotted(gid[0]) + "'" * gid[1]))
                block.members.append(n)
        self.where: dict[int, tuple] = {}  # original node -> (view Var, offset, size, shape)
        self.picks: dict[int, Var] = {}
        self._locals: list[float] | None = None
        self.members: dict[str, list[str]] = {}
        self._find_outputs_and_args()
        self.grouped = self._input_groups(group_inputs)

    def _find_outputs_and_args(self) -> None:
        g = self.g
        for block in self.blocks.values():
            inside = set(block.members)
            args, outs = set(), []
            for m in block.members:
                for a in g.args(m):
                    if a not in inside and g.active[a]:
                        args.add(a)
                if m == g.output or any(e.head not in inside for e in g.users[m]):
                    outs.append(m)
            block.args, block.outputs = sorted(args), outs

    def _input_groups(self, threshold: int | None) -> dict:
        """``{block id: [input nodes]}``: inputs only that block uses, when there are many."""
        if not threshold:
            return {}
        g, result = self.g, {}
        for gid, block in self.blocks.items():
            private = [a for a in block.args if g.op(a) == INPUT
                       and all(self.group[e.head] == gid for e in g.users[a])]
            if len(private) >= threshold:
                result[gid] = private
        return result

    def scalar_locals(self) -> list[float]:
        """Every edge's local derivative of a scalar graph (computed once, when first needed)."""
        if self._locals is None:
            self._locals = self.g.scalar_locals().tolist()
        return self._locals

    # --- the Vars ------------------------------------------------------------------
    def place(self, node: int, v: Var, offset: int = 0) -> None:
        shape = self.g.shape_of(node)
        self.where[node] = (v, offset, int(np.prod(shape, dtype=int)), shape)

    def make_input_group(self, gid: Any, nodes: list[int]) -> None:
        g = self.g
        name = f"{self.blocks[gid].name.replace('.', '_')}_params"
        value = np.concatenate([np.ravel(g.value_of(a)) for a in nodes])
        v = Var(INPUT, (), value, name=name, text=name)
        offset = 0
        for a in nodes:
            self.place(a, v, offset)
            offset += int(np.size(g.value_of(a)))
        self.members[name] = [g.label(a) for a in nodes]

    def view_arg(self, node: int) -> Var:
        """What a node drawn as itself reads for original ``node``."""
        v, offset, size, shape = self.where[node]
        if np.shape(v.value) == shape and offset == 0:
            return v
        if node not in self.picks:
            self.picks[node] = _pick(self.g, node, v, offset, size, shape)
        return self.picks[node]

    def make_block(self, gid: Any) -> None:
        g, block = self.g, self.blocks[gid]
        if not block.args:  # nothing active enters: its outputs are constants
            for o in block.outputs:
                self.place(o, folded_leaf(g.value_of(o), g.label(o), len(block.members)))
            return
        node = _block_node(g, block, self.where, self.scalar_locals)
        offset = 0
        for o in block.outputs:
            self.place(o, node, offset if len(block.outputs) > 1 else 0)
            offset += int(np.size(g.value_of(o)))


def _pick(g: Graph, node: int, whole: Var, offset: int, size: int, shape: tuple) -> Var:
    """A node reading entries ``offset .. offset+size`` of a block's vector, shaped ``shape``."""
    total = int(np.size(whole.value))
    rows = np.zeros((size, total))
    rows[np.arange(size), offset + np.arange(size)] = 1.0

    def forward(args: tuple) -> Any:
        part = np.ravel(args[0])[offset:offset + size]
        return float(part[0]) if shape == () else part.reshape(shape)

    where = f"{offset}" if size == 1 else f"{offset}:{offset + size}"
    params = composite_params(forward, lambda pos, args, out: rows, "pick",
                              definition=f"{whole.name}[{where}]", formulas=(f"picks [{where}]",))
    v = Var(COMPOSITE, (whole,), g.value_of(node), params, name=g.label(node), text=g.expr(node))
    v.scope = g.scope(node)
    return v


def _retrace(g: Graph, block: Block) -> tuple[dict[int, Var], dict[int, str]]:
    """The block's nodes re-traced, its arguments as inputs ``a0, a1, ...``."""
    made: dict[int, Var] = {}
    names: dict[int, str] = {}
    for i, a in enumerate(block.args):
        names[a] = f"a{i}"
        made[a] = Var(INPUT, (), g.value_of(a), name=names[a], text=g.label(a))
    for m in block.members:
        for a in g.args(m):
            if a not in made:  # an inactive node entering the block: a constant in it
                made[a] = Var(CONST, (), g.value_of(a), text=g.label(a))
        made[m] = Var(g.op(m), tuple(made[a] for a in g.args(m)), g.value_of(m),
                      dict(g.params(m)) or None, text=g.label(m) if g.op(m) == CONST else None)
    return made, names


def _path_counts(g: Graph, block: Block) -> dict[int, int]:
    """For each argument, the number of paths inside the block from it to the block's outputs."""
    inside = set(block.members)
    outs = set(block.outputs)
    to_out: dict[int, int] = {}
    for m in reversed(block.members):
        to_out[m] = int(m in outs) + sum(to_out[e.head] for e in g.users[m] if e.head in inside)
    return {a: sum(to_out[e.head] for e in g.users[a] if e.head in inside) for a in block.args}


def _scalar_rows(g: Graph, block: Block, local: list[float]) -> list[dict[int, float]]:
    """For each output of a scalar block, ``{argument: total derivative}``: a reverse pass
    inside the block from that output, visiting only the nodes it depends on."""
    inside = set(block.members)
    entering = set(block.args)
    offsets = g.edge_arrays.offsets
    rows = []
    for o in block.outputs:
        adjoint = {o: 1.0}
        heap = [-o]
        row: dict[int, float] = {}
        while heap:  # largest node id first: every user of a node comes before it
            m = -heapq.heappop(heap)
            value, base = adjoint[m], int(offsets[m])
            for pos, a in enumerate(g.args(m)):
                d = value * local[base + pos]
                if a in inside:
                    if a in adjoint:
                        adjoint[a] += d
                    else:
                        adjoint[a] = d
                        heapq.heappush(heap, -a)
                elif a in entering:
                    row[a] = row.get(a, 0.0) + d
        rows.append(row)
    return rows


def _block_node(g: Graph, block: Block, where: dict, scalar_locals: Any) -> Var:
    sizes = [int(np.size(g.value_of(o))) for o in block.outputs]
    stacked = len(block.outputs) > 1
    view_args: list[Var] = []
    for a in block.args:
        if where[a][0] not in view_args:
            view_args.append(where[a][0])
    total = sum(sizes)
    lazy: dict[str, Any] = {}

    def retraced() -> tuple[list[Graph], dict[int, str]]:
        """Each output re-traced as a small graph of the block's arguments (made when needed)."""
        if "subs" not in lazy:
            made, names = _retrace(g, block)
            lazy["subs"] = ([Graph(made[o]) for o in block.outputs], names)
        return lazy["subs"]

    def dense_rows() -> list[dict[int, np.ndarray]]:
        subs, names = retraced()
        node_of = {name: a for a, name in names.items()}
        rows = []
        for sub, size in zip(subs, sizes):
            wanted = list(sub.inputs)
            if sub.shape_of(sub.output) == ():
                parts = grad(sub, wanted)
            else:
                parts = {name: dense_jacobian(sub, name) for name in wanted}
            rows.append({node_of[name]: np.reshape(parts[name], (size, where[node_of[name]][2]))
                         for name in wanted})
        return rows

    def matrix(pos: int) -> np.ndarray:
        if "rows" not in lazy:
            lazy["rows"] = _scalar_rows(g, block, scalar_locals()) if g.is_scalar else dense_rows()
        arg = view_args[pos]
        result = np.zeros((total, int(np.size(arg.value))))
        row = 0
        for parts, size in zip(lazy["rows"], sizes):
            for a, d in parts.items():
                v, offset, width, _ = where[a]
                if v is arg:
                    result[row:row + size, offset:offset + width] += d
            row += size
        return result

    def forward(args: tuple) -> Any:
        subs, names = retraced()
        given = {}
        for a in block.args:
            v, offset, width, shape = where[a]
            entries = np.ravel(args[view_args.index(v)])[offset:offset + width]
            given[names[a]] = float(entries[0]) if shape == () else entries.reshape(shape)
        values = [sub.evaluate(given) for sub in subs]
        return np.concatenate([np.ravel(x) for x in values]) if stacked else values[0]

    def jacobian(pos: int, args: tuple, out: Any) -> Any:
        return matrix(pos)

    counts = _path_counts(g, block)
    formulas = []
    for arg in view_args:
        k = sum(counts[a] for a in block.args if where[a][0] is arg)
        formulas.append(f"Σ {k:,} path{'s' * (k != 1)} in {block.name}")
    arg_labels = ", ".join(v.name or v.text for v in view_args[:4]) + (", …" if len(view_args) > 4 else "")
    count = f"{len(block.members):,} node{'s' * (len(block.members) > 1)}"
    params = composite_params(forward, jacobian, block.name, definition=f"block({arg_labels})",
                              formulas=tuple(formulas), members=len(block.members))
    if stacked:  # the expression row: how many nodes, and what the vector holds
        value = np.concatenate([np.ravel(g.value_of(o)) for o in block.outputs])
        shown = ", ".join(g.label(o) for o in block.outputs[:3])
        more = ", …" if len(block.outputs) > 3 else ""
        text = f"{count}: {len(block.outputs):,} outputs [{shown}{more}]"
    else:  # a large block's expression says nothing a picture can show
        value = g.value_of(block.outputs[0])
        text = f"{count}: {g.expr(block.outputs[0])}" if len(g) <= _EXPRESSIONS else count
    v = Var(COMPOSITE, tuple(view_args), value, params, name=block.name, text=text)
    v.scope = g.scope(block.members[0])[:1]
    return v


def collapse_keys(g: Graph, keys: list, group_inputs: int | None = None, note: str = "") -> View:
    """The view of ``g`` with each node whose key is not None drawn in its key's block.

    Parameters
    ----------
    g : Graph
    keys : list
        By node id: a block key (a tuple of names) or None (see
        :func:`graphstep.views.blocks.block_keys`).
    group_inputs : int, optional
        Draw the inputs only one block uses as one vector input (``layer1_params``)
        when the block uses at least this many.
    note : str, optional
        The caption line's start (default: ``collapsed:``).

    Returns
    -------
    View

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * x", x=1.0)
    >>> v = collapse_keys(g, [None, ("f",), None])
    >>> v.label(1), round(gs.grad(v)["x"], 6) == round(gs.grad(g)["x"], 6)
    ('f', True)
    """
    group, q = _convex_groups(g, keys)
    build = _Builder(g, group, group_inputs)
    for nodes in build.grouped.values():
        for a in nodes:
            q.remove_node(a)
    for gid, nodes in build.grouped.items():
        build.make_input_group(gid, nodes)
    first = {}
    for n in range(len(g)):
        first.setdefault(group[n] if group[n] is not None else n, n)
    import networkx as nx

    for item in nx.lexicographical_topological_sort(q, key=lambda item: first[item]):
        if isinstance(item, tuple):
            build.make_block(item)
        else:
            build.place(item, copy_node(g, item, tuple(build.view_arg(a) for a in g.args(item))))
    output = build.view_arg(g.output)
    shown = [f"{b.name} ({len(b.members):,} nodes)" for b in build.blocks.values()]
    listed = ", ".join(shown[:6]) + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")
    return View(output, g, note=f"{note or 'collapsed'}: {listed}" if shown else "",
                members=build.members)


def collapse(g: Graph, collapse: Any = "blocks", expand: Any = None,
             group_inputs: int | None = None) -> View:
    """``g`` with blocks drawn as single nodes carrying their total derivatives.

    Parameters
    ----------
    g : Graph
    collapse : "blocks", True, int, str or list of str, optional
        Which blocks (see :mod:`graphstep.views.blocks`): every top-level block (the
        default), the blocks ``k`` levels deep, or blocks by name (``"layer1"``).
        A graph traced without blocks uses its layers and neurons
        (:mod:`graphstep.views.structure`).
    expand : str or list of str, optional
        Blocks to open one level (``expand="layer1"`` draws layer1's neurons).
    group_inputs : int, optional
        See :func:`collapse_keys`.

    Returns
    -------
    View
        A graph whose ``gs.grad``, path sums and forward mode equal the original's.

    Raises
    ------
    InputError
        For a name that is no block.

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.0)
    >>> with gs.block("f"):
    ...     y = gs.exp(x) * gs.sin(x)
    >>> v = collapse(gs.graph(y + x))
    >>> len(v), v.edge_formula(1, 0), round(v.local(1, 0), 4)
    (3, 'Σ 2 paths in f', 3.756)
    """
    return collapse_keys(g, block_keys(g, collapse, expand), group_inputs)
