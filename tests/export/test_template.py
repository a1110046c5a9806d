"""graphstep.export.template: compacting a group draws the same picture in fewer characters."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphstep as gs
from graphstep.export import svg as export
from graphstep.export.template import compact, relative_path

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def absolute_points(d: str) -> list[tuple[float, float]]:
    """The points of an ``M``/``C`` or ``M``/``c`` path, in absolute coordinates."""
    points: list[tuple[float, float]] = []
    for command in re.findall(r"[MCc][^MCc]*", d):
        numbers = [float(n) for n in NUMBER.findall(command)]
        pairs = list(zip(numbers[0::2], numbers[1::2]))
        if command[0] in "MC":
            points.extend(pairs)
            continue
        x0, y0 = points[-1]
        for i in range(0, len(pairs), 3):
            segment = [(x0 + dx, y0 + dy) for dx, dy in pairs[i:i + 3]]
            points.extend(segment)
            x0, y0 = segment[-1]
    return points


coordinate = st.floats(-20000, 20000, allow_nan=False).map(lambda v: round(v, 2))
curves = st.lists(st.tuples(coordinate, coordinate), min_size=4, max_size=40).filter(
    lambda p: len(p) % 3 == 1)


@given(curves)
def test_a_relative_path_has_graphvizs_points_to_a_twentieth_of_a_point(points):
    d = f"M{points[0][0]},{points[0][1]}C" + " ".join(f"{x},{y}" for x, y in points[1:])
    shorter = relative_path(d)
    assert shorter is not None
    drawn = absolute_points(shorter)
    assert len(drawn) == len(points)
    for (x, y), (u, v) in zip(points, drawn):  # no drift along a long path
        assert abs(x - u) <= 0.05 + 1e-6 and abs(y - v) <= 0.05 + 1e-6


def test_other_paths_are_left_alone():
    assert relative_path("M1,1L2,2") is None
    assert relative_path("M1,1C2,2 3,3") is None
    assert relative_path("M1,1C2,2 3,3 4,4z") is None


def test_compact_drops_only_invisible_boxes_and_rounds_points():
    group = ET.fromstring(
        '<g><polygon fill="none" stroke="none" points="1,1 2,2"/>'
        '<polygon fill="white" stroke="none" points="1.26,1 2,2"/>'
        '<polyline fill="none" stroke="black" points="0.04,9.96 3,3"/>'
        '<path d="M0,0C1.04,1 2,2 3,3"/></g>')
    compact(group)
    assert [(e.tag, e.get("points") or e.get("d")) for e in group] == [
        ("polygon", "1.3,1 2,2"), ("polyline", "0,10 3,3"), ("path", "M0,0c1,1 2,2 3,3")]


@pytest.mark.backend
def test_frames_are_smaller_and_keep_every_node_and_edge(xexp):
    s = gs.steps(xexp, "reverse")
    shared = export.layout(s)
    frame = shared.frame(len(s) - 1)
    assert '<polygon fill="none" stroke="none"' in shared.svg  # Graphviz's invisible label boxes
    assert '<polygon fill="none" stroke="none"' not in frame
    root = ET.fromstring(frame)
    groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id") in shared.group_ids]
    assert len(groups) == len(shared.group_ids)
    raw = len(shared.svg)
    assert len(shared.player_svg("p")) < raw  # the player's picture is compacted too
