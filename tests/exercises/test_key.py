"""graphstep.exercises.key: the answer key with the stepper's worked sentences."""

import pytest

import graphstep as gs
from graphstep.exercises.key import KEY_SUFFIXES, key_html, key_text, write_key


@pytest.fixture
def ws():
    return gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide=3)


def test_the_text_key_lists_every_answer_with_its_step(ws):
    lines = key_text(ws).splitlines()
    assert lines[0] == "Answer key: f = x·exp(x²)" and lines[1] == "Given: x = 1.5"
    for q in ws.questions:
        assert f"{q.number:>3}. {q.name} = {q.answer_text}" in lines
        assert f"     {q.worked}" in lines
    assert "     x̄ = ū₁ · 2·x + ū₃ · u₂ = 14.23 · 3 + 1 · 9.488 = 52.18" in "\n".join(lines)


@pytest.mark.backend
def test_the_html_key_has_the_picture_with_answers_and_a_table(ws, dot_backend):
    page = key_html(ws)
    assert page.count('<td class="answer">') == len(ws.questions)
    assert '<td class="answer">52.1825</td>' in page
    assert ">12: 52.18</text>" in page or ": 52.18</text>" in page  # the answer in x̄'s box


@pytest.mark.backend
@pytest.mark.parametrize("suffix", KEY_SUFFIXES)
def test_every_suffix_is_written(ws, tmp_path, suffix, dot_backend):
    written = write_key(ws, tmp_path / f"key{suffix}")
    assert written[0] == tmp_path / f"key{suffix}" and all(p.stat().st_size > 0 for p in written)
    magic = {".pdf": b"%PDF-", ".png": b"\x89PNG", ".svg": b"<?xml", ".html": b"<!DOCTYPE", ".txt": b"Answer"}
    assert written[0].read_bytes().startswith(magic[suffix])


def test_another_suffix_is_refused(ws, tmp_path):
    with pytest.raises(gs.InputError, match="an answer key is written as .html, .txt"):
        write_key(ws, tmp_path / "key.docx")
    assert not (tmp_path / "key.docx").exists()
