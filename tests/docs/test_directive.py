"""The ``.. graphstep::`` directive, exercised by real Sphinx builds in a temporary directory."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="Sphinx is not installed (the docs extra: pip install -e '.[docs]')")

from sphinx.cmd.build import build_main  # noqa: E402

from graphstep.docs import figure as embed  # noqa: E402

CONF = 'extensions = ["graphstep.sphinxext"]\nproject = "t"\nroot_doc = "index"\n'

INDEX = """\
Test page
=========

.. graphstep:: x * exp(x^2)
   :at: x=1.5
   :output: svg
   :caption: The two paths from *x*.
   :name: fig-two-paths

Same expression again, so the ids would clash if they were not prefixed:

.. graphstep::
   :at: x=1.5
   :output: svg
   :steps: 0, last
   :align: left

   x * exp(x^2)

.. graphstep:: sin(x) * y
   :at: x=0.5, y=2
   :mode: reverse
   :output: player
   :alt: reverse accumulation through sin(x) y

.. graphstep:: sum(W @ v)
   :at: W=randn(2,3), v=[1, 2, 3]
   :output: png
   :mode: forward
   :direction: TB

.. graphstep:: sin(x) * y
   :at: x=0.5, y=2
   :mode: reverse
   :output: gif
   :steps: 0, 1, last

.. graphstep:: x +* 2
   :at: x=1

.. graphstep:: x * y
   :at: x=[1, 2

See :numref:`fig-two-paths` and :ref:`fig-two-paths`.
"""
BAD_EXPRESSION_LINE = INDEX.splitlines().index(".. graphstep:: x +* 2") + 1
BAD_VALUE_LINE = INDEX.splitlines().index(".. graphstep:: x * y") + 1


def _project(root: Path, index: str = INDEX, extra_pages: dict[str, str] | None = None) -> Path:
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + "numfig = True\n")
    pages = dict(extra_pages or {})
    if pages:
        index += "\n.. toctree::\n\n" + "".join(f"   {name}\n" for name in pages)
    (src / "index.rst").write_text(index)
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(text)
    return src


def _build(src: Path, out: Path, builder: str = "html", *extra: str) -> tuple[int, str]:
    warnings = out.parent / f"warnings-{builder}.txt"
    status = build_main(["-b", builder, "-q", "-d", str(out / ".doctrees"), "-w", str(warnings),
                         *extra, str(src), str(out)])
    return status, warnings.read_text() if warnings.exists() else ""


_BUILT: dict = {}  # one build per layout backend, shared by the tests that read it


@pytest.fixture
def built(tmp_path_factory, dot_backend):
    if dot_backend not in _BUILT:
        root = tmp_path_factory.mktemp(f"sphinx-{dot_backend}")
        src = _project(root)
        out = root / "html"
        status, warnings = _build(src, out)
        _BUILT[dot_backend] = {"root": root, "src": src, "out": out, "status": status,
                               "warnings": warnings, "html": (out / "index.html").read_text(encoding="utf-8")}
    return _BUILT[dot_backend]


@pytest.mark.backend
def test_build_succeeds_and_bad_input_is_a_warning_with_file_and_line(built):
    assert built["status"] == 0
    warnings = built["warnings"]
    where = r"index\.rst:{}: WARNING: graphstep: "
    assert re.search(where.format(BAD_EXPRESSION_LINE) + r".*x \+\* 2", warnings), warnings
    assert re.search(where.format(BAD_VALUE_LINE) + ".*unclosed bracket", warnings), warnings
    assert warnings.count("WARNING") == 2, warnings
    # the page goes on after the bad directives
    assert "See " in built["html"] and "graphstep-error" in built["html"]


@pytest.mark.backend
def test_svg_is_inlined_with_caption_and_a_working_name(built):
    html = built["html"]
    # one picture + two steps of the second directive, and the player's one stored picture
    assert html.count("<svg") == 4
    assert "The two paths from <em>x</em>." in html
    assert 'id="fig-two-paths"' in html
    assert "Fig. 1" in html  # :numref: resolved
    assert 'class="graphstep graphstep-svg"' in html
    assert "<?xml" not in html
    assert html.count('class="graphstep-picture"') == 4  # 1 + 2 SVG steps, 1 PNG


@pytest.mark.backend
def test_ids_are_unique_on_the_page(built):
    ids = re.findall(r'\sid="([^"]+)"', built["html"])
    duplicated = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicated
    assert sum(1 for i in ids if i.endswith("graph0")) == 4  # the 3 pictures and the player's
    # every url(#...) reference points at an id of the page
    for ref in re.findall(r"url\(#([^)]+)\)", built["html"]):
        assert ref in ids


@pytest.mark.backend
def test_player_png_and_cached_files(built, tmp_path):
    html, out = built["html"], built["out"]
    assert html.count('class="gs-player"') == 1
    assert 'aria-label="reverse accumulation through sin(x) y"' in html
    player_id = re.search(r'<div id="([^"]+)" class="gs-player"', html).group(1)
    assert f"{player_id}-data" in html and "gsk" not in html  # the placeholder prefix is replaced
    images, cache = out / "_images" / "graphstep", out / ".doctrees" / "graphstep"
    assert sorted(p.suffix for p in images.iterdir()) == [".gif", ".png"]  # only what pages link
    players = list(cache.glob("*.html"))
    pngs = list(images.glob("*.png"))
    assert len(players) == 1 and len(pngs) == 1
    assert pngs[0].read_bytes().startswith(b"\x89PNG")
    from PIL import Image

    left_right = embed.Figure.from_options("sum(W @ v)", {
        "at": "W=randn(2,3), v=[1, 2, 3]", "output": "png", "mode": "forward"}).produce(tmp_path)
    with Image.open(pngs[0]) as top_bottom, Image.open(left_right[0]) as default:
        # :direction: TB stacks the graph vertically: taller for its width than the default LR
        assert top_bottom.height / top_bottom.width > 1.2 * default.height / default.width
    assert f'src="_images/graphstep/{pngs[0].name}"' in html
    gifs = list(images.glob("*.gif"))
    assert len(gifs) == 1 and gifs[0].read_bytes().startswith(b"GIF89a")
    assert f'<img class="graphstep-gif" src="_images/graphstep/{gifs[0].name}"' in html
    with Image.open(gifs[0]) as animation:
        assert animation.n_frames == 3  # the three chosen steps
    svgs = list(cache.glob("*.svg"))
    assert len(svgs) == 2  # steps 0 and last; the two directives share the last step's file


@pytest.mark.backend
def test_second_build_reuses_the_cache(built, monkeypatch):
    images = [built["out"] / "_images" / "graphstep", built["out"] / ".doctrees" / "graphstep"]
    before = {p.name: p.stat().st_mtime_ns for d in images for p in d.iterdir()}
    assert len(before) == 5  # 2 SVG steps, the player, the PNG, the GIF

    def refuse(*args, **kwargs):
        raise AssertionError("the cache was not reused")

    monkeypatch.setattr(embed.Figure, "produce", refuse)
    status, warnings = _build(built["src"], built["out"], "html", "-E")  # fresh environment
    assert status == 0 and warnings.count("WARNING") == 2
    after = {p.name: p.stat().st_mtime_ns for d in images for p in d.iterdir()}
    assert after == before
    html = (built["out"] / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") == built["html"].count("<svg")


@pytest.mark.backend
def test_other_builders_get_a_static_picture(tmp_path):
    index = textwrap.dedent("""\
        Title
        =====

        .. graphstep:: x * exp(x^2)
           :at: x=1.5
           :output: player
           :caption: Paths.
        """)
    src = _project(tmp_path, index)
    out = tmp_path / "latex"
    status, warnings = _build(src, out, "latex")
    assert status == 0 and "WARNING" not in warnings, warnings
    tex = (out / "t.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert included and included[0][1] == ".png", tex[-2000:]
    assert (out / (included[0][0] + included[0][1])).read_bytes().startswith(b"\x89PNG")
    assert "Paths." in tex


@pytest.mark.backend
@pytest.mark.slow
def test_parallel_build(tmp_path):
    page = "Page {k}\n======\n\n.. graphstep:: x * exp(x^{k})\n   :at: x=0.5\n   :output: svg\n"
    pages = {f"p{k}": page.format(k=k) for k in range(2, 6)}
    src = _project(tmp_path, "Index\n=====\n", pages)
    out = tmp_path / "html"
    status, warnings = _build(src, out, "html", "-j", "2")
    assert status == 0 and "WARNING" not in warnings, warnings
    for name in pages:
        assert "<svg" in (out / f"{name}.html").read_text(encoding="utf-8")
    assert len(list((out / ".doctrees" / "graphstep").glob("*.svg"))) == 4


