"""The README's Python examples run as written, and their commented results are right."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import graphstep as gs
from graphstep.gallery.examples import EXAMPLES

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 4


@pytest.mark.backend
def test_readme_examples_run_in_order(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in python_blocks():
        exec(compile(block, str(README), "exec"), namespace)  # our own README, not user text
    printed = capsys.readouterr().out
    assert "52.1825470999" in printed  # gs.grad of the five-line example
    assert "u3 ← u2 ← u1 ← x: x · exp(u1) · 2·x = 42.6948" in printed
    assert "∂L/∂W1 = Xᵀ (G_Z1 ⊙ Z1 ⊙ (1 - Z1))" in printed  # the gallery's program names Z1, Z2
    assert "G_W1 = Xᵀ G_u1" in printed
    written = ["x-exp-x2.svg", "x-exp-x2-paths.gif", "player.html", "paths.gif", "outer-product.svg"]
    for name in written:
        assert (tmp_path / name).stat().st_size > 0
    svg = (tmp_path / "x-exp-x2.svg").read_text(encoding="utf-8")
    assert "</svg>" in svg and "9.488" in svg and "52.18" in svg  # e^(x²) and the adjoint of x
    assert "<svg" in (tmp_path / "player.html").read_text(encoding="utf-8")
    assert {p.stem for p in tmp_path.glob("*.svg")} == set(EXAMPLES)  # both README names included
    from PIL import Image

    n_steps = len(gs.steps(gs.parse("x * exp(x^2)", x=1.5), mode="paths"))
    with Image.open(tmp_path / "paths.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == n_steps
    with Image.open(tmp_path / "x-exp-x2-paths.gif") as gif:
        assert gif.n_frames == 3  # two paths and their sum
    frames = sorted((tmp_path / "frames").iterdir())
    assert len(frames) == n_steps and all(f.suffix == ".svg" for f in frames)
    assert "path 2 of 2" in frames[1].read_text(encoding="utf-8")


def test_readme_first_screen_is_for_a_newcomer():
    text = README.read_text(encoding="utf-8")
    first_screen = text[:text.index("## Install")]
    for needed in ("make demo", "make test", "```python", "![", "gs.parse(", "gs.grad("):
        assert needed in first_screen
    block = re.search(r"```python\n(.*?)```", first_screen, flags=re.S)[1]
    assert len([line for line in block.splitlines() if line.strip()]) <= 6
    for jargon in ("seed 0", "seed gallery", "../shared", "slides", "lecture"):
        assert jargon not in text.lower(), jargon


def test_readme_numbers():
    text = README.read_text(encoding="utf-8")
    g = gs.parse("x * exp(x^2)", x=1.5)
    assert "52.1825" in text and round(gs.grad(g, "x"), 4) == 52.1825
    h = gs.parse("[ln(x^2), sin(3*x)]", x=1.2)
    np.testing.assert_allclose(gs.jacobian(h, "x", layout="denominator"),
                               gs.jacobian(h, "x").T)
    assert gs.jacobian(h, "x")[0, 0] == pytest.approx(2 / 1.2)
