"""graphstep.gallery.site: the index page from its package-data template and style sheet."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import graphstep
from graphstep.gallery.examples import EXAMPLES, SEEDS
from graphstep.gallery.site import TEMPLATES, DemoEntry, build_demo, index_html


def _entry(name: str, agree: bool = True, problems: tuple[str, ...] = ()) -> DemoEntry:
    example = EXAMPLES[name]
    entry = DemoEntry(name, example.title, example.seed, example.expression, [("x", "1.5")],
                      example.mode, example.wrt, example.kind, example.note, tuple(example.tags))
    entry.rows = [("x", "52.18", "52.18", 0.0, agree)]
    entry.problems = list(problems)
    return entry


def test_templates_are_package_data():
    folder = resources.files("graphstep.gallery").joinpath(TEMPLATES)
    page = folder.joinpath("index.html").read_text(encoding="utf-8")
    css = folder.joinpath("index.css").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "${css}" in page and "${body}" in page
    assert css.startswith(":root {") and css.endswith("}\n")


def test_index_page_fills_every_slot():
    name = next(iter(EXAMPLES))
    page = index_html([_entry(name)])
    css = resources.files("graphstep.gallery").joinpath(TEMPLATES, "index.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}</style>" in page
    assert "$" not in page.replace(css, "")  # no slot left unfilled
    assert f"graphstep {graphstep.__version__}</footer>" in page
    assert 'GIF for the animation. <span class="ok">1 of 1</span> examples match their closed form.' in page
    assert f'<article class="card" id="{name}">' in page


def test_index_page_says_what_failed():
    name = next(iter(EXAMPLES))
    page = index_html([_entry(name, agree=False, problems=("x.gif not written: no dot",))])
    assert '<span class="bad">0 of 1</span> examples match' in page
    assert '<span class="bad">1 file(s) could not be made</span> (see the cards).' in page


ONLY = ["x-exp-x2", "outer-product"]


def run_demo(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphstep.cli", "demo", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.mark.backend
def test_demo_builds_pictures_players_gifs_and_an_index(tmp_path):
    from PIL import Image

    result = run_demo("-o", "gallery", "--only", *ONLY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "gallery"
    index = (out / "index.html").read_text()
    for name in ONLY:
        example = EXAMPLES[name]
        for filename in (f"{name}.svg", f"{name}-player.html", f"{name}.gif"):
            assert (out / filename).stat().st_size > 0
            assert f'href="{filename}"' in index
        assert "</svg>" in (out / f"{name}.svg").read_text(encoding="utf-8")
        assert (out / f"{name}.gif").read_bytes()[:6] == b"GIF89a"
        assert html.escape(example.title) in index
        assert html.escape(example.expression) in index
        assert html.escape(example.note) in index
        assert html.escape(SEEDS[example.seed]) in index
        g = example.graph()
        steps = len(__import__("graphstep").steps(g, example.mode, example.wrt))
        with Image.open(out / f"{name}.gif") as gif:
            assert gif.n_frames == steps
    # the closed form of x * exp(x^2) at 1.5: e^{x^2}(2x^2 + 1) = 52.1825
    assert f"{np.exp(2.25) * 5.5:.6g}" in index
    assert "2 of 2</span> examples match their closed form" in index
    assert "<svg" in (out / "x-exp-x2-player.html").read_text()
    # it says where it wrote and how to open it
    assert "open gallery/index.html" in result.stdout
    assert (out / "index.html").resolve().as_uri() in result.stdout


@pytest.mark.backend
def test_demo_in_process_compares_with_the_closed_form(tmp_path):
    result = build_demo(tmp_path, only=["sigmoid", "dot-product"], gif=False, jobs=1, log=None)
    assert result.ok
    sigmoid = result.entries[0]
    s = 1 / (1 + np.exp(-0.3))
    assert sigmoid.rows[0][0] == "x" and sigmoid.rows[0][1] == f"{s * (1 - s):.6g}"
    assert set(sigmoid.files) == {"svg", "player"}
    dot = result.entries[1]
    assert [row[0] for row in dot.rows] == ["w", "x"] and all(row[4] for row in dot.rows)
    assert all(row[3] < 1e-9 for entry in result.entries for row in entry.rows)  # max difference
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{s * (1 - s):.6g}" in index
    assert "2 of 2</span> examples match their closed form" in index
    for entry in result.entries:
        assert "</svg>" in (tmp_path / entry.files["svg"]).read_text(encoding="utf-8")
        assert "<svg" in (tmp_path / entry.files["player"]).read_text(encoding="utf-8")
        assert f'href="{entry.files["player"]}"' in index


def test_demo_without_a_graphviz_executable_still_writes_the_index(tmp_path):
    result = run_demo("-o", "gallery", "--only", "x-exp-x2", "--no-gif", cwd=tmp_path,
                      env={"GRAPHSTEP_DOT": str(tmp_path / "no-such-dot")})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "could not be made" in result.stdout and "GRAPHSTEP_DOT" in result.stdout
    index = (tmp_path / "gallery" / "index.html").read_text()
    assert "x-exp-x2.svg not written" in index
    assert f"{np.exp(2.25) * 5.5:.6g}" in index  # the numbers are there all the same
    assert 'href="x-exp-x2.dot"' in index  # and the DOT source


@pytest.mark.backend
def test_index_marks_a_mismatch(tmp_path):
    result = build_demo(tmp_path, only=["sigmoid"], gif=False, jobs=1, log=None)
    entry = result.entries[0]
    entry.rows[0] = (*entry.rows[0][:3], 0.5, False)
    page = index_html([entry])
    assert '<span class="bad">0 of 1</span>' in page
    assert re.search(r'class="verdict bad">✗', page)
