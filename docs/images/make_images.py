"""Regenerate every picture the README shows, from the code the README shows beside it.

Run from anywhere (``make docs`` runs it first)::

    .venv/bin/python docs/images/make_images.py

A Python block of ``README.md`` that draws a picture carries a marker comment on the
line before it, naming the committed files it produces::

    <!-- pictures: docs/images/x-exp-x2.svg docs/images/x-exp-x2-paths.gif -->

Every Python block of the README runs in order, in one namespace (as a reader would
run them), each in a fresh folder; the files a marked block writes there are copied to
the named places (a name may end in a glob such as ``gallery/*.svg``: every file the
block writes that matches it). The pictures are drawn with graphviz-pure (installed
with graphstep), whose output is the same on every platform.

``pictures.json`` beside this script records, for each raster picture (PNG, GIF), its
SHA-256 and the words of each frame, so that ``tests/integration/test_pictures.py`` can
check what a GIF says without reading pixels; SVG pictures are compared by their words
directly. The docs need no files here: their pictures are drawn at build time by the
``graphstep`` directive from the expression written in the page.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = ROOT / "README.md"
MANIFEST = HERE / "pictures.json"
RASTER = (".png", ".gif")

_BLOCK = re.compile(r"(?:<!--\s*pictures?:\s*(?P<targets>[^>]*?)\s*-->\s*\n)?```python\n(?P<code>.*?)```",
                    re.S)


@dataclass
class Block:
    """One Python block of the README and the pictures it is marked to produce."""

    code: str
    targets: tuple[str, ...] = ()
    outputs: dict[str, list[list[str]]] = field(default_factory=dict)


def readme_blocks(text: str) -> list[Block]:
    """The README's Python blocks, in order, each with the targets of its marker.

    Parameters
    ----------
    text : str
        The README's Markdown.

    Returns
    -------
    list of Block

    Examples
    --------
    >>> md = "<!-- pictures: docs/images/a.svg -->\\n```python\\nx = 1\\n```\\n"
    >>> [(b.code, b.targets) for b in readme_blocks(md)]
    [('x = 1\\n', ('docs/images/a.svg',))]
    """
    return [Block(m["code"], tuple((m["targets"] or "").split())) for m in _BLOCK.finditer(text)]


def svg_words(svg: str | bytes) -> list[str]:
    """The words an SVG shows (the text of every ``<text>`` element), sorted.

    What a picture says, independent of the layout program's coordinates, of where a
    long caption wraps, of tooltips (``<title>``) and of the order of the elements.

    Parameters
    ----------
    svg : str or bytes

    Returns
    -------
    list of str

    Examples
    --------
    >>> ns = 'xmlns="http://www.w3.org/2000/svg"'
    >>> svg_words(f'<svg {ns}><text>b = 1</text><text>a<tspan>₁</tspan></text></svg>')
    ['1', '=', 'a₁', 'b']
    """
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    texts = ("".join(el.itertext()) for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "text")
    return sorted(word for text in texts for word in text.split())


@contextlib.contextmanager
def _recording_rasters(frames: list[str]) -> Iterator[None]:
    """Record every SVG rasterised while the block runs (the frames of its PNG or GIF)."""
    from graphstep import backend

    original = backend.svg_to_png

    def recording(svg, *args, **kwargs):
        frames.append(svg)
        return original(svg, *args, **kwargs)

    backend.svg_to_png = recording
    try:
        yield
    finally:
        backend.svg_to_png = original


def _matches(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and fnmatch.fnmatch(p.name, pattern))


def run_readme(workdir: Path, readme: Path = README) -> list[Block]:
    """Run every Python block of ``readme`` in order; collect each marked block's pictures.

    Parameters
    ----------
    workdir : Path
        An empty folder; block ``k`` runs in ``workdir/block_k``.
    readme : Path

    Returns
    -------
    list of Block
        With ``outputs``: for each file a marked block wrote that a target names,
        ``{file: frames}``, the words of each frame (one frame for an SVG or a PNG).

    Raises
    ------
    ValueError
        When a target matches nothing the block wrote, or a block writes more than one
        raster picture (their frames could not be told apart).
    """
    blocks = readme_blocks(readme.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "readme"}
    here = Path.cwd()
    try:
        for k, block in enumerate(blocks):
            folder = workdir / f"block_{k}"
            folder.mkdir(parents=True)
            os.chdir(folder)
            frames: list[str] = []
            with _recording_rasters(frames), contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block.code, f"{readme}:block {k}", "exec"), namespace)  # our README
            for target in block.targets:
                found = _matches(folder, Path(target).name)
                if not found:
                    raise ValueError(f"README block {k} is marked {target} but wrote no such file")
                for path in found:
                    name = str(Path(target).parent / path.name)
                    if path.suffix in RASTER:
                        if sum(p.suffix in RASTER for p in folder.iterdir()) > 1:
                            raise ValueError(f"README block {k} writes more than one raster picture")
                        block.outputs[name] = [svg_words(svg) for svg in frames]
                    else:
                        block.outputs[name] = [svg_words(path.read_bytes())]
    finally:
        os.chdir(here)
    return blocks


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    """Write the README's pictures and ``pictures.json``; print each file and its size."""
    from graphstep import backend

    os.environ[backend.ENV_VAR] = "graphviz-pure"
    manifest, report = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        blocks = run_readme(Path(tmp))
        for k, block in enumerate(blocks):
            for target in block.targets:  # drop pictures a glob no longer produces
                for stale in _matches(ROOT / Path(target).parent, Path(target).name):
                    if str(stale.relative_to(ROOT)) not in block.outputs:
                        stale.unlink()
            for name, frames in block.outputs.items():
                destination = ROOT / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(tmp) / f"block_{k}" / Path(name).name, destination)
                if destination.suffix in RASTER:
                    manifest[name] = {"sha256": _sha256(destination), "frames": frames}
                report.append(f"{name}  {destination.stat().st_size / 1024:.0f} KiB")
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    sys.exit(main())
