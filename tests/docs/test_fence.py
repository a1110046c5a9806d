"""The MkDocs fence (graphstep.docs.fence, public name graphstep.mkdocs)."""

from __future__ import annotations

import base64
import importlib
import logging
import re
import textwrap
from collections import Counter

import pytest

from graphstep.docs import figure as embed
from graphstep.errors import InputError
from graphstep.mkdocs import fence_format, fence_validator, split_fence

_DOCS_EXTRA = "is not installed (the docs extra: pip install -e '.[docs]')"
markdown = pytest.importorskip("markdown", reason=f"Python-Markdown {_DOCS_EXTRA}")
pytest.importorskip("pymdownx", reason=f"pymdown-extensions {_DOCS_EXTRA}")

CONFIG = {"pymdownx.superfences": {"custom_fences": [
    {"name": "graphstep", "class": "graphstep", "validator": fence_validator, "format": fence_format},
]}}


def _markdown(text: str) -> str:
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=CONFIG)
    return md.convert(textwrap.dedent(text))


class _MD:
    """Stands in for the Markdown instance superfences passes (it only carries a counter)."""


def test_split_fence_reads_option_lines_then_the_expression():
    options, expression = split_fence("at: x=1.5, y=2\n\nmode: reverse\nsin(x) *\n  y\n")
    assert options == {"at": "x=1.5, y=2", "mode": "reverse"}
    assert expression == "sin(x) * y"
    with pytest.raises(InputError, match="given twice"):
        split_fence("mode: paths\nmode: reverse\nx")


def test_validator_moves_attributes_into_options():
    options, attrs = {}, {}
    assert fence_validator("graphstep", {"at": "x=1", "output": "png"}, options, attrs, None)
    assert options == {"at": "x=1", "output": "png"} and attrs == {}


@pytest.mark.backend
def test_formatter_svg_with_caption_name_and_prefixed_ids():
    md = _MD()
    source = "at: x=1.5\noutput: svg\ncaption: Two paths <b>\nname: two-paths\nx * exp(x^2)\n"
    first = fence_format(source, "graphstep", "graphstep", {}, md)
    second = fence_format(source, "graphstep", "graphstep", {}, md)
    assert first.startswith('<figure class="graphstep graphstep-svg"') and 'id="two-paths"' in first
    assert "<figcaption>Two paths &lt;b&gt;</figcaption>" in first
    assert first.count("<svg") == 1 and "<?xml" not in first
    ids = re.findall(r'\sid="([^"]+)"', first + second)
    assert [i for i, n in Counter(ids).items() if n > 1] == ["two-paths"]  # only the name repeats
    graph_ids = [i for i in ids if i.endswith("graph0")]
    assert len(graph_ids) == 2 and graph_ids[0] != graph_ids[1]


@pytest.mark.backend
def test_formatter_player_and_png():
    md = _MD()
    player = fence_format("at: x=0.5, y=2\nmode: reverse\nsin(x) * y", "graphstep", "graphstep", {}, md)
    assert player.count('class="gs-player"') == 1 and "gsk" not in player
    player_id = re.search(r'<div id="([^"]+)" class="gs-player"', player).group(1)
    assert f'id="{player_id}-data"' in player
    png = fence_format("sum(W @ v)", "graphstep", "graphstep",
                       {"at": "W=randn(2,3), v=[1, 2, 3]", "output": "png", "mode": "forward"}, md)
    data = re.search(r'src="data:image/png;base64,([^"]+)"', png).group(1)
    assert base64.b64decode(data).startswith(b"\x89PNG")
    gif = fence_format("output: gif\nsteps: all\nat: x=0.3\nsigmoid(x)", "graphstep", "graphstep", {}, md)
    data = re.search(r'src="data:image/gif;base64,([^"]+)"', gif).group(1)
    assert base64.b64decode(data).startswith(b"GIF89a")


def test_formatter_reports_a_bad_expression(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.graphstep"):
        out = fence_format("at: x=1\nx +* 2", "graphstep", "graphstep", {}, _MD())
    assert out.startswith('<div class="graphstep-error">') and "x +* 2" in out
    assert any("x +* 2" in r.getMessage() for r in caplog.records)
    out = fence_format("x", "graphstep", "graphstep", {"colour": "red"}, _MD())
    assert "unknown option &#x27;colour&#x27;" in out
    out = fence_format("output: svg\nx", "graphstep", "graphstep", {"output": "png"}, _MD())
    assert "both as an attribute and in the body" in out


@pytest.mark.backend
def test_through_python_markdown_with_superfences():
    html = _markdown("""\
        # Page

        ```graphstep
        at: x=1.5
        output: svg
        x * exp(x^2)
        ```

        ```{.graphstep at="x=0.7" output="svg" steps="last"}
        ln(sin(x^3)^2)
        ```

        ```python
        print("an ordinary fence is left alone")
        ```
        """)
    assert html.count('<figure class="graphstep graphstep-svg') == 2
    assert html.count("<svg") == 2
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert not [i for i, n in Counter(ids).items() if n > 1]
    assert "an ordinary fence is left alone" in html and "<figure" not in html.split("print")[1]


@pytest.mark.backend
def test_cache_directory_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHSTEP_CACHE", str(tmp_path))
    source = "at: x=2\noutput: svg\nx * x"
    first = fence_format(source, "graphstep", "graphstep", {}, _MD())
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files and all(f.endswith(".svg") for f in files)

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again instead of reusing the cache")

    monkeypatch.setattr(importlib.import_module("graphstep.export.image"), "render", refuse)
    assert fence_format(source, "graphstep", "graphstep", {}, _MD()) == first
    figure = embed.Figure.from_options("x * x", {"at": "x=2", "output": "svg"})
    monkeypatch.undo()
    assert figure.file_names(len(figure.stepper())) == files
