"""Every picture the README shows is what the code beside it draws.

``docs/images/make_images.py`` runs the README's Python blocks and copies the files each
marked block writes to ``docs/images/``. Here the blocks run again into a temporary
folder, and each committed picture is compared with its regenerated twin by the words it
shows (node and edge labels, captions; per frame for a GIF): independent of the layout
program's coordinates and of tooltips, so only a change of what a picture says fails.
After such a change, ``make docs`` (or ``python docs/images/make_images.py``) redraws them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent.parent
IMAGES = ROOT / "docs" / "images"
REDRAW = "run `python docs/images/make_images.py` (or `make docs`) and commit the pictures"


def _load_make_images():
    spec = importlib.util.spec_from_file_location("make_images", IMAGES / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_images", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_images = _load_make_images()


def _targets() -> list[str]:
    blocks = make_images.readme_blocks(make_images.README.read_text(encoding="utf-8"))
    return [t for b in blocks for t in b.targets]


def _changed(name: str, committed: list[list[str]], drawn: list[list[str]]) -> str:
    """Which words a picture gained and lost, frame by frame (for the failure message)."""
    lines = [f"{name} says something else now; {REDRAW}"]
    for k, (old, new) in enumerate(zip(committed, drawn, strict=False)):
        gained, lost = Counter(new) - Counter(old), Counter(old) - Counter(new)
        if gained or lost:
            lines.append(f"  frame {k + 1}: now {sorted(gained.elements())}, "
                         f"no longer {sorted(lost.elements())}")
    return "\n".join(lines)


def _committed(target: str) -> list[Path]:
    return make_images._matches(ROOT / Path(target).parent, Path(target).name)


def test_every_readme_picture_comes_from_a_marked_block():
    text = make_images.README.read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/images/[^)\s]+)\)", text))
    produced = {str(p.relative_to(ROOT)) for t in _targets() for p in _committed(t)}
    assert linked, "the README shows pictures"
    assert linked <= produced, f"pictures not drawn by README code: {sorted(linked - produced)}"
    on_disk = {str(p.relative_to(ROOT)) for p in IMAGES.rglob("*")
               if p.is_file() and p.suffix in (".svg", ".png", ".gif")}
    assert on_disk == produced, f"pictures no README code draws: {sorted(on_disk - produced)}"
    assert {"docs/images/x-exp-x2.svg", "docs/images/x-exp-x2-paths.gif"} <= produced
    assert len([p for p in produced if p.startswith("docs/images/gallery/")]) == 17


def test_the_first_picture_shows_adjoints_because_its_code_asks_for_them():
    words = make_images.svg_words((IMAGES / "x-exp-x2.svg").read_bytes())
    assert words.count("52.18") == 1  # ∂u₃/∂x = e^(x²)(2x² + 1) at x = 1.5, from Style(grad=True)
    assert words.count("∂u₃/∂x") == 2  # that adjoint, and the local derivative on the edge x -> u₃
    assert "∂u₃/∂u₃" in words


def test_marker_and_texts_parsing():
    md = ("text\n<!-- pictures: docs/images/a.svg docs/images/g/*.svg -->\n```python\nx = 1\n```\n"
          "```python\ny = 2\n```\n")
    blocks = make_images.readme_blocks(md)
    assert [(b.code, b.targets) for b in blocks] == [
        ("x = 1\n", ("docs/images/a.svg", "docs/images/g/*.svg")), ("y = 2\n", ())]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><title>tip</title><text>u<tspan>₂</tspan> '
           '= 3</text><text> </text><text>a</text></svg>')
    assert make_images.svg_words(svg) == ["3", "=", "a", "u₂"]


def test_a_marked_block_that_draws_nothing_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("<!-- picture: docs/images/missing.svg -->\n```python\nx = 1\n```\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match="marked docs/images/missing.svg but wrote no such file"):
        make_images.run_readme(tmp_path / "run", readme)


@pytest.mark.backend
def test_committed_pictures_say_what_the_readme_code_draws(tmp_path):
    manifest = json.loads(make_images.MANIFEST.read_text(encoding="utf-8"))
    blocks = make_images.run_readme(tmp_path)
    checked = 0
    for block in blocks:
        for target in block.targets:
            committed = {str(p.relative_to(ROOT)) for p in _committed(target)}
            drawn = {name for name in block.outputs if Path(name).match(target)}
            assert committed == drawn, f"{target}: {REDRAW}"
        for name, frames in block.outputs.items():
            path = ROOT / name
            if path.suffix in make_images.RASTER:
                entry = manifest[name]
                assert make_images._sha256(path) == entry["sha256"], f"{name} changed: {REDRAW}"
                with Image.open(path) as image:
                    assert getattr(image, "n_frames", 1) == len(entry["frames"]) == len(frames)
                assert entry["frames"] == frames, _changed(name, entry["frames"], frames)
            else:
                committed_words = [make_images.svg_words(path.read_bytes())]
                assert committed_words == frames, _changed(name, committed_words, frames)
            checked += 1
    assert checked == 20  # two pictures and a GIF of x·exp(x²), the outer product, 17 examples
