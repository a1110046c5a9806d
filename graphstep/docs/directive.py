"""The ``.. graphstep::`` directive for Sphinx.

Add ``"graphstep.sphinxext"`` to ``extensions`` in ``conf.py``; then a page can show
an expression's graph, a step player or an animation::

    .. graphstep:: x * exp(x^2)
       :at: x=1.5
       :mode: paths
       :output: player
       :caption: The two paths from x to the output.

Options: ``:at:`` (``name=value`` pairs: numbers, nested lists, ``randn(3,2)``...),
``:seed:`` (for ``randn``), ``:mode:`` (``forward``, ``local``, ``paths``, ``reverse``,
``forward-mode``), ``:wrt:``, ``:steps:`` (``all``, ``last``, ``first`` or step
numbers), ``:output:`` (``player``, ``svg``, ``png``, ``gif``), ``:caption:``,
``:align:``, ``:alt:``, ``:name:``, ``:direction:`` (``auto``, the default, ``LR``,
``TB``, ``BT`` or ``RL``: where the inputs sit), ``:focus:`` (inputs), ``:collapse:``
(``blocks``, a depth or block names), ``:expand:`` (block names) and ``:hide-constants:``
(a flag; see :doc:`/collapsing`). The expression is the argument or the body.

How it works: the directive checks everything while the page is read (a bad
expression or value becomes a warning with the file and line, and the page goes on
without the picture) and leaves a placeholder node in the doctree. When a page is
written, HTML builders put inline SVG, an ``<img>`` (PNG, GIF) or an inline player
in its place; every other builder gets an ordinary image node with a PNG (through a
post-transform). Produced files are named by a hash of their inputs and reused by
later builds: PNGs and GIFs that a page links to in ``_images/graphstep/`` of the
HTML output, everything else (inlined SVG, player fragments, pictures for other
builders) in ``graphstep/`` of the doctree directory. The extension keeps no state
between documents, so it is safe for parallel reading and writing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from graphstep import __version__
from graphstep.build.statements import program_text
from graphstep.docs.backward import BackwardDirective
from graphstep.docs.figure import MODES, OUTPUTS, Figure, Output, player_inline, svg_inline
from graphstep.docs.picture import full_size
from graphstep.errors import GraphstepError

__all__ = ["GraphstepDirective", "GraphstepNode", "GraphstepTransform", "visit_graphstep_html", "setup"]

logger = logging.getLogger(__name__)

#: Sub-directory (of the HTML image directory, or of the doctree directory) for produced files.
SUBDIR = "graphstep"


class GraphstepNode(nodes.General, nodes.Element):
    """Placeholder for one picture or player; replaced when the page is written.

    Attributes: ``figure`` (the :class:`~graphstep.docs.figure.Figure` request),
    ``count`` (how many steps the walk has),
    ``prefix`` (the id prefix for inlined SVG, unique within the page).

    Attributes
    ----------
    figure : Figure
        The request (:class:`~graphstep.docs.figure.Figure`).
    count : int
        How many steps the walk has.
    prefix : str
        The id prefix for inlined SVG, unique within the page.

    Examples
    --------
    >>> node = GraphstepNode()
    >>> node["count"] = 3
    >>> node.tagname, node["count"]
    ('GraphstepNode', 3)
    """


def _choice(values):
    return lambda argument: directives.choice(argument, values)


class GraphstepDirective(SphinxDirective):
    """``.. graphstep:: EXPR`` (or the expression as the body) with the options above.

    Attributes
    ----------
    option_spec : dict
        The options (:data:`graphstep.docs.figure.OPTIONS`) and how each is read.

    Examples
    --------
    >>> from graphstep.docs.figure import OPTIONS
    >>> sorted(GraphstepDirective.option_spec) == sorted(OPTIONS)
    True
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "at": directives.unchanged,
        "seed": directives.nonnegative_int,
        "mode": _choice(MODES),
        "wrt": directives.unchanged,
        "steps": directives.unchanged,
        "output": _choice(OUTPUTS),
        "caption": directives.unchanged,
        "align": _choice(("left", "center", "right")),
        "alt": directives.unchanged,
        "name": directives.unchanged,
        "direction": _choice(("auto", "lr", "rl", "tb", "bt")),  # choice() lower-cases; Figure upper-cases
        "focus": directives.unchanged,
        "collapse": directives.unchanged,
        "expand": directives.unchanged,
        "hide-constants": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """Check the options, build the walk once (to count its steps) and place the node.

        Returns
        -------
        list of docutils.nodes.Node
            A figure holding a :class:`GraphstepNode` (and its caption); for a bad expression
            or option, a literal block with the message (and a Sphinx warning).

        Examples
        --------
        >>> GraphstepDirective.has_content, GraphstepDirective.optional_arguments
        (True, 1)
        """
        expression = " ".join(self.arguments) if self.arguments else "\n".join(self.content)
        if self.arguments and self.content:
            return self._fail("give the expression either as the argument or as the body, not both")
        try:
            figure = Figure.from_options(program_text(expression), self.options)  # a program keeps its lines
            stepper = figure.stepper()
            count = len(stepper)
            figure.step_indices(count)
        except GraphstepError as error:
            return self._fail(str(error))
        docname = self.env.current_document.docname
        page = hashlib.sha1(docname.encode()).hexdigest()[:6]
        serial = self.env.new_serialno(SUBDIR)
        node = GraphstepNode()
        node["figure"] = figure
        node["count"] = count
        node["prefix"] = f"gs{page}-{serial}-"
        self.set_source_info(node)

        outer = nodes.figure("", node, classes=["graphstep-figure"])
        outer["align"] = figure.align
        self.set_source_info(outer)
        if figure.caption:
            parsed, messages = self.state.inline_text(figure.caption, self.lineno)
            caption = nodes.caption(figure.caption, "", *parsed)
            self.set_source_info(caption)
            outer += caption
        else:
            messages = []
        self.add_name(outer)
        return [outer, *messages]

    def _fail(self, message: str) -> list[nodes.Node]:
        logger.warning("graphstep: %s", message, location=self.get_location(),
                       type="graphstep", subtype="expression")
        return [nodes.literal_block(message, f"graphstep: {message}", classes=["graphstep-error"])]


def visit_graphstep_html(translator: Any, node: GraphstepNode) -> None:
    """HTML builders: inline SVG, an ``<img>`` (PNG, GIF) or an embedded player.

    Parameters
    ----------
    translator : HTMLTranslator
        The HTML builder's translator (its ``body`` receives the markup).
    node : GraphstepNode
        The placeholder.

    Raises
    ------
    docutils.nodes.SkipNode
        Always, once the markup is written (the node has no children to visit).

    Examples
    --------
    >>> import tempfile, types
    >>> from docutils import nodes
    >>> from graphstep.docs.figure import Figure
    >>> figure = Figure.from_options("sin(x)", {"at": "x=0", "output": "svg"})
    >>> node = GraphstepNode(figure=figure, count=2, prefix="gs-")
    >>> folder = tempfile.mkdtemp()
    >>> builder = types.SimpleNamespace(outdir=folder, imagedir="_images", doctreedir=folder,
    ...                                 imgpath="_images")
    >>> translator = types.SimpleNamespace(builder=builder, body=[])
    >>> try:
    ...     visit_graphstep_html(translator, node)
    ... except nodes.SkipNode:
    ...     print(translator.body[0][:37])
    <div class="graphstep graphstep-svg">
    """
    figure: Figure = node["figure"]
    builder = translator.builder
    if figure.output in (Output.PNG, Output.GIF):  # served by the page: beside the build's other images
        directory = Path(builder.outdir) / builder.imagedir / SUBDIR
    else:  # inlined into the page: the cached source need not be published
        directory = Path(builder.doctreedir) / SUBDIR
    try:
        paths = _produce(figure, directory, node["count"])
    except GraphstepError as error:
        logger.warning("graphstep: %s", error, location=node, type="graphstep", subtype="render")
        translator.body.append(f'<p class="graphstep-error">{html.escape(figure.alt_text)}</p>')
        raise nodes.SkipNode from None

    def url(path: Path) -> str:
        return f"{builder.imgpath}/{SUBDIR}/{path.name}"

    alt = html.escape(figure.alt_text)
    parts = []
    if figure.output is Output.PLAYER:
        fragment = paths[0].read_text(encoding="utf-8")
        parts.append(player_inline(fragment, figure.key(), node["prefix"].rstrip("-")))
    elif figure.output is Output.GIF:
        parts.append(f'<img class="graphstep-gif" src="{url(paths[0])}" alt="{alt}">')
    else:
        indices = figure.step_indices(node["count"])
        for k, path in zip(indices, paths):
            if figure.output is Output.SVG:
                picture = svg_inline(path.read_text(encoding="utf-8"), f"{node['prefix']}{k}-",
                                     figure.alt_text)
            else:
                picture = f'<img src="{url(path)}" alt="{alt}">'
            parts.append(f'<div class="graphstep-picture">{full_size(picture, figure.alt_text)}</div>')
    label = f' role="group" aria-label="{alt}"' if figure.output is Output.PLAYER else ""
    translator.body.append(f'<div class="graphstep graphstep-{figure.output}"{label}>{"".join(parts)}</div>')
    raise nodes.SkipNode


class GraphstepTransform(SphinxPostTransform):
    """Builders other than HTML: replace each :class:`GraphstepNode` by an image node.

    The picture is a PNG (an SVG for builders that take SVG but not PNG) of the
    chosen step (the last one for players and GIFs), registered with the environment
    so the builder copies it like any other image.

    Attributes
    ----------
    default_priority : int
        Runs after Sphinx's own post-transforms of images.

    Examples
    --------
    >>> GraphstepTransform.default_priority
    200
    """

    default_priority = 200

    def is_supported(self) -> bool:
        """Whether this transform applies: for every builder but HTML.

        Returns
        -------
        bool

        Examples
        --------
        >>> import types
        >>> def transform(format):
        ...     builder = types.SimpleNamespace(format=format)
        ...     return types.SimpleNamespace(env=types.SimpleNamespace(_builder_cls=builder))
        >>> [GraphstepTransform.is_supported(transform(name)) for name in ("latex", "html")]
        [True, False]
        """
        return self.env._builder_cls.format != "html"

    def run(self, **kwargs: Any) -> None:
        """Replace every :class:`GraphstepNode` of the document by its image nodes.

        Parameters
        ----------
        **kwargs
            Sphinx's (unused).

        Examples
        --------
        >>> import types
        >>> from docutils import nodes
        >>> from docutils.frontend import get_default_settings
        >>> from docutils.parsers.rst import Parser
        >>> from docutils.utils import new_document
        >>> document = new_document("page", get_default_settings(Parser))
        >>> document += [nodes.paragraph("", "before"), nodes.paragraph("", "after")]
        >>> GraphstepTransform.run(types.SimpleNamespace(document=document))  # no graphstep node
        >>> document.astext()
        'before\\n\\nafter'
        """
        for node in list(self.document.findall(GraphstepNode)):
            figure: Figure = node["figure"]
            try:
                replacement = self._static(node, figure)
            except GraphstepError as error:
                logger.warning("graphstep: %s", error, location=node, type="graphstep",
                               subtype="render")
                replacement = [nodes.paragraph("", figure.alt_text)]
            node.replace_self(replacement)

    # -- every other builder: an ordinary image ------------------------------------

    def _static(self, node: GraphstepNode, figure: Figure) -> list[nodes.Node]:
        builder = self.env._builder_cls
        supported = getattr(builder, "supported_image_types", []) or []
        ext = Output.SVG if "image/svg+xml" in supported and "image/png" not in supported else Output.PNG
        steps = figure.steps if figure.output.static else "last"
        static = dataclasses.replace(figure, steps=steps, output=ext)
        directory = Path(self.env.doctreedir) / SUBDIR
        paths = _produce(static, directory, node["count"])
        docname = self.env.current_document.docname
        result: list[nodes.Node] = []
        for path in paths:
            image = nodes.image("", uri=str(path), alt=figure.alt_text,
                                candidates={"image/svg+xml" if ext is Output.SVG else "image/png": str(path)})
            self.env.images.add_file(docname, str(path))
            result.append(image)
        return result


def _produce(figure: Figure, directory: Path, count: int) -> list[Path]:
    """The figure's files in ``directory``: reused if a build already made them."""
    paths = [directory / name for name in figure.file_names(count)]
    if all(path.exists() for path in paths):
        return paths
    return figure.produce(directory)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, its node and the post-transform.

    Parameters
    ----------
    app : Sphinx
        The application.

    Returns
    -------
    dict
        The extension's metadata (version, parallel safety).

    Examples
    --------
    >>> class App:  # records what setup registers
    ...     def __init__(self):
    ...         self.calls = []
    ...     def __getattr__(self, name):
    ...         return lambda *args, **kwargs: self.calls.append(name)
    >>> app = App()
    >>> metadata = setup(app)
    >>> app.calls, metadata["parallel_read_safe"]
    (['add_node', 'add_directive', 'add_directive', 'add_post_transform'], True)
    """
    app.add_node(GraphstepNode, html=(visit_graphstep_html, None))
    app.add_directive("graphstep", GraphstepDirective)
    app.add_directive("graphstep-backward", BackwardDirective)  # graphstep.docs.backward
    app.add_post_transform(GraphstepTransform)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
