"""``graphstep demo``: the seed gallery as pictures, step players, GIFs and an index page.

For every worked example in :data:`graphstep.gallery.examples.EXAMPLES` it writes a static SVG
of the graph, a self-contained step player (HTML) and an animated GIF of the
example's stepper mode, and an ``index.html`` that links them with the title, the
seed document, the expression, the gradient next to the document's hand-derived
closed form, and the example's note. Examples are built in parallel worker
processes. If a picture cannot be made (no Graphviz executable, say) the rest is
still written, the index says what is missing, and the build reports it.

>>> import tempfile
>>> result = build_demo(tempfile.mkdtemp(), only=["sigmoid"], gif=False, jobs=1, log=None)
>>> result.ok, [entry.name for entry in result.entries], result.entries[0].agree
(True, ['sigmoid'], True)
"""

from __future__ import annotations

import html
import math
import os
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import numpy as np

from graphstep import __version__, backend
from graphstep.algorithms.agreement import agree
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.reverse import grad
from graphstep.errors import GraphstepError, InputError
from graphstep.export import svg as export
from graphstep.export.files import atomic_write
from graphstep.export.image import render
from graphstep.export.stepper import steps
from graphstep.gallery.examples import EXAMPLES, SEEDS, Example
from graphstep.render.style import Style
from graphstep.text import inline_value, print_value, shape_text

__all__ = ["build_demo", "build_example", "index_html", "DemoEntry", "DemoResult", "DEFAULT_DIRECTORY"]

#: Pixels per frame the gallery's GIFs aim at (rasterising is most of the build time).
GIF_PIXELS = 1_200_000
#: Smallest raster scale the gallery uses for a GIF (about 7 px text).
MIN_GIF_SCALE = 0.5
#: Where ``graphstep demo`` builds when no directory is given.
DEFAULT_DIRECTORY = "graphstep-demo"


@dataclass
class DemoEntry:
    """What was built for one example: its files, the numbers compared, any problems.

    Parameters
    ----------
    name, title, seed, expression : str
        From the :class:`~graphstep.gallery.examples.Example`.
    values : list of (str, str)
        Each input and its value as text.
    mode : str
        The stepper mode shown.
    wrt : str or None
    kind : str
        ``grad`` or ``jacobian``.
    note : str
    tags : tuple of str
    steps : int
        The number of steps written.
    files : dict
        ``{kind: file name}`` relative to the index (``svg``, ``player``, ``gif``).
    rows : list of tuple
        ``(input, ours, closed form, largest difference, agree)`` per input.
    problems : list of str
        What could not be built.
    seconds : float
        The time the build took.

    Examples
    --------
    >>> import tempfile
    >>> entry = build_example("sigmoid", tempfile.mkdtemp(), gif=False)
    >>> entry.name, entry.steps > 0, entry.problems
    ('sigmoid', True, [])
    """

    name: str
    title: str
    seed: str
    expression: str
    values: list[tuple[str, str]]
    mode: str
    wrt: str | None
    kind: str
    note: str
    tags: tuple[str, ...]
    steps: int = 0
    files: dict[str, str] = field(default_factory=dict)  # kind -> file name relative to the index
    rows: list[tuple[str, str, str, float, bool]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def agree(self) -> bool:
        """Whether graphstep's derivatives equal the closed form, input by input.

        Returns
        -------
        bool

        Examples
        --------
        >>> import tempfile
        >>> entry = build_example("sigmoid", tempfile.mkdtemp(), gif=False)
        >>> entry.agree
        True
        """
        return bool(self.rows) and all(row[4] for row in self.rows)


@dataclass
class DemoResult:
    """The whole build: the directory, every entry and the index page.

    Parameters
    ----------
    directory : Path
        Where the demo was written.
    entries : list of DemoEntry
        One per example.
    index : Path
        The index page.
    seconds : float
        The time the whole build took.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> entry = build_example("sigmoid", tempfile.mkdtemp(), gif=False)
    >>> result = DemoResult(Path("demo"), [entry], Path("demo/index.html"), 1.0)
    >>> result.ok, result.missing
    (True, [])
    """

    directory: Path
    entries: list[DemoEntry]
    index: Path
    seconds: float

    @property
    def missing(self) -> list[str]:
        """Every problem met, as ``name: what``.

        Returns
        -------
        list of str
        """
        return [f"{e.name}: {p}" for e in self.entries for p in e.problems]

    @property
    def ok(self) -> bool:
        """True when every file was written and every derivative matches its closed form.

        Returns
        -------
        bool
        """
        return not self.missing and all(e.agree for e in self.entries)


def _values(g: Any) -> list[tuple[str, str]]:
    rows = []
    for name in g.inputs:
        value = g.value_of(g.input_node(name))
        small = np.size(value) <= 8
        text = inline_value(value, limit=8) if small else f"{shape_text(np.shape(value))} array"
        rows.append((name, text))
    return rows


def _compare(example: Example, g: Any) -> list[tuple[str, str, str, float, bool]]:
    expected = example.expected(g)
    computed = grad(g) if example.kind == "grad" else jacobian(g)
    rows = []
    for name in g.inputs:
        if name not in expected:
            continue
        ours = np.asarray(computed[name], dtype=float)
        theirs = np.asarray(expected[name], dtype=float)
        if ours.size != theirs.size:
            rows.append((name, print_value(ours), print_value(theirs), float("inf"), False))
            continue
        ok, difference = agree(ours, theirs.reshape(ours.shape), rtol=1e-7, atol=1e-9, equal_nan=False)
        rows.append((name, print_value(computed[name]), print_value(expected[name]), difference, ok))
    return rows


def build_example(name: str, directory: str | os.PathLike, gif: bool = True) -> DemoEntry:
    """Build one example's files into ``directory`` (which must exist); never raises for pictures.

    Parameters
    ----------
    name : str
        A key of :data:`~graphstep.gallery.examples.EXAMPLES`.
    directory : str or path-like
        An existing folder.
    gif : bool, optional
        Also write the GIF.

    Returns
    -------
    DemoEntry
        Files: ``NAME.svg`` (the graph with values, local derivatives and gradients),
        ``NAME-player.html`` (the step player of the example's mode) and ``NAME.gif``.
        A file that cannot be made is recorded in ``entry.problems``.

    Raises
    ------
    KeyError
        For an unknown example name.

    Examples
    --------
    >>> import tempfile
    >>> entry = build_example("sigmoid", tempfile.mkdtemp(), gif=False)
    >>> sorted(entry.files), entry.agree
    (['player', 'svg'], True)
    """
    start = time.perf_counter()
    example = EXAMPLES[name]
    directory = Path(directory)
    g = example.graph()
    entry = DemoEntry(name, example.title, example.seed, example.expression, _values(g),
                      example.mode, example.wrt, example.kind, example.note, tuple(example.tags))
    try:
        entry.rows = _compare(example, g)
    except GraphstepError as error:
        entry.problems.append(f"the derivatives could not be computed: {error}")
    stepper = steps(g, mode=example.mode, wrt=example.wrt)
    entry.steps = len(stepper)
    style = Style()  # direction="auto": left to right, bottom to top for long strips
    static = Style(grad=example.kind == "grad")
    jobs: list[tuple[str, str, Callable[[Path], Any]]] = [
        ("svg", f"{name}.svg", lambda p: render(g, p, style=static)),
        ("player", f"{name}-player.html", lambda p: stepper.to_html(p, style=style)),
    ]
    if gif:
        jobs.append(("gif", f"{name}.gif",
                     lambda p: stepper.to_gif(p, style=style, scale=_gif_scale(stepper, style))))
    for kind, filename, make in jobs:
        path = directory / filename
        try:
            make(path)
        except (GraphstepError, OSError) as error:
            entry.problems.append(f"{filename} not written: {' '.join(str(error).split())}")
            continue
        entry.files[kind] = filename
    if "svg" not in entry.files and (directory / f"{name}.dot").exists():
        entry.files["dot"] = f"{name}.dot"  # the renderer leaves the DOT source when it cannot draw
    entry.seconds = time.perf_counter() - start
    return entry


def _frame_size(stepper: Any, style: Any) -> tuple[float, float]:
    return backend.svg_size(export.frame_svg(stepper, 0, style=style))


def _gif_scale(stepper: Any, style: Any = None) -> float | None:
    """A raster scale that keeps a gallery GIF's frames near :data:`GIF_PIXELS` (at most 1:1)."""
    width, height = _frame_size(stepper, style)
    scale = min(1.0, math.sqrt(GIF_PIXELS / max(width * height, 1.0)))
    return scale if scale >= MIN_GIF_SCALE else None  # None: export decides (or says it cannot)


def _build_one(args: tuple[str, str, bool]) -> DemoEntry:
    name, directory, gif = args
    try:
        return build_example(name, directory, gif)
    except Exception as error:  # a bug in one example must not lose the rest of the gallery
        example = EXAMPLES[name]
        entry = DemoEntry(name, example.title, example.seed, example.expression, [], example.mode,
                          example.wrt, example.kind, example.note, tuple(example.tags))
        entry.problems.append(f"could not be built: {type(error).__name__}: "
                              f"{' '.join(str(error).split())}")
        return entry


def _cost(name: str) -> float:
    """A rough guess of an example's build time: its frames times its size."""
    example = EXAMPLES[name]
    text = example.expression
    return (len(text) + 10) * (3 if example.mode == "reverse" else 1)


def build_demo(directory: str | os.PathLike = DEFAULT_DIRECTORY, only: Sequence[str] | None = None,
               gif: bool = True, jobs: int | None = None,
               log: Callable[[str], Any] | None = print) -> DemoResult:
    """Build the gallery into ``directory`` and write its ``index.html``.

    Parameters
    ----------
    directory : str or path-like, optional
        Where to write (created if needed; default :data:`DEFAULT_DIRECTORY`).
    only : sequence of str, optional
        Example names to build (default: all of :data:`~graphstep.gallery.examples.EXAMPLES`).
    gif : bool, optional
        Also write the GIFs (the slowest part).
    jobs : int, optional
        Worker processes (default ``os.cpu_count()``; 1 builds in this process).
    log : callable, optional
        Called with each line of progress and the closing note (None: quiet).

    Returns
    -------
    DemoResult
        Every entry, with what was written and what could not be; ``result.ok`` is
        False when a file is missing or a derivative disagrees with its closed form.

    Raises
    ------
    InputError
        For an unknown example name.
    NotADirectoryError, PermissionError, WriteError
        When ``directory`` cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> build_demo(tempfile.mkdtemp(), only=["sigmoid"], gif=False, jobs=1, log=None).ok
    True
    """
    start = time.perf_counter()
    names = list(only) if only else list(EXAMPLES)
    unknown = [n for n in names if n not in EXAMPLES]
    if unknown:
        raise InputError(f"no example named {', '.join(map(repr, unknown))}; the examples are: "
                         + ", ".join(EXAMPLES))
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(20, "exists and is not a directory", str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    if not os.access(directory, os.W_OK):
        raise PermissionError(13, "Permission denied", str(directory))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    say = log or (lambda text: None)
    say(f"building {len(names)} example{'s' if len(names) != 1 else ''} of the seed gallery "
        f"into {directory}/ ({workers} worker{'s' if workers != 1 else ''})")
    tasks = [(name, str(directory), gif) for name in names]
    done: dict[str, DemoEntry] = {}
    if workers == 1:
        for task in tasks:
            entry = _build_one(task)
            done[entry.name] = entry
            say(_progress(entry, len(done), len(names)))
    else:
        # the biggest examples first, so that no worker is left with a long one at the end
        tasks.sort(key=lambda task: -_cost(task[0]))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_build_one, task) for task in tasks]
            for future in as_completed(futures):
                entry = future.result()
                done[entry.name] = entry
                say(_progress(entry, len(done), len(names)))
    entries = [done[name] for name in names]
    index = directory / "index.html"
    atomic_write(index, index_html(entries))
    result = DemoResult(directory, entries, index, time.perf_counter() - start)
    for line in _closing_note(result):
        say(line)
    return result


def _progress(entry: DemoEntry, k: int, total: int) -> str:
    made = ", ".join(entry.files.values()) or "no pictures"
    check = "matches the closed form" if entry.agree else "DOES NOT match the closed form"
    line = f"  [{k}/{total}] {entry.name}: {made} ({entry.steps} step{'s' * (entry.steps != 1)}; {check})"
    if entry.problems:
        line += f"; {len(entry.problems)} problem(s)"
    return line


def _closing_note(result: DemoResult) -> list[str]:
    files = sum(len(e.files) for e in result.entries) + 1
    lines = [f"wrote {files} files to {result.directory}/ in {result.seconds:.1f} s"]
    if result.missing:
        reasons: dict[str, int] = {}
        for problem in result.missing:
            reason = re.sub(r" \(the DOT source is in [^)]*\)$", "", problem.split(" not written: ", 1)[-1])
            reasons[reason] = reasons.get(reason, 0) + 1
        lines.append(f"{len(result.missing)} file(s) could not be made (the index says which):")
        lines += [f"  {count} x {reason}" for reason, count in reasons.items()]
    wrong = [e.name for e in result.entries if not e.agree]
    if wrong:
        lines.append("derivatives that do not match their closed form: " + ", ".join(wrong))
    lines.append(f"open it with:  open {result.index}   (macOS; xdg-open on Linux)")
    lines.append(f"or in a browser:  {result.index.resolve().as_uri()}")
    return lines


# --- the index page ---------------------------------------------------------------------------

#: The package folder holding the index page's template and style sheet.
TEMPLATES = "templates"


def _template(name: str) -> str:
    """A file of :data:`TEMPLATES` (package data)."""
    return resources.files(__package__).joinpath(TEMPLATES, name).read_text(encoding="utf-8")


_MODE_TEXT = {
    "forward": "values, node by node",
    "local": "each edge's local derivative",
    "paths": "one path per step, with the running sum",
    "reverse": "reverse accumulation, node by node",
    "forward-mode": "forward-mode tangents",
}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _card(entry: DemoEntry) -> str:
    wrt = f" with respect to {entry.wrt}" if entry.wrt else ""
    badge = '<span class="badge">corrects the slide</span>' if "wrong-slide" in entry.tags else ""
    wide = any(ours.count("\n") > 1 or len(ours) > 28 for _, ours, _, _, _ in entry.rows)
    parts = [f'<article class="card{" wide" if wide else ""}" id="{_e(entry.name)}">',
             f'<h3><a href="#{_e(entry.name)}">{_e(entry.title)}</a>{badge}</h3>',
             f'<div class="meta"><code>{_e(entry.name)}</code> · seed {_e(entry.seed)}</div>',
             f'<div class="expr">{_e(entry.expression)}</div>',
             '<div class="meta">at ' + ", ".join(f"<code>{_e(n)} = {_e(v)}</code>" for n, v in entry.values)
             + "</div>"]
    if "svg" in entry.files:
        parts.append(f'<a class="picture" href="{_e(entry.files["svg"])}" title="open the picture">'
                     f'<img src="{_e(entry.files["svg"])}" alt="the graph of {_e(entry.expression)}" '
                     f'loading="lazy"></a>')
    links = []
    if "player" in entry.files:
        links.append(f'<a href="{_e(entry.files["player"])}">▶ step player: {_e(entry.mode)}{_e(wrt)} '
                     f'({entry.steps} step{"s" * (entry.steps != 1)})</a>')
    if "gif" in entry.files:
        links.append(f'<a class="plain" href="{_e(entry.files["gif"])}">GIF</a>')
    if "svg" in entry.files:
        links.append(f'<a class="plain" href="{_e(entry.files["svg"])}">SVG</a>')
    if "dot" in entry.files:
        links.append(f'<a class="plain" href="{_e(entry.files["dot"])}">DOT source</a>')
    if links:
        parts.append('<div class="links">' + "".join(links) + "</div>")
    parts.append(f'<div class="meta">the player shows {_e(_MODE_TEXT.get(entry.mode, entry.mode))}</div>')
    if entry.rows:
        what = "∂f/∂" if entry.kind == "grad" else "Jacobian ∂f/∂"
        rows = "".join(
            f"<tr><td class=\"name\"><code>{_e(what)}{_e(name)}</code></td><td><pre>{_e(ours)}</pre></td>"
            f"<td><pre>{_e(theirs)}</pre></td><td class=\"verdict {'ok' if ok else 'bad'}\">"
            f"{'✓' if ok else '✗'} {diff:.1e}</td></tr>"
            for name, ours, theirs, diff, ok in entry.rows)
        parts.append('<div class="scroll"><table><tr><th></th><th>graphstep</th>'
                     f'<th>closed form (the seed)</th><th>max |diff|</th></tr>{rows}</table></div>')
    if entry.note:
        parts.append(f'<p class="note">{_e(entry.note)}</p>')
    if entry.problems:
        parts.append('<ul class="problems">' + "".join(f"<li>{_e(p)}</li>" for p in entry.problems)
                     + "</ul>")
    parts.append("</article>")
    return "\n".join(parts)


def index_html(entries: Sequence[DemoEntry]) -> str:
    """The gallery's index page: one card per example, grouped by seed document.

    The page is the package-data template ``templates/index.html`` with the style
    sheet ``templates/index.css`` (see :data:`TEMPLATES`) filled in.

    Parameters
    ----------
    entries : sequence of DemoEntry
        What :func:`build_example` built, in the order to show.

    Returns
    -------
    str
        A complete HTML document.

    Examples
    --------
    >>> index_html([]).startswith("<!DOCTYPE html>")
    True
    """
    sections: dict[str, list[DemoEntry]] = {}
    for entry in entries:
        sections.setdefault(entry.seed, []).append(entry)
    agree = sum(e.agree for e in entries)
    body = []
    for seed, group in sections.items():
        body.append(f'<h2>Seed {_e(seed)} <small>{_e(SEEDS.get(seed, ""))}</small></h2>')
        body.append('<div class="grid">' + "\n".join(_card(e) for e in group) + "</div>")
    problems = sum(len(e.problems) for e in entries)
    status = (f'<span class="ok">{agree} of {len(entries)}</span> examples match their closed form'
              if agree == len(entries) else
              f'<span class="bad">{agree} of {len(entries)}</span> examples match their closed form')
    if problems:
        status += f'; <span class="bad">{problems} file(s) could not be made</span> (see the cards)'
    return Template(_template("index.html")).substitute(
        css=_template("index.css"), status=status, body="\n".join(body), version=_e(__version__))
