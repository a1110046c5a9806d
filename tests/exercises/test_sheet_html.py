"""graphstep.exercises.sheet_html: one self-contained page, with or without answers."""

import base64
import json
import re

import pytest

import graphstep as gs
from graphstep.exercises.sheet_html import PRACTICE_NOTE, inline, page
from graphstep.text import number

pytestmark = pytest.mark.backend


def _data(text):
    return json.loads(re.search(r'<script type="application/json" id="gs-data">(.*?)</script>', text,
                                re.S).group(1))


@pytest.fixture
def ws(dot_backend):
    return gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide=3)


def test_the_page_holds_the_answers_and_one_frame_per_step(ws):
    text = page(ws)
    data = _data(text)
    assert data["answers"] is True
    assert [q["answer"] for q in data["questions"]] == [q.answer for q in ws.questions]
    assert {q["tolerance"] for q in data["questions"]} == {1e-3}
    used = {q["frame"] for q in data["questions"]}
    assert used == set(data["frames"])  # every frame stored once, every stored frame used
    assert len(used) == len({(q.mode, q.step) for q in ws.questions})
    frame = base64.b64decode(data["frames"]["reverse:3"].split(",", 1)[1]).decode()
    assert frame.startswith("<svg") and "x̄ = ū₁ · 2·x + ū₃ · u₂" in frame
    assert PRACTICE_NOTE in text
    assert text.count('class="gs-show"') == len(ws.questions)


def test_without_answers_no_true_value_is_in_the_page(ws):
    text = page(ws, answers=False)
    data = _data(text)
    assert data == {"answers": False, "frames": {}, "questions": [{"n": q.number} for q in ws.questions]}
    g = ws.graph
    shown = {number(g.value_of(n)) for n in range(len(g))} | {number(g.local(h, p)) for _, h, p in g.edges()}
    for q in ws.questions:
        if number(q.answer) not in shown:  # some answers equal a shown number (ū₂ = x = 1.5)
            assert f">{number(q.answer)}<" not in text and q.answer_text not in text
    assert "52.18" not in text and "data:image" not in text and 'class="gs-show"' not in text


def test_the_page_is_self_contained(ws):
    text = page(ws)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "<link" not in text and "@import" not in text
    assert "eval(" not in text and "new Function" not in text  # the script reads numbers only
    assert text.count("<script") == 2  # the data and the script, both inline


def test_the_script_escapes_the_data(dot_backend):
    g = gs.parse("x*y", x=1.0, y=2.0)
    ws = gs.exercise(g, hide="values")
    assert "</script>" not in re.search(r'id="gs-data">(.*?)</script>', page(ws), re.S).group(1)


def test_inline_is_an_iframe_of_the_page(ws):
    text = inline(ws, height=500)
    assert text.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and "height:500px" in text
    assert ws._repr_html_().startswith("<iframe srcdoc=")
