"""graphstep.export.files: picture files (the atomic writing itself is tested in
tests/test_atomic_writes.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import graphstep as gs
from graphstep import backend
from graphstep.export import files

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="30pt" height="15pt"><rect width="5" height="5"/></svg>'


def test_svg_file_data_declares_xml_or_rasterises():
    data = files.svg_file_data(SVG)
    assert data == ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + SVG).encode()
    png = Image.open(io.BytesIO(files.svg_file_data(SVG, "png", scale=1)))
    assert png.size == (40, 20)  # 30pt x 15pt at one pixel per CSS pixel
    with pytest.raises(gs.RenderError, match="svg or png"):
        files.svg_file_data(SVG, "gif")


def test_a_failed_layout_leaves_the_dot_source_beside_the_picture(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise gs.RenderError("no layout today")

    monkeypatch.setattr(backend, "run_dot", broken)
    with pytest.raises(gs.RenderError, match=r"no layout today \(the DOT source is in .*g\.dot\)"):
        files.render_dot("digraph { a -> b }", tmp_path / "g.png", "png")
    assert (tmp_path / "g.dot").read_text() == "digraph { a -> b }"
    assert not (tmp_path / "g.png").exists()


@pytest.mark.backend
def test_render_dot_writes_the_cleaned_svg(tmp_path):
    path = files.render_dot("digraph { a -> b }", tmp_path / "g.svg", "svg")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<!--" not in text and "<title>" not in text
    assert text.count('<g id="node') == 2


def test_progress_passes_items_through_without_a_terminal():
    assert list(files.progress(iter(range(50)), 50, "frames")) == list(range(50))
