"""One-line messages for the terminal doors (the ``graphstep`` command and its REPL).

A message a user reads at a terminal is one line: an error, a bug report hint, a
warning. Both :mod:`graphstep.cli` and :mod:`graphstep.repl` write them through the
helpers here, so the REPL never needs the command-line module.

>>> one_line("two\\n  lines")
'two lines'
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

__all__ = ["one_line", "internal_error_text", "warnings_as_lines"]


def one_line(text: object) -> str:
    """``str(text)`` with every run of white space (new lines included) made one space.

    Parameters
    ----------
    text : object
        A message, an exception or a warning.

    Returns
    -------
    str
        The text on one line, without leading or trailing space.

    Examples
    --------
    >>> one_line(ValueError(" a\\n\\tb "))
    'a b'
    """
    return " ".join(str(text).split())


def internal_error_text(error: BaseException) -> str:
    """The one line that reports a bug in graphstep.

    Parameters
    ----------
    error : BaseException
        The exception graphstep did not expect.

    Returns
    -------
    str
        ``internal error: TYPE: MESSAGE; ...`` with the message cut at 500 characters.

    Examples
    --------
    >>> internal_error_text(ZeroDivisionError("oops"))
    'internal error: ZeroDivisionError: oops; please report it, run with --debug for the traceback'
    """
    reason = one_line(error)[:500] or "(no message)"
    return (f"internal error: {type(error).__name__}: {reason}; please report it, run with --debug "
            "for the traceback")


@contextmanager
def warnings_as_lines(stream: IO[str] | None = None) -> Iterator[Callable[[], None]]:
    """Record the warnings raised inside the block and write each as one line.

    Each warning becomes ``warning: MESSAGE`` on ``stream``, in the order raised, shown
    once per place in the code that raises it for the whole block (Python's ``default``
    action). The lines are written when the block ends (also when it raises, before
    the exception goes on) and whenever the block calls the function it is given, which
    writes the warnings recorded so far. Nothing process-wide is changed after the
    block: it is :class:`warnings.catch_warnings`.

    Parameters
    ----------
    stream : file-like, optional
        Where the lines go (default: ``sys.stderr`` as it is when they are written).

    Yields
    ------
    callable
        ``flush()``: write the warnings recorded so far now.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with warnings_as_lines(out) as flush:
    ...     warnings.warn("log of -1\\n is nan")
    ...     flush()
    ...     out.getvalue()
    'warning: log of -1 is nan\\n'
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")

        def flush() -> None:
            if not caught:
                return
            target = stream if stream is not None else sys.stderr
            for warning in caught:
                target.write(f"warning: {one_line(warning.message)}\n")
            target.flush()
            del caught[:]

        try:
            yield flush
        finally:
            flush()
