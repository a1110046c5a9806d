"""One Graphviz layout shared by every step of a stepper, and its SVG frames.

Graphviz runs once per stepper. Its layout reserves room for every annotation any
step will show (each slot is laid out with its widest text), so nothing moves from
one step to the next. The SVG is parsed with :mod:`xml.etree.ElementTree`: the node
and edge groups are found by id, their outlines, lines and arrowheads tagged, and
the annotation texts turned into slots. Serialised once with marks where a group's
class or a slot changes, it becomes a template, and a frame fills the marks (string
joins, not a Graphviz run). :mod:`graphstep.export.svg` keeps one layout per stepper
and style; :mod:`graphstep.export.player` and :mod:`graphstep.export.animation` draw
from it.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> shared = Layout(g, gs.steps(g, "forward").steps)
>>> first, last = shared.frame(0), shared.frame(len(shared) - 1)
>>> ">?</text>" in first, ">9.488</text>" in first, ">9.488</text>" in last
(True, False, True)
"""

from __future__ import annotations

import html
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from graphstep import backend
from graphstep.errors import InputError, RenderError
from graphstep.graph import Graph
from graphstep.render.annotate import Annotations, annotations, node_kind
from graphstep.render.dot import build_digraph
from graphstep.render.style import ADJOINT_COLOR, UNKNOWN_COLOR, Style
from graphstep.render.tooltips import unwrap_links
from graphstep.steps.model import Step
from graphstep.text import pretty

__all__ = ["Layout", "style_sheet", "prefix_ids", "SVG_NS", "XLINK_NS"]

#: The SVG namespace (Graphviz's default namespace), and XLink's.
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# A hole in the serialised template: _OPEN + kind letter + index + _CLOSE (private-use
# characters, which neither Graphviz nor a label ever writes).
_OPEN, _CLOSE = "\ue000", "\ue001"
_GROUP, _SLOT_CLASS, _SLOT_TEXT, _STYLE, _BAND = "g", "c", "t", "s", "b"


def _hole(kind: str, index: int = 0) -> str:
    return f"{_OPEN}{kind}{index}{_CLOSE}"


def _parse(svg: str) -> ET.Element:
    """Graphviz's SVG as a tree with plain names (``g``, not ``{namespace}g``,
    ``xlink:href`` for XLink's attributes) and its namespace declarations as the root's
    last attributes, as Graphviz writes them: serialised, it needs no prefix mapping."""
    root = ET.fromstring(svg)
    svg_prefix, xlink_prefix = f"{{{SVG_NS}}}", f"{{{XLINK_NS}}}"
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(svg_prefix):
            element.tag = element.tag[len(svg_prefix):]
        if any(key.startswith(xlink_prefix) for key in element.attrib):
            element.attrib = {(f"xlink:{k[len(xlink_prefix):]}" if k.startswith(xlink_prefix) else k): v
                              for k, v in element.attrib.items()}
    root.set("xmlns", SVG_NS)
    root.set("xmlns:xlink", XLINK_NS)
    return unwrap_links(root)  # tooltips as <title>, shapes as their group's children


# --- the SVG template ---------------------------------------------------------------------

def _group_key(group: ET.Element) -> tuple | None:
    """``("node", n)`` or ``("edge", tail, head, pos)`` for a Graphviz node/edge group."""
    gid, kind = group.get("id", ""), group.get("class")
    numbers = gid[1:].split("_")
    if not all(part.isascii() and part.isdigit() for part in numbers):
        return None
    if kind == "node" and gid[:1] == "n" and len(numbers) == 1:
        return ("node", int(numbers[0]))
    if kind == "edge" and gid[:1] == "e" and len(numbers) == 3:
        return ("edge", *map(int, numbers))
    return None


def _geometry(shape: ET.Element) -> str:
    return shape.get("points") or shape.get("d") or ""


def _markup(tag: str, attrib: dict[str, str], text: str | None = None) -> str:
    """One element written as SVG text (it inherits the namespace of the SVG it goes in)."""
    element = ET.Element(tag, attrib)
    element.text = text
    return ET.tostring(element, encoding="unicode")


class _Template:
    """An SVG serialised with holes: ``parts[0] hole[0] parts[1] hole[1] ...``."""

    def __init__(self, root: ET.Element):
        text = ET.tostring(root, encoding="unicode") + "\n"  # a file ends with a newline
        pieces = text.split(_OPEN)
        self.parts = [pieces[0]]
        self.holes: list[tuple[str, int]] = []
        for piece in pieces[1:]:
            mark, _, rest = piece.partition(_CLOSE)
            self.holes.append((mark[0], int(mark[1:])))
            self.parts.append(rest)

    def fill(self, values: dict[str, Sequence[str]]) -> str:
        out: list[str] = [""] * (2 * len(self.holes) + 1)
        out[0::2] = self.parts
        out[1::2] = [values[kind][index] for kind, index in self.holes]
        return "".join(out)


class _Marked:
    """Graphviz's SVG as a tree whose group classes, slot classes and slot texts are
    holes (with ``slot_ids``, every slot text also gets the id ``s<j>``).

    ``group_ids`` lists the node/edge groups and ``slot_keys`` the slots in drawing
    order; ``centers`` holds each node's centre.
    """

    def __init__(self, svg: str, reserved: dict[Any, str], slot_ids: bool):
        self.root = _parse(svg)
        self.reserved = reserved
        self.group_ids: list[str] = []
        self.slot_keys: list[Any] = []
        self.centers: dict[int, tuple[float, float]] = {}
        for group in self.root.iter("g"):
            key = _group_key(group)
            if key is None:
                continue
            group.set("class", _hole(_GROUP, len(self.group_ids)))
            self.group_ids.append(group.get("id"))
            center = self._mark_shapes(group, key)
            for slot, text in self._slot_texts(group, key):
                j = len(self.slot_keys)
                kept = {k: v for k, v in text.attrib.items() if k not in ("x", "text-anchor", "class")}
                placed = {"text-anchor": "middle", "x": f"{center:.2f}"} if center is not None else {}
                named = {"id": f"s{j}"} if slot_ids else {}
                text.attrib = {**placed, **kept, **named, "class": _hole(_SLOT_CLASS, j)}
                text.text = _hole(_SLOT_TEXT, j)
                self.slot_keys.append(slot)

    def _mark_shapes(self, group: ET.Element, key: tuple) -> float | None:
        """Tag the node's outline (gs-shape) or the edge's line (gs-line) and arrowheads
        (gs-head); return the horizontal centre the slot texts are anchored at."""
        shapes = [e for e in group.iter() if e.tag in ("path", "polygon")]
        roles: list[tuple[ET.Element, str]] = []
        center = None
        if key[0] == "node" and shapes:
            roles.append((shapes[0], "gs-shape"))
            center = backend.box_center(_geometry(shapes[0]))
            ys = [float(c.group(2)) for c in backend.COORDS.finditer(_geometry(shapes[0]))]
            if center is not None and ys:
                self.centers[key[1]] = (center, (min(ys) + max(ys)) / 2)
        elif key[0] == "edge":
            for shape in shapes:
                if shape.tag == "path":
                    roles.append((shape, "gs-line"))
                elif shape.get("fill") in ("white", "#ffffff", "transparent", "none"):  # the label's box
                    center = backend.box_center(_geometry(shape))
                else:
                    roles.append((shape, "gs-head"))
        for shape, role in roles:  # the class first, then Graphviz's attributes
            shape.attrib = {"class": role, **{k: v for k, v in shape.attrib.items() if k != "class"}}
        return center

    def _slot_texts(self, group: ET.Element, key: tuple) -> list[tuple[Any, ET.Element]]:
        """The reserved slots drawn in ``group`` with their <text> elements, matched in
        drawing order by their (reserved, widest) text."""
        if key[0] == "node":
            wanted = [(k, key[1]) for k in ("value", "adjoint", "tangent")]
        else:
            wanted = [("local", *key[1:])]
        texts = [e for e in group.iter("text") if len(e) == 0]
        found, cursor = [], 0
        for slot in wanted:
            if slot not in self.reserved:
                continue
            for i in range(cursor, len(texts)):
                if (texts[i].text or "") == self.reserved[slot]:
                    found.append((slot, texts[i]))
                    cursor = i + 1
                    break
        return found


class Layout:
    """One Graphviz layout shared by every step of a stepper.

    Build one with :func:`graphstep.export.svg.layout` (which keeps it on the
    stepper) or directly.

    Parameters
    ----------
    graph : Graph
        The graph the steps belong to.
    steps : sequence of Step
        The steps to draw; the layout reserves room for every text any of them shows.
    style : Style, optional
        The look (default ``Style()``).
    executable : tuple of (str, Path), optional
        The Graphviz executable (default: :func:`graphstep.backend.find_executable`).

    Attributes
    ----------
    svg : str
        Graphviz's SVG of the layout (cleaned by :func:`graphstep.backend.clean_svg`).
    width, height : float
        The size of the graph drawing in SVG units (without the caption band).
    group_ids : list of str
        The ids of the node and edge groups, in drawing order.
    slot_keys : list of tuple
        The annotation slot of every slot text, in drawing order (``("value", n)``,
        ``("local", tail, head, pos)``...).
    annotations : list of Annotations
        What each step shows.
    captions : list of list of (str, bool)
        Each step's caption lines, and whether a line is bold (the title).

    Raises
    ------
    RenderError
        When Graphviz fails or its SVG lacks a node's or edge's annotation texts.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> shared = Layout(g, gs.steps(g, "reverse").steps)
    >>> len(shared), "step 3 of 3" in shared.frame(2)
    (3, True)
    """

    _CAPTION_SIZE = 13.0

    def __init__(self, graph: Graph, steps: Sequence[Step], style: Style | None = None,
                 executable: tuple[str, str] | None = None):
        self.graph, self.steps = graph, list(steps)
        self.style = style or Style()
        cache: dict = {}
        self.annotations: list[Annotations] = [
            annotations(graph, s, self.style, cache) for s in self.steps]
        self.reserved = self._reserve(self.annotations)
        self.source = build_digraph(graph, self.reserved, self.style).source
        raw = backend.run_dot(self.source, "svg", executable).decode("utf-8")
        self.svg = backend.clean_svg(raw, self.style)
        marked = _Marked(self.svg, self.reserved, slot_ids=False)
        view = marked.root.get("viewBox", "").split()
        if len(view) != 4:
            raise RenderError("the Graphviz SVG has no viewBox")
        self.width, self.height = float(view[2]), float(view[3])
        self.captions = [self._caption_lines(a) for a in self.annotations]
        self.group_ids, self.slot_keys, self._centers = marked.group_ids, marked.slot_keys, marked.centers
        drawn = set(self.slot_keys)
        missing = [s for s in self.reserved if s not in drawn]
        if missing:
            raise RenderError(
                f"the Graphviz SVG lacks the annotation texts of {len(missing)} slot(s) "
                f"(first: {missing[0]}); the executable may not support HTML-like labels")
        self._base_classes = [self._base_class(gid) for gid in self.group_ids]
        self._slot_classes = [f"gs-slot gs-{key[0]}" for key in self.slot_keys]
        self._node_group = {int(g[1:]): i for i, g in enumerate(self.group_ids) if g[0] == "n"}
        self._edge_group = {tuple(int(v) for v in g[1:].split("_")): i
                            for i, g in enumerate(self.group_ids) if g[0] == "e"}
        self._escaped: dict[str, str] = {}
        self._frame_template = _Template(self._framed(marked.root))
        self._band_background = self._background()

    @staticmethod
    def _reserve(notes: list[Annotations]) -> dict[Any, str]:
        """The widest text of every slot over all steps (edge labels keep a place for ``= ?``)."""
        reserved: dict[Any, str] = {}
        for a in notes:
            for slot, text in a.texts.items():
                current = reserved.get(slot)
                if current is not text and text and (current is None or len(text) > len(current)):
                    reserved[slot] = text
        for a in notes:
            for slot in a.texts:
                if slot[0] == "local":
                    reserved.setdefault(slot, "= ?")
        return reserved

    def _base_class(self, gid: str) -> str:
        if gid[0] == "n":
            return f"node gs-n gs-{node_kind(self.graph, int(gid[1:]))}"
        tail = int(gid[1:].split("_")[0])
        return "edge gs-e" + ("" if self.graph.active[tail] else " gs-inactive")

    def _framed(self, root: ET.Element) -> ET.Element:
        """The marked tree resized for the caption band, with holes for the style sheet
        (after the opening tag) and the band (before the graph group)."""
        width, height = self._frame_width(), self.height + self._band_height()
        dx = (width - self.width) / 2
        if root.get("width") is not None and root.get("height") is not None:
            root.set("width", f"{width:.2f}pt")
            root.set("height", f"{height:.2f}pt")
            root.set("viewBox", f"{-dx:.2f} 0.00 {width:.2f} {height:.2f}")
        root.text = _hole(_STYLE) + (root.text or "") + _hole(_BAND)
        return root

    # -- per-frame state ----------------------------------------------------------------
    def group_classes(self, k: int) -> list[str]:
        """The class attribute of every node/edge group at step ``k``.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        list of str
            One class attribute per group, in document order.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> shared = Layout(g, gs.steps(g, "reverse").steps)
        >>> shared.group_classes(0)
        ['node gs-n gs-input', 'node gs-n gs-output gs-focus gs-main', 'edge gs-e']
        """
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
        """(text, class) of every annotation slot at step ``k``.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        list of (str, str)
            One ``(text, class)`` per slot, in the order of :attr:`slot_keys`.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> shared = Layout(g, gs.steps(g, "reverse").steps)
        >>> shared.slot_states(0)[0]
        ('= 0', 'gs-slot gs-value')
        """
        a = self.annotations[k]
        texts, unknown = a.texts, a.unknown
        return [(texts.get(key, ""), cls + " gs-unknown" if key in unknown else cls)
                for key, cls in zip(self.slot_keys, self._slot_classes)]

    def _escape(self, text: str) -> str:
        escaped = self._escaped.get(text)
        if escaped is None:
            escaped = self._escaped[text] = html.escape(text, quote=False)
        return escaped

    def _values(self, k: int, style: str, band: str) -> dict[str, Sequence[str]]:
        a = self.annotations[k]
        texts, unknown, escaped = a.texts, a.unknown, self._escaped
        words = [texts.get(key, "") for key in self.slot_keys]
        classes = [cls + " gs-unknown" if key in unknown else cls
                   for key, cls in zip(self.slot_keys, self._slot_classes)] if unknown else self._slot_classes
        return {_GROUP: self.group_classes(k), _SLOT_CLASS: classes,
                _SLOT_TEXT: [escaped[text] if text in escaped else self._escape(text) for text in words],
                _STYLE: [style], _BAND: [band]}

    # -- captions -------------------------------------------------------------------------
    def _frame_width(self) -> float:
        return max(self.width, 420.0)

    def _caption_lines(self, a: Annotations) -> list[tuple[str, bool]]:
        width = max(30, int((self._frame_width() - 24) / (0.6 * self._CAPTION_SIZE)))
        lines = [(line, True) for line in textwrap.wrap(pretty(a.title), width)] if a.title else []
        for paragraph in pretty(str(a.text)).splitlines():
            lines.extend((line, False) for line in (textwrap.wrap(paragraph, width) or [""]))
        return lines

    def _band_height(self) -> float:
        most = max((len(c) for c in self.captions), default=0)
        return 14 + (most + 1) * self._CAPTION_SIZE * 1.35

    def _background(self) -> str:
        width, height = self._frame_width(), self.height + self._band_height()
        dx, y = (width - self.width) / 2, self.height + 4
        return (_markup("rect", {"x": f"{-dx:.2f}", "y": "0", "width": f"{width:.2f}",
                                 "height": f"{height:.2f}", "fill": "white"}) + "\n"
                + _markup("line", {"x1": f"{-dx + 8:.2f}", "y1": f"{y:.2f}", "x2": f"{width - dx - 8:.2f}",
                                   "y2": f"{y:.2f}", "stroke": "#dee2e6", "stroke-width": "1"}) + "\n")

    def _caption(self, k: int) -> str:
        fs, width = self._CAPTION_SIZE, self._frame_width()
        dx, height = (width - self.width) / 2, self.height + self._band_height()
        family, y, lines = backend.FONT_FAMILY, self.height + 8, []
        for text, bold in self.captions[k]:
            y += fs * 1.35
            attrib = {"x": f"{self.width / 2:.2f}", "y": f"{y:.2f}", "text-anchor": "middle",
                      "font-family": family, "font-size": f"{fs:g}"}
            if bold:
                attrib["font-weight"] = "bold"
            lines.append(_markup("text", {**attrib, "fill": "#212529"}, text) + "\n")
        lines.append(_markup("text", {"x": f"{width - dx - 8:.2f}", "y": f"{height - 6:.2f}",
                                      "text-anchor": "end", "font-family": family, "font-size": f"{fs - 3:g}",
                                      "fill": "#868e96"}, f"step {k + 1} of {len(self.steps)}") + "\n")
        return "".join(lines)

    # -- pictures ------------------------------------------------------------------------
    def frame(self, k: int) -> str:
        """The SVG of step ``k``: the shared layout, restyled, with a caption band.

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        str
            SVG markup.

        Raises
        ------
        InputError
            When ``k`` is not a step index ``0 .. len-1``.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> shared = Layout(g, gs.steps(g, "reverse").steps)
        >>> shared.frame(0).startswith("<svg"), 'gs-main' in shared.frame(0)
        (True, True)
        """
        if not 0 <= k < len(self.steps):
            raise InputError(f"step {k} is out of range: the stepper has {len(self.steps)} steps")
        style = f"\n<style>{style_sheet(self.style)}</style>"
        return self._frame_template.fill(self._values(k, style, self._band_background + self._caption(k)))

    def player_svg(self, prefix: str) -> str:
        """The SVG of step 0 for the HTML player: no caption band, as wide as its column
        allows (scaled down to fit, never past its natural size), slot texts with ids ``s<j>``, every id
        prefixed with ``prefix`` and the style sheet scoped to ``#prefix``.

        Parameters
        ----------
        prefix : str
            The id prefix (an HTML id).

        Returns
        -------
        str
            SVG markup.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> shared = Layout(g, gs.steps(g, "reverse").steps)
        >>> svg = shared.player_svg("p")
        >>> svg.startswith('<svg style="width:100%;'), 'id="ps0"' in svg
        (True, True)
        """
        root = _Marked(self.svg, self.reserved, slot_ids=True).root
        width = root.get("width", "")
        if width.endswith("pt") and root.get("height") is not None and _is_number(width[:-2]):
            sizing = f"width:100%;max-width:{width[:-2]}pt;height:auto"
            root.attrib = {("style" if k == "width" else k): (sizing if k == "width" else v)
                           for k, v in root.attrib.items() if k != "height"}
        root.text = _hole(_STYLE) + (root.text or "") + _hole(_BAND)
        style = f"\n<style>{style_sheet(self.style, f'#{prefix}')}</style>"
        return prefix_ids(_Template(root).fill(self._values(0, style, "")), prefix)

    def positions(self) -> dict[int, tuple[float, float]]:
        """The centre of every node in SVG coordinates (identical in every frame).

        Returns
        -------
        dict of int to (float, float)

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> shared = Layout(g, gs.steps(g, "reverse").steps)
        >>> sorted(shared.positions())
        [0, 1]
        """
        return dict(self._centers)

    def __len__(self) -> int:
        return len(self.steps)


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def style_sheet(style: Style, scope: str = "") -> str:
    """The CSS that draws highlighted nodes and edges and unknown values.

    Parameters
    ----------
    style : Style
        The look whose ``focus``, ``focus-edge`` and ``main`` colours are used.
    scope : str, optional
        A selector prefixed to every rule, so that two players on one page keep
        their styles apart.

    Returns
    -------
    str
        The rules, on one line.

    Examples
    --------
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


_ID_ATTR = re.compile(r'(\sid=")([^"]+)(")')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'((?:xlink:)?href=")#([^"]+)(")')


def prefix_ids(markup: str, prefix: str) -> str:
    """Prefix every ``id`` in SVG/HTML markup, and every ``#id`` reference to it.

    Graphviz names its elements ``graph0``, ``n1``, ``e0_1_0``...; two pictures
    inlined in one page would clash, so each gets its own prefix. References
    (``url(#id)``, ``href="#id"``, ``xlink:href="#id"``) to ids defined in the
    markup are rewritten too; other links are left alone.

    Parameters
    ----------
    markup : str
        SVG or HTML text.
    prefix : str
        What every id starts with afterwards.

    Returns
    -------
    str
        The markup with prefixed ids and references.

    Examples
    --------
    >>> prefix_ids('<g id="node1"><use xlink:href="#node1"/><a href="#top"/></g>', "p-")
    '<g id="p-node1"><use xlink:href="#p-node1"/><a href="#top"/></g>'
    """
    defined = {m.group(2) for m in _ID_ATTR.finditer(markup)}
    out = _ID_ATTR.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", markup)
    out = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) in defined
                       else m.group(0), out)
    return _HREF_REF.sub(lambda m: f"{m.group(1)}#{prefix}{m.group(2)}{m.group(3)}"
                         if m.group(2) in defined else m.group(0), out)


