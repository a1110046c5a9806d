"""What Jupyter shows for a Graph, a Step or a stepper: ``_repr_mimebundle_`` support.

A Graph, or one Step of a stepper, shows as SVG; a stepper as the HTML step player
(and the SVG of its current step). ``include`` and ``exclude`` work as in the
``graphviz`` package. GitHub's notebook viewer drops scripts, so for notebooks meant
to be read there set ``stepper.svg_only = True`` on a stepper (or the environment
variable ``GRAPHSTEP_SVG_ONLY=1`` for every stepper), and it shows the SVG of its
current step instead of the player. Nothing here is process-wide state: the choice
belongs to each stepper or call.

:func:`repr_mimebundle` is the ``_repr_mimebundle_`` method of
:class:`~graphstep.Graph`, :class:`~graphstep.Step` and :class:`~graphstep.Stepper`
(attached in :mod:`graphstep`, since those classes sit below this module).

>>> import graphstep as gs
>>> sorted(mimebundle(gs.parse("sin(x)", x=0.5), include=["text/plain"]))
['text/plain']
"""

from __future__ import annotations

import os
from typing import Any

from graphstep import backend
from graphstep.errors import GraphstepError, InputError
from graphstep.export.image import graph_dot
from graphstep.export.svg import frame_svg, player_html
from graphstep.graph import Graph
from graphstep.render.budget import MAX_DRAWN_NODES
from graphstep.render.style import Style
from graphstep.steps.model import Step
from graphstep.views.choose import choose_view

__all__ = ["mimebundle", "repr_mimebundle", "player_hidden", "MIMETYPES", "SVG_ONLY_VARIABLE"]

#: The mimetypes a bundle can hold (``text/html`` for a stepper only).
MIMETYPES = ("image/png", "image/svg+xml", "text/html", "text/plain")
#: The environment variable that makes every stepper show SVG only (``1``, ``true``, ``yes``, ``on``).
SVG_ONLY_VARIABLE = "GRAPHSTEP_SVG_ONLY"


def _is_stepper(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("graph", "steps", "current"))


def player_hidden(stepper: Any, choice: bool | None = None) -> bool:
    """Whether ``stepper`` is shown without its player: ``choice`` when given, else its
    ``svg_only`` attribute, else the environment variable ``GRAPHSTEP_SVG_ONLY``.

    Parameters
    ----------
    stepper : Stepper
    choice : bool, optional
        The caller's choice (the ``svg_only`` keyword of :func:`mimebundle`).

    Returns
    -------
    bool

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> s.svg_only = True
    >>> player_hidden(s), player_hidden(s, choice=False)
    (True, False)
    """
    if choice is not None:
        return choice
    env = os.environ.get(SVG_ONLY_VARIABLE, "").strip().lower()
    return bool(getattr(stepper, "svg_only", False)) or env in ("1", "true", "yes", "on")


def mimebundle(obj: Any, svg_only: bool | None = None, style: Style | None = None,
               include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """What Jupyter shows for a Graph, a Step or a stepper (``_repr_mimebundle_``).

    A Graph, or one Step of a stepper, gives ``image/svg+xml`` and ``text/plain``. A
    stepper gives ``text/html`` (the step player), ``image/svg+xml`` (its current step)
    and ``text/plain``; with ``svg_only`` (see :func:`player_hidden`) the
    player is left out, for viewers that drop scripts. When no picture can be drawn
    (no Graphviz executable), the bundle is the text alone, saying why.

    Parameters
    ----------
    obj : Graph, Step or Stepper
    svg_only : bool, optional
        Leave a stepper's player out (default: the stepper's ``svg_only`` attribute or
        ``GRAPHSTEP_SVG_ONLY=1``).
    style : Style, optional
    include : iterable of str, optional
        As in the ``graphviz`` package: replaces the default set of mimetypes;
        ``image/png`` may be asked for too. Only what is asked for is drawn.
    exclude : iterable of str, optional
        Mimetypes to leave out (it wins over ``include``).

    Returns
    -------
    dict
        Mimetype to content, sorted by mimetype.

    Raises
    ------
    InputError
        For anything but a Graph, a Step of a stepper or a stepper.

    Examples
    --------
    >>> import graphstep as gs
    >>> sorted(mimebundle(gs.parse("sin(x)", x=0.5)))
    ['image/svg+xml', 'text/plain']
    >>> sorted(mimebundle(gs.steps(gs.parse("sin(x)", x=0.5), "reverse")))
    ['image/svg+xml', 'text/html', 'text/plain']
    >>> sorted(mimebundle(gs.steps(gs.parse("sin(x)", x=0.5), "reverse").current))
    ['image/svg+xml', 'text/plain']
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> sorted(mimebundle(g, include=["image/png", "text/plain"], exclude=["text/plain"]))
    ['image/png']
    >>> mimebundle(g, include=[])
    {}
    """
    if isinstance(obj, Graph) or (isinstance(obj, Step) and obj.graph is not None):
        stepper, default = None, {"image/svg+xml", "text/plain"}
    elif _is_stepper(obj):
        stepper, default = obj, {"image/svg+xml", "text/plain"}
        if not player_hidden(obj, svg_only):
            default.add("text/html")
    else:
        raise InputError(f"mimebundle needs a Graph, a Step or a stepper, got {type(obj).__name__}")
    wanted = set(default if include is None else include) - set(exclude or ())
    wanted &= set(MIMETYPES) - (set() if stepper is not None else {"text/html"})
    text = str(obj) if stepper is not None else repr(obj)
    bundle: dict[str, Any] = {}
    try:
        if wanted & {"image/svg+xml", "image/png"}:
            if stepper is not None:
                svg = frame_svg(stepper, style=style)
            else:
                graph, step = (obj, None) if isinstance(obj, Graph) else (obj.graph, obj)
                if step is None:  # too large to draw node by node: collapsed, and the caption says so
                    graph = choose_view(graph, limit=MAX_DRAWN_NODES)
                raw = backend.run_dot(graph_dot(graph, step, style), "svg").decode("utf-8")
                svg = backend.clean_svg(raw, style or Style())
            if "image/svg+xml" in wanted:
                bundle["image/svg+xml"] = svg
            if "image/png" in wanted:
                bundle["image/png"] = backend.svg_to_png(svg)
        if "text/html" in wanted:
            bundle["text/html"] = player_html(stepper, style=style)
    except GraphstepError as error:  # no executable, a raster too large: say so in the text
        return {"text/plain": f"{text}\n(no picture: {error})"} if "text/plain" in wanted else {}
    if "text/plain" in wanted:
        bundle["text/plain"] = text
    return {key: bundle[key] for key in sorted(bundle)}


def repr_mimebundle(self: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """The ``_repr_mimebundle_`` method of Graph, Step and Stepper: :func:`mimebundle`.

    Parameters
    ----------
    self : Graph, Step or Stepper
    include, exclude : iterable of str, optional
        As in :func:`mimebundle`.

    Returns
    -------
    dict

    Examples
    --------
    >>> import graphstep as gs
    >>> list(repr_mimebundle(gs.parse("sin(x)", x=0.5), include=["text/plain"]))
    ['text/plain']
    """
    return mimebundle(self, include=include, exclude=exclude)
