"""Writing a walk's files where the user names them: frames, a player, a GIF or an APNG.

``graphstep steps -o OUT`` and the REPL's ``save OUT`` both pick what to write from the
name: a folder (a name ending in a slash, or without a suffix, or an existing folder)
gets numbered frames, ``.html`` a self-contained player, ``.gif`` an animated GIF and
``.apng`` (or ``.png``) an animated PNG. Both fail before any work when the place
cannot be written.

>>> [str(steps_output_kind(p)) for p in ("frames/", "out", "p.html", "a.GIF", "a.apng")]
['frames', 'frames', 'html', 'gif', 'apng']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphstep.errors import InputError
from graphstep.export import svg as export
from graphstep.export.files import output_path
from graphstep.text import WordEnum

__all__ = ["StepsOutput", "steps_output_kind", "write_steps", "check_writable_file",
           "check_writable_directory"]


class StepsOutput(WordEnum):
    """What a walk is written as; each value equals the word used for it.

    Attributes
    ----------
    FRAMES : StepsOutput
        One numbered picture per step.
    HTML : StepsOutput
        The self-contained step player.
    GIF, APNG : StepsOutput
        An animation.
    BEAMER : StepsOutput
        Beamer slides (``.tex``): one frame, one overlay per step.

    Examples
    --------
    >>> str(StepsOutput.HTML), StepsOutput("gif") is StepsOutput.GIF
    ('html', True)
    """

    FRAMES = "frames"
    HTML = "html"
    GIF = "gif"
    APNG = "apng"
    BEAMER = "beamer"


_SUFFIXES = {".html": StepsOutput.HTML, ".htm": StepsOutput.HTML, ".gif": StepsOutput.GIF,
             ".apng": StepsOutput.APNG, ".png": StepsOutput.APNG, ".tex": StepsOutput.BEAMER}


def steps_output_kind(path: str | os.PathLike) -> StepsOutput:
    """What writing a walk to ``path`` makes, judged from the name.

    Parameters
    ----------
    path : str or path-like
        The output name as the user gave it (a trailing slash names a folder).

    Returns
    -------
    StepsOutput
        ``FRAMES`` for a folder (a trailing slash, an existing folder or a name without
        a suffix), else ``HTML``, ``GIF`` or ``APNG`` by the suffix. Each equals its
        word: ``steps_output_kind("a.gif") == "gif"``.

    Raises
    ------
    InputError
        For a suffix that names nothing graphstep writes, and for a name with a file
        suffix and a trailing slash (``anim.gif/``), which is ambiguous.

    Examples
    --------
    >>> steps_output_kind("player.HTML") == "html", steps_output_kind("a.png") == "apng"
    (True, True)
    >>> steps_output_kind("a.txt")
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: cannot tell what to write to 'a.txt' from its suffix '.txt': \
use a directory (frames), .html (player), .gif, .apng or .tex (Beamer slides)
    """
    path = os.fspath(path)
    if path.endswith(("/", os.sep)):
        if Path(path).suffix.lower() in _SUFFIXES and not Path(path).is_dir():
            raise InputError(
                f"{path!r} ends with a slash, which names a folder of frames, but its suffix "
                f"{Path(path).suffix!r} names a file: remove the slash to write the file, or "
                "choose a folder name without that suffix")
        return StepsOutput.FRAMES
    if Path(path).is_dir():
        return StepsOutput.FRAMES
    suffix = Path(path).suffix.lower()
    if not suffix:
        return StepsOutput.FRAMES
    if suffix not in _SUFFIXES:
        raise InputError(
            f"cannot tell what to write to {path!r} from its suffix {suffix!r}: use a directory "
            "(frames), .html (player), .gif, .apng or .tex (Beamer slides)"
        )
    return _SUFFIXES[suffix]


def check_writable_directory(path: str | os.PathLike) -> None:
    """Fail early unless ``path`` is, or can be made as, a writable folder.

    Parameters
    ----------
    path : str or path-like
        The folder; missing parents are fine when the nearest existing one is writable.

    Raises
    ------
    NotADirectoryError
        When the nearest existing part of ``path`` is a file.
    PermissionError
        When that part cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> check_writable_directory(Path(tempfile.mkdtemp()) / "new" / "frames")
    """
    existing = Path(os.path.abspath(path))
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(20, "not a directory", str(existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise PermissionError(13, "permission denied", str(existing))


def check_writable_file(path: str | os.PathLike) -> Path:
    """Fail early, before any work, when the file ``path`` cannot be written.

    Parameters
    ----------
    path : str or path-like
        The file to write; missing parent folders may be made later.

    Returns
    -------
    Path
        The path to write (see :func:`graphstep.export.files.output_path`).

    Raises
    ------
    InputError
        For a name ending in a slash (it names a folder).
    WriteError
        For an existing folder of that name.
    NotADirectoryError, PermissionError
        When the file's folder cannot be made or written (see :func:`check_writable_directory`).

    Examples
    --------
    >>> import tempfile
    >>> check_writable_file(Path(tempfile.mkdtemp()) / "player.html").name
    'player.html'
    """
    target = output_path(path)
    check_writable_directory(target.parent)
    return target


def write_steps(stepper: Any, path: str | os.PathLike, fmt: str = "svg", style: Any = None,
                duration: int | None = None) -> list[Path]:
    """Write ``stepper`` to ``path`` as frames, a player, a GIF or an APNG (by the name).

    Parameters
    ----------
    stepper : Stepper
        The walk (what :func:`graphstep.steps` returns).
    path : str or path-like
        Where to write; :func:`steps_output_kind` says what (a folder's name as a
        string may end in a slash).
    fmt : str, optional
        The frames' format, ``"svg"`` (default), ``"svgz"`` (gzip-compressed SVG), ``"png"``
        or ``"tikz"``; used for a folder only.
    style : Style, optional
        How the pictures look (:class:`graphstep.Style`; default: the stepper's own).
    duration : int, optional
        Milliseconds per frame of a GIF or APNG (default: the exporter's).

    Returns
    -------
    list of Path
        The files written: every frame for a folder, else the one file.

    Raises
    ------
    InputError
        For a name that says nothing graphstep writes (see :func:`steps_output_kind`).
    WriteError, OSError
        When a file cannot be written; a file is replaced only when complete.

    Examples
    --------
    >>> import tempfile, graphstep as gs
    >>> walk = gs.steps(gs.parse("x * y", x=2.0, y=3.0), "paths")
    >>> [p.name for p in write_steps(walk, tempfile.mkdtemp() + "/walk.html")]
    ['walk.html']
    """
    kind = steps_output_kind(path)
    timing = {} if duration is None else {"duration": duration}
    if kind is StepsOutput.FRAMES:
        check_writable_directory(path)
        if fmt == "tikz":
            from graphstep.export import beamer  # LaTeX output: loaded when asked for

            return beamer.to_tikz_frames(stepper, Path(path), style=style)
        return list(export.save_all(stepper, Path(path), fmt=fmt, style=style))
    target = check_writable_file(path)
    if kind is StepsOutput.BEAMER:
        from graphstep.export import beamer

        return [beamer.to_beamer(stepper, target, style=style)]
    if kind is StepsOutput.HTML:
        return [Path(export.to_html(stepper, target, style=style))]
    if kind is StepsOutput.GIF:
        return [Path(export.to_gif(stepper, target, style=style, **timing))]
    return [Path(export.to_apng(stepper, target, style=style, **timing))]
