"""Draw the pictures of ``docs/slides.rst``: Beamer slides of two step-throughs and a TikZ
figure with its derivation, compiled with pdflatex and turned into PNG with pdftoppm.

The PNGs are kept in ``docs/_static/slides/`` so that the docs build needs no TeX; run
this again (it needs ``pdflatex`` and ``pdftoppm``) after changing the TikZ or Beamer
output::

    .venv/bin/python docs/images/make_slides.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import graphstep as gs  # noqa: E402
from graphstep.export.tikz import PREAMBLE, to_tikz  # noqa: E402

OUT = HERE.parent / "_static" / "slides"


def compile_pages(tex: str, name: str, pages: list[int], dpi: int) -> None:
    """Compile ``tex`` and keep the given pages (from 1) as ``slides/<name>-<page>.png``."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "doc.tex").write_text(tex, encoding="utf-8")
        for extra in OUT.glob("*.tikz"):
            shutil.copy(extra, work)
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                       cwd=work, check=True, capture_output=True)
        for page in pages:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                            "-singlefile", "doc.pdf", "page"], cwd=work, check=True)
            shutil.copy(work / "page.png", OUT / f"{name}-{page}.png")


def main() -> None:
    if not (shutil.which("pdflatex") and shutil.which("pdftoppm")):
        sys.exit("make_slides.py needs pdflatex and pdftoppm (texlive-latex-recommended, poppler-utils)")
    OUT.mkdir(exist_ok=True)
    scalar = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")
    compile_pages(scalar.to_beamer(OUT / "x-exp-x2-reverse.tex").read_text(), "x-exp-x2-reverse",
                  [1, 4], dpi=110)
    rng = np.random.default_rng(0)
    mlp = gs.parse("sum((sigmoid(X @ W) - Y)^2) / 2", X=rng.normal(size=(4, 3)).round(2),
                   W=rng.normal(size=(3, 2)).round(2), Y=rng.normal(size=(4, 2)).round(2))
    tensor = gs.steps(mlp, "reverse")
    compile_pages(tensor.to_beamer(OUT / "layer-reverse.tex").read_text(), "layer-reverse", [6], dpi=110)
    (OUT / "layer.tikz").write_text(to_tikz(mlp, height=r"0.45\textheight"))  # gs.render: no limit
    paper = "\n".join([r"\documentclass{article}", PREAMBLE,
                       r"\usepackage[margin=1.5cm,paperheight=24cm]{geometry}", r"\pagestyle{empty}",
                       r"\begin{document}", r"\begin{center}", r"\input{layer.tikz}",
                       r"\end{center}",
                       gs.backprop_formulas(mlp).to_latex(), r"\end{document}"])
    compile_pages(paper, "paper", [1], dpi=90)
    for stale in [*OUT.glob("*.tex"), *OUT.glob("*.tikz")]:
        stale.unlink()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
