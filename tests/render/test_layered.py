"""graphstep.render.layered and the fast path: positions by layer, pinned in a Graphviz picture."""

import html
import re

import pytest

import graphstep as gs
from graphstep import backend
from graphstep.export import svg as export
from graphstep.render import budget
from graphstep.render.direction import ranks
from graphstep.render.dot import pinned_positions, to_dot
from graphstep.render.layered import MARGIN, NODE_GAP, positions
from graphstep.render.style import Style


def mlp(width: int = 3) -> gs.Graph:
    """A 2-width-1 scalar ReLU network on one sample."""
    xs = [gs.var(f"x{i}", 0.5 + i) for i in range(2)]
    hidden = []
    for j in range(width):
        total = gs.var(f"b{j}", 0.1 * j)
        for i, x in enumerate(xs):
            total = total + gs.var(f"w{j}{i}", 0.3 * (i - j)) * x
        hidden.append(gs.relu(total))
    out = hidden[0]
    for h in hidden[1:]:
        out = out + h
    return gs.graph(out)


@pytest.fixture
def fast(monkeypatch):
    """Every picture takes the fast path."""
    monkeypatch.setattr(budget, "DOT_WORK", 0)


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_layers_follow_the_flow_and_never_overlap(direction):
    g = mlp()
    sizes = [(30.0 + 5 * (n % 3), 20.0) for n in range(len(g))]
    at = positions(g, sizes, [10.0] * len(g), direction)
    rank = ranks(g)
    along = {"LR": 0, "RL": 0, "TB": 1, "BT": 1}[direction]
    sign = {"LR": 1, "RL": -1, "TB": -1, "BT": 1}[direction]
    for t, h, _ in g.edges():  # every edge goes the way of the flow
        assert sign * (at[h][along] - at[t][along]) > 0
    for a in range(len(g)):
        width, height = sizes[a]
        assert at[a][0] - width / 2 >= MARGIN - 1e-9 or along == 0  # inside the picture
        assert min(at[a]) > 0
        for b in range(a + 1, len(g)):
            if rank[a] == rank[b]:  # neighbours in a layer keep the gap
                side = 1 - along
                extent = (sizes[a][side] + sizes[b][side]) / 2
                assert abs(at[a][side] - at[b][side]) >= extent + NODE_GAP - 1e-9


def test_a_node_sits_at_its_arguments_when_nothing_is_in_the_way():
    g = gs.parse("sin(cos(x))", x=0.3)  # a chain: every node on one line
    at = positions(g, [(40.0, 20.0)] * 3, [0.0] * 3, "LR")
    assert at[0][1] == at[1][1] == at[2][1]
    assert at[0][0] < at[1][0] < at[2][0]


def test_the_gap_before_a_layer_is_as_wide_as_its_edge_labels():
    g = gs.parse("sin(cos(x))", x=0.3)
    narrow = positions(g, [(40.0, 20.0)] * 3, [0.0] * 3, "LR")
    wide = positions(g, [(40.0, 20.0)] * 3, [0.0, 100.0, 0.0], "LR")
    assert wide[1][0] - wide[0][0] == pytest.approx(narrow[1][0] - narrow[0][0] + 100.0)
    assert wide[2][0] - wide[1][0] == pytest.approx(narrow[2][0] - narrow[1][0])


def test_the_fast_path_pins_every_node_and_draws_straight_lines(fast):
    g = mlp()
    dot = to_dot(g)
    assert "layout=nop2" in dot and "splines=line" in dot and "outputorder=edgesfirst" in dot
    pins = pinned_positions(g, Style(), "LR")
    for pin in pins:
        assert f'pos="{pin}"' in dot
        assert re.fullmatch(r"\d+\.\d,\d+\.\d!", pin)
    assert "decorate" not in dot  # a label sits on its own line's middle


def test_without_the_fast_path_dot_lays_out():
    dot = to_dot(mlp())
    assert "layout=" not in dot and "pos=" not in dot


def _centres(svg: str) -> dict[str, tuple[float, float]]:
    """Each node group's outline centre, in Graphviz's coordinates (y up)."""
    out = {}
    for gid, body in re.findall(r'<g id="(n\d+)" class="node">(.*?)</g>', svg, re.S):
        xs, ys = [], []
        for x, y in backend.COORDS.findall(re.search(r'<path[^>]*d="([^"]*)"', body).group(1)):
            xs.append(float(x))
            ys.append(float(y))
        out[gid] = ((min(xs) + max(xs)) / 2, -(min(ys) + max(ys)) / 2)
    return out


@pytest.mark.backend
def test_graphviz_draws_the_fast_path_where_it_is_pinned_with_every_id(fast, tmp_path):
    g = mlp()
    svg = gs.render(g, tmp_path / "g.svg").read_text(encoding="utf-8")
    centres = _centres(svg)
    pins = [tuple(float(v) for v in pin[:-1].split(",")) for pin in pinned_positions(g, Style(), "LR")]
    assert sorted(centres) == sorted(f"n{n}" for n in range(len(g)))
    # SVG coordinates are Graphviz's, translated by the pad: the same offset for every node
    dx = {round(centres[f"n{n}"][0] - pins[n][0], 1) for n in range(len(g))}
    dy = {round(centres[f"n{n}"][1] - pins[n][1], 1) for n in range(len(g))}
    assert len(dx) == 1 and len(dy) == 1
    for t, h, q in g.edges():
        assert f'id="e{t}_{h}_{q}" class="edge"' in svg
    labels = re.findall(r'<font point-size="12">([^<]*)</font>', to_dot(g))
    assert len(labels) == 2 * sum(1 for t, _, _ in g.edges() if g.active[t])
    drawn = html.unescape(svg)  # Graphviz writes - as &#45;
    for text in labels:  # every edge label (formula, value) is drawn
        assert f">{html.unescape(text)}</text>" in drawn
    png = gs.render(g, tmp_path / "g.png").read_bytes()
    assert png[:4] == b"\x89PNG"


@pytest.mark.backend
def test_a_stepper_on_the_fast_path_has_every_frame_and_slot(fast):
    g = mlp(2)
    s = gs.steps(g, "reverse")
    frames = export.frames(s)
    assert len(frames) == len(s)
    last = frames[-1]
    for n in range(len(g)):
        assert f'id="n{n}"' in last
    for t, h, q in g.edges():
        assert f'id="e{t}_{h}_{q}"' in last
    assert all(frame.count('class="node') >= len(g) for frame in frames)
    # the output's adjoint is 1 from the first reverse step on; frames differ only in texts
    assert frames[0] != frames[-1]
    assert _centres(frames[0]) == _centres(frames[-1])
