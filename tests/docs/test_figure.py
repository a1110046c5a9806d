"""graphstep.docs.figure: the request a documentation page makes, with Mode and Output enums."""

from __future__ import annotations

import dataclasses

import pytest

from graphstep.docs import figure as embed  # noqa: E402
from graphstep.docs.figure import OUTPUTS, Figure, Output, parse_steps
from graphstep.errors import InputError
from graphstep.steps.model import Mode
from graphstep.steps.select import parse_steps as select_parse_steps


def test_words_become_enums_and_still_equal_their_words():
    figure = Figure.from_options("x * exp(x^2)", {"at": "x=1.5", "mode": "reverse", "output": "SVG"})
    assert figure.mode is Mode.REVERSE and figure.output is Output.SVG
    assert figure.mode == "reverse" and figure.output == "svg" and f"{figure.output}" == "svg"
    assert OUTPUTS == ("player", "svg", "png", "gif")


def test_replace_with_a_word_keeps_the_enum():
    figure = Figure.from_options("x*x", {"at": "x=2"})
    assert figure.output is Output.PLAYER and figure.default_steps == "all"
    static = dataclasses.replace(figure, output="png", steps="last")
    assert static.output is Output.PNG and static.output.static and static.default_steps == "last"


def test_file_names_and_key_do_not_depend_on_enum_or_word():
    by_word = Figure("x*x", at="x=2", mode="paths", output="svg")
    by_enum = Figure("x*x", at="x=2", mode=Mode.PATHS, output=Output.SVG)
    assert by_word.key() == by_enum.key() and len(by_word.key()) == 16
    assert by_word.file_names(3) == [f"{by_word.key()}-2.svg"]
    assert Figure("x*x", output="gif").file_names(3) == [f"{Figure('x*x', output='gif').key()}.gif"]


def test_steps_are_read_by_the_one_step_reader():
    assert parse_steps is select_parse_steps
    assert Figure.from_options("x*x", {"steps": "first, -1"}).step_indices(4) == [0, 3]
    with pytest.raises(InputError, match="out of range"):
        Figure.from_options("x*x", {"steps": "4"}).step_indices(4)


def test_figure_options_are_checked():
    with pytest.raises(embed.InputError, match="mode 'backwards' is not one of"):
        embed.Figure.from_options("x", {"mode": "backwards"})
    with pytest.raises(embed.InputError, match="no expression"):
        embed.Figure.from_options("  ", {})
    with pytest.raises(embed.InputError, match="out of range"):
        embed.parse_steps("7", 3)
    assert embed.parse_steps("first, -1", 4) == [0, 3]


def test_hash_depends_on_inputs_not_on_caption():
    a = embed.Figure.from_options("x*x", {"at": "x=1", "caption": "one"})
    b = embed.Figure.from_options("x*x", {"at": "x=1", "caption": "two", "align": "left"})
    c = embed.Figure.from_options("x*x", {"at": "x=2"})
    d = embed.Figure.from_options("x*x", {"at": "x=1", "mode": "reverse"})
    e = embed.Figure.from_options("x*x", {"at": "x=1", "direction": "tb"})
    assert a.key() == b.key()
    assert e.direction == "TB" and len({a.key(), c.key(), d.key(), e.key()}) == 4
    with pytest.raises(embed.InputError, match="direction 'UP' is not one of"):
        embed.Figure.from_options("x", {"direction": "up"})


def test_prefix_ids_rewrites_definitions_and_references_only():
    svg = ('<svg><defs><linearGradient id="g1"/></defs><g id="node1" fill="url(#g1)">'
           '<a xlink:href="#node1" href="https://x.org/#frag"/><use href="#other"/></g></svg>')
    out = embed.prefix_ids(svg, "p3-")
    assert 'id="p3-g1"' in out and 'url(#p3-g1)' in out and 'xlink:href="#p3-node1"' in out
    assert 'href="https://x.org/#frag"' in out and 'href="#other"' in out


def test_a_change_to_graphstep_changes_every_cache_key(monkeypatch):
    """Pictures cached by an earlier docs build are redrawn once graphstep's code changes."""
    from graphstep.docs import figure as figure_module

    before = Figure("x*x", output="svg").key()
    monkeypatch.setattr(figure_module, "code_fingerprint", lambda: "0123456789abcdef")
    assert Figure("x*x", output="svg").key() != before
