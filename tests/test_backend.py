"""graphstep.backend: every Graphviz executable present, PNG rasterisation, clear errors."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import graphstep as gs
from graphstep import backend
from graphstep.render.dot import to_dot


@pytest.fixture
def executable(dot_backend):
    """The ``(kind, path)`` the conftest's ``dot_backend`` forced through GRAPHSTEP_DOT."""
    kind = "graphviz-pure" if dot_backend == "pure" else "system"
    return kind, os.environ[backend.ENV_VAR]


@pytest.mark.backend
def test_svg_through_every_backend(executable, xexp, tmp_path):
    kind, path = executable
    assert backend.find_executable() == ("env", path)
    out = gs.render(xexp, tmp_path / "g.svg")
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "</svg>" in svg
    for n in range(len(xexp)):
        assert f'id="n{n}"' in svg
    assert "u₂\u00a0=\u00a0exp(u₁)" in svg and "9.488" in svg and "∂u₃/∂x = u₂" in svg
    assert "DejaVu Sans" in svg and 'stroke="transparent"' not in svg


@pytest.mark.backend
def test_png_through_every_backend_is_drawn_from_svg(executable, xexp, tmp_path):
    out = gs.render(xexp, tmp_path / "g.png")
    image = Image.open(out)
    width, height = backend.svg_size(backend.clean_svg(backend.run_dot(to_dot(xexp)).decode()))
    assert image.size == (pytest.approx(2 * width, abs=1), pytest.approx(2 * height, abs=1))
    pixels = np.asarray(image.convert("L"))
    assert pixels.min() < 80 and pixels.max() == 255  # ink on a white page
    small = gs.render(xexp, tmp_path / "small.png", scale=0.5)
    assert Image.open(small).size[0] == pytest.approx(width / 2, abs=1)


@pytest.mark.backend
def test_pdf_where_the_backend_can(executable, xexp, tmp_path):
    kind, _ = executable
    if kind == "graphviz-pure":
        with pytest.raises(gs.RenderError, match="PDF needs Graphviz"):
            gs.render(xexp, tmp_path / "g.pdf")
        assert (tmp_path / "g.dot").read_text(encoding="utf-8") == to_dot(xexp)
    else:
        out = gs.render(xexp, tmp_path / "g.pdf")
        assert out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.backend
def test_a_stepper_renders_its_current_step(executable, xexp, tmp_path):
    s = gs.steps(xexp, "paths")
    s.goto(1)
    svg = gs.render(s, tmp_path / "s.svg").read_text(encoding="utf-8")
    assert "path 2 of 2" in svg and "gs-focus" in svg
    assert s.render(tmp_path / "s2.svg").read_text(encoding="utf-8") == svg


@pytest.mark.backend
def test_broken_dot_is_a_render_error_quoting_graphviz(executable):
    with pytest.raises(gs.RenderError, match="failed"):
        backend.run_dot("digraph { a -> }", "svg")


def test_missing_executable_says_how_to_install_and_still_writes_dot(monkeypatch, xexp, tmp_path):
    monkeypatch.delenv(backend.ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(backend, "_pure_candidates", lambda: [])
    assert backend.available_backends() == []
    with pytest.raises(gs.RenderError) as error:
        gs.render(xexp, tmp_path / "out" / "g.svg")
    message = str(error.value)
    assert "pip install" in message and "apt-get install graphviz" in message
    assert "GRAPHSTEP_DOT" in message and str(tmp_path / "out" / "g.dot") in message
    assert (tmp_path / "out" / "g.dot").read_text(encoding="utf-8") == to_dot(xexp)
    s = gs.steps(xexp, "reverse")
    with pytest.raises(gs.RenderError, match="no Graphviz executable.*s\\.dot"):
        gs.render(s, tmp_path / "s.png")
    assert (tmp_path / "s.dot").read_text(encoding="utf-8") == to_dot(xexp, s.current)
    # Jupyter falls back to text that says why there is no picture
    for obj in (xexp, s):
        bundle = obj._repr_mimebundle_()
        assert set(bundle) == {"text/plain"} and "no picture: no Graphviz" in bundle["text/plain"]


def test_graphstep_dot_naming_nothing_is_an_error_not_a_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv(backend.ENV_VAR, str(tmp_path / "no-such-dot"))
    with pytest.raises(gs.RenderError, match="GRAPHSTEP_DOT=.*no-such-dot.*not an executable"):
        backend.find_executable()


def test_graphviz_pure_is_found_next_to_python():
    kinds = [kind for kind, _ in backend.available_backends()]
    assert "graphviz-pure" in kinds  # a default dependency: pip install alone renders
    path = dict(backend.available_backends())["graphviz-pure"]
    assert Path(path).name.startswith("graphviz-pure") and os.access(path, os.X_OK)


def test_raster_size_is_capped_before_rendering():
    huge = '<svg xmlns="http://www.w3.org/2000/svg" width="40000pt" height="30000pt"/>'
    with pytest.raises(gs.SizeLimitError, match="over the limit"):
        backend.svg_to_png(huge, scale=1)
    # without an explicit scale, the scale drops (not below 1) to stay under DEFAULT_PIXELS
    wide = '<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000"/>'
    image = Image.open(io.BytesIO(backend.svg_to_png(wide)))
    assert image.size[0] * image.size[1] <= backend.DEFAULT_PIXELS
    # 3000x2000 = 6e6 px, so the scale is sqrt(12e6 / 6e6) = sqrt(2) (below the default 2)
    zoom = (backend.DEFAULT_PIXELS / (3000 * 2000)) ** 0.5
    assert zoom < backend.DEFAULT_SCALE
    assert image.size == (pytest.approx(3000 * zoom, abs=1), pytest.approx(2000 * zoom, abs=1))
    with pytest.raises(gs.RenderError, match="positive"):
        backend.svg_to_png(wide, scale=-1)


def _font_present() -> bool:
    roots = ["/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"),
             "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts"]
    for root in roots:
        for _dirpath, _dirs, files in os.walk(root):
            if any(f.lower().startswith(("dejavusans", "verdana")) for f in files):
                return True
    return False


def _ink(text: str) -> np.ndarray:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40">'
           f'<text x="10" y="30" font-family="{backend.FONT_FAMILY}" font-size="24">{text}</text></svg>')
    return np.asarray(Image.open(io.BytesIO(backend.svg_to_png(svg, scale=1))).convert("L"))


@pytest.mark.parametrize("glyph", ["⊙", "⊗", "∂", "ᵀ", "₁", "∑", "²"])
def test_png_draws_the_math_glyphs(glyph):
    if not _font_present():
        pytest.skip("no DejaVu Sans or Verdana font installed: the PNG would fall back to boxes")
    missing = _ink("\U000f0000")  # a private-use code point no font draws: the .notdef box
    drawn = _ink(glyph)
    assert (drawn < 128).sum() > 5  # something is drawn
    assert not np.array_equal(drawn, missing)  # and it is not the missing-glyph box
    assert not np.array_equal(drawn, _ink("⊕" if glyph != "⊕" else "⊖"))  # a glyph of its own


def test_clean_svg_makes_graphviz_output_inlineable():
    raw = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- Generated by graphviz -->\n'
           '<svg width="10pt" height="10pt" viewBox="0 0 10 10"><g id="graph0" class="graph">'
           '<g id="n0" class="node"><title>n0</title>'
           '<path fill="white" stroke="transparent" d="M0,0 L10,0 L10,10 L0,10 Z"/>'
           '<text text-anchor="start" x="1" y="5" font-family="DejaVu Sans">a</text></g></g></svg>')
    svg = backend.clean_svg(raw)
    assert svg.startswith("<svg") and "<!--" not in svg and "transparent" not in svg
    assert "<title>" not in svg
    # the font list is given once, on the graph group, and inherited by every text
    assert f'<g id="graph0" class="graph" font-family="{backend.FONT_FAMILY}">' in svg
    assert svg.count("font-family") == 1
    assert 'text-anchor="middle" x="5.00"' in svg  # centred on the node outline


def test_system_dot_lookup_uses_path(monkeypatch):
    monkeypatch.delenv(backend.ENV_VAR, raising=False)
    kinds = [kind for kind, _ in backend.available_backends()]
    assert ("system" in kinds) == (shutil.which("dot") is not None)
