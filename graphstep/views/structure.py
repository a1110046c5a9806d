"""Repeated structure found in a graph traced without blocks: layers and neurons.

A network traced number by number (micrograd style) has no ``gs.block`` scopes, but its
structure is in the graph: every activation (``tanh``, ``sigmoid``, ``relu``,
``softmax``) ends a neuron, and the neuron is the activation together with its
*private* ancestors (the nodes only it uses: the products ``wᵢ·xᵢ``, their sum, the
bias), down to inputs, constants and other activations. A neuron's layer is its
activation depth: one more than the deepest activation it depends on. What comes after
the last layer (the output neuron without activation, the loss) is the block ``output``.

:func:`structure_scopes` writes this as scopes, ``("layer1", "neuron3")``, so collapsing
at depth 1 draws one node per layer and at depth 2 one node per neuron.
:func:`band_scopes` is the fallback for graphs without activations: bands of
consecutive depths.

>>> import graphstep as gs
>>> x = gs.var("x", 0.5)
>>> w = [gs.var(f"w{i}", 0.1 * i) for i in range(3)]
>>> h = [gs.tanh(w[i] * x + 1.0) for i in range(2)]
>>> out = (h[0] * w[2] + h[1] - 1.0) ** 2
>>> g = gs.graph(out)
>>> sorted(set(structure_scopes(g)))
[(), ('layer1', 'neuron1'), ('layer1', 'neuron2'), ('output',)]
"""

from __future__ import annotations

from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT

__all__ = ["structure_scopes", "band_scopes", "ACTIVATIONS"]

#: The ops that end a neuron.
ACTIVATIONS = frozenset({"tanh", "sigmoid", "relu", "softmax"})


def _owners(g: Graph, is_activation: list[bool]) -> list[int]:
    """For each node, the activation whose neuron it belongs to, or -1.

    An activation owns itself; any other node (not a leaf) belongs to a neuron when all
    its users do, and to the same one. Visiting the nodes from the last makes every
    user's owner known before the node's own.
    """
    n_nodes = len(g)
    owner = [-1] * n_nodes
    candidate = [-2] * n_nodes  # -2: no user seen yet; -1: users of different neurons
    for m in range(n_nodes - 1, -1, -1):
        op = g.op(m)
        if op in (INPUT, CONST):
            continue
        if is_activation[m]:
            owner[m] = m
        elif candidate[m] >= 0:
            owner[m] = candidate[m]
        mine = owner[m]
        for a in g.args(m):
            seen = candidate[a]
            if seen == -2:
                candidate[a] = mine
            elif seen != mine:
                candidate[a] = -1
    return owner


def structure_scopes(g: Graph) -> list[tuple[str, ...]]:
    """Scopes from the graph's layers and neurons (see the module's docstring).

    Parameters
    ----------
    g : Graph

    Returns
    -------
    list of tuple of str
        By node id; every scope ``()`` when the graph has no activation.

    Examples
    --------
    >>> import graphstep as gs
    >>> structure_scopes(gs.parse("tanh(x * w)", x=1.0, w=2.0))
    [(), (), ('layer1', 'neuron1'), ('layer1', 'neuron1')]
    """
    n_nodes = len(g)
    layer = [0] * n_nodes  # the deepest activation at or above each node
    activations = []
    is_activation = [False] * n_nodes
    for n in range(n_nodes):
        deepest = max((layer[a] for a in g.args(n)), default=0)
        if g.op(n) in ACTIVATIONS:
            deepest += 1
            activations.append(n)
            is_activation[n] = True
        layer[n] = deepest
    scopes: list[tuple[str, ...]] = [()] * n_nodes
    if not activations:
        return scopes
    owner = _owners(g, is_activation)
    numbers: dict[int, int] = {}
    neuron_of: dict[int, str] = {}
    for top in activations:  # numbered in node order within each layer
        numbers[layer[top]] = numbers.get(layer[top], 0) + 1
        neuron_of[top] = f"neuron{numbers[layer[top]]}"
    last = max(layer)
    for n in range(n_nodes):
        if g.op(n) in (INPUT, CONST):
            continue
        if owner[n] >= 0:
            scopes[n] = (f"layer{layer[owner[n]]}", neuron_of[owner[n]])
        else:
            scopes[n] = ("output",) if layer[n] >= last else (f"layer{layer[n] + 1}",)
    return scopes


def band_scopes(g: Graph, bands: int) -> list[tuple[str, ...]]:
    """Scopes that cut the graph into at most ``bands`` bands of consecutive depths.

    Parameters
    ----------
    g : Graph
    bands : int

    Returns
    -------
    list of tuple of str
        ``("depth1_40",)`` and so on, by node id; ``()`` for leaves.

    Examples
    --------
    >>> import graphstep as gs
    >>> band_scopes(gs.parse("sin(sin(sin(sin(x))))", x=1.0), 2)
    [(), ('depth1_2',), ('depth1_2',), ('depth3_4',), ('depth3_4',)]
    """
    depth = [0] * len(g)
    for n in range(len(g)):
        depth[n] = max((depth[a] + 1 for a in g.args(n)), default=0)
    deepest = max(depth)
    width = max(1, -(-deepest // max(1, bands)))
    scopes: list[tuple[str, ...]] = []
    for n in range(len(g)):
        if g.op(n) in (INPUT, CONST):
            scopes.append(())
            continue
        first = (depth[n] - 1) // width * width + 1
        scopes.append((f"depth{first}_{min(first + width - 1, deepest)}",))
    return scopes
