"""graphstep.export.svg: frames on one layout, the HTML player, GIF/APNG, Jupyter bundles."""

from __future__ import annotations

import html
import json
import math
import re

import pytest
from PIL import Image

import graphstep as gs
from graphstep import backend
from graphstep.export import svg as export
from graphstep.export.stepper import Stepper
from graphstep.gallery.examples import EXAMPLES
from graphstep.jupyter import mimebundle
from graphstep.render.annotate import annotations
from graphstep.render.style import Style
from graphstep.text import pretty

pytestmark = pytest.mark.backend

_SHAPE = re.compile(r'<g id="(n\d+)" class="[^"]*">.*?<(?:path|polygon) class="gs-shape"([^>]*)>', re.S)
_SLOT = re.compile(r'<text\b[^>]*class="gs-slot gs-(\w+)[^"]*">(.*?)</text>', re.S)


def shapes(svg: str) -> dict[str, str]:
    """Node id -> the outline's geometry attributes (points / path data)."""
    return {gid: re.search(r'(?:points|d)="([^"]*)"', attrs).group(1)
            for gid, attrs in _SHAPE.findall(svg)}


def group_class(svg: str, gid: str) -> str:
    return re.search(rf'<g id="{gid}" class="([^"]*)"', svg).group(1)


def group_slots(svg: str, gid: str) -> list[tuple[str, str]]:
    body = re.search(rf'<g id="{gid}" class="[^"]*">(.*?)</g>', svg, re.S).group(1)
    return [(kind, html.unescape(text)) for kind, text in _SLOT.findall(body)]


@pytest.fixture
def xexp():
    return gs.parse("x * exp(x^2)", x=1.5)


@pytest.mark.parametrize("mode", ["forward", "local", "paths", "reverse", "forward-mode"])
def test_positions_are_identical_in_every_frame(xexp, mode):
    s = gs.steps(xexp, mode, "x" if mode == "forward-mode" else None)
    frames = export.frames(s)
    assert len(frames) == len(s)
    first = shapes(frames[0])
    assert set(first) == {f"n{n}" for n in range(len(xexp))}
    for frame in frames[1:]:
        assert shapes(frame) == first
        # the same canvas size too
        assert backend.svg_size(frame) == backend.svg_size(frames[0])


def test_positions_identical_on_a_tensor_graph_in_reverse():
    g = EXAMPLES["two-layer-tanh"].graph()
    s = gs.steps(g, "reverse")
    frames = export.frames(s)
    assert len({tuple(sorted(shapes(f).items())) for f in frames}) == 1
    layout = export.layout(s)
    assert set(layout.positions()) == set(range(len(g)))


def test_frames_show_what_the_dot_picture_of_the_step_shows(xexp):
    s = gs.steps(xexp, "reverse")
    frames = export.frames(s)
    for k, (step, frame) in enumerate(zip(s, frames)):
        a = annotations(xexp, step)
        for n in range(len(xexp)):
            shown = dict(group_slots(frame, f"n{n}"))
            for kind in ("value", "adjoint", "tangent"):
                if (kind, n) in a.texts:
                    assert shown.get(kind) == a.texts[(kind, n)], (k, n, kind)
                else:
                    assert shown.get(kind, "") == ""
            assert ("gs-focus" in group_class(frame, f"n{n}")) == (n in step.focus_nodes)
            assert ("gs-main" in group_class(frame, f"n{n}")) == (n == a.main_node)
        for t, h, p in xexp.edges():
            assert ("gs-focus" in group_class(frame, f"e{t}_{h}_{p}")) == ((t, h, p) in step.focus_edges)
        assert html.escape(pretty(step.title), quote=False) in frame
        assert f"step {k + 1} of {len(s)}" in frame


def test_forward_frames_fill_in_values(xexp):
    s = gs.steps(xexp, "forward")
    first, last = export.frames(s)[0], export.frames(s)[-1]
    assert ("value", "?") in group_slots(first, "n3")
    assert 'class="gs-slot gs-value gs-unknown"' in first
    assert ("value", "9.488") in group_slots(last, "n3")


def test_layout_runs_graphviz_once_per_stepper(xexp, monkeypatch):
    s = gs.steps(xexp, "paths")
    calls = []
    real = backend.run_dot
    monkeypatch.setattr(backend, "run_dot", lambda *a, **k: calls.append(1) or real(*a, **k))
    export.frames(s)
    export.frame_svg(s, 1)
    export.player_html(s)
    mimebundle(s)
    assert len(calls) == 1
    export.frames(s, style=Style(direction="BT"))  # another style is another layout
    assert len(calls) == 2


def test_frame_index_out_of_range(xexp):
    s = gs.steps(xexp, "paths")
    with pytest.raises(gs.InputError, match="out of range"):
        export.layout(s).frame(len(s))


def test_save_all_numbered_svg_and_png(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    paths = s.save_all(tmp_path / "svg")
    assert [p.name for p in paths] == [f"step_{k:03d}.svg" for k in range(1, len(s) + 1)]
    assert "ū₃" in paths[0].read_text(encoding="utf-8")
    pngs = export.save_all(s, tmp_path / "png", fmt="png", scale=1)
    sizes = {Image.open(p).size for p in pngs}
    assert len(pngs) == len(s) and len(sizes) == 1
    width, height = backend.svg_size(export.frames(s)[0])  # scale=1: one pixel per CSS pixel
    ((got_width, got_height),) = sizes  # resvg rounds the size; allow one pixel either way
    assert abs(got_width - math.ceil(width)) <= 1 and abs(got_height - math.ceil(height)) <= 1
    with pytest.raises(gs.RenderError, match="svg or png"):
        export.save_all(s, tmp_path, fmt="jpg")


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


def _ids(page: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', page)


def test_html_player_is_one_self_contained_file(xexp, tmp_path):
    s = gs.steps(xexp, "paths")
    out = s.to_html(tmp_path / "player.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["player.html"]
    page = out.read_text(encoding="utf-8")
    assert not re.search(r'\b(src|href)\s*=\s*["\']?(https?:)?//', page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert page.count("<svg") == 1  # the picture is stored once
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                                re.S).group(1).replace("<\\/", "</"))
    assert len(data["frames"]) == len(s)
    for step, frame in zip(s, data["frames"]):
        assert data["strings"][frame["x"]] == pretty(step.text)
        assert data["strings"][frame["t"]] == pretty(step.title)
    for control in ("gs-prev", "gs-next", "gs-play", 'type="range"', "ArrowRight", "ArrowLeft"):
        assert control in page
    assert len(_ids(page)) == len(set(_ids(page)))


def test_two_players_on_one_page_have_distinct_ids(xexp):
    s = gs.steps(xexp, "paths")
    first, second = export.player_html(s), export.player_html(s)
    assert set(_ids(first)).isdisjoint(_ids(second))
    named = export.player_html(s, prefix="demo")
    assert all(i.startswith("demo") for i in _ids(named))
    assert "#demo .gs-n.gs-focus" in named  # styles are scoped to their player
    with pytest.raises(gs.InputError, match="prefix"):
        export.player_html(s, prefix="1 bad")


def _ladder(rungs: int):
    previous, current = gs.var("a", 0.9), gs.var("b", 0.7)
    for _ in range(rungs):
        previous, current = current, gs.sin(current) * previous
    return gs.graph(current)


def test_player_of_200_steps_on_200_nodes_stays_under_the_limit():
    g = _ladder(99)
    assert len(g) == 200
    s = gs.steps(g, "reverse")
    s200 = Stepper(g, "reverse", None, list(s.steps)[:200])
    page = export.player_html(s200)
    assert len(page.encode("utf-8")) < export.PLAYER_LIMIT
    assert page.count("<svg") == 1


def test_mimebundle_of_a_graph_and_a_stepper(xexp, monkeypatch):
    bundle = xexp._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<svg") and "9.488" in bundle["image/svg+xml"]
    assert bundle["text/plain"] == repr(xexp)
    s = gs.steps(xexp, "reverse")
    s.goto(2)
    bundle = s._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    assert "gs-player" in bundle["text/html"] and "<script>" in bundle["text/html"]
    assert bundle["image/svg+xml"] == export.frame_svg(s, 2)
    assert bundle["text/plain"] == str(s)
    assert "text/html" not in mimebundle(s, svg_only=True)
    monkeypatch.setattr(s, "svg_only", True, raising=False)
    assert "text/html" not in s._repr_mimebundle_()
    monkeypatch.setattr(s, "svg_only", False, raising=False)
    monkeypatch.setenv("GRAPHSTEP_SVG_ONLY", "1")
    assert set(s._repr_mimebundle_()) == {"image/svg+xml", "text/plain"}
    with pytest.raises(gs.InputError, match="a Graph, a Step or a stepper"):
        mimebundle(42)


def test_mimebundle_of_one_step_shows_that_step(xexp):
    step = gs.steps(xexp, "reverse").steps[-1]  # every adjoint known: x̄ = 52.18
    bundle = step._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "52.18" in bundle["image/svg+xml"] and bundle["text/plain"] == str(step)
    first = gs.steps(xexp, "reverse").steps[0]  # only the seed is known
    assert "52.18" not in first._repr_mimebundle_()["image/svg+xml"]


def test_empty_or_foreign_steppers_are_errors(xexp):
    with pytest.raises(gs.InputError, match="no steps"):
        export.frames(Stepper(xexp, "paths", None, []))
    with pytest.raises(gs.InputError, match="stepper"):
        export.frames([1, 2])


def test_an_animation_too_large_to_hold_is_a_size_limit_error(tmp_path):
    g = _ladder(99)  # 200 nodes left to right: about 100,000 px wide
    s = gs.steps(g, "reverse")
    with pytest.raises(gs.SizeLimitError, match="too large to animate.*to_html"):
        s.to_gif(tmp_path / "big.gif")
    assert not (tmp_path / "big.gif").exists()
