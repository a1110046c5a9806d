"""One Graphviz layout shared by every step of a stepper, and its SVG frames.

Graphviz runs once per stepper. Its layout reserves room for every annotation any
step will show (each slot is laid out with its widest text), so nothing moves from
one step to the next. Graphviz's SVG becomes a template with holes where a group's
class or a slot changes (:mod:`graphstep.export.template`), and a frame fills the
holes (string joins, not a Graphviz run). What each step shows is stored as changes
(:mod:`graphstep.export.states`), so a layout's memory grows with nodes + steps.
:mod:`graphstep.export.svg` keeps one layout per stepper and style;
:mod:`graphstep.export.player` and :mod:`graphstep.export.animation` draw from it.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> shared = Layout(g, gs.steps(g, "forward").steps)
>>> first, last = shared.frame(0), shared.frame(len(shared) - 1)
>>> ">?</text>" in first, ">9.488</text>" in first, ">9.488</text>" in last
(True, False, True)
"""

from __future__ import annotations

import html
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from graphstep import backend
from graphstep.errors import InputError, RenderError
from graphstep.export.states import StepStates
from graphstep.export.template import (
    BAND,
    GROUP,
    SLOT_CLASS,
    SLOT_TEXT,
    STYLE,
    SVG_NS,
    XLINK_NS,
    Marked,
    Template,
    hole,
    markup,
    prefix_ids,
)
from graphstep.graph import Graph
from graphstep.render.annotate import node_kind
from graphstep.render.dot import build_digraph
from graphstep.render.style import ADJOINT_COLOR, UNKNOWN_COLOR, Style
from graphstep.steps.model import Step
from graphstep.text import pretty

__all__ = ["Layout", "style_sheet", "prefix_ids", "SVG_NS", "XLINK_NS"]

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
    base_classes : list of str
        The class attribute of every group when no step highlights it.
    states : StepStates
        What each step shows, stored as changes (memory grows with nodes + steps).
    most_caption_lines : int
        The most lines any step's caption has (see :meth:`caption_lines`).

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
        self.states = StepStates(graph, self.steps, self.style)
        self.reserved = self.states.reserved
        self.source = build_digraph(graph, self.reserved, self.style).source
        raw = backend.run_dot(self.source, "svg", executable).decode("utf-8")
        self.svg = backend.clean_svg(raw, self.style)
        marked = Marked(self.svg, self.reserved, slot_ids=False)
        view = marked.root.get("viewBox", "").split()
        if len(view) != 4:
            raise RenderError("the Graphviz SVG has no viewBox")
        self.width, self.height = float(view[2]), float(view[3])
        self.most_caption_lines = max((len(self.caption_lines(k)) for k in range(len(self.steps))), default=0)
        self.group_ids, self.slot_keys, self._centers = marked.group_ids, marked.slot_keys, marked.centers
        drawn = set(self.slot_keys)
        missing = [s for s in self.reserved if s not in drawn]
        if missing:
            raise RenderError(
                f"the Graphviz SVG lacks the annotation texts of {len(missing)} slot(s) "
                f"(first: {missing[0]}); the executable may not support HTML-like labels")
        # the state's slot of every drawn slot (-1: a slot no step shows, drawn empty)
        index = {slot: i for i, slot in enumerate(self.states.slots)}
        self._order = [index.get(key, -1) for key in self.slot_keys]
        self._drawn = [-1] * len(self.states.slots)
        for j, i in enumerate(self._order):
            if i >= 0:
                self._drawn[i] = j
        self.base_classes = [self._base_class(gid) for gid in self.group_ids]
        self._slot_classes = [f"gs-slot gs-{key[0]}" for key in self.slot_keys]
        self._node_group = {int(g[1:]): i for i, g in enumerate(self.group_ids) if g[0] == "n"}
        self._edge_group = {tuple(int(v) for v in g[1:].split("_")): i
                            for i, g in enumerate(self.group_ids) if g[0] == "e"}
        table = self.states.table
        self._escaped = [html.escape(text, quote=False) for text, _ in table]
        self._unknown = [unknown for _, unknown in table]
        self._frame_template = Template(self._framed(marked.root))
        self._band_background = self._background()

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
        root.text = hole(STYLE) + (root.text or "") + hole(BAND)
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
        classes = self.base_classes[:]
        for i, c in self.highlighted(k).items():
            classes[i] = c
        return classes

    def highlighted(self, k: int) -> dict[int, str]:
        """The groups step ``k`` highlights, with their class attribute (the others keep
        their class of no step).

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        dict of int to str
            Group number (in :attr:`group_ids`) to class attribute.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> Layout(g, gs.steps(g, "reverse").steps).highlighted(1)
        {0: 'node gs-n gs-input gs-focus gs-main', 1: 'node gs-n gs-output gs-focus', 2: 'edge gs-e gs-focus'}
        """
        step, base, found = self.steps[k], self.base_classes, {}
        for n in step.focus_nodes:
            i = self._node_group.get(n)
            if i is not None:
                found[i] = base[i] + " gs-focus"
        main = step.main_node
        if main is not None and main in self._node_group:
            i = self._node_group[main]
            found[i] = found.get(i, base[i]) + " gs-main"
        for e in step.focus_edges:
            i = self._edge_group.get(tuple(e))
            if i is not None:
                found[i] = base[i] + " gs-focus"
        return found

    def slot_changes(self, k: int) -> list[tuple[int, str, str]]:
        """The drawn slots whose text or class step ``k`` changes, from step ``k - 1``.

        Parameters
        ----------
        k : int
            A step index (step 0 changes nothing).

        Returns
        -------
        list of (int, str, str)
            Slot number (in :attr:`slot_keys`), its new text and its new class.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> Layout(g, gs.steps(g, "forward").steps).slot_changes(1)
        [(1, '0', 'gs-slot gs-value')]
        """
        slots, texts = self.states.changes(k)
        table, drawn, classes = self.states.table, self._drawn, self._slot_classes
        found = []
        for i, t in zip(slots, texts):
            j = drawn[i]
            if j >= 0:
                text, unknown = table[t]
                found.append((j, text, classes[j] + " gs-unknown" if unknown else classes[j]))
        return sorted(found)

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
        ids, classes = self._slots(k)
        table = self.states.table
        return [(table[t][0], c) for t, c in zip(ids, classes)]

    def _slots(self, k: int) -> tuple[list[int], list[str]]:
        """The text number (in ``states.table``) and the class of every drawn slot at step ``k``."""
        state, unknown = self.states.state(k), self._unknown
        ids = [state[i] if i >= 0 else 0 for i in self._order]
        classes = self._slot_classes
        if any(unknown[t] for t in ids):
            classes = [c + " gs-unknown" if unknown[t] else c for c, t in zip(classes, ids)]
        return ids, classes

    def _values(self, k: int, style: str, band: str) -> dict[str, Sequence[str]]:
        ids, classes = self._slots(k)
        escaped = self._escaped
        texts = [escaped[t] for t in ids]
        return {GROUP: self.group_classes(k), SLOT_CLASS: classes, SLOT_TEXT: texts,
                STYLE: [style], BAND: [band]}

    # -- captions -------------------------------------------------------------------------
    def _frame_width(self) -> float:
        return max(self.width, 420.0)

    def caption_lines(self, k: int) -> list[tuple[str, bool]]:
        """The caption of step ``k``: its lines, and whether a line is bold (the title).

        Parameters
        ----------
        k : int
            A step index.

        Returns
        -------
        list of (str, bool)

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x)", x=0.0)
        >>> title, *sentence = Layout(g, gs.steps(g, "reverse").steps).caption_lines(1)
        >>> title, sentence[0][0].startswith("x̄ = ū₁ · cos(x) = 1 · 1 = 1"), sentence[0][1]
        (('x̄', True), True, False)
        """
        step = self.steps[k]
        width = max(30, int((self._frame_width() - 24) / (0.6 * self._CAPTION_SIZE)))
        lines = [(line, True) for line in textwrap.wrap(pretty(step.title), width)] if step.title else []
        for paragraph in pretty(str(step.text)).splitlines():
            lines.extend((line, False) for line in (textwrap.wrap(paragraph, width) or [""]))
        return lines

    def _band_height(self) -> float:
        most = self.most_caption_lines
        return 14 + (most + 1) * self._CAPTION_SIZE * 1.35

    def _background(self) -> str:
        width, height = self._frame_width(), self.height + self._band_height()
        dx, y = (width - self.width) / 2, self.height + 4
        return (markup("rect", {"x": f"{-dx:.2f}", "y": "0", "width": f"{width:.2f}",
                                 "height": f"{height:.2f}", "fill": "white"}) + "\n"
                + markup("line", {"x1": f"{-dx + 8:.2f}", "y1": f"{y:.2f}", "x2": f"{width - dx - 8:.2f}",
                                   "y2": f"{y:.2f}", "stroke": "#dee2e6", "stroke-width": "1"}) + "\n")

    def _caption(self, k: int) -> str:
        fs, width = self._CAPTION_SIZE, self._frame_width()
        dx, height = (width - self.width) / 2, self.height + self._band_height()
        family, y, lines = backend.FONT_FAMILY, self.height + 8, []
        for text, bold in self.caption_lines(k):
            y += fs * 1.35
            attrib = {"x": f"{self.width / 2:.2f}", "y": f"{y:.2f}", "text-anchor": "middle",
                      "font-family": family, "font-size": f"{fs:g}"}
            if bold:
                attrib["font-weight"] = "bold"
            lines.append(markup("text", {**attrib, "fill": "#212529"}, text) + "\n")
        lines.append(markup("text", {"x": f"{width - dx - 8:.2f}", "y": f"{height - 6:.2f}",
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
        root = Marked(self.svg, self.reserved, slot_ids=True).root
        width = root.get("width", "")
        if width.endswith("pt") and root.get("height") is not None and _is_number(width[:-2]):
            sizing = f"width:100%;max-width:{width[:-2]}pt;height:auto"
            root.attrib = {("style" if k == "width" else k): (sizing if k == "width" else v)
                           for k, v in root.attrib.items() if k != "height"}
        root.text = hole(STYLE) + (root.text or "") + hole(BAND)
        style = f"\n<style>{style_sheet(self.style, f'#{prefix}')}</style>"
        return prefix_ids(Template(root).fill(self._values(0, style, "")), prefix)

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
