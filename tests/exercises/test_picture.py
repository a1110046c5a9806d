"""graphstep.exercises.picture: the graph with numbered boxes in its hidden slots."""

import re
import xml.etree.ElementTree as ET

import pytest

import graphstep as gs
from graphstep.exercises.model import questions
from graphstep.exercises.picture import blank_label, fixed_size, sheet_picture
from graphstep.text import number

pytestmark = pytest.mark.backend

NS = {"svg": "http://www.w3.org/2000/svg"}


def _boxes(svg):
    root = ET.fromstring(svg)
    return [(rect.get("data-q"), rect) for rect in root.iterfind(".//svg:rect", NS)
            if rect.get("class") == "gs-blank"]


def test_each_hidden_slot_is_a_numbered_box_and_no_answer_is_drawn(dot_backend):
    g = gs.parse("x * exp(x^2)", x=1.5)
    asked = questions(g, "adjoints")
    svg = sheet_picture(g, asked, {"values", "locals", "adjoints"})
    assert sorted(q for q, _ in _boxes(svg)) == ["1", "2", "3"]
    labels = re.findall(r'class="gs-blank-label" data-q="\d+"[^>]*>([^<]*)<', svg)
    assert sorted(labels) == ["1", "2", "3"]
    for q in asked[1:]:  # not in full, nor in a tooltip (to 4 digits, ū₁ = u₃ = 14.23; ū₂ = x = 1.5)
        assert q.answer_text not in svg
    assert "52.18" not in svg
    assert "<title>" not in svg
    assert "14.23" in svg  # u₃'s value is shown (and equals ū₁ only by coincidence: not a leak)
    assert "∂u₃/∂x =" in svg  # the name stays before the box


def test_the_key_writes_the_answers_in_the_boxes(dot_backend):
    g = gs.parse("sin(x) * x", x=0.5)
    asked = questions(g, "values")
    svg = sheet_picture(g, asked, {"values"}, key=True)
    for q in asked:
        assert f">{q.number}: {number(q.answer, 4)}</text>" in svg


def test_values_only_hide_the_edge_labels(dot_backend):
    g = gs.parse("x * exp(x^2)", x=1.5)
    svg = sheet_picture(g, questions(g, "values"), {"values"})
    assert 'class="gs-slot gs-local"' not in svg and 'class="gs-slot gs-adjoint"' not in svg
    with_locals = sheet_picture(g, questions(g, "locals"), {"values", "locals"})
    assert with_locals.count('class="gs-blank"') == 4 and "exp(u₁)" in with_locals


def test_a_shown_adjoint_does_not_sum_hidden_ones(dot_backend):
    g = gs.parse("x * exp(x^2)", x=1.5)
    svg = sheet_picture(g, questions(g, [("adjoint", "u1")]), {"values", "locals", "adjoints"})
    assert "∂u₃/∂x = 52.18<" in svg  # x̄ alone, not ū₁ · 3 + ū₃ · u₂ with ū₁ hidden
    assert "42.69" not in svg


def test_tensor_entries_share_one_box(dot_backend):
    g = gs.parse("sum(x*x)", x=[1.0, 2.0, 3.0])
    svg = sheet_picture(g, questions(g, "adjoints"), {"values", "locals", "adjoints"})
    assert [q for q, _ in _boxes(svg)] == ["1 2 3", "4 5 6"] or \
        sorted(q for q, _ in _boxes(svg)) == ["1 2 3", "4 5 6"]
    assert ">1–3</text>" in svg


def test_fixed_size_and_labels():
    svg, width, height = fixed_size('<svg xmlns="http://www.w3.org/2000/svg" style="width:100%" '
                                    'viewBox="0 0 30.5 12"><g/></svg>')
    assert (width, height) == (30.5, 12.0)
    assert svg.startswith('<svg width="30.50pt" height="12.00pt" xmlns=')
    assert blank_label([7]) == "7" and blank_label([1, 2, 3]) == "1–3"
