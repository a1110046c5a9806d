"""The HTML step player of a shared layout: one self-contained fragment or page.

The SVG is stored once; each step stores only the group classes and slot texts that
change (as indices into shared tables of strings and classes). The markup, style
sheet and script are package data files (``graphstep/export/player/``: ``player.html``,
``player.css``, ``player.js``, ``page.html``) read with :mod:`importlib.resources`
and filled with :class:`string.Template`.

>>> import graphstep as gs
>>> from graphstep.export.layout import Layout
>>> g = gs.parse("sin(x)", x=0.5)
>>> fragment(Layout(g, gs.steps(g, "reverse").steps), prefix="demo")[:46]
'<div id="demo" class="gs-player" tabindex="0" '
"""

from __future__ import annotations

import html
import json
import re
import secrets
from importlib import resources
from string import Template
from typing import Any

from graphstep.errors import InputError, SizeLimitError
from graphstep.export.layout import Layout
from graphstep.text import pretty

__all__ = ["fragment", "page", "player_data", "check_prefix", "check_size", "estimated_size",
           "PLAYER_LIMIT", "PLAYER_MAX_BYTES", "DEFAULT_DELAY"]

#: Size the player of 200 frames of a 200-node graph stays under (bytes).
PLAYER_LIMIT = 1_500_000
#: Largest self-contained player written (bytes): a bigger one is refused before Graphviz runs.
PLAYER_MAX_BYTES = 10_000_000
#: Milliseconds per step when the player plays.
DEFAULT_DELAY = 1200

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _template(name: str) -> Template:
    """One of the player's package data files, as a template."""
    return Template(resources.files(__package__).joinpath("player", name).read_text(encoding="utf-8"))


def check_prefix(prefix: str | None) -> str:
    """``prefix``, or a fresh random one; an id prefix must be letters, digits, - or _.

    Parameters
    ----------
    prefix : str or None
        The prefix of every element id of a player (None: a new random one).

    Returns
    -------
    str

    Raises
    ------
    InputError
        When ``prefix`` does not start with a letter or has other characters.

    Examples
    --------
    >>> check_prefix("p1"), check_prefix(None).startswith("gs")
    ('p1', True)
    """
    if prefix is None:
        return f"gs{secrets.token_hex(5)}"
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise InputError(f"a player prefix must be letters, digits, - or _, got {prefix!r}")
    return prefix


def estimated_size(nodes: int, edges: int, steps: int) -> int:
    """About how many bytes a player of a graph and its steps takes, known before Graphviz runs.

    Measured on graphstep's pictures: a node's group in the SVG takes about 950 bytes,
    an edge's about 780, a step's title, sentence and changes about 400.

    Parameters
    ----------
    nodes, edges, steps : int
        The graph's size and the number of steps.

    Returns
    -------
    int

    Examples
    --------
    >>> round(estimated_size(1016, 1256, 982) / 1e6, 1)  # the 1,016-node scalar MLP's reverse steps
    2.4
    """
    return 30_000 + 950 * nodes + 780 * edges + 400 * steps


def check_size(nodes: int, edges: int, steps: int, limit: int = PLAYER_MAX_BYTES) -> None:
    """Refuse at once a player larger than ``limit`` bytes, naming the sizes and the ways out.

    Parameters
    ----------
    nodes, edges, steps : int
        The graph's size and the number of steps.
    limit : int
        The most bytes a player may take.

    Raises
    ------
    SizeLimitError
        When :func:`estimated_size` exceeds ``limit``.

    Examples
    --------
    >>> check_size(1016, 1256, 982)
    >>> try:
    ...     check_size(10_000, 12_000, 10_000)
    ... except SizeLimitError as error:
    ...     print(error)  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    a step player of 10,000 nodes, 12,000 edges and 10,000 steps would take about 22.9 MB,
    over its limit of 10 MB; ...
    """
    size = estimated_size(nodes, edges, steps)
    if size > limit:
        raise SizeLimitError(
            f"a step player of {nodes:,} nodes, {edges:,} edges and {steps:,} steps would take about "
            f"{size / 1e6:.3g} MB, over its limit of {limit / 1e6:.3g} MB; draw less: "
            f"gs.steps(g, mode, focus=\"x\") walks only the paths from x to the output; "
            f"collapse=\"blocks\" (or collapse=2) draws each block or layer as one node; "
            f"or write the frames with save_all")


def player_data(shared: Layout) -> dict[str, Any]:
    """What the player stores: the group ids, slot count, the nodes' names, and per step
    the title, text, group classes and slot texts that changed since the step before.

    Parameters
    ----------
    shared : Layout
        The frames.

    Returns
    -------
    dict
        ``groups``, ``slots``, ``nodes`` ([group, label] of every node, for the search
        box), ``strings``, ``classes`` and ``frames`` (per step ``t``, ``x``: indices of
        its title and text; ``g``: [group, class]; ``s``: [slot, text, class] changes).

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> data = player_data(Layout(g, gs.steps(g, "reverse").steps))
    >>> [data["strings"][frame["t"]] for frame in data["frames"]]
    ['seed ū₁', 'x̄', 'gradient']
    """
    strings: dict[str, int] = {}
    classes: dict[str, int] = {}
    frames = []
    before: dict[int, str] = {}
    base = shared.base_classes
    for k, step in enumerate(shared.steps):
        entry: dict[str, Any] = {"t": strings.setdefault(pretty(step.title), len(strings)),
                                 "x": strings.setdefault(pretty(step.text), len(strings)), "g": [], "s": []}
        now = shared.highlighted(k)
        if k:  # a group's class is base[i] unless a step highlights it
            changed = sorted(set(before) | set(now))
            entry["g"] = [[i, classes.setdefault(c, len(classes))] for i, c in
                          ((i, now.get(i, base[i])) for i in changed) if c != before.get(i, base[i])]
            entry["s"] = [[j, strings.setdefault(t, len(strings)), classes.setdefault(c, len(classes))]
                          for j, t, c in shared.slot_changes(k)]
        frames.append(entry)
        before = now
    graph = shared.graph
    nodes = [[i, pretty(graph.label(int(gid[1:])))]
             for i, gid in enumerate(shared.group_ids) if gid[0] == "n"]
    return {"groups": shared.group_ids, "slots": [0] * len(shared.slot_keys), "nodes": nodes,
            "strings": list(strings), "classes": list(classes), "frames": frames}


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def fragment(shared: Layout, prefix: str | None = None, delay: int = DEFAULT_DELAY,
             start: int = 0) -> str:
    """A self-contained step player as an HTML fragment (for Jupyter, Sphinx, pages).

    Prev/next/first/last buttons, a slider, play/pause, and the arrow keys (Home, End,
    space) once the player has focus.

    Parameters
    ----------
    shared : Layout
        The frames.
    prefix : str, optional
        Starts every element id, so that several players work on one page (default:
        a fresh random prefix).
    delay : int
        Milliseconds per step when playing.
    start : int, optional
        The step shown first (0-based; the stepper's current step).

    Returns
    -------
    str
        ``<div id="prefix" class="gs-player" data-start="0" ...>...</div>``.

    Raises
    ------
    InputError
        For a bad prefix.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> "step 1 of 3" in fragment(Layout(g, gs.steps(g, "reverse").steps))
    True
    """
    prefix = check_prefix(prefix)
    most_lines = shared.most_caption_lines or 1
    css = _template("player.css").substitute(scope=f"#{prefix}", caption=f"{1.4 * max(most_lines, 2):.1f}")
    script = _template("player.js").substitute(prefix=prefix, delay=int(delay))
    start = max(0, min(int(start), len(shared) - 1))
    first = shared.steps[start]
    data = player_data(shared)
    labels = sorted({label for _, label in data["nodes"]})
    names = "".join(f'<option value="{html.escape(label)}">' for label in labels)
    return _template("player.html").substitute(
        prefix=prefix, start=start, css=css, svg=shared.player_svg(prefix),
        title=html.escape(pretty(first.title)), text=html.escape(pretty(first.text)),
        last=len(shared) - 1, count=len(shared), data=_json_for_script(data), names=names,
        script=script)


def page(shared: Layout, title: str, start: int = 0) -> str:
    """A whole HTML document holding one player; ``#step=3`` in its address starts at step 3.

    Parameters
    ----------
    shared : Layout
        The frames.
    title : str
        The page's title and heading.
    start : int, optional
        The step shown first (0-based) when the address has no ``#step=``.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> page(Layout(g, gs.steps(g, "reverse").steps), "sin")[:15]
    '<!DOCTYPE html>'
    """
    prefix = "gsplayer"
    return _template("page.html").substitute(
        title=html.escape(title), player=fragment(shared, prefix, start=start), prefix=prefix)
