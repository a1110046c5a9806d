"""Frames of a stepper on one shared layout: SVG/PNG files, an HTML player, GIF, APNG.

Graphviz runs once per stepper. Its layout reserves room for every annotation any
step will show (each slot is laid out with its widest text), so nothing moves from
one step to the next; each frame is then that one SVG with other classes on the
node and edge groups (highlight) and other texts in the annotation slots. A frame
costs string operations, not a Graphviz run, and the HTML player stores the SVG
once plus, per step, only what changed.

>>> import graphstep as gs
>>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "forward")
>>> first, *_, last = frames(s)
>>> ">?</text>" in first, ">9.488</text>" in first, ">9.488</text>" in last
(True, False, True)
"""

from __future__ import annotations

import errno
import html
import io
import itertools
import json
import math
import os
import re
import struct
import sys
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphstep import backend
from graphstep.errors import InputError, RenderError, SizeLimitError, WriteError
from graphstep.export.files import atomic_file, atomic_write, atomic_write_all, output_path
from graphstep.graph import Graph
from graphstep.render.dot import (
    ADJOINT_COLOR,
    UNKNOWN_COLOR,
    Annotations,
    Style,
    annotations,
    build_digraph,
    node_kind,
    pretty,
)
from graphstep.steps.model import Step

__all__ = [
    "Layout",
    "layout",
    "frames",
    "frame_svg",
    "save_all",
    "player_html",
    "to_html",
    "to_gif",
    "to_apng",
    "PLAYER_LIMIT",
    "MAX_DURATION",
    "style_sheet",
]

#: Steps beyond which exports show a progress bar (when stderr is a terminal).
PROGRESS_AFTER = 20
#: Largest GIF/APNG frame in pixels (the whole animation is held in memory).
ANIMATION_PIXELS = 2_500_000
#: Largest total of pixels over all frames of one animation.
ANIMATION_BUDGET = 100_000_000
#: Frames of a big graph are scaled down, but never below this.
ANIMATION_MIN_SCALE = 0.2
#: Longest time one frame of a GIF or APNG may show, in milliseconds (one minute).
MAX_DURATION = 60_000
#: Size the player of 200 frames of a 200-node graph stays under (bytes).
PLAYER_LIMIT = 1_500_000


def _check_stepper(stepper: Any) -> tuple[Graph, list[Step]]:
    graph, steps = getattr(stepper, "graph", None), getattr(stepper, "steps", None)
    if not isinstance(graph, Graph) or steps is None:
        raise InputError(f"expected a stepper (gs.steps(...)), got {type(stepper).__name__}")
    steps = list(steps)
    if not steps:
        raise InputError("the stepper has no steps to draw")
    return graph, steps


# --- the SVG template ---------------------------------------------------------------------

_GROUP = re.compile(r'<g id="((?:n\d+)|(?:e\d+_\d+_\d+))" class="(node|edge)">(.*?)</g>', re.S)
_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_SHAPE = re.compile(r"<(path|polygon)\b([^>]*?)(/?)>", re.S)
_ATTR = re.compile(r'\s(x|text-anchor|class)="[^"]*"')
_FILL = re.compile(r'\bfill="([^"]*)"')


def _slot_element(attrs: str, center: float | None) -> tuple[str, str]:
    """(opening tag before the class, closing) of a slot's <text>, re-anchored at its centre."""
    attrs = _ATTR.sub("", attrs)
    if center is not None:
        attrs = f' text-anchor="middle" x="{center:.2f}"' + attrs
    return f"<text{attrs}", "</text>"


@dataclass
class _Hole:
    kind: str  # "group" or "slot"
    key: Any


class Layout:
    """One Graphviz layout shared by every step of a stepper.

    ``frame(k)`` is the SVG of step ``k`` (with its caption), ``base`` the SVG without
    caption, ``positions()`` the node positions (identical in every frame by
    construction). Build one with :func:`layout`.
    """

    def __init__(self, graph: Graph, steps: Sequence[Step], style: Style | None = None,
                 executable: tuple[str, str] | None = None):
        self.graph, self.steps = graph, list(steps)
        self.style = style or Style()
        cache: dict = {}
        self.annotations: list[Annotations] = [
            annotations(graph, s, self.style, cache) for s in self.steps]
        reserved: dict[Any, str] = {}
        for a in self.annotations:
            for slot, text in a.texts.items():
                current = reserved.get(slot)
                if current is not text and text and (current is None or len(text) > len(current)):
                    reserved[slot] = text
        for a in self.annotations:  # edge labels keep their place even before they are known
            for slot in a.texts:
                if slot[0] == "local":
                    reserved.setdefault(slot, "= ?")
        self.reserved = reserved
        self.source = build_digraph(graph, reserved, self.style).source
        raw = backend.run_dot(self.source, "svg", executable).decode("utf-8")
        self.svg = backend.clean_svg(raw, self.style)
        self._build_template()
        self._captions = [self._caption_lines(a) for a in self.annotations]

    # -- template ---------------------------------------------------------------------
    def _build_template(self) -> None:
        svg = self.svg
        parts: list[Any] = []
        self.group_ids: list[str] = []
        self.slot_keys: list[Any] = []
        self._slot_tags: list[tuple[str, str]] = []
        self.centers: dict[str, tuple[float, float]] = {}
        last = 0
        for match in _GROUP.finditer(svg):
            gid, kind, body = match.group(1), match.group(2), match.group(3)
            parts.append(svg[last:match.start()])
            parts.append(f'<g id="{gid}" class="')
            parts.append(_Hole("group", len(self.group_ids)))
            self.group_ids.append(gid)
            parts.append('">')
            self._template_body(gid, kind, body, parts)
            parts.append("</g>")
            last = match.end()
        parts.append(svg[last:])
        self._parts = parts
        self._compile()
        drawn = set(self.slot_keys)
        missing = [s for s in self.reserved if s not in drawn]
        if missing:
            raise RenderError(
                f"the Graphviz SVG lacks the annotation texts of {len(missing)} slot(s) "
                f"(first: {missing[0]}); the executable may not support HTML-like labels")
        m = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', svg)
        if not m:
            raise RenderError("the Graphviz SVG has no viewBox")
        self.width, self.height = float(m.group(3)), float(m.group(4))

    def _slots_of(self, gid: str) -> list[tuple[Any, str]]:
        """The reserved slots drawn inside group ``gid``, in drawing order."""
        if gid.startswith("n"):
            n = int(gid[1:])
            keys = [(k, n) for k in ("value", "adjoint", "tangent")]
        else:
            t, h, p = (int(v) for v in gid[1:].split("_"))
            keys = [("local", t, h, p)]
        return [(k, self.reserved[k]) for k in keys if k in self.reserved]

    def _template_body(self, gid: str, kind: str, body: str, parts: list[Any]) -> None:
        # tag the shapes: the node's outline, the edge's line and arrowheads
        center = None
        shapes = []
        for m in _SHAPE.finditer(body):
            fill = _FILL.search(m.group(2))
            shapes.append((m, fill.group(1) if fill else ""))
        roles: dict[int, str] = {}
        if kind == "node" and shapes:
            roles[shapes[0][0].start()] = "gs-shape"
            center = backend.box_center(shapes[0][0].group(2))
        elif kind == "edge":
            for m, fill in shapes:
                if m.group(1) == "path":
                    roles[m.start()] = "gs-line"
                elif fill in ("white", "#ffffff"):
                    center = backend.box_center(m.group(2))
                else:
                    roles[m.start()] = "gs-head"
        if kind == "node" and shapes:
            ys = [float(c.group(2)) for c in backend.COORDS.finditer(shapes[0][0].group(2))]
            if center is not None and ys:
                self.centers[gid] = (center, (min(ys) + max(ys)) / 2)
        wanted = self._slots_of(gid)
        texts = list(_TEXT.finditer(body))
        matched: dict[int, Any] = {}
        cursor = 0
        for key, text in wanted:
            for i in range(cursor, len(texts)):
                if html.unescape(texts[i].group(2)) == text:
                    matched[texts[i].start()] = (key, texts[i])
                    cursor = i + 1
                    break
        pos = 0
        events = sorted([(s, "shape", m) for m, _ in shapes for s in [m.start()] if s in roles]
                        + [(s, "text", v) for s, v in matched.items()], key=lambda e: e[0])
        for start, what, value in events:
            parts.append(body[pos:start])
            if what == "shape":
                m = value
                parts.append(f'<{m.group(1)} class="{roles[start]}"{m.group(2)}{m.group(3)}>')
                pos = m.end()
            else:
                key, m = value
                self._slot_tags.append(_slot_element(m.group(1), center))
                parts.append(_Hole("slot", len(self.slot_keys)))
                self.slot_keys.append(key)
                pos = m.end()
        parts.append(body[pos:])

    def _compile(self) -> None:
        """Split the template into static text and hole positions, and precompute the
        classes that do not change, so that a frame is a list copy and a join."""
        g = self.graph
        merged: list[Any] = []
        for part in self._parts:  # join neighbouring static strings: fewer parts per frame
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        self._parts = merged
        self._static = [None if isinstance(p, _Hole) else p for p in self._parts]
        self._group_at = [i for i, p in enumerate(self._parts) if isinstance(p, _Hole) and p.kind == "group"]
        self._slot_at = [i for i, p in enumerate(self._parts) if isinstance(p, _Hole) and p.kind == "slot"]
        self._node_group: dict[int, int] = {}
        self._edge_group: dict[tuple[int, int, int], int] = {}
        self._base_classes: list[str] = []
        for i, gid in enumerate(self.group_ids):
            if gid.startswith("n"):
                n = int(gid[1:])
                self._node_group[n] = i
                self._base_classes.append(f"node gs-n gs-{node_kind(g, n)}")
            else:
                t, h, p = (int(v) for v in gid[1:].split("_"))
                self._edge_group[(t, h, p)] = i
                self._base_classes.append("edge gs-e" + ("" if g.active[t] else " gs-inactive"))
        self._slot_classes = [f"gs-slot gs-{key[0]}" for key in self.slot_keys]

    # -- per-frame state ----------------------------------------------------------------
    def group_classes(self, k: int) -> list[str]:
        """The class attribute of every node/edge group at step ``k``."""
        a = self.annotations[k]
        classes = self._base_classes[:]
        for n in a.focus_nodes:
            i = self._node_group.get(n)
            if i is not None:
                classes[i] += " gs-focus"
        if a.main_node is not None and a.main_node in self._node_group:
            classes[self._node_group[a.main_node]] += " gs-main"
        for e in a.focus_edges:
            i = self._edge_group.get(e)
            if i is not None:
                classes[i] += " gs-focus"
        return classes

    def slot_states(self, k: int) -> list[tuple[str, str]]:
        """(text, class) of every annotation slot at step ``k``."""
        a = self.annotations[k]
        texts, unknown = a.texts, a.unknown
        return [(texts.get(key, ""), cls + " gs-unknown" if key in unknown else cls)
                for key, cls in zip(self.slot_keys, self._slot_classes)]

    def _fill(self, classes: list[str], states: list[tuple[str, str]], slot_ids: bool = False,
              head: str | None = None) -> str:
        """The SVG with these group classes and slot states. Consecutive calls only
        rewrite the holes that changed since the previous call (frames are made in order)."""
        previous = self._previous
        if previous is not None and previous[0] == slot_ids:
            _, out, old_classes, old_states = previous
            out = out[:]
            for i, (cls, old) in enumerate(zip(classes, old_classes)):
                if cls != old:
                    out[self._group_at[i]] = cls
            changed = [j for j, (state, old) in enumerate(zip(states, old_states)) if state != old]
        else:
            out = self._static[:]
            for i, cls in zip(self._group_at, classes):
                out[i] = cls
            changed = range(len(states))
        escape, tags, slot_at = html.escape, self._slot_tags, self._slot_at
        for j in changed:
            text, cls = states[j]
            opening, closing = tags[j]
            sid = f' id="s{j}"' if slot_ids else ""
            out[slot_at[j]] = f'{opening}{sid} class="{cls}">{escape(text, quote=False)}{closing}'
        self._previous = (slot_ids, out, classes, states)
        if head is not None:
            out = out[:]
            out[0] = head
        return "".join(out)

    _previous: tuple | None = None

    # -- captions -------------------------------------------------------------------------
    _CAPTION_SIZE = 13.0

    def _caption_width_chars(self) -> int:
        return max(30, int((self._frame_width() - 24) / (0.6 * self._CAPTION_SIZE)))

    def _frame_width(self) -> float:
        return max(self.width, 420.0)

    def _caption_lines(self, a: Annotations) -> list[tuple[str, bool]]:
        import textwrap

        width = self._caption_width_chars()
        lines = [(line, True) for line in textwrap.wrap(pretty(a.title), width)] if a.title else []
        for paragraph in pretty(str(a.text)).splitlines():
            lines.extend((line, False) for line in (textwrap.wrap(paragraph, width) or [""]))
        return lines

    def _band_height(self) -> float:
        most = max((len(c) for c in self._captions), default=0)
        return 14 + (most + 1) * self._CAPTION_SIZE * 1.35

    def frame(self, k: int) -> str:
        """The SVG of step ``k``: the shared layout, restyled, with a caption band."""
        if not 0 <= k < len(self.steps):
            raise InputError(f"step {k} is out of range: the stepper has {len(self.steps)} steps")
        if self._head is None:
            self._head = self._frame_head()
        before, after = self._head
        head = before + self._caption_svg(k) + after
        return self._fill(self.group_classes(k), self.slot_states(k), head=head)

    _head: tuple[str, str] | None = None

    def with_style(self, svg: str, scope: str = "") -> str:
        """``svg`` with the highlight style sheet inserted after its opening tag."""
        css = style_sheet(self.style, scope)
        end = svg.index(">", svg.index("<svg")) + 1
        return svg[:end] + f"\n<style>{css}</style>" + svg[end:]

    def _frame_head(self) -> tuple[str, str]:
        """The SVG up to the first node, resized for the caption band, split where the
        caption goes."""
        head = self.with_style(self._static[0])
        width, height = self._frame_width(), self.height + self._band_height()
        dx = (width - self.width) / 2
        head = re.sub(r'<svg\b([^>]*?)width="[^"]*"([^>]*?)height="[^"]*"([^>]*?)viewBox="[^"]*"',
                      lambda m: (f'<svg{m.group(1)}width="{width:.2f}pt"{m.group(2)}'
                                 f'height="{height:.2f}pt"{m.group(3)}'
                                 f'viewBox="{-dx:.2f} 0.00 {width:.2f} {height:.2f}"'),
                      head, count=1)
        y = self.height + 4
        background = (
            f'<rect x="{-dx:.2f}" y="0" width="{width:.2f}" height="{height:.2f}" fill="white"/>\n'
            f'<line x1="{-dx + 8:.2f}" y1="{y:.2f}" x2="{width - dx - 8:.2f}" y2="{y:.2f}" '
            f'stroke="#dee2e6" stroke-width="1"/>\n')
        split = head.index('<g id="graph0"')
        return head[:split] + background, head[split:]

    def _caption_svg(self, k: int) -> str:
        fs = self._CAPTION_SIZE
        width = self._frame_width()
        dx = (width - self.width) / 2
        height = self.height + self._band_height()
        family = backend.FONT_FAMILY
        lines = []
        y = self.height + 8
        for text, bold in self._captions[k]:
            y += fs * 1.35
            weight = ' font-weight="bold"' if bold else ""
            lines.append(f'<text x="{self.width / 2:.2f}" y="{y:.2f}" text-anchor="middle" '
                         f'font-family="{family}" font-size="{fs:g}"{weight} fill="#212529">'
                         f'{html.escape(text, quote=False)}</text>\n')
        lines.append(f'<text x="{width - dx - 8:.2f}" y="{height - 6:.2f}" text-anchor="end" '
                     f'font-family="{family}" font-size="{fs - 3:g}" fill="#868e96">'
                     f'step {k + 1} of {len(self.steps)}</text>\n')
        return "".join(lines)

    # -- facts for tests and the player ------------------------------------------------
    def positions(self) -> dict[int, tuple[float, float]]:
        """The centre of every node in SVG coordinates."""
        return {int(gid[1:]): xy for gid, xy in self.centers.items()}

    def __len__(self) -> int:
        return len(self.steps)


def style_sheet(style: Style, scope: str = "") -> str:
    """The CSS that draws highlighted nodes and edges and unknown values (``scope``
    prefixes every selector, so that two players on one page keep their styles apart).

    >>> style_sheet(Style(), "#p1").startswith("#p1 .gs-n.gs-focus>.gs-shape{")
    True
    """
    focus, edge_focus, main = style.look("focus"), style.look("focus-edge"), style.look("main")
    s = f"{scope} " if scope else ""
    return (
        f"{s}.gs-n.gs-focus>.gs-shape{{fill:{focus.fill};stroke:{focus.stroke};"
        f"stroke-width:{focus.penwidth:g}px}}"
        f"{s}.gs-n.gs-main>.gs-shape{{fill:{main.fill};stroke:{main.stroke};"
        f"stroke-width:{main.penwidth:g}px}}"
        f"{s}.gs-e.gs-focus>.gs-line{{stroke:{edge_focus.stroke};stroke-width:{edge_focus.penwidth:g}px}}"
        f"{s}.gs-e.gs-focus>.gs-head{{fill:{edge_focus.stroke};stroke:{edge_focus.stroke}}}"
        f"{s}.gs-e.gs-focus>text{{fill:{edge_focus.fontcolor};font-weight:bold}}"
        f"{s}text.gs-unknown{{fill:{UNKNOWN_COLOR}}}"
        f"{s}text.gs-adjoint{{fill:{ADJOINT_COLOR}}}"
    )


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layout(stepper: Any, style: Style | None = None) -> Layout:
    """The shared :class:`Layout` of a stepper (computed once, then cached).

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    >>> layout(s) is layout(s), len(layout(s))
    (True, 3)
    """
    graph, steps = _check_stepper(stepper)
    style = style or Style()
    key = (id(graph), tuple(id(s) for s in steps), style)
    try:
        cached = _LAYOUTS.get(stepper)
    except TypeError:
        cached = None
    if cached is not None and cached[0] == key:
        return cached[1]
    result = Layout(graph, steps, style)
    try:
        _LAYOUTS[stepper] = (key, result)
    except TypeError:
        pass
    return result


def frame_svg(stepper: Any, index: int | None = None, style: Style | None = None) -> str:
    """The SVG of one step (default: the stepper's current step) on the shared layout.

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    >>> "path 2 of 2" in frame_svg(s, 1)
    True
    """
    shared = layout(stepper, style)
    if index is None:
        index = int(getattr(stepper, "index", 0))
    return shared.frame(index)


def _progress(items: Iterable, total: int, what: str) -> Iterable:
    if total < PROGRESS_AFTER or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=what, unit="frame", leave=False)


def frames(stepper: Any, fmt: str = "svg", style: Style | None = None,
           scale: float | None = None) -> list[str] | list[bytes]:
    """Every step as a picture on one shared layout: SVG text, or PNG bytes.

    Node positions are identical in every frame (one Graphviz run).

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> [png[:4] for png in frames(s, "png", scale=1)] == [b"\\x89PNG"] * len(s)
    True
    """
    if fmt not in ("svg", "png"):
        raise RenderError(f"frames can be svg or png, not {fmt!r}")
    shared = layout(stepper, style)
    svgs = (shared.frame(k) for k in range(len(shared)))
    if fmt == "svg":
        return list(svgs)
    return [backend.svg_to_png(svg, scale) for svg in _progress(svgs, len(shared), "png frames")]


def save_all(stepper: Any, directory: str | os.PathLike, fmt: str = "svg",
             style: Style | None = None, scale: float | None = None) -> list[Path]:
    """Write every step as ``step_001.svg`` (or ``.png``) into ``directory``.

    >>> import graphstep as gs, tempfile
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> [p.name for p in save_all(s, tempfile.mkdtemp())]
    ['step_001.svg', 'step_002.svg', 'step_003.svg']
    """
    if fmt not in ("svg", "png"):
        raise RenderError(f"save_all writes svg or png frames, not {fmt!r}")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise WriteError(errno.ENOTDIR, "it is a file, and frames need a folder", str(directory))
    shared = layout(stepper, style)
    digits = max(3, len(str(len(shared))))
    # all or nothing: every frame goes to a temporary file, then all are moved into place
    return atomic_write_all(
        (directory / f"step_{k + 1:0{digits}d}.{fmt}", backend.svg_file_data(shared.frame(k), fmt, scale))
        for k in _progress(range(len(shared)), len(shared), f"{fmt} frames"))


# --- the HTML player ------------------------------------------------------------------------

_PLAYER_CSS = """
{P}{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#212529;
max-width:100%;outline:none;border:1px solid #dee2e6;border-radius:8px;padding:10px;background:#fff}}
{P}:focus{{border-color:#74c0fc}}
{P} .gs-picture{{overflow:auto;text-align:center;max-height:68vh}}
{P} .gs-picture svg{{height:auto}}
{P} .gs-caption{{margin:8px 4px;min-height:{CAPTION}em;white-space:pre-wrap;font-size:15px;line-height:1.4}}
{P} .gs-title{{font-weight:600}}
{P} .gs-controls{{display:flex;align-items:center;gap:6px;flex-wrap:wrap}}
{P} .gs-controls button{{font-size:15px;min-width:2.6em;padding:3px 8px;border:1px solid #adb5bd;
border-radius:5px;background:#f8f9fa;cursor:pointer}}
{P} .gs-controls button:hover{{background:#e9ecef}}
{P} .gs-controls input[type=range]{{flex:1;min-width:120px}}
{P} .gs-counter{{font-variant-numeric:tabular-nums;color:#495057;min-width:6em;text-align:right}}
{P} .gs-hint{{color:#868e96;font-size:12px;margin-top:4px}}
"""

_PLAYER_JS = r"""
(function () {
  var P = "%(prefix)s";
  var root = document.getElementById(P);
  var data = JSON.parse(document.getElementById(P + "-data").textContent);
  var byId = function (id) { return document.getElementById(P + id); };
  var groups = data.groups.map(byId), slots = data.slots.map(function (_, i) { return byId("s" + i); });
  var g0 = groups.map(function (el) { return el.getAttribute("class"); });
  var s0 = slots.map(function (el) { return [el.textContent, el.getAttribute("class")]; });
  var title = root.querySelector(".gs-title"), text = root.querySelector(".gs-text");
  var slider = root.querySelector("input[type=range]"), counter = root.querySelector(".gs-counter");
  var play = root.querySelector(".gs-play"), n = data.frames.length, cur = 0, timer = null;
  function apply(k) {
    var f = data.frames[k];
    f.g.forEach(function (d) { groups[d[0]].setAttribute("class", data.classes[d[1]]); });
    f.s.forEach(function (d) {
      slots[d[0]].textContent = data.strings[d[1]];
      slots[d[0]].setAttribute("class", data.classes[d[2]]);
    });
  }
  function reset() {
    groups.forEach(function (el, i) { el.setAttribute("class", g0[i]); });
    slots.forEach(function (el, i) { el.textContent = s0[i][0]; el.setAttribute("class", s0[i][1]); });
  }
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === cur + 1) { apply(k); }
    else if (k !== cur) { reset(); for (var i = 1; i <= k; i++) { apply(i); } }
    cur = k;
    var f = data.frames[k];
    title.textContent = data.strings[f.t];
    text.textContent = data.strings[f.x];
    slider.value = k;
    counter.textContent = "step " + (k + 1) + " of " + n;
    follow();
  }
  var picture = root.querySelector(".gs-picture");
  function follow() {  // keep the highlighted node in view when the picture scrolls
    var el = picture.querySelector(".gs-n.gs-main") || picture.querySelector(".gs-n.gs-focus");
    if (!el) { return; }
    var box = picture.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.left < box.left || r.right > box.right) {
      picture.scrollLeft += (r.left + r.right - box.left - box.right) / 2;
    }
    if (r.top < box.top || r.bottom > box.bottom) {
      picture.scrollTop += (r.top + r.bottom - box.top - box.bottom) / 2;
    }
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25B6 play"; } }
  function start() {
    if (cur >= n - 1) { show(0); }
    play.textContent = "\u2016 pause";
    timer = setInterval(function () { if (cur >= n - 1) { stop(); } else { show(cur + 1); } }, %(delay)d);
  }
  root.querySelector(".gs-first").onclick = function () { stop(); show(0); };
  root.querySelector(".gs-prev").onclick = function () { stop(); show(cur - 1); };
  root.querySelector(".gs-next").onclick = function () { stop(); show(cur + 1); };
  root.querySelector(".gs-last").onclick = function () { stop(); show(n - 1); };
  play.onclick = function () { if (timer) { stop(); } else { start(); } };
  slider.oninput = function () { stop(); show(parseInt(slider.value, 10)); };
  root.addEventListener("keydown", function (e) {
    if (e.target === slider && (e.key === "ArrowLeft" || e.key === "ArrowRight")) { return; }
    var keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
    if (e.key in keys) { stop(); show(cur + keys[e.key]); e.preventDefault(); }
    else if (e.key === "Home") { stop(); show(0); e.preventDefault(); }
    else if (e.key === "End") { stop(); show(n - 1); e.preventDefault(); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") { play.onclick(); e.preventDefault(); }
  });
  root.gsShow = function (k) { stop(); show(k); };
  show(0);
})();
"""

_counter = itertools.count(1)


def _prefix_ids(svg: str, prefix: str) -> str:
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    return re.sub(r'(xlink:href|href)="#', lambda m: f'{m.group(1)}="#{prefix}', svg)


def _player_data(shared: Layout) -> dict:
    """What the player stores per step: the titles, texts, classes and slot texts that change."""
    strings: dict[str, int] = {}
    classes: dict[str, int] = {}

    def sid(text: str) -> int:
        return strings.setdefault(text, len(strings))

    def cid(text: str) -> int:
        return classes.setdefault(text, len(classes))

    frames_data = []
    previous_groups: list[str] | None = None
    previous_slots: list[tuple[str, str]] | None = None
    for k, a in enumerate(shared.annotations):
        group_state = shared.group_classes(k)
        slot_state = shared.slot_states(k)
        entry: dict[str, Any] = {"t": sid(pretty(a.title)), "x": sid(pretty(a.text)), "g": [], "s": []}
        if previous_groups is not None:
            entry["g"] = [[i, cid(c)] for i, c in enumerate(group_state) if c != previous_groups[i]]
            entry["s"] = [[i, sid(t), cid(c)] for i, (t, c) in enumerate(slot_state)
                          if (t, c) != previous_slots[i]]
        frames_data.append(entry)
        previous_groups, previous_slots = group_state, slot_state
    data = {
        "groups": shared.group_ids,
        "slots": [0] * len(shared.slot_keys),
        "strings": list(strings),
        "classes": list(classes),
        "frames": frames_data,
    }
    return data


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def player_html(stepper: Any, style: Style | None = None, prefix: str | None = None,
                delay: int = 1200) -> str:
    """A self-contained step player as an HTML fragment (for Jupyter, Sphinx, to_html).

    The SVG is stored once; each step stores only the classes and texts that change.
    Prev/next/first/last buttons, a slider, play/pause, and the arrow keys (Home, End,
    space) once the player has focus. ``prefix`` makes every element id unique, so
    several players work on one page (default: a fresh prefix per call).

    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> player_html(s, prefix="demo").startswith('<div id="demo" class="gs-player"')
    True
    """
    shared = layout(stepper, style)
    if prefix is None:
        prefix = f"gs{next(_counter)}x{os.getpid() % 10000}"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", prefix):
        raise InputError(f"a player prefix must be letters, digits, - or _, got {prefix!r}")
    data = _player_data(shared)
    body = _prefix_ids(shared._fill(shared.group_classes(0), shared.slot_states(0), slot_ids=True),
                       prefix)
    body = shared.with_style(body, scope=f"#{prefix}")
    # as wide as the page allows, but never under 65 % of the natural size (then it scrolls)
    body = re.sub(r'<svg\b([^>]*?)width="([\d.]+)pt"([^>]*?)height="[^"]*"',
                  lambda m: (f'<svg{m.group(1)}style="width:100%;max-width:{m.group(2)}pt;'
                             f'min-width:{0.65 * float(m.group(2)):.0f}pt"{m.group(3)}'),
                  body, count=1)
    most_lines = max((len(c) for c in shared._captions), default=1)
    css = _PLAYER_CSS.format(P=f"#{prefix}", CAPTION=f"{1.4 * max(most_lines, 2):.1f}")
    first = shared.annotations[0]
    n = len(shared)
    return (
        f'<div id="{prefix}" class="gs-player" tabindex="0">\n<style>{css}</style>\n'
        f'<div class="gs-picture">{body}</div>\n'
        f'<div class="gs-caption"><div class="gs-title">{html.escape(pretty(first.title))}</div>'
        f'<div class="gs-text">{html.escape(pretty(first.text))}</div></div>\n'
        f'<div class="gs-controls">'
        f'<button class="gs-first" title="first step (Home)">« first</button>'
        f'<button class="gs-prev" title="previous step (←)">‹ prev</button>'
        f'<button class="gs-play" title="play / pause (space)">▶ play</button>'
        f'<button class="gs-next" title="next step (→)">next ›</button>'
        f'<button class="gs-last" title="last step (End)">last »</button>'
        f'<input type="range" min="0" max="{n - 1}" value="0" aria-label="step">'
        f'<span class="gs-counter">step 1 of {n}</span></div>\n'
        f'<div class="gs-hint">← → or the slider to step; space to play</div>\n'
        f'<script type="application/json" id="{prefix}-data">{_json_for_script(data)}</script>\n'
        f"<script>{_PLAYER_JS % {'prefix': prefix, 'delay': int(delay)}}</script>\n</div>\n"
    )


def to_html(stepper: Any, path: str | os.PathLike, style: Style | None = None,
            title: str | None = None) -> Path:
    """Write the step player as one self-contained HTML file (no network, no server).

    Open ``player.html#step=3`` to start at step 3.

    >>> import graphstep as gs, tempfile, os
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> to_html(s, os.path.join(tempfile.mkdtemp(), "player.html")).read_text()[:15]
    '<!DOCTYPE html>'
    """
    graph, _ = _check_stepper(stepper)
    path = output_path(path)
    prefix = "gsplayer"
    page_title = title or f"graphstep: {pretty(graph.expr(graph.output))}"
    document = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(page_title)}</title>\n"
        "<style>body{margin:16px;background:#f8f9fa}h1{font:600 18px system-ui,sans-serif;"
        "color:#343a40}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(page_title)}</h1>\n"
        f"{player_html(stepper, style, prefix=prefix)}"
        f"<script>(function () {{ var p = document.getElementById('{prefix}');\n"
        "p.focus({preventScroll: true});\n"
        "var m = /step=(\\d+)/.exec(location.hash); if (m) { p.gsShow(parseInt(m[1], 10) - 1); }"
        " })();</script>\n"
        "</body>\n</html>\n"
    )
    return atomic_write(path, document)


# --- animations ---------------------------------------------------------------------------

def _animation_scale(shared: Layout, scale: float | None) -> float:
    if scale is not None:
        return scale
    width, height = backend.svg_size(shared.frame(0))
    area = max(width * height, 1.0)
    budget = min(ANIMATION_PIXELS, ANIMATION_BUDGET / len(shared))
    chosen = min(1.25, math.sqrt(budget / area))
    if chosen < ANIMATION_MIN_SCALE:
        raise SizeLimitError(
            f"the graph is too large to animate ({width:.0f}x{height:.0f} px per frame, "
            f"{len(shared)} frames); use to_html or save_all instead")
    return chosen


def _images(shared: Layout, scale: float, what: str):
    from PIL import Image

    for k in _progress(range(len(shared)), len(shared), what):
        png = backend.svg_to_png(shared.frame(k), scale, max_pixels=ANIMATION_PIXELS * 2)
        with Image.open(io.BytesIO(png)) as image:
            yield image.convert("RGB")


def to_gif(stepper: Any, path: str | os.PathLike, duration: int = 1500, loop: int = 0,
           style: Style | None = None, scale: float | None = None) -> Path:
    """Write an animated GIF with one frame per step (``duration`` ms each).

    >>> import graphstep as gs, tempfile, os
    >>> from PIL import Image
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> Image.open(to_gif(s, os.path.join(tempfile.mkdtemp(), "a.gif"))).n_frames
    3
    """
    from PIL import Image

    _check_animation(duration, loop, path)
    shared = layout(stepper, style)
    chosen = _animation_scale(shared, scale)
    frames_iter = (
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        for image in _images(shared, chosen, "gif frames"))
    return _save_animation(frames_iter, path, "GIF", duration, loop)


def to_apng(stepper: Any, path: str | os.PathLike, duration: int = 1500, loop: int = 0,
            style: Style | None = None, scale: float | None = None) -> Path:
    """Write an animated PNG (full colour) with one frame per step.

    >>> import graphstep as gs, tempfile, os
    >>> from PIL import Image
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> Image.open(to_apng(s, os.path.join(tempfile.mkdtemp(), "a.png"))).n_frames
    3
    """
    _check_animation(duration, loop, path)
    shared = layout(stepper, style)
    chosen = _animation_scale(shared, scale)
    images = list(_images(shared, chosen, "apng frames"))  # Pillow's APNG writer needs a list
    return _save_animation(images, path, "PNG", duration, loop)


def _check_animation(duration: Any, loop: Any, path: str | os.PathLike) -> tuple[int, Path]:
    """The duration (ms) and the path of an animation, checked before any frame is drawn."""
    if (isinstance(duration, bool) or not isinstance(duration, (int, float))
            or not 1 <= duration <= MAX_DURATION):
        raise InputError(f"duration must be a number of milliseconds from 1 to {MAX_DURATION:,}, "
                         f"got {duration!r}")
    if isinstance(loop, bool) or not isinstance(loop, int) or not 0 <= loop <= 65535:
        raise InputError(f"loop must be 0 (for ever) or a number of times up to 65535, got {loop!r}")
    return int(duration), output_path(path)


def _save_animation(images: Iterable, path: str | os.PathLike, fmt: str, duration: int,
                    loop: int) -> Path:
    duration, path = _check_animation(duration, loop, path)
    if isinstance(images, list):
        first, rest = images[0], images[1:]
    else:
        rest = iter(images)
        first = next(rest)
    with atomic_file(path) as handle:
        try:
            first.save(handle, format=fmt, save_all=True, append_images=rest, duration=duration,
                       loop=loop, optimize=False, disposal=1 if fmt == "GIF" else 0)
        except struct.error as error:  # a frame's delay that the format cannot store
            raise InputError(f"cannot write {path}: a frame lasts longer than {fmt} can store "
                             f"({error})") from None
    return Path(path)
