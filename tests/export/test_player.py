"""graphstep.export.player: the player's data replays every frame; its markup comes from
package data files."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from string import Template

import pytest

import graphstep as gs
from graphstep.export import player
from graphstep.export import svg as export

pytestmark = pytest.mark.backend


@pytest.fixture
def xexp():
    return gs.parse("x * exp(x^2)", x=1.5)


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


def test_prefixes():
    assert player.check_prefix("a-b_1") == "a-b_1"
    fresh = {player.check_prefix(None) for _ in range(50)}
    assert len(fresh) == 50 and all(re.fullmatch(r"gs[0-9a-f]{10}", p) for p in fresh)
    for bad in ("1a", "a b", "", "a\"", 7):
        with pytest.raises(gs.InputError, match="prefix"):
            player.check_prefix(bad)
