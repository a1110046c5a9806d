"""The step player on a big graph, as a student uses it: headless Chromium driven by Playwright.

A 1,016-node scalar MLP (2-16-16-1, one sample, traced with ``gs.var``) and its 982
reverse steps in one self-contained page: the zoom buttons, Ctrl+wheel and the fit
button change the scale, the search box jumps to a node by its name (``u500`` finds
``u₅₀₀``) and puts it in view, highlighted, and stepping still changes the picture's
texts as the Python frames say. Uses the system Chromium and Playwright (the ``test``
extra); skipped, saying why, when either is missing.
"""

from __future__ import annotations

import random
import shutil

import pytest

import graphstep as gs

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.backend]

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
if CHROMIUM is None:
    pytest.skip("no Chromium executable on PATH (apt-get install chromium)", allow_module_level=True)


def scalar_mlp(sizes=(2, 16, 16, 1), samples=1) -> gs.Graph:
    """A micrograd-style MLP traced scalar by scalar: 1,016 nodes for one sample."""
    rng = random.Random(0)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append([([gs.var(f"w{len(layers)}_{j}_{i}", rng.uniform(-1, 1)) for i in range(n_in)],
                        gs.var(f"b{len(layers)}_{j}", 0.1)) for j in range(n_out)])
    loss = 0.0
    for _ in range(samples):
        acts = [rng.uniform(-2, 2) for _ in range(sizes[0])]
        for k, layer in enumerate(layers):
            outs = []
            for weights, bias in layer:
                total = bias
                for w, a in zip(weights, acts):
                    total = total + w * a
                outs.append(gs.relu(total) if k < len(layers) - 1 else total)
            acts = outs
        loss = (acts[0] - 1.0) ** 2 + loss
    return gs.graph(loss / samples)


_BUILT: dict = {}


@pytest.fixture
def players(dot_backend, tmp_path_factory):
    """``{"big": (url, stepper), "small": (url, stepper)}``, built once per backend."""
    if dot_backend not in _BUILT:
        out = tmp_path_factory.mktemp(f"players-{dot_backend}")
        big = gs.steps(scalar_mlp(), "reverse")
        small = gs.steps(gs.parse("x * exp(x^2) + sin(x)/x", x=1.5), "reverse")
        _BUILT[dot_backend] = {name: (s.to_html(out / f"{name}.html").as_uri(), s)
                               for name, s in (("big", big), ("small", small))}
    return _BUILT[dot_backend]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def _level(player) -> int:
    return int(player.locator(".gs-level").inner_text().rstrip("%"))


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def test_the_big_graph_has_over_a_thousand_nodes_and_opens_readable_on_its_first_node(players, page):
    url, stepper = players["big"]
    assert len(stepper.graph) >= 1000 and len(stepper) >= 900
    page.goto(url)
    player = page.locator(".gs-player")
    # the fitted picture would be ~2% of its size: the player opens at 100% on the output's node
    assert _level(player) == 100
    main = player.locator(".gs-n.gs-main")
    assert main.count() == 1
    assert main.get_attribute("id") == f"gsplayern{stepper.graph.output}"
    assert _inside(main.bounding_box(), player.locator(".gs-picture").bounding_box())


def test_zoom_buttons_and_ctrl_wheel_change_the_scale_and_fit_restores_it(players, page):
    page.goto(players["big"][0])
    player = page.locator(".gs-player")
    picture, svg = player.locator(".gs-picture"), player.locator(".gs-picture > svg")
    natural = svg.evaluate("(s) => s.viewBox.baseVal.width * 4 / 3")
    player.locator(".gs-zoom-fit").click()
    fit_level, fit_width = _level(player), svg.bounding_box()["width"]
    assert fit_level < 10 and fit_width <= picture.bounding_box()["width"] + 0.5
    widths = []
    for _ in range(3):
        player.locator(".gs-zoom-in").click()
        widths.append(svg.bounding_box()["width"])
    assert _level(player) == pytest.approx(fit_level * 1.5 ** 3, abs=2)
    assert widths[2] / widths[1] == pytest.approx(1.5, rel=0.01)
    # the level shown is rounded to a whole percent
    assert widths[2] == pytest.approx(natural * _level(player) / 100, abs=natural * 0.006)
    player.locator(".gs-zoom-out").click()
    assert svg.bounding_box()["width"] == pytest.approx(widths[1], rel=0.01)
    box = picture.bounding_box()
    before = _level(player)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)  # Ctrl+wheel (a trackpad's pinch) zooms in by 1.25
    page.keyboard.up("Control")
    page.wait_for_function(f"() => parseInt(document.querySelector('.gs-level').textContent) > {before}")
    assert _level(player) == pytest.approx(before * 1.25, abs=1.5)
    player.locator(".gs-zoom-fit").click()
    assert _level(player) == fit_level
    assert svg.bounding_box()["width"] == pytest.approx(fit_width, abs=1)
    assert not picture.evaluate("(p) => p.scrollWidth > p.clientWidth + 1")


def test_searching_a_name_jumps_to_that_node_and_highlights_it(players, page):
    url, stepper = players["big"]
    page.goto(url)
    player = page.locator(".gs-player")
    player.locator(".gs-zoom-fit").click()
    labels = {stepper.graph.label(n): n for n in range(len(stepper.graph))}
    target = labels["u500"]
    search = player.locator(".gs-search")
    search.fill("u500")  # typed in ASCII, the node's label is u₅₀₀
    search.press("Enter")
    found = player.locator(".gs-found")
    assert found.count() == 1 and found.get_attribute("id") == f"gsplayern{target}"
    assert _level(player) >= 75  # zoomed in to read it
    assert _inside(found.bounding_box(), player.locator(".gs-picture").bounding_box())
    assert player.locator(".gs-found-count").inner_text() == "u₅₀₀"
    # a weight name, with its Unicode subscripts typed as they look
    search.fill("w₁,₃,₂")
    search.press("Enter")
    assert found.get_attribute("id") == f"gsplayern{labels['w1_3_2']}"
    assert _inside(found.bounding_box(), player.locator(".gs-picture").bounding_box())
    # a prefix cycles through its matches; a name that is not there says so
    search.fill("b1")
    search.press("Enter")
    count = player.locator(".gs-found-count").inner_text()
    assert count.endswith("(1 of 16)")
    search.press("Enter")
    assert player.locator(".gs-found-count").inner_text().endswith("(2 of 16)")
    search.fill("nothing")
    search.press("Enter")
    assert player.locator(".gs-found-count").inner_text() == "no node named nothing"
    assert player.locator(".gs-found").count() == 0


def test_stepping_the_big_player_shows_each_steps_texts_and_keeps_its_node_in_view(players, page):
    url, stepper = players["big"]
    page.goto(url)
    player = page.locator(".gs-player")
    shared = gs.export.svg.layout(stepper)
    picture = player.locator(".gs-picture")

    def slots_at(k: int) -> dict[str, str]:
        return {f"gsplayers{j}": text for j, (text, _) in enumerate(shared.slot_states(k)) if text}

    last = len(stepper) - 1
    for key, k in (("ArrowRight", 1), ("ArrowRight", 2), ("End", last), ("ArrowLeft", last - 1)):
        player.press(key)
        assert player.locator(".gs-counter").inner_text() == f"step {k + 1} of {len(stepper)}"
        assert player.locator(".gs-title").inner_text() == gs.text.pretty(stepper.steps[k].title)
        shown = page.evaluate("""() => { const out = {};
            document.querySelectorAll('.gs-picture text.gs-slot').forEach(t => {
              if (t.textContent) { out[t.id] = t.textContent; } });
            return out; }""")
        assert shown == slots_at(k)
        main = player.locator(".gs-n.gs-main")
        if main.count():
            assert _inside(main.bounding_box(), picture.bounding_box())


def test_the_small_player_fits_and_finds_a_node_by_ascii_name(players, page):
    url, stepper = players["small"]
    page.goto(url)
    player = page.locator(".gs-player")
    assert 25 <= _level(player) <= 100  # the fitted picture is readable: no automatic zoom
    search = player.locator(".gs-search")
    search.fill("U3")
    search.press("Enter")
    labels = {stepper.graph.label(n): n for n in range(len(stepper.graph))}
    assert player.locator(".gs-found").get_attribute("id") == f"gsplayern{labels['u3']}"
    player.press("Escape")
    player.locator(".gs-next").click()  # stepping keeps the search mark on its node
    assert player.locator(".gs-found").count() == 1
    search.press("Escape")
    assert player.locator(".gs-found").count() == 0
