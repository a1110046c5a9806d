"""The one set of text formatters: numbers, shapes, values, Unicode math and labels.

Every text graphstep shows is made here, so one concept is written one way everywhere: a
number (:func:`number`), a shape (:func:`shape_text`: ``3×2``; ``3x2`` only in error
messages), a value for a picture (:func:`format_value`), a sentence (:func:`describe_value`),
a report (:func:`print_value`, :func:`inline_value`) or a ``repr`` (:func:`repr_value`), a
structured Jacobian (:func:`jacobian_text`), Unicode math (:func:`pretty`, :func:`subscript`,
:func:`superscript`) and an adjoint's name (:func:`overline`).

This module sits at the bottom of the package: it imports nothing from graphstep but
:mod:`graphstep.errors`. A structured Jacobian is recognised by its attributes.

>>> number(9.487735836358526), shape_text((3, 2)), pretty("u12^2 * x")
('9.488', '3×2', 'u₁₂²·x')
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from enum import Enum
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "ASCII_TIMES",
    "EXPR_LIMIT",
    "JacobianLike",
    "WordEnum",
    "SUBSCRIPTS",
    "SUPERSCRIPTS",
    "subscript",
    "superscript",
    "pretty",
    "overline",
    "ellipsize",
    "number",
    "shape_text",
    "shape_paren",
    "jacobian_text",
    "format_value",
    "format_local",
    "describe_value",
    "print_value",
    "inline_value",
    "repr_value",
    "table",
]

#: The sign between sizes in error messages (``3x2``); everything else writes ``3×2``.
ASCII_TIMES = "x"

#: Longest sub-expression text kept on a node (longer ones are cut with ``…``).
EXPR_LIMIT = 80

#: Digits to subscripts (``str.translate`` table).
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: Digits and the minus sign to superscripts (``str.translate`` table).
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@runtime_checkable
class JacobianLike(Protocol):
    """What the formatters read of a structured Jacobian (``graphstep.ops.jacobians.Jacobian``).

    Attributes
    ----------
    formula : str
        The derivative as text.
    kind : str
        Its structure (``diagonal``, ``kronecker``...).
    out_shape, in_shape : tuple of int
        The shapes of the output and of the input.
    shape : tuple of int
        ``(output size, input size)``.

    Examples
    --------
    >>> from graphstep.ops.jacobians import Diagonal
    >>> import numpy as np
    >>> isinstance(Diagonal(np.ones(2), "diag(x)"), JacobianLike), isinstance(2.0, JacobianLike)
    (True, False)
    """

    formula: str
    kind: str
    out_shape: tuple[int, ...]
    in_shape: tuple[int, ...]
    shape: tuple[int, int]


class WordEnum(str, Enum):
    """An Enum whose members equal, print and format as their (public) string values.

    The base of the choices users may also pass as words (modes, step kinds, outputs).

    Parameters
    ----------
    value : str
        A member's word: ``Mode("reverse")`` is ``Mode.REVERSE``.

    Examples
    --------
    >>> class Colour(WordEnum):
    ...     RED = "red"
    >>> Colour.RED == "red", str(Colour.RED), f"{Colour.RED:>5}", Colour("red") is Colour.RED
    (True, 'red', '  red', True)
    """

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


def _is_jacobian(value: Any) -> bool:
    return not isinstance(value, (float, int, np.ndarray)) and hasattr(value, "in_shape")


# --- Unicode math and labels ------------------------------------------------------------

def subscript(text: str) -> str:
    """The digits of ``text`` as subscripts.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> "u" + subscript("12")
    'u₁₂'
    """
    return text.translate(SUBSCRIPTS)


def superscript(text: str) -> str:
    """The digits and minus signs of ``text`` as superscripts.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> "x" + superscript("-2")
    'x⁻²'
    """
    return text.translate(SUPERSCRIPTS)


_LETTER = "A-Za-z\u00c0-\u024f"  # ASCII and accented Latin letters (ū, x̄ = x + macron)
# A name and index (u12, w1_0_2, I_4, K_5,3); not log2(, not a1.5, not inside a word or number.
_INDEXED = re.compile(
    rf"(?<![{_LETTER}0-9_.])([{_LETTER}]+[\u0300-\u036f]?)"
    rf"(\d+(?:_\d+)*|_\d+(?:[_,]\d+)*)(?![{_LETTER}0-9_(]|\.\d)")
_ONES = re.compile(r"(?<![\w.])1_(\d+)(?:x(\d+))?(?![A-Za-z0-9_(])")  # the all-ones vector 1_4, 1_4x2
_TRANSPOSE = re.compile(r"(?<=[\w)\]\u2080-\u2089])\.T(?![\w(])")  # A.T -> Aᵀ
_POWER = re.compile(r"\^(\d+)(?!\d|\.\d)")
_TIMES = re.compile(r"\s*\*\s*")


@functools.lru_cache(maxsize=1 << 16)  # a pure function of its text; pictures ask again and again
def pretty(text: str) -> str:
    """Unicode math for display: ``u12`` -> ``u₁₂``, ``x^2`` -> ``x²``, ``*`` -> ``·``.

    Parameters
    ----------
    text : str
        Plain text, as :meth:`graphstep.Graph.expr` and the step sentences write it.

    Returns
    -------
    str

    Examples
    --------
    >>> pretty("x * exp(u1^2) + ū3")
    'x·exp(u₁²) + ū₃'
    >>> pretty("u7 = u5 + u6. W1.T, w1_0_2, I_4 ⊗ X, K_5,3 and 1_4")
    'u₇ = u₅ + u₆. W₁ᵀ, w₁,₀,₂, I₄ ⊗ X, K₅,₃ and 1₄'
    """
    text = _INDEXED.sub(lambda m: m.group(1) + subscript(m.group(2).lstrip("_").replace("_", ",")), text)
    text = _ONES.sub(lambda m: "1" + subscript(m.group(1) + f"ₓ{m.group(2)}" * bool(m.group(2))), text)
    text = _TRANSPOSE.sub("ᵀ", text)
    text = _POWER.sub(lambda m: superscript(m.group(1)), text)
    return _TIMES.sub("·", text)


def overline(label: str) -> str:
    """An adjoint's name in bar notation: ``x̄``, ``ū1``, ``W̄1``, ``w̄0_1_2`` (a letter and
    its indices: the bar on the letter); a longer name is overlined whole (``b̅o̅``).

    Parameters
    ----------
    label : str
        A node's label.

    Returns
    -------
    str
        NFC-normalised, so ``x̄`` is one character where Unicode has one.

    Examples
    --------
    >>> overline("u1"), overline("x"), overline("w0_1_2"), len(overline("bo"))
    ('ū1', 'x̄', 'w̄0_1_2', 4)
    """
    if len(label) == 1 or all(ch.isdigit() or ch == "_" for ch in label[1:]):  # u1, w0_1_2
        return unicodedata.normalize("NFC", label[0] + "\u0304" + label[1:])
    return "".join(ch + "\u0305" for ch in label)


def ellipsize(text: str, limit: int = 40) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``…`` when cut.

    Parameters
    ----------
    text : str
    limit : int

    Returns
    -------
    str

    Examples
    --------
    >>> ellipsize("abcdef", 4), ellipsize("abc", 4)
    ('abc…', 'abc')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- numbers and shapes -----------------------------------------------------------------

def number(x: Any, precision: int = 4) -> str:
    """A real number to ``precision`` significant digits; zero (also ``-0``) is ``0``.

    Parameters
    ----------
    x : float
        Anything ``float()`` accepts (a 0-d array too).
    precision : int

    Returns
    -------
    str

    Examples
    --------
    >>> number(52.18251), number(-0.0), number(float("-inf")), number(1 / 3, 2)
    ('52.18', '0', '-inf', '0.33')
    """
    x = float(x)
    if x == 0:
        return "0"
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{precision}g}"


def shape_text(shape: tuple[int, ...], times: str = "×") -> str:
    """A shape: ``3×2``, ``(3,)`` or ``scalar``. What a reader sees writes ``×``; error
    messages pass ``times=ASCII_TIMES`` (``3x2``): plain text to type, grep and match.

    Parameters
    ----------
    shape : tuple of int
    times : str
        The sign between sizes: ``"×"`` (the default) or ``"x"`` (:data:`ASCII_TIMES`).

    Returns
    -------
    str

    Examples
    --------
    >>> shape_text((3, 2)), shape_text((3,)), shape_text(()), shape_text((4, 3), times="x")
    ('3×2', '(3,)', 'scalar', '4x3')
    """
    if shape == ():
        return "scalar"
    if len(shape) == 1:
        return f"({shape[0]},)"
    return times.join(str(n) for n in shape)


def shape_paren(shape: tuple[int, ...], times: str = "×") -> str:
    """A shape in parentheses after a name, without doubling them: ``W (3×2)``, ``v (3,)``.

    Parameters
    ----------
    shape : tuple of int
    times : str
        As in :func:`shape_text`.

    Returns
    -------
    str

    Examples
    --------
    >>> shape_paren((3, 2)), shape_paren((3,)), shape_paren(()), shape_paren((3, 2), "x")
    ('(3×2)', '(3,)', '(scalar)', '(3x2)')
    """
    text = shape_text(tuple(shape), times)
    return text if text.startswith("(") else f"({text})"


def jacobian_text(jacobian: JacobianLike, formula: bool = True) -> str:
    """A structured Jacobian by its formula and shapes, ``diag(x) ((3,) ← (3,))``, or
    by its shapes alone, ``[(3,)←(3,)]``.

    Parameters
    ----------
    jacobian : JacobianLike
    formula : bool
        Whether to write the formula (sentences, reports) or the shapes only (one-line
        cells).

    Returns
    -------
    str

    Examples
    --------
    >>> from graphstep.ops.jacobians import Diagonal
    >>> d = Diagonal(np.ones(3), "diag(x)")
    >>> jacobian_text(d), jacobian_text(d, formula=False)
    ('diag(x) ((3,) ← (3,))', '[(3,)←(3,)]')
    """
    out, into = shape_text(jacobian.out_shape), shape_text(jacobian.in_shape)
    if formula:
        return f"{jacobian.formula} ({out} ← {into})"
    return f"[{out}←{into}]"


# --- values -----------------------------------------------------------------------------

def format_value(value: Any, precision: int = 4, inline_size: int = 6) -> str:
    """A value for a picture: numbers to ``precision`` digits, small arrays in full,
    large ones as shape and range; a structured Jacobian as :func:`format_local`.

    Parameters
    ----------
    value : float, array, JacobianLike or None
    precision : int
        Significant digits.
    inline_size : int
        Arrays (of at most two dimensions) with at most this many entries are written out.

    Returns
    -------
    str
        ``""`` for None.

    Examples
    --------
    >>> format_value(9.487735836358526)
    '9.488'
    >>> format_value(np.array([[1.0, 2.0], [3.0, 4.5]]))
    '[[1, 2], [3, 4.5]]'
    >>> format_value(np.arange(12.0).reshape(4, 3))
    '4×3 in [0, 11]'
    """
    if value is None:
        return ""
    if _is_jacobian(value):
        return format_local(value, precision)
    array = np.asarray(value)
    if array.ndim == 0:
        return number(array, precision)
    if array.size <= inline_size and array.ndim <= 2:
        if array.ndim == 1:
            return "[" + ", ".join(number(v, precision) for v in array) + "]"
        return "[" + ", ".join(
            "[" + ", ".join(number(v, precision) for v in row) + "]" for row in array) + "]"
    shape = shape_text(array.shape, times="×")
    if array.size == 0:
        return f"{shape} (empty)"
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return f"{shape}, no finite entries"
    low, high = number(finite.min(), 3), number(finite.max(), 3)
    text = f"{shape} in [{low}, {high}]"
    if finite.size < array.size:
        text += f", {array.size - finite.size} nan/inf"
    return text


def format_local(local: Any, precision: int = 4) -> str:
    """The value of a local derivative for a picture: a number, or a Jacobian's size and
    structure.

    Parameters
    ----------
    local : float, array or JacobianLike
    precision : int
        Significant digits of numbers.

    Returns
    -------
    str

    Examples
    --------
    >>> format_local(3.0)
    '3'
    >>> from graphstep.ops.jacobians import Diagonal
    >>> format_local(Diagonal(np.ones(3), "diag(x)"))
    '3×3 diagonal'
    """
    if _is_jacobian(local):
        rows, cols = local.shape
        return f"{rows}×{cols} {local.kind}"
    return format_value(local, precision)


def describe_value(value: Any, compact: bool = False) -> str:
    """A value for a step's sentence: a number, a small array inline, or shape and range.

    Parameters
    ----------
    value : float, array, JacobianLike or None
    compact : bool
        The short form of the terminal table (``4×3 in [-1.3, 0.91]``).

    Returns
    -------
    str
        ``"—"`` for None.

    Examples
    --------
    >>> describe_value(52.18251), describe_value(np.array([1.0, 2.5]))
    ('52.18', '(2,) [1, 2.5]')
    >>> describe_value(np.arange(12.0).reshape(4, 3))
    '4×3 array, entries from 0 to 11'
    >>> describe_value(np.arange(12.0).reshape(4, 3), compact=True)
    '4×3 in [0, 11]'
    """
    if value is None:
        return "—"
    if _is_jacobian(value):
        return jacobian_text(value)
    if np.ndim(value) == 0:
        return number(value)
    a = np.asarray(value, dtype=float)
    shape = shape_text(a.shape)
    if a.size == 0:
        return f"{shape} (empty)"
    if a.size <= (3 if compact else 6):
        body = np.array2string(a, separator=", ", formatter={"float_kind": number})
        return f"{shape} {' '.join(body.split())}"
    finite = a[np.isfinite(a)]
    bad = "" if finite.size == a.size else f", {a.size - finite.size} not finite"
    if finite.size == 0:
        return f"{shape} array, no finite entry"
    low, high = number(finite.min()), number(finite.max())
    if compact:
        return f"{shape} = {low}{bad}" if low == high else f"{shape} in [{low}, {high}]{bad}"
    if low == high:
        return f"{shape} array, every entry {low}{bad}"
    return f"{shape} array, entries from {low} to {high}{bad}"


def print_value(value: Any, indent: int = 0) -> str:
    """A value for a report: a float as ``%.6g``, an array with numpy's printer
    (rounded, summarised when large).

    Parameters
    ----------
    value : float, array, JacobianLike or None
    indent : int
        Every line of a multi-line array after the first is indented by this many spaces.

    Returns
    -------
    str
        ``"-"`` for None.

    Examples
    --------
    >>> print_value(52.18251)
    '52.1825'
    >>> print(print_value(np.arange(4.0).reshape(2, 2)))
    [[0. 1.]
     [2. 3.]]
    """
    if value is None:
        return "-"
    if _is_jacobian(value):
        return jacobian_text(value)
    if np.ndim(value) == 0:
        return f"{float(value):.6g}"
    text = np.array2string(np.asarray(value, dtype=float), precision=6, suppress_small=True,
                           threshold=120, edgeitems=3, max_line_width=100)
    return text.replace("\n", "\n" + " " * indent)


def inline_value(value: Any, limit: int = 6) -> str:
    """A value on one line: a number, a short array, or its shape and norm.

    Parameters
    ----------
    value : float, array, JacobianLike or None
    limit : int
        Arrays with at most this many entries are written out.

    Returns
    -------
    str
        ``"-"`` for None.

    Examples
    --------
    >>> inline_value(np.array([1.0, 2.5])), inline_value(np.ones((3, 3)))
    ('[1, 2.5]', '3×3 array, |·| = 3')
    """
    if value is None:
        return "-"
    if _is_jacobian(value):
        return jacobian_text(value, formula=False)
    if np.ndim(value) == 0:
        return f"{float(value):.6g}"
    array = np.asarray(value, dtype=float)
    if array.size <= limit:
        return _nested(array.tolist())
    return f"{shape_text(array.shape)} array, |·| = {np.linalg.norm(array):.6g}"


def _nested(x: Any) -> str:
    return "[" + ", ".join(_nested(y) for y in x) + "]" if isinstance(x, list) else f"{x:.6g}"


def repr_value(value: Any) -> str:
    """A value in a ``repr``: a number as ``%.6g``, a small array in full, a larger one
    by its shape.

    Parameters
    ----------
    value : float or array

    Returns
    -------
    str

    Examples
    --------
    >>> repr_value(1 / 3), repr_value(np.array([1.0, 2.5])), repr_value(np.ones((3, 3)))
    ('0.333333', '[1. , 2.5]', 'array 3×3')
    """
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=4, separator=", ")
        return f"array {shape_text(value.shape)}"
    return f"{value:.6g}"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...], indent: str = "  ") -> str:
    """Left-aligned columns, two spaces apart, under a header.

    Parameters
    ----------
    rows : list of tuple of str
        The cells, row by row.
    header : tuple of str
        One title per column.
    indent : str, optional
        Put before every line (two spaces by default).

    Returns
    -------
    str
        The lines, without trailing spaces.

    Examples
    --------
    >>> print(table([("1", "x")], ("#", "name")))
      #  name
      1  x
    """
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(indent + "  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                     for line in lines)
