"""Choosing steps of a walk by number or by name: the one reader of step numbers.

The command line (``render --step K``), the REPL (``goto N``) and the documentation
glue (``:steps: 0, 2, last``) all name steps the same way: a whole number, ``first``,
``last`` (or ``end``), and a negative number counting back from the end. They differ
only in where numbering starts (the terminal counts from 1, documentation pages from
0) and in how they word an error, so each caller turns the exceptions raised here into
its own message.

>>> step_index("2", 3), step_index("last", 3), step_index("-1", 3), step_index("0", 3, start=0)
(1, 2, 2, 0)
>>> parse_steps("0, 2, last", 5)
[0, 2, 4]
"""

from __future__ import annotations

import re

from graphstep.errors import InputError

__all__ = ["step_index", "parse_steps", "FIRST", "LAST"]

#: Words that name the first step.
FIRST = ("first",)
#: Words that name the last step.
LAST = ("last", "end")
#: Everything :func:`parse_steps` accepts besides step names: every step.
_ALL = "all"


def step_index(text: str, count: int, start: int = 1) -> int:
    """The 0-based index of the step that ``text`` names in a walk of ``count`` steps.

    Parameters
    ----------
    text : str
        A whole number (numbering starts at ``start``), ``first``, ``last`` or ``end``
        (any case), or a negative number: ``-1`` is the last step, ``-2`` the one before.
    count : int
        How many steps the walk has.
    start : int, optional
        The number of the first step: 1 for people at a terminal (the default), 0 for
        documentation pages.

    Returns
    -------
    int
        The index, from 0 to ``count - 1``.

    Raises
    ------
    ValueError
        When ``text`` is neither a whole number nor a step name.
    IndexError
        When the number names no step of the walk (the walk may have no steps).

    Examples
    --------
    >>> step_index("1", 4), step_index("first", 4), step_index("END", 4), step_index("-2", 4)
    (0, 0, 3, 2)
    >>> step_index("3", 3, start=0)
    Traceback (most recent call last):
    ...
    IndexError: step 3 is out of range: steps 0 to 2
    >>> step_index("two", 3)
    Traceback (most recent call last):
    ...
    ValueError: 'two' is not a step number
    """
    word = text.strip().lower()
    if word in FIRST:
        number = start
    elif word in LAST:
        number = start + count - 1
    else:
        try:
            number = int(word)
        except ValueError:
            raise ValueError(f"{text!r} is not a step number") from None
        if number < 0:
            number += count + start
    if not start <= number < start + count:
        raise IndexError(f"step {text.strip()} is out of range: steps {start} to {start + count - 1}")
    return number - start


def parse_steps(text: str | None, count: int, default: str = _ALL) -> list[int]:
    """Which steps to show: ``all``, or a list of steps such as ``0, 2, last`` (numbered from 0).

    Parameters
    ----------
    text : str or None
        ``all``, or step names separated by commas or spaces (brackets around the list
        are allowed); each is read by :func:`step_index` with numbering from 0, so
        negative numbers count from the end. None means ``default``.
    count : int
        How many steps the walk has.
    default : str, optional
        What ``None`` (or an empty text) means; ``"all"`` unless told otherwise.

    Returns
    -------
    list of int
        The 0-based indices, each once, in the order first named.

    Raises
    ------
    InputError
        When the walk has no steps, a name is not a step number, a number is out of
        range (the message says ``out of range`` and gives the range), or the text names
        no step at all.

    Examples
    --------
    >>> parse_steps("last", 5), parse_steps("0, 2, -1, last", 5), parse_steps(None, 3)
    ([4], [0, 2, 4], [0, 1, 2])
    >>> parse_steps("7", 3)
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: step 7 is out of range: this walk has 3 steps (0 .. 2)
    """
    spec = (text or default).strip().lower()
    if count <= 0:
        raise InputError("the walk has no steps to show")
    if spec == _ALL:
        return list(range(count))
    chosen = []
    for part in re.split(r"[,\s]+", spec.strip("[]() ")):
        if not part:
            continue
        try:
            chosen.append(step_index(part, count, start=0))
        except ValueError:
            raise InputError(f"steps {text!r}: expected all, last, first or step numbers, "
                             f"got {part!r}") from None
        except IndexError:
            raise InputError(f"step {int(part)} is out of range: this walk has {count} steps "
                             f"(0 .. {count - 1})") from None
    if not chosen:
        raise InputError(f"steps {text!r} names no step")
    return list(dict.fromkeys(chosen))  # each step once, in the order first named
