"""graphstep.render.layered and the fast path: positions by layer, pinned in a Graphviz picture."""

import html
import re

import pytest

import graphstep as gs
from graphstep import backend
from graphstep.export import svg as export
from graphstep.render import budget
from graphstep.render.annotate import annotations
from graphstep.render.direction import ranks
from graphstep.render.dot import node_rows, to_dot
from graphstep.render.layered import MARGIN, NODE_GAP, positions
from graphstep.render.pinned import ARROW, pin
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


def _pinned(g: gs.Graph, direction: str = "LR"):
    style = Style()
    a = annotations(g, None, style)
    return pin(g, [node_rows(g, n, a.texts, style, a.unknown) for n in range(len(g))], style, direction)


def test_the_fast_path_pins_every_node_and_edge_and_draws_straight_lines(fast):
    g = mlp()
    dot = to_dot(g)
    assert "layout=nop2" in dot and "splines=line" in dot and "outputorder=edgesfirst" in dot
    pinned = _pinned(g)
    for n in range(len(g)):
        attrs = pinned.node_attrs(n)
        assert re.fullmatch(r"\d+\.\d,\d+\.\d!", attrs["pos"])
        assert f'pos="{attrs["pos"]}"' in dot and f'width={attrs["width"]}' in dot
    for t, h, _ in g.edges():  # every edge drawn as computed, a label at its middle
        attrs = pinned.edge_attrs(t, h, (60.0, 30.0) if g.active[t] else None)
        assert f'pos="{attrs["pos"]}"' in dot and ("lp" in attrs) == g.active[t]
    assert dot.count("fixedsize=true") == len(g)
    assert "decorate" not in dot  # a label sits on its own line's middle


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_an_edge_runs_from_outline_to_outline_with_its_arrow_on_the_head(direction):
    g = mlp()
    pinned = _pinned(g, direction)

    def on_outline(point, node):
        (x, y), (w, h) = pinned.centers[node], pinned.sizes[node]
        dx, dy = abs(point[0] - x), abs(point[1] - y)
        return (dx <= w / 2 + 0.06 and dy <= h / 2 + 0.06
                and (abs(dx - w / 2) <= 0.06 or abs(dy - h / 2) <= 0.06))

    for t, h, _ in g.edges():
        attrs = pinned.edge_attrs(t, h, (1.0, 1.0))
        spec = attrs["pos"].split()
        tip = tuple(float(v) for v in spec[0][2:].split(","))
        points = [tuple(float(v) for v in p.split(",")) for p in spec[1:]]
        assert len(points) == 4 and on_outline(points[0], t) and on_outline(tip, h)
        assert abs(((tip[0] - points[-1][0]) ** 2 + (tip[1] - points[-1][1]) ** 2) ** 0.5 - ARROW) < 0.15
        label = tuple(float(v) for v in attrs["lp"].split(","))  # on the line, between its ends
        (ax, ay), (bx, by) = points[0], tip
        cross = (bx - ax) * (label[1] - ay) - (by - ay) * (label[0] - ax)
        assert abs(cross) <= 0.1 * (abs(bx - ax) + abs(by - ay))
        assert min(points[0][0], tip[0]) - 0.1 <= label[0] <= max(points[0][0], tip[0]) + 0.1


def test_boxes_are_as_big_as_graphviz_makes_them():
    # measured with Graphviz 2.43 and DejaVu Sans: 31 x at 14 pt is 276 x 36; three lines, 59 high
    from graphstep.render.pinned import node_size

    line = ("x" * 31, None, None, False)
    assert node_size([line], Style()) == (276.0, 36.0)
    assert node_size([line] * 3, Style()) == (276.0, 59.0)
    assert node_size([line, ("y", None, 11.0, False), line, line], Style()) == (276.0, 73.0)
    assert node_size([("x", None, None, True)], Style()) == (54.0, 36.0)  # never below the default


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
    pinned = _pinned(g)
    pins = [tuple(float(v) for v in pinned.node_attrs(n)["pos"][:-1].split(",")) for n in range(len(g))]
    assert sorted(centres) == sorted(f"n{n}" for n in range(len(g)))
    # SVG coordinates are Graphviz's, translated by the pad: the same offset for every node
    dx = {round(centres[f"n{n}"][0] - pins[n][0], 1) for n in range(len(g))}
    dy = {round(centres[f"n{n}"][1] - pins[n][1], 1) for n in range(len(g))}
    assert len(dx) == 1 and len(dy) == 1
    for t, h, q in g.edges():
        assert f'id="e{t}_{h}_{q}" class="edge"' in svg
    from graphstep.render.dot import edge_lines

    texts = annotations(g).texts
    labels = [line for t, h, q in g.edges() for line in edge_lines(g, t, h, q, texts, Style()) or ()]
    assert len(labels) == 2 * sum(1 for t, _, _ in g.edges() if g.active[t])
    dot = to_dot(g)
    drawn = html.unescape(svg)  # Graphviz writes - as &#45;
    for t, h, q in g.edges():  # on the fast path a label is plain lines, drawn centred
        lines = edge_lines(g, t, h, q, texts, Style())
        if lines:
            assert 'label="' + "\\n".join(lines) + '"' in dot
            assert 'label=<' not in dot.split(f"id=e{t}_{h}_{q}")[0].rsplit("\n", 1)[-1]
    for text in labels:  # every edge label (formula, value) is drawn, centred on its place
        assert f">{text}</text>" in drawn
    assert drawn.count('text-anchor="middle"') >= len(labels)
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


@pytest.mark.parametrize("direction", ["LR", "BT"])
def test_edge_labels_cover_no_box_and_no_other_label(direction):
    from graphstep.render.dot import edge_lines
    from graphstep.render.pinned import edge_label_size

    g = mlp(4)  # eight products share two inputs: their labels crowd one gap
    style = Style()
    texts = annotations(g, None, style).texts
    pinned = _pinned(g, direction)
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
             for (x, y), (w, h) in zip(pinned.centers, pinned.sizes)]
    nodes = len(boxes)
    for t, h, q in g.edges():
        lines = edge_lines(g, t, h, q, texts, style)
        if lines:
            w, hh = edge_label_size(lines, style)
            x, y = (float(v) for v in pinned.edge_attrs(t, h, (w, hh))["lp"].split(","))
            boxes.append((x - w / 2 + 0.1, y - hh / 2 + 0.1, x + w / 2 - 0.1, y + hh / 2 - 0.1))
    assert len(boxes) - nodes == sum(1 for t, _, _ in g.edges() if g.active[t])
    for a in range(nodes, len(boxes)):
        for b in range(a):
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[a], boxes[b]
            assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1), (a, b)


def test_a_crowded_gap_is_made_wider():
    # the gap before the products holds eight labels, the gap before the output one
    g = mlp(4)
    pinned = _pinned(g, "BT")
    rank = ranks(g)
    products = [n for n in range(len(g)) if g.op(n) == "mul"]
    first = min(pinned.centers[n][1] - pinned.sizes[n][1] / 2 for n in products)
    below = max(pinned.centers[n][1] + pinned.sizes[n][1] / 2 for n in range(len(g))
                if rank[n] == rank[products[0]] - 1)
    out = g.output
    (arg,) = [a for a in g.args(out) if rank[a] == rank[out] - 1][:1]
    bottom_of_out = pinned.centers[out][1] - pinned.sizes[out][1] / 2
    top_gap = bottom_of_out - (pinned.centers[arg][1] + pinned.sizes[arg][1] / 2)
    assert first - below > top_gap
