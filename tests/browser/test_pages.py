"""The documentation as a reader sees it: headless Chromium driven by Playwright.

Builds the Sphinx docs and an MkDocs-style page (Python-Markdown with the graphstep
superfence) once per session, loads them at 1280 and 1920 px and checks that every
graphstep picture and player lies inside its text column and that the output node is
on screen (not cut off by the viewport or a scrolling parent); then drives a player
(next, prev, the slider, the arrow keys, zoom). Uses the system Chromium (Debian's
``chromium`` package, which ``.ci/run`` installs) and Playwright from PyPI (the ``test``
extra); skipped, saying why, when either is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
WIDTHS = (1280, 1920)
#: Sphinx pages with graphstep pictures or players.
DOC_PAGES = ("index", "quickstart", "concepts", "embedding",
             "seeds/s000", "seeds/s001", "seeds/s002", "seeds/s003", "seeds/s004")

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
pytest.importorskip("sphinx", reason="Sphinx is not installed (pip install -e '.[docs]')")
pytest.importorskip("pymdownx", reason="pymdown-extensions is not installed (pip install -e '.[docs]')")
if CHROMIUM is None:
    pytest.skip("no Chromium executable on PATH (apt-get install chromium)", allow_module_level=True)

#: An MkDocs-like page: the fence output in an 800 px content column, as Material's is.
MKDOCS_SOURCE = textwrap.dedent("""\
    # Fences

    ```graphstep
    at: x=1.5
    mode: reverse
    output: svg
    x * exp(x^2)
    ```

    ```graphstep
    at: x=1.5
    mode: paths
    output: player
    x * exp(x^2)
    ```

    ```graphstep
    at: X=randn(4,3), W=randn(2,3), b=randn(2)
    mode: reverse
    output: svg
    sum(tanh(X @ W.T + b)^2)
    ```
    """)
MKDOCS_SCRIPT = textwrap.dedent("""\
    import sys, markdown
    from graphstep.mkdocs import fence_format, fence_validator
    config = {"pymdownx.superfences": {"custom_fences": [
        {"name": "graphstep", "class": "graphstep", "validator": fence_validator, "format": fence_format}]}}
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=config)
    body = md.convert(sys.stdin.read())
    sys.stdout.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>fence</title></head>'
                     '<body style="margin:0;font-family:sans-serif"><div style="display:flex">'
                     '<nav style="width:240px;flex:none">navigation</nav>'
                     '<main class="md-content" style="width:800px;flex:none;padding:0 16px;'
                     'box-sizing:border-box">' + body + '</main></div></body></html>')
    """)

#: For every graphstep picture of the page: its box, its column's box, and its output node's box
#: with the boxes of the scrolling parents that could hide it.
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const out = [];
  const pictures = ".graphstep svg[role=img], .graphstep img, .gs-player > .gs-picture > svg";
  for (const pic of document.querySelectorAll(pictures)) {
    if (pic.closest(".graphstep-cue")) { continue; }
    const column = pic.closest("article, main");
    const node = pic.querySelector("g.gs-output") || [...pic.querySelectorAll("g.node")].pop() || null;
    const clips = [];
    for (let el = (node || pic).parentElement; el && el !== document.body; el = el.parentElement) {
      const o = getComputedStyle(el);
      if (!(el instanceof SVGElement) && (o.overflowX !== "visible" || o.overflowY !== "visible")) {
        clips.push(box(el));
      }
    }
    const player = pic.closest(".gs-player");
    out.push({tag: pic.tagName, picture: box(pic), column: box(column), player: player ? box(player) : null,
              node: node ? box(node) : null, clips, natural: pic.viewBox && pic.viewBox.baseVal
              ? pic.viewBox.baseVal.width * 4 / 3 : pic.naturalWidth});
  }
  return {figures: out, viewport: window.innerWidth,
          scroll: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built pages: ``{name: file URL}`` (Sphinx pages and ``mkdocs``)."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(ROOT / "docs"), str(out / "html"),
         "-d", str(out / "doctrees")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-3000:]
    fence = subprocess.run([sys.executable, "-c", MKDOCS_SCRIPT], input=MKDOCS_SOURCE, capture_output=True,
                           text=True, env=env, cwd=ROOT)
    assert fence.returncode == 0, fence.stderr[-3000:]
    (out / "mkdocs.html").write_text(fence.stdout, encoding="utf-8")
    pages = {name: (out / "html" / f"{name}.html").as_uri() for name in DOC_PAGES}
    pages["mkdocs"] = (out / "mkdocs.html").as_uri()
    return pages


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def _open(page, url: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [*DOC_PAGES, "mkdocs"])
def test_every_picture_fits_its_column_and_shows_its_output_node(site, page, name, width):
    measured = _open(page, site[name], width)
    figures = measured["figures"]
    assert figures, f"{name}: no graphstep picture found"
    assert measured["scroll"] <= measured["viewport"], f"{name}: the page scrolls sideways"
    for k, fig in enumerate(figures):
        where = f"{name} at {width} px, picture {k} ({fig['tag']})"
        pic, column = fig["picture"], fig["column"]
        assert pic["width"] > 50, where
        assert column["left"] - 0.5 <= pic["left"] and pic["right"] <= column["right"] + 0.5, (where, fig)
        if fig["player"]:
            player = fig["player"]
            assert column["left"] - 0.5 <= player["left"] and player["right"] <= column["right"] + 0.5, where
        # scaled to the column, never past the natural size
        assert pic["width"] <= fig["natural"] + 1, (where, fig)
        node = fig["node"]
        if node is None:  # a PNG or GIF: no node to find
            continue
        assert 0 <= node["left"] and node["right"] <= measured["viewport"], (where, fig)
        assert pic["left"] - 0.5 <= node["left"] and node["right"] <= pic["right"] + 0.5, (where, fig)
        for clip in fig["clips"]:
            assert clip["left"] - 0.5 <= node["left"] and node["right"] <= clip["right"] + 0.5, (where, fig)


def _state(player) -> tuple[str, str, str]:
    return (player.locator(".gs-counter").inner_text(), player.locator(".gs-title").inner_text(),
            player.locator("input[type=range]").input_value())


@pytest.mark.parametrize("name", ["concepts", "mkdocs"])
def test_a_player_steps_with_buttons_slider_and_keys(site, page, name):
    _open(page, site[name], 1280)
    player = page.locator(".gs-player").first
    player.scroll_into_view_if_needed()
    counter, title, slider = _state(player)
    count = int(counter.split(" of ")[1])
    assert counter == f"step 1 of {count}" and slider == "0" and count >= 3
    player.locator(".gs-next").click()
    assert _state(player)[0] == f"step 2 of {count}" and _state(player)[1] != title
    assert _state(player)[2] == "1"
    player.locator(".gs-prev").click()
    assert _state(player) == (counter, title, "0")
    player.locator("input[type=range]").evaluate(
        "(s) => { s.value = s.max; s.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert _state(player)[0] == f"step {count} of {count}"
    player.locator(".gs-first").click()
    player.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _state(player)[0] == f"step 3 of {count}"
    page.keyboard.press("ArrowLeft")
    assert _state(player)[:2][0] == f"step 2 of {count}"
    page.keyboard.press("End")
    assert _state(player)[2] == str(count - 1)
    page.keyboard.press("Home")
    assert _state(player) == (counter, title, "0")


def test_the_player_zooms_pans_and_fits_again(site, page):
    _open(page, site["seeds/s000"], 1280)
    player = page.locator(".gs-player").first
    player.scroll_into_view_if_needed()
    picture, svg = player.locator(".gs-picture"), player.locator(".gs-picture > svg")
    natural = svg.evaluate("(s) => s.viewBox.baseVal.width * 4 / 3")
    fit = svg.bounding_box()["width"]
    frame = picture.bounding_box()
    assert fit <= frame["width"] + 0.5
    level = int(player.locator(".gs-level").inner_text().rstrip("%"))
    assert 0 < level <= 100
    player.locator(".gs-zoom-in").click()
    zoomed = int(player.locator(".gs-level").inner_text().rstrip("%"))
    assert zoomed == pytest.approx(1.5 * level, abs=1.5)
    assert svg.bounding_box()["width"] == pytest.approx(natural * zoomed / 100, rel=0.02)
    # wider than its frame now: the frame scrolls, and a drag pans it
    assert picture.evaluate("(p) => p.scrollWidth > p.clientWidth")
    assert picture.bounding_box()["width"] == pytest.approx(frame["width"], abs=1)
    room = picture.evaluate("(p) => { p.scrollLeft = 0; return p.scrollWidth - p.clientWidth; }")
    drag = min(100, room)
    assert drag >= 20
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + 40)
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] / 2 - drag, frame["y"] + 40, steps=4)
    page.mouse.up()
    assert picture.evaluate("(p) => p.scrollLeft") == pytest.approx(drag, abs=2)
    player.locator(".gs-zoom-fit").click()
    assert svg.bounding_box()["width"] == pytest.approx(fit, abs=1)
    assert not picture.evaluate("(p) => p.scrollWidth > p.clientWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_display_math_fits_the_column(site, page, width):
    """The matrices of the concepts page: every display formula as wide as its box at most."""
    _open(page, site["concepts"], width)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    boxes = page.evaluate("""() => MathJax.startup.promise.then(() =>
        [...document.querySelectorAll("mjx-container[display=true]")]
          .map(m => [m.scrollWidth, m.clientWidth]))""")
    assert len(boxes) >= 6
    assert all(scroll <= client + 1 for scroll, client in boxes), boxes
