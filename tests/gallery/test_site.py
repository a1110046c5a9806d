"""graphstep.gallery.site: the index page from its package-data template and style sheet."""

from __future__ import annotations

from importlib import resources

import graphstep
from graphstep.gallery.examples import EXAMPLES
from graphstep.gallery.site import TEMPLATES, DemoEntry, index_html


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
