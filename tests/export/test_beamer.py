"""Beamer slides and per-step TikZ files (graphstep.export.beamer): one overlay per step on one
picture that never moves, compiled with pdflatex and looked at page by page."""

from __future__ import annotations

import numpy as np
import pytest
from tex_support import compile_pdf, has_color, ink, needs_tex, words

import graphstep as gs
from graphstep.cli import main
from graphstep.export.beamer import beamer_document, tikz_frames, to_tikz_frames
from graphstep.export.tikz import PREAMBLE

MAIN_FILL = (0xFF, 0xC9, 0xC9)


def mlp():
    rng = np.random.default_rng(5)
    return gs.parse("sum((sigmoid(X @ W) - Y)^2) / 2", X=rng.normal(size=(4, 3)),
                    W=rng.normal(size=(3, 2)), Y=rng.normal(size=(4, 2)))


@pytest.mark.backend
def test_one_frame_with_one_overlay_per_step(xexp):
    s = gs.steps(xexp, "reverse")
    doc = beamer_document(s)
    assert doc.count(r"\begin{frame}") == 1 and doc.count(r"\begin{tikzpicture}") == 1
    for k in range(1, len(s) + 1):
        assert rf"\only<{k}>{{\footnotesize \textbf{{Step {k} of {len(s)}}}" in doc
    assert r"\frametitle{Reverse accumulation (backprop)}" in doc
    assert r"onslide=<4>{gs step}" in doc  # x is the node step 4 computes
    assert r"\gsslot{" in doc  # values and adjoints that appear keep their room


@needs_tex
@pytest.mark.backend
def test_a_scalar_step_through_compiles_to_a_page_per_step_and_the_layout_never_moves(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    pages = compile_pdf(beamer_document(s), tmp_path, dpi=50)
    assert len(pages) == len(s)
    assert all(ink(p) > 0.02 for p in pages)
    assert all(not np.array_equal(a, b) for a, b in zip(pages, pages[1:]))  # each slide changes
    assert all(has_color(p, MAIN_FILL) for p in pages[:4])  # the node each step computes
    # the picture never moves: its words are at the same places on every slide
    placed = [{w for w in page if w[0] in ("exp", "9.488", "1.5")} for page in words(tmp_path / "doc.pdf")]
    assert len(placed[0]) >= 5 and all(placed[0] <= p for p in placed)


@needs_tex
@pytest.mark.backend
def test_a_tensor_step_through_compiles(tmp_path):
    s = gs.steps(mlp(), "reverse")
    pages = compile_pdf(beamer_document(s, title="Backprop through a sigmoid layer"), tmp_path, dpi=50)
    assert len(pages) == len(s)
    assert all(ink(p) > 0.02 for p in pages)


@needs_tex
@pytest.mark.backend
def test_the_per_step_tikz_files_compile_in_a_document_of_ones_own(xexp, tmp_path):
    s = gs.steps(xexp, "paths")
    written = s.to_tikz_frames(tmp_path / "frames")
    assert [p.name for p in written] == [f"step_{k:03d}.tikz" for k in range(1, len(s) + 1)]
    body = "\n\\newpage\n".join(rf"\input{{frames/{p.name}}}" for p in written)
    doc = "\n".join([r"\documentclass{article}", PREAMBLE, r"\begin{document}", body, r"\end{document}"])
    pages = compile_pdf(doc, tmp_path)
    assert len(pages) == len(s) and all(ink(p) > 0.005 for p in pages)


@pytest.mark.backend
def test_frames_have_no_overlays_and_the_stepper_writes_slides(xexp, tmp_path):
    s = gs.steps(xexp, "forward")
    frames = tikz_frames(s)
    assert len(frames) == len(s) and not any(r"\only<" in f for f in frames)
    assert all(r"\node[gs caption" in f for f in frames)
    written = s.to_beamer(tmp_path / "slides.tex", title="Values")
    assert r"\frametitle{Values}" in written.read_text()


@pytest.mark.backend
def test_the_cli_writes_slides_and_tikz_frames(tmp_path):
    assert main(["steps", "x * exp(x^2)", "--at", "x=1.5", "--mode", "reverse",
                 "-o", str(tmp_path / "steps.tex")]) == 0
    assert (tmp_path / "steps.tex").read_text().startswith(r"\documentclass[aspectratio=169]{beamer}")
    assert main(["steps", "x * exp(x^2)", "--at", "x=1.5", "--mode", "reverse", "--format", "tikz",
                 "-o", str(tmp_path / "frames")]) == 0
    assert len(list((tmp_path / "frames").glob("step_*.tikz"))) == 5


def test_slides_need_a_stepper_with_steps(xexp):
    with pytest.raises(gs.GraphstepError, match="need a stepper"):
        beamer_document(xexp)
    with pytest.raises(gs.GraphstepError, match="need a stepper"):
        to_tikz_frames(xexp, "unused")
