"""A ``pymdownx.superfences`` custom fence: graphstep pictures and players in MkDocs.

Configure it in ``mkdocs.yml``::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: graphstep
              class: graphstep
              validator: !!python/name:graphstep.mkdocs.fence_validator
              format: !!python/name:graphstep.mkdocs.fence_format

and write, in any page::

    ```graphstep
    at: x=1.5
    mode: paths
    output: player
    caption: The two paths from x to the output.
    x * exp(x^2)
    ```

The options are those of the Sphinx directive (``at``, ``seed``, ``mode``, ``wrt``,
``steps``, ``output``, ``caption``, ``align``, ``alt``, ``name``, ``direction``, ``focus``,
``collapse``, ``expand``, ``hide-constants``), given as
``key: value`` lines at the top of the fence or as fence attributes (a first
line such as ``{.graphstep output="svg"}`` after the opening backticks); the rest
of the body is the expression.
Everything is inlined into the page (SVG with ids prefixed per fence, PNG and GIF
as data URIs, the player as a fragment whose ids, style and script are prefixed
per fence), so nothing needs copying.
Set the environment variable ``GRAPHSTEP_CACHE`` to a directory to keep the
produced files between builds (they are named by a hash of their inputs).

A bad expression or option logs a warning on the ``mkdocs.plugins.graphstep``
logger (so ``mkdocs build --strict`` stops) and shows the message in the page.
"""

from __future__ import annotations

import base64
import html
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from graphstep.build.statements import program_text
from graphstep.docs.figure import OPTIONS, Figure, Output, player_inline, svg_inline
from graphstep.docs.picture import full_size
from graphstep.errors import GraphstepError, InputError

__all__ = ["fence_format", "fence_validator", "split_fence", "CACHE_ENV"]

log = logging.getLogger("mkdocs.plugins.graphstep")

#: Environment variable naming a directory in which produced files are kept and reused.
CACHE_ENV = "GRAPHSTEP_CACHE"

_OPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def split_fence(source: str) -> tuple[dict[str, str], str]:
    """Split a fence body into its ``key: value`` option lines and the expression.

    Option lines come first (blank lines between them are skipped); the first line
    that is not ``known-option: value`` starts the expression.

    Parameters
    ----------
    source : str
        The text between the fence's opening and closing lines.

    Returns
    -------
    tuple of (dict, str)
        The options by lower-case name, and the expression on one line.

    Raises
    ------
    InputError
        When an option is given twice.

    Examples
    --------
    >>> split_fence("at: x=1.5\\nmode: reverse\\n\\nx * exp(x^2)\\n")
    ({'at': 'x=1.5', 'mode': 'reverse'}, 'x * exp(x^2)')
    """
    options: dict[str, str] = {}
    lines = source.splitlines()
    k = 0
    while k < len(lines):
        line = lines[k]
        match = _OPTION_LINE.match(line)
        if not line.strip():
            k += 1
            continue
        if not match or match.group(1).lower() not in OPTIONS:
            break
        key = match.group(1).lower()
        if key in options:
            raise InputError(f"option {key!r} is given twice in the graphstep fence")
        options[key] = match.group(2)
        k += 1
    expression = program_text("\n".join(lines[k:]))  # a program keeps its lines
    return options, expression


def fence_validator(language: str, inputs: dict[str, str], options: dict[str, Any],
                    attrs: dict[str, Any], md: Any) -> bool:
    """Superfences validator: fence attributes become options.

    Every attribute is kept (an unknown one is reported by :func:`fence_format`, not
    silently dropped).

    Parameters
    ----------
    language : str
        The fence's language (``graphstep``).
    inputs : dict
        The fence attributes as written.
    options : dict
        Filled with the attributes, for :func:`fence_format`.
    attrs : dict
        Attributes superfences keeps on the element (unused).
    md : Markdown
        The Markdown instance (unused).

    Returns
    -------
    bool
        Always True: the fence is graphstep's.

    Examples
    --------
    >>> options = {}
    >>> fence_validator("graphstep", {"output": "svg"}, options, {}, None), options
    (True, {'output': 'svg'})
    """
    for key, value in inputs.items():
        options[key] = value
    return True


def fence_format(source: str, language: str, class_name: str, options: dict[str, Any], md: Any,
                 **kwargs: Any) -> str:
    """Superfences formatter: the fence's picture or player as HTML.

    Parameters
    ----------
    source : str
        The fence body: option lines, then the expression.
    language : str
        The fence's language (``graphstep``).
    class_name : str
        The CSS class configured for the fence.
    options : dict
        The fence attributes (from :func:`fence_validator`); option lines in the body
        add to them.
    md : Markdown
        The Markdown instance; counts the fences of a page so that ids are unique.
    **kwargs
        Superfences' extras; ``id_value`` is the fence's ``#id`` attribute.

    Returns
    -------
    str
        A ``<figure>``; on a bad expression or option, a ``<div class="graphstep-error">``
        with the message (and a warning on the ``mkdocs.plugins.graphstep`` logger).

    Examples
    --------
    >>> fence_format("output: jpeg\\nx", "graphstep", "graphstep", {}, None)  # doctest: +ELLIPSIS
    '<div class="graphstep-error"><pre>graphstep: output &#x27;jpeg&#x27; is not one of ...</pre></div>'
    """
    count = getattr(md, "_graphstep_fences", 0) if md is not None else 0
    if md is not None:
        md._graphstep_fences = count + 1
    try:
        body_options, expression = split_fence(source)
        twice = sorted(set(body_options) & set(options))
        if twice:
            raise InputError(f"option {twice[0]!r} is given both as an attribute and in the body")
        figure = Figure.from_options(expression, {**options, **body_options})
        return _figure_html(figure, count, class_name, kwargs.get("id_value") or "")
    except GraphstepError as error:
        log.warning("graphstep fence %r: %s", " ".join(source.split())[:60], error)
        return (f'<div class="graphstep-error"><pre>graphstep: {html.escape(str(error))}'
                f"</pre></div>")


def _figure_html(figure: Figure, count: int, class_name: str, id_value: str) -> str:
    stepper = figure.stepper()
    cache = os.environ.get(CACHE_ENV)
    if cache:
        paths = figure.produce(Path(cache), stepper)
        parts = _parts(figure, paths, stepper, count)
    else:
        with tempfile.TemporaryDirectory(prefix="graphstep-") as tmp:
            paths = figure.produce(Path(tmp), stepper)
            parts = _parts(figure, paths, stepper, count)
    classes = " ".join(dict.fromkeys(c for c in ("graphstep", f"graphstep-{figure.output}", class_name) if c))
    ident = figure.name or id_value
    id_attr = f' id="{html.escape(ident)}"' if ident else ""
    caption = f"<figcaption>{html.escape(figure.caption)}</figcaption>" if figure.caption else ""
    return (f'<figure class="{html.escape(classes)}"{id_attr} style="text-align:{figure.align}">'
            f"{''.join(parts)}{caption}</figure>")


def _data_uri(path: Path) -> str:
    mime = "image/gif" if path.suffix == ".gif" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _parts(figure: Figure, paths: list[Path], stepper: Any, count: int) -> list[str]:
    alt = html.escape(figure.alt_text)
    if figure.output is Output.PLAYER:
        prefix = f"gs{figure.key()[:6]}-{count}"
        return [player_inline(paths[0].read_text(encoding="utf-8"), figure.key(), prefix)]
    if figure.output is Output.GIF:
        return [f'<img src="{_data_uri(paths[0])}" alt="{alt}" style="max-width:100%;height:auto">']
    indices = figure.step_indices(len(stepper))
    prefix = f"gs{figure.key()[:6]}-{count}-"
    parts = []
    for k, path in zip(indices, paths):
        if figure.output is Output.SVG:
            picture = svg_inline(path.read_text(encoding="utf-8"), f"{prefix}{k}-", figure.alt_text)
        else:
            picture = f'<img src="{_data_uri(path)}" alt="{alt}" style="max-width:100%;height:auto">'
        parts.append(f'<div class="graphstep-picture">{full_size(picture, figure.alt_text)}</div>')
    return parts
