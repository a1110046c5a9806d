"""Pictures and players for documentation pages: what the Sphinx and MkDocs glue share.

A documentation page names an expression and a few options (the values to evaluate
it at, the stepping mode, the input, which steps, the kind of output); this module
turns them into a :class:`Figure` request, checks it, hashes it (so a build can reuse
what an earlier build produced) and produces the files. Nothing here imports Sphinx
or Markdown; :mod:`graphstep.sphinxext` and :mod:`graphstep.mkdocs` are thin layers
over it.

>>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "output": "svg"})
>>> figure.values(), str(figure.mode), figure.output is Output.SVG
({'x': 1.5}, 'paths', True)
>>> figure.step_indices(3)  # a static picture shows the last step unless told otherwise
[2]
>>> len(figure.key())
16
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphstep import __version__
from graphstep.build.inputs import parse_at
from graphstep.build.parse import parse
from graphstep.docs.fingerprint import code_fingerprint
from graphstep.errors import InputError
from graphstep.export import image
from graphstep.export import svg as export
from graphstep.export.files import atomic_write, atomic_write_all
from graphstep.export.layout import prefix_ids
from graphstep.export.stepper import Stepper, steps
from graphstep.render.style import Style
from graphstep.steps.model import MODES, Mode
from graphstep.steps.select import parse_steps
from graphstep.text import WordEnum

__all__ = [
    "Figure", "Output", "MODES", "OUTPUTS", "OPTIONS", "DIRECTIONS",
    "parse_values", "parse_steps", "prefix_ids", "svg_inline", "player_inline",
]



class Output(WordEnum):
    """What a page shows: an HTML step player, static SVG or PNG pictures, an animated GIF.

    Each member equals, prints and formats as its word (``Output.SVG == "svg"``).

    Attributes
    ----------
    PLAYER : Output
        The HTML step player.
    SVG, PNG : Output
        One picture per chosen step.
    GIF : Output
        An animation of the chosen steps.

    Examples
    --------
    >>> Output("svg") is Output.SVG, f"{Output.GIF}", Output.SVG == "svg"
    (True, 'gif', True)
    """

    PLAYER = "player"
    SVG = "svg"
    PNG = "png"
    GIF = "gif"

    @property
    def static(self) -> bool:
        """Whether it is one picture per chosen step (SVG, PNG) rather than the whole walk.

        Returns
        -------
        bool

        Examples
        --------
        >>> Output.SVG.static, Output.PLAYER.static
        (True, False)
        """
        return self in (Output.SVG, Output.PNG)


#: The kinds of output as the words a page writes.
OUTPUTS = tuple(output.value for output in Output)
#: Every option a page may give (Sphinx ``:name:`` options, MkDocs ``name: value`` lines).
OPTIONS = ("at", "mode", "wrt", "steps", "output", "caption", "align", "alt", "name", "seed",
           "direction", "focus", "collapse", "expand", "hide-constants")
#: Layout directions (inputs left, right, top or bottom); see :class:`graphstep.render.style.Style`.
DIRECTIONS = ("AUTO", "LR", "RL", "TB", "BT")  # AUTO: chosen per graph
_ALIGNS = ("left", "center", "right")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


# --- Values: "x=1.5, W=randn(3,2), v=[1, 2]" --------------------------------------------

def _split_top_level(text: str) -> list[str]:
    """Split at commas that are not inside brackets or parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise InputError(f"unbalanced {ch!r} in values {text!r}")
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth:
        raise InputError(f"unclosed bracket in values {text!r}")
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_values(text: str, seed: int = 0) -> dict[str, Any]:
    """Read ``name=value`` pairs separated by commas (or new lines), without ``eval``.

    Each value is read by :func:`graphstep.build.inputs.parse_at`, as ``--at`` reads it on
    the command line: a number, a nested list of numbers or one of ``randn(3, 2)``,
    ``zeros(3)``, ``ones(2, 2)``, ``eye(3)``...; random values come from one generator
    seeded with ``seed``, in the order they are written, so a page shows the same
    numbers every build.

    Parameters
    ----------
    text : str
        ``name=value`` pairs, separated by commas at the top level or by new lines.
    seed : int, optional
        The seed of the generator for random values.

    Returns
    -------
    dict
        Each name's value.

    Raises
    ------
    InputError
        For unbalanced brackets or a value :func:`~graphstep.build.inputs.parse_at` refuses.

    Examples
    --------
    >>> parse_values("x=1.5, v=[1, -2], I=eye(2)")
    {'x': 1.5, 'v': array([ 1., -2.]), 'I': array([[1., 0.],
           [0., 1.]])}
    >>> parse_values("x=[1, 2")
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: unclosed bracket in values 'x=[1, 2'
    """
    return parse_at(_split_top_level(text.replace("\n", ",")), seed=seed)


# --- SVG ids ----------------------------------------------------------------------------

def svg_inline(svg: str, prefix: str, alt: str = "") -> str:
    """An SVG document made fit to sit inside an HTML page.

    Drops the XML declaration, doctype and comments, prefixes ids, and gives the
    ``<svg>`` element ``role="img"``, an ``aria-label`` (the alt text) and a style
    that shrinks it to the width of the page's text column when it is wider (its
    ``viewBox`` keeps the drawing whole; it never grows past its natural size).

    Parameters
    ----------
    svg : str
        An SVG document.
    prefix : str
        The id prefix (see :func:`prefix_ids`).
    alt : str, optional
        The text alternative.

    Returns
    -------
    str

    Examples
    --------
    >>> svg = svg_inline('<?xml version="1.0"?><!-- c --><svg id="a" width="100pt"></svg>', "q-", "x")
    >>> svg.split(" id=")[0]
    '<svg role="img" aria-label="x" style="max-width:100%;height:auto"'
    >>> svg.endswith(' id="q-a" width="100pt"></svg>')
    True
    """
    body = re.sub(r"<\?xml[^>]*\?>", "", svg)
    body = re.sub(r"<!DOCTYPE[^>]*>", "", body, flags=re.S)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S).strip()
    body = prefix_ids(body, prefix)
    label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return body.replace("<svg", f'<svg role="img" aria-label="{label}" style="max-width:100%;height:auto"', 1)


def player_inline(fragment: str, figure_key: str, prefix: str) -> str:
    """A cached player fragment with its placeholder id prefix replaced by ``prefix``.

    :meth:`Figure.produce` writes players with the prefix ``gsk<key>`` so that the
    cached file does not depend on where it is shown; each page gives every player
    its own prefix (ids, the scoped style sheet and the script all use it).

    Parameters
    ----------
    fragment : str
        The player fragment as :meth:`Figure.produce` wrote it.
    figure_key : str
        The figure's :meth:`Figure.key`.
    prefix : str
        The page's prefix for this player.

    Returns
    -------
    str

    Examples
    --------
    >>> player_inline('<div id="gskabc"><script>f("gskabc")</script></div>', "abc", "p1")
    '<div id="p1"><script>f("p1")</script></div>'
    """
    return fragment.replace(f"gsk{figure_key}", prefix)


# --- The request ------------------------------------------------------------------------


def _flag(options: Mapping[str, Any], key: str) -> bool:
    """A flag option: present without a value (a Sphinx flag), or ``yes``/``true``/``1``."""
    if key not in options:
        return False
    value = options[key]
    return value is None or str(value).strip().lower() in ("", "yes", "true", "1")


@dataclass(frozen=True)
class Figure:
    """One picture or player requested by a documentation page.

    Build it with :meth:`from_options`, which checks every option; ``key()`` hashes
    what determines the produced files (expression, values, seed, mode, input, steps,
    output and the graphstep version), never the caption or layout options.
    ``mode`` and ``output`` may be given as words; they are kept as :class:`Mode` and
    :class:`Output`.

    Parameters
    ----------
    expression : str
        The expression, as ``graphstep`` reads it.
    at : str
        The input values (``x=1.5, W=randn(3,2)``; see :func:`parse_values`).
    mode : Mode or str
        The walk's mode.
    wrt : str, optional
        The input it differentiates by.
    steps : str, optional
        Which steps to show (``3``, ``last``, ``0, 2, last``; default :attr:`default_steps`).
    output : Output or str
        What the page shows.
    caption, align, alt, name : str
        The figure's caption, alignment, alt text and reference name.
    seed : int
        The seed of random values in ``at``.
    direction : str
        The layout direction (``AUTO``, the default, ``LR``, ``RL``, ``TB``, ``BT``).
    focus, collapse, expand : str
        Walk through a smaller graph (see :doc:`/collapsing`): the inputs to focus on,
        the blocks to collapse (``blocks``, a depth, names), the blocks to open.
    hide_constants : bool
        Write constants inline.

    Examples
    --------
    >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
    >>> figure.mode, figure.output, figure.values()
    (<Mode.REVERSE: 'reverse'>, <Output.SVG: 'svg'>, {'x': 1.5})
    """

    expression: str
    at: str = ""
    mode: Mode = Mode.PATHS
    wrt: str | None = None
    steps: str | None = None
    output: Output = Output.PLAYER
    caption: str = ""
    align: str = "center"
    alt: str = ""
    name: str = ""
    seed: int = 0
    direction: str = "AUTO"
    focus: str = ""
    collapse: str = ""
    expand: str = ""
    hide_constants: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode(self.mode))
        object.__setattr__(self, "output", Output(self.output))

    @classmethod
    def from_options(cls, expression: str, options: Mapping[str, Any]) -> Figure:
        """Check ``options`` (strings, as a page gives them) and build the request.

        Parameters
        ----------
        expression : str
            The expression (a directive's argument or body).
        options : Mapping
            ``{option: text}``; the names are :data:`OPTIONS`.

        Returns
        -------
        Figure

        Raises
        ------
        InputError
            For a missing expression, an unknown option or a value it cannot take; bad input
            values too (they are read now).

        Examples
        --------
        >>> Figure.from_options("x*x", {"output": "jpeg"})
        Traceback (most recent call last):
        ...
        graphstep.errors.InputError: output 'jpeg' is not one of player, svg, png, gif
        """
        expression = (expression or "").strip()
        if not expression:
            raise InputError("no expression given: write it as the argument or in the body")
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise InputError(f"unknown option {unknown[0]!r}; the options are {', '.join(OPTIONS)}")

        def text(key: str, default: str = "") -> str:
            value = options.get(key)
            return default if value is None else str(value).strip()

        mode = text("mode", "paths")
        if mode not in MODES:
            raise InputError(f"mode {mode!r} is not one of {', '.join(MODES)}")
        output = text("output", "player").lower()
        if output not in OUTPUTS:
            raise InputError(f"output {output!r} is not one of {', '.join(OUTPUTS)}")
        align = text("align", "center").lower()
        if align not in _ALIGNS:
            raise InputError(f"align {align!r} is not one of {', '.join(_ALIGNS)}")
        seed_text = text("seed", "0")
        try:
            seed = int(seed_text)
        except ValueError:
            raise InputError(f"seed {seed_text!r} is not a whole number") from None
        direction = text("direction", "AUTO").upper()
        if direction not in DIRECTIONS:
            raise InputError(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
        wrt = text("wrt") or None
        if wrt is not None and not _NAME.match(wrt):
            raise InputError(f"wrt {wrt!r} is not an input name")
        figure = cls(expression=expression, at=text("at"), mode=mode, wrt=wrt,
                     steps=text("steps") or None, output=output, caption=text("caption"),
                     align=align, alt=text("alt"), name=text("name"), seed=seed, direction=direction,
                     focus=text("focus"), collapse=text("collapse"), expand=text("expand"),
                     hide_constants=_flag(options, "hide-constants"))
        figure.values()  # check the values now, so a bad one is reported where it is written
        return figure

    def values(self) -> dict[str, Any]:
        """The input values, read from ``at`` (see :func:`parse_values`).

        Returns
        -------
        dict

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> figure.values()
        {'x': 1.5}
        """
        return parse_values(self.at, seed=self.seed)

    @property
    def default_steps(self) -> str:
        """``all`` for a player or GIF, ``last`` for static pictures.

        Returns
        -------
        str

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> figure.default_steps
        'last'
        """
        return "last" if self.output.static else "all"

    def step_indices(self, count: int) -> list[int]:
        """The indices of the steps to show, out of ``count``.

        Parameters
        ----------
        count : int
            The number of steps of the walk.

        Returns
        -------
        list of int

        Raises
        ------
        InputError
            When :attr:`steps` names a step the walk does not have.

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> figure.step_indices(5)
        [4]
        """
        return parse_steps(self.steps, count, self.default_steps)

    def key(self) -> str:
        """A 16-hex-digit hash of everything that determines the produced files.

        Returns
        -------
        str

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> captioned = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse",
        ...                                                  "output": "svg", "caption": "A"})
        >>> len(figure.key()), figure.key() == captioned.key()
        (16, True)
        """
        ignored = {"caption", "align", "alt", "name"}
        if self.output.static:
            ignored.add("steps")  # one file per step, named by its index: shared by any selection
        data = {k: v for k, v in asdict(self).items() if k not in ignored}
        data["_version"] = __version__
        data["_code"] = code_fingerprint()
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @property
    def alt_text(self) -> str:
        """The alt text: the given one, or a sentence naming the expression and mode.

        Returns
        -------
        str

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> figure.alt_text
        'graphstep reverse walk through x * exp(x^2)'
        """
        return self.alt or f"graphstep {self.mode} walk through {self.expression}"

    def style(self) -> Style:
        """The :class:`graphstep.Style` of the pictures (the layout direction).

        Returns
        -------
        Style

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> figure.style().direction
        'auto'
        """
        return Style(direction="auto" if self.direction == "AUTO" else self.direction)

    def stepper(self):
        """Parse the expression at the values and build the stepper (all steps).

        Raises the :class:`~graphstep.errors.GraphstepError` that parsing, evaluating
        or stepping gives, with its message naming the sub-expression.

        Returns
        -------
        Stepper

        Raises
        ------
        GraphstepError
            The one that parsing, evaluating or stepping gives, its message naming the
            sub-expression; an :class:`~graphstep.errors.InputError` when ``wrt`` is not an input.

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> len(figure.stepper())
        5
        """
        g = parse(self.expression, **self.values())
        if self.wrt is not None and self.wrt not in g.inputs:
            raise InputError(f"wrt {self.wrt!r} is not an input of {self.expression!r} "
                             f"(inputs: {', '.join(g.inputs) or 'none'})")
        collapse = self.collapse or None
        if collapse is not None and collapse.isdigit():
            collapse = int(collapse)
        return steps(g, mode=self.mode, wrt=self.wrt, focus=self.focus or None, collapse=collapse,
                     expand=self.expand or None, hide_constants=self.hide_constants)

    def file_names(self, count: int) -> list[str]:
        """The names of the files :meth:`produce` writes for a walk of ``count`` steps.

        Parameters
        ----------
        count : int
            The number of steps of the walk.

        Returns
        -------
        list of str

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> [name[16:] for name in figure.file_names(5)]
        ['-4.svg']
        """
        key = self.key()
        if self.output.static:
            return [f"{key}-{k}.{self.output}" for k in self.step_indices(count)]
        return [f"{key}.{'html' if self.output is Output.PLAYER else 'gif'}"]

    def produce(self, directory: str | os.PathLike, stepper=None) -> list[Path]:
        """Write the output files into ``directory``, reusing those already there.

        Returns their paths. Files are written under a temporary name and renamed
        (:mod:`graphstep.export.files`), so parallel builds never see a half-written file.

        Parameters
        ----------
        directory : str or os.PathLike
            Where the files go.
        stepper : Stepper, optional
            The walk, when it is built already (default: :meth:`stepper`).

        Returns
        -------
        list of Path
            The files, in step order.

        Raises
        ------
        GraphstepError
            As :meth:`stepper`; a :class:`~graphstep.errors.WriteError` when a file cannot
            be written.

        Examples
        --------
        >>> figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "svg"})
        >>> import tempfile
        >>> [path.name[16:] for path in figure.produce(tempfile.mkdtemp())]
        ['-4.svg']
        """
        directory = Path(directory)
        stepper = stepper if stepper is not None else self.stepper()
        indices = self.step_indices(len(stepper))
        paths = [directory / name for name in self.file_names(len(stepper))]
        if all(p.exists() for p in paths):
            return paths
        if self.output.static:
            if len(indices) == 1:
                stepper.goto(indices[0])
                image.render(stepper, paths[0], style=self.style())
            else:
                frames = export.frames(stepper, fmt=self.output.value, style=self.style())
                atomic_write_all((path, frames[k]) for k, path in zip(indices, paths))
            return paths
        walk = _subset(stepper, indices)
        if self.output is Output.PLAYER:
            fragment = export.player_html(walk, style=self.style(), prefix=f"gsk{self.key()}")
            atomic_write(paths[0], fragment)
        else:
            export.to_gif(walk, paths[0], style=self.style())
        return paths


def _subset(stepper, indices: list[int]):
    """The stepper itself when every step is chosen, else one holding just those steps."""
    if indices == list(range(len(stepper))):
        return stepper
    return Stepper(stepper.graph, stepper.mode, stepper.wrt, [stepper.steps[k] for k in indices])
