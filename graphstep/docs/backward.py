"""``.. graphstep-backward:: EXPR``: the backward pass as a picture in a Sphinx page.

The picture :func:`graphstep.render` draws with ``backward=`` or ``saved=``: the forward
graph beside its adjoint graph (``:backward:``), the cached values marked
(``:saved:``), or both, drawn when the page is built and inlined as SVG. The walk
through the backward graph node by node is the ``graphstep`` directive's
``:mode: adjoint-graph``.

Options: ``:at:`` (values, as the ``graphstep`` directive reads them), ``:seed:``,
``:wrt:`` (the input), ``:backward:`` and ``:saved:`` (flags; ``:backward:`` when neither
is given), ``:alone:`` (the backward graph drawn alone, as an ordinary graph: values on
its nodes, its own local derivatives on its edges), ``:direction:``, ``:caption:``,
``:alt:``.

>>> svg = backward_svg("x * exp(x^2)", {"at": "x=1.5", "saved": None, "backward": None})
>>> svg.startswith("<svg") and "saved" in svg and "x̄" in svg
True
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from graphstep.algorithms.backward_graph import backward_graph
from graphstep.build.parse import parse
from graphstep.docs.figure import parse_values, svg_inline
from graphstep.docs.picture import full_size
from graphstep.errors import GraphstepError
from graphstep.export.image import render
from graphstep.render.style import Style

__all__ = ["BackwardDirective", "backward_svg"]

logger = logging.getLogger(__name__)


def backward_svg(expression: str, options: Mapping[str, Any], prefix: str = "gsb-") -> str:
    """The inlined SVG of the picture the options ask for.

    Parameters
    ----------
    expression : str
    options : mapping
        The directive's options (flags are present with the value None).
    prefix : str, optional
        The prefix of the SVG's ids (unique within the page).

    Returns
    -------
    str

    Raises
    ------
    GraphstepError
        For a bad expression, value or input name.
    """
    values = parse_values(options.get("at", ""), seed=int(options.get("seed", 0) or 0))
    g = parse(expression, **values)
    saved = "saved" in options
    backward = "backward" in options or not saved
    wrt = options.get("wrt") or None
    style = Style(direction=str(options.get("direction", "auto")).upper()
                  if options.get("direction") not in (None, "auto") else "auto")
    with tempfile.TemporaryDirectory() as folder:
        if "alone" in options:  # the backward graph as an ordinary graph: locals on its edges
            out = render(backward_graph(g, wrt), Path(folder) / "picture.svg", style=style)
        else:
            out = render(g, Path(folder) / "picture.svg", style=style,
                         backward=(wrt or True) if backward else False, saved=saved)
        svg = out.read_text(encoding="utf-8")
    alt = options.get("alt") or f"the backward pass of {expression}"
    return svg_inline(svg, prefix, alt)


class BackwardDirective(SphinxDirective):
    """``.. graphstep-backward:: EXPR`` (see the module's docstring).

    Attributes
    ----------
    option_spec : dict
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {
        "at": directives.unchanged,
        "seed": directives.nonnegative_int,
        "wrt": directives.unchanged,
        "backward": directives.flag,
        "saved": directives.flag,
        "alone": directives.flag,
        "direction": lambda text: directives.choice(text, ("auto", "lr", "rl", "tb", "bt")),
        "caption": directives.unchanged,
        "alt": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """The figure (inline SVG and caption), or the message of a bad expression or option.

        Returns
        -------
        list of docutils.nodes.Node
        """
        expression = " ".join(self.arguments[0].split())
        serial = self.env.new_serialno("graphstep-backward")
        try:
            svg = backward_svg(expression, self.options, prefix=f"gsb{serial}-")
        except GraphstepError as error:
            logger.warning("graphstep-backward: %s", error, location=self.get_location(),
                           type="graphstep", subtype="expression")
            return [nodes.literal_block(str(error), f"graphstep: {error}",
                                        classes=["graphstep-error"])]
        alt = self.options.get("alt") or f"the backward pass of {expression}"
        picture = f'<div class="graphstep">{full_size(svg, alt)}</div>'
        figure = nodes.figure("", nodes.raw("", picture, format="html"),
                              classes=["graphstep-figure"])
        figure["align"] = "center"
        if self.options.get("caption"):
            parsed, messages = self.state.inline_text(self.options["caption"], self.lineno)
            figure += nodes.caption(self.options["caption"], "", *parsed)
            return [figure, *messages]
        return [figure]
