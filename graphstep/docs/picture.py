"""A documentation picture that fits its column and opens full size on a click.

Pictures are inlined into a page scaled to the width of its text column (see
:func:`graphstep.docs.figure.svg_inline`); a wide graph then shrinks, so each picture is
wrapped in a link that opens it at its natural size in a new tab, with a visible
"open full size" cue under it. The link works the same in Sphinx and MkDocs pages: a
short script copies the inlined ``<svg>`` or ``<img>`` into the new tab, so no extra
file needs publishing.

>>> html = full_size('<svg width="10pt"></svg>', "the graph")
>>> html.startswith('<a class="graphstep-full" href="#"'), "open full size" in html
(True, True)
"""

from __future__ import annotations

import html as _html

__all__ = ["full_size", "OPEN_SCRIPT"]

#: The ``onclick`` script of the link: the picture, without its scaling style, in a new tab.
OPEN_SCRIPT = (
    "var f=this.querySelector('svg,img'),w=f&&window.open('','_blank');if(!w)return true;"
    "var c=f.cloneNode(true);c.removeAttribute('style');if(f.src)c.setAttribute('src',f.src);"
    "w.document.write('<!DOCTYPE html><meta charset=utf-8><body style=margin:8px>'+c.outerHTML);"
    "w.document.close();w.document.title=f.getAttribute('aria-label')||f.alt||'graphstep';return false"
)

_CUE = ('<span class="graphstep-cue" style="display:block;text-align:right;font-size:.8em;'
        'color:#868e96">\u2922 open full size</span>')


def full_size(picture: str, alt: str) -> str:
    """Wrap an inlined picture in a link that opens it full size in a new tab.

    Parameters
    ----------
    picture : str
        The ``<svg>`` or ``<img>`` markup, as placed in the page.
    alt : str
        What the picture shows (the link's title says it opens that).

    Returns
    -------
    str
        ``<a class="graphstep-full" ...>picture and cue</a>``.

    Examples
    --------
    >>> link = full_size('<img src="a.png" alt="a">', 'x < y')
    >>> 'title="open full size: x &lt; y"' in link, link.endswith("open full size</span></a>")
    (True, True)
    """
    title = _html.escape(f"open full size: {alt}")
    return (f'<a class="graphstep-full" href="#" title="{title}" style="cursor:zoom-in;'
            f'text-decoration:none" onclick="{_html.escape(OPEN_SCRIPT)}">{picture}{_CUE}</a>')
