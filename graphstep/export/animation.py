"""GIF and APNG animations of a shared layout: one frame per step, one code path.

Each frame is the layout's SVG of a step rasterised by :func:`graphstep.backend.svg_to_png`
and written with Pillow; the two formats differ only in a row of :data:`FORMATS` (how a
frame is converted, what Pillow calls the format, how a frame is disposed of, and
whether Pillow can take the frames one at a time).

>>> import graphstep as gs, tempfile, os
>>> from PIL import Image
>>> from graphstep.export.layout import Layout
>>> g = gs.parse("sin(x)", x=0.5)
>>> path = animate(Layout(g, gs.steps(g, "reverse").steps), os.path.join(tempfile.mkdtemp(), "a.gif"))
>>> Image.open(path).n_frames
3
"""

from __future__ import annotations

import io
import math
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphstep import backend
from graphstep.errors import InputError, SizeLimitError
from graphstep.export.files import atomic_file, output_path, progress
from graphstep.export.layout import Layout

if TYPE_CHECKING:
    from PIL import Image  # imported where used: import graphstep stays light

__all__ = [
    "Animation",
    "FORMATS",
    "animate",
    "check_timing",
    "MAX_DURATION",
    "ANIMATION_PIXELS",
    "ANIMATION_BUDGET",
    "ANIMATION_MIN_SCALE",
]

#: Largest GIF/APNG frame in pixels (the whole animation is held in memory).
ANIMATION_PIXELS = 2_500_000
#: Largest total of pixels over all frames of one animation.
ANIMATION_BUDGET = 100_000_000
#: Frames of a big graph are scaled down, but never below this.
ANIMATION_MIN_SCALE = 0.2
#: Longest time one frame of a GIF or APNG may show, in milliseconds (one minute).
MAX_DURATION = 60_000


class Animation(str, Enum):
    """The animated formats.

    Attributes
    ----------
    GIF : Animation
        256 colours per frame.
    APNG : Animation
        Full colour.

    Examples
    --------
    >>> Animation("gif") is Animation.GIF, Animation.APNG == "apng"
    (True, True)
    """

    GIF = "gif"
    APNG = "apng"


@dataclass(frozen=True)
class _Format:
    pillow: str  # Pillow's name of the format
    convert: Callable[[Image.Image], Image.Image]  # an RGB frame as the format stores it
    disposal: int  # what happens to a frame when the next is drawn
    streams: bool  # Pillow takes the frames one at a time (else it needs a list)


def _palette(image: Image.Image) -> Image.Image:
    from PIL import Image

    return image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


#: How each animated format is written.
FORMATS: dict[Animation, _Format] = {
    Animation.GIF: _Format("GIF", _palette, 1, True),
    Animation.APNG: _Format("PNG", lambda image: image, 0, False),
}


def check_timing(duration: Any, loop: Any) -> int:
    """The frame duration in milliseconds, checked, as an int.

    Parameters
    ----------
    duration : int or float
        Milliseconds each frame shows, from 1 to :data:`MAX_DURATION`.
    loop : int
        0 (for ever) or how many times the animation plays, up to 65535.

    Returns
    -------
    int

    Raises
    ------
    InputError
        When either is out of range or not a number.

    Examples
    --------
    >>> check_timing(1500.0, 0)
    1500
    """
    if (isinstance(duration, bool) or not isinstance(duration, (int, float))
            or not 1 <= duration <= MAX_DURATION):
        raise InputError(f"duration must be a number of milliseconds from 1 to {MAX_DURATION:,}, "
                         f"got {duration!r}")
    if isinstance(loop, bool) or not isinstance(loop, int) or not 0 <= loop <= 65535:
        raise InputError(f"loop must be 0 (for ever) or a number of times up to 65535, got {loop!r}")
    return int(duration)


def _scale(shared: Layout, scale: float | None) -> float:
    """``scale``, or the largest scale (up to 1.25) keeping frames and total within budget."""
    if scale is not None:
        return scale
    width, height = backend.svg_size(shared.frame(0))
    area = max(width * height, 1.0)
    budget = min(ANIMATION_PIXELS, ANIMATION_BUDGET / len(shared))
    chosen = min(1.25, math.sqrt(budget / area))
    if chosen < ANIMATION_MIN_SCALE:
        raise SizeLimitError(
            f"the graph is too large to animate ({width:.0f}x{height:.0f} px per frame, "
            f"{len(shared)} frames); use to_html or save_all instead")
    return chosen


def _images(shared: Layout, scale: float, kind: Animation) -> Iterator[Image.Image]:
    from PIL import Image

    convert = FORMATS[kind].convert
    for k in progress(range(len(shared)), len(shared), f"{kind.value} frames"):
        png = backend.svg_to_png(shared.frame(k), scale, max_pixels=ANIMATION_PIXELS * 2)
        with Image.open(io.BytesIO(png)) as image:
            yield convert(image.convert("RGB"))


def animate(shared: Layout, path: str | os.PathLike, kind: Animation | str = Animation.GIF,
            duration: int = 1500, loop: int = 0, scale: float | None = None) -> Path:
    """Write an animation of every frame of ``shared`` to ``path`` (atomically).

    Parameters
    ----------
    shared : Layout
        The frames (:func:`graphstep.export.svg.layout`).
    path : path
        The file to write.
    kind : Animation or {"gif", "apng"}
        GIF (256 colours per frame) or APNG (full colour).
    duration : int
        Milliseconds per frame.
    loop : int
        0 (for ever) or how many times to play.
    scale : float, optional
        Pixels per CSS pixel (default: as large as the memory budget allows, up to 1.25).

    Returns
    -------
    Path

    Raises
    ------
    InputError
        For a bad duration or loop, or a duration the format cannot store.
    SizeLimitError
        When the graph is too large to animate.

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> from PIL import Image
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> shared = Layout(g, gs.steps(g, "reverse").steps)
    >>> Image.open(animate(shared, os.path.join(tempfile.mkdtemp(), "a.png"), "apng")).n_frames
    3
    """
    kind = Animation(kind)
    duration, path = check_timing(duration, loop), output_path(path)
    form = FORMATS[kind]
    images = _images(shared, _scale(shared, scale), kind)
    if form.streams:
        first, rest = next(images), images
    else:
        first, *rest = list(images)
    with atomic_file(path) as handle:
        try:
            first.save(handle, format=form.pillow, save_all=True, append_images=rest, duration=duration,
                       loop=loop, optimize=False, disposal=form.disposal)
        except struct.error as error:  # a frame's delay that the format cannot store
            raise InputError(f"cannot write {path}: a frame lasts longer than {form.pillow} can store "
                             f"({error})") from None
    return Path(path)
