"""Local Sphinx helpers for the graphstep documentation.

* ``.. cli-help:: [COMMAND]``: the ``--help`` text of ``graphstep`` or one of its
  subcommands, taken from the real argument parser.
* ``.. repl-help::``: the REPL's command list, taken from :data:`graphstep.repl.HELP`.
* ``.. gallery-check:: NAME``: a table comparing graphstep's derivatives (reverse
  accumulation and the sum over paths) with the seed's closed form for one gallery
  example, computed while the page is built.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


# --- CLI and REPL help -------------------------------------------------------------------

@contextlib.contextmanager
def _columns(width: int):
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


class CliHelp(SphinxDirective):
    """``.. cli-help:: render``: the help text of ``graphstep render`` (or of ``graphstep``)."""

    optional_arguments = 1

    def run(self):
        from graphstep.cli import build_parser

        with _columns(88):
            parser = build_parser()
            if self.arguments:
                import argparse

                actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
                choices = actions[0].choices if actions else {}
                if self.arguments[0] not in choices:
                    logger.warning("no graphstep subcommand %r", self.arguments[0],
                                   location=self.get_location())
                    return []
                parser = choices[self.arguments[0]]
            text = parser.format_help()
        block = nodes.literal_block(text, text, language="text")
        return [block]


class ReplHelp(SphinxDirective):
    """``.. repl-help::``: every REPL command with its one-line help."""

    def run(self):
        from graphstep.repl import HELP

        text = "\n".join(str(line) for line in HELP.values())
        return [nodes.literal_block(text, text, language="text")]


# --- gallery checks ----------------------------------------------------------------------

def _short(value) -> str:
    """A number, a small array written out, or the shape of a larger one."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    if array.size <= 6:
        return np.array2string(array, precision=4, separator=", ", suppress_small=True)
    shape = " × ".join(str(n) for n in array.shape)
    return f"{shape} array, entries from {array.min():.4g} to {array.max():.4g}"


class GalleryCheck(SphinxDirective):
    """``.. gallery-check:: x-exp-x2``: graphstep against the seed's closed form, as a table."""

    required_arguments = 1

    def run(self):
        import graphstep as gs
        from graphstep.gallery.examples import EXAMPLES

        name = self.arguments[0]
        if name not in EXAMPLES:
            logger.warning("no gallery example %r", name, location=self.get_location())
            return []
        example = EXAMPLES[name]
        g = example.graph()
        expected = example.expected(g)
        header = ["input", "graphstep (reverse accumulation)", "the seed's closed form",
                  "largest difference (reverse, paths)", "agree"]
        rows = []
        for wrt, closed in expected.items():
            computed = gs.jacobian(g, wrt) if example.kind == "jacobian" else gs.grad(g, wrt)
            by_paths = gs.path_sum(g, wrt)
            closed = np.ravel(np.asarray(closed, dtype=float))
            gaps = [float(np.max(np.abs(np.ravel(c) - closed), initial=0.0)) for c in (computed, by_paths)]
            scale = max(1.0, float(np.max(np.abs(closed), initial=0.0)))
            ok = max(gaps) <= 1e-9 * scale
            if not ok:
                logger.warning("gallery example %s: graphstep and the closed form disagree for %s",
                               name, wrt, location=self.get_location())
            rows.append([wrt, _short(computed), _short(np.reshape(closed, np.shape(computed))),
                         f"{gaps[0]:.1e}, {gaps[1]:.1e}", "yes" if ok else "NO"])
        return [_table(header, rows, ["graphstep-check"])]


def _table(header, rows, classes) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)

    def row(cells, literal):
        tr = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if literal and "\n" in cell:
                entry += nodes.literal_block(cell, cell)
            elif literal:
                entry += nodes.paragraph("", "", nodes.literal(cell, cell))
            else:
                entry += nodes.paragraph(cell, cell)
            tr += entry
        return tr

    thead = nodes.thead()
    thead += row(header, False)
    group += thead
    tbody = nodes.tbody()
    for cells in rows:
        tbody += row(cells, True)
    group += tbody
    return table


def setup(app):
    app.add_directive("cli-help", CliHelp)
    app.add_directive("repl-help", ReplHelp)
    app.add_directive("gallery-check", GalleryCheck)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
