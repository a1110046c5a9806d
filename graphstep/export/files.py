"""Writing output files: a file is replaced only once its new content is complete.

Every file graphstep writes (pictures, players, animations, frames, the demo, the
Sphinx and MkDocs outputs) goes through this module, which also turns SVG text into
the bytes of an ``.svg`` or ``.png`` file and writes a picture of DOT source. The new content is written to a
temporary file in the same folder, flushed to disk, and moved over the old file with
``os.replace``. A failure, a full disk or Ctrl-C part-way leaves the old file as it
was and removes the temporary file. Folders of frames are staged the same way: every
frame is written to a temporary file first and all are moved into place only when the
last one is complete, so a failed export leaves the folder as it was.

When no temporary file can be made beside the target (a read-only folder), the write
is refused with a :class:`~graphstep.errors.WriteError` saying so: graphstep never
overwrites a file in place, because a failure would then lose the old content.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> atomic_write(path, "one").read_text()
'one'
>>> with atomic_file(path) as out:
...     _ = out.write(b"two")
>>> open(path).read(), os.listdir(os.path.dirname(path))
('two', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from graphstep import backend
from graphstep.errors import InputError, RenderError, WriteError

__all__ = [
    "output_path",
    "atomic_write",
    "atomic_file",
    "atomic_write_all",
    "svg_file_data",
    "write_svg",
    "write_dot_beside",
    "render_dot",
    "progress",
    "TEMP_MARK",
    "PROGRESS_AFTER",
]

#: Part of every temporary file's name (``.NAME.graphstep-<random>.tmp``).
TEMP_MARK = ".graphstep-"

#: Items beyond which :func:`progress` shows a bar (when stderr is a terminal).
PROGRESS_AFTER = 20

_open_fd = os.fdopen  # the one place an output file is opened (tests replace it to fail midway)


def output_path(path: str | os.PathLike) -> Path:
    """``path`` as a Path to write a file to; a name ending in a slash is refused.

    Parameters
    ----------
    path : str or os.PathLike
        Where a file is to be written.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        When ``path`` ends with a slash.
    WriteError
        When ``path`` is a directory.

    Examples
    --------
    >>> output_path("out/graph.svg").name
    'graph.svg'
    >>> output_path("graph.svg/")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: 'graph.svg/' ends with a slash, which names a folder, ...
    """
    text = os.fsdecode(os.fspath(path))
    if text.endswith(tuple(s for s in ("/", os.sep, os.altsep) if s)):
        raise InputError(f"{text!r} ends with a slash, which names a folder, but a file is wanted: "
                         "remove the slash")
    target = Path(text)
    if target.is_dir():
        raise WriteError(errno.EISDIR, "it is a directory", text)
    return target


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _make_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        where = error.filename or target.parent
        why = ("a file of that name is in the way" if isinstance(error, (FileExistsError, NotADirectoryError))
               else _reason(error))
        raise WriteError(error.errno, f"cannot make the folder {where}: {why}", str(target)) from None


def _temp_file(target: Path) -> tuple[int, str]:
    """A new file beside ``target`` (same permissions as the old file, if any): (fd, name)."""
    _make_folder(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o666  # a new file: the umask applies, as for open()
    for _ in range(100):
        name = target.parent / f".{target.name[:80]}{TEMP_MARK}{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        except FileExistsError:
            continue
        except OSError as error:
            raise WriteError(
                error.errno,
                f"no temporary file can be made in its folder {target.parent} ({_reason(error)}); "
                "graphstep writes a new file beside the old one and swaps it in when complete, and "
                "does not overwrite in place, so that a failure cannot leave a half-written file",
                str(target)) from None
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(name, mode)  # an existing file keeps its permissions
        return fd, str(name)
    raise WriteError(errno.EEXIST, "no unused temporary name beside it", str(target))


def _discard(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _as_write_error(error: OSError, target: Path) -> WriteError:
    if isinstance(error, WriteError):
        return error
    return WriteError(error.errno, _reason(error), str(target))


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content to; it replaces ``path`` on success.

    For streaming writers (Pillow's ``save``, say). On any exception, KeyboardInterrupt
    included, the temporary file is removed, ``path`` is left untouched and the
    exception goes on (an OSError as a :class:`~graphstep.errors.WriteError` naming
    ``path``).

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.

    Returns
    -------
    context manager
        Yields a binary file open for writing.

    Raises
    ------
    InputError
        When ``path`` ends with a slash.
    WriteError
        When the file cannot be written (``path`` is left as it was).

    Examples
    --------
    >>> import tempfile, os
    >>> target = os.path.join(tempfile.mkdtemp(), "out.bin")
    >>> with atomic_file(target) as handle:
    ...     _ = handle.write(b"abc")
    >>> open(target, "rb").read()
    b'abc'
    """
    target = output_path(path)
    fd, name = _temp_file(target)
    try:
        with _open_fd(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, target)
    except OSError as error:
        _discard(name)
        raise _as_write_error(error, target) from error
    except BaseException:
        _discard(name)
        raise


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    r"""Write ``data`` (text is written as UTF-8) to ``path`` atomically; returns the Path.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    data : bytes or str
        The content.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        When ``path`` ends with a slash.
    WriteError
        When the file cannot be written (``path`` is left as it was).

    Examples
    --------
    >>> import tempfile, os
    >>> atomic_write(os.path.join(tempfile.mkdtemp(), "a.txt"), "héllo").read_bytes()
    b'h\xc3\xa9llo'
    """
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def atomic_write_all(items: Iterable[tuple[str | os.PathLike, bytes | str]]) -> list[Path]:
    """Write several files all or nothing: each ``(path, data)`` goes to a temporary file
    as it comes (``items`` may be a generator), and all are moved into place only once
    the last is complete. On a failure no file is changed and no temporary file is left.

    Parameters
    ----------
    items : iterable of (path, bytes or str)
        The files and their contents.

    Returns
    -------
    list of Path
        The files written, in order.

    Raises
    ------
    InputError
        When a path ends with a slash.
    WriteError
        When a file cannot be written (then no file is changed).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in atomic_write_all((os.path.join(folder, f"{k}.txt"), str(k)) for k in (1, 2))]
    ['1.txt', '2.txt']
    """
    staged: list[tuple[str, Path]] = []
    written: list[Path] = []
    target = None
    try:
        for path, data in items:
            target = output_path(path)
            fd, name = _temp_file(target)
            staged.append((name, target))
            written.append(target)
            with _open_fd(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                handle.flush()
                os.fsync(handle.fileno())
        while staged:
            name, target = staged[0]
            os.replace(name, target)
            staged.pop(0)
    except OSError as error:
        for name, _ in staged:
            _discard(name)
        raise (_as_write_error(error, target) if target is not None else error) from error
    except BaseException:
        for name, _ in staged:
            _discard(name)
        raise
    return written


def progress(items: Iterable, total: int, what: str) -> Iterable:
    """``items``, with a progress bar on stderr when it is a terminal and ``total`` is
    at least :data:`PROGRESS_AFTER` (frames of a long stepper take a while).

    Parameters
    ----------
    items : iterable
        What to go through.
    total : int
        How many items there are.
    what : str
        What the items are, for the bar's label.

    Returns
    -------
    iterable
        ``items`` itself, or ``items`` wrapped in a progress bar.

    Examples
    --------
    >>> list(progress([1, 2], 2, "frames"))
    [1, 2]
    """
    if total < PROGRESS_AFTER or not sys.stderr.isatty():
        return items
    from tqdm import tqdm  # loaded only when a bar is drawn

    return tqdm(items, total=total, desc=what, unit="frame", leave=False)


def svg_file_data(svg: str, fmt: str = "svg", scale: float | None = None) -> bytes:
    """The bytes of an ``.svg`` file (with its XML declaration) or of a ``.png`` of ``svg``.

    Parameters
    ----------
    svg : str
        SVG text (without XML declaration).
    fmt : {"svg", "png"}
        The file format; PNG is rasterised by :func:`graphstep.backend.svg_to_png`.
    scale : float, optional
        PNG pixels per CSS pixel.

    Returns
    -------
    bytes

    Raises
    ------
    RenderError
        For another format, or when rasterising fails.

    Examples
    --------
    >>> svg_file_data('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"/>')[:5]
    b'<?xml'
    """
    if fmt == "svg":
        return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg).encode("utf-8")
    if fmt == "png":
        return backend.svg_to_png(svg, scale)
    raise RenderError(f"cannot write SVG as {fmt!r}; use svg or png")


def write_svg(svg: str, path: str | os.PathLike, fmt: str = "svg", scale: float | None = None) -> Path:
    """Write SVG text to ``path`` as ``.svg``, or rasterised as ``.png``, atomically.

    Parameters
    ----------
    svg : str
        SVG text.
    path : path
        The file to write.
    fmt : {"svg", "png"}
        The file format.
    scale : float, optional
        PNG pixels per CSS pixel.

    Returns
    -------
    Path

    Raises
    ------
    RenderError, WriteError
        When the format is unknown, rasterising fails or the file cannot be written.

    Examples
    --------
    >>> import tempfile, os
    >>> svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>'
    >>> write_svg(svg, os.path.join(tempfile.mkdtemp(), "a.png"), "png").read_bytes()[:4]
    b'\\x89PNG'
    """
    return atomic_write(output_path(path), svg_file_data(svg, fmt, scale))


def write_dot_beside(path: str | os.PathLike, source: str) -> Path:
    """Write DOT ``source`` next to ``path`` (same name, suffix ``.dot``).

    Parameters
    ----------
    path : path
        The picture the DOT source belongs to.
    source : str
        DOT text.

    Returns
    -------
    Path
        The ``.dot`` file.

    Examples
    --------
    >>> import tempfile, os
    >>> write_dot_beside(os.path.join(tempfile.mkdtemp(), "g.png"), "digraph {}").name
    'g.dot'
    """
    return atomic_write(output_path(path).with_suffix(".dot"), source)


def render_dot(source: str, path: str | os.PathLike, fmt: str, scale: float | None = None) -> Path:
    """Lay out DOT ``source`` and write it to ``path`` as ``svg``, ``png`` or ``pdf``.

    Parameters
    ----------
    source : str
        DOT text.
    path : path
        The picture to write.
    fmt : {"svg", "png", "pdf"}
        The file format (``pdf`` needs Graphviz's own ``dot``).
    scale : float, optional
        PNG pixels per CSS pixel.

    Returns
    -------
    Path

    Raises
    ------
    RenderError
        When no executable is found or it fails; the DOT source is then written next
        to ``path`` and the message says where.

    Examples
    --------
    >>> import tempfile, os
    >>> render_dot("digraph { a -> b }", os.path.join(tempfile.mkdtemp(), "g.svg"), "svg").suffix
    '.svg'
    """
    path = output_path(path)
    try:
        if fmt == "pdf":
            return atomic_write(path, backend.run_dot(source, "pdf"))
        svg = backend.clean_svg(backend.run_dot(source, "svg").decode("utf-8"))
    except RenderError as error:
        beside = write_dot_beside(path, source)
        raise RenderError(f"{error} (the DOT source is in {beside})") from None
    return write_svg(svg, path, fmt, scale)
