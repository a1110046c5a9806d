"""The view a picture or a walk draws: ``focus=``, ``collapse=``, ``expand=``,
``hide_constants=``, and collapsing on its own when a graph is too large to draw node by node.

:func:`choose_view` is what ``gs.render``, ``gs.steps``, the CLI, Jupyter and the docs
directive call with the options a user gave. With none, a graph of up to ``limit``
nodes is drawn as it is; a larger one is collapsed automatically: into its blocks (or
its layers and neurons, :mod:`graphstep.views.structure`), the inputs only one block uses
grouped into one vector input; and, when that is still too large or finds no structure,
into bands of consecutive depths. The view's ``note`` says so in the picture's caption.

>>> import graphstep as gs
>>> g = gs.parse("x * sin(y) + exp(y)", x=2.0, y=0.5)
>>> choose_view(g) is g, choose_view(g, focus="x").inputs
(True, ['x'])
"""

from __future__ import annotations

from typing import Any

from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.views.blocks import block_keys, node_scopes
from graphstep.views.collapse import collapse as collapse_view
from graphstep.views.collapse import collapse_keys
from graphstep.views.focus import focus as focus_view
from graphstep.views.structure import band_scopes

__all__ = ["choose_view", "auto_view", "GROUP_INPUTS", "BANDS", "no_collapse"]

#: A picture of a collapsed graph draws the inputs only one block uses as one vector
#: input (``layer1_params``) when the block uses at least this many.
GROUP_INPUTS = 4
#: The bands of depths an automatic collapse cuts a graph without structure into.
BANDS = 12


def no_collapse(collapse: Any) -> bool:
    """True for the ``collapse=`` values that turn collapsing off (``False``, ``0``, ``"none"``, ``[]``).

    Parameters
    ----------
    collapse : object

    Returns
    -------
    bool

    Examples
    --------
    >>> no_collapse(False), no_collapse(0), no_collapse("none"), no_collapse(None), no_collapse("blocks")
    (True, True, True, False, False)
    """
    if collapse is None:
        return False
    if isinstance(collapse, str):
        return collapse.strip().lower() in ("none", "no", "off", "false", "0", "")
    return not collapse


def auto_view(g: Graph, limit: int) -> Graph:
    """``g`` itself up to ``limit`` nodes, else ``g`` collapsed automatically (see the module).

    Parameters
    ----------
    g : Graph
    limit : int
        The most nodes drawn node by node.

    Returns
    -------
    Graph

    Examples
    --------
    >>> import graphstep as gs
    >>> u, y = gs.var("u", 0.3), gs.var("y", 0.5)
    >>> for _ in range(40):
    ...     u = gs.sin(u * y + 0.1)
    >>> v = auto_view(gs.graph(u), limit=50)
    >>> len(v) < 50, v.note.split(":")[0]
    (True, '162 nodes are more than the 50 drawn one by one; collapsed automatically')
    """
    if len(g) <= limit:
        return g
    start = f"{len(g):,} nodes are more than the {limit:,} drawn one by one; collapsed automatically"
    view = None
    keys = block_keys(g, "blocks", scopes=node_scopes(g))
    if any(k is not None for k in keys):
        view = collapse_keys(g, keys, GROUP_INPUTS, note=start)
    if view is None or len(view) > limit:
        keys = block_keys(g, "blocks", scopes=band_scopes(g, BANDS))
        view = collapse_keys(g, keys, GROUP_INPUTS, note=start)
    view.note += "; choose with collapse=, expand= or focus= (collapse=False: every node)"
    return view


def choose_view(g: Graph, focus: Any = None, collapse: Any = None, expand: Any = None,
                hide_constants: bool = False, limit: int | None = None) -> Graph:
    """The graph to draw or walk for the given options (``g`` itself when there are none).

    Parameters
    ----------
    g : Graph
    focus : str or list of str, optional
        Keep only the paths from these inputs (:func:`graphstep.views.focus.focus`).
    collapse : "blocks", int, str or list of str, optional
        Blocks drawn as one node (:func:`graphstep.views.collapse.collapse`, the inputs
        only one block uses grouped when there are :data:`GROUP_INPUTS` or more); ``False``
        or ``"none"``: never collapse, not even a large graph.
    expand : str or list of str, optional
        Blocks opened one level (implies ``collapse="blocks"`` when ``collapse`` is not given).
    hide_constants : bool, optional
        Constants written inline (with no ``focus``: a focus on every input).
    limit : int, optional
        Collapse a larger graph automatically when no collapse is asked for.

    Returns
    -------
    Graph

    Raises
    ------
    InputError
        For an unknown input or block, or a graph without blocks or structure to collapse.

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.0)
    >>> with gs.block("f"):
    ...     y = gs.exp(x) * gs.sin(x)
    >>> [n for n in choose_view(gs.graph(2 * y), collapse="f", hide_constants=True).labels]
    ['x', 'f', 'u4']
    """
    if not isinstance(g, Graph):
        raise InputError(f"focus and collapse take a Graph, got {type(g).__name__}")
    view = g
    if focus is not None and focus != []:
        view = focus_view(view, focus, hide_constants)
    elif hide_constants:
        view = focus_view(view, view.inputs, True) if view.inputs else view
    off = no_collapse(collapse)
    if not off and (collapse is not None or expand):
        view = _explicit(view, collapse if collapse is not None else "blocks", expand)
    elif not off and limit is not None:
        view = auto_view(view, limit)
    return view


def _explicit(g: Graph, collapse: Any, expand: Any) -> Graph:
    scopes = node_scopes(g)
    if not any(scopes):
        raise InputError(
            "collapse: the graph has no blocks (trace with `with gs.block(\"name\"):` or name values "
            "like layer1.z) and no layers of activations (tanh, sigmoid, relu) to collapse")
    view = collapse_view(g, collapse, expand, group_inputs=GROUP_INPUTS)
    if hasattr(g, "note") and getattr(g, "note", ""):
        view.note = f"{g.note}; {view.note}" if view.note else g.note
    return view
