"""The one place that runs a Graphviz executable, and turns SVG into PNG.

It writes no file (:mod:`graphstep.export.files` does) and imports nothing above it.

The executable is, in order: the ``GRAPHSTEP_DOT`` environment variable (a path or a
command name), the system ``dot`` (Graphviz), or ``graphviz-pure`` (a pure-Rust
port installed with graphstep, so ``pip install graphstep`` alone renders). When
none is found, :class:`~graphstep.errors.RenderError` says how to install one and
the DOT source is still written next to the requested picture.

PNG is always rasterised from the SVG with resvg (``resvg-py``), so the math glyphs
(∂ ⊙ ⊗ ᵀ ₁) are drawn with a real font whichever executable laid the graph out;
:data:`MAX_PIXELS` caps the raster so a huge graph cannot eat the memory.

>>> [kind for kind, _ in available_backends()][-1]
'graphviz-pure'
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from graphstep.errors import RenderError, SizeLimitError

__all__ = [
    "ENV_VAR",
    "MAX_PIXELS",
    "DEFAULT_PIXELS",
    "DEFAULT_SCALE",
    "FONT_FAMILY",
    "find_executable",
    "available_backends",
    "run_dot",
    "clean_svg",
    "center_texts",
    "box_center",
    "COORDS",
    "svg_size",
    "svg_to_png",
]

#: Environment variable naming the Graphviz executable to use.
ENV_VAR = "GRAPHSTEP_DOT"
#: Largest raster (width x height pixels) ever produced: 50 million pixels, 200 MB RGBA.
MAX_PIXELS = 50_000_000
#: With no explicit scale, the scale is lowered (not below 1) to stay under this many pixels.
DEFAULT_PIXELS = 12_000_000
#: The default raster scale (2 pixels per CSS pixel: crisp on high-density screens).
DEFAULT_SCALE = 2.0
#: The font list written into SVG: DejaVu Sans draws ∂ ⊙ ⊗ ᵀ ₁; Verdana has its widths.
FONT_FAMILY = "DejaVu Sans,Verdana,Arial,Helvetica,sans-serif"
#: Seconds an executable may run before it is stopped.
TIMEOUT = 300

_INSTALL_HINT = (
    "graphstep draws with graphviz-pure (installed with it: `pip install --force-reinstall "
    "graphviz-pure`) or with Graphviz's `dot` (`apt-get install graphviz`, `brew install graphviz`, "
    "`conda install graphviz`, or https://graphviz.org/download/); or set GRAPHSTEP_DOT to the "
    "path of a dot executable"
)


def _pure_candidates() -> list[Path]:
    name = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    places = []
    found = shutil.which("graphviz-pure")
    if found:
        places.append(Path(found))
    for scheme_dir in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        if scheme_dir:
            places.append(Path(scheme_dir) / name)
    user = sysconfig.get_path("scripts", f"{os.name}_user") if os.name != "nt" else None
    if user:
        places.append(Path(user) / name)
    return places


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def available_backends() -> list[tuple[str, str]]:
    """Every executable graphstep could use, in order of preference.

    Returns
    -------
    list of (str, str)
        ``(kind, path)`` pairs; ``kind`` is ``"env"`` (from ``GRAPHSTEP_DOT``),
        ``"system"`` (Graphviz's ``dot``) or ``"graphviz-pure"``.

    Examples
    --------
    >>> "graphviz-pure" in dict(available_backends())
    True
    """
    found = []
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        path = shutil.which(env) or (env if _executable(Path(env)) else None)
        if path is None and env == "graphviz-pure":
            path = next((str(c) for c in _pure_candidates() if _executable(c)), None)
        if path:
            found.append(("env", str(path)))
    system = shutil.which("dot")
    if system:
        found.append(("system", system))
    for candidate in _pure_candidates():
        if _executable(candidate):
            found.append(("graphviz-pure", str(candidate)))
            break
    return found


def find_executable() -> tuple[str, str]:
    """The executable to use: the first of :func:`available_backends`.

    A ``GRAPHSTEP_DOT`` that names no executable is an error (it is never skipped
    silently); ``GRAPHSTEP_DOT=graphviz-pure`` picks the bundled one.

    Returns
    -------
    (str, str)
        ``(kind, path)``.

    Raises
    ------
    RenderError
        When there is none, or ``GRAPHSTEP_DOT`` names no executable.

    Examples
    --------
    >>> find_executable()[0] in ("env", "system", "graphviz-pure")
    True
    """
    env = os.environ.get(ENV_VAR, "").strip()
    backends = available_backends()
    if env:
        if backends and backends[0][0] == "env":
            return backends[0]
        raise RenderError(f"{ENV_VAR}={env!r} is not an executable; {_INSTALL_HINT}")
    if not backends:
        raise RenderError(f"no Graphviz executable found; {_INSTALL_HINT}")
    return backends[0]


def run_dot(source: str, fmt: str = "svg", executable: tuple[str, str] | None = None) -> bytes:
    """Run Graphviz on DOT ``source`` and return its ``-T<fmt>`` output.

    Parameters
    ----------
    source : str
        DOT text.
    fmt : str
        Graphviz's output format (``svg``, ``pdf``...).
    executable : tuple of (str, Path), optional
        From :func:`available_backends` (default: :func:`find_executable`).

    Returns
    -------
    bytes

    Raises
    ------
    RenderError
        When the executable is missing, fails (the message quotes Graphviz's), takes
        longer than :data:`TIMEOUT` seconds, or cannot write ``fmt``.

    Examples
    --------
    >>> b"<svg" in run_dot("digraph { a -> b }", "svg")
    True
    """
    kind, path = executable or find_executable()
    if fmt == "pdf" and (kind == "graphviz-pure" or Path(path).name.startswith("graphviz-pure")):
        raise RenderError(
            "PDF needs Graphviz's own dot (graphviz-pure writes svg and png only): install "
            "Graphviz (`apt-get install graphviz`, `brew install graphviz`) or set GRAPHSTEP_DOT, "
            "or write .svg or .png instead")
    try:
        done = subprocess.run([path, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{path} took more than {TIMEOUT} s to lay out the graph") from None
    except OSError as error:
        raise RenderError(f"could not run {path}: {error}; {_INSTALL_HINT}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        errors = [line for line in message if "Warning" not in line] or message
        raise RenderError(
            f"{path} -T{fmt} failed (exit {done.returncode}): {' '.join(errors[-3:]) or 'no output'}")
    return done.stdout


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")


def clean_svg(svg: str, style: object = None) -> str:
    """Graphviz SVG made portable: no XML prolog or comments (so it can be inlined in
    HTML), a font list that draws the math glyphs, ``transparent`` written as ``none``.

    Parameters
    ----------
    svg : str
        Graphviz's ``-Tsvg`` output.
    style : Style, optional
        Its ``fontname`` leads the font list.

    Returns
    -------
    str

    Examples
    --------
    >>> clean_svg('<?xml version="1.0"?><svg width="1pt" height="1pt"></svg>').strip()
    '<svg width="1pt" height="1pt"></svg>'
    """
    svg = _PROLOG.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    fontname = getattr(style, "fontname", "DejaVu Sans")
    family = FONT_FAMILY if fontname == "DejaVu Sans" else f"{fontname},{FONT_FAMILY}"
    # one font list, inherited from the graph group, instead of one per text element
    svg = svg.replace(f' font-family="{fontname}"', "").replace(' font-family="Times,serif"', "")
    graph = '<g id="graph0" class="graph"'
    svg = svg.replace(graph, f'{graph} font-family="{family}"', 1)
    svg = _TITLE.sub("", svg)  # Graphviz's tooltips name internal node ids (n3): noise
    svg = svg.replace('stroke="transparent"', 'stroke="none"')
    svg = svg.replace('fill="transparent"', 'fill="none"')
    return center_texts(svg).strip() + "\n"


_GROUP_OPEN = re.compile(r'<g id="[^"]*" class="(node|edge)">')
_SHAPE = re.compile(r"<(path|polygon)\b([^>]*?)/?>", re.S)
#: An ``x,y`` coordinate pair in SVG path or polygon data.
COORDS = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
_TEXT_OPEN = re.compile(r"<text\b([^>]*)>")
_ANCHOR = re.compile(r'\s(?:x|text-anchor)="[^"]*"')
_ANCHOR_X = re.compile(r'<text((?: xml:space="preserve")?) text-anchor="[^"]*" x="[^"]*"')
_WHITE_FILL = re.compile(r'fill="(white|#ffffff)"')


def box_center(attrs: str) -> float | None:
    """The horizontal centre of the ``x,y`` points in SVG geometry (None if none).

    Parameters
    ----------
    attrs : str
        Path data, polygon points, or a shape's attributes as text.

    Returns
    -------
    float or None

    Examples
    --------
    >>> box_center("0,0 10,0 10,5 0,5")
    5.0
    """
    xs = [float(x) for x, _ in COORDS.findall(attrs)]
    return (min(xs) + max(xs)) / 2 if xs else None


def center_texts(svg: str) -> str:
    """Centre every text line of a node (on its outline) and of an edge label (on its
    white background): Graphviz places HTML-label lines by its own width estimate, which
    need not match the font that finally draws them.

    Parameters
    ----------
    svg : str
        Graphviz SVG with node groups ``n<k>`` and edge groups ``e<t>_<h>_<p>``.

    Returns
    -------
    str

    Examples
    --------
    >>> svg = center_texts('<g id="n0" class="node"><polygon points="0,0 10,0 10,5 0,5"/>'
    ...                    '<text text-anchor="start" x="1" y="3">a</text></g>')
    >>> svg[svg.index("<text"):]
    '<text text-anchor="middle" x="5.00" y="3">a</text></g>'
    """

    def centered(kind: str, body: str) -> str | None:
        """``body`` with its texts centred, or None to leave it as it is."""
        if kind == "edge" and 'fill="white"' not in body and 'fill="#ffffff"' not in body:
            return None  # an edge label without its white box stays where it is
        center = None
        for shape in _SHAPE.finditer(body):
            if kind == "node":
                center = box_center(shape.group(2))
                break
            if shape.group(1) == "polygon" and _WHITE_FILL.search(shape.group(2)):
                center = box_center(shape.group(2))
                break
        if center is None:
            return None
        # Graphviz writes each text's anchor and x first (after xml:space with graphviz-pure)
        fixed, count = _ANCHOR_X.subn(rf'<text text-anchor="middle" x="{center:.2f}"\1', body)
        if count == body.count("<text"):
            return fixed
        return _TEXT_OPEN.sub(
            lambda t: f'<text text-anchor="middle" x="{center:.2f}"{_ANCHOR.sub("", t.group(1))}>',
            body)

    parts, done, scanned = [], 0, 0
    for opening in _GROUP_OPEN.finditer(svg):  # str.find is much quicker than a lazy .*?
        if opening.start() < scanned:
            continue
        end = svg.find("</g>", opening.end())
        if end < 0:
            break
        scanned = end + 4
        body = centered(opening.group(1), svg[opening.end():end])
        if body is not None:  # unchanged groups are copied once, with what lies between
            parts += [svg[done:opening.end()], body]
            done = end
    parts.append(svg[done:])
    return "".join(parts)


_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(pt|px)?"[^>]*?\bheight="([\d.]+)(pt|px)?"', re.S)


_SIZE_ATTRS = re.compile(r'\b(width|height)="[\d.]+(?:pt|px)?"')


def svg_size(svg: str) -> tuple[float, float]:
    """The SVG's width and height in CSS pixels (``pt`` counts 4/3 px).

    Parameters
    ----------
    svg : str
        SVG text.

    Returns
    -------
    (float, float)

    Raises
    ------
    RenderError
        When the ``<svg>`` element has no width and height.

    Examples
    --------
    >>> svg_size('<svg width="30pt" height="15pt">')
    (40.0, 20.0)
    """
    match = _SIZE.search(svg)
    if not match:
        raise RenderError("the SVG has no width/height to rasterise")
    factor_w = 4 / 3 if match.group(2) == "pt" else 1.0
    factor_h = 4 / 3 if match.group(4) == "pt" else 1.0
    return float(match.group(1)) * factor_w, float(match.group(3)) * factor_h


def _scale_for(svg: str, scale: float | None, max_pixels: int) -> float:
    width, height = svg_size(svg)
    area = max(width * height, 1.0)
    if scale is None:
        scale = min(DEFAULT_SCALE, math.sqrt(DEFAULT_PIXELS / area))
        scale = max(scale, 1.0)
    elif not (isinstance(scale, (int, float)) and scale > 0 and math.isfinite(scale)):
        raise RenderError(f"the raster scale must be a positive number, got {scale!r}")
    pixels = math.ceil(width * scale) * math.ceil(height * scale)
    if pixels > max_pixels:
        raise SizeLimitError(
            f"a {math.ceil(width * scale)}x{math.ceil(height * scale)} raster ({pixels:,} pixels) "
            f"is over the limit of {max_pixels:,}; write .svg instead or pass a smaller scale")
    return scale


def svg_to_png(svg: str, scale: float | None = None, max_pixels: int = MAX_PIXELS) -> bytes:
    """Rasterise SVG text to PNG bytes with resvg, drawing with real fonts.

    Parameters
    ----------
    svg : str
        SVG text.
    scale : float, optional
        Multiplies the SVG's CSS size (default :data:`DEFAULT_SCALE`, lowered, not
        below 1, to stay under :data:`DEFAULT_PIXELS`).
    max_pixels : int
        The largest raster allowed.

    Returns
    -------
    bytes

    Raises
    ------
    SizeLimitError
        When the raster would be over ``max_pixels``.
    RenderError
        For a bad scale, or when resvg fails.

    Examples
    --------
    >>> png = svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"/>', 1)
    >>> png[:4] == b"\\x89PNG"
    True
    """
    import resvg_py

    zoom = _scale_for(svg, scale, max_pixels)
    width, height = svg_size(svg)
    svg = _SIZE_ATTRS.sub(lambda m: f'{m.group(1)}="{width if m.group(1) == "width" else height:.2f}"',
                          svg[:svg.index(">", svg.index("<svg")) + 1], count=2) + \
        svg[svg.index(">", svg.index("<svg")) + 1:]
    try:
        data = resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom, background="white",
                                     font_family="DejaVu Sans", sans_serif_family="DejaVu Sans")
    except (ValueError, OSError) as error:
        raise RenderError(f"resvg could not rasterise the SVG: {error}") from None
    return bytes(data)
