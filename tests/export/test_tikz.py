"""TikZ pictures (graphstep.export.tikz): the Graphviz layout, LaTeX labels, named styles, and
documents that compile (pdflatex, pages looked at as PNG)."""

from __future__ import annotations

import numpy as np
import pytest
from tex_support import compile_pdf, has_color, ink, needs_tex

import graphstep as gs
from graphstep.cli import main
from graphstep.export.layout import Layout
from graphstep.export.tikz import (
    EDGE_STYLES,
    NODE_STYLES,
    PREAMBLE,
    fit,
    place,
    stepper_notes,
    tikz_styles,
    to_tex,
    to_tikz,
)
from graphstep.render.style import Style

INPUT_FILL, OUTPUT_FILL, MAIN_FILL = (0xD0, 0xEB, 0xFF), (0xFF, 0xF3, 0xBF), (0xFF, 0xC9, 0xC9)


def tensor_graph():
    rng = np.random.default_rng(3)
    return gs.parse("sum(tanh(X @ W1) @ W2)", X=rng.normal(size=(4, 3)), W1=rng.normal(size=(3, 5)),
                    W2=rng.normal(size=(5, 1)))


def article(body: str) -> str:
    return "\n".join([r"\documentclass{article}", PREAMBLE, r"\begin{document}", body,
                      r"\end{document}", ""])


@pytest.mark.backend
def test_the_labels_are_latex_from_the_op_table(xexp):
    text = to_tikz(xexp)
    assert r"(n4) at" in text and r"$u_{3} = x \cdot u_{2}$" in text  # a scalar product: \cdot
    assert r"$u_{2} = \exp\left(u_{1}\right)$" in text
    assert r"$\partial u_{3}/\partial x = u_{2}$" in text and "{}= 9.488}" in text
    assert r"\node[gs input] (n0)" in text and r"\node[gs output] (n4)" in text
    assert r"\node[gs constant] (n1)" in text
    assert r"\draw[gs inactive edge] (n1)" in text  # the edge from the constant 2
    assert text.count(r"\draw[gs edge]") == 4


@pytest.mark.backend
def test_tensor_labels_show_kronecker_diag_and_transposes():
    text = to_tikz(tensor_graph())
    assert r"W_{1}^{\top} \otimes I_{4}" in text
    assert r"\mathrm{diag}(1 - u_{2}^{2})" in text
    assert r"u_{1} = X\,W_{1}" in text and r"$20\times 20$ diagonal" in text


@pytest.mark.backend
def test_positions_are_the_svg_layout_of_the_same_steps(xexp):
    s = gs.steps(xexp, "reverse")
    style = Style()
    _, source = stepper_notes(s, style)
    placement = place(source, scale=1.0)
    svg = Layout(xexp, s.steps, style).positions()
    dx = {round(svg[n][0] - placement.nodes[n][0], 1) for n in svg}
    dy = {round(svg[n][1] + placement.nodes[n][1], 1) for n in svg}  # SVG's y points down
    assert len(dx) == 1 and len(dy) == 1, (dx, dy)
    # every edge is a Bézier path from its tail to its head
    for (t, h, _), points in placement.edges.items():
        assert len(points) % 3 == 1
        assert np.hypot(*np.subtract(points[0], placement.nodes[t])) < \
            np.hypot(*np.subtract(points[0], placement.nodes[h]))


def test_every_style_is_named_once_and_can_be_redefined_first():
    text = tikz_styles()
    for name in [*NODE_STYLES.values(), *EDGE_STYLES.values(), "gs node", "gs edge label", "gs caption"]:
        assert text.count(rf"\gsstyle{{{name}}}") == 1, name
    assert r"\pgfkeysifdefined" in text and r"\providecolor{gsAdjoint}{HTML}{C92A2A}" in text
    own = tikz_styles(Style(looks={"input": Style().look("output")}))
    assert r"\providecolor{gsInputFill}{HTML}{FFF3BF}" in own


def test_fit_only_shrinks():
    text = fit("X", r"\linewidth", r"5cm")
    assert r"\ifdim\wd0>\linewidth" in text and r"\resizebox{!}{5cm}" in text


@needs_tex
@pytest.mark.backend
def test_a_scalar_graph_compiles_to_one_cropped_page(xexp, tmp_path):
    (page,) = compile_pdf(to_tex(xexp), tmp_path)
    assert ink(page) > 0.03
    assert has_color(page, INPUT_FILL) and has_color(page, OUTPUT_FILL)
    height, width, _ = page.shape
    assert width > 2 * height  # the page is the picture (left to right), not an A4 sheet


@needs_tex
@pytest.mark.backend
def test_a_tensor_graph_and_its_derivation_compile_in_one_document(tmp_path):
    g = tensor_graph()
    (tmp_path / "graph.tikz").write_text(to_tikz(g))
    derivation = gs.backprop_formulas(g).to_latex()
    pages = compile_pdf(article(r"\input{graph.tikz}" + "\n\n" + derivation), tmp_path)
    assert 1 <= len(pages) <= 2
    assert all(ink(p) > 0.01 for p in pages)
    assert has_color(pages[0], INPUT_FILL)


@needs_tex
@pytest.mark.backend
def test_a_document_can_restyle_the_picture_before_input(xexp, tmp_path):
    (tmp_path / "graph.tikz").write_text(to_tikz(xexp))
    own = r"\tikzset{gs output/.style={gs node, fill=green, draw=black}}"
    (page,) = compile_pdf(article(own + "\n" + r"\input{graph.tikz}"), tmp_path)
    assert has_color(page, (0, 255, 0)) and not has_color(page, OUTPUT_FILL)
    assert has_color(page, INPUT_FILL)


@needs_tex
@pytest.mark.backend
def test_a_step_is_drawn_with_its_highlight_and_caption(xexp, tmp_path):
    s = gs.steps(xexp, "reverse")
    s.goto(3)
    text = to_tex(s)
    assert r"\node[gs step] (n0)" in text and r"\draw[gs highlighted edge]" in text
    assert r"\textbf{$\bar{x}$}" in text
    (page,) = compile_pdf(text, tmp_path)
    assert has_color(page, MAIN_FILL)


@pytest.mark.backend
def test_render_and_the_cli_write_tex_and_tikz(xexp, tmp_path):
    written = gs.render(xexp, tmp_path / "g.tex")
    assert written.read_text().startswith(r"\documentclass{article}")
    bare = gs.render(gs.steps(xexp, "paths"), tmp_path / "g.tikz").read_text()
    assert bare.startswith("% graphstep's colours") and r"\documentclass" not in bare
    assert main(["render", "x * exp(x^2)", "--at", "x=1.5", "-o", str(tmp_path / "c.tex")]) == 0
    assert (tmp_path / "c.tex").read_text() == written.read_text()


def test_a_bad_target_is_refused():
    with pytest.raises(gs.GraphstepError, match="needs a Graph, a stepper"):
        to_tikz("x")
