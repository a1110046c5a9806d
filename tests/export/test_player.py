"""graphstep.export.player: the player's data replays every frame; its markup comes from
package data files."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from string import Template

import pytest
from support import ladder as _ladder

import graphstep as gs
from graphstep.export import player
from graphstep.export import svg as export
from graphstep.export.stepper import Stepper
from graphstep.text import pretty

pytestmark = pytest.mark.backend


@pytest.mark.parametrize("mode", ["forward", "local", "paths", "reverse"])
def test_replaying_the_stored_changes_gives_every_frames_classes_and_texts(xexp, mode):
    shared = export.layout(gs.steps(xexp, mode))
    data = player.player_data(shared)
    groups, slots = shared.group_classes(0), shared.slot_states(0)  # what the SVG holds at step 0
    assert data["groups"] == shared.group_ids and len(data["slots"]) == len(slots)
    for k, frame in enumerate(data["frames"]):
        for i, c in frame["g"]:
            groups[i] = data["classes"][c]
        for i, t, c in frame["s"]:
            slots[i] = (data["strings"][t], data["classes"][c])
        assert groups == shared.group_classes(k) and slots == shared.slot_states(k)


def test_the_templates_are_package_data_with_the_placeholders_filled(xexp):
    folder = resources.files("graphstep.export").joinpath("player")
    names = {"player.html", "player.css", "player.js", "page.html"}
    assert names <= {entry.name for entry in folder.iterdir()}
    identifiers = {name: set(Template(folder.joinpath(name).read_text("utf-8")).get_identifiers())
                   for name in names}
    assert identifiers["player.js"] == {"prefix", "delay"}
    assert identifiers["player.css"] == {"scope", "caption"}
    page = player.page(export.layout(gs.steps(xexp, "paths")), "a <b> & c")
    assert "<title>a &lt;b&gt; &amp; c</title>" in page and "<h1>a &lt;b&gt; &amp; c</h1>" in page
    assert not re.search(r"\$\{?[A-Za-z_]", page)  # every placeholder was filled
    fragment = player.fragment(export.layout(gs.steps(xexp, "paths")), "pp", delay=700)
    assert "}, 700);" in fragment and 'var P = "pp";' in fragment and "#pp .gs-caption{" in fragment


def test_the_fragment_holds_the_first_step_and_its_data(xexp):
    s = gs.steps(xexp, "reverse")
    fragment = export.player_html(s, prefix="demo")
    data = json.loads(re.search(r'id="demo-data">(.*?)</script>', fragment, re.S).group(1)
                      .replace("<\\/", "</"))
    assert len(data["frames"]) == len(s)
    title, text = (data["strings"][data["frames"][0][key]] for key in ("t", "x"))
    assert title.startswith("seed ū")
    assert f'<div class="gs-title">{html.escape(title)}</div><div class="gs-text">{html.escape(text)}</div>' \
        in fragment
    assert f'max="{len(s) - 1}"' in fragment and f"step 1 of {len(s)}" in fragment


def test_the_data_names_every_node_for_the_search_box(xexp):
    shared = export.layout(gs.steps(xexp, "reverse"))
    data = player.player_data(shared)
    named = {shared.group_ids[i]: label for i, label in data["nodes"]}
    assert named == {f"n{n}": pretty(xexp.label(n)) for n in range(len(xexp))}
    fragment = player.fragment(shared, "sb")
    assert 'class="gs-search"' in fragment and 'list="sb-names"' in fragment
    assert all(f'<option value="{html.escape(pretty(xexp.label(n)))}">' in fragment for n in range(len(xexp)))


def test_the_estimated_size_is_close_to_the_written_players():
    for g in (_ladder(99), gs.parse("x * exp(x^2) + sin(x)/x", x=1.5)):
        s = gs.steps(g, "reverse")
        written = len(export.player_html(s).encode("utf-8"))
        estimate = player.estimated_size(len(g), sum(1 for _ in g.edges()), len(s))
        assert 0.6 < estimate / written < 1.6, (len(g), estimate, written)


def test_a_player_over_the_limit_is_refused_before_graphviz_runs(monkeypatch, tmp_path):
    g = _ladder(99)
    s = gs.steps(g, "reverse")
    edges = sum(1 for _ in g.edges())
    monkeypatch.setattr(player, "PLAYER_MAX_BYTES", 100_000)
    monkeypatch.setattr(player.check_size, "__defaults__", (100_000,))

    def no_layout(*args, **kwargs):
        raise AssertionError("Graphviz ran")

    monkeypatch.setattr(export, "layout", no_layout)
    for write in (lambda: s.to_html(tmp_path / "p.html"), lambda: export.player_html(s)):
        with pytest.raises(gs.SizeLimitError) as error:
            write()
        message = str(error.value)
        assert f"{len(g):,} nodes, {edges:,} edges and {len(s):,} steps" in message
        assert "limit of 0 MB" not in message and "focus=" in message and "collapse=" in message
        assert "save_all" in message
    assert list(tmp_path.iterdir()) == []


def test_prefixes():
    assert player.check_prefix("a-b_1") == "a-b_1"
    fresh = {player.check_prefix(None) for _ in range(50)}
    assert len(fresh) == 50 and all(re.fullmatch(r"gs[0-9a-f]{10}", p) for p in fresh)
    for bad in ("1a", "a b", "", "a\"", 7):
        with pytest.raises(gs.InputError, match="prefix"):
            player.check_prefix(bad)


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




def test_player_of_200_steps_on_200_nodes_stays_under_the_limit():
    g = _ladder(99)
    assert len(g) == 200
    s = gs.steps(g, "reverse")
    s200 = Stepper(g, "reverse", None, list(s.steps)[:200])
    page = export.player_html(s200)
    assert len(page.encode("utf-8")) < export.PLAYER_LIMIT
    assert page.count("<svg") == 1


def test_the_picture_scales_to_its_column_and_has_zoom_controls(xexp):
    shared = export.layout(gs.steps(xexp, "reverse"))
    html_text = player.fragment(shared, "zp")
    svg = re.search(r"<svg [^>]*>", html_text).group(0)
    width = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', svg).group(1))
    # as wide as the column, never past the natural size, the height following the viewBox;
    # no min-width (it made wide graphs scroll sideways out of sight)
    style = re.search(r'style="width:100%;max-width:([\d.]+)pt;height:auto"', svg)
    assert style and float(style.group(1)) == pytest.approx(width, abs=1) and "min-width" not in svg
    for button in ("gs-zoom-out", "gs-zoom-fit", "gs-zoom-in", "gs-open"):
        assert html_text.count(f'class="{button}"') == 1
    assert '<span class="gs-level"' in html_text and '<span class="gs-scaled">' in html_text
