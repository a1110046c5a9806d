"""graphstep.export.animation: GIF and APNG through one code path."""

from __future__ import annotations

import pytest
from PIL import Image
from support import ladder as _ladder

import graphstep as gs
from graphstep import backend
from graphstep.export import animation
from graphstep.export import svg as export


@pytest.fixture
def sine():
    return gs.steps(gs.parse("sin(x)", x=0.5), "reverse")


@pytest.mark.backend
@pytest.mark.parametrize("kind, fmt, mode", [("gif", "GIF", "P"), ("apng", "PNG", "RGB")])
def test_one_frame_per_step_in_each_format(sine, tmp_path, kind, fmt, mode):
    path = animation.animate(export.layout(sine), tmp_path / f"a.{kind}", kind, duration=250, loop=2,
                             scale=0.5)
    with Image.open(path) as image:
        assert image.format == fmt and image.n_frames == len(sine)
        assert image.mode == mode and image.info["duration"] == 250 and image.info["loop"] == 2
        width, height = image.size
    frame_width, frame_height = (v * 0.5 for v in backend.svg_size(export.frame_svg(sine, 0)))
    assert abs(width - frame_width) <= 1 and abs(height - frame_height) <= 1


def test_formats_table_names_every_kind():
    assert set(animation.FORMATS) == set(animation.Animation)
    assert animation.Animation("gif") is animation.Animation.GIF
    assert animation.FORMATS[animation.Animation.GIF].streams  # GIF frames are not all held at once


@pytest.mark.parametrize("duration, loop, message", [
    (0, 0, "duration"), (True, 0, "duration"), (animation.MAX_DURATION + 1, 0, "duration"),
    ("1", 0, "duration"),
    (100, -1, "loop"), (100, 65536, "loop"), (100, 1.0, "loop"),
])
def test_bad_timing_is_refused_before_any_drawing(sine, tmp_path, monkeypatch, duration, loop, message):
    monkeypatch.setattr(export, "layout", lambda *a, **k: pytest.fail("drew before checking"))
    with pytest.raises(gs.InputError, match=message):
        export.to_gif(sine, tmp_path / "a.gif", duration=duration, loop=loop)
    assert animation.check_timing(1500.5, 0) == 1500


@pytest.mark.backend
def test_gif_and_apng_have_one_frame_per_step(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    gif = s.to_gif(tmp_path / "a.gif")
    with Image.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == len(s)
        assert image.info["duration"] == 1500
    apng = s.to_apng(tmp_path / "a.png", duration=500)
    with Image.open(apng) as image:
        assert image.format == "PNG" and image.n_frames == len(s)
    with pytest.raises(gs.InputError, match="duration"):
        export.to_gif(s, tmp_path / "b.gif", duration=0)




@pytest.mark.backend
def test_an_animation_too_large_to_hold_is_a_size_limit_error(tmp_path):
    g = _ladder(99)  # 200 nodes left to right: about 100,000 px wide
    s = gs.steps(g, "reverse")
    with pytest.raises(gs.SizeLimitError, match="too large to animate.*to_html"):
        s.to_gif(tmp_path / "big.gif")
    assert not (tmp_path / "big.gif").exists()
