"""SVG frames (graphstep.export.svg): what each frame shows, empty or foreign steppers."""

from __future__ import annotations

import html
import re

import pytest

import graphstep as gs
from graphstep.export import svg as export
from graphstep.export.stepper import Stepper
from graphstep.render.annotate import annotations
from graphstep.text import pretty

pytestmark = pytest.mark.backend

_SLOT = re.compile(r'<text\b[^>]*class="gs-slot gs-(\w+)[^"]*">(.*?)</text>', re.S)


def group_class(svg: str, gid: str) -> str:
    return re.search(rf'<g id="{gid}" class="([^"]*)"', svg).group(1)


def group_slots(svg: str, gid: str) -> list[tuple[str, str]]:
    body = re.search(rf'<g id="{gid}" class="[^"]*">(.*?)</g>', svg, re.S).group(1)
    return [(kind, html.unescape(text)) for kind, text in _SLOT.findall(body)]


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


def test_empty_or_foreign_steppers_are_errors(xexp):
    with pytest.raises(gs.InputError, match="no steps"):
        export.frames(Stepper(xexp, "paths", None, []))
    with pytest.raises(gs.InputError, match="stepper"):
        export.frames([1, 2])


