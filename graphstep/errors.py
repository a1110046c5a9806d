"""The exceptions and warnings graphstep raises.

Every error a user can cause is a :class:`GraphstepError`; its message names the
sub-expression involved and the shapes or values that made it fail.

>>> import graphstep as gs
>>> try:
...     gs.parse("W @ v", W=[[1.0, 2.0]], v=[1.0, 2.0, 3.0])
... except gs.GraphstepError as error:
...     print(type(error).__name__, error)
ShapeError matmul: W (1x2) @ v (3,): inner dimensions 2 and 3 differ (at column 1)
>>> issubclass(gs.ParseError, gs.GraphstepError), issubclass(gs.DomainWarning, UserWarning)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "GraphstepError",
    "ParseError",
    "ShapeError",
    "DomainError",
    "DomainWarning",
    "PathLimitError",
    "SizeLimitError",
    "RenderError",
    "InputError",
    "WriteError",
]


class GraphstepError(Exception):
    """Base class of every error a user of graphstep can cause.

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.parse("x +", x=1.0)
    ... except gs.GraphstepError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    cannot read 'x +' at column ...
    >>> issubclass(ParseError, GraphstepError), issubclass(DomainWarning, GraphstepError)
    (True, False)
    """


class ParseError(GraphstepError):
    """The expression text is not something graphstep can read.

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.parse("x + * y", x=1.0, y=1.0)
    ... except gs.ParseError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    cannot read 'x + * y' at column 5: a starred argument is not allowed in an expression...
    """


class ShapeError(GraphstepError):
    """Operand shapes do not fit the operation (or the output is not scalar).

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> try:
    ...     gs.parse("A @ B", A=np.ones((2, 3)), B=np.ones((2, 3)))
    ... except gs.ShapeError as error:
    ...     print(error)
    matmul: A (2x3) @ B (2x3): inner dimensions 3 and 2 differ (at column 1)
    """


class DomainError(GraphstepError):
    """An operation was applied outside its domain (``strict=True``).

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.parse("log(x)", x=-1.0, strict=True)
    ... except gs.DomainError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    log(x) (u1) is nan for x = -1: log is not defined there, ...
    """


class DomainWarning(UserWarning):
    """An operation left its domain; the value became nan or inf.

    Parameters
    ----------
    *args
        The message, as for :class:`Warning`.

    Examples
    --------
    >>> import warnings, graphstep as gs
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     g = gs.parse("log(x)", x=-1.0)
    >>> caught[0].category is gs.DomainWarning, g.value
    (True, nan)
    """


class PathLimitError(GraphstepError):
    """Too many paths to enumerate; the message gives the exact count.

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.paths(gs.parse("x*x*x*x", x=1.0), "x", limit=2)
    ... except gs.PathLimitError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    x*x*x*x has 4 paths back to x, more than the limit of 2; ...
    """


class SizeLimitError(GraphstepError):
    """A dense matrix or a raster image would be too large to build.

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.ops.jacobians import Dense
    >>> try:
    ...     Dense(np.zeros((3000, 3000)), (3000,), (3000,), "W").dense()
    ... except gs.SizeLimitError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    the Jacobian W is 3000x3000 = 9,000,000 entries, more than the dense limit of 4,000,000; ...
    """


class InputError(GraphstepError):
    """An input name or value is unknown, duplicated or malformed.

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.parse("x", x=1.0).input_node("z")
    ... except gs.InputError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    no input named 'z'; the inputs are: x
    """


class RenderError(GraphstepError):
    """A picture could not be produced (for example no Graphviz executable).

    Parameters
    ----------
    *args
        The message, as for :class:`Exception` (``str(error)`` is it).

    Examples
    --------
    >>> import graphstep as gs
    >>> try:
    ...     gs.render(gs.parse("x", x=1.0), "picture.xyz")
    ... except gs.RenderError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    cannot tell the picture format of 'picture.xyz': use one of ...
    """


class WriteError(GraphstepError, OSError):
    """An output file could not be written; the old file, if any, is left as it was.

    An :class:`OSError` too (``errno``, ``strerror``, ``filename`` = the target path).

    Parameters
    ----------
    errno : int
        The error number (:mod:`errno`).
    strerror : str
        What went wrong.
    filename : str
        The file that was to be written.

    Examples
    --------
    >>> import errno
    >>> print(WriteError(errno.ENOSPC, "No space left on device", "keep.png"))
    cannot write keep.png: No space left on device
    """

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"
