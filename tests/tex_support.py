"""Compiling LaTeX in the tests: pdflatex, then pdftoppm, then a look at every page.

``tests/conftest.py`` puts this folder on ``sys.path``; the TikZ and Beamer tests import
``tex_support``. Without a TeX system (``pdflatex``) and poppler's ``pdftoppm`` those tests
skip, saying what to install (``.ci/run`` installs both from Debian's packages).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

TEX_MISSING = (
    "no TeX system: install pdflatex and pdftoppm (Debian: apt-get install texlive-latex-base "
    "texlive-pictures texlive-latex-recommended poppler-utils) to compile the TikZ and Beamer output")

needs_tex = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdftoppm") is None, reason=TEX_MISSING)


def compile_pdf(tex: str, folder: Path, name: str = "doc", dpi: int = 60) -> list[np.ndarray]:
    """Compile ``tex`` with pdflatex in ``folder`` and return its pages as RGB arrays.

    A failed compilation fails the test with pdflatex's error lines.
    """
    source = folder / f"{name}.tex"
    source.write_text(tex, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
                          cwd=folder, capture_output=True, text=True, errors="replace", timeout=300)
    if done.returncode != 0:
        lines = done.stdout.splitlines()
        errors = [k for k, line in enumerate(lines) if line.startswith("!")]
        shown = "\n".join(lines[errors[0]:errors[0] + 8]) if errors else "\n".join(lines[-20:])
        pytest.fail(f"pdflatex failed on {source}:\n{shown}", pytrace=False)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", f"{name}.pdf", name], cwd=folder, check=True,
                   capture_output=True, timeout=300)
    pages = sorted(folder.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [np.asarray(Image.open(p).convert("RGB")) for p in pages]


def words(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words with their top-left corners in points (poppler's ``pdftotext -bbox``)."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=300)
    pages: list[list[tuple[str, float, float]]] = []
    for line in done.stdout.splitlines():
        if "<page " in line:
            pages.append([])
        elif "<word " in line:
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', line))
            text = line.split(">", 1)[1].rsplit("</word>", 1)[0]
            pages[-1].append((html.unescape(text), float(attrs["xMin"]), float(attrs["yMin"])))
    return pages


def ink(page: np.ndarray) -> float:
    """The fraction of a page's pixels that are not white."""
    return float(np.mean(np.any(page < 245, axis=2)))


def has_color(page: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    """Whether some pixel of the page has about the colour ``rgb``."""
    return bool(np.any(np.all(np.abs(page.astype(int) - np.array(rgb)) <= tolerance, axis=2)))
