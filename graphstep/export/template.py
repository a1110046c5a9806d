"""Graphviz's SVG as a template: the node and edge groups found, tagged and turned into holes.

The SVG is parsed with :mod:`xml.etree.ElementTree`: the node and edge groups are found
by id, their outlines, lines and arrowheads tagged (``gs-shape``, ``gs-line``,
``gs-head``), the annotation texts turned into slots, and the groups written in fewer
characters (:func:`compact`: every frame of a stepper repeats them). Serialised once with marks
where a group's class or a slot changes, it becomes a :class:`Template` whose
:meth:`~Template.fill` makes a frame by string joins. :mod:`graphstep.export.layout`
builds the frames of a stepper on it.

>>> marked = Marked('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
...                 '<g id="n0" class="node"><text>= 1</text></g></svg>', {("value", 0): "= 1"}, False)
>>> marked.group_ids, marked.slot_keys
(['n0'], [('value', 0)])
>>> frame = Template(marked.root).fill({GROUP: ["node on"], SLOT_CLASS: ["gs-slot"], SLOT_TEXT: ["= 2"]})
>>> 'class="node on"' in frame, '<text class="gs-slot">= 2</text>' in frame
(True, True)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from graphstep import backend
from graphstep.render.tooltips import unwrap_links

__all__ = ["SVG_NS", "XLINK_NS", "GROUP", "SLOT_CLASS", "SLOT_TEXT", "STYLE", "BAND", "hole",
           "parse_svg", "markup", "Template", "Marked", "prefix_ids", "compact", "relative_path"]

#: The SVG namespace (Graphviz's default namespace), and XLink's.
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# A hole in the serialised template: _OPEN + kind letter + index + _CLOSE (private-use
# characters, which neither Graphviz nor a label ever writes).
_OPEN, _CLOSE = "\ue000", "\ue001"
GROUP, SLOT_CLASS, SLOT_TEXT, STYLE, BAND = "g", "c", "t", "s", "b"


def hole(kind: str, index: int = 0) -> str:
    return f"{_OPEN}{kind}{index}{_CLOSE}"


def parse_svg(svg: str) -> ET.Element:
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


def markup(tag: str, attrib: dict[str, str], text: str | None = None) -> str:
    """One element written as SVG text (it inherits the namespace of the SVG it goes in)."""
    element = ET.Element(tag, attrib)
    element.text = text
    return ET.tostring(element, encoding="unicode")


_CURVE = re.compile(r"M[-0-9.,\s]+(?:C[-0-9.,\s]+)*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_INVISIBLE = ("none", "transparent")


def _tenths(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def relative_path(d: str) -> str | None:
    """A Graphviz path (``M`` then cubic ``C`` segments, absolute) with relative curves
    (``c``), in tenths of a point; None for a path with other commands.

    The same drawing in about two thirds of the characters (curve points are near each
    other, so their offsets are short), and it compresses better.

    Parameters
    ----------
    d : str
        The ``d`` attribute.

    Returns
    -------
    str or None

    Examples
    --------
    >>> relative_path("M96.16,-16268.58C160.68,-16244.53 281.86,-16199.41 356.45,-16171.64")
    'M96.2,-16268.6c64.5,24.1 185.7,69.2 260.2,97'
    >>> relative_path("M0,0L5,5") is None
    True
    """
    if not _CURVE.fullmatch(d.strip()):
        return None
    out: list[str] = []
    x0 = y0 = 0.0
    for command in re.findall(r"[MC][^MC]*", d.strip()):
        numbers = [float(n) for n in _NUMBER.findall(command)]
        if len(numbers) % 2:
            return None
        points = [(round(x, 1), round(y, 1)) for x, y in zip(numbers[0::2], numbers[1::2])]
        if command[0] == "M":
            if len(points) != 1:
                return None
            x0, y0 = points[0]
            out.append(f"M{_tenths(x0)},{_tenths(y0)}")
            continue
        if len(points) % 3:
            return None
        curves = []
        for i in range(0, len(points), 3):
            curves.append(" ".join(f"{_tenths(x - x0)},{_tenths(y - y0)}" for x, y in points[i:i + 3]))
            x0, y0 = points[i + 2]
        out.append("c" + " ".join(curves))
    return "".join(out)


def compact(group: ET.Element) -> None:
    """Write a node's or edge's group in fewer characters, drawing the same picture:
    paths with relative curves and points in tenths of a point (at most 0.05 pt, a
    fifteenth of a pixel, from Graphviz's positions), and without the invisible boxes
    (no fill, no stroke) Graphviz draws around labels.

    Parameters
    ----------
    group : Element
        A ``<g>`` of the SVG tree, changed in place.

    Examples
    --------
    >>> g = ET.fromstring('<g><polygon fill="none" stroke="none" points="1,1 2,2"/>'
    ...                   '<polygon fill="red" points="1.234,5.678 9,9"/></g>')
    >>> compact(g)
    >>> ET.tostring(g, encoding="unicode")
    '<g><polygon fill="red" points="1.2,5.7 9,9" /></g>'
    """
    for parent in group.iter():
        for child in list(parent):
            if child.tag in ("polygon", "polyline"):
                if child.get("fill") in _INVISIBLE and child.get("stroke") in _INVISIBLE:
                    parent.remove(child)
                    continue
                points = child.get("points")
                if points:
                    child.set("points", _NUMBER.sub(lambda m: _tenths(float(m.group(0))), points))
            elif child.tag == "path" and child.get("d"):
                shorter = relative_path(child.get("d"))
                if shorter is not None:
                    child.set("d", shorter)


class Template:
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


class Marked:
    """Graphviz's SVG as a tree whose group classes, slot classes and slot texts are
    holes (with ``slot_ids``, every slot text also gets the id ``s<j>``).

    ``group_ids`` lists the node/edge groups and ``slot_keys`` the slots in drawing
    order; ``centers`` holds each node's centre.
    """

    def __init__(self, svg: str, reserved: dict[Any, str], slot_ids: bool):
        self.root = parse_svg(svg)
        self.reserved = reserved
        self.group_ids: list[str] = []
        self.slot_keys: list[Any] = []
        self.centers: dict[int, tuple[float, float]] = {}
        for group in self.root.iter("g"):
            key = _group_key(group)
            if key is None:
                continue
            group.set("class", hole(GROUP, len(self.group_ids)))
            self.group_ids.append(group.get("id"))
            center = self._mark_shapes(group, key)
            for slot, text in self._slot_texts(group, key):
                j = len(self.slot_keys)
                kept = {k: v for k, v in text.attrib.items() if k not in ("x", "text-anchor", "class")}
                placed = {"text-anchor": "middle", "x": f"{center:.2f}"} if center is not None else {}
                named = {"id": f"s{j}"} if slot_ids else {}
                text.attrib = {**placed, **kept, **named, "class": hole(SLOT_CLASS, j)}
                text.text = hole(SLOT_TEXT, j)
                self.slot_keys.append(slot)
            compact(group)

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


