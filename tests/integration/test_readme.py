"""The README's Python examples run as written, and their commented results are right."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import graphstep as gs

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
    assert "u3 ← u2 ← u1 ← x: x · exp(u1) · 2·x = 42.6948" in printed
    assert "∂L/∂W1 = Xᵀ (G_u2 ⊙ u2 ⊙ (1 - u2))" in printed
    assert "G_W1 = Xᵀ G_u1" in printed
    for name in ("graph.svg", "player.html", "paths.gif"):
        assert (tmp_path / name).stat().st_size > 0
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert "</svg>" in svg and "9.488" in svg  # e^{x^2} at x = 1.5, on u2 and its edge
    assert "<svg" in (tmp_path / "player.html").read_text(encoding="utf-8")
    from PIL import Image

    n_steps = len(gs.steps(namespace["g"], mode="paths"))
    with Image.open(tmp_path / "paths.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == n_steps
    frames = sorted((tmp_path / "frames").iterdir())
    assert len(frames) == n_steps and all(f.suffix == ".svg" for f in frames)
    assert "path 2 of 2" in frames[1].read_text(encoding="utf-8")


def test_readme_numbers():
    text = README.read_text(encoding="utf-8")
    g = gs.parse("x * exp(x^2)", x=1.5)
    assert "52.1825" in text and round(gs.grad(g, "x"), 4) == 52.1825
    h = gs.parse("[ln(x^2), sin(3*x)]", x=1.2)
    np.testing.assert_allclose(gs.jacobian(h, "x", layout="denominator"),
                               gs.jacobian(h, "x").T)
    assert gs.jacobian(h, "x")[0, 0] == pytest.approx(2 / 1.2)
