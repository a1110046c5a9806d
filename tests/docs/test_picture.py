"""graphstep.docs.picture: the full-size link around inlined documentation pictures."""

from __future__ import annotations

import html
import re

import pytest

from graphstep.docs.figure import svg_inline
from graphstep.docs.picture import OPEN_SCRIPT, full_size


def test_the_link_holds_the_picture_and_a_visible_cue():
    picture = svg_inline('<svg width="900pt" height="300pt" viewBox="0 0 900 300"><g id="n1"/></svg>',
                         "p-", "a wide graph")
    link = full_size(picture, "a wide graph")
    assert link.startswith('<a class="graphstep-full" href="#" title="open full size: a wide graph"')
    assert picture in link
    assert re.search(r'<span class="graphstep-cue"[^>]*>\u2922 open full size</span></a>$', link)
    # scaled to the column, kept whole, never wider than it is: no min-width that forces scrolling
    assert 'style="max-width:100%;height:auto"' in picture and "min-width" not in link


def test_the_script_survives_the_attribute_and_drops_the_scaling_style():
    link = full_size("<img src='a.png' alt='a'>", 'x < "y"')
    onclick = re.search(r'onclick="([^"]*)"', link).group(1)
    assert html.unescape(onclick) == OPEN_SCRIPT
    assert "removeAttribute('style')" in OPEN_SCRIPT and "window.open('','_blank')" in OPEN_SCRIPT
    assert 'title="open full size: x &lt; &quot;y&quot;"' in link


@pytest.mark.backend
def test_fence_pictures_carry_the_link():
    from graphstep.docs.fence import fence_format

    out = fence_format("output: svg\nat: x=1.5\nx * exp(x^2)", "graphstep", "graphstep", {}, None)
    assert out.count('class="graphstep-full"') == 1 and "min-width" not in out
    png = fence_format("output: png\nat: x=1.5\nsin(x)", "graphstep", "graphstep", {}, None)
    assert 'style="max-width:100%;height:auto"' in png and 'class="graphstep-full"' in png
