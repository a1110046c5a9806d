"""How pictures look: :class:`Style` (display options), :class:`Look` (one kind's
colours), the default style table and the layout directions.

>>> Style(direction="BT", precision=3).look(LookKind.INPUT).fill
'#d0ebff'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graphstep.errors import InputError

__all__ = [
    "Direction",
    "DIRECTIONS",
    "AUTO",
    "LookKind",
    "Look",
    "DEFAULT_LOOKS",
    "ADJOINT_COLOR",
    "TANGENT_COLOR",
    "EXPR_COLOR",
    "UNKNOWN_COLOR",
    "Style",
    "with_direction",
]


class Direction(str, Enum):
    """A layout direction (Graphviz ``rankdir``); each value equals its public string.

    Attributes
    ----------
    LR, RL, TB, BT : Direction
        Inputs on the left, right, top or bottom (as in the lecture slides); ``"auto"``
        (:data:`AUTO`, the default of :class:`Style`) chooses one per graph.

    Examples
    --------
    >>> Direction("BT") is Direction.BT, f"{Direction.LR}"
    (True, 'LR')
    """

    LR = "LR"  # inputs left
    RL = "RL"
    TB = "TB"
    BT = "BT"  # inputs at the bottom, as in the lecture slides

    __str__ = str.__str__
    __format__ = str.__format__


#: The layout directions, in the order error messages list them.
DIRECTIONS = tuple(d.value for d in Direction)
#: The default direction: chosen per graph by :func:`graphstep.render.direction.auto_direction`
#: (left to right while the picture stays at most 3 times as wide as high, else bottom to top).
AUTO = "auto"


class LookKind(str, Enum):
    """A row of the style table; each value equals the public string users key looks by.

    Node kinds: ``input``, ``const``, ``op``, ``output``; ``focus`` is a highlighted
    node and ``main`` the node a step computes. Edge kinds: ``edge`` (from a value that
    depends on an input), ``inactive`` (from a constant), ``focus-edge`` (highlighted).

    Attributes
    ----------
    INPUT, CONST, OP, OUTPUT, FOCUS, MAIN : LookKind
        The node kinds.
    EDGE, INACTIVE, FOCUS_EDGE : LookKind
        The edge kinds.

    Examples
    --------
    >>> LookKind.FOCUS_EDGE == "focus-edge", f"gs-{LookKind.INPUT}"
    (True, 'gs-input')
    """

    INPUT = "input"
    CONST = "const"
    OP = "op"
    OUTPUT = "output"
    FOCUS = "focus"
    MAIN = "main"
    EDGE = "edge"
    INACTIVE = "inactive"
    FOCUS_EDGE = "focus-edge"

    __str__ = str.__str__
    __format__ = str.__format__


@dataclass(frozen=True)
class Look:
    """How one kind of node or edge is drawn: fill, outline, pen width, text colour.

    Parameters
    ----------
    fill : str
        The fill colour.
    stroke : str
        The outline (or edge) colour.
    penwidth : float
        The outline (or edge) width.
    fontcolor : str
        The text colour.

    Examples
    --------
    >>> Look(fill="#123456").stroke
    '#495057'
    """

    fill: str = "white"
    stroke: str = "#495057"
    penwidth: float = 1.2
    fontcolor: str = "#212529"


#: The style table by kind (see :class:`LookKind`), keyed by the kinds' public strings.
DEFAULT_LOOKS: dict[str, Look] = {
    "input": Look(fill="#d0ebff", stroke="#1864ab", penwidth=1.4),
    "const": Look(fill="#f1f3f5", stroke="#adb5bd", penwidth=1.0, fontcolor="#495057"),
    "op": Look(fill="#ffffff", stroke="#495057", penwidth=1.2),
    "output": Look(fill="#fff3bf", stroke="#e67700", penwidth=2.2),
    "focus": Look(fill="#ffe3e3", stroke="#e03131", penwidth=3.2),
    "main": Look(fill="#ffc9c9", stroke="#c92a2a", penwidth=4.2),
    "edge": Look(stroke="#495057", penwidth=1.2, fontcolor="#212529"),
    "inactive": Look(stroke="#ced4da", penwidth=1.0, fontcolor="#868e96"),
    "focus-edge": Look(stroke="#e03131", penwidth=3.2, fontcolor="#c92a2a"),
}

#: Colours of the annotation rows.
ADJOINT_COLOR = "#c92a2a"
TANGENT_COLOR = "#1864ab"
EXPR_COLOR = "#868e96"
UNKNOWN_COLOR = "#adb5bd"


@dataclass(frozen=True)
class Style:
    """Display options of a picture (all have sensible defaults).

    Parameters
    ----------
    direction : ``"auto"`` (the default: left to right unless the picture would be a long
        strip, then bottom to top; see :mod:`graphstep.render.direction`), ``"LR"``
        (inputs left), ``"BT"`` (inputs at the bottom, as in the lecture slides),
        ``"TB"`` or ``"RL"``.
    values, expressions, locals, adjoints, tangents : show these annotations.
    edge_names : write edge formulas as ``∂u₂/∂u₁ = exp(u₁)`` rather than ``exp(u₁)``.
    constant_edges : label the (always irrelevant) derivatives with respect to constants.
    grad : for a picture without a step, also show every node's adjoint.
    precision : significant digits of numbers.
    inline_size : arrays with at most this many entries are written out in full.
    fontname, fontsize : the text font (DejaVu Sans draws ∂ ⊙ ⊗ ᵀ ₁).
    looks : the style table by kind (see :data:`DEFAULT_LOOKS`); a partial mapping
        overrides only the kinds it names.

    Raises
    ------
    InputError
        For an unknown direction or look kind, or a precision outside 1 to 17.

    Examples
    --------
    >>> Style(direction="BT").direction
    'BT'
    """

    direction: str = AUTO
    values: bool = True
    expressions: bool = True
    locals: bool = True
    adjoints: bool = True
    tangents: bool = True
    edge_names: bool = True
    constant_edges: bool = False
    grad: bool = False
    precision: int = 4
    inline_size: int = 6
    fontname: str = "DejaVu Sans"
    fontsize: float = 14.0
    looks: Any = field(default_factory=dict)

    def __post_init__(self):
        if self.direction != AUTO and self.direction not in DIRECTIONS:
            raise InputError(
                f"direction must be one of {AUTO}, {', '.join(DIRECTIONS)}, got {self.direction!r}")
        if not isinstance(self.precision, int) or not 1 <= self.precision <= 17:
            raise InputError(f"precision must be an integer from 1 to 17, got {self.precision!r}")
        looks = dict(DEFAULT_LOOKS)
        given = dict(self.looks or {})
        unknown = set(given) - set(DEFAULT_LOOKS)
        if unknown:
            raise InputError(
                f"unknown look kind(s) {sorted(unknown)}; the kinds are {sorted(DEFAULT_LOOKS)}")
        looks.update(given)
        object.__setattr__(self, "looks", tuple(sorted(looks.items())))

    def look(self, kind: str) -> Look:
        """The :class:`Look` of a kind (``input``, ``op``, ``focus``, ``edge``, ...).

        Parameters
        ----------
        kind : str or LookKind
            A kind of node or edge.

        Returns
        -------
        Look

        Raises
        ------
        KeyError
            For an unknown kind (the constructor checks the kinds of ``looks``).

        Examples
        --------
        >>> Style().look("main").penwidth
        4.2
        """
        return dict(self.looks)[kind]


def with_direction(style: Style, direction: str | None) -> Style:
    """``style`` with layout ``direction`` (None or ``"auto"``: unchanged); checked as Style does.

    Parameters
    ----------
    style : Style
    direction : {"auto", "LR", "RL", "TB", "BT"} or None

    Returns
    -------
    Style

    Raises
    ------
    InputError
        For any other direction.

    Examples
    --------
    >>> with_direction(Style(), "TB").direction, with_direction(Style(direction="BT"), "auto").direction
    ('TB', 'BT')
    """
    if direction is None or direction == AUTO:
        return style
    if not isinstance(direction, str) or (direction != AUTO and direction not in DIRECTIONS):
        raise InputError(f"direction must be one of auto, {', '.join(DIRECTIONS)}, got {direction!r}")
    return dataclasses.replace(style, direction=direction)
