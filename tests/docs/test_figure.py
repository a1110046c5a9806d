"""graphstep.docs.figure: the request a documentation page makes, with Mode and Output enums."""

from __future__ import annotations

import dataclasses

import pytest

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
