"""graphstep.export.layout and graphstep.export.svg: the template made with xml.etree, and
the layout a stepper keeps."""

from __future__ import annotations

import re
import types
import xml.etree.ElementTree as ET

import pytest

import graphstep as gs
from graphstep import backend
from graphstep.export import svg as export
from graphstep.export.layout import SVG_NS, Layout, prefix_ids
from graphstep.gallery.examples import EXAMPLES
from graphstep.jupyter import mimebundle
from graphstep.render.dot import Style

pytestmark = pytest.mark.backend

Q = f"{{{SVG_NS}}}"


def _groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{Q}g") if g.get("id", "")[:1] in "ne"
            and g.get("id") != "graph0"}


@pytest.mark.parametrize("mode", ["forward", "reverse", "paths", "forward-mode"])
def test_every_frame_is_the_template_filled_with_that_steps_classes_and_texts(xexp, mode):
    s = gs.steps(xexp, mode, "x" if mode == "forward-mode" else None)
    shared = export.layout(s)
    for k in range(len(s)):
        frame = shared.frame(k)
        assert "ns0:" not in frame and "\ue000" not in frame and "\ue001" not in frame
        root = ET.fromstring(frame)  # well-formed, in the SVG namespace
        assert root.tag == f"{Q}svg"
        groups = _groups(root)
        assert list(groups) == shared.group_ids
        classes = shared.group_classes(k)
        assert [groups[gid].get("class") for gid in shared.group_ids] == classes
        slots = [t for t in root.iter(f"{Q}text") if (t.get("class") or "").startswith("gs-slot")]
        assert [(t.text or "", t.get("class")) for t in slots] == shared.slot_states(k)
        captions = [t.text for t in root if t.tag == f"{Q}text"]
        assert captions[-1] == f"step {k + 1} of {len(s)}"


def test_the_template_tags_outlines_lines_and_arrowheads(xexp):
    shared = export.layout(gs.steps(xexp, "reverse"))
    groups = _groups(ET.fromstring(shared.frame(0)))
    for gid, group in groups.items():
        roles = [e.get("class") for e in group if e.tag in (f"{Q}path", f"{Q}polygon")]
        if gid.startswith("n"):
            assert roles[0] == "gs-shape"
        else:
            assert roles[0] == "gs-line" and "gs-head" in roles
    # a node's slot texts are centred on its outline
    x = shared.positions()[0][0]
    slots = [t for t in groups["n0"].iter(f"{Q}text") if "gs-slot" in (t.get("class") or "")]
    assert slots and all(t.get("x") == f"{x:.2f}" and t.get("text-anchor") == "middle" for t in slots)


def test_the_player_svg_has_prefixed_ids_and_no_caption_band(xexp):
    shared = export.layout(gs.steps(xexp, "paths"))
    svg = shared.player_svg("pq")
    root = ET.fromstring(svg)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids and all(i.startswith("pq") for i in ids)
    assert {f"pqs{j}" for j in range(len(shared.slot_keys))} <= set(ids)
    assert root.get("width") is None and root.get("height") is None
    assert root.get("style").startswith("width:100%;max-width:")
    assert "#pq .gs-n.gs-focus>.gs-shape" in svg and "step 1 of" not in svg


def test_prefix_ids_rewrites_only_references_to_defined_ids():
    markup = '<svg><g id="a" fill="url(#a)"/><use href="#a"/><use href="#b"/><p data-id="c"/></svg>'
    assert prefix_ids(markup, "x-") == ('<svg><g id="x-a" fill="url(#x-a)"/><use href="#x-a"/>'
                                        '<use href="#b"/><p data-id="c"/></svg>')


def test_the_stepper_keeps_one_layout_per_style(xexp):
    s = gs.steps(xexp, "paths")
    first = export.layout(s)
    assert export.layout(s) is first and s.layouts == {Style(): first}
    tall = export.layout(s, Style(direction="BT"))
    assert tall is not first and len(s.layouts) == 2
    other = gs.steps(xexp, "paths")  # the same steps in another stepper: its own layout
    assert export.layout(other) is not first


def test_an_object_without_layouts_gets_a_fresh_layout_each_time(xexp):
    walk = types.SimpleNamespace(graph=xexp, steps=gs.steps(xexp, "reverse").steps)
    one, two = export.layout(walk), export.layout(walk)
    assert one is not two and one.frame(1) == two.frame(1)


def test_a_layout_made_directly_equals_the_steppers(xexp):
    s = gs.steps(xexp, "reverse")
    assert Layout(xexp, s.steps).frame(2) == export.frame_svg(s, 2)


_SHAPE = re.compile(r'<g id="(n\d+)" class="[^"]*">.*?<(?:path|polygon) class="gs-shape"([^>]*)>', re.S)


def shapes(svg: str) -> dict[str, str]:
    """Node id -> the outline's geometry attributes (points / path data)."""
    return {gid: re.search(r'(?:points|d)="([^"]*)"', attrs).group(1)
            for gid, attrs in _SHAPE.findall(svg)}


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
