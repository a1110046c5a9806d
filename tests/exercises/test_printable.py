"""graphstep.exercises.printable: A4 pages as SVG, PNG and PDF."""

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

import graphstep as gs
from graphstep.exercises.printable import (
    DPI,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    page_paths,
    pages,
    write_pages,
    write_pdf,
)

pytestmark = pytest.mark.backend


@pytest.fixture
def ws(dot_backend):
    return gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide=3)


def test_pages_are_a4_svg_with_a_box_per_question(ws):
    svgs = pages(ws)
    root = ET.fromstring(svgs[0])
    assert root.get("viewBox") == f"0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}"
    assert sum(svg.count('class="gs-write"') for svg in svgs) == len(ws.questions)
    assert all(f"page {k + 1} of {len(svgs)}" in svg for k, svg in enumerate(svgs))
    assert "52.18" not in "".join(svgs)  # x̄ is hidden
    assert "Name: ____" in svgs[0]


def test_many_questions_go_on_more_pages(dot_backend):
    g = gs.parse(" + ".join(f"sin(x{k})" for k in range(5)), **{f"x{k}": 0.1 * k for k in range(5)})
    svgs = pages(gs.exercise(g, hide=3))
    assert len(svgs) >= 2
    assert sum(svg.count('class="gs-write"') for svg in svgs) == len(gs.exercise(g, hide=3).questions)


def test_key_pages_hold_answers_and_worked_steps(ws):
    text = "".join(pages(ws, key=True))
    for q in ws.questions:
        assert q.answer_text in text
    assert "x̄ = ū₁ · 2·x + ū₃ · u₂" in text


def test_png_and_pdf(ws, tmp_path):
    svgs = pages(ws)
    written = write_pages(svgs, tmp_path / "sheet.png", "png")
    assert [p.name for p in written] == [p.name for p in page_paths(tmp_path / "sheet.png", len(svgs))]
    with Image.open(written[0]) as image:
        assert image.size == pytest.approx((PAGE_WIDTH * DPI / 72, PAGE_HEIGHT * DPI / 72), abs=1.5)
    pdf = write_pdf(svgs + svgs, tmp_path / "sheet.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert re.findall(rb"/Count \d+", pdf) == [f"/Count {2 * len(svgs)}".encode()]
    box = [float(v) for v in re.search(rb"/MediaBox \[([^\]]*)\]", pdf).group(1).split()]
    assert box[2:] == pytest.approx([PAGE_WIDTH, PAGE_HEIGHT], abs=1)  # A4 in points


def test_page_paths():
    assert [p.name for p in page_paths("a/b.svg", 2)] == ["b.svg", "b-2.svg"]
