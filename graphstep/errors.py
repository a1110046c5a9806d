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
    """Base class of every error a user of graphstep can cause."""


class ParseError(GraphstepError):
    """The expression text is not something graphstep can read."""


class ShapeError(GraphstepError):
    """Operand shapes do not fit the operation (or the output is not scalar)."""


class DomainError(GraphstepError):
    """An operation was applied outside its domain (``strict=True``)."""


class DomainWarning(UserWarning):
    """An operation left its domain; the value became nan or inf."""


class PathLimitError(GraphstepError):
    """Too many paths to enumerate; the message gives the exact count."""


class SizeLimitError(GraphstepError):
    """A dense matrix or a raster image would be too large to build."""


class InputError(GraphstepError):
    """An input name or value is unknown, duplicated or malformed."""


class RenderError(GraphstepError):
    """A picture could not be produced (for example no Graphviz executable)."""


class WriteError(GraphstepError, OSError):
    """An output file could not be written; the old file, if any, is left as it was.

    An :class:`OSError` too (``errno``, ``strerror``, ``filename`` = the target path).

    >>> import errno
    >>> print(WriteError(errno.ENOSPC, "No space left on device", "keep.png"))
    cannot write keep.png: No space left on device
    """

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"
