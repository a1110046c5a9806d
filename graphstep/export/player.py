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

from graphstep.errors import InputError
from graphstep.export.layout import Layout
from graphstep.text import pretty

__all__ = ["fragment", "page", "player_data", "check_prefix", "PLAYER_LIMIT", "DEFAULT_DELAY"]

#: Size the player of 200 frames of a 200-node graph stays under (bytes).
PLAYER_LIMIT = 1_500_000
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


def player_data(shared: Layout) -> dict[str, Any]:
    """What the player stores: the group ids, slot count, and per step the title, text,
    group classes and slot texts that changed since the step before.

    Parameters
    ----------
    shared : Layout
        The frames.

    Returns
    -------
    dict
        ``groups``, ``slots``, ``strings``, ``classes`` and ``frames`` (per step ``t``,
        ``x``: indices of its title and text; ``g``: [group, class]; ``s``: [slot,
        text, class] changes).

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
    previous_groups: list[str] | None = None
    previous_slots: list[tuple[str, str]] | None = None
    for k, a in enumerate(shared.annotations):
        groups, slots = shared.group_classes(k), shared.slot_states(k)
        entry: dict[str, Any] = {"t": strings.setdefault(pretty(a.title), len(strings)),
                                 "x": strings.setdefault(pretty(a.text), len(strings)), "g": [], "s": []}
        if previous_groups is not None and previous_slots is not None:
            entry["g"] = [[i, classes.setdefault(c, len(classes))]
                          for i, c in enumerate(groups) if c != previous_groups[i]]
            entry["s"] = [[i, strings.setdefault(t, len(strings)), classes.setdefault(c, len(classes))]
                          for i, (t, c) in enumerate(slots) if (t, c) != previous_slots[i]]
        frames.append(entry)
        previous_groups, previous_slots = groups, slots
    return {"groups": shared.group_ids, "slots": [0] * len(shared.slot_keys),
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
    most_lines = max((len(c) for c in shared.captions), default=1)
    css = _template("player.css").substitute(scope=f"#{prefix}", caption=f"{1.4 * max(most_lines, 2):.1f}")
    script = _template("player.js").substitute(prefix=prefix, delay=int(delay))
    start = max(0, min(int(start), len(shared) - 1))
    first = shared.annotations[start]
    return _template("player.html").substitute(
        prefix=prefix, start=start, css=css, svg=shared.player_svg(prefix),
        title=html.escape(pretty(first.title)), text=html.escape(pretty(first.text)),
        last=len(shared) - 1, count=len(shared), data=_json_for_script(player_data(shared)),
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
